import { Types } from 'mongoose';
import { Campaign, CampaignRun } from '../../models/campaign.model';
import { Coupon } from '../../models/coupon.model';
import { Delivery } from '../../models/delivery.model';
import { Interaction } from '../../models/interaction.model';
import { Purchase } from '../../models/purchase.model';
import { TrackedLink } from '../../models/tracked-link.model';
import { notFound } from '../shared/errors';
import { isObjectId } from '../../shared/ids';
import { campaignBucket, numAt, readBuckets } from '../reports/stat-counters.service';
import type { Messenger } from '../messaging/messenger';
import { type AbVerdict, metricDefinition, pickWinner, rateOf, WINNER_RULE } from './ab-test';
import { AB_VARIANT_KEYS, type AbMetric, type AbTest } from './campaign.schema';
import { campaignUnitOf } from './campaign-render.service';
import { variantPath } from './campaign-counters.service';

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
  links: Array<{ id: string; url: string; clicks: number; variant?: string }>;
  couponsIssued: number;
  couponRedemptions: number;
  attributionDays: number;
  /** Purchases by recipients within `attributionDays` after their push. */
  attributedPurchases: { count: number; buyers: number; revenue: number };
  /** The A/B test's figures per variant and its verdict; null for a campaign without variants. */
  ab: AbStats | null;
  /** LINE's own figures (insight API, the campaign's aggregation unit); null when not asked. */
  line: CampaignLineFigures | null;
}

export interface VariantStats {
  variant: string;
  share: number;
  sent: number;
  clicks: number;
  uniqueClickers: number;
  /** Click rate as the definition says (0–1). */
  clickRate: number;
  buyers: number;
  purchases: number;
  revenue: number;
  purchaseRate: number;
}

export interface AbStats {
  metric: AbMetric;
  /** zh-TW: what the metric's rate is, and when a winner is named. */
  definition: string;
  rule: string;
  variants: VariantStats[];
  verdict: AbVerdict;
}

/**
 * LINE's figures for the campaign: delivered = the recipients LINE accepted the sends for (our record of its
 * answers; the insight API has no per-unit delivery count), unique impressions and clicks from LINE's insight API
 * (null where LINE gives none: fewer than 20 people). `available` false when LINE could not be asked.
 */
export interface CampaignLineFigures {
  unit: string;
  available: boolean;
  delivered: number;
  uniqueImpression: number | null;
  uniqueClick: number | null;
  period: { from: string; to: string };
}

/**
 * Outcome of a campaign, read from its counters (`campaign:<id>`, kept by campaign-counters.service.ts) and its
 * tracked links: a few documents whatever the audience size.
 */
export async function getCampaignStats(
  campaignId: string,
  line?: { messenger: Messenger; now: Date },
): Promise<CampaignStats> {
  if (!isObjectId(campaignId)) throw notFound('找不到這個活動。', 'campaign_not_found');
  const campaign = await Campaign.findById(campaignId, { options: 1, ab: 1 }).lean();
  if (!campaign) throw notFound('找不到這個活動。', 'campaign_not_found');
  const cid = new Types.ObjectId(campaignId);
  const [buckets, links, firstRun] = await Promise.all([
    readBuckets([campaignBucket(campaignId)]),
    TrackedLink.find({ campaignId: cid }, { url: 1, clicks: 1, variant: 1 }).lean(),
    CampaignRun.findOne({ campaignId: cid }, { plannedAt: 1 }).sort({ plannedAt: 1 }).lean(),
  ]);
  const stats = statsFromCounters(campaignId, buckets.get(campaignBucket(campaignId)), {
    attributionDays: campaign.options?.attributionDays ?? 7,
    links: links.map((l) => ({
      id: String(l._id),
      url: l.url,
      clicks: l.clicks ?? 0,
      ...(l.variant ? { variant: l.variant } : {}),
    })),
    ab: campaign.ab ?? null,
    perMember: campaign.options?.linkTracking === 'member',
  });
  if (line && firstRun)
    stats.line = await lineFigures(line.messenger, campaignId, stats.sent, firstRun.plannedAt, line.now);
  return stats;
}

