import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { summarizeBuys, type BuysSummary, type PurchaseForBuys } from './purchase-buys';

/**
 * Per-member purchase aggregates for segments (#17.1), kept on the member (`buys`) so that every purchase condition
 * is one indexed predicate of the audience query. They are recomputed from the member's own purchases (the
 * `memberId, at` index) rather than incremented: a recompute is a function of the stored purchases, so running it
 * twice for the same purchase, refund or void (a replay, a retry after a crash) leaves exactly the same figures;
 * the aggregates change once per change of the purchases, never twice. Concurrent recomputes for one member are
 * ordered by `buys.v` (when the purchases were read): an older read never overwrites a newer one.
 */

const BUYS_PROJECTION = { amount: 1, refundedAmount: 1, status: 1, voidedAt: 1, items: 1, storeId: 1, at: 1 };

/** Recomputes one member's `buys` from their purchases; returns what was written (or a newer one was kept). */
export async function recomputeMemberBuys(memberId: Types.ObjectId | string): Promise<BuysSummary> {
  const readAt = new Date();
  const purchases = (await Purchase.find({ memberId }, BUYS_PROJECTION).lean()) as PurchaseForBuys[];
  const buys = summarizeBuys(purchases);
  await Member.updateOne(
    { _id: memberId, $or: [{ 'buys.v': null }, { 'buys.v': { $lte: readAt } }] },
    { $set: { buys: { ...buys, v: readAt } } },
  );
  return buys;
}

/**
 * The one call of a purchase or a refund (domain/purchases/purchase.service.ts, purchase-refund.service.ts): the
 * purchase's member's aggregates, recomputed.
 */
export async function applyPurchaseToStats(purchase: { memberId: Types.ObjectId }): Promise<void> {
  await recomputeMemberBuys(purchase.memberId);
}

/**
 * `npm run purchases:rebuild-stats`: recomputes `buys` for every member who has purchases (members without any
 * are cleared), in batches by member id. Safe to run at any time: each member is a recompute from source.
 */
export async function rebuildPurchaseStats(opts: { batch?: number } = {}): Promise<{ members: number }> {
  const batch = opts.batch ?? 500;
  let members = 0;
  let after: Types.ObjectId | null = null;
  for (;;) {
    const filter: Record<string, unknown> = after ? { _id: { $gt: after } } : {};
    const rows: Array<{ _id: Types.ObjectId }> = await Member.find(filter, { _id: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean();
    if (rows.length === 0) break;
    for (const r of rows) await recomputeMemberBuys(r._id);
    members += rows.length;
    after = rows[rows.length - 1]._id;
  }
  return { members };
}
