import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { Delivery } from '../../models/delivery.model';
import { Interaction } from '../../models/interaction.model';
import { JourneyRun, JourneySend } from '../../models/journey.model';
import { pushCountsFor } from '../campaigns/run-freeze.service';
import { runPool, sendWithRetry, TokenBucket, type RetryPolicy } from '../campaigns/send-pacer';
import { type LinkRef, memberLinkCodes, rewriteLinks } from '../campaigns/tracked-links.service';
import type { CampaignMessage } from '../campaigns/campaign.schema';
import { type LineMessage, MAX_MULTICAST_RECIPIENTS, type MessengerError } from '../messaging/messenger';
import { summarize } from '../messaging/notify.service';
import { retryKeyFor } from '../messaging/retry-key';
import { advanceRuns, deferRuns } from './journey-moves.service';
import type { MemberView, RunLean, StepGroup, TickContext } from './journey-types';
import type { JourneyOptions, JourneyStep } from './journey.schema';
import { aggregationUnitOf, linkScopeOf } from './journey-time';
import { createMemberVariableFiller, usesMemberVariables } from '../campaigns/member-variables';

type MessageStep = Extract<JourneyStep, { type: 'message' }>;

/** A send LINE could not take (429/5xx past the retries, quota): the runs are due again this much later. */
export const SEND_RETRY_MS = 5 * 60_000;

/**
 * A message step for a group of runs (quiet hours were checked by the engine): members over the frequency cap shared with campaigns skip the step (marketing journeys only); the rest
 * get one multicast per ≤ 500 members (or one push each when links are tracked per member), tagged with the step's
 * aggregation unit for LINE's per-unit statistics.
 */
export async function sendMessageStep(ctx: TickContext, g: StepGroup, members: Map<string, MemberView>): Promise<void> {
  const options = g.journey.options as JourneyOptions;
  let runs = g.runs;
  const cap = options.frequencyCap;
  if (cap && g.journey.category === 'marketing') {
    // A run resuming a send already in flight is not counted against itself.
    const fresh = runs.filter((r) => !r.pending?.batch);
    const counts = await pushCountsFor(
      fresh.map((r) => r.memberId),
      cap.windowDays,
      ctx.now,
    );
    const over = fresh.filter((r) => (counts.get(String(r.memberId)) ?? 0) >= cap.maxPerWindow);
    ctx.result.skipped += await advanceRuns(ctx, g, over, 'skipped:frequency_cap');
    const skip = new Set(over.map((r) => String(r._id)));
    runs = runs.filter((r) => !skip.has(String(r._id)));
  }
  const step = g.step as MessageStep;
  const links = ((g.journey.stepLinks as Record<string, LinkRef[]> | undefined) ?? {})[step.id] ?? [];
  const unit = aggregationUnitOf(String(g.journey._id), step.id);
  // Per-member link codes and per-member variables (`{suggested_product}`) both need one push per member.
  if (step.linkTracking === 'member' || usesMemberVariables(step.messages))
    return pushEach(ctx, g, runs, links, unit, members);
  const messages = rewriteLinks(step.messages as CampaignMessage[], links, ctx.deps.links.server(''), {
    showHosts: true,
  }) as LineMessage[];
  for (const batch of await batchesOf(ctx, g, runs)) {
    const res = await sendWithRetry(
      () =>
        ctx.deps.messenger.multicast(batch.to, messages, {
          retryKey: retryKeyFor(`journey:${batch.id}`),
          customAggregationUnits: [unit],
        }),
      policyOf(ctx),
      () => bucketOf(ctx).take(),
    );
    if (res.ok) {
      await JourneySend.updateOne({ _id: batch.id }, { $set: { status: 'sent', sentAt: ctx.deps.clock() } });
      await recordSent(ctx, g, batch.runs, messages, { 'pending.batch': batch.id });
    } else await failed(ctx, g, batch.runs, res.error);
  }
}

interface Batch {
  id: string;
  to: string[];
  runs: RunLean[];
}

/**
 * The multicasts for these runs. A run whose send was in flight when an instance died resumes in its original
 * batch: same recipients, same retry key, so LINE answers "already accepted" instead of delivering twice. New runs
 * form new batches, each written down (recipients, runs) before anything is sent.
 */
async function batchesOf(ctx: TickContext, g: StepGroup, runs: RunLean[]): Promise<Batch[]> {
  const out: Batch[] = [];
  const resumed = new Map<string, RunLean[]>();
  const fresh: RunLean[] = [];
  for (const r of runs) {
    if (r.pending?.batch && r.pending.stepId === g.step.id)
      resumed.set(r.pending.batch, [...(resumed.get(r.pending.batch) ?? []), r]);
    else fresh.push(r);
  }
  for (const [id, rs] of resumed) {
    const doc = await JourneySend.findById(id, { to: 1 }).lean();
    out.push({ id, to: doc?.to ?? rs.map((r) => r.lineUserId!), runs: rs });
  }
  for (let i = 0; i < fresh.length; i += MAX_MULTICAST_RECIPIENTS) {
    const rs = fresh.slice(i, i + MAX_MULTICAST_RECIPIENTS);
    const id = `${g.journey._id}:${g.step.id}:${randomBytes(6).toString('hex')}`;
    const to = rs.map((r) => r.lineUserId!);
    await JourneySend.create({
      _id: id,
      journeyId: g.journey._id,
      stepId: g.step.id,
      to,
      runIds: rs.map((r) => r._id),
      createdAt: ctx.now,
    });
    await JourneyRun.updateMany(
      { _id: { $in: rs.map((r) => r._id) }, claim: ctx.token },
      { $set: { pending: { stepId: g.step.id, batch: id } } },
    );
    out.push({ id, to, runs: rs });
  }
  return out;
}

