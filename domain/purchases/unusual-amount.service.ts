import type { Types } from 'mongoose';
import { Purchase } from '../../models/purchase.model';
import { formatMoney } from '../../shared/format';
import type { CounterSettings } from '../counter/counter-settings.schema';

/** How many recent orders make a "typical order" (median), and how few are too few to judge by. */
const RECENT_ORDERS = 10;
const MIN_ORDERS = 3;

export interface UnusualAmount {
  /** The typical order it was compared with (median of recent orders), NT$. */
  typical: number;
  /** amount ÷ typical, rounded. */
  times: number;
  basis: 'member' | 'store';
  /** The zh-TW question the counter shows before re-submitting with confirm:true. */
  message: string;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

async function recentAmounts(filter: Record<string, unknown>): Promise<number[]> {
  const rows = await Purchase.find({ ...filter, voidedAt: null }, { amount: 1, _id: 0 })
    .sort({ at: -1 })
    .limit(RECENT_ORDERS)
    .lean();
  return rows.map((r) => r.amount);
}

/**
 * Whether an amount is unusual: above the floor and more than `unusualMultiplier` × the member's typical order
 * (median of their last orders), or the store's when the member has too few orders. Null when it looks normal.
 * Served by the (memberId, at) and (storeId, at) indexes.
 */
export async function checkUnusualAmount(
  input: { memberId: Types.ObjectId | string; storeId?: string; amount: number },
  settings: CounterSettings,
): Promise<UnusualAmount | null> {
  if (input.amount <= settings.unusualFloor) return null;
  let basis: UnusualAmount['basis'] = 'member';
  let amounts = await recentAmounts({ memberId: input.memberId });
  if (amounts.length < MIN_ORDERS && input.storeId) {
    basis = 'store';
    amounts = await recentAmounts({ storeId: input.storeId });
  }
  if (amounts.length < MIN_ORDERS) return null;
  const typical = median(amounts);
  if (typical <= 0 || input.amount <= typical * settings.unusualMultiplier) return null;
  const times = Math.round(input.amount / typical);
  const who = basis === 'member' ? '這位會員' : '本門市';
  return {
    typical,
    times,
    basis,
    message: `這筆 ${formatMoney(input.amount)} 是${who}平常消費的 ${times} 倍，確定金額正確嗎？`,
  };
}
