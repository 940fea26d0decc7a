import type { messagingApi } from '@line/bot-sdk';
import type { LineMessage } from '../../domain/messaging/messenger';
import { MAX_QUICK_REPLIES } from '../../domain/persona/persona-script.schema';

export type QuickReplyItem = messagingApi.QuickReplyItem;

/** LINE cuts action labels at 20 characters (and rejects longer ones). */
const label20 = (label: string) => [...label].slice(0, 20).join('');

/** A button that sends `data` back as a postback and shows `displayText` in the chat as if the member typed it. */
export function postbackItem(label: string, data: string, displayText: string = label): QuickReplyItem {
  return { type: 'action', action: { type: 'postback', label: label20(label), data, displayText } };
}

/** A button that simply sends `text` as the member's message (keywords route it). */
export function messageItem(label: string, text: string = label): QuickReplyItem {
  return { type: 'action', action: { type: 'message', label: label20(label), text } };
}

/** LINE's native date picker; the chosen date comes back as a postback with `params.date`. */
export function datePickerItem(
  label: string,
  data: string,
  opts: { initial: string; min: string; max?: string },
): QuickReplyItem {
  return {
    type: 'action',
    action: {
      type: 'datetimepicker',
      label: label20(label),
      data,
      mode: 'date',
      initial: opts.initial,
      min: opts.min,
      ...(opts.max ? { max: opts.max } : {}),
    },
  };
}

/** LINE counts a text's 5,000 limit in UTF-16 code units (an emoji counts 2): cut there, never inside a pair. */
function clip5000(text: string): string {
  if (text.length <= 5000) return text;
  const cut = text.slice(0, 5000);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A text message, with quick replies when there are any (LINE rejects an empty list). */
export function textMessage(text: string, items: QuickReplyItem[] = []): LineMessage {
  const message: messagingApi.TextMessage = { type: 'text', text: clip5000(text) };
  if (items.length) message.quickReply = { items: items.slice(0, MAX_QUICK_REPLIES) };
  return message;
}

/** Puts quick replies on the last message of a batch (LINE shows only the last message's quick replies). */
export function withQuickReplies(messages: LineMessage[], items: QuickReplyItem[]): LineMessage[] {
  if (!messages.length || !items.length) return messages;
  const last = {
    ...messages[messages.length - 1],
    quickReply: { items: items.slice(0, MAX_QUICK_REPLIES) },
  } as LineMessage;
  return [...messages.slice(0, -1), last];
}
