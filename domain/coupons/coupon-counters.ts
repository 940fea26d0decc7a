import type { Types } from 'mongoose';
import { bump, numAt, readBuckets, templateBucket } from '../reports/stat-counters.service';

/**
 * The coupon side of the counters (`template:<id>` buckets): coupons used, and coupons active by their exact
 * end of validity (`active.u<ms>`; a template has one such instant per issue day, so few keys), so "active now"
 * and "expiring within 7 days" are sums over those keys instead of a scan of every coupon. Expiry needs no write:
 * a key whose instant has passed simply stops counting.
 */
export interface CountedCoupon {
  templateId: Types.ObjectId | string;
  validUntil: Date;
}

/**
 * A coupon became active (+1: issued, redemption reversed) or stopped being (-1: used, voided). A redemption
 * (used +1) or its reversal (used -1) with the order amount typed at the counter or sent by the POS also moves the
 * coupon's return (`usedRevenue`, `usedWithOrder`: the revenue of the orders that redeemed, #17.3), in the same
 * call the redemption's one conditional update makes, so exactly once.
 */
export async function countActiveCoupon(
  c: CountedCoupon,
  by: 1 | -1,
  used: -1 | 0 | 1 = 0,
  orderAmount?: number | null,
): Promise<void> {
  const withOrder = used !== 0 && typeof orderAmount === 'number' ? used : 0;
  await bump(templateBucket(c.templateId), {
    [`active.u${new Date(c.validUntil).getTime()}`]: by,
    used,
    ...(withOrder ? { usedRevenue: withOrder * orderAmount!, usedWithOrder: withOrder } : {}),
  });
}

export interface TemplateCouponFigures {
  active: number;
  expiringIn7Days: number;
  used: number;
  /** Order amounts of the redemptions that had one (the coupon's return), and how many had one. */
  usedRevenue: number;
  usedWithOrder: number;
}

/** Active, expiring within 7 days of `now`, and used coupons per template, from one read of their buckets. */
export async function readTemplateCouponFigures(
  templateIds: string[],
  now: Date,
): Promise<Map<string, TemplateCouponFigures>> {
  const buckets = await readBuckets(templateIds.map(templateBucket));
  const soon = now.getTime() + 7 * 86_400_000;
  const out = new Map<string, TemplateCouponFigures>();
  for (const id of templateIds) {
    const n = buckets.get(templateBucket(id));
    let active = 0;
    let expiring = 0;
    for (const [key, v] of Object.entries((n?.active ?? {}) as Record<string, number>)) {
      const until = Number(key.slice(1));
      if (until < now.getTime() || !v) continue;
      active += v;
      if (until <= soon) expiring += v;
    }
    out.set(id, {
      active,
      expiringIn7Days: expiring,
      used: numAt(n, 'used'),
      usedRevenue: numAt(n, 'usedRevenue'),
      usedWithOrder: numAt(n, 'usedWithOrder'),
    });
  }
  return out;
}
