import type { Types } from 'mongoose';
import { Purchase, type PurchaseDoc } from '../../models/purchase.model';
import { notFound } from '../shared/errors';
import { getProgramSettings } from '../program/settings.service';

/** A purchase as the console and the member card show it (JSON-ready). */
export interface PurchaseView {
  id: string;
  source: string;
  orderId: string;
  amount: number;
  netAmount: number;
  /** The order's total, and what of it was paid with credit and points (#16.2–3). */
  grossAmount: number;
  creditUsed: number;
  pointsUsed: number;
  pointsValue: number;
  netPaid: number;
  storeId: string | null;
  channel: string;
  at: string;
  status: string;
  /** Set when staff voided it (#16.5); its refund `void` reversed everything. */
  voided: boolean;
  /** NT$ of the order's total refunded so far (of `grossAmount`). */
  refundedGross: number;
  pointsEarned: number;
  items: Array<{ name: string; category: string | null; quantity: number; amount: number }>;
  refunds: Array<{
    refundId: string;
    amount: number;
    pointsReversed: number;
    creditReturned: number;
    pointsReturned: number;
    at: string | null;
  }>;
}

export function toPurchaseView(p: PurchaseDoc): PurchaseView {
  return {
    id: String(p._id),
    source: p.source,
    orderId: p.orderId,
    amount: p.amount,
    netAmount: Math.round((p.amount - (p.refundedAmount ?? 0)) * 100) / 100,
    grossAmount: p.grossAmount ?? p.amount,
    creditUsed: p.payment?.credit ?? 0,
    pointsUsed: p.payment?.points ?? 0,
    pointsValue: p.payment?.pointsValue ?? 0,
    netPaid: p.netPaid ?? p.amount,
    storeId: p.storeId ?? null,
    channel: p.channel ?? 'store',
    at: p.at.toISOString(),
    status: p.status ?? 'completed',
    voided: Boolean(p.voidedAt),
    refundedGross: p.refundedGross ?? p.refundedAmount ?? 0,
    pointsEarned: p.pointsEarned ?? 0,
    items: (p.items ?? []).map((i) => ({
      name: i.name,
      category: i.category ?? null,
      quantity: i.quantity ?? 1,
      amount: i.amount,
    })),
    refunds: (p.refunds ?? []).map((r) => ({
      refundId: r.refundId,
      amount: r.amount,
      pointsReversed: r.pointsReversed ?? 0,
      creditReturned: r.creditReturned ?? 0,
      pointsReturned: r.pointsReturned ?? 0,
      at: r.at ? r.at.toISOString() : null,
    })),
  };
}

/** A member's purchases, newest first, paged. */
export async function listMemberPurchases(
  memberId: Types.ObjectId | string,
  opts: { page?: number; pageSize?: number } = {},
): Promise<{ items: PurchaseView[]; total: number; page: number; pageSize: number }> {
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const pageSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 20)));
  const [docs, total] = await Promise.all([
    Purchase.find({ memberId })
      .sort({ at: -1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    Purchase.countDocuments({ memberId }),
  ]);
  return { items: docs.map((d) => toPurchaseView(d as PurchaseDoc)), total, page, pageSize };
}

/**
 * The member page's 消費紀錄 (#16): the member's orders, and whether a refund may be given back as 購物金
 * (settings `credit.refundAsCredit`), so the refund dialog offers it only then.
 */
export async function listMemberPurchasesForRefund(
  memberId: Types.ObjectId | string,
  opts: { page?: number; pageSize?: number } = {},
): Promise<Awaited<ReturnType<typeof listMemberPurchases>> & { refundAsCredit: boolean }> {
  const [page, settings] = await Promise.all([listMemberPurchases(memberId, opts), getProgramSettings()]);
  return { ...page, refundAsCredit: settings.credit.refundAsCredit };
}

/** One order by (source, orderId); 404 when unknown. */
export async function getPurchase(source: string, orderId: string): Promise<PurchaseView> {
  const p = await Purchase.findOne({ source, orderId }).lean();
  if (!p) throw notFound('找不到這筆訂單。', 'purchase_not_found');
  return toPurchaseView(p as PurchaseDoc);
}
