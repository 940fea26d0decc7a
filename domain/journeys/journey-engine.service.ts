import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { Journey, JourneyRun } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { getProgramSettings } from '../program/settings.service';
import type { JourneyLean } from './journey-enter.service';
import { consentAllows } from './journey-flow';
import type { JourneyOptions, JourneyStep } from './journey.schema';
import { inQuietHours, quietHoursEnd } from '../campaigns/dispatch.service';
import { executeEffect, stillInSegment } from './journey-steps.service';
import { sendMessageStep } from './journey-send.service';
import { advanceRuns, deferRuns, exitRuns } from './journey-moves.service';
import type { JourneyDeps, MemberView, RunLean, StepGroup, TickContext, TickResult } from './journey-types';

export type { JourneyDeps, TickResult } from './journey-types';

/**
 * The journeys engine: one tick reads only the runs that are due (`status: active, nextRunAt ≤ now`, on the
 * (status, nextRunAt) index) in batches, claims each batch with one conditional update carrying this tick's own
 * token, and executes each claimed run's current step. Every effect is keyed by (run, step); the run then moves on
 * with an update conditional on its claim and the step it executed, so a step is done once even when several
 * instances tick at once or one crashes mid-step (its claim runs out and the next claimer finds the same step,
 * whose keyed effects are no-ops the second time).
 */

/** How long a claim lasts: longer than any batch takes, short enough that a crashed instance's runs resume soon. */
export const CLAIM_MS = 2 * 60_000;
export const TICK_BATCH = 1000;
const MAX_ROUNDS = 500;

/** Runs every due step once; steps made due by this tick (no wait between them) run in the same tick. */
export async function runDueJourneySteps(
  deps: JourneyDeps,
  now: Date,
  opts: { batchSize?: number } = {},
): Promise<TickResult> {
  const result: TickResult = {
    claimed: 0,
    executed: 0,
    sent: 0,
    skipped: 0,
    deferred: 0,
    exited: 0,
    completed: 0,
    retried: 0,
  };
  const settings = await getProgramSettings();
  const journeys = new Map<string, JourneyLean | null>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const claim = await claimDue(deps, now, opts.batchSize ?? TICK_BATCH);
    if (!claim) break;
    result.claimed += claim.runs.length;
    const ctx: TickContext = { deps, now, token: claim.token, settings, result };
    await executeClaimed(ctx, claim.runs, journeys);
  }
  return result;
}

async function claimDue(
  deps: JourneyDeps,
  now: Date,
  batch: number,
): Promise<{ token: string; runs: RunLean[] } | null> {
  const leaseNow = deps.clock();
  const free = { $or: [{ claimUntil: null }, { claimUntil: { $lt: leaseNow } }] };
  const due = await JourneyRun.find({ status: 'active', nextRunAt: { $lte: now }, ...free }, { _id: 1, nextRunAt: 1 })
    .sort({ nextRunAt: 1, _id: 1 })
    .limit(batch)
    .lean();
  if (!due.length) return null;
  const token = randomBytes(8).toString('hex');
  // The batch as a range of the (nextRunAt, _id) order up to its last run, not a list of ids: one bounded index
  // range that a server evaluates cheaply per document, whatever the batch size.
  const last = due[due.length - 1];
  await JourneyRun.updateMany(
    {
      status: 'active',
      nextRunAt: { $lte: last.nextRunAt! },
      $and: [free, { $or: [{ nextRunAt: { $lt: last.nextRunAt! } }, { _id: { $lte: last._id } }] }],
    },
    { $set: { claim: token, claimUntil: new Date(leaseNow.getTime() + CLAIM_MS) } },
  );
  const runs = (await JourneyRun.find({ claim: token }, { history: 0 }).lean()) as unknown as RunLean[];
  // Everything due was claimed by other instances meanwhile: nothing left for this one.
  return runs.length ? { token, runs } : null;
}

async function loadJourney(cache: Map<string, JourneyLean | null>, id: Types.ObjectId): Promise<JourneyLean | null> {
  const key = String(id);
  if (!cache.has(key)) cache.set(key, (await Journey.findById(id).lean()) as unknown as JourneyLean | null);
  return cache.get(key)!;
}

async function executeClaimed(
  ctx: TickContext,
  runs: RunLean[],
  cache: Map<string, JourneyLean | null>,
): Promise<void> {
  const members = new Map(
    (
      (await Member.find(
        { _id: { $in: runs.map((r) => r.memberId) } },
        { lineUserId: 1, status: 1, erasedAt: 1, consent: 1, tags: 1, displayName: 1 },
      ).lean()) as unknown as MemberView[]
    ).map((m) => [String(m._id), m]),
  );
  const groups = new Map<string, StepGroup>();
  for (const run of runs) {
    const journey = await loadJourney(cache, run.journeyId);
    if (!journey || journey.status === 'archived') {
      await exitRuns(ctx, journey, [run], 'journey_removed');
      continue;
    }
    if (journey.status !== 'active') {
      await JourneyRun.updateOne(
        { _id: run._id, claim: ctx.token },
        { $set: { status: 'paused' }, $unset: { claim: 1, claimUntil: 1 } },
      );
      continue;
    }
    const steps = journey.steps as JourneyStep[];
    const index = steps.findIndex((s) => s.id === run.stepId);
    const member = members.get(String(run.memberId));
    const reason = await exitReasonOf(ctx, journey, index, member, run);
    if (reason) {
      await exitRuns(ctx, journey, [run], reason);
      continue;
    }
    const key = `${journey._id}:${steps[index].id}:${run.test ? 'test' : 'live'}`;
    const g = groups.get(key) ?? { journey, step: steps[index], index, runs: [] };
    g.runs.push(run);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const quiet = (g.journey.options as JourneyOptions).quietHours;
    if (messagesMember(g.step) && inQuietHours(ctx.now, ctx.deps.timeZone, quiet)) {
      // A step that writes to the member waits until quiet hours end: nothing done, nothing lost.
      ctx.result.deferred += g.runs.length;
      await deferRuns(ctx, g.runs, quietHoursEnd(ctx.now, ctx.deps.timeZone, quiet));
      continue;
    }
    ctx.result.executed += g.runs.length;
    if (g.step.type === 'message') await sendMessageStep(ctx, g, members);
    else
      for (const run of g.runs) {
        const effect = await executeEffect(ctx, g, run, members.get(String(run.memberId))!);
        await advanceRuns(ctx, g, [run], effect.outcome, effect.target);
      }
  }
}

const messagesMember = (s: JourneyStep) => s.type === 'message' || (s.type === 'coupon' && s.notify);

/** Why a run leaves its journey before this step, or null to go on. */
async function exitReasonOf(
  ctx: TickContext,
  journey: JourneyLean,
  index: number,
  member: MemberView | undefined,
  run: RunLean,
): Promise<string | null> {
  if (index < 0) return 'step_removed';
  if (!member || member.erasedAt || !member.lineUserId) return 'member_removed';
  if (member.status === 'blocked') return 'unfollowed';
  if (!consentAllows(journey.category, member, ctx.settings.journeys.transactionalWithoutConsent))
    return 'consent_withdrawn';
  if (journey.trigger.type === 'segment' && !run.test && !(await stillInSegment(ctx, journey, member._id)))
    return 'left_segment';
  return null;
}