/**
 * Per-member sends: when tracked per member each link is the member's own short code (`/r/<code>`, the same code
 * on a resend), so a "clicked" branch can tell who opened it with no member token in the text; member variables
 * are filled. Plain-text links show their destination's host line, as in campaigns.
 */
async function pushEach(
  ctx: TickContext,
  g: StepGroup,
  runs: RunLean[],
  links: LinkRef[],
  unit: string,
  members: Map<string, MemberView>,
): Promise<void> {
  const step = g.step as MessageStep;
  const fill = createMemberVariableFiller();
  await runPool(runs, ctx.deps.sending.concurrency, async (run) => {
    const codes =
      step.linkTracking === 'member'
        ? await memberLinkCodes(links, run.memberId, linkScopeOf(g.journey._id, step.id))
        : undefined;
    const messages = await fill(
      rewriteLinks(step.messages as CampaignMessage[], links, ctx.deps.links.server(''), {
        codes,
        showHosts: true,
      }) as LineMessage[],
      run.memberId,
    );
    const to = members.get(String(run.memberId))?.lineUserId ?? run.lineUserId!;
    const res = await sendWithRetry(
      () =>
        ctx.deps.messenger.push(to, messages, {
          retryKey: retryKeyFor(`journey:${run._id}:${step.id}`),
          customAggregationUnits: [unit],
        }),
      policyOf(ctx),
      () => bucketOf(ctx).take(),
    );
    if (res.ok) await recordSent(ctx, g, [run], messages);
    else await failed(ctx, g, [run], res.error);
  });
}

/**
 * After LINE accepted: the deliveries that count toward the shared frequency cap (keyed by journey, step and
 * run), the members' timelines, then the runs move on. A crash before the runs move on resends with the same key.
 */
async function recordSent(
  ctx: TickContext,
  g: StepGroup,
  runs: RunLean[],
  messages: LineMessage[],
  selector?: Record<string, unknown>,
): Promise<void> {
  const at = ctx.deps.clock();
  const live = runs.filter((r) => !r.test);
  const deliveries = live.map((r) => ({
    campaignId: g.journey._id,
    occurrence: `journey:${g.step.id}:${r._id}`,
    memberId: r.memberId,
    lineUserId: r.lineUserId,
    batch: 0,
    status: 'sent',
    countedAt: ctx.now,
    sentAt: at,
  }));
  const summary = `【${g.journey.name}】${summarize(messages)}`.slice(0, 300);
  const timeline = runs.map((r) => ({
    memberId: r.memberId,
    lineUserId: r.lineUserId,
    type: 'push',
    channel: 'line',
    summary,
    at: ctx.now,
    refs: { journeyId: String(g.journey._id), stepId: g.step.id },
    key: `push:journey:${r._id}:${g.step.id}`,
  }));
  await insertIgnoringDuplicates(Delivery, deliveries);
  await insertIgnoringDuplicates(Interaction, timeline);
  ctx.result.sent += await advanceRuns(ctx, g, runs, 'sent', undefined, selector);
}

/** LINE refused the message itself (400): the step is skipped for these runs. Otherwise they wait and retry. */
async function failed(ctx: TickContext, g: StepGroup, runs: RunLean[], error: MessengerError): Promise<void> {
  ctx.deps.logger.warn(
    { journeyId: String(g.journey._id), stepId: g.step.id, status: error.status },
    'journey send failed',
  );
  if (error.status === 400) {
    ctx.result.skipped += await advanceRuns(ctx, g, runs, 'failed:line_error');
    return;
  }
  ctx.result.retried += runs.length;
  await deferRuns(ctx, runs, new Date(ctx.now.getTime() + SEND_RETRY_MS));
}

async function insertIgnoringDuplicates(
  model: { insertMany: (d: unknown[], o: object) => Promise<unknown> },
  docs: unknown[],
): Promise<void> {
  if (!docs.length) return;
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
  } catch (err) {
    const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
    const dupOnly =
      (e.code === 11000 && !e.writeErrors) ||
      (Array.isArray(e.writeErrors) && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000));
    if (!dupOnly) throw err;
  }
}

const policyOf = (ctx: TickContext): RetryPolicy => ({
  maxAttempts: ctx.deps.sending.maxAttempts,
  baseMs: ctx.deps.sending.retryBaseMs,
  maxMs: ctx.deps.sending.retryMaxMs,
});

const buckets = new WeakMap<TickContext, TokenBucket>();
function bucketOf(ctx: TickContext): TokenBucket {
  let b = buckets.get(ctx);
  if (!b) buckets.set(ctx, (b = new TokenBucket(ctx.deps.sending.multicastPerSecond)));
  return b;
}

export type { Types };