/** LINE counts days in Japan's calendar (UTC+9); one insight question covers at most 30 days. */
const JST_MS = 9 * 3_600_000;
const lineDay = (d: Date) => new Date(d.getTime() + JST_MS).toISOString().slice(0, 10).replace(/-/g, '');

/** The 30 days from the campaign's first occurrence (or up to today when that is sooner), in LINE's calendar. */
export function campaignLinePeriod(firstAt: Date, now: Date): { from: string; to: string } {
  const end = Math.min(now.getTime(), firstAt.getTime() + 29 * DAY_MS);
  return { from: lineDay(firstAt), to: lineDay(new Date(Math.max(end, firstAt.getTime()))) };
}

async function lineFigures(
  messenger: Messenger,
  campaignId: string,
  delivered: number,
  firstAt: Date,
  now: Date,
): Promise<CampaignLineFigures> {
  const unit = campaignUnitOf(campaignId);
  const period = campaignLinePeriod(firstAt, now);
  try {
    const s = await messenger.getUnitStatistics(unit, period.from, period.to);
    return {
      unit,
      available: true,
      delivered,
      uniqueImpression: s.uniqueImpression,
      uniqueClick: s.uniqueClick,
      period,
    };
  } catch {
    return { unit, available: false, delivered, uniqueImpression: null, uniqueClick: null, period };
  }
}

/** The per-variant figures (`v.<letter>` in the bucket) and the verdict of the test's metric. */
function abStatsOf(n: Record<string, unknown> | undefined, ab: AbTest, perMember: boolean): AbStats {
  const variants = ab.variants.map((v, i): VariantStats => {
    const key = AB_VARIANT_KEYS[i];
    const at = (figure: string) => numAt(n, variantPath(key, figure));
    const sent = at('sent');
    const uniqueClickers = at('uniqueClickers');
    const clicks = at('clicks');
    const buyers = at('buyers');
    return {
      variant: key,
      share: v.share,
      sent,
      clicks,
      uniqueClickers,
      clickRate: rateOf({ sent, successes: perMember ? uniqueClickers : clicks }),
      buyers,
      purchases: at('count'),
      revenue: at('revenue'),
      purchaseRate: rateOf({ sent, successes: buyers }),
    };
  });
  const verdict = pickWinner(
    variants.map((v) => ({
      variant: v.variant,
      sent: v.sent,
      successes: ab.metric === 'purchase_rate' ? v.buyers : perMember ? v.uniqueClickers : v.clicks,
    })),
  );
  return {
    metric: ab.metric,
    definition: metricDefinition(ab.metric, perMember),
    rule: WINNER_RULE,
    variants,
    verdict,
  };
}

/** The figures of a campaign bucket (`n`), in the shape of the stats page. */
export function statsFromCounters(
  campaignId: string,
  n: Record<string, unknown> | undefined,
  extra: { attributionDays: number; links: CampaignStats['links']; ab?: AbTest | null; perMember?: boolean },
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
    ab: extra.ab ? abStatsOf(n, extra.ab, extra.perMember === true) : null,
    line: null,
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
  /** The A/B figures as the counters hold them (`v.<letter>.<figure>`), for the rebuild. */
  variantCounters: Record<string, Record<string, number>>;
}

