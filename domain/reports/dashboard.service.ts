import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { getCampaignStats, listCampaigns } from '../campaigns/campaign.service';
import { listCouponTemplates } from '../coupons';

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
 * campaign candidate) and the template's redemption rate so far.
 */
export async function getActiveCouponSummary(now: Date): Promise<ActiveCouponRow[]> {
  const soon = new Date(now.getTime() + 7 * 86_400_000);
  const rows = await Coupon.aggregate<{ _id: Types.ObjectId; active: number; soon: number }>([
    { $match: { status: 'active', validUntil: { $gte: now } } },
    {
      $group: {
        _id: '$templateId',
        active: { $sum: 1 },
        soon: { $sum: { $cond: [{ $lte: ['$validUntil', soon] }, 1, 0] } },
      },
    },
  ]);
  const byTemplate = new Map(rows.map((r) => [String(r._id), r]));
  const templates = await listCouponTemplates({});
  return templates
    .filter((t) => t.status === 'active' || byTemplate.has(t.id))
    .map((t) => {
      const r = byTemplate.get(t.id);
      return {
        templateId: t.id,
        title: t.title,
        valueLabel: t.valueLabel,
        active: r?.active ?? 0,
        expiringIn7Days: r?.soon ?? 0,
        issued: t.issuedCount,
        used: t.usedCount,
        redemptionRate: t.issuedCount ? Math.round((t.usedCount / t.issuedCount) * 1000) / 1000 : 0,
      };
    })
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

/** The latest campaigns with their outcome, for the dashboard's campaign table. */
export async function getRecentCampaignResults(limit = 8): Promise<CampaignResultRow[]> {
  const { items } = await listCampaigns({ page: 1, pageSize: limit });
  const out: CampaignResultRow[] = [];
  for (const c of items) {
    const s = await getCampaignStats(c.id);
    out.push({
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
    });
  }
  return out;
}
