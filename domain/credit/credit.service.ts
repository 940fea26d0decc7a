import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { CreditEntry, type CreditReason } from '../../models/credit-entry.model';
import { PointsEntry } from '../../models/points-entry.model';
import { AppError, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { bump, programBucket } from '../reports/stat-counters.service';
import { duePoints, remainingLots, soonestExpiring, type Lot } from '../points/points-lots';

const log = moduleLogger('credit');
/** How many recent keys ride on the member document; older repeats are caught by the ledger's unique key. */
const KEYS_KEPT = 200;
const LOOKBACK_MS = 400 * 86_400_000;

export interface CreditChange {
  memberId: Types.ObjectId | string;
  /** NT$ integer: positive to grant, negative to spend. */
  delta: number;
  reason: CreditReason;
  /** Idempotency key; a repeat returns the first result and changes nothing. */
  key: string;
  actor?: string;
  note?: string;
  expiresAt?: Date | null;
  refs?: Record<string, unknown>;
  now: Date;
  /** Optimistic guard (expiry job): apply only if the balance is still exactly this. */
  expectedBalance?: number;
}
export interface CreditResult {
  balance: number;
  duplicate: boolean;
  entryId: string;
}

function insufficient(balance: number, need: number): AppError {
  return new AppError('insufficient_credit', 409, `購物金不足：目前有 NT$${balance}，需要 NT$${need}。`);
}

/**
 * Changes a member's credit balance and appends the ledger entry, idempotently (the pattern of `changePoints`):
 * the balance moves only in one conditional findOneAndUpdate that also records the key, so a spend that would go
 * negative fails with `insufficient_credit` and changes nothing, and a retry after a crash only writes the entry.
 */
export async function changeCredit(change: CreditChange): Promise<CreditResult> {
  if (!Number.isInteger(change.delta) || change.delta === 0)
    throw new AppError('invalid_credit', 400, '購物金金額必須是不為零的整數。');
  const existing = await CreditEntry.findOne({ key: change.key }).lean();
  if (existing)
    return { balance: (await creditBalanceOf(change.memberId)) ?? 0, duplicate: true, entryId: String(existing._id) };
  const filter: Record<string, unknown> = { _id: change.memberId, creditKeys: { $ne: change.key } };
  if (change.delta < 0) filter.creditBalance = { $gte: -change.delta };
  if (change.expectedBalance !== undefined) {
    if (change.expectedBalance + change.delta < 0) throw insufficient(change.expectedBalance, -change.delta);
    filter.creditBalance = change.expectedBalance;
  }
  const updated = await Member.findOneAndUpdate(
    filter,
    { $inc: { creditBalance: change.delta }, $push: { creditKeys: { $each: [change.key], $slice: -KEYS_KEPT } } },
    { returnDocument: 'after', projection: { creditBalance: 1 } },
  ).lean();
  let balance: number;
  let duplicate = false;
  if (updated) {
    balance = updated.creditBalance ?? 0;
    // The credit liability gauge moves with the balance, once (only the write that applied the change gets here).
    if (change.delta) await bump(programBucket, { creditOutstanding: change.delta });
  } else {
    const member = await Member.findById(change.memberId, { creditBalance: 1, creditKeys: 1 }).lean();
    if (!member) throw notFound('找不到這位會員。', 'member_not_found');
    if (!(member.creditKeys ?? []).includes(change.key)) {
      if (change.expectedBalance !== undefined && (member.creditBalance ?? 0) !== change.expectedBalance)
        throw new AppError('credit_balance_changed', 409, '購物金剛剛有異動，請重新整理後再試一次。');
      throw insufficient(member.creditBalance ?? 0, -change.delta);
    }
    balance = member.creditBalance ?? 0;
    duplicate = true;
  }
  const entry = await writeCreditEntry(change, balance);
  return { balance, duplicate, entryId: String(entry._id) };
}

async function writeCreditEntry(change: Omit<CreditChange, 'expectedBalance'>, balance: number) {
  const entry = await CreditEntry.findOneAndUpdate(
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
  return entry!;
}

export interface OrderPayment {
  memberId: Types.ObjectId | string;
  /** NT$ of credit to spend (≥ 0). */
  credit: number;
  /** Points to pay with (≥ 0). */
  points: number;
  /** One key for both ledgers (`pay:<source>:<orderId>:<purchaseId>`). */
  key: string;
  actor?: string;
  note: string;
  refs: Record<string, unknown>;
  now: Date;
}

/** 「購物金餘額不足」: the zh-TW refusal of a spend the balance does not cover (counter, ingest). */
export function creditShortfall(balance: number, need: number): AppError {
  return new AppError('insufficient_credit', 409, `購物金餘額不足：目前有 NT$${balance}，本筆要用 NT$${need}。`);
}
export function pointsShortfall(balance: number, need: number): AppError {
  return new AppError('insufficient_points', 409, `點數不足：目前有 ${balance} 點，本筆要折抵 ${need} 點。`);
}

/**
 * Takes an order's credit and points together in ONE conditional update of the member (both balances must cover
 * the payment, and the key must be new), then writes the two ledger entries under the same key. So either both
 * are taken or neither; a replay (same key) takes nothing more — found by the ledgers first (the member keeps only
 * its latest keys), then by the member's keys (a crash after the update and before the entries: they are written
 * now). Not enough → 409 zh-TW, nothing changes. The points liability gauge moves once, with the update.
 */
export async function payOrderWithCreditAndPoints(
  p: OrderPayment,
): Promise<{ creditBalance: number; pointsBalance: number; duplicate: boolean }> {
  if (!Number.isInteger(p.credit) || !Number.isInteger(p.points) || p.credit < 0 || p.points < 0)
    throw new AppError('invalid_payment', 400, '購物金與點數折抵必須是不小於 0 的整數。');
  if (p.credit === 0 && p.points === 0) throw new AppError('invalid_payment', 400, '沒有要折抵的購物金或點數。');
  const [creditEntry, pointsEntry] = await Promise.all([
    p.credit ? CreditEntry.exists({ key: p.key }) : null,
    p.points ? PointsEntry.exists({ key: p.key }) : null,
  ]);
  let duplicate = Boolean(creditEntry || pointsEntry);
  let balances: { creditBalance?: number | null; pointsBalance?: number | null } | null = null;
  if (!duplicate) {
    const filter: Record<string, unknown> = { _id: p.memberId };
    const push: Record<string, unknown> = {};
    if (p.credit) {
      filter.creditKeys = { $ne: p.key };
      filter.creditBalance = { $gte: p.credit };
      push.creditKeys = { $each: [p.key], $slice: -KEYS_KEPT };
    }
    if (p.points) {
      filter.pointKeys = { $ne: p.key };
      filter.pointsBalance = { $gte: p.points };
      push.pointKeys = { $each: [p.key], $slice: -KEYS_KEPT };
    }
    balances = await Member.findOneAndUpdate(
      filter,
      { $inc: { creditBalance: -p.credit, pointsBalance: -p.points }, $push: push },
      { returnDocument: 'after', projection: { creditBalance: 1, pointsBalance: 1 } },
    ).lean();
    // Both liability gauges move with the one write that took the payment.
    if (balances)
      await bump(programBucket, {
        ...(p.credit ? { creditOutstanding: -p.credit } : {}),
        ...(p.points ? { pointsOutstanding: -p.points } : {}),
      });
  }
  if (!balances) {
    const m = await Member.findById(p.memberId, {
      creditBalance: 1,
      pointsBalance: 1,
      creditKeys: 1,
      pointKeys: 1,
    }).lean();
    if (!m) throw notFound('找不到這位會員。', 'member_not_found');
    const taken = p.credit ? (m.creditKeys ?? []).includes(p.key) : (m.pointKeys ?? []).includes(p.key);
    if (!duplicate && !taken) {
      if (p.credit > (m.creditBalance ?? 0)) throw creditShortfall(m.creditBalance ?? 0, p.credit);
      throw pointsShortfall(m.pointsBalance ?? 0, p.points);
    }
    duplicate = true;
    balances = m;
  }
  const creditBalance = balances.creditBalance ?? 0;
  const pointsBalance = balances.pointsBalance ?? 0;
  const base = { memberId: p.memberId, key: p.key, actor: p.actor, note: p.note, refs: p.refs, now: p.now };
  if (p.credit) await writeCreditEntry({ ...base, delta: -p.credit, reason: 'spend' }, creditBalance);
  if (p.points)
    await PointsEntry.updateOne(
      { key: p.key },
      {
        $setOnInsert: {
          memberId: p.memberId,
          delta: -p.points,
          reason: 'payment',
          key: p.key,
          actor: p.actor ?? 'system',
          note: p.note,
          balanceAfter: pointsBalance,
          refs: p.refs,
          at: p.now,
        },
      },
      { upsert: true },
    );
  return { creditBalance, pointsBalance, duplicate };
}

export async function creditBalanceOf(memberId: Types.ObjectId | string): Promise<number | null> {
  const m = await Member.findById(memberId, { creditBalance: 1 }).lean();
  return m ? (m.creditBalance ?? 0) : null;
}

/** Ledger sum vs cached balance; returns the members that drifted (and lots that do not add up to the balance). */
export async function findCreditDrift(): Promise<
  Array<{ memberId: string; balance: number; ledger: number; lots: number }>
> {
  const sums = await CreditEntry.aggregate<{ _id: Types.ObjectId; total: number }>([
    { $group: { _id: '$memberId', total: { $sum: '$delta' } } },
  ]);
  const ledger = new Map(sums.map((s) => [String(s._id), s.total]));
  const drift: Array<{ memberId: string; balance: number; ledger: number; lots: number }> = [];
  const members = await Member.find({}, { creditBalance: 1 }).lean();
  for (const m of members) {
    const balance = m.creditBalance ?? 0;
    const sum = ledger.get(String(m._id)) ?? 0;
    const lots = sum !== 0 ? (await loadCreditLots(m._id)).reduce((s, l) => s + l.remaining, 0) : 0;
    if (sum !== balance || lots !== balance || balance < 0)
      drift.push({ memberId: String(m._id), balance, ledger: sum, lots });
  }
  return drift;
}

export async function loadCreditLots(memberId: Types.ObjectId | string): Promise<Lot[]> {
  const entries = await CreditEntry.find({ memberId }, { delta: 1, at: 1, expiresAt: 1 }).lean();
  return remainingLots(entries.map((e) => ({ delta: e.delta, at: e.at, expiresAt: e.expiresAt ?? null })));
}

/** Balance and the next lot to expire, for the card 「購物金 NT$120（NT$50 將於 12/31 到期）」. */
export async function getCreditSummary(
  memberId: Types.ObjectId | string,
  now: Date,
  /** The member's `creditBalance` when the caller has already read it (saves a round trip). */
  knownBalance?: number | null,
): Promise<{ balance: number; expiring: { amount: number; expiresAt: Date } | null }> {
  const balance = (knownBalance !== undefined ? knownBalance : await creditBalanceOf(memberId)) ?? 0;
  if (balance <= 0) return { balance, expiring: null };
  const next = soonestExpiring(await loadCreditLots(memberId), now);
  return { balance, expiring: next ? { amount: next.points, expiresAt: next.expiresAt } : null };
}

/**
 * Expires what remains of every credit lot due by `now` (soonest first). Idempotent: the key names the member and
 * the latest expiry taken, and a second run finds nothing due; a balance moving meanwhile is retried, then deferred.
 */
export async function expireDueCredit(now: Date): Promise<{ members: number; amount: number; deferred: number }> {
  const out = { members: 0, amount: 0, deferred: 0 };
  const ids = await CreditEntry.aggregate<{ _id: Types.ObjectId }>([
    { $match: { delta: { $gt: 0 }, expiresAt: { $gte: new Date(now.getTime() - LOOKBACK_MS), $lte: now } } },
    { $group: { _id: '$memberId' } },
  ]);
  for (const { _id: memberId } of ids) {
    let done = false;
    for (let attempt = 0; attempt < 3 && !done; attempt++) {
      const m = await Member.findById(memberId, { creditBalance: 1 }).lean();
      const entries = await CreditEntry.find({ memberId }, { delta: 1, at: 1, expiresAt: 1 }).lean();
      const sum = entries.reduce((s, e) => s + e.delta, 0);
      if (!m || sum !== (m.creditBalance ?? 0)) continue;
      const due = duePoints(
        remainingLots(entries.map((e) => ({ delta: e.delta, at: e.at, expiresAt: e.expiresAt ?? null }))),
        now,
      );
      done = true;
      if (due.points <= 0) break;
      try {
        const r = await changeCredit({
          memberId,
          delta: -due.points,
          reason: 'expire',
          key: `credit-expire:${memberId}:${due.latestExpiry!.toISOString()}`,
          now,
          note: `購物金到期（${due.latestExpiry!.toISOString().slice(0, 10)}）`,
          expectedBalance: sum,
        });
        if (!r.duplicate) {
          out.members++;
          out.amount += due.points;
        }
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== 'credit_balance_changed' && err.code !== 'insufficient_credit'))
          throw err;
        done = false;
      }
    }
    if (!done) {
      out.deferred++;
      log.info({ memberId: String(memberId) }, 'credit balance kept changing; expiry deferred to the next run');
    }
  }
  return out;
}