export async function scanCampaignStats(campaignId: string): Promise<ScannedCampaign> {
  if (!isObjectId(campaignId)) throw notFound('找不到這個活動。', 'campaign_not_found');
  const campaign = await Campaign.findById(campaignId, { options: 1 }).lean();
  if (!campaign) throw notFound('找不到這個活動。', 'campaign_not_found');
  const cid = new Types.ObjectId(campaignId);
  const deliveries = await Delivery.find(
    { campaignId: cid },
    { memberId: 1, status: 1, reason: 1, sentAt: 1, variant: 1, _id: 0 },
  ).lean();
  const v: Record<string, Record<string, number>> = {};
  const addV = (variant: string | null | undefined, figure: string, by: number) => {
    if (!variant || !by) return;
    v[variant] = v[variant] ?? {};
    v[variant][figure] = (v[variant][figure] ?? 0) + by;
  };
  const variantOfMember = new Map<string, string | undefined>();
  const counts = { sent: 0, failed: 0, pending: 0, cancelled: 0 } as Record<string, number>;
  const skipped: Record<string, number> = {};
  const firstSent = new Map<string, number>();
  for (const d of deliveries) {
    if (d.status === 'skipped') skipped[d.reason ?? 'other'] = (skipped[d.reason ?? 'other'] ?? 0) + 1;
    else counts[d.status] = (counts[d.status] ?? 0) + 1;
    if (d.status === 'sent') addV(d.variant, 'sent', 1);
    if (d.status === 'sent' && d.sentAt) {
      const key = String(d.memberId);
      const at = new Date(d.sentAt).getTime();
      if (!firstSent.has(key) || at < firstSent.get(key)!) {
        firstSent.set(key, at);
        variantOfMember.set(key, d.variant ?? undefined);
      }
    }
  }
  const totalSkipped = Object.values(skipped).reduce((a, b) => a + b, 0);
  const links = await TrackedLink.find({ campaignId: cid }, { url: 1, clicks: 1, variant: 1 }).lean();
  const clickers = await Interaction.find(
    { type: 'click', 'refs.campaignId': campaignId, memberId: { $ne: null } },
    { memberId: 1, refs: 1, _id: 0 },
  ).lean();
  const linkVariant = new Map(links.map((l) => [String(l._id), l.variant ?? undefined]));
  for (const l of links) addV(l.variant, 'clicks', l.clicks ?? 0);
  const counted = new Set<string>();
  for (const c of clickers) {
    const variant = linkVariant.get(String((c.refs as { linkId?: string } | undefined)?.linkId ?? ''));
    if (!variant || counted.has(String(c.memberId))) continue;
    counted.add(String(c.memberId));
    addV(variant, 'uniqueClickers', 1);
  }
  const prefix = `campaign:${campaignId}:`;
  const coupons = await Coupon.find({ key: { $regex: `^${prefix}` } }, { status: 1, _id: 0 }).lean();
  const attributionDays = campaign.options?.attributionDays ?? 7;
  const clickerIds = [...new Set(clickers.map((c) => String(c.memberId)))];
  const { buyerCounts, buyerRevenue, ...attributed } = await attributedPurchases(firstSent, attributionDays);
  for (const [m, count] of buyerCounts) {
    addV(variantOfMember.get(m), 'buyers', 1);
    addV(variantOfMember.get(m), 'count', count);
    addV(variantOfMember.get(m), 'revenue', buyerRevenue.get(m) ?? 0);
  }
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
    ab: null,
    line: null,
    clickerIds,
    buyerCounts,
    variantCounters: v,
  };
}

async function attributedPurchases(
  firstSent: Map<string, number>,
  days: number,
): Promise<
  CampaignStats['attributedPurchases'] & { buyerCounts: Map<string, number>; buyerRevenue: Map<string, number> }
> {
  const ids = [...firstSent.keys()];
  let count = 0;
  let revenue = 0;
  const buyers = new Map<string, number>();
  const buyerRevenue = new Map<string, number>();
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
      const m = String(p.memberId);
      buyerRevenue.set(m, (buyerRevenue.get(m) ?? 0) + (p.amount ?? 0) - (p.refundedAmount ?? 0));
      buyers.set(String(p.memberId), (buyers.get(String(p.memberId)) ?? 0) + 1);
    }
  }
  return { count, buyers: buyers.size, revenue, buyerCounts: buyers, buyerRevenue };
}
