import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { Purchase, type PurchaseDoc } from '../../models/purchase.model';
import { countPurchaseAttribution } from '../campaigns/campaign-counters.service';
import { countPurchaseRevenue } from '../reports/revenue-counters.service';
import { recordInteraction } from '../interactions/interaction.service';
import { isValidObjectId } from 'mongoose';
import { conflict, notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { changePoints } from '../points/points.service';
import { formatMoney } from '../../shared/format';
import { RefundInputSchema } from './purchase-input';
import { applyStatsChange } from './purchase-member.service';
import { applyPurchaseToStats } from './purchase-stats.service';
import { returnPayment } from './purchase-payment.service';
import { getProgramSettings } from '../program/settings.service';
import { grantEarnedCredit } from '../credit/credit.service';

export interface RefundResult {
  purchaseId: string;
  orderId: string;
  refundId: string;
  amount: number;
  refundedTotal: number;
  status: 'completed' | 'partially_refunded' | 'refunded';
  /** Points taken back for this refund (proportional; a full refund takes back exactly what was earned). */
  pointsReversed: number;
  /**
   * Of `pointsReversed`, the points the member had already spent (on a coupon, say): taken back all the same, as a
   * debt that leaves the balance below zero until new earnings repay it.
   */
  pointsShortfall: number;
  /** The balance after the refund; negative while a refund debt is outstanding. */
  pointsBalance: number;
  /** Credit (NT$) and paid points given back with this refund, in proportion to the gross refunded. */
  creditReturned: number;
  pointsReturned: number;
  creditBalance: number;
  /** NT$ of the money part given back as 購物金 (`refundAs: 'credit'`); 0 when refunded in money. */
  creditGranted: number;
  replayed: boolean;
}

/**
 * Refunds all or part of an order: records the refund on the purchase (once per refundId), takes back the
 * points earned in proportion (cumulative rounding, so partial refunds add up to exactly what was earned), and
 * corrects the member's spend statistics. A replay with the same refundId returns the same result.
 *
 * Points already spent are taken back anyway: no value that came from a refunded order stays with the member. The
 * balance goes below zero by the shortfall, a debt that the next earnings repay before anything else (the coupon
 * bought with those points stays valid; its points are owed). While the balance is negative nothing can be spent.
 */
export async function refundPurchase(
  input: unknown,
  ctx: { source: string; now: Date; actor?: string },
): Promise<RefundResult> {
  const v = parseOrThrow(RefundInputSchema, input);
  const creditSettings = (await getProgramSettings()).credit;
  if (v.refundAs === 'credit' && !creditSettings.refundAsCredit)
    throw validationError([{ path: 'refundAs', message: '尚未開啟「退款改發購物金」，請改用原付款方式退款' }]);
  for (let attempt = 0; attempt < 5; attempt++) {
    const p = (await Purchase.findOne({ source: ctx.source, orderId: v.orderId }).lean()) as PurchaseDoc | null;
    if (!p) throw notFound('找不到這筆訂單。', 'purchase_not_found');
    const prior = p.refunds.find((r) => r.refundId === v.refundId);
    if (prior) return applyRefundEffects(p, prior.refundId, { ...ctx, creditSettings }, true);
    // Its credit and points are still being taken (or the take was refused): nothing to give back yet.
    if (p.payment?.status === 'pending') throw conflict('purchase_busy', '這筆訂單還在處理中，請稍後再試。');
    const gross = grossOf(p);
    const refundedGross = refundedGrossOf(p);
    const remaining = round2(gross - refundedGross);
    if (remaining <= 0) throw conflict('purchase_already_refunded', '這筆訂單已全額退款。');
    const amount = v.amount ?? remaining;
    if (amount > remaining)
      throw validationError([{ path: 'amount', message: `退款金額不可超過尚未退款的 ${formatMoney(remaining)}` }]);
    const grossTotal = round2(refundedGross + amount);
    const full = grossTotal >= gross;
    // Everything proportional to the gross refunded, cumulatively rounded: partial refunds add up to the whole.
    const share = (whole: number, soFar: number, round: (n: number) => number) =>
      (full ? whole : round((whole * grossTotal) / gross)) - soFar;
    const sum = (f: (r: PurchaseDoc['refunds'][number]) => number | null | undefined) =>
      p.refunds.reduce((s, r) => s + (f(r) ?? 0), 0);
    const spendShare = round2(share(p.amount, p.refundedAmount, round2));
    const pointsReversed = share(
      p.pointsEarned,
      sum((r) => r.pointsReversed),
      Math.round,
    );
    const creditReturned = share(
      p.payment?.credit ?? 0,
      sum((r) => r.creditReturned),
      Math.round,
    );
    const pointsReturned = paidPointsShare(p, full, grossTotal / gross) - sum((r) => r.pointsReturned);
    const status = full ? 'refunded' : 'partially_refunded';
    // Optimistic on what was refunded: concurrent refunds of one order are applied one after the other.
    const recorded = await Purchase.updateOne(
      {
        _id: p._id,
        refundedAmount: p.refundedAmount,
        refundedGross: p.refundedGross ?? null,
        'refunds.refundId': { $ne: v.refundId },
      },
      {
        $push: {
          refunds: {
            refundId: v.refundId,
            amount: spendShare,
            grossAmount: amount,
            pointsReversed,
            creditReturned,
            pointsReturned,
            refundAs: v.refundAs,
            creditGranted: v.refundAs === 'credit' ? Math.round(spendShare) : 0,
            reason: v.reason,
            at: v.time ? new Date(v.time) : ctx.now,
            by: ctx.actor ?? 'system',
          },
        },
        $inc: { refundedAmount: spendShare },
        $set: {
          status,
          refundedGross: grossTotal,
          ...(status === 'refunded'
            ? { 'survey.status': p.survey?.status === 'pending' ? 'skipped' : (p.survey?.status ?? 'none') }
            : {}),
        },
      },
    );
    if (recorded.modifiedCount === 1) {
      const fresh = (await Purchase.findById(p._id).lean()) as PurchaseDoc;
      return applyRefundEffects(fresh, v.refundId, { ...ctx, creditSettings }, false);
    }
  }
  throw conflict('purchase_busy', '這筆訂單正在處理其他退款，請稍後再試。');
}

/**
 * A refund from the console (#16): the purchase by its id, all that is left or `amount` NT$ of its total, through
 * `refundPurchase` (so points, credit and paid points go back through their ledgers). The refund id is
 * `console-<key>`, so a double click or a retry refunds once. A voided purchase has nothing left to refund.
 */
export async function refundPurchaseById(
  input: { purchaseId: string; amount?: number; reason: string; refundAs: 'money' | 'credit'; key: string },
  ctx: { now: Date; actor: string },
): Promise<{ refund: RefundResult; purchase: PurchaseDoc }> {
  const found = isValidObjectId(input.purchaseId)
    ? ((await Purchase.findById(input.purchaseId).lean()) as PurchaseDoc | null)
    : null;
  if (!found) throw notFound('找不到這筆消費。', 'purchase_not_found');
  if (found.voidedAt) throw conflict('purchase_voided', '這筆消費已作廢，無法退款。');
  const refund = await refundPurchase(
    {
      orderId: found.orderId,
      refundId: `console-${input.key}`,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      reason: input.reason,
      refundAs: input.refundAs,
    },
    { source: found.source, now: ctx.now, actor: ctx.actor },
  );
  const purchase = (await Purchase.findById(found._id).lean()) as PurchaseDoc;
  return { refund, purchase };
}

async function applyRefundEffects(
  p: PurchaseDoc,
  refundId: string,
  ctx: { now: Date; actor?: string; creditSettings: { refundValidDays: number } },
  replayed: boolean,
): Promise<RefundResult> {
  const refund = p.refunds.find((r) => r.refundId === refundId)!;
  const key = `refund:${p.source}:${p.orderId}:${refundId}`;
  const full = refundedGrossOf(p) >= grossOf(p) && p.refunds[p.refunds.length - 1]?.refundId === refundId;
  const applied = await applyStatsChange(p.memberId, key, { count: full ? -1 : 0, spend: -refund.amount });
  if (applied) {
    await countPurchaseAttribution(p, { count: full ? -1 : 0, revenue: -refund.amount });
    await countPurchaseRevenue(p, { count: full ? -1 : 0, revenue: -refund.amount }, applied.firstPurchaseAt);
  }
  await applyPurchaseToStats(p);
  // The paid credit and points come back first, so an earned-points take-back leaves as small a debt as it can.
  await returnPayment(
    p,
    `refund-pay:${p.source}:${p.orderId}:${refundId}`,
    refund.creditReturned ?? 0,
    refund.pointsReturned ?? 0,
    ctx,
  );
  const { reversed, shortfall } = await reversePoints(p, key, refund.pointsReversed ?? 0, ctx);
  // Refund as credit: one lot per refund key, so a replay (or a retry after a crash) grants nothing more.
  await grantEarnedCredit({
    memberId: p.memberId,
    amount: refund.creditGranted ?? 0,
    validDays: ctx.creditSettings.refundValidDays,
    reason: 'refund',
    key: `refund-credit:${p.source}:${p.orderId}:${refundId}`,
    now: ctx.now,
    note: `退款改發購物金（訂單 ${p.orderId}）`,
    actor: ctx.actor,
    refs: { purchaseId: String(p._id), orderId: p.orderId, refundId },
  });
  await recordInteraction({
    memberId: p.memberId,
    type: 'refund',
    channel: p.source === 'console' ? 'console' : 'pos',
    at: ctx.now,
    key,
    summary: `退款 ${formatMoney(refund.amount)}（訂單 ${p.orderId}），扣回 ${reversed} 點${shortfall ? `，其中 ${shortfall} 點已使用，列為待扣回點數，之後累積的點數會先抵扣` : ''}`,
    refs: { purchaseId: String(p._id), orderId: p.orderId, refundId },
  });
  const member = await Member.findById(p.memberId, { pointsBalance: 1, creditBalance: 1 }).lean();
  return {
    purchaseId: String(p._id),
    orderId: p.orderId,
    refundId,
    amount: refund.grossAmount ?? refund.amount,
    refundedTotal: refundedGrossOf(p),
    status: p.status as RefundResult['status'],
    pointsReversed: reversed,
    pointsShortfall: shortfall,
    pointsBalance: member?.pointsBalance ?? 0,
    creditReturned: refund.creditReturned ?? 0,
    pointsReturned: refund.pointsReturned ?? 0,
    creditBalance: member?.creditBalance ?? 0,
    creditGranted: refund.creditGranted ?? 0,
    replayed,
  };
}

/**
 * Takes back `points` in one entry that may overdraw the balance (`allowDebt`): the part the balance did not cover
 * is the shortfall, now owed. Keyed by the refund, so a replay reads the first result back from the ledger.
 */
async function reversePoints(
  p: PurchaseDoc,
  key: string,
  points: number,
  ctx: { now: Date; actor?: string },
): Promise<{ reversed: number; shortfall: number }> {
  if (points <= 0) return { reversed: 0, shortfall: 0 };
  const r = await changePoints({
    memberId: p.memberId,
    reason: 'reversal',
    key,
    now: ctx.now,
    actor: ctx.actor,
    refs: { purchaseId: String(p._id), orderId: p.orderId },
    delta: -points,
    allowDebt: true,
    note: `退款扣回（訂單 ${p.orderId}）`,
  });
  const entry = await PointsEntry.findOne({ key }, { delta: 1, balanceAfter: 1 }).lean();
  const reversed = -(entry?.delta ?? -points);
  const after = r.duplicate ? (entry?.balanceAfter ?? r.balance) : r.balance;
  return { reversed, shortfall: Math.min(reversed, Math.max(0, -after)) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
/** Orders recorded before #16.2 have no gross: their amount was the total. */
const grossOf = (p: PurchaseDoc) => p.grossAmount ?? p.amount;
const refundedGrossOf = (p: PurchaseDoc) => p.refundedGross ?? p.refundedAmount;

/** Paid points to have returned after refunding `fraction` of the gross: whole NT$ steps, so the rate holds. */
function paidPointsShare(p: PurchaseDoc, full: boolean, fraction: number): number {
  const points = p.payment?.points ?? 0;
  if (full || points === 0) return points;
  const value = p.payment?.pointsValue || points;
  return Math.round(value * fraction) * (points / value);
}
