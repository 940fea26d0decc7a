import { CREDIT_BALANCE_LABEL } from '../../shared/vocabulary';

/**
 * Every revenue figure of the dashboard, defined once: the key the API and console use, the zh-TW label, and the
 * definition the console shows as a tooltip. The counters (domain/reports/revenue-counters.service.ts) and the
 * report (domain/reports/revenue.ts) follow these definitions; change a definition here and in those two only.
 */
export const REVENUE_METRICS = {
  revenue: {
    label: '會員營收',
    definition: '會員訂單金額合計，扣除退款（依消費時間所在月份，台灣時間）。',
  },
  orders: {
    label: '訂單數',
    definition: '會員訂單筆數；整筆退款的訂單不計。',
  },
  aov: {
    label: '平均客單價',
    definition: '會員營收 ÷ 訂單數。',
  },
  repeatRate: {
    label: '回購率',
    definition: '消費過 2 次以上的會員 ÷ 消費過的會員（目前所有會員，不含已刪除或已合併）。',
  },
  newRevenue: {
    label: '新客營收',
    definition: '會員第一次消費所在月份內的訂單金額：該月是這位會員的首購月，就算新客。',
  },
  returningRevenue: {
    label: '舊客營收',
    definition: '會員首購月之後的月份的訂單金額。',
  },
  pointsLiability: {
    label: '流通在外點數',
    definition: '所有會員目前的點數餘額合計（含退款造成的待扣回負餘額）。',
  },
  creditLiability: {
    label: CREDIT_BALANCE_LABEL,
    definition: `所有會員目前的${CREDIT_BALANCE_LABEL}合計。`,
  },
  couponCost: {
    label: '優惠券成本',
    definition: '已使用優惠券的面額合計。',
  },
  couponReturn: {
    label: '優惠券帶來的營收',
    definition: '核銷優惠券時輸入或由 POS 傳來的訂單金額合計（沒有訂單金額的核銷不計入）。',
  },
  couponReturnRatio: {
    label: '投資報酬倍數',
    definition: '優惠券帶來的營收 ÷ 優惠券成本；百分比折扣券的成本依訂單而定，不計算倍數。',
  },
  consentedFriends: {
    label: '同意行銷訊息',
    definition: '加入過好友且同意接收行銷訊息的會員，與漏斗的「同意行銷訊息」相同；匯入但尚未加入好友的會員另計。',
  },
} as const;
export type RevenueMetricKey = keyof typeof REVENUE_METRICS;

/** `YYYY-MM` of a `YYYY-MM-DD` day. */
export const monthOf = (day: string) => day.slice(0, 7);

/**
 * A purchase is "new customer" revenue when it falls in the month (program zone) of the member's first purchase;
 * otherwise it is returning-customer revenue. The one rule for both the live counters and the rebuild.
 */
export function isNewCustomerPurchase(purchaseDay: string, firstPurchaseDay: string | null): boolean {
  return !firstPurchaseDay || monthOf(purchaseDay) === monthOf(firstPurchaseDay);
}

/** Store ids as counter keys: `.` and `$` cannot be in a Mongo field name; no store → `_`. */
export function storeKey(storeId: string | null | undefined): string {
  if (!storeId) return '_';
  return encodeURIComponent(storeId).replace(/\./g, '%2E');
}
export function storeIdOfKey(key: string): string | null {
  return key === '_' ? null : decodeURIComponent(key);
}

export const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

/**
 * A coupon template's return (#17.3): revenue of the orders that redeemed its coupons ÷ the face value of the used
 * coupons, to 2 decimals; null when the cost is unknown (percent-off coupons) or nothing (0).
 */
export function couponReturnRatio(revenue: number, cost: number | null): number | null {
  return cost ? Math.round((revenue / cost) * 100) / 100 : null;
}
