import { enterJourneys } from '../journeys/journey-enter.service';
import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase, type PurchaseDoc } from '../../models/purchase.model';
import { countPurchaseAttribution } from '../campaigns/campaign-counters.service';
import { countPurchaseRevenue } from '../reports/revenue-counters.service';
import { recordInteraction } from '../interactions/interaction.service';
import type { ProgramContext } from '../shared/context';
import { validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { moduleLogger } from '../shared/logger';
import { changePoints, expiryForEarning } from '../points/points.service';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { formatMoney } from '../../shared/format';
import { applyEarnedTier } from '../tiers/tier.service';
import { pointsForPurchase, tierByCode } from '../tiers/tier-rules';
import { completeReferralOnPurchase } from '../referrals/referral-reward.service';
import { awardStampsForPurchase } from '../stamps/stamp.service';
import { PurchaseInputSchema, type ParsedPurchase } from './purchase-input';
import { applyStatsChange, resolvePurchaseMember, type PurchaseMember } from './purchase-member.service';
import { applyPurchaseToStats } from './purchase-stats.service';
import { checkBalancesCover, paymentKeyOf, planPurchasePayment, takePurchasePayment } from './purchase-payment.service';

export { refundPurchase } from './purchase-refund.service';
export { listMemberPurchases, getPurchase } from './purchase-view.service';
export { PurchaseInputSchema, RefundInputSchema } from './purchase-input';
export type { PurchaseInput, RefundInput } from './purchase-input';

const log = moduleLogger('purchases');
/** Purchases older than this at ingestion (back-filled history) get no satisfaction survey. */
const SURVEY_MAX_AGE_MS = 3 * 86_400_000;
const FUTURE_TOLERANCE_MS = 10 * 60_000;

/** The program context of a purchase (`actor`: `pos:<key name>` or a console user id), plus where it came from. */
export interface PurchaseContext
  extends Pick<ProgramContext, 'now' | 'messenger' | 'timeZone'>, Partial<Pick<ProgramContext, 'actor'>> {
  /** The integration's source (API key) or `console`; orders are unique per (source, orderId). */
  source: string;
}

export interface PurchaseResult {
  purchaseId: string;
  source: string;
  orderId: string;
  memberId: string;
  memberCode: string;
  /** The spend the order counts as (net paid by default; `pointsPayment.spendBasis`). */
  amount: number;
  /** The order's total before credit and points, what was paid with them, and what was left to pay in money. */
  grossAmount: number;
  creditUsed: number;
  pointsUsed: number;
  pointsValue: number;
  netPaid: number;
  creditBalance: number;
  at: string;
  pointsEarned: number;
  multiplier: number;
  pointsBalance: number;
  tier: { code: string; label: string; upgraded: boolean };
  referralCompleted: boolean;
  /** True when this call was a replay of an order already ingested (the first result is returned). */
  replayed: boolean;
}

/**
 * Records one purchase with all its effects: member stats, points (tier multiplier), an immediate tier upgrade,
 * a pending referral's rewards, a timeline entry and a scheduled satisfaction survey. Idempotent by
 * (source, orderId): a replay returns the first result; a replay of an interrupted ingestion completes it.
 * Invalid input → 400 with field errors; unknown member → 404; in both cases nothing is stored.
 */
export async function ingestPurchase(input: unknown, ctx: PurchaseContext): Promise<PurchaseResult> {
  const v = parseOrThrow(PurchaseInputSchema, input);
  const at = v.time ? new Date(v.time) : ctx.now;
  if (at.getTime() > ctx.now.getTime() + FUTURE_TOLERANCE_MS)
    throw validationError([{ path: 'time', message: '消費時間不可在未來' }]);
  const existing = (await Purchase.findOne({ source: ctx.source, orderId: v.orderId }).lean()) as PurchaseDoc | null;
  if (existing?.effectsDoneAt && existing.result) return { ...(existing.result as PurchaseResult), replayed: true };

  const settings = await getProgramSettings();
  const inserted = existing ?? (await insertPurchase(v, at, ctx, settings));
  if (inserted.effectsDoneAt && inserted.result) return { ...(inserted.result as PurchaseResult), replayed: true };
  const purchase = await takePurchasePayment(inserted, ctx);
  const result = await applyPurchaseEffects(purchase, ctx, settings);
  const done = await Purchase.findOneAndUpdate(
    { _id: purchase._id, effectsDoneAt: null },
    { $set: { result, effectsDoneAt: ctx.now } },
    { returnDocument: 'before' },
  ).lean();
  if (!done) {
    // A concurrent replay finished first: its result is the one of record.
    const stored = await Purchase.findById(purchase._id, { result: 1 }).lean();
    return { ...(stored!.result as PurchaseResult), replayed: true };
  }
  return { ...result, replayed: Boolean(existing) };
}

/**
 * The first step of `ingestPurchase`: stores the order (its payment `pending` when it uses credit or points), or
 * returns the stored one. Exported so the acceptance tests can stop right after it, as a crash would.
 */
export async function insertPurchase(
  v: ParsedPurchase,
  at: Date,
  ctx: PurchaseContext,
  settings: ProgramSettings,
): Promise<PurchaseDoc> {
  const plan = planPurchasePayment(v, settings);
  const { member, matchedBy } = await resolvePurchaseMember(v.member);
  checkBalancesCover(plan, member);
  const tier = tierByCode(member.tier?.code, settings.tiers);
  const pointsEarned = pointsForPurchase(plan.counted, settings.earn.spendPerPoint, tier.multiplier);
  const paid = plan.credit > 0 || plan.points > 0;
  const surveyDue = settings.survey.enabled && ctx.now.getTime() - at.getTime() < SURVEY_MAX_AGE_MS;
  try {
    const doc = new Purchase({
      source: ctx.source,
      orderId: v.orderId,
      memberId: member._id,
      matchedBy,
      amount: plan.counted,
      grossAmount: plan.gross,
      netPaid: plan.net,
      currency: v.currency,
      items: v.items,
      storeId: v.storeId,
      channel: v.channel,
      at,
      receivedAt: ctx.now,
      recordedBy: ctx.actor ?? 'system',
      pointsEarned,
      multiplier: tier.multiplier,
      tierAtPurchase: tier.code,
      survey: surveyDue
        ? { status: 'pending', dueAt: new Date(at.getTime() + settings.survey.delayHours * 3_600_000) }
        : { status: 'none' },
    });
    if (paid)
      doc.payment = {
        credit: plan.credit,
        points: plan.points,
        pointsValue: plan.pointsValue,
        status: 'pending',
        key: paymentKeyOf(doc),
      };
    await doc.save();
    return doc.toObject() as PurchaseDoc;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    // The same order arrived concurrently: continue with the stored one (its effects are idempotent).
    return (await Purchase.findOne({ source: ctx.source, orderId: v.orderId }).lean()) as PurchaseDoc;
  }
}

async function applyPurchaseEffects(
  p: PurchaseDoc,
  ctx: PurchaseContext,
  settings: ProgramSettings,
): Promise<PurchaseResult> {
  const orderKey = `${p.source}:${p.orderId}`;
  const tz = ctx.timeZone;
  const applied = await applyStatsChange(p.memberId, `purchase:${orderKey}`, { count: 1, spend: p.amount, at: p.at });
  if (applied) {
    await countPurchaseAttribution(p, { count: 1, revenue: p.amount });
    await countPurchaseRevenue(p, { count: 1, revenue: p.amount }, applied.firstPurchaseAt);
  }
  await applyPurchaseToStats(p);
  let balance: number | null = null;
  if (p.pointsEarned > 0) {
    const r = await changePoints({
      memberId: p.memberId,
      delta: p.pointsEarned,
      reason: 'purchase',
      key: `purchase:${orderKey}`,
      now: ctx.now,
      actor: ctx.actor,
      note: `消費 ${formatMoney(p.amount)}${p.multiplier > 1 ? `（${p.multiplier} 倍）` : ''}`,
      expiresAt: await expiryForEarning(p.at, tz, settings),
      refs: { purchaseId: String(p._id), orderId: p.orderId, source: p.source },
    });
    balance = r.balance;
  }
  await awardStampsForPurchase(
    { purchaseId: String(p._id), memberId: p.memberId, orderKey, amount: p.amount, items: p.items, at: p.at },
    { now: ctx.now, timeZone: tz },
  );
  const tierChange = await applyEarnedTier(ctx.messenger, p.memberId, ctx.now, { settings, timeZone: tz });
  const referral = await completeReferralOnPurchase(
    ctx.messenger,
    p.memberId,
    { amount: p.amount, orderKey },
    ctx.now,
    { timeZone: tz, settings },
  ).catch((err) => {
    log.error({ err, orderKey }, 'referral completion failed; the next purchase retries it');
    return { completed: false };
  });
  await recordInteraction({
    memberId: p.memberId,
    type: 'purchase',
    channel: p.source === 'console' ? 'console' : 'pos',
    at: p.at,
    key: `purchase:${orderKey}`,
    summary: `消費 ${formatMoney(p.amount)}${p.storeId ? `（${p.storeId}）` : ''}，獲得 ${p.pointsEarned} 點`,
    refs: {
      purchaseId: String(p._id),
      orderId: p.orderId,
      source: p.source,
      storeId: p.storeId,
      categories: [...new Set(p.items.map((i) => i.category).filter(Boolean))],
    },
  });
  const member = await Member.findById(p.memberId, {
    memberCode: 1,
    pointsBalance: 1,
    creditBalance: 1,
    tier: 1,
    'stats.purchaseCount': 1,
  }).lean();
  await enterJourneys(
    { now: ctx.now, timeZone: tz, logger: log },
    {
      type: 'purchase',
      memberId: String(p.memberId),
      ref: orderKey,
      amount: p.amount,
      first: (member?.stats?.purchaseCount ?? 0) === 1,
      storeId: p.storeId ?? null,
      categories: [...new Set(p.items.map((i) => i.category).filter((c): c is string => Boolean(c)))],
    },
  );
  const tier = tierByCode(member?.tier?.code, settings.tiers);
  return {
    purchaseId: String(p._id),
    source: p.source,
    orderId: p.orderId,
    memberId: String(p.memberId),
    memberCode: member?.memberCode ?? '',
    amount: p.amount,
    grossAmount: p.grossAmount ?? p.amount,
    creditUsed: p.payment?.credit ?? 0,
    pointsUsed: p.payment?.points ?? 0,
    pointsValue: p.payment?.pointsValue ?? 0,
    netPaid: p.netPaid ?? p.amount,
    creditBalance: member?.creditBalance ?? 0,
    at: p.at.toISOString(),
    pointsEarned: p.pointsEarned,
    multiplier: p.multiplier,
    pointsBalance: balance ?? member?.pointsBalance ?? 0,
    tier: { code: tier.code, label: tier.label, upgraded: tierChange.direction === 'up' },
    referralCompleted: referral.completed,
    replayed: false,
  };
}

export type { PurchaseMember };
export type PurchaseId = Types.ObjectId;
