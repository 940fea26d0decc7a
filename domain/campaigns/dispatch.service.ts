import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { Campaign, type CampaignLean, CampaignRun } from '../../models/campaign.model';
import { Delivery } from '../../models/delivery.model';
import { zonedParts, zonedTimeToUtc, zonedDate } from '../shared/clock';
import { campaignText } from './campaign-text';
import { minuteKey, nextCronTime } from '../scheduling/cron';
import { freezeRun } from './run-freeze.service';
import { countDeliveries } from './campaign-counters.service';
import { type SendDeps, sendPending } from './run-send.service';
import { askLine, renderCampaignMessages, sampleCodes, variantKeysOf } from './campaign-render.service';
import { checkLineMessages } from '../messaging/line-rules/line-message-rules';
import type { LineRejection } from '../messaging/messenger';

/** A run's lock lasts this long without renewal (renewed after every batch). */
export const RUN_LOCK_MS = 2 * 60_000;

export interface QuietHours {
  enabled: boolean;
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in quiet hours (which may wrap midnight, e.g. 21:00–09:00). */
export function inQuietHours(at: Date, timeZone: string, q: QuietHours | null | undefined): boolean {
  if (!q?.enabled) return false;
  const p = zonedParts(at, timeZone);
  const t = p.hour * 60 + p.minute;
  const [s, e] = [minutesOf(q.start), minutesOf(q.end)];
  return s < e ? t >= s && t < e : t >= s || t < e;
}

/** The instant quiet hours that contain `at` end. */
export function quietHoursEnd(at: Date, timeZone: string, q: QuietHours): Date {
  const today = zonedTimeToUtc(zonedDate(at, timeZone), q.end, timeZone);
  return today > at ? today : new Date(today.getTime() + 86_400_000);
}

export interface DispatchResult {
  [k: string]: number;
  due: number;
  started: number;
  deferred: number;
  processed: number;
  held: number;
  sent: number;
  failed: number;
}

/**
 * One pass of the campaign dispatcher (run every minute by the campaign-dispatch job):
 * 1. due campaigns get their occurrence created (unless inside quiet hours: then deferred to when they end) and
 *    their next occurrence planned;
 * 2. every run that is not finished and not locked by a live dispatcher is frozen (if needed), checked against
 *    the monthly quota and sent. That includes runs left behind by a crashed instance.
 */
export async function dispatchDueCampaigns(deps: SendDeps, now: Date): Promise<DispatchResult> {
  const tz = deps.timeZone;
  const result: DispatchResult = { due: 0, started: 0, deferred: 0, processed: 0, held: 0, sent: 0, failed: 0 };
  const due = await Campaign.find({ status: 'scheduled', nextRunAt: { $lte: now } })
    .sort({ nextRunAt: 1 })
    .lean();
  result.due = due.length;
  for (const c of due) {
    const outcome = await startOccurrence(c, now, tz);
    if (outcome === 'deferred') result.deferred += 1;
    if (outcome === 'started') result.started += 1;
  }
  const runs = await CampaignRun.find({
    status: { $in: ['freezing', 'sending'] },
    $or: [{ lockedUntil: null }, { lockedUntil: { $lt: deps.clock() } }],
  })
    .sort({ plannedAt: 1 })
    .lean();
  for (const run of runs) {
    const r = await processRun(deps, run._id, now);
    if (r === null) continue;
    result.processed += 1;
    result.sent += r.sent;
    result.failed += r.failed;
    if (r.status === 'held') result.held += 1;
  }
  return result;
}

async function startOccurrence(
  c: CampaignLean,
  now: Date,
  tz: string,
): Promise<'started' | 'deferred' | 'ended' | 'raced'> {
  const plannedAt = c.nextRunAt;
  // The due query only returns campaigns with a nextRunAt; a campaign without one has nothing to start.
  if (!plannedAt) return 'raced';
  const endAt: Date | null = c.options?.endAt ? new Date(c.options.endAt) : null;
  if (endAt && plannedAt > endAt) {
    await Campaign.updateOne(
      { _id: c._id, status: 'scheduled' },
      { $set: { status: 'completed' }, $unset: { nextRunAt: 1 } },
    );
    return 'ended';
  }
  if (inQuietHours(now, tz, c.options?.quietHours)) {
    await Campaign.updateOne(
      { _id: c._id, status: 'scheduled' },
      { $set: { deferredUntil: quietHoursEnd(now, tz, c.options.quietHours) } },
    );
    return 'deferred';
  }
  const occurrence = minuteKey(plannedAt, tz);
  const update: Record<string, unknown> = { $set: { lastRunAt: now }, $unset: { deferredUntil: 1 } };
  if (c.schedule.type === 'once') {
    (update.$set as Record<string, unknown>).status = 'sending';
    (update.$unset as Record<string, unknown>).nextRunAt = 1;
  } else {
    // Occurrences missed while deferred or down collapse into this one: the next is planned after `now`.
    const next = nextCronTime(c.schedule.cron, plannedAt > now ? plannedAt : now, tz);
    if (next && (!endAt || next <= endAt)) (update.$set as Record<string, unknown>).nextRunAt = next;
    else (update.$unset as Record<string, unknown>).nextRunAt = 1;
  }
  // Only the dispatcher that moves nextRunAt on creates the run, so two instances cannot start it twice.
  const moved = await Campaign.updateOne({ _id: c._id, status: 'scheduled', nextRunAt: plannedAt }, update);
  if (moved.modifiedCount === 0) return 'raced';
  try {
    await CampaignRun.create({ campaignId: c._id, occurrence, plannedAt, status: 'freezing' });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return 'started';
}

interface RunOutcome {
  status: string;
  sent: number;
  failed: number;
}

/** Claims a run (lock), freezes it if needed, checks quota and sends. Null when another dispatcher holds it. */
export async function processRun(deps: SendDeps, runId: Types.ObjectId, now: Date): Promise<RunOutcome | null> {
  const owner = randomBytes(6).toString('hex');
  const clock = deps.clock();
  const run = await CampaignRun.findOneAndUpdate(
    {
      _id: runId,
      status: { $in: ['freezing', 'sending'] },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lt: clock } }],
    },
    { $set: { lockedBy: owner, lockedUntil: new Date(clock.getTime() + RUN_LOCK_MS) } },
    { returnDocument: 'after' },
  ).lean();
  if (!run) return null;
  const campaign = await Campaign.findById(run.campaignId).lean();
  const log = deps.logger.child({
    module: 'campaigns',
    campaignId: String(run.campaignId),
    occurrence: run.occurrence,
  });
  if (!campaign || campaign.status === 'cancelled') {
    await CampaignRun.updateOne(
      { _id: run._id },
      { $set: { status: 'cancelled', completedAt: now }, $unset: { lockedBy: 1, lockedUntil: 1 } },
    );
    return { status: 'cancelled', sent: 0, failed: 0 };
  }
  if (inQuietHours(now, deps.timeZone, campaign.options?.quietHours)) {
    await unlock(run._id, owner);
    return { status: 'deferred', sent: 0, failed: 0 };
  }
  if (!run.startedAt) await CampaignRun.updateOne({ _id: run._id }, { $set: { startedAt: now } });
  if (run.status === 'freezing') {
    // Before anyone is picked: the final messages must pass our LINE rules and LINE's own validate endpoint.
    const rejection = await checkBeforeSend(deps, campaign);
    if (rejection) {
      log.warn({ reason: rejection.message }, 'campaign refused before sending');
      return failRejected(run._id, campaign, run.occurrence, rejection, now);
    }
    const frozen = await freezeRun({
      runId: run._id,
      campaign,
      occurrence: run.occurrence,
      now,
      timeZone: deps.timeZone,
    });
    log.info(frozen, 'campaign audience frozen');
  }
  const quota = await checkQuota(deps, run._id, campaign, run.occurrence);
  if (quota !== 'ok') {
    if (quota === 'held') return finish(run._id, campaign, 'held', now);
    await unlock(run._id, owner);
    return { status: 'retry', sent: 0, failed: 0 };
  }
  const stop = await sendPending({
    deps,
    runId: run._id,
    owner,
    lockMs: RUN_LOCK_MS,
    campaign,
    occurrence: run.occurrence,
    now,
  });
  if (stop === 'lost') return { status: 'lost', sent: 0, failed: 0 };
  if (stop === 'rejected') {
    const after = await CampaignRun.findById(run._id, { lineError: 1, error: 1 }).lean();
    const rejection = (after?.lineError as LineRejection | undefined) ?? { message: after?.error ?? '', details: [] };
    return failRejected(run._id, campaign, run.occurrence, rejection, now);
  }
  if (stop === 'quota') {
    await hold(run._id, campaign._id, campaignText.heldQuotaRejected);
    return finish(run._id, campaign, 'held', now);
  }
  const outcome = await finish(run._id, campaign, 'completed', now);
  log.info(outcome, 'campaign occurrence sent');
  return outcome;
}

