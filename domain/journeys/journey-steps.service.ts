import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { Interaction } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { audienceRule } from '../campaigns/campaign.service';
import type { LinkRef } from '../campaigns/tracked-links.service';
import { issueCoupon } from '../coupons';
import { tagMember, untagMember } from '../members/member-tags.service';
import { notifyMember } from '../messaging/notify.service';
import { changePoints, expiryForEarning } from '../points/points.service';
import { grantEarnedCredit } from '../credit/credit.service';
import { programText } from '../program/program-messages';
import { buildAudienceFilter } from '../segments/segment.service';
import { zonedParts } from '../shared/clock';
import { formatDate } from '../../shared/format';
import { tierByCode } from '../tiers/tier-rules';
import type { JourneyLean } from './journey-enter.service';
import type { MemberView, RunLean, StepGroup, TickContext } from './journey-types';
import type { BranchCondition, JourneyStep } from './journey.schema';

/** What a step did (kept in the run's history) and, for a branch, where the run goes next. */
export interface Effect {
  outcome: string;
  target?: string;
}

/**
 * The step's effect for one run, keyed by (run, step) so a repeat after a crash changes nothing: a coupon by the
 * coupon domain (its limits hold; a refusal skips the step), points through the ledger with a key per member, run
 * and step, tags, a branch's condition, or the end.
 */
export async function executeEffect(ctx: TickContext, g: StepGroup, run: RunLean, member: MemberView): Promise<Effect> {
  const step = g.step;
  switch (step.type) {
    case 'coupon':
      return issueStepCoupons(ctx, g.journey, step, run);
    case 'points': {
      const r = await changePoints({
        memberId: run.memberId,
        delta: step.points,
        reason: 'journey',
        key: `journey:${run.memberId}:${run._id}:${step.id}`,
        now: ctx.now,
        actor: 'journey',
        expiresAt: await expiryForEarning(ctx.now, ctx.deps.timeZone, ctx.settings),
        note: g.journey.name.slice(0, 80),
        refs: { journeyId: String(g.journey._id), stepId: step.id },
      });
      return { outcome: r.duplicate ? 'points:already' : `points:${step.points}` };
    }
    case 'credit': {
      const r = await grantEarnedCredit({
        memberId: run.memberId,
        amount: step.amount,
        validDays: step.validDays,
        reason: 'journey',
        key: `journey:${run.memberId}:${run._id}:${step.id}`,
        now: ctx.now,
        actor: 'journey',
        note: g.journey.name.slice(0, 80),
        refs: { journeyId: String(g.journey._id), stepId: step.id },
      });
      return { outcome: r?.duplicate ? 'credit:already' : `credit:${step.amount}` };
    }
    case 'tags': {
      const tc = { now: ctx.now, timeZone: ctx.deps.timeZone, logger: ctx.deps.logger };
      if (step.add.length) await tagMember(tc, run.memberId, step.add, 'journey', 'journey');
      for (const tag of step.remove) await untagMember(tc, run.memberId, tag);
      return { outcome: 'tags' };
    }
    case 'branch': {
      const yes = await conditionHolds(ctx, g.journey, step.condition, run, member);
      return { outcome: yes ? 'branch:then' : 'branch:else', target: yes ? step.then : step.else };
    }
    case 'end':
      return { outcome: 'end', target: 'end' };
    default:
      return { outcome: 'noop' };
  }
}

type CouponStep = Extract<JourneyStep, { type: 'coupon' }>;

/** The coupon key of a step: the tier's own yearly key for tier coupons, so the tier program never issues it again. */
export function stepCouponKey(
  run: RunLean,
  step: CouponStep,
  templateId: string,
  tier: string | null,
  year: number,
): string {
  if (step.templateId === 'tier') return `tier:${run.memberId}:${tier}:${templateId}:${year}`;
  return `journey:${run._id}:${step.id}:${templateId}`;
}

