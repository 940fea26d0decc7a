import { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.model';
import { Coupon } from '../../models/coupon.model';
import { Delivery } from '../../models/delivery.model';
import { Interaction } from '../../models/interaction.model';
import { Purchase } from '../../models/purchase.model';
import { TrackedLink } from '../../models/tracked-link.model';
import { notFound } from '../shared/errors';
import { isObjectId } from '../../shared/ids';
import { campaignBucket, numAt, readBuckets } from '../reports/stat-counters.service';

const DAY_MS = 86_400_000;
const ID_CHUNK = 1000;

export interface CampaignStats {
  campaignId: string;
  /** Members the audience rule matched when frozen (all occurrences). */
  matched: number;
  /** Deliveries to send: matched minus those skipped at freeze time. */
  audience: number;
  sent: number;
  failed: number;
  pending: number;
  cancelled: number;
  skipped: Record<string, number>;
  /** Every open of a tracked link (anonymous for multicast sends). */
  clicks: number;
  /** Members whose click was attributed (per-member link tracking). */
  uniqueClickers: number;
  links: Array<{ id: string; url: string; clicks: number }>;
  couponsIssued: number;
  couponRedemptions: number;
  attributionDays: number;
  /** Purchases by recipients within `attributionDays` after their push. */
  attributedPurchases: { count: number; buyers: number; revenue: number };
}

/**
 * Outcome of a campaign, read from its counters (`campaign:<id>`, kept by campaign-counters.service.ts) and its
 * tracked links: a few documents whatever the audience size.
 */
export async function getCampaignStats(campaignId: string): Promise<CampaignStats> {
  if (!isObjectId(campaignId)) throw notFound('找不到這個活動。', 'campaign_not_found');
  const campaign = await Campaign.findById(campaignId, { options: 1 }).lean();
  if (!campaign) throw notFound('找不到這個活動。', 'campaign_not_found');
  const cid = new Types.ObjectId(campaignId);
  const [buckets, links] = await Promise.all([
    readBuckets([campaignBucket(campaignId)]),
    TrackedLink.find({ campaignId: cid }, { url: 1, clicks: 1 }).lean(),
  ]);
  return statsFromCounters(campaignId, buckets.get(campaignBucket(campaignId)), {
    attributionDays: campaign.options?.attributionDays ?? 7,
    links: links.map((l) => ({ id: String(l._id), url: l.url, clicks: l.clicks ?? 0 })),
  });
}

/** The figures of a campaign bucket (`n`), in the shape of the stats page. */
export function statsFromCounters(
  campaignId: string,
  n: Record<string, unknown> | undefined,
  extra: { attributionDays: number; links: CampaignStats['links'] },
): CampaignStats {
  const skipped: Record<string, number> = {};
  for (const [reason, v] of Object.entries((n?.skipped ?? {}) as Record<string, number>)) if (v) skipped[reason] = v;
  const matched = numAt(n, 'matched');
  return {
    campaignId,
    matched,
    audience: matched - Object.values(skipped).reduce((a, b) => a + b, 0),
    sent: numAt(n, 'sent'),
    failed: numAt(n, 'failed'),
    pending: numAt(n, 'pending'),
    cancelled: numAt(n, 'cancelled'),
    skipped,
    clicks: numAt(n, 'clicks'),
    uniqueClickers: numAt(n, 'uniqueClickers'),
    links: extra.links,
    couponsIssued: numAt(n, 'couponsIssued'),
    couponRedemptions: numAt(n, 'couponRedemptions'),
    attributionDays: extra.attributionDays,
    attributedPurchases: {
      count: numAt(n, 'attributed.count'),
      buyers: numAt(n, 'attributed.buyers'),
      revenue: numAt(n, 'attributed.revenue'),
    },
  };
}

/**
 * Outcome of a campaign from its own records: deliveries (audience, sent, failed, skipped by reason), tracked
 * links (clicks), coupons issued under the campaign's keys, and purchases made by recipients within the
 * attribution window after the push reached them. A scan over everything the campaign touched: only
 * `npm run stats:rebuild` runs it (domain/reports/stat-rebuild.service.ts), the pages read the counters.
 */
/** What the scan finds beyond the figures: who clicked and how many attributed purchases each buyer has. */
export interface ScannedCampaign extends CampaignStats {
  clickerIds: string[];
  buyerCounts: Map<string, number>;
}

export async function scanCampaignStats(campaignId: string): Promise<ScannedCampaign> {
  if (!isObjectId(campaignId)) throw notFound('找不到這個活動。', 'campaign_not_found');
  const campaign = await Campaign.findById(campaignId, { options: 1 }).lean();
  if (!campaign) throw notFound('找不到這個活動。', 'campaign_not_found');
  const cid = new Types.ObjectId(campaignId);
  const deliveries = await Delivery.find(
    { campaignId: cid },
    { memberId: 1, status: 1, reason: 1, sentAt: 1, _id: 0 },
  ).lean();
  const counts = { sent: 0, failed: 0, pending: 0, cancelled: 0 } as Record<string, number>;
  const skipped: Record<string, number> = {};
  const firstSent = new Map<string, number>();
  for (const d of deliveries) {
    if (d.status === 'skipped') skipped[d.reason ?? 'other'] = (skipped[d.reason ?? 'other'] ?? 0) + 1;
    else counts[d.status] = (counts[d.status] ?? 0) + 1;
    if (d.status === 'sent' && d.sentAt) {
      const key = String(d.memberId);
      const at = new Date(d.sentAt).getTime();
      if (!firstSent.has(key) || at < firstSent.get(key)!) firstSent.set(key, at);
    }
  }
  const totalSkipped = Object.values(skipped).reduce((a, b) => a + b, 0);
  const links = await TrackedLink.find({ campaignId: cid }, { url: 1, clicks: 1 }).lean();
  const clickers = await Interaction.find(
    { type: 'click', 'refs.campaignId': campaignId, memberId: { $ne: null } },
    { memberId: 1, _id: 0 },
  ).lean();
  const prefix = `campaign:${campaignId}:`;
  const coupons = await Coupon.find({ key: { $regex: `^${prefix}` } }, { status: 1, _id: 0 }).lean();
  const attributionDays = campaign.options?.attributionDays ?? 7;
  const clickerIds = [...new Set(clickers.map((c) => String(c.memberId)))];
  const { buyerCounts, ...attributed } = await attributedPurchases(firstSent, attributionDays);
  return {
    campaignId,
    matched: deliveries.length,
    audience: deliveries.length - totalSkipped,
    sent: counts.sent,
    failed: counts.failed,
    pending: counts.pending,
    cancelled: counts.cancelled,
    skipped,
    clicks: links.reduce((sum, l) => sum + (l.clicks ?? 0), 0),
    uniqueClickers: clickerIds.length,
    links: links.map((l) => ({ id: String(l._id), url: l.url, clicks: l.clicks ?? 0 })),
    couponsIssued: coupons.length,
    couponRedemptions: coupons.filter((c) => c.status === 'used').length,
    attributionDays,
    attributedPurchases: attributed,
    clickerIds,
    buyerCounts,
  };
}

async function attributedPurchases(
  firstSent: Map<string, number>,
  days: number,
): Promise<CampaignStats['attributedPurchases'] & { buyerCounts: Map<string, number> }> {
  const ids = [...firstSent.keys()];
  let count = 0;
  let revenue = 0;
  const buyers = new Map<string, number>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    const times = chunk.map((id) => firstSent.get(id)!);
    const from = new Date(Math.min(...times));
    const to = new Date(Math.max(...times) + days * DAY_MS);
    const purchases = await Purchase.find(
      {
        memberId: { $in: chunk.map((id) => new Types.ObjectId(id)) },
        at: { $gte: from, $lte: to },
        status: { $ne: 'refunded' },
      },
      { memberId: 1, at: 1, amount: 1, refundedAmount: 1, _id: 0 },
    ).lean();
    for (const p of purchases) {
      const sentAt = firstSent.get(String(p.memberId))!;
      const at = new Date(p.at).getTime();
      if (at < sentAt || at > sentAt + days * DAY_MS) continue;
      count += 1;
      revenue += (p.amount ?? 0) - (p.refundedAmount ?? 0);
      buyers.set(String(p.memberId), (buyers.get(String(p.memberId)) ?? 0) + 1);
    }
  }
  return { count, buyers: buyers.size, revenue, buyerCounts: buyers };
}