/** LINE's reason, or null when the campaign's final messages pass our rules and LINE's validate endpoint. */
async function checkBeforeSend(deps: SendDeps, campaign: CampaignLean): Promise<LineRejection | null> {
  const perMember = campaign.options?.linkTracking === 'member';
  for (const variant of variantKeysOf(campaign)) {
    const codes = perMember ? sampleCodes(campaign.links ?? []) : undefined;
    const messages = await renderCampaignMessages(campaign, deps.links, { variant, codes });
    const issues = checkLineMessages(messages);
    if (issues.length)
      return {
        message: campaignText.localRulesBroken,
        details: issues.map((i) => ({ property: linePropertyOf(i.path), message: i.message })),
      };
    const verdict = await askLine(deps.messenger, perMember ? 'push' : 'multicast', messages);
    if (verdict) return verdict;
  }
  return null;
}

const linePropertyOf = (path: Array<string | number>) =>
  `messages${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;

/**
 * LINE refused the messages (before the send, or with a 400 during it): whatever is still pending fails with LINE's
 * reason, and the run and the campaign are marked failed with it, never completed. A recurring campaign stops too:
 * its next occurrence would be refused the same way until the messages are fixed.
 */
async function failRejected(
  runId: Types.ObjectId,
  campaign: CampaignLean,
  occurrence: string,
  rejection: LineRejection,
  now: Date,
): Promise<RunOutcome> {
  const reason = campaignText.lineRejectedAtSend(rejection.message);
  await Delivery.updateMany(
    { campaignId: campaign._id, occurrence, status: 'pending' },
    { $set: { status: 'failed', reason: 'line_error' } },
  );
  const [sent, failed] = await Promise.all([
    Delivery.countDocuments({ campaignId: campaign._id, occurrence, status: 'sent' }),
    Delivery.countDocuments({ campaignId: campaign._id, occurrence, status: 'failed' }),
  ]);
  await CampaignRun.updateOne(
    { _id: runId },
    {
      $set: { status: 'failed', sent, failed, completedAt: now, error: reason.slice(0, 300), lineError: rejection },
      $unset: { lockedBy: 1, lockedUntil: 1 },
    },
  );
  await Campaign.updateOne(
    { _id: campaign._id, status: { $in: ['scheduled', 'sending'] } },
    { $set: { status: 'failed', failedReason: reason, lineError: rejection }, $unset: { nextRunAt: 1 } },
  );
  return { status: 'failed', sent, failed };
}

async function unlock(runId: Types.ObjectId, owner: string): Promise<void> {
  await CampaignRun.updateOne({ _id: runId, lockedBy: owner }, { $unset: { lockedBy: 1, lockedUntil: 1 } });
}

async function hold(runId: Types.ObjectId, campaignId: Types.ObjectId, reason: string): Promise<void> {
  await CampaignRun.updateOne(
    { _id: runId },
    { $set: { status: 'held', heldReason: reason }, $unset: { lockedBy: 1, lockedUntil: 1 } },
  );
  await Campaign.updateOne(
    { _id: campaignId, status: { $in: ['scheduled', 'sending'] } },
    { $set: { status: 'held', heldReason: reason } },
  );
}

/**
 * Checks the monthly quota against what is still pending. Too little: hold the whole occurrence (default) or,
 * with `send_partial`, skip the deliveries that do not fit. An unreachable quota API means "try again later".
 */
async function checkQuota(
  deps: SendDeps,
  runId: Types.ObjectId,
  campaign: CampaignLean,
  occurrence: string,
): Promise<'ok' | 'held' | 'retry'> {
  const pending = await Delivery.countDocuments({ campaignId: campaign._id, occurrence, status: 'pending' });
  if (pending === 0) return 'ok';
  let quota: { limit: number | null; used: number };
  try {
    quota = await deps.messenger.getQuota();
  } catch (err) {
    deps.logger.warn({ err }, campaignText.quotaUnavailable);
    return 'retry';
  }
  if (quota.limit === null) return 'ok';
  const remaining = Math.max(0, quota.limit - quota.used);
  if (pending <= remaining) return 'ok';
  if (campaign.options?.onQuotaShortfall !== 'send_partial') {
    await hold(runId, campaign._id, campaignText.heldForQuota(pending, remaining));
    return 'held';
  }
  const excess = await Delivery.find({ campaignId: campaign._id, occurrence, status: 'pending' }, { _id: 1 })
    .sort({ batch: -1, _id: -1 })
    .limit(pending - remaining)
    .lean();
  const res = await Delivery.updateMany(
    { _id: { $in: excess.map((d) => d._id) }, status: 'pending' },
    { $set: { status: 'skipped', reason: 'quota_exceeded' } },
  );
  await countDeliveries(campaign._id, 'pending', 'skipped', res.modifiedCount, 'quota_exceeded');
  await CampaignRun.updateOne({ _id: runId }, { $inc: { 'skipped.quota_exceeded': excess.length } });
  return 'ok';
}

/** Final counts from the deliveries themselves (exact after any resume), and the campaign's status. */
async function finish(
  runId: Types.ObjectId,
  campaign: CampaignLean,
  status: 'completed' | 'held',
  now: Date,
): Promise<RunOutcome> {
  const run = await CampaignRun.findById(runId).lean();
  const [sent, failed] = await Promise.all([
    Delivery.countDocuments({ campaignId: campaign._id, occurrence: run!.occurrence, status: 'sent' }),
    Delivery.countDocuments({ campaignId: campaign._id, occurrence: run!.occurrence, status: 'failed' }),
  ]);
  if (status === 'held') return { status, sent, failed };
  const pending = await Delivery.countDocuments({
    campaignId: campaign._id,
    occurrence: run!.occurrence,
    status: 'pending',
  });
  const final = pending === 0 ? (sent === 0 && failed > 0 ? 'failed' : 'completed') : 'sending';
  await CampaignRun.updateOne(
    { _id: runId },
    {
      $set: { status: final, sent, failed, ...(pending === 0 ? { completedAt: now } : {}) },
      $unset: { lockedBy: 1, lockedUntil: 1 },
    },
  );
  if (pending === 0) {
    const done = { $set: { status: final === 'failed' ? 'failed' : 'completed' } };
    if (campaign.schedule?.type === 'once') await Campaign.updateOne({ _id: campaign._id, status: 'sending' }, done);
    else await Campaign.updateOne({ _id: campaign._id, status: 'scheduled', nextRunAt: null }, done);
  }
  return { status: final, sent, failed };
}
