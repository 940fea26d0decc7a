import type { Types } from 'mongoose';
import { z } from 'zod';
import { StampCard, type StampCardDoc } from '../../models/stamp-card.model';
import { StampCardTemplate, type StampCardTemplateDoc } from '../../models/stamp-card-template.model';
import { Coupon } from '../../models/coupon.model';
import { issueCoupon } from '../coupons';
import { countActiveCoupon } from '../coupons/coupon-counters';
import { changePoints } from '../points/points.service';
import { recordAudit, type AuditActor } from '../staff/audit.service';
import { zonedDate } from '../shared/clock';
import { AppError, conflict, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { parseOrThrow } from '../shared/validation';
import { objectIdSchema } from '../../shared/ids';
import { cardExpiry, reachedThresholds, stampsForOrder, type OrderForStamps } from './stamp-rules';

const log = moduleLogger('stamps');
/** Bounded retries of a card update that lost a race with another stamp on the same card. */
const MAX_ATTEMPTS = 8;

export interface StampContext {
  now: Date;
  timeZone: string;
}

export interface StampPurchase extends OrderForStamps {
  purchaseId: string;
  memberId: Types.ObjectId | string;
  /** `<source>:<orderId>`: with the template, the idempotency key of the order's stamps. */
  orderKey: string;
  at: Date;
}

export interface StampAward {
  templateId: string;
  name: string;
  stamps: number;
}

/**
 * Stamps one purchase on every active stamp card template, exactly once per (template, order): a replay, a
 * concurrent twin or a retry after a crash adds nothing. Rewards reached are given (coupon or points, each keyed).
 */
export async function awardStampsForPurchase(p: StampPurchase, ctx: StampContext): Promise<StampAward[]> {
  const templates = (await StampCardTemplate.find({ status: 'active' }).lean()) as unknown as StampCardTemplateDoc[];
  const day = zonedDate(p.at, ctx.timeZone);
  const awards: StampAward[] = [];
  for (const t of templates) {
    const cards = await memberCards(p.memberId, t._id);
    const key = `order:${p.orderKey}`;
    const already = sumFor(cards, (e) => e.key === key);
    if (already > 0) continue;
    const visitsToday = cards.flatMap((c) => c.entries).filter((e) => e.reason === 'purchase' && e.day === day).length;
    const count = stampsForOrder(t.earn, p, visitsToday);
    if (count <= 0) continue;
    const given = await applyStamps(
      t,
      p.memberId,
      count,
      {
        key,
        reason: 'purchase',
        day,
        purchaseId: p.purchaseId,
        actor: 'system',
        at: p.at,
      },
      ctx,
    );
    if (given > 0) awards.push({ templateId: String(t._id), name: t.name, stamps: given });
  }
  return awards;
}

interface EntryBase {
  key: string;
  reason: 'purchase' | 'manual';
  day: string;
  purchaseId?: string;
  actor: string;
  note?: string;
  at: Date;
}

async function memberCards(memberId: Types.ObjectId | string, templateId: Types.ObjectId): Promise<StampCardDoc[]> {
  return (await StampCard.find({ memberId, templateId }).sort({ seq: 1 }).lean()) as unknown as StampCardDoc[];
}

function sumFor(cards: StampCardDoc[], pick: (e: StampCardDoc['entries'][number]) => boolean): number {
  return cards.reduce((n, c) => n + c.entries.filter(pick).reduce((m, e) => m + (e.count ?? 0), 0), 0);
}

/**
 * Puts `count` stamps on the member's oldest active card of the template (opening one when none is), spilling
 * over onto a fresh card when a card fills. Each card accepts the key once (`entries.key` $ne), and the update is
 * conditional on the stamp count it read, so concurrent stamps never overfill a card.
 */
async function applyStamps(
  t: StampCardTemplateDoc,
  memberId: Types.ObjectId | string,
  count: number,
  base: EntryBase,
  ctx: StampContext,
): Promise<number> {
  let remaining = count;
  let given = 0;
  for (let attempt = 0; remaining > 0 && attempt < MAX_ATTEMPTS * 4; attempt++) {
    const cards = await memberCards(memberId, t._id);
    remaining = count - sumFor(cards, (e) => e.key === base.key);
    if (remaining <= 0) break;
    let card: StampCardDoc | null | undefined = cards.find(
      (c) => c.status === 'active' && c.entries.every((e) => e.key !== base.key),
    );
    if (!card) {
      if (!(await mayOpenCard(t, memberId, cards))) break;
      card = await openCard(t, memberId, (cards.at(-1)?.seq ?? 0) + 1, ctx.now);
      if (!card) continue;
    }
    const give = Math.min(remaining, card.stampsNeeded - card.stamps);
    if (give <= 0) continue;
    const firstStampAt = card.firstStampAt ?? base.at;
    const set: Record<string, unknown> = {};
    if (!card.firstStampAt) {
      set.firstStampAt = firstStampAt;
      const expiresAt = cardExpiry(t.validity, firstStampAt);
      if (expiresAt) set.expiresAt = expiresAt;
    }
    if (card.stamps + give >= card.stampsNeeded) Object.assign(set, { status: 'completed', completedAt: ctx.now });
    const updated = (await StampCard.findOneAndUpdate(
      { _id: card._id, status: 'active', stamps: card.stamps, 'entries.key': { $ne: base.key } },
      { $inc: { stamps: give }, $push: { entries: { ...base, count: give } }, $set: set },
      { returnDocument: 'after' },
    ).lean()) as unknown as StampCardDoc | null;
    if (!updated) continue;
    remaining -= give;
    given += give;
    await grantRewards(t, updated, ctx);
  }
  return given;
}

/**
 * A new card may open unless the template chains to another one the member has reached (they go on with that
 * card), or the template is the chained successor of another whose card the member has not completed yet.
 */
async function mayOpenCard(
  t: StampCardTemplateDoc,
  memberId: Types.ObjectId | string,
  cards: StampCardDoc[],
): Promise<boolean> {
  const chainsElsewhere = t.nextTemplateId && String(t.nextTemplateId) !== String(t._id);
  if (chainsElsewhere && cards.some((c) => c.status === 'completed')) return false;
  const predecessors = await StampCardTemplate.find({ nextTemplateId: t._id, _id: { $ne: t._id } }, { _id: 1 }).lean();
  if (predecessors.length === 0) return true;
  const done = await StampCard.exists({
    memberId,
    templateId: { $in: predecessors.map((x) => x._id) },
    status: 'completed',
  });
  return Boolean(done);
}

async function openCard(
  t: StampCardTemplateDoc,
  memberId: Types.ObjectId | string,
  seq: number,
  now: Date,
): Promise<StampCardDoc | null> {
  try {
    const doc = await StampCard.create({
      memberId,
      templateId: t._id,
      seq,
      name: t.name,
      stampsNeeded: t.stampsNeeded,
      stamps: 0,
      status: 'active',
      createdAt: now,
    });
    return doc.toObject() as unknown as StampCardDoc;
  } catch (err) {
    // A concurrent stamp opened this card first: the caller re-reads and uses it.
    if ((err as { code?: number }).code === 11000) return null;
    throw err;
  }
}

function rewardFor(t: StampCardTemplateDoc, at: number) {
  if (at === t.stampsNeeded) return t.completionReward ?? null;
  return t.milestones.find((m) => m.at === at)?.reward ?? null;
}

/** Gives each reward the card's stamps have reached and not yet received (a reversed one may be earned again). */
async function grantRewards(t: StampCardTemplateDoc, card: StampCardDoc, ctx: StampContext): Promise<void> {
  for (const at of reachedThresholds(t.milestones, card.stampsNeeded, card.stamps)) {
    const reward = rewardFor(t, at);
    if (!reward) continue;
    const ofThreshold = card.rewards.filter((r) => r.at === at);
    if (ofThreshold.some((r) => !r.reversal)) continue;
    const key = `stamp-reward:${card._id}:${at}:${ofThreshold.length}`;
    const record: Record<string, unknown> = { at, kind: reward.kind, key };
    try {
      if (reward.kind === 'points' && reward.points) {
        await changePoints({
          memberId: card.memberId,
          delta: reward.points,
          reason: 'stamp',
          key,
          now: ctx.now,
          note: `${card.name ?? '集點卡'}集滿 ${at} 點`,
          refs: { stampCardId: String(card._id), at },
        });
        record.points = reward.points;
      } else if (reward.kind === 'coupon' && reward.couponTemplateId) {
        const r = await issueCoupon({
          templateId: reward.couponTemplateId,
          memberId: card.memberId,
          key,
          now: ctx.now,
          source: 'stamp',
          timeZone: ctx.timeZone,
        });
        record.couponId = r.coupon.id;
      } else continue;
    } catch (err) {
      // A coupon's own limits (quota, per-member) may refuse it: the card keeps its stamps, the log says why.
      log.warn({ err, stampCardId: String(card._id), at }, 'stamp reward not given');
      continue;
    }
    await StampCard.updateOne({ _id: card._id, 'rewards.key': { $ne: key } }, { $push: { rewards: record } });
  }
}

// ---- reversal (void flow) ---------------------------------------------------------------------------------------

export interface StampReversal {
  cards: number;
  stampsRemoved: number;
  rewardsTakenBack: number;
  /** Rewards that could not be taken back (a coupon already used) and were left with the member. */
  rewardsKept: number;
}

/**
 * Removes a purchase's stamps from every card holding them. A card that drops below a threshold whose reward it
 * gave takes that reward back: points by a keyed negative change (a debt if already spent), an unused coupon by
 * voiding it; a coupon already used stays with the member and is marked `kept_used`. A completed card that is no
 * longer full is active again. Running it twice changes nothing the second time.
 */
export async function reverseStampsForPurchase(purchaseId: string, ctx: StampContext): Promise<StampReversal> {
  const out: StampReversal = { cards: 0, stampsRemoved: 0, rewardsTakenBack: 0, rewardsKept: 0 };
  const cards = (await StampCard.find({ 'entries.purchaseId': purchaseId }).lean()) as unknown as StampCardDoc[];
  for (const card of cards) {
    const entries = card.entries.filter((e) => e.purchaseId === purchaseId);
    const removed = entries.reduce((n, e) => n + (e.count ?? 0), 0);
    const keys = entries.map((e) => e.key);
    const after = card.stamps - removed;
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    if (card.status === 'completed' && after < card.stampsNeeded) {
      set.status = 'active';
      unset.completedAt = 1;
    }
    const updated = (await StampCard.findOneAndUpdate(
      { _id: card._id, stamps: card.stamps, 'entries.purchaseId': purchaseId },
      {
        $inc: { stamps: -removed },
        $pull: { entries: { key: { $in: keys } } },
        ...(Object.keys(set).length ? { $set: set } : {}),
        ...(Object.keys(unset).length ? { $unset: unset } : {}),
      },
      { returnDocument: 'after' },
    ).lean()) as unknown as StampCardDoc | null;
    if (!updated) continue;
    out.cards++;
    out.stampsRemoved += removed;
    for (const r of updated.rewards.filter((x) => !x.reversal && (x.at ?? 0) > updated.stamps)) {
      const outcome = await takeBack(updated, r, ctx);
      if (outcome === 'taken_back') out.rewardsTakenBack++;
      else out.rewardsKept++;
      await StampCard.updateOne(
        { _id: card._id },
        { $set: { 'rewards.$[r].reversal': outcome } },
        { arrayFilters: [{ 'r.key': r.key }] },
      );
    }
  }
  return out;
}

async function takeBack(
  card: StampCardDoc,
  r: StampCardDoc['rewards'][number],
  ctx: StampContext,
): Promise<'taken_back' | 'kept_used'> {
  if (r.kind === 'points' && r.points) {
    await changePoints({
      memberId: card.memberId,
      delta: -r.points,
      reason: 'reversal',
      key: `${r.key}:reversal`,
      now: ctx.now,
      allowDebt: true,
      note: `${card.name ?? '集點卡'}的點數因消費作廢而扣回`,
      refs: { stampCardId: String(card._id), at: r.at },
    });
    return 'taken_back';
  }
  if (r.kind === 'coupon' && r.couponId) {
    const voided = await Coupon.findOneAndUpdate(
      { _id: r.couponId, status: 'active' },
      { $set: { status: 'void' } },
      { returnDocument: 'after' },
    ).lean();
    if (voided) {
      await countActiveCoupon(voided as { templateId: Types.ObjectId; validUntil: Date }, -1);
      return 'taken_back';
    }
    const c = await Coupon.findById(r.couponId, { status: 1 }).lean();
    return c?.status === 'void' ? 'taken_back' : 'kept_used';
  }
  return 'taken_back';
}

// ---- manual stamps (counter) ------------------------------------------------------------------------------------

export const ManualStampInputSchema = z
  .object({
    memberId: objectIdSchema(),
    templateId: objectIdSchema(),
    reason: z
      .string({ error: '請填寫補蓋章的原因' })
      .trim()
      .min(2, '請填寫補蓋章的原因（至少 2 個字）')
      .max(100, '原因最多 100 個字'),
  })
  .strict();

/**
 * Staff add one stamp by hand (a forgotten stamp at the counter): at most the template's `manualDailyLimit` per
 * member per day, a reason required, an audit entry kept. Over the limit → 409, nothing changes.
 */
export async function addManualStamp(
  input: unknown,
  actor: AuditActor,
  ctx: StampContext,
): Promise<{ stamps: number; cardId: string }> {
  const v = parseOrThrow(ManualStampInputSchema, input);
  const t = (await StampCardTemplate.findOne({
    _id: v.templateId,
    status: 'active',
  }).lean()) as unknown as StampCardTemplateDoc | null;
  if (!t) throw notFound('找不到這張集點卡。', 'stamp_template_not_found');
  const day = zonedDate(ctx.now, ctx.timeZone);
  const cards = await memberCards(v.memberId, t._id);
  const today = cards.flatMap((c) => c.entries).filter((e) => e.reason === 'manual' && e.day === day).length;
  const limit = t.manualDailyLimit ?? 1;
  if (today >= limit)
    throw conflict('stamp_manual_limit', `這位會員今天已補蓋 ${today} 點，每天最多 ${limit} 點，請明天再試。`);
  const key = `manual:${day}:${today + 1}`;
  const given = await applyStamps(
    t,
    v.memberId,
    1,
    { key, reason: 'manual', day, actor: actor.id, note: v.reason, at: ctx.now },
    ctx,
  );
  if (given === 0) throw conflict('stamp_manual_limit', '剛剛已有人補蓋這一點，請重新整理後再確認。');
  await recordAudit({
    actor,
    action: 'stamp.manual',
    target: { type: 'member', id: v.memberId },
    details: { templateId: v.templateId, template: t.name, reason: v.reason },
    at: ctx.now,
  });
  const card = (await memberCards(v.memberId, t._id)).find((c) => c.entries.some((e) => e.key === key));
  return { stamps: card?.stamps ?? 0, cardId: String(card?._id ?? '') };
}

// ---- expiry -----------------------------------------------------------------------------------------------------

/** Ends every active card whose validity has passed (reads only those, by the partial index). Twice = once. */
export async function expireStampCards(now: Date): Promise<{ expired: number }> {
  const res = await StampCard.updateMany(
    { status: 'active', expiresAt: { $lte: now } },
    { $set: { status: 'expired', expiredAt: now } },
  );
  return { expired: res.modifiedCount };
}

export { AppError };
