import { Journey, JourneyRun } from '../../models/journey.model';
import type { JourneyLean } from './journey-enter.service';
import { nextIndex, placeAt } from './journey-flow';
import type { JourneyStep } from './journey.schema';
import type { RunLean, StepGroup, TickContext } from './journey-types';

/**
 * Moves runs past the step they executed (all at the same step, same outcome): to the next step's placement, or
 * finished. Conditional on this tick's claim and on that step, so it happens once; counters move by what changed.
 */
export async function advanceRuns(
  ctx: TickContext,
  g: StepGroup,
  runs: RunLean[],
  outcome: string,
  target?: string,
  selector?: Record<string, unknown>,
): Promise<number> {
  // Waits count from when the step was planned (not from a quiet-hours or retry delay): one update per plan time.
  const byPlan = new Map<number, RunLean[]>();
  for (const r of runs) {
    const planned = Math.min(r.scheduledAt?.getTime() ?? ctx.now.getTime(), ctx.now.getTime());
    byPlan.set(planned, [...(byPlan.get(planned) ?? []), r]);
  }
  let n = 0;
  for (const [planned, rs] of byPlan)
    n += await advanceFrom(ctx, g, rs, outcome, new Date(planned), target, byPlan.size === 1 ? selector : undefined);
  return n;
}

async function advanceFrom(
  ctx: TickContext,
  g: StepGroup,
  runs: RunLean[],
  outcome: string,
  from: Date,
  target?: string,
  selector?: Record<string, unknown>,
): Promise<number> {
  if (!runs.length) return 0;
  const steps = g.journey.steps as JourneyStep[];
  // A test run (console, one test recipient) goes through every step at once: its waits take no time.
  const flow = runs.every((r) => r.test) ? steps.filter((s, i) => s.type !== 'wait' || i <= g.index) : steps;
  const next = nextIndex(flow, flow.indexOf(g.step), target);
  const placed = placeAt(flow, next, from, ctx.deps.timeZone);
  const done = placed.stepId === null;
  const set: Record<string, unknown> = done
    ? { status: 'completed', endedAt: ctx.now, stepId: null }
    : { stepId: placed.stepId, nextRunAt: placed.nextRunAt, scheduledAt: placed.nextRunAt };
  const unset: Record<string, 1> = { claim: 1, claimUntil: 1, pending: 1, ...(done ? { nextRunAt: 1 as const } : {}) };
  const res = await JourneyRun.updateMany(
    {
      ...(selector ?? { _id: runs.length === 1 ? runs[0]._id : { $in: runs.map((r) => r._id) } }),
      claim: ctx.token,
      stepId: g.step.id,
    },
    { $set: set, $unset: unset, $push: { history: { stepId: g.step.id, at: ctx.now, outcome } } },
  );
  const n = res.modifiedCount;
  if (done) {
    ctx.result.completed += n;
    await freeSlots(g.journey, runs);
  }
  const counted = runs[0].test ? 0 : n;
  if (counted) {
    const bucket =
      outcome === 'sent'
        ? 'sent'
        : outcome.startsWith('skipped')
          ? 'skipped'
          : outcome.startsWith('failed')
            ? 'failed'
            : 'done';
    const inc: Record<string, number> = { [`stepStats.${g.step.id}.${bucket}`]: counted };
    if (done) Object.assign(inc, { 'stats.completed': counted, 'stats.active': -counted });
    else inc[`stepStats.${placed.stepId}.entered`] = counted;
    await Journey.updateOne({ _id: g.journey._id }, { $inc: inc });
  }
  return n;
}

/** Ends runs early (unfollowed, consent withdrawn, left the segment, journey removed). */
export async function exitRuns(
  ctx: TickContext,
  journey: JourneyLean | null,
  runs: RunLean[],
  reason: string,
): Promise<void> {
  const res = await JourneyRun.updateMany(
    { _id: { $in: runs.map((r) => r._id) }, claim: ctx.token },
    {
      $set: { status: 'exited', endedAt: ctx.now, exitReason: reason },
      $unset: { claim: 1, claimUntil: 1, nextRunAt: 1, pending: 1 },
    },
  );
  ctx.result.exited += res.modifiedCount;
  const counted = runs.filter((r) => !r.test).length;
  if (journey && res.modifiedCount && counted) {
    await Journey.updateOne(
      { _id: journey._id },
      { $inc: { 'stats.exited': counted, 'stats.active': -counted, [`exitReasons.${reason}`]: counted } },
    );
    await freeSlots(journey, runs);
  }
}

/** A journey that allows re-entry frees the member's slot when a run ends (the N-day wait is checked on entry). */
async function freeSlots(journey: Pick<JourneyLean, '_id' | 'options'>, runs: RunLean[]): Promise<void> {
  if (journey.options?.reentryAfterDays == null) return;
  for (const r of runs)
    await JourneyRun.updateOne({ _id: r._id, slot: 'current' }, { $set: { slot: `ended:${r._id}` } });
}

/** Gives claimed runs back, due again at `at` (quiet hours, LINE unavailable): nothing done, nothing lost. */
export async function deferRuns(ctx: TickContext, runs: RunLean[], at: Date): Promise<void> {
  await JourneyRun.updateMany(
    { _id: { $in: runs.map((r) => r._id) }, claim: ctx.token },
    { $set: { nextRunAt: at }, $unset: { claim: 1, claimUntil: 1 } },
  );
}
