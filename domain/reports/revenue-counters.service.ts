import type { Types } from 'mongoose';
import { Purchase } from '../../models/purchase.model';
import { isNewCustomerPurchase, monthOf, storeKey } from './metrics';
import { addTo, applyDelta, counterDay, type CounterDelta, programBucket } from './stat-counters.service';

/**
 * Revenue counters: one `revenue:YYYY-MM` bucket per month (program zone) with the net revenue and order count,
 * their new-customer part (definitions: domain/reports/metrics.ts) and the same per store, so the dashboard reads
 * one document per month shown instead of the purchases. Paths under `n`: `r` revenue, `o` orders, `nr`/`no`
 * new-customer revenue/orders, and `s.<storeKey>.{r,o,nr,no}`. Changed on purchase, refund and void, each call made
 * only by the caller that applied the change (the member's stats key, see purchase-member.service.ts), so a replay
 * adds nothing; `npm run stats:rebuild` recomputes them from the purchases.
 *
 * The one drift: a purchase back-dated before a member's first purchase moves their "first month"; purchases
 * already counted keep their class until the next rebuild.
 */
export const revenueBucket = (month: string) => `revenue:${month}`;

export interface RevenuePurchase {
  at: Date;
  storeId?: string | null;
}

/** Adds a revenue/order change of one purchase to `delta`. */
export function addRevenue(
  delta: CounterDelta,
  p: RevenuePurchase,
  change: { count: number; revenue: number },
  firstPurchaseAt: Date | null | undefined,
): void {
  const day = counterDay(p.at)!;
  const id = revenueBucket(monthOf(day));
  const isNew = isNewCustomerPurchase(day, counterDay(firstPurchaseAt ?? null));
  const s = `s.${storeKey(p.storeId)}`;
  for (const prefix of ['', `${s}.`]) {
    addTo(delta, id, `${prefix}r`, change.revenue);
    addTo(delta, id, `${prefix}o`, change.count);
    if (isNew) {
      addTo(delta, id, `${prefix}nr`, change.revenue);
      addTo(delta, id, `${prefix}no`, change.count);
    }
  }
}

/** Purchase (+1, +amount) or refund (0 or -1, -refunded): call once, when the member's stats change was applied. */
export async function countPurchaseRevenue(
  p: RevenuePurchase,
  change: { count: number; revenue: number },
  firstPurchaseAt: Date | null | undefined,
): Promise<void> {
  const delta: CounterDelta = new Map();
  addRevenue(delta, p, change, firstPurchaseAt);
  await applyDelta(delta);
}

/**
 * For the void flow (#17, H7): takes what is left of a purchase out of the revenue counters (its net amount, and
 * the order unless a full refund already took it out). Call once, from the write that voids the purchase.
 */
export async function countPurchaseVoid(
  p: RevenuePurchase & { amount: number; refundedAmount?: number | null; status?: string | null },
  firstPurchaseAt: Date | null | undefined,
): Promise<void> {
  const left = Math.round((p.amount - (p.refundedAmount ?? 0)) * 100) / 100;
  await countPurchaseRevenue(p, { count: p.status === 'refunded' ? 0 : -1, revenue: -left }, firstPurchaseAt);
}

/** Points balance change (the ledger's applied change): the outstanding points liability gauge. */
export function addPointsOutstanding(delta: CounterDelta, change: number): void {
  addTo(delta, programBucket, 'pointsOutstanding', change);
}

/** Credit balance change (the credit ledger's applied change): the outstanding credit liability gauge. */
export function addCreditOutstanding(delta: CounterDelta, change: number): void {
  addTo(delta, programBucket, 'creditOutstanding', change);
}

/**
 * Rebuild: every purchase's net revenue, classed by its member's first purchase (the earliest purchase on record,
 * as `stats.firstPurchaseAt` keeps it). Streams the purchases by member (index `memberId_1_at_-1`).
 */
export async function rebuildRevenue(delta: CounterDelta): Promise<number> {
  let count = 0;
  let member: string | null = null;
  let rows: Array<{
    at: Date;
    storeId?: string | null;
    amount: number;
    refundedAmount?: number | null;
    status?: string | null;
  }> = [];
  const flush = () => {
    if (!rows.length) return;
    const first = rows.reduce((min, r) => (r.at < min ? r.at : min), rows[0].at);
    for (const r of rows) {
      const revenue = Math.round((r.amount - (r.refundedAmount ?? 0)) * 100) / 100;
      addRevenue(delta, r, { count: r.status === 'refunded' ? 0 : 1, revenue }, first);
    }
    rows = [];
  };
  const cursor = Purchase.find({}, { memberId: 1, at: 1, storeId: 1, amount: 1, refundedAmount: 1, status: 1 })
    .sort({ memberId: 1, at: -1 })
    .lean<
      Array<{
        memberId: Types.ObjectId;
        at: Date;
        storeId?: string;
        amount: number;
        refundedAmount?: number;
        status?: string;
      }>
    >()
    .cursor({ batchSize: 1000 });
  for await (const p of cursor) {
    if (String(p.memberId) !== member) {
      flush();
      member = String(p.memberId);
    }
    rows.push(p);
    count++;
  }
  flush();
  return count;
}
