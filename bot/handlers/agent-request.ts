import type { LineMessage } from '../../domain/messaging/messenger';
import { menuItems, unknownTextMessages } from '../commands/member-commands';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import type { BotContext, BotMember } from './context';

export interface AgentRequest {
  /** `asked`: 真人客服 and the like; `image`: a photo; `unanswered`: a text nothing could answer. */
  reason: 'asked' | 'image' | 'unanswered';
  text?: string;
}

/**
 * When a person should answer. Minimal version (#13.3): the words the chat says today. The 1:1 inbox (#13.5)
 * replaces this file with the same signature: it opens a conversation and pauses the bot for the member.
 */
export async function handleAgentRequest(
  _bc: BotContext,
  _member: BotMember,
  request: AgentRequest,
): Promise<LineMessage[]> {
  switch (request.reason) {
    case 'asked':
      return [textMessage(t.conversation.agentAsked, menuItems())];
    case 'image':
      return [textMessage(t.media.image, menuItems())];
    case 'unanswered':
      return unknownTextMessages();
  }
}
