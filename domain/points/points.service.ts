import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { PointsEntry, type PointReason } from '../../models/points-entry.model';
import { z } from 'zod';
import { AppError, notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { recordInteraction } from '../interactions/interaction.service';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { pointReasonLabel } from '../../shared/vocabulary';
import { expiryFor, remainingLots, soonestExpiring, type Lot } from './points-lots';
import { objectIdSchema } from '../../shared/ids';
import { bump, programBucket } from '../reports/stat-counters.service';

export interface PointsChange {
  memberId: Types.ObjectId | string;
  /** Positive to earn, negative to spend. */
  delta: number;
  reason: PointReason;
  /** Idempotency key; a repeat returns the first result and changes nothing. */
  key: string;
  actor?: string;
  note?: string;
  expiresAt?: Date | null;
  refs?: Record<string, unknown>;
  now: Date;
  /**
   * Optimistic guard: apply only if the balance is still exactly this (the expiry job computed what to expire
   * from the ledger at this balance). A mismatch throws `points_balance_changed` and changes nothing.
   */
  expectedBalance?: number;
  /**
   * A take-back that may leave the balance below zero (a refund whose points were already spent): the shortfall
   * becomes a debt that later earnings repay first (points-lots.ts). Never for spends: those need the points.
   */
  allowDebt?: boolean;
}

export interface PointsResult {
  balance: number;
  duplicate: boolean;
  entryId: string;
}

/** How many recent keys ride on the member document; older repeats are caught by the ledger's unique key. */
const KEYS_KEPT = 200;

/**
 * Changes a member's balance and appends the ledger entry, idempotently.
 * The balance moves only in one conditional findOneAndUpdate that also records the key (so a crash between the
 * two writes is repaired by simply retrying: the $inc is skipped, the entry is upserted). A spend that would go
 * negative fails with `insufficient_points` and changes nothing.
 */
export async function changePoints(change: PointsChange): Promise<PointsResult> {
  if (!Number.isInteger(change.delta) || change.delta === 0)
    throw new AppError('invalid_points', 400, '點數必須是不為零的整數。');
  const existing = await PointsEntry.findOne({ key: change.key }).lean();
  if (existing)
    return { balance: (await currentBalance(change.memberId)) ?? 0, duplicate: true, entryId: String(existing._id) };

  const filter: Record<string, unknown> = { _id: change.memberId, pointKeys: { $ne: change.key } };
  if (change.delta < 0 && !change.allowDebt) filter.pointsBalance = { $gte: -change.delta };
  if (change.expectedBalance !== undefined) {
    if (change.expectedBalance + change.delta < 0)
      throw new AppError(
        'insufficient_points',
        409,
        `點數不足：目前有 ${change.expectedBalance} 點，需要 ${-change.delta} 點。`,
      );
    // Equality with a balance that covers the spend implies the $gte guard.
    filter.pointsBalance = change.expectedBalance;
  }
  const updated = await Member.findOneAndUpdate(
    filter,
    { $inc: { pointsBalance: change.delta }, $push: { pointKeys: { $each: [change.key], $slice: -KEYS_KEPT } } },
    { returnDocument: 'after', projection: { pointsBalance: 1 } },
  ).lean();

  let balance: number;
  let duplicate = false;
  if (updated) {
    balance = updated.pointsBalance ?? 0;
    // The outstanding points gauge moves with the balance, once (only the write that applied the change gets here).
    await bump(programBucket, { pointsOutstanding: change.delta });
  } else {
    const member = await Member.findById(change.memberId, { pointsBalance: 1, pointKeys: 1 }).lean();
    if (!member) throw notFound('找不到這位會員。', 'member_not_found');
    if (!(member.pointKeys ?? []).includes(change.key)) {
      if (change.expectedBalance !== undefined && (member.pointsBalance ?? 0) !== change.expectedBalance) {
        throw new AppError('points_balance_changed', 409, '點數剛剛有異動，請重新整理後再試一次。');
      }
      throw new AppError(
        'insufficient_points',
        409,
        `點數不足：目前有 ${member.pointsBalance ?? 0} 點，需要 ${-change.delta} 點。`,
      );
    }
    // Applied before but the entry was never written (crash between the two writes): write it now.
    balance = member.pointsBalance ?? 0;
    duplicate = true;
  }
  const entry = await PointsEntry.findOneAndUpdate(
    { key: change.key },
    {
      $setOnInsert: {
        memberId: change.memberId,
        delta: change.delta,
        reason: change.reason,
        key: change.key,
        actor: change.actor ?? 'system',
        note: change.note,
        balanceAfter: balance,
        expiresAt: change.expiresAt ?? undefined,
        refs: change.refs ?? {},
        at: change.now,
      },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return { balance, duplicate, entryId: String(entry!._id) };
}

async function currentBalance(memberId: Types.ObjectId | string): Promise<number | null> {
  const m = await Member.findById(memberId, { pointsBalance: 1 }).lean();
  return m ? (m.pointsBalance ?? 0) : null;
}

/** Ledger sum vs cached balance for every member (or one); returns the members that drifted. */
export async function findPointsDrift(
  memberId?: Types.ObjectId | string,
): Promise<Array<{ memberId: string; balance: number; ledger: number }>> {
  const match = memberId
    ? { memberId: typeof memberId === 'string' ? new Member.base.Types.ObjectId(memberId) : memberId }
    : {};
  const sums = await PointsEntry.aggregate<{ _id: Types.ObjectId; total: number }>([
    { $match: match },
    { $group: { _id: '$memberId', total: { $sum: '$delta' } } },
  ]);
  const ledger = new Map(sums.map((s) => [String(s._id), s.total]));
  const members = await Member.find(memberId ? { _id: memberId } : {}, { pointsBalance: 1 }).lean();
  const drift: Array<{ memberId: string; balance: number; ledger: number }> = [];
  for (const m of members) {
    const sum = ledger.get(String(m._id)) ?? 0;
    if (sum !== (m.pointsBalance ?? 0))
      drift.push({ memberId: String(m._id), balance: m.pointsBalance ?? 0, ledger: sum });
  }
  return drift;
}

// ---- Views and staff operations over the ledger ----

export interface PointsHistoryItem {
  id: string;
  delta: number;
  reason: PointReason;
  /** zh-TW label for the card and the console. */
  reasonLabel: string;
  note: string | null;
  balanceAfter: number | null;
  /** ISO 8601. */
  at: string;
  expiresAt: string | null;
  actor: string;
}
export interface PointsHistoryPage {
  items: PointsHistoryItem[];
  total: number;
  page: number;
  pageSize: number;
  balance: number;
}

/** A member's ledger, newest first, paged (page starts at 1, pageSize ≤ 100). */
export async function listPointsHistory(
  memberId: Types.ObjectId | string,
  opts: { page?: number; pageSize?: number } = {},
): Promise<PointsHistoryPage> {
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 20)));
  const [entries, total, balance] = await Promise.all([
    PointsEntry.find({ memberId })
      .sort({ at: -1, _id: -1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    PointsEntry.countDocuments({ memberId }),
    currentBalance(memberId),
  ]);
  if (balance === null) throw notFound('找不到這位會員。', 'member_not_found');
  const items = entries.map((e) => ({
    id: String(e._id),
    delta: e.delta,
    reason: e.reason as PointReason,
    reasonLabel: pointReasonLabel(e.reason),
    note: e.note ?? null,
    balanceAfter: e.balanceAfter ?? null,
    at: e.at.toISOString(),
    expiresAt: e.expiresAt ? e.expiresAt.toISOString() : null,
    actor: e.actor ?? 'system',
  }));
  return { items, total, page, pageSize, balance };
}

/** The member's remaining points lots (FIFO), computed from the ledger. */
export async function loadLots(memberId: Types.ObjectId | string): Promise<Lot[]> {
  const entries = await PointsEntry.find({ memberId }, { delta: 1, at: 1, expiresAt: 1 }).lean();
  return remainingLots(entries.map((e) => ({ delta: e.delta, at: e.at, expiresAt: e.expiresAt ?? null })));
}

/** The next batch of points to expire (for "N 點將於 YYYY/MM/DD 到期" on the card), or null. */
export async function getSoonestExpiring(
  memberId: Types.ObjectId | string,
  now: Date,
): Promise<{ points: number; expiresAt: Date } | null> {
  return soonestExpiring(await loadLots(memberId), now);
}

/** When points earned now would expire under the current program settings. */
export async function expiryForEarning(now: Date, timeZone: string, settings?: ProgramSettings): Promise<Date | null> {
  return expiryFor(now, (settings ?? (await getProgramSettings())).expiry, timeZone);
}

export const ManualAdjustmentSchema = z.object({
  memberId: objectIdSchema(),
  delta: z
    .number()
    .int('點數必須是整數')
    .refine((d) => d !== 0, '點數不可為 0')
    .refine((d) => Math.abs(d) <= 1_000_000, '單次調整不可超過 1,000,000 點'),
  reason: z.string().trim().min(2, '請填寫調整原因').max(200, '原因請在 200 字以內'),
  actor: z.string().min(1),
  key: z.string().min(8, '需要一個唯一的請求識別碼').max(200),
});

/**
 * Staff adjust a balance by hand (a goodwill gesture, a correction). The reason is required and kept as the
 * entry's note; credits expire like earned points; a debit cannot go below zero. Idempotent by `key`.
 */
export async function adjustPointsManually(input: {
  memberId: Types.ObjectId | string;
  delta: number;
  reason: string;
  actor: string;
  key: string;
  now: Date;
  timeZone: string;
  /** The counter's store, for today's list (#16.5). */
  storeId?: string;
}): Promise<PointsResult> {
  const v = parseOrThrow(ManualAdjustmentSchema, {
    memberId: String(input.memberId),
    delta: input.delta,
    reason: input.reason,
    actor: input.actor,
    key: input.key,
  });
  const expiresAt = v.delta > 0 ? await expiryForEarning(input.now, input.timeZone) : null;
  const result = await changePoints({
    memberId: v.memberId,
    delta: v.delta,
    reason: 'manual',
    key: `manual:${v.key}`,
    actor: v.actor,
    note: v.reason,
    expiresAt,
    now: input.now,
    ...(input.storeId ? { refs: { storeId: input.storeId } } : {}),
  });
  if (!result.duplicate) {
    await recordInteraction({
      memberId: v.memberId,
      type: 'points',
      channel: 'console',
      at: input.now,
      key: `points:manual:${v.key}`,
      summary: `${v.delta > 0 ? '+' : ''}${v.delta} 點（${v.reason}）`,
      refs: { entryId: result.entryId, actor: v.actor },
    });
  }
  return result;
}
