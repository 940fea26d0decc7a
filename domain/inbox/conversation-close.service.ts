import { Conversation } from '../../models/conversation.model';
import { InboxMessage } from '../../models/inbox-message.model';
import { recordInteraction } from '../interactions/interaction.service';
import type { LineMessage, Messenger } from '../messaging/messenger';
import { retryKeyFor } from '../messaging/retry-key';
import { moduleLogger } from '../shared/logger';
import { publishInboxEvent } from './inbox-events.service';
import { inboxText } from './inbox-text';
import { requireConversation, toConversationRow, type ConversationDoc, type ConversationRow } from './inbox.service';

const log = moduleLogger('inbox');
const DUPLICATE_KEY = 11000;

export interface CloseInput {
  conversationId: string;
  agent: { id: string; name: string };
  now: Date;
  /** Push the editable goodbye (`inbox.closedByAgent`) through this messenger; absent: 「結束但不通知客人」. */
  notify?: { messenger: Messenger };
}

/**
 * An agent closes the conversation: the bot answers the member again from their next message, and unless the
 * agent chose not to tell the customer, the goodbye is pushed. Exactly once: the close is one conditional update
 * (several instances, a double click), and the push carries a retry key derived from the conversation id and its
 * `closedAt`, so a repeat of the same close (after a failed push, or racing another instance) never delivers twice.
 * A failed push leaves the conversation closed with `closeNotice: failed`; closing it again retries the push.
 */
export async function closeConversation(input: CloseInput): Promise<ConversationRow> {
  const { now, agent } = input;
  const c = await requireConversation(input.conversationId);
  let current: ConversationDoc = c;
  if (c.status === 'open') {
    const closed = await Conversation.findOneAndUpdate(
      { _id: c._id, status: 'open' },
      {
        $set: {
          status: 'closed',
          closedAt: now,
          closedBy: agent.id,
          closedHow: 'agent',
          waiting: false,
          closeNotice: input.notify ? 'pending' : 'none',
        },
      },
      { returnDocument: 'after' },
    ).lean();
    if (closed) await publishInboxEvent('closed', c._id, now);
    current = closed ?? (await requireConversation(input.conversationId));
  }
  const owed = current.closedHow === 'agent' && (current.closeNotice === 'pending' || current.closeNotice === 'failed');
  if (owed && input.notify) current = await sendCloseNotice(current, agent, input.notify.messenger, now);
  return toConversationRow(current);
}

async function sendCloseNotice(
  c: ConversationDoc,
  agent: { id: string; name: string },
  messenger: Messenger,
  now: Date,
): Promise<ConversationDoc> {
  const key = `close:${String(c._id)}:${c.closedAt!.toISOString()}`;
  const text = inboxText.closedByAgent;
  const message: LineMessage = { type: 'text', text };
  // Kept in the transcript first, so the agents see what the customer was told (and whether it went out).
  try {
    await InboxMessage.create({
      conversationId: c._id,
      memberId: c.memberId,
      direction: 'out',
      kind: 'text',
      text,
      agentId: agent.id,
      agentName: agent.name,
      at: now,
      key,
    });
  } catch (err) {
    if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
  }
  let state: 'sent' | 'failed' = 'sent';
  try {
    await messenger.push(c.lineUserId, [message], { retryKey: retryKeyFor(`inbox:${key}`) });
  } catch (err) {
    state = 'failed';
    log.warn({ conversationId: String(c._id), err: (err as Error).message }, 'the closing message was not sent');
  }
  await InboxMessage.updateOne({ key }, { $set: { delivery: state } });
  const updated = await Conversation.findOneAndUpdate(
    { _id: c._id },
    { $set: { closeNotice: state } },
    { returnDocument: 'after' },
  ).lean();
  if (state === 'sent')
    await recordInteraction({
      memberId: c.memberId,
      lineUserId: c.lineUserId,
      type: 'push',
      channel: 'console',
      summary: `[客服結束對話] ${text}`.slice(0, 300),
      at: now,
      key: `inbox:${key}`,
      refs: { conversationId: String(c._id), agentId: agent.id },
    });
  await publishInboxEvent('closed', c._id, now);
  return updated ?? c;
}
