import type { Types } from 'mongoose';
import { Interaction, type InteractionType } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { afterCursorFilter, decodeTimeCursor, NEWEST_FIRST, pageOf } from '../shared/time-cursor';
import { syncMemberCounters } from '../reports/member-counters.service';
import { counterDay } from '../reports/stat-counters.service';

/** Every kind of timeline entry, for edges that check a requested type (the console's timeline filter). */
export { INTERACTION_TYPES, type InteractionType } from '../../models/interaction.model';

export interface InteractionInput {
  memberId?: Types.ObjectId | string | null;
  lineUserId?: string;
  type: InteractionType;
  channel?: 'line' | 'liff' | 'console' | 'pos' | 'system';
  summary: string;
  refs?: Record<string, unknown>;
  /** When set, recording twice with the same key stores one interaction. */
  key?: string;
  at: Date;
}

/**
 * Appends one line to a member's timeline (and bumps `lastInteractionAt` for inbound activity).
 * Idempotent by `key`; never throws for a duplicate.
 */
export async function recordInteraction(input: InteractionInput): Promise<void> {
  const doc = {
    memberId: input.memberId ?? undefined,
    lineUserId: input.lineUserId,
    type: input.type,
    channel: input.channel ?? 'line',
    summary: input.summary.slice(0, 500),
    refs: input.refs ?? {},
    at: input.at,
    ...(input.key ? { key: input.key } : {}),
  };
  if (input.key) {
    const res = await Interaction.updateOne({ key: input.key }, { $setOnInsert: doc }, { upsert: true });
    if (res.upsertedCount === 0) return;
  } else {
    await Interaction.create(doc);
  }
  if (input.memberId && INBOUND.has(input.type)) {
    const before = await Member.findOneAndUpdate(
      { _id: input.memberId, $or: [{ lastInteractionAt: { $lt: input.at } }, { lastInteractionAt: null }] },
      { $set: { lastInteractionAt: input.at } },
      { returnDocument: 'before', projection: { lastInteractionAt: 1 } },
    ).lean();
    // "Active in the last 30 days" counts members by the day of their last activity: only a new day moves it.
    if (before && counterDay(before.lastInteractionAt) !== counterDay(input.at))
      await syncMemberCounters(input.memberId);
  }
}

const INBOUND = new Set<InteractionType>([
  'message_in',
  'postback',
  'follow',
  'persona_answer',
  'click',
  'survey_answer',
  'purchase',
  'coupon_redeemed',
]);

/**
 * A member's timeline, newest first, one page at a time: `cursor` is the `nextCursor` of the previous page.
 * Ordered by `(at, _id)`, so entries sharing a timestamp are never skipped or repeated across pages (#11.5).
 * A malformed cursor → 400 `invalid_cursor`.
 */
export async function listInteractions(
  memberId: Types.ObjectId | string,
  opts: { limit?: number; cursor?: string; types?: InteractionType[] } = {},
) {
  const limit = Math.min(Math.max(1, opts.limit ?? 50), 200);
  const filter: Record<string, unknown> = { memberId };
  if (opts.cursor) Object.assign(filter, afterCursorFilter(decodeTimeCursor(opts.cursor)));
  if (opts.types?.length) filter.type = { $in: opts.types };
  const rows = await Interaction.find(filter)
    .sort(NEWEST_FIRST)
    .limit(limit + 1)
    .lean();
  return pageOf(rows, limit);
}

/** Whether an interaction with this idempotency key was recorded (e.g. "this event was already answered"). */
export async function hasInteraction(key: string): Promise<boolean> {
  return Boolean(await Interaction.exists({ key }));
}

/**
 * The member unsent a chat message: its text leaves the timeline (LINE asks bots to respect unsending);
 * the fact that a message was sent stays.
 */
export async function redactUnsentMessage(lineUserId: string, messageId: string): Promise<boolean> {
  const res = await Interaction.updateOne(
    { lineUserId, type: 'message_in', 'refs.messageId': messageId },
    { $set: { summary: '（訊息已收回）', 'refs.unsent': true } },
  );
  return res.modifiedCount === 1;
}
