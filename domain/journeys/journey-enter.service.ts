import type { Types } from 'mongoose';
import { Journey, JourneyRun } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import type { Logger } from '../shared/logger';
import type { JourneyEvent, JourneyStep, JourneyTrigger, ParsedJourneyInput } from './journey.schema';
import { placeAt } from './journey-flow';
import { recordGoal } from './journey-goal.service';

type JourneyLean = Omit<ParsedJourneyInput, 'status'> & { _id: Types.ObjectId; status: string; stepLinks?: unknown };
export type { JourneyLean };

const DAY_MS = 86_400_000;

/** Which trigger type an event starts, and whether this journey's trigger conditions accept it. */
function triggerAccepts(t: JourneyTrigger, e: JourneyEvent): boolean {
  switch (t.type) {
    case 'followed':
      return e.type === 'followed' && (t.include === 'both' || (t.include === 'returning') === e.returning);
    case 'consent_accepted':
    case 'persona_completed':
      return e.type === t.type;
    case 'first_purchase':
      return e.type === 'purchase' && e.first;
    case 'purchase':
      return (
        e.type === 'purchase' &&
        e.amount >= t.minAmount &&
        (!t.storeId || e.storeId === t.storeId) &&
        (!t.category || (e.categories ?? []).includes(t.category))
      );
    case 'tier_changed':
      return (
        e.type === 'tier_changed' &&
        (t.direction === 'any' || t.direction === e.direction) &&
        (!t.tier || t.tier === e.to)
      );
    case 'tag_changed':
      return e.type === 'tag_changed' && e.change === t.change && e.tag === t.tag;
    default:
      return false;
  }
}

const TRIGGER_TYPES: Record<JourneyEvent['type'], string[]> = {
  followed: ['followed'],
  consent_accepted: ['consent_accepted'],
  persona_completed: ['persona_completed'],
  purchase: ['first_purchase', 'purchase'],
  tier_changed: ['tier_changed'],
  tag_changed: ['tag_changed'],
  coupon_redeemed: [],
};

function entryRefOf(e: JourneyEvent): string {
  if (e.type === 'purchase') return `purchase:${e.ref}`;
  if (e.type === 'tier_changed') return `tier:${e.to}`;
  if (e.type === 'tag_changed') return `tag:${e.change}:${e.tag}`;
  return e.type;
}

/**
 * The one call each product event makes (follow, consent, persona completion, purchase, tier change, tag change):
 * records goals of the member's active runs (a purchase), then enters the member into every active journey whose
 * trigger accepts the event. Never throws into the caller's use case: a journey problem is logged, the event's own
 * work (points, the reply) stands.
 */
export async function enterJourneys(
  ctx: { now: Date; timeZone: string; logger: Logger },
  event: JourneyEvent,
  /** The active journeys of this event's trigger types, when the caller loaded them once for many events. */
  preloaded?: JourneyLean[],
): Promise<{ entered: number }> {
  try {
    if (event.type === 'purchase' || event.type === 'coupon_redeemed') await recordGoal(event, ctx.now);
    const types = TRIGGER_TYPES[event.type];
    if (!types.length) return { entered: 0 };
    const journeys = preloaded ?? (await activeJourneysFor(event.type));
    let entered = 0;
    for (const j of journeys) {
      if (!triggerAccepts(j.trigger, event)) continue;
      const data = event.type === 'tier_changed' ? { tier: event.to } : undefined;
      if (await enterRun(j, event.memberId, ctx.now, ctx.timeZone, entryRefOf(event), data)) entered++;
    }
    return { entered };
  } catch (err) {
    ctx.logger.warn({ err, event: event.type }, 'journey entry failed');
    return { entered: 0 };
  }
}

/**
 * The active journeys an event of this type may start: one read that a batch of events (an import's rows) shares
 * by passing it to `enterJourneys`.
 */
export async function activeJourneysFor(type: JourneyEvent['type']): Promise<JourneyLean[]> {
  const types = TRIGGER_TYPES[type];
  if (!types.length) return [];
  return (await Journey.find({ status: 'active', 'trigger.type': { $in: types } }).lean()) as unknown as JourneyLean[];
}

/**
 * Puts a member in a journey, at most one run at a time: the unique (journey, member, slot) key refuses a second
 * concurrent entry, and a finished run keeps the slot unless re-entry is allowed (then after N days only).
 * Members who cannot be reached (no LINE, blocked, erased) do not enter. True when a run was created.
 */
export async function enterRun(
  j: Pick<JourneyLean, '_id' | 'steps' | 'options'>,
  memberId: string | Types.ObjectId,
  now: Date,
  timeZone: string,
  entryRef: string,
  entryData?: Record<string, unknown>,
  test = false,
): Promise<boolean> {
  const member = await Member.findOne(
    { _id: memberId, erasedAt: null, status: { $ne: 'blocked' } },
    { lineUserId: 1 },
  ).lean();
  if (!member?.lineUserId) return false;
  const reentry = j.options?.reentryAfterDays ?? null;
  if (reentry !== null) {
    const last = await JourneyRun.findOne({ journeyId: j._id, memberId: member._id }, { endedAt: 1, status: 1 })
      .sort({ endedAt: -1 })
      .lean();
    if (last?.endedAt && now.getTime() - last.endedAt.getTime() < reentry * DAY_MS) return false;
  }
  const placed = placeAt(j.steps as JourneyStep[], 0, now, timeZone);
  try {
    await JourneyRun.create({
      journeyId: j._id,
      memberId: member._id,
      lineUserId: member.lineUserId,
      slot: test ? `test:${now.getTime()}` : 'current',
      status: placed.stepId ? 'active' : 'completed',
      stepId: placed.stepId,
      nextRunAt: placed.nextRunAt,
      scheduledAt: placed.nextRunAt,
      enteredAt: now,
      entryRef,
      entryData,
      test,
      ...(placed.stepId ? {} : { endedAt: now }),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
  if (!test) {
    const inc: Record<string, number> = { 'stats.entered': 1, [placed.stepId ? 'stats.active' : 'stats.completed']: 1 };
    if (placed.stepId) inc[`stepStats.${placed.stepId}.entered`] = 1;
    await Journey.updateOne({ _id: j._id }, { $inc: inc });
  }
  return true;
}
