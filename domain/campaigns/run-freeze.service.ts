import type { Types } from 'mongoose';
import { type CampaignLean, CampaignRun } from '../../models/campaign.model';
import { Delivery } from '../../models/delivery.model';
import { Member } from '../../models/member.model';
import { buildAudienceFilter } from '../segments/segment.service';
import { MAX_MULTICAST_RECIPIENTS } from '../messaging/messenger';
import { audienceRule } from './campaign.service';
import { countFreeze } from './campaign-counters.service';
import { AB_VARIANT_KEYS } from './campaign.schema';
import { VariantSplit } from './ab-test';

const DAY_MS = 86_400_000;
const CHUNK = 1000;

export interface FreezeInput {
  runId: Types.ObjectId;
  campaign: CampaignLean;
  occurrence: string;
  now: Date;
  timeZone: string;
}

type Recipient = { _id: Types.ObjectId; lineUserId?: string | null };

/**
 * Resolves the audience once and freezes it into delivery records with fixed batch numbers (≤ 500 each), so
 * that every later step — sending, resuming after a crash, stats — works from the same list. Members over the
 * frequency cap (pending or sent deliveries of any campaign within the window) are recorded as skipped.
 * Freezes of different campaigns are not serialised across instances; two large sends starting in the very same
 * minute on two instances could each pass the cap once.
 * A crash while freezing leaves the run in `freezing`; the next attempt starts the freeze over (nothing was sent),
 * and the unique (campaign, occurrence, member) key refuses a second delivery for anyone.
 * The audience streams from a cursor in `_id` order, `CHUNK` members at a time, each chunk one unordered bulk
 * insert that runs while the next chunk is read: memory holds two chunks, not the audience.
 */
export async function freezeRun(
  input: FreezeInput,
): Promise<{ matched: number; audience: number; skipped: Record<string, number> }> {
  const { campaign, occurrence, now } = input;
  await Delivery.deleteMany({ campaignId: campaign._id, occurrence });
  const filter = await buildAudienceFilter(await audienceRule(campaign.audience), now, { timeZone: input.timeZone });
  const cap = campaign.options?.frequencyCap;
  let matched = 0;
  let included = 0;
  const skipped: Record<string, number> = {};
  let chunk: Recipient[] = [];
  const recent = cap ? await recentPushCounts(cap.windowDays, now) : new Map<string, number>();
  // One bulk insert in flight while the cursor reads the next chunk; its failure surfaces at the next flush.
  let writing: Promise<unknown> = Promise.resolve();
  const split = new VariantSplit(campaign.ab?.variants.map((v) => v.share) ?? []);
  const perVariant: Record<string, number> = {};
  let batches = 0;
  const flush = async () => {
    const docs = chunk.map((m) => {
      const over = cap !== null && cap !== undefined && (recent.get(String(m._id)) ?? 0) >= cap.maxPerWindow;
      if (over) skipped.frequency_cap = (skipped.frequency_cap ?? 0) + 1;
      let batch = -1;
      let variant: string | undefined;
      if (!over) {
        // A batch holds one variant (one set of messages): variant k's n-th batch is number n × variants + k.
        const k = split.next();
        variant = split.size ? AB_VARIANT_KEYS[k] : undefined;
        const nth = variant ? (perVariant[variant] = (perVariant[variant] ?? 0) + 1) - 1 : included;
        batch = Math.floor(nth / MAX_MULTICAST_RECIPIENTS) * Math.max(1, split.size) + k;
        if (nth % MAX_MULTICAST_RECIPIENTS === 0) batches++;
        included++;
      }
      return {
        campaignId: campaign._id,
        occurrence,
        memberId: m._id,
        lineUserId: m.lineUserId,
        batch,
        status: over ? 'skipped' : 'pending',
        ...(over ? { reason: 'frequency_cap' } : {}),
        ...(variant ? { variant } : {}),
        countedAt: now,
      };
    });
    matched += chunk.length;
    chunk = [];
    await writing;
    // Built here with every required field: inserted as they are, unordered (one round trip per chunk).
    if (docs.length) writing = Delivery.insertMany(docs, { ordered: false, lean: true });
  };
  const cursor = Member.find(filter, { lineUserId: 1 }).sort({ _id: 1 }).lean().cursor({ batchSize: CHUNK });
  for await (const m of cursor) {
    chunk.push(m as Recipient);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  await writing;
  await CampaignRun.updateOne(
    { _id: input.runId },
    {
      $set: {
        status: 'sending',
        matched,
        audience: included,
        skipped,
        batches,
        frozenAt: now,
      },
    },
  );
  await countFreeze(campaign._id, occurrence, { matched, pending: included, skipped });
  return { matched, audience: included, skipped };
}

/**
 * Campaign pushes per member (sent, or frozen and about to be sent) within the window, across all campaigns.
 * Read once per freeze in one pass over the window's deliveries rather than per chunk of members: the window is
 * small (days) while an audience can be the whole membership.
 */
async function recentPushCounts(windowDays: number, now: Date): Promise<Map<string, number>> {
  const since = new Date(now.getTime() - windowDays * DAY_MS);
  const counts = new Map<string, number>();
  const cursor = Delivery.find(
    { countedAt: { $gt: since }, status: { $in: ['pending', 'sent'] } },
    { memberId: 1, _id: 0 },
  )
    .lean()
    .cursor({ batchSize: 5000 });
  for await (const r of cursor) counts.set(String(r.memberId), (counts.get(String(r.memberId)) ?? 0) + 1);
  return counts;
}

/**
 * Campaign and journey pushes (sent, or frozen and about to be sent) of these members within the window: the
 * frequency cap journeys share with campaigns (journey sends are deliveries too). Read on the (member, countedAt)
 * index, for one batch of members at a time.
 */
export async function pushCountsFor(
  memberIds: Types.ObjectId[],
  windowDays: number,
  now: Date,
): Promise<Map<string, number>> {
  const since = new Date(now.getTime() - windowDays * DAY_MS);
  const counts = new Map<string, number>();
  if (!memberIds.length) return counts;
  const rows = await Delivery.find(
    { memberId: { $in: memberIds }, countedAt: { $gt: since }, status: { $in: ['pending', 'sent'] } },
    { memberId: 1, _id: 0 },
  ).lean();
  for (const r of rows) counts.set(String(r.memberId), (counts.get(String(r.memberId)) ?? 0) + 1);
  return counts;
}
