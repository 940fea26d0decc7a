import { listCouponTemplates } from '../coupons';
import { readTemplateCouponFigures } from '../coupons/coupon-counters';
import { listJourneys } from '../journeys/journey.service';
import { lastMonths, monthsBetween } from './funnel';
import { couponReturnRatio, ratio, REVENUE_METRICS, storeIdOfKey } from './metrics';
import { revenueBucket } from './revenue-counters.service';
import { counterDay, numAt, programBucket, readBuckets } from './stat-counters.service';

export interface RevenueFigures {
  revenue: number;
  orders: number;
  aov: number;
  newRevenue: number;
  newOrders: number;
  returningRevenue: number;
  returningOrders: number;
}
export interface RevenueMonth extends RevenueFigures {
  month: string;
}
export interface RevenueStoreMonth extends RevenueFigures {
  month: string;
  /** null: orders without a store (online, or the POS sent none). */
  storeId: string | null;
}
export interface CouponReturnRow {
  templateId: string;
  title: string;
  used: number;
  /** Face value of the used coupons; null for percent-off coupons, whose cost depends on the order. */
  cost: number | null;
  /** Revenue of the orders that redeemed (metric `couponReturn`), and how many redemptions had an order amount. */
  revenue: number;
  withOrder: number;
  /** revenue ÷ cost (metric `couponReturnRatio`, domain/reports/metrics.ts `couponReturnRatio`). */
  returnRatio: number | null;
}
export interface JourneyRevenueRow {
  id: string;
  name: string;
  goals: number;
  revenue: number;
}
export interface RevenueReport {
  months: RevenueMonth[];
  stores: RevenueStoreMonth[];
  totals: RevenueFigures;
  buyers: number;
  repeatBuyers: number;
  repeatRate: number;
  pointsLiability: number;
  /** Credit (購物金) liability: the sum of every member's credit balance, the gauge the credit ledger moves. */
  creditLiability: number | null;
  coupons: CouponReturnRow[];
  journeys: JourneyRevenueRow[];
  definitions: Record<string, { label: string; definition: string }>;
}

const money = (v: number) => Math.round(v * 100) / 100;

function figures(n: Record<string, unknown> | undefined, prefix = ''): RevenueFigures {
  const revenue = money(numAt(n, `${prefix}r`));
  const orders = numAt(n, `${prefix}o`);
  const newRevenue = money(numAt(n, `${prefix}nr`));
  const newOrders = numAt(n, `${prefix}no`);
  return {
    revenue,
    orders,
    aov: orders > 0 ? Math.round(revenue / orders) : 0,
    newRevenue,
    newOrders,
    returningRevenue: money(revenue - newRevenue),
    returningOrders: orders - newOrders,
  };
}

function sum(rows: RevenueFigures[]): RevenueFigures {
  const t = rows.reduce(
    (a, r) => ({
      revenue: a.revenue + r.revenue,
      orders: a.orders + r.orders,
      newRevenue: a.newRevenue + r.newRevenue,
      newOrders: a.newOrders + r.newOrders,
    }),
    { revenue: 0, orders: 0, newRevenue: 0, newOrders: 0 },
  );
  return figures({ r: t.revenue, o: t.orders, nr: t.newRevenue, no: t.newOrders });
}

/**
 * The revenue dashboard over the months of [from, to] (program zone; the last 12 months when omitted), from the
 * counters: one read of the month buckets and the program gauges, one of the coupon templates' counters, one of
 * the journeys. Nothing here reads purchases, so the cost is the number of months, stores and templates shown.
 */
export async function getRevenueReport(opts: {
  from?: Date;
  to?: Date;
  now: Date;
  timeZone: string;
}): Promise<RevenueReport> {
  const toMonth = (counterDay(opts.to ?? opts.now) ?? '').slice(0, 7);
  const months = opts.from
    ? monthsBetween(counterDay(opts.from)!.slice(0, 7), toMonth)
    : lastMonths(opts.to ?? opts.now, 12, opts.timeZone);
  const [buckets, templates, journeys] = await Promise.all([
    readBuckets([programBucket, ...months.map(revenueBucket)]),
    listCouponTemplates({}),
    listJourneys(),
  ]);
  const monthRows = months.map((month) => ({ month, ...figures(buckets.get(revenueBucket(month))) }));
  const stores: RevenueStoreMonth[] = [];
  for (const month of months) {
    const s = (buckets.get(revenueBucket(month))?.s ?? {}) as Record<string, Record<string, unknown>>;
    const rows = Object.keys(s).map((key) => ({ month, storeId: storeIdOfKey(key), ...figures(s[key]) }));
    // By store id (code point order), orders without a store first.
    rows.sort((x, y) => ((x.storeId ?? '') < (y.storeId ?? '') ? -1 : 1));
    stores.push(...rows);
  }
  const p = buckets.get(programBucket);
  const buyers = numAt(p, 'buyers');
  const repeatBuyers = numAt(p, 'repeatBuyers');
  const used = await readTemplateCouponFigures(
    templates.map((t) => t.id),
    opts.now,
  );
  return {
    months: monthRows,
    stores: stores.filter((r) => r.orders || r.revenue),
    totals: sum(monthRows),
    buyers,
    repeatBuyers,
    repeatRate: ratio(repeatBuyers, buyers),
    pointsLiability: numAt(p, 'pointsOutstanding'),
    creditLiability: numAt(p, 'creditOutstanding'),
    coupons: templates
      .map((t) => {
        const f = used.get(t.id);
        const n = f?.used ?? 0;
        const cost = t.kind === 'amount' ? n * t.value : null;
        const revenue = money(f?.usedRevenue ?? 0);
        return {
          templateId: t.id,
          title: t.title,
          used: n,
          cost,
          revenue,
          withOrder: f?.usedWithOrder ?? 0,
          returnRatio: couponReturnRatio(revenue, cost),
        };
      })
      .filter((r) => r.used > 0),
    journeys: journeys.map((j) => ({ id: j.id, name: j.name, goals: j.stats.goal, revenue: j.stats.revenue })),
    definitions: REVENUE_METRICS,
  };
}
