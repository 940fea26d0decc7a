import { Coupon } from '../../models/coupon.model';
import { CreditEntry } from '../../models/credit-entry.model';
import { Member } from '../../models/member.model';
import { PointsApproval } from '../../models/points-approval.model';
import { PointsEntry } from '../../models/points-entry.model';
import { Purchase } from '../../models/purchase.model';
import type { ConsoleRole } from '../../models/console-user.model';
import { zonedDate, zonedTimeToUtc } from '../shared/clock';
import { badRequest } from '../shared/errors';
import { can } from '../staff/roles';
import { formatMoney, formatNumber } from '../../shared/format';
import { UNDO_WINDOW_MS } from './counter-redeem.service';

type RawRow = Omit<CounterTodayRow, 'member'> & { memberId: string };

/** +NT$200 / −NT$50: a manual 購物金 change as the day's list shows it. */
const creditDelta = (delta: number) => `${delta > 0 ? '+' : '−'}${formatMoney(Math.abs(delta))}`;

/** 「，購物金 NT$100、點數 200 點」: what of an order was paid with credit and points (#16.2–3), or nothing. */
function paidWith(pay: { credit?: number | null; points?: number | null } | null | undefined): string {
  const parts = [
    pay?.credit ? `購物金 ${formatMoney(pay.credit)}` : '',
    pay?.points ? `點數 ${formatNumber(pay.points)} 點` : '',
  ].filter(Boolean);
  return parts.length ? `，${parts.join('、')}折抵` : '';
}

/** Rows per kind: a busy store's day, bounded so the list never grows with history. */
const PER_KIND = 200;

export interface CounterTodayRow {
  kind: 'purchase' | 'redemption' | 'adjustment';
  id: string;
  at: string;
  member: { id: string; memberCode: string; name: string } | null;
  /** zh-TW one-line description: 消費 NT$1,280、使用「滿千折百」、+500 點（補點）. */
  label: string;
  amount: number | null;
  points: number | null;
  status: 'done' | 'voided' | 'refunded' | 'pending' | 'rejected';
  canVoid: boolean;
  canUndo: boolean;
}

/**
 * The store's counter transactions of today (program time zone), newest first: purchases, coupon redemptions and
 * manual points and 購物金 adjustments (applied or held for approval), with the void / undo the viewer may do on each.
 * Each kind is one indexed range query on (store, time).
 */
export async function listCounterToday(input: {
  storeId: string | undefined;
  user: { id: string; role: ConsoleRole };
  now: Date;
  timeZone: string;
}): Promise<{ storeId: string; date: string; rows: CounterTodayRow[] }> {
  if (!input.storeId) throw badRequest('store_required', '請先選擇門市。');
  const storeId = input.storeId;
  const date = zonedDate(input.now, input.timeZone);
  const from = zonedTimeToUtc(date, '00:00', input.timeZone);
  const range = { $gte: from, $lt: new Date(from.getTime() + 86_400_000) };
  const [purchases, coupons, entries, creditEntries, approvals] = await Promise.all([
    Purchase.find({ storeId, at: range }).sort({ at: -1 }).limit(PER_KIND).lean(),
    Coupon.find({ usedStoreId: storeId, usedAt: range }).sort({ usedAt: -1 }).limit(PER_KIND).lean(),
    PointsEntry.find({ reason: 'manual', at: range, 'refs.storeId': storeId }).sort({ at: -1 }).limit(PER_KIND).lean(),
    CreditEntry.find({ reason: 'manual', at: range, 'refs.storeId': storeId }).sort({ at: -1 }).limit(PER_KIND).lean(),
    PointsApproval.find({ storeId, requestedAt: range, status: { $ne: 'approved' } })
      .sort({ requestedAt: -1 })
      .limit(PER_KIND)
      .lean(),
  ]);
  const rows: RawRow[] = [
    ...purchases.map((p) => ({
      kind: 'purchase' as const,
      id: String(p._id),
      at: p.at.toISOString(),
      memberId: String(p.memberId),
      label: `消費 ${formatMoney(p.grossAmount ?? p.amount)}${paidWith(p.payment)}${p.orderId && !p.orderId.startsWith('counter-') ? `（${p.orderId}）` : ''}`,
      amount: p.grossAmount ?? p.amount,
      points: p.pointsEarned,
      status: p.voidedAt ? ('voided' as const) : p.status === 'refunded' ? ('refunded' as const) : ('done' as const),
      canVoid: !p.voidedAt && p.status !== 'refunded',
      canUndo: false,
    })),
    ...coupons.map((c) => ({
      kind: 'redemption' as const,
      id: String(c._id),
      at: c.usedAt!.toISOString(),
      memberId: String(c.memberId),
      label: `使用「${c.title}」${c.redeemOrderAmount ? `（訂單 ${formatMoney(c.redeemOrderAmount)}）` : ''}`,
      amount: c.redeemOrderAmount ?? null,
      points: null,
      status: 'done' as const,
      canVoid: false,
      canUndo:
        can(input.user.role, 'coupons.reverse') ||
        (c.redeemedBy === input.user.id && input.now.getTime() - c.usedAt!.getTime() <= UNDO_WINDOW_MS),
    })),
    ...entries.map((e) => ({
      kind: 'adjustment' as const,
      id: String(e._id),
      at: e.at.toISOString(),
      memberId: String(e.memberId),
      label: `${e.delta > 0 ? '+' : ''}${e.delta} 點（${e.note ?? ''}）`,
      amount: null,
      points: e.delta,
      status: 'done' as const,
      canVoid: false,
      canUndo: false,
    })),
    ...creditEntries.map((e) => ({
      kind: 'adjustment' as const,
      id: String(e._id),
      at: e.at.toISOString(),
      memberId: String(e.memberId),
      label: `${creditDelta(e.delta)} 購物金（${e.note ?? ''}）`,
      amount: null,
      points: null,
      status: 'done' as const,
      canVoid: false,
      canUndo: false,
    })),
    ...approvals.map((a) => ({
      kind: 'adjustment' as const,
      id: String(a._id),
      at: a.requestedAt.toISOString(),
      memberId: String(a.memberId),
      label: `${a.kind === 'credit' ? `${creditDelta(a.delta)} 購物金` : `${a.delta > 0 ? '+' : ''}${a.delta} 點`}（${a.reason}）${a.status === 'pending' ? '，待管理員核准' : '，已退回'}`,
      amount: null,
      points: a.kind === 'credit' ? null : a.delta,
      status: a.status === 'pending' ? ('pending' as const) : ('rejected' as const),
      canVoid: false,
      canUndo: false,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const members = await Member.find(
    { _id: { $in: [...new Set(rows.map((r) => r.memberId))] } },
    { memberCode: 1, displayName: 1, name: 1 },
  ).lean();
  const byId = new Map(members.map((m) => [String(m._id), m]));
  return {
    storeId,
    date,
    rows: rows.map(({ memberId, ...r }) => {
      const m = byId.get(memberId);
      return {
        ...r,
        member: m ? { id: memberId, memberCode: m.memberCode, name: m.name || m.displayName || '' } : null,
      };
    }),
  };
}