/** When credit granted now for `days` expires: the last instant of that day count (ms precision). */
export function creditExpiry(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

export interface CreditGrant {
  memberId: Types.ObjectId | string;
  /** NT$ integer ≥ 0; 0 grants nothing (a program whose credit part is switched off). */
  amount: number;
  validDays: number;
  reason: CreditReason;
  /** Idempotency key: one grant per key, whoever retries. */
  key: string;
  now: Date;
  note: string;
  actor?: string;
  refs?: Record<string, unknown>;
}

/**
 * Grants earned credit (referral, birthday, journey, refund, tier gift) as one lot that expires `validDays` after
 * `now`, exactly once per key. Returns null when the amount is 0, else the ledger result and the lot's expiry.
 */
export async function grantEarnedCredit(
  g: CreditGrant,
): Promise<(CreditResult & { amount: number; expiresAt: Date }) | null> {
  if (g.amount <= 0) return null;
  const expiresAt = creditExpiry(g.now, g.validDays);
  const r = await changeCredit({
    memberId: g.memberId,
    delta: g.amount,
    reason: g.reason,
    key: g.key,
    now: g.now,
    note: g.note,
    actor: g.actor,
    refs: g.refs,
    expiresAt,
  });
  return { ...r, amount: g.amount, expiresAt };
}
