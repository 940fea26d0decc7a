import { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.model';
import { Coupon } from '../../models/coupon.model';
import { Delivery } from '../../models/delivery.model';
import { Member } from '../../models/member.model';
import { StatCounter, StatMarker } from '../../models/stat-counter.model';
import { scanCampaignStats } from '../campaigns/campaign-stats.service';
import { addContribution, contributionOf, COUNTED_FIELDS, type CountedMember } from './member-counters.service';
import { addCreditOutstanding, addPointsOutstanding, rebuildRevenue } from './revenue-counters.service';
import { addTo, campaignBucket, type CounterDelta, kindOf, templateBucket } from './stat-counters.service';

const BATCH = 1000;

export interface RebuildResult {
  members: number;
  campaigns: number;
  buckets: number;
  markers: number;
}

/**
 * `npm run stats:rebuild`: recomputes every counter from the records — the members one by one (what each adds:
 * `contributionOf`, the rule the live updates use too) and each campaign by scanning its deliveries, links,
 * interactions, coupons and purchases (`scanCampaignStats`, the code the stats page ran before counters), the
 * monthly revenue from the purchases (`rebuildRevenue`) and the points liability from the balances — and
 * replaces the counters and markers with the result. Run it after an upgrade that adds counters, after restoring
 * a backup, or when a crash may have lost an increment; while it runs, events may be counted twice or not at all,
 * so run it when the program is quiet (or run it again).
 */
export async function rebuildStatCounters(): Promise<RebuildResult> {
  const delta: CounterDelta = new Map();
  const members = await rebuildMembers(delta);
  await rebuildCoupons(delta);
  await rebuildRevenue(delta);
  const markers: Array<Record<string, unknown>> = [];
  const campaignIds = (await Campaign.find({}, { _id: 1 }).lean()).map((c) => String(c._id));
  const campaignDocs = [];
  for (const id of campaignIds) {
    const s = await scanCampaignStats(id);
    campaignDocs.push({
      _id: campaignBucket(id),
      kind: 'campaign',
      n: {
        matched: s.matched,
        pending: s.pending,
        sent: s.sent,
        failed: s.failed,
        cancelled: s.cancelled,
        skipped: s.skipped,
        clicks: s.clicks,
        uniqueClickers: s.uniqueClickers,
        couponsIssued: s.couponsIssued,
        couponRedemptions: s.couponRedemptions,
        attributed: s.attributedPurchases,
        v: s.variantCounters,
      },
    });
    const campaignId = new Types.ObjectId(id);
    for (const m of s.clickerIds)
      markers.push({ _id: `clicker:${id}:${m}`, memberId: new Types.ObjectId(m), campaignId, v: 0 });
    for (const [m, v] of s.buyerCounts)
      markers.push({ _id: `buyer:${id}:${m}`, memberId: new Types.ObjectId(m), campaignId, v });
  }
  markers.push(...(await freezeMarkers()));
  const buckets = await replaceCounters(delta, markers, campaignDocs);
  return { members, campaigns: campaignIds.length, buckets, markers: markers.length };
}

/**
 * Replaces every counter and marker: the buckets in `delta` (plus whole documents in `docs`) and the markers.
 * Also used by scripts/seed-scale.ts, which knows the counters of what it inserts.
 */
export async function replaceCounters(
  delta: CounterDelta,
  markers: Array<Record<string, unknown>>,
  docs: Array<Record<string, unknown>> = [],
): Promise<number> {
  const all = [...[...delta].map(([id, n]) => ({ _id: id, ...kindOf(id), n: nest(n) })), ...docs];
  await StatCounter.deleteMany({});
  await StatMarker.deleteMany({});
  for (let i = 0; i < all.length; i += BATCH) await StatCounter.insertMany(all.slice(i, i + BATCH));
  for (let i = 0; i < markers.length; i += BATCH) await StatMarker.insertMany(markers.slice(i, i + BATCH));
  return all.length;
}

/** Every member's contribution, added to `delta` and stored on the member (version bumped, so a live CAS retries). */
async function rebuildMembers(delta: CounterDelta): Promise<number> {
  const referrers = new Set(
    (await Member.distinct('referral.referredBy', { 'referral.referredBy': { $ne: null } })).map(String),
  );
  let count = 0;
  let ops: Parameters<typeof Member.bulkWrite>[0] = [];
  const cursor = Member.find({}, { ...COUNTED_FIELDS, pointsBalance: 1, creditBalance: 1 })
    .lean<Array<CountedMember & { pointsBalance?: number | null; creditBalance?: number | null }>>()
    .cursor({ batchSize: BATCH });
  for await (const m of cursor) {
    const c = contributionOf(m as CountedMember, referrers.has(String(m._id)));
    addContribution(delta, c, 1);
    addPointsOutstanding(delta, m.pointsBalance ?? 0);
    addCreditOutstanding(delta, m.creditBalance ?? 0);
    ops.push({ updateOne: { filter: { _id: m._id }, update: { $set: { countedAs: c }, $inc: { countedV: 1 } } } });
    count++;
    if (ops.length >= BATCH) {
      await Member.bulkWrite(ops, { ordered: false });
      ops = [];
    }
  }
  if (ops.length) await Member.bulkWrite(ops, { ordered: false });
  return count;
}

/** Per template: coupons active by their end of validity, coupons used, and the order amounts they were used on. */
async function rebuildCoupons(delta: CounterDelta): Promise<void> {
  const rows = await Coupon.aggregate<{
    _id: { t: Types.ObjectId; s: string; u: Date };
    n: number;
    revenue: number;
    withOrder: number;
  }>([
    { $match: { status: { $in: ['active', 'used'] } } },
    {
      $group: {
        _id: { t: '$templateId', s: '$status', u: '$validUntil' },
        n: { $sum: 1 },
        revenue: { $sum: { $ifNull: ['$redeemOrderAmount', 0] } },
        withOrder: { $sum: { $cond: [{ $ifNull: ['$redeemOrderAmount', false] }, 1, 0] } },
      },
    },
  ]);
  for (const r of rows) {
    const id = templateBucket(r._id.t);
    if (r._id.s === 'used') {
      addTo(delta, id, 'used', r.n);
      addTo(delta, id, 'usedRevenue', r.revenue);
      addTo(delta, id, 'usedWithOrder', r.withOrder);
    } else addTo(delta, id, `active.u${new Date(r._id.u).getTime()}`, r.n);
  }
}

/** What each occurrence's freeze added (deliveries at freeze time are those still pending or skipped then). */
async function freezeMarkers(): Promise<Array<Record<string, unknown>>> {
  const rows = await Delivery.aggregate<{
    _id: { campaignId: Types.ObjectId; occurrence: string; status: string; reason?: string };
    n: number;
  }>([
    {
      $group: {
        _id: { campaignId: '$campaignId', occurrence: '$occurrence', status: '$status', reason: '$reason' },
        n: { $sum: 1 },
      },
    },
  ]);
  const byOccurrence = new Map<string, { matched: number; pending: number; skipped: Record<string, number> }>();
  const ids = new Map<string, Types.ObjectId>();
  for (const r of rows) {
    const key = `freeze:${String(r._id.campaignId)}:${r._id.occurrence}`;
    ids.set(key, r._id.campaignId);
    const c = byOccurrence.get(key) ?? { matched: 0, pending: 0, skipped: {} };
    c.matched += r.n;
    if (r._id.status === 'skipped')
      c.skipped[r._id.reason ?? 'other'] = (c.skipped[r._id.reason ?? 'other'] ?? 0) + r.n;
    else if (r._id.status === 'pending') c.pending += r.n;
    byOccurrence.set(key, c);
  }
  return [...byOccurrence].map(([key, c]) => ({ _id: key, campaignId: ids.get(key), v: 0, c }));
}

/** `{ 'funnel.followed': 3 }` → `{ funnel: { followed: 3 } }`, as `$inc` on dotted paths stores it. */
function nest(flat: Record<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(flat)) {
    const parts = path.split('.');
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}