async function issueStepCoupons(
  ctx: TickContext,
  journey: JourneyLean,
  step: CouponStep,
  run: RunLean,
): Promise<Effect> {
  const tierCode = typeof run.entryData?.tier === 'string' ? run.entryData.tier : null;
  const ids =
    step.templateId === 'tier' ? tierByCode(tierCode, ctx.settings.tiers).couponTemplateIds : [step.templateId];
  const year = zonedParts(ctx.now, ctx.deps.timeZone).year;
  const issued: Array<{ title: string; validUntil: string }> = [];
  for (const templateId of ids) {
    try {
      const r = await issueCoupon({
        templateId,
        memberId: run.memberId,
        key: stepCouponKey(run, step, templateId, tierCode, year),
        now: ctx.now,
        actor: 'journey',
        source: step.templateId === 'tier' ? 'tier' : 'journey',
        timeZone: ctx.deps.timeZone,
      });
      issued.push({ title: r.coupon.title, validUntil: r.coupon.validUntil });
    } catch (err) {
      ctx.deps.logger.info(
        { err: (err as Error).message, memberId: String(run.memberId) },
        'journey coupon not issued',
      );
    }
  }
  if (!issued.length) return { outcome: 'skipped:coupon_unavailable' };
  if (step.notify) {
    const text = issued
      .map((c) => programText.couponIssued(c.title, formatDate(c.validUntil, ctx.deps.timeZone)))
      .join('\n');
    await notifyMember(
      ctx.deps.messenger,
      run.memberId,
      [{ type: 'text', text: `${text}\n${ctx.deps.links.card()}` }],
      {
        key: `journey:${run._id}:${step.id}`,
        now: ctx.now,
        summary: `【${journey.name}】${issued.map((c) => c.title).join('、')}`,
        refs: { journeyId: String(journey._id), stepId: step.id },
        marketing: journey.category === 'marketing',
      },
    );
  }
  return { outcome: `coupon:${issued.map((c) => c.title).join('、')}`.slice(0, 120) };
}

async function conditionHolds(
  ctx: TickContext,
  journey: JourneyLean,
  c: BranchCondition,
  run: RunLean,
  member: MemberView,
): Promise<boolean> {
  switch (c.kind) {
    case 'tag':
      return (member.tags ?? []).some((t) => t.tag === c.tag);
    case 'segment':
      return Boolean(
        await Member.exists({
          _id: member._id,
          ...(await buildAudienceFilter(c.rule, ctx.now, { timeZone: ctx.deps.timeZone })),
        }),
      );
    case 'purchased': {
      const m = await Member.findById(member._id, { 'stats.lastPurchaseAt': 1 }).lean();
      const last = m?.stats?.lastPurchaseAt;
      return Boolean(last && last >= run.enteredAt);
    }
    case 'clicked': {
      const links = ((journey.stepLinks as Record<string, LinkRef[]> | undefined) ?? {})[c.stepId] ?? [];
      if (!links.length) return false;
      return Boolean(await Interaction.exists({ key: { $in: links.map((l) => `click:${l.id}:${member._id}`) } }));
    }
    case 'redeemed': {
      const step = (journey.steps as JourneyStep[]).find((s) => s.id === c.stepId);
      if (step?.type !== 'coupon') return false;
      const tier = typeof run.entryData?.tier === 'string' ? run.entryData.tier : null;
      const ids =
        step.templateId === 'tier' ? tierByCode(tier, ctx.settings.tiers).couponTemplateIds : [step.templateId];
      const years = [zonedParts(run.enteredAt, ctx.deps.timeZone).year, zonedParts(ctx.now, ctx.deps.timeZone).year];
      const keys = ids.flatMap((id) => years.map((y) => stepCouponKey(run, step, id, tier, y)));
      return Boolean(await Coupon.exists({ key: { $in: keys }, status: 'used' }));
    }
  }
}

/** Whether a member still matches a segment-triggered journey's audience (leaving it is an exit). */
export async function stillInSegment(
  ctx: TickContext,
  journey: JourneyLean,
  memberId: Types.ObjectId,
): Promise<boolean> {
  if (journey.trigger.type !== 'segment') return true;
  const rule = await audienceRule(journey.trigger.audience);
  const filter = await buildAudienceFilter(rule, ctx.now, { timeZone: ctx.deps.timeZone });
  return Boolean(await Member.exists({ _id: memberId, ...filter }));
}
