import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { PointsEntry, type PointReason } from '../../models/points-entry.model';
import { AppError, notFound } from '../shared/errors';

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
}

export interface PointsResult { balance: number; duplicate: boolean; entryId: string }

/** How many recent keys ride on the member document; older repeats are caught by the ledger's unique key. */
const KEYS_KEPT = 200;

/**
 * Changes a member's balance and appends the ledger entry, idempotently.
 * The balance moves only in one conditional findOneAndUpdate that also records the key (so a crash between the
 * two writes is repaired by simply retrying: the $inc is skipped, the entry is upserted). A spend that would go
 * negative fails with `insufficient_points` and changes nothing.
 */
export async function changePoints(change: PointsChange): Promise<PointsResult> {
  if (!Number.isInteger(change.delta) || change.delta === 0) throw new AppError('invalid_points', 400, '點數必須是不為零的整數。');
  const existing = await PointsEntry.findOne({ key: change.key }).lean();
  if (existing) return { balance: (await currentBalance(change.memberId)) ?? 0, duplicate: true, entryId: String(existing._id) };

  const filter: Record<string, unknown> = { _id: change.memberId, pointKeys: { $ne: change.key } };
  if (change.delta < 0) filter.pointsBalance = { $gte: -change.delta };
  const updated = await Member.findOneAndUpdate(
    filter,
    { $inc: { pointsBalance: change.delta }, $push: { pointKeys: { $each: [change.key], $slice: -KEYS_KEPT } } },
    { new: true, projection: { pointsBalance: 1 } },
  ).lean();

  let balance: number;
  let duplicate = false;
  if (updated) {
    balance = updated.pointsBalance ?? 0;
  } else {
    const member = await Member.findById(change.memberId, { pointsBalance: 1, pointKeys: 1 }).lean();
    if (!member) throw notFound('找不到這位會員。', 'member_not_found');
    if (!(member.pointKeys ?? []).includes(change.key)) {
      throw new AppError('insufficient_points', 409, `點數不足：目前有 ${member.pointsBalance ?? 0} 點，需要 ${-change.delta} 點。`);
    }
    // Applied before but the entry was never written (crash between the two writes): write it now.
    balance = member.pointsBalance ?? 0;
    duplicate = true;
  }
  const entry = await PointsEntry.findOneAndUpdate(
    { key: change.key },
    {
      $setOnInsert: {
        memberId: change.memberId, delta: change.delta, reason: change.reason, key: change.key, actor: change.actor ?? 'system',
        note: change.note, balanceAfter: balance, expiresAt: change.expiresAt ?? undefined, refs: change.refs ?? {}, at: change.now,
      },
    },
    { upsert: true, new: true },
  ).lean();
  return { balance, duplicate, entryId: String(entry!._id) };
}

async function currentBalance(memberId: Types.ObjectId | string): Promise<number | null> {
  const m = await Member.findById(memberId, { pointsBalance: 1 }).lean();
  return m ? (m.pointsBalance ?? 0) : null;
}

/** Ledger sum vs cached balance for every member (or one); returns the members that drifted. */
export async function findPointsDrift(memberId?: Types.ObjectId | string): Promise<Array<{ memberId: string; balance: number; ledger: number }>> {
  const match = memberId ? { memberId: typeof memberId === 'string' ? new (Member.base.Types.ObjectId)(memberId) : memberId } : {};
  const sums = await PointsEntry.aggregate<{ _id: Types.ObjectId; total: number }>([{ $match: match }, { $group: { _id: '$memberId', total: { $sum: '$delta' } } }]);
  const ledger = new Map(sums.map((s) => [String(s._id), s.total]));
  const members = await Member.find(memberId ? { _id: memberId } : {}, { pointsBalance: 1 }).lean();
  const drift: Array<{ memberId: string; balance: number; ledger: number }> = [];
  for (const m of members) {
    const sum = ledger.get(String(m._id)) ?? 0;
    if (sum !== (m.pointsBalance ?? 0)) drift.push({ memberId: String(m._id), balance: m.pointsBalance ?? 0, ledger: sum });
  }
  return drift;
}
