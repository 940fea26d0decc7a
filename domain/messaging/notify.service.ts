import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { recordInteraction } from '../interactions/interaction.service';
import type { Messenger, LineMessage } from './messenger';
import { retryKeyFor } from './retry-key';

export interface NotifyOptions {
  /** Idempotency key of this logical message (e.g. `tier-change:<memberId>:<tier>:<date>`); becomes the retry key. */
  key: string;
  now: Date;
  /** Summary for the member's timeline. */
  summary?: string;
  refs?: Record<string, unknown>;
  /** Marketing pushes require marketing consent; service messages (points, coupons, tier) do not. */
  marketing?: boolean;
}

export type NotifyOutcome = 'sent' | 'already_sent' | 'skipped_blocked' | 'skipped_no_line' | 'skipped_no_consent';

/**
 * Pushes a message to one member, never to a blocked member, and records it on their timeline.
 * Retries (same key) are dropped by LINE via the derived X-Line-Retry-Key; MessengerError propagates so a job
 * can retry later with the same key.
 */
export async function notifyMember(
  messenger: Messenger,
  memberId: Types.ObjectId | string,
  messages: LineMessage[],
  opts: NotifyOptions,
): Promise<NotifyOutcome> {
  const member = await Member.findById(memberId, { lineUserId: 1, status: 1, consent: 1, erasedAt: 1 }).lean();
  if (!member || !member.lineUserId || member.erasedAt) return 'skipped_no_line';
  if (member.status === 'blocked') return 'skipped_blocked';
  if (opts.marketing && !member.consent?.marketing) return 'skipped_no_consent';
  const result = await messenger.push(member.lineUserId, messages, { retryKey: retryKeyFor(opts.key) });
  await recordInteraction({
    memberId: member._id,
    lineUserId: member.lineUserId,
    type: 'push',
    channel: 'line',
    summary: opts.summary ?? summarize(messages),
    refs: opts.refs,
    key: `push:${opts.key}`,
    at: opts.now,
  });
  return result.alreadyAccepted ? 'already_sent' : 'sent';
}

/** How a message type reads on the console's timeline (marketers, not developers, read it). */
const MESSAGE_TYPE_WORDS: Record<string, string> = {
  flex: '卡片',
  template: '按鈕訊息',
  imagemap: '圖文訊息',
  sticker: '貼圖',
  image: '圖片',
  video: '影片',
  audio: '語音',
  location: '位置',
};

/** The messages sent, in one line for the timeline: texts as they are, others as "[卡片] <altText>". */
export function summarize(messages: LineMessage[]): string {
  return messages
    .map((m) => {
      if (m.type === 'text') return m.text;
      const kind = `[${MESSAGE_TYPE_WORDS[m.type] ?? m.type}]`;
      return 'altText' in m && m.altText ? `${kind} ${m.altText}` : kind;
    })
    .join(' / ')
    .slice(0, 300);
}
