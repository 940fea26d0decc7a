import { listCampaigns } from '../campaigns/campaign.service';
import { statsFromCounters } from '../campaigns/campaign-stats.service';
import { listCouponTemplates } from '../coupons';
import { readTemplateCouponFigures } from '../coupons/coupon-counters';
import { campaignBucket, readBuckets } from './stat-counters.service';

export interface ActiveCouponRow {
  templateId: string;
  title: string;
  valueLabel: string;
  active: number;
  expiringIn7Days: number;
  issued: number;
  used: number;
  redemptionRate: number;
}

/**
 * Coupons members hold and can use right now, per template, with how many expire within a week (a nudge
 * campaign candidate) and the template's redemption rate so far. From the template counters
 * (domain/coupons/coupon-counters.ts): one read for all templates.
 */
export async function getActiveCouponSummary(now: Date): Promise<ActiveCouponRow[]> {
  const templates = await listCouponTemplates({});
  const figures = await readTemplateCouponFigures(
    templates.map((t) => t.id),
    now,
  );
  return templates
    .map((t) => ({ t, f: figures.get(t.id) }))
    .filter(({ t, f }) => t.status === 'active' || (f?.active ?? 0) > 0)
    .map(({ t, f }) => ({
      templateId: t.id,
      title: t.title,
      valueLabel: t.valueLabel,
      active: f?.active ?? 0,
      expiringIn7Days: f?.expiringIn7Days ?? 0,
      issued: t.issuedCount,
      used: t.usedCount,
      redemptionRate: t.issuedCount ? Math.round((t.usedCount / t.issuedCount) * 1000) / 1000 : 0,
    }))
    .sort((a, b) => b.active - a.active);
}

export interface CampaignResultRow {
  id: string;
  name: string;
  status: string;
  statusLabel: string;
  lastRunAt: Date | null;
  nextRunAt: Date | null;
  audience: number;
  sent: number;
  failed: number;
  clicks: number;
  couponRedemptions: number;
  attributedRevenue: number;
  attributedPurchases: number;
}

/** The latest campaigns with their outcome, for the dashboard's campaign table: one read of their counters. */
export async function getRecentCampaignResults(limit = 8): Promise<CampaignResultRow[]> {
  const { items } = await listCampaigns({ page: 1, pageSize: limit });
  const buckets = await readBuckets(items.map((c) => campaignBucket(c.id)));
  return items.map((c) => {
    const s = statsFromCounters(c.id, buckets.get(campaignBucket(c.id)), { attributionDays: 0, links: [] });
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      statusLabel: c.statusLabel,
      lastRunAt: c.lastRunAt,
      nextRunAt: c.nextRunAt,
      audience: s.audience,
      sent: s.sent,
      failed: s.failed,
      clicks: s.clicks,
      couponRedemptions: s.couponRedemptions,
      attributedRevenue: s.attributedPurchases.revenue,
      attributedPurchases: s.attributedPurchases.count,
    };
  });
}
