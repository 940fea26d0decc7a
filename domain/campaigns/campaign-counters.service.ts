import { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.model';
import { Delivery } from '../../models/delivery.model';
import { StatMarker } from '../../models/stat-counter.model';
import {
  addTo,
  applyDelta,
  bump,
  campaignBucket,
  type CounterDelta,
  markFirst,
} from '../reports/stat-counters.service';

/**
 * The campaign side of the counters (`campaign:<id>` buckets): deliveries by status and skip reason, clicks,
 * unique clickers, campaign coupons issued and redeemed, purchases attributed to the push. Each function is
 * called right after the conditional write that records the event, with what that write changed.
 */

const DAY_MS = 86_400_000;
const DEFAULT_ATTRIBUTION_DAYS = 7;

/**
 * A freeze of one occurrence wrote its deliveries (a re-freeze after a crash deletes and rewrites them): the
 * marker of the occurrence swaps in the new figures atomically and the counters move by the difference.
 */
export async function countFreeze(
  campaignId: Types.ObjectId,
  occurrence: string,
  figures: { matched: number; pending: number; skipped: Record<string, number> },
): Promise<void> {
  const c = { matched: figures.matched, pending: figures.pending, skipped: figures.skipped };
  const before = await StatMarker.findOneAndUpdate(
    { _id: `freeze:${String(campaignId)}:${occurrence}` },
    { $set: { c, campaignId } },
    { upsert: true, returnDocument: 'before', projection: { c: 1 } },
  ).lean();
  const prev = (before?.c ?? { matched: 0, pending: 0, skipped: {} }) as typeof c;
  const inc: Record<string, number> = {
    matched: c.matched - prev.matched,
    pending: c.pending - prev.pending,
  };
  for (const reason of new Set([...Object.keys(c.skipped), ...Object.keys(prev.skipped)]))
    inc[`skipped.${reason}`] = (c.skipped[reason] ?? 0) - (prev.skipped[reason] ?? 0);
  await bump(campaignBucket(campaignId), inc);
}

/** Where an A/B variant's figures live in the campaign bucket: `v.<letter>.<figure>`. */
export const variantPath = (variant: string, figure: string) => `v.${variant}.${figure}`;

/**
 * `n` deliveries moved from one status to another (`to` 'skipped' needs the reason). Sends of an A/B variant
 * (`variant`) also count under the variant.
 */
export async function countDeliveries(
  campaignId: Types.ObjectId | string,
  from: 'pending',
  to: 'sent' | 'failed' | 'cancelled' | 'skipped',
  n: number,
  reason?: string,
  variant?: string,
): Promise<void> {
  if (!n) return;
  const key = to === 'skipped' ? `skipped.${reason ?? 'other'}` : to;
  const inc: Record<string, number> = { [from]: -n, [key]: n };
  if (variant && to === 'sent') inc[variantPath(variant, 'sent')] = n;
  await bump(campaignBucket(campaignId), inc);
}

/**
 * One open of a campaign's tracked link; the member's first click of the campaign counts a unique clicker. A link
 * of an A/B variant counts under the variant too (a member is in one variant of an occurrence).
 */
export async function countClick(campaignId: unknown, memberId: string | null, variant?: string): Promise<void> {
  if (!campaignId) return;
  const first =
    memberId !== null &&
    (await markFirst(`clicker:${String(campaignId)}:${memberId}`, {
      memberId: new Types.ObjectId(memberId),
      campaignId,
    }));
  const inc: Record<string, number> = { clicks: 1, uniqueClickers: first ? 1 : 0 };
  if (variant) {
    inc[variantPath(variant, 'clicks')] = 1;
    inc[variantPath(variant, 'uniqueClickers')] = first ? 1 : 0;
  }
  await bump(campaignBucket(campaignId), inc);
}

/** An erased member's clicks leave the timeline, so they stop counting as a unique clicker. */
export async function uncountMemberClicks(memberId: Types.ObjectId): Promise<void> {
  const markers = await StatMarker.find({ memberId, _id: { $regex: '^clicker:' } }, { campaignId: 1 }).lean();
  for (const m of markers) {
    const res = await StatMarker.deleteOne({ _id: m._id });
    if (res.deletedCount === 1) await bump(campaignBucket(m.campaignId), { uniqueClickers: -1 });
  }
}

/** The campaign a coupon key belongs to (`campaign:<id>:…`), or null. */
export function campaignOfCouponKey(key: string | null | undefined): string | null {
  const m = /^campaign:([0-9a-f]{24}):/.exec(key ?? '');
  return m ? m[1] : null;
}

/** A coupon issued, redeemed or un-redeemed under a campaign key. */
export async function countCampaignCoupon(
  key: string | null | undefined,
  event: 'issued' | 'redeemed' | 'reversed',
): Promise<void> {
  const campaignId = campaignOfCouponKey(key);
  if (!campaignId) return;
  const inc: Record<string, number> =
    event === 'issued' ? { couponsIssued: 1 } : { couponRedemptions: event === 'redeemed' ? 1 : -1 };
  await bump(campaignBucket(campaignId), inc);
}

/**
 * A purchase was recorded (`sign` 1, `revenue` its amount) or refunded (`revenue` minus the refund, `sign` -1
 * when the refund made it whole): it counts for each campaign whose first push to the buyer came at most the
 * campaign's attribution window before it. A buyer counts once per campaign while any of their purchases do.
 */
export async function countPurchaseAttribution(
  purchase: { memberId: Types.ObjectId; at: Date },
  change: { count: -1 | 0 | 1; revenue: number },
): Promise<void> {
  const at = new Date(purchase.at).getTime();
  const sent = await Delivery.find(
    { memberId: purchase.memberId, status: 'sent', sentAt: { $lte: new Date(at) } },
    { campaignId: 1, sentAt: 1, variant: 1, _id: 0 },
  ).lean();
  if (!sent.length) return;
  const firstSent = new Map<string, number>();
  const variantOf = new Map<string, string | undefined>();
  for (const d of sent) {
    const key = String(d.campaignId);
    const t = new Date(d.sentAt!).getTime();
    if (!firstSent.has(key) || t < firstSent.get(key)!) {
      firstSent.set(key, t);
      variantOf.set(key, d.variant ?? undefined);
    }
  }
  const campaigns = await Campaign.find({ _id: { $in: [...firstSent.keys()] } }, { options: 1 }).lean();
  const delta: CounterDelta = new Map();
  for (const c of campaigns) {
    const days = c.options?.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS;
    if (at > firstSent.get(String(c._id))! + days * DAY_MS) continue;
    const bucket = campaignBucket(c._id);
    // The variant of the push that opened the window (the first one) gets the purchase in an A/B test.
    const variant = variantOf.get(String(c._id));
    const add = (figure: string, by: number) => {
      addTo(delta, bucket, `attributed.${figure}`, by);
      if (variant) addTo(delta, bucket, variantPath(variant, figure), by);
    };
    add('count', change.count);
    add('revenue', change.revenue);
    if (change.count) add('buyers', await countBuyer(c._id, purchase.memberId, change.count));
  }
  await applyDelta(delta);
}

/** The buyer's attributed purchases of the campaign move by `by`; returns the change in unique buyers. */
async function countBuyer(campaignId: Types.ObjectId, memberId: Types.ObjectId, by: 1 | -1): Promise<number> {
  const after = await StatMarker.findOneAndUpdate(
    { _id: `buyer:${String(campaignId)}:${String(memberId)}` },
    { $inc: { v: by }, $set: { memberId, campaignId } },
    { upsert: true, returnDocument: 'after', projection: { v: 1 } },
  ).lean();
  const v = after?.v ?? 0;
  if (by === 1 && v === 1) return 1;
  if (by === -1 && v === 0) return -1;
  return 0;
}
