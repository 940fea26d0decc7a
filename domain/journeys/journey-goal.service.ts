import type { Types } from 'mongoose';
import { Journey, JourneyRun } from '../../models/journey.model';
import type { JourneyEvent, JourneyGoal, JourneyOptions } from './journey.schema';

const DAY_MS = 86_400_000;
const LIVE: Array<'active' | 'paused'> = ['active', 'paused'];

type GoalEvent = Extract<JourneyEvent, { type: 'purchase' | 'coupon_redeemed' }>;

function meets(goal: JourneyGoal | null, e: GoalEvent): boolean {
  if (!goal) return false;
  if (goal.kind === 'purchase') return e.type === 'purchase' && e.amount >= goal.minAmount;
  return e.type === 'coupon_redeemed';
}

/**
 * A purchase or a redemption meets the goal of the member's live runs whose goal it is: the run is counted once
 * (conditional on `goalAt` unset), exits when the journey says so (so no later step is sent), and the revenue is
 * attributed to the journey and to the last step sent within the attribution window.
 */
export async function recordGoal(e: GoalEvent, now: Date): Promise<number> {
  const runs = await JourneyRun.find(
    { memberId: e.memberId, status: { $in: LIVE } },
    { journeyId: 1, history: 1, status: 1, stepId: 1, test: 1 },
  ).lean();
  let met = 0;
  for (const run of runs) {
    const j = await Journey.findById(run.journeyId, { goal: 1, options: 1 }).lean();
    if (!j || !meets(j.goal as JourneyGoal | null, e)) continue;
    const exit = (j.options as JourneyOptions | undefined)?.exitOnGoal !== false;
    const set: Record<string, unknown> = { goalAt: now };
    if (exit) Object.assign(set, { status: 'goal', endedAt: now, exitReason: 'goal' });
    const res = await JourneyRun.updateOne(
      { _id: run._id, goalAt: null, status: { $in: LIVE } },
      exit ? { $set: set, $unset: { nextRunAt: 1, claim: 1, claimUntil: 1 } } : { $set: set },
    );
    if (res.modifiedCount !== 1 || run.test) continue;
    met++;
    await Journey.updateOne(
      { _id: run.journeyId },
      { $inc: goalIncrements(run, j.options as JourneyOptions, e, now, exit) },
    );
  }
  return met;
}

function goalIncrements(
  run: {
    history?: Array<{ stepId?: string | null; at?: Date | null; outcome?: string | null }>;
    stepId?: string | null;
  },
  options: JourneyOptions | undefined,
  e: GoalEvent,
  now: Date,
  exit: boolean,
): Record<string, number> {
  const revenue = e.type === 'purchase' ? e.amount : 0;
  const inc: Record<string, number> = { 'stats.goal': 1, 'stats.revenue': revenue };
  if (exit) inc['stats.active'] = -1;
  const windowMs = (options?.attributionDays ?? 7) * DAY_MS;
  const lastSent = [...(run.history ?? [])]
    .reverse()
    .find((h) => h.outcome === 'sent' && h.at && now.getTime() - new Date(h.at).getTime() <= windowMs);
  if (lastSent?.stepId) {
    inc[`stepStats.${lastSent.stepId}.conversions`] = 1;
    inc[`stepStats.${lastSent.stepId}.revenue`] = revenue;
  }
  return inc;
}

export type RunRef = { _id: Types.ObjectId };
