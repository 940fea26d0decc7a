import type { Types } from 'mongoose';
import { Interaction, type InteractionType } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { maskPhonesInText } from '../shared/phone';
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
  await recordInteractions([input]);
}

/**
 * How stale `lastInteractionAt` may be: an inbound event within this window of the stored value does not write it
 * again (segments and RFM read it in days; a chatting member would otherwise cost one member write per message).
 */
export const LAST_INTERACTION_WINDOW_MS = 5 * 60_000;

/**
 * Appends several timeline lines in one round trip (one bulk write; keyed ones idempotent, a duplicate key is not an
 * error), then bumps the member's `lastInteractionAt` once for the newest inbound line that was new. `known` is the
 * member as the caller already read it: when its `lastInteractionAt` is within `LAST_INTERACTION_WINDOW_MS` of the
 * newest line, that write is skipped.
 */
export async function recordInteractions(
  inputs: InteractionInput[],
  known?: { lastInteractionAt?: Date | null },
): Promise<void> {
  if (!inputs.length) return;
  const docs = inputs.map(interactionDoc);
  const ops = docs.map((doc) =>
    doc.key
      ? { updateOne: { filter: { key: doc.key }, update: { $setOnInsert: doc }, upsert: true } }
      : { insertOne: { document: doc } },
  );
  const inserted = await bulkInsertedIndexes(ops);
  let touch: { memberId: Types.ObjectId | string; at: Date } | null = null;
  inputs.forEach((input, i) => {
    if (!inserted.has(i) || !input.memberId || !INBOUND.has(input.type)) return;
    if (!touch || input.at > touch.at) touch = { memberId: input.memberId, at: input.at };
  });
  if (!touch) return;
  const { memberId, at } = touch as { memberId: Types.ObjectId | string; at: Date };
  const last = known?.lastInteractionAt;
  // Within the window the write is skipped, unless the day changed: "active" counters move by the day (#18.8).
  if (last && last.getTime() >= at.getTime() - LAST_INTERACTION_WINDOW_MS && counterDay(last) === counterDay(at))
    return;
  const before = await Member.findOneAndUpdate(
    { _id: memberId, $or: [{ lastInteractionAt: { $lt: at } }, { lastInteractionAt: null }] },
    { $set: { lastInteractionAt: at } },
    { returnDocument: 'before', projection: { lastInteractionAt: 1 } },
  ).lean();
  // "Active in the last 30 days" counts members by the day of their last activity: only a new day moves it.
  if (before && counterDay(before.lastInteractionAt) !== counterDay(at)) await syncMemberCounters(memberId);
}

function interactionDoc(input: InteractionInput) {
  return {
    memberId: input.memberId ?? undefined,
    lineUserId: input.lineUserId,
    type: input.type,
    channel: input.channel ?? 'line',
    summary: input.summary.slice(0, 500),
    refs: input.refs ?? {},
    at: input.at,
    ...(input.key ? { key: input.key } : {}),
  };
}

type InteractionOp = Parameters<typeof Interaction.bulkWrite>[0][number];

/** Runs the writes unordered and answers which of them stored a new line (a lost upsert race is a duplicate). */
async function bulkInsertedIndexes(ops: InteractionOp[]): Promise<Set<number>> {
  const inserted = new Set<number>();
  const note = (result: { insertedIds?: Record<number, unknown>; upsertedIds?: Record<number, unknown> }) => {
    for (const i of Object.keys(result.insertedIds ?? {})) inserted.add(Number(i));
    for (const i of Object.keys(result.upsertedIds ?? {})) inserted.add(Number(i));
  };
  try {
    note(await Interaction.bulkWrite(ops, { ordered: false }));
  } catch (err) {
    const e = err as {
      writeErrors?: Array<{ code?: number; index: number }>;
      result?: { insertedIds?: Record<number, unknown>; upsertedIds?: Record<number, unknown> };
    };
    const errors = e.writeErrors ?? [];
    if (!errors.length || errors.some((w) => w.code !== 11000)) throw err;
    if (e.result) note(e.result);
    for (const w of errors) inserted.delete(w.index);
  }
  return inserted;
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
  // Staff read the timeline (member page, inbox): a number the customer typed is shown masked.
  return pageOf(
    rows.map((r) => ({ ...r, summary: maskPhonesInText(r.summary ?? '') })),
    limit,
  );
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
