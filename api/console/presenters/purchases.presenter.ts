import type { RefundResult } from '../../../domain/purchases/purchase-refund.service';
import { toPurchaseView, type PurchaseView } from '../../../domain/purchases/purchase-view.service';
import type { PurchaseDoc } from '../../../models/purchase.model';
import type { MemberPurchasePage, MemberPurchaseRow, PurchaseRefundResult } from '../../contracts/console-views';

/** One order as the member page lists it, with what is still refundable (#16). */
export function presentMemberPurchase(v: PurchaseView): MemberPurchaseRow {
  const status = (['partially_refunded', 'refunded'] as const).find((s) => s === v.status) ?? 'completed';
  return {
    id: v.id,
    orderId: v.orderId,
    source: v.source,
    at: v.at,
    storeId: v.storeId,
    grossAmount: v.grossAmount,
    creditUsed: v.creditUsed,
    pointsUsed: v.pointsUsed,
    netPaid: v.netPaid,
    pointsEarned: v.pointsEarned,
    status,
    voided: v.voided,
    refundable: v.voided ? 0 : Math.max(0, Math.round((v.grossAmount - v.refundedGross) * 100) / 100),
    refunds: v.refunds.map((r) => ({
      refundId: r.refundId,
      amount: r.amount,
      creditReturned: r.creditReturned,
      pointsReturned: r.pointsReturned,
      at: r.at,
    })),
  };
}

export function presentMemberPurchases(page: {
  items: PurchaseView[];
  total: number;
  page: number;
  pageSize: number;
  refundAsCredit: boolean;
}): MemberPurchasePage {
  return { ...page, items: page.items.map(presentMemberPurchase) };
}

export function presentPurchaseRefund(out: { refund: RefundResult; purchase: PurchaseDoc }): PurchaseRefundResult {
  const r = out.refund;
  return {
    refund: {
      amount: r.amount,
      status: r.status,
      pointsReversed: r.pointsReversed,
      pointsShortfall: r.pointsShortfall,
      creditReturned: r.creditReturned,
      pointsReturned: r.pointsReturned,
      creditGranted: r.creditGranted,
      pointsBalance: r.pointsBalance,
      creditBalance: r.creditBalance,
      replayed: r.replayed,
    },
    purchase: presentMemberPurchase(toPurchaseView(out.purchase)),
  };
}
