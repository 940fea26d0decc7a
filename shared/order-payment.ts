/**
 * Paying part of an order with shopping credit (購物金) and points (點數折抵, #16.2–3): the per-order limits, as pure
 * functions shared by the server (which enforces them) and the counter page (which shows them live), so the two
 * cannot disagree. Browser-safe: nothing outside `shared/`.
 */

/** The settings' part these rules read (`credit` and `pointsPayment` of the program settings). */
export interface OrderPaymentRules {
  credit: { maxPerOrder: number | null; maxPercentOfOrder: number };
  pointsPayment: { enabled: boolean; pointsPerNtd: number; maxPercentOfOrder: number };
}

/** What the member can put on an order of `gross` NT$, given their balances; `credit` in NT$, `points` in points. */
export interface OrderPaymentLimits {
  credit: number;
  points: number;
  /** Points must be a multiple of this (the points worth NT$1). */
  pointsStep: number;
}

const floorPercent = (gross: number, percent: number) => Math.floor((Math.max(0, gross) * percent) / 100);

/**
 * The most credit and points one order of `gross` NT$ may use: each capped by its own settings (credit also by the
 * NT$ cap), by the member's balance, and together never above the order. `used` is what the other one already
 * takes (so the counter's second input shrinks as the first grows).
 */
export function orderPaymentLimits(
  gross: number,
  rules: OrderPaymentRules,
  balances: { credit: number; points: number },
  used: { credit?: number; points?: number } = {},
): OrderPaymentLimits {
  const step = rules.pointsPayment.pointsPerNtd;
  const whole = Math.floor(Math.max(0, gross));
  const pointsValueUsed = Math.floor((used.points ?? 0) / step);
  let credit = Math.min(floorPercent(gross, rules.credit.maxPercentOfOrder), Math.max(0, balances.credit));
  if (rules.credit.maxPerOrder !== null) credit = Math.min(credit, rules.credit.maxPerOrder);
  credit = Math.max(0, Math.min(credit, whole - pointsValueUsed));
  const pointsNtd = rules.pointsPayment.enabled
    ? Math.min(
        floorPercent(gross, rules.pointsPayment.maxPercentOfOrder),
        Math.floor(Math.max(0, balances.points) / step),
        whole - (used.credit ?? 0),
      )
    : 0;
  return { credit, points: Math.max(0, pointsNtd) * step, pointsStep: step };
}

/** NT$ that `points` are worth at the settings' rate (points are a multiple of the step, so this is whole). */
export function pointsValueOf(points: number, rules: OrderPaymentRules): number {
  return Math.floor(points / rules.pointsPayment.pointsPerNtd);
}

/** What is left to pay in money, NT$ with at most two decimals. */
export function netToPay(gross: number, credit: number, pointsValue: number): number {
  return Math.round((gross - credit - pointsValue) * 100) / 100;
}
