import type { Types } from 'mongoose';
import { type CampaignLean, CampaignRun } from '../../models/campaign.model';
import { Delivery } from '../../models/delivery.model';
import { Interaction } from '../../models/interaction.model';
import { issueCoupon } from '../coupons';
import { type LineMessage, type LineRejection, type MessengerError, parseLineRejection } from '../messaging/messenger';
import { retryKeyFor } from '../messaging/retry-key';
import { summarize } from '../messaging/notify.service';
import type { Clock } from '../shared/clock';
import type { ProgramContext } from '../shared/context';
import { renderCampaignMessages } from './campaign.service';
import { MAX_MULTICAST_RECIPIENTS } from '../messaging/messenger';
import { runPool, runPoolFrom, sendWithRetry, TokenBucket, WriteBehind, type RetryPolicy } from './send-pacer';
import { memberLinkCodes } from './tracked-links.service';
import { campaignUnitOf, variantKeysOf } from './campaign-render.service';
import { countDeliveries } from './campaign-counters.service';
import { createMemberVariableFiller, type MemberVariableFiller, usesMemberVariables } from './member-variables';

const unitOf = (ctx: SendContext) => campaignUnitOf(String(ctx.campaign._id));

/** Campaign fan-out pacing: LINE's rate limits and the retry policy for 429/5xx. */
export interface SendingLimits {
  multicastPerSecond: number;
  pushPerSecond: number;
  concurrency: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

/**
 * What sending a campaign needs beyond the program context: a live clock (locks are renewed while a run sends),
 * the pacing, and the secret that signs per-member link tokens.
 */
export type SendDeps = Pick<ProgramContext, 'messenger' | 'links' | 'logger' | 'timeZone'> & {
  clock: Clock;
  sending: SendingLimits;
  memberTokenSecret: string;
};

interface Pending {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  lineUserId: string;
  batch: number;
  /** The A/B variant (every delivery of a batch has the same). */
  variant?: string;
}
/** Why sending stopped early: quota used up, lock lost, or LINE refused the messages (400: every batch would fail). */
export type SendStop = 'quota' | 'lost' | 'rejected' | null;

export interface SendContext {
  deps: SendDeps;
  runId: Types.ObjectId;
  owner: string;
  lockMs: number;
  campaign: CampaignLean;
  occurrence: string;
  now: Date;
}

/**
 * Sends every pending delivery of a frozen run, batch by batch (multicast ≤ 500, or one push per member when
 * links are tracked per member), paced to LINE's rate limit and retried with the batch's own retry key. After
 * each batch the run's lock is renewed; if the run was cancelled or the lock taken over, sending stops.
 * Deliveries are marked sent only after LINE accepted them (or answered "already accepted"), so a crash at any
 * point resumes from what is still pending without sending anything twice.
 *
 * Pipelined: the pending deliveries are streamed from a cursor in (batch, _id) order, a batch at a time, and the
 * writes that record a multicast (deliveries, run counters, timeline) run behind it while the next batches are
 * read and sent — at most `concurrency` sends and `concurrency` recordings in flight. Before returning or failing,
 * every recording already started is awaited, so what LINE accepted is recorded unless the process itself dies
 * (then the retry keys make the resumed send a no-op at LINE).
 */
export async function sendPending(ctx: SendContext): Promise<SendStop> {
  const { deps, campaign } = ctx;
  // Per-member link tokens and per-member variables (`{suggested_product}`) both need one push per member.
  const perMember = campaign.options?.linkTracking === 'member' || usesMemberVariables(campaign.messages);
  const fill = createMemberVariableFiller();
  const s = deps.sending;
  const bucket = new TokenBucket(perMember ? s.pushPerSecond : s.multicastPerSecond);
  const policy: RetryPolicy = { maxAttempts: s.maxAttempts, baseMs: s.retryBaseMs, maxMs: s.retryMaxMs };
  // One rendering per variant for multicasts (a batch holds one variant).
  const rendered = new Map<string | undefined, LineMessage[]>();
  if (!perMember)
    for (const variant of variantKeysOf(campaign))
      rendered.set(variant, await renderCampaignMessages(campaign, deps.links, { variant }));
  const writes = new WriteBehind(s.concurrency);
  let stop: SendStop = null;
  const afterBatch = async () => {
    if (!(await renewLock(ctx))) stop = stop ?? 'lost';
  };

  try {
    await runPoolFrom(
      pendingBatches(ctx),
      s.concurrency,
      async (items) => {
        const couponTemplateId = campaign.coupon?.templateId;
        const recipients = couponTemplateId ? await attachCoupons(ctx, items, couponTemplateId) : items;
        if (!recipients.length) return writes.add(afterBatch);
        if (perMember) {
          const outcome = await sendPerMember(ctx, recipients, bucket, policy, fill);
          if (outcome !== 'ok') stop = outcome;
          return writes.add(afterBatch);
        }
        const messages = rendered.get(recipients[0].variant ?? undefined) ?? rendered.values().next().value!;
        const outcome = await sendMulticast(ctx, recipients, messages, bucket, policy);
        if (outcome.kind === 'quota') {
          stop = 'quota';
          return;
        }
        if (outcome.kind === 'rejected') {
          // LINE refuses the messages themselves: recorded now (not behind the next send), and the send stops.
          await outcome.record();
          stop = 'rejected';
          return;
        }
        await writes.add(async () => {
          await outcome.record();
          await afterBatch();
        });
      },
      () => stop !== null,
    );
  } finally {
    await writes.drain();
  }
  return stop;
}

/**
 * The run's pending deliveries, one batch (array) at a time, read through a cursor on the (campaign, occurrence,
 * status, batch) index: memory holds a few batches, not the audience.
 */
async function* pendingBatches(ctx: SendContext): AsyncGenerator<Pending[]> {
  const cursor = Delivery.find(
    { campaignId: ctx.campaign._id, occurrence: ctx.occurrence, status: 'pending' },
    { memberId: 1, lineUserId: 1, batch: 1, variant: 1 },
  )
    .sort({ batch: 1, _id: 1 })
    .lean()
    .cursor({ batchSize: MAX_MULTICAST_RECIPIENTS * 2 });
  // Leaving the loop early (the generator returned: a stop, a failure) closes the cursor.
  let current: Pending[] = [];
  for await (const row of cursor) {
    const r = row as Pending;
    if (current.length && current[0].batch !== r.batch) {
      yield current;
      current = [];
    }
    current.push(r);
  }
  if (current.length) yield current;
}

async function renewLock(ctx: SendContext): Promise<boolean> {
  const res = await CampaignRun.updateOne(
    { _id: ctx.runId, lockedBy: ctx.owner, status: 'sending' },
    { $set: { lockedUntil: new Date(ctx.deps.clock().getTime() + ctx.lockMs) } },
  );
  return res.matchedCount === 1;
}

type MulticastOutcome = { kind: 'quota' } | { kind: 'done' | 'rejected'; record: () => Promise<void> };

/** One multicast of a batch; what to record about it is returned, for the caller to run behind the next send. */
async function sendMulticast(
  ctx: SendContext,
  items: Pending[],
  messages: LineMessage[],
  bucket: TokenBucket,
  policy: RetryPolicy,
): Promise<MulticastOutcome> {
  const retryKey = retryKeyFor(`campaign:${ctx.campaign._id}:${ctx.occurrence}:batch:${items[0].batch}`);
  const to = items.map((i) => i.lineUserId);
  const res = await sendWithRetry(
    () => ctx.deps.messenger.multicast(to, messages, { retryKey, customAggregationUnits: [unitOf(ctx)] }),
    policy,
    () => bucket.take(),
  );
  if (res.ok) return { kind: 'done', record: () => markSent(ctx, items) };
  if (res.error.quotaExceeded) return { kind: 'quota' };
  ctx.deps.logger.warn(
    { batch: items[0].batch, status: res.error.status, attempts: res.attempts },
    'campaign batch failed',
  );
  const error = res.error;
  if (error.status === 400)
    return {
      kind: 'rejected',
      record: () => markFailed(ctx, items, 'line_error', error.message, parseLineRejection(error.body)),
    };
  const reason = error.retryable ? 'retries_exhausted' : 'line_error';
  return { kind: 'done', record: () => markFailed(ctx, items, reason, error.message) };
}

type BatchOutcome = 'ok' | 'quota' | 'rejected';

/**
 * Marks a batch failed with LINE's reason. A 400 means LINE refuses the messages themselves (the same for every
 * batch), so the send stops as `rejected`; 429/5xx that outlived the retries fail only this batch.
 */
async function failBatch(ctx: SendContext, items: Pending[], error: MessengerError): Promise<BatchOutcome> {
  if (error.status === 400) {
    await markFailed(ctx, items, 'line_error', error.message, parseLineRejection(error.body));
    return 'rejected';
  }
  await markFailed(ctx, items, error.retryable ? 'retries_exhausted' : 'line_error', error.message);
  return 'ok';
}

async function sendPerMember(
  ctx: SendContext,
  items: Pending[],
  bucket: TokenBucket,
  policy: RetryPolicy,
  fill: MemberVariableFiller,
): Promise<BatchOutcome> {
  // Member-tracked links only when the marketer chose them (a per-member send for {suggested_product} alone keeps
  // the campaign's shared links).
  const tracked = ctx.campaign.options?.linkTracking === 'member';
  const sent: Pending[] = [];
  const links = ctx.campaign.links ?? [];
  for (const item of items) {
    // Each recipient's links are short codes of their own (`/r/<code>`): no member token in what they read.
    const variant = item.variant ?? undefined;
    const own = links.filter((l) => (l.variant ?? undefined) === (ctx.campaign.ab ? variant : undefined));
    const codes = tracked ? await memberLinkCodes(own, item.memberId, ctx.campaign._id) : undefined;
    const messages = await fill(
      await renderCampaignMessages(ctx.campaign, ctx.deps.links, { variant, codes }),
      item.memberId,
    );
    const retryKey = retryKeyFor(`campaign:${ctx.campaign._id}:${ctx.occurrence}:member:${item.memberId}`);
    const res = await sendWithRetry(
      () => ctx.deps.messenger.push(item.lineUserId, messages, { retryKey, customAggregationUnits: [unitOf(ctx)] }),
      policy,
      () => bucket.take(),
    );
    if (res.ok) sent.push(item);
    else if (res.error.quotaExceeded || res.error.status === 400) {
      for (const done of sent) await markSent(ctx, [done]);
      return res.error.quotaExceeded ? 'quota' : failBatch(ctx, [item], res.error);
    } else await failBatch(ctx, [item], res.error);
  }
  // Every delivery of the batch still pending was pushed: mark them in one update. A crash before this line
  // re-pushes the batch on resume with the same per-member retry keys, which LINE drops.
  if (sent.length) await markSent(ctx, sent, sent.length === 1 ? undefined : batchSelector(ctx, sent[0].batch));
  return 'ok';
}

/**
 * Issues the attached coupon to each recipient (key `campaign:<id>:<occurrence>:<memberId>`, so a resumed batch
 * never issues twice). A member who cannot get one (quota gone, not eligible) is skipped, not sent a notice.
 */
async function attachCoupons(ctx: SendContext, items: Pending[], templateId: string): Promise<Pending[]> {
  const ok: Pending[] = [];
  const refused: Pending[] = [];
  await runPool(items, 8, async (item) => {
    try {
      await issueCoupon({
        templateId,
        memberId: item.memberId,
        key: `campaign:${ctx.campaign._id}:${ctx.occurrence}:${item.memberId}`,
        now: ctx.now,
        actor: 'campaign',
        source: 'campaign',
        timeZone: ctx.deps.timeZone,
      });
      ok.push(item);
    } catch (err) {
      refused.push(item);
      ctx.deps.logger.info(
        { memberId: String(item.memberId), err: (err as Error).message },
        'campaign coupon not issued',
      );
    }
  });
  if (refused.length) {
    const res = await Delivery.updateMany(
      { _id: { $in: refused.map((r) => r._id) }, status: 'pending' },
      { $set: { status: 'skipped', reason: 'coupon_unavailable' } },
    );
    await countDeliveries(ctx.campaign._id, 'pending', 'skipped', res.modifiedCount, 'coupon_unavailable');
  }
  return ok.sort((a, b) => String(a._id).localeCompare(String(b._id)));
}

/**
 * Which deliveries a send covered: a whole batch by its number (what was multicast is exactly the batch's pending
 * deliveries), or one member's by id. Selecting by batch keeps the update on the (campaign, occurrence, status,
 * batch) index instead of a 500-id $in (which a server also re-evaluates for every document it updates).
 */
function selectorOf(ctx: SendContext, items: Pending[]): Record<string, unknown> {
  if (items.length === 1) return { _id: items[0]._id, status: 'pending' };
  return batchSelector(ctx, items[0].batch);
}

const batchSelector = (ctx: SendContext, batch: number) => ({
  campaignId: ctx.campaign._id,
  occurrence: ctx.occurrence,
  status: 'pending',
  batch,
});

async function markSent(ctx: SendContext, items: Pending[], selector = selectorOf(ctx, items)): Promise<void> {
  const at = ctx.deps.clock();
  const res = await Delivery.updateMany(selector, { $set: { status: 'sent', sentAt: at, countedAt: at } });
  await CampaignRun.updateOne({ _id: ctx.runId }, { $inc: { sent: res.modifiedCount } });
  await countDeliveries(ctx.campaign._id, 'pending', 'sent', res.modifiedCount, undefined, items[0]?.variant);
  // The member's timeline shows the push; keyed, so a resumed batch does not add it twice.
  // Summarised from the authored messages: a per-member rendering carries that member's link token.
  const summary = `【${ctx.campaign.name}】${summarize(ctx.campaign.messages)}`.slice(0, 300);
  const docs = items.map((i) => ({
    memberId: i.memberId,
    lineUserId: i.lineUserId,
    type: 'push',
    channel: 'line',
    summary,
    at,
    refs: { campaignId: String(ctx.campaign._id), occurrence: ctx.occurrence },
    key: `push:campaign:${ctx.campaign._id}:${ctx.occurrence}:${i.memberId}`,
  }));
  try {
    // Built here with every field the schema has: inserted as they are (no per-document casting).
    await Interaction.insertMany(docs, { ordered: false, lean: true });
  } catch (err) {
    if (!isDuplicateOnly(err)) throw err;
  }
}

async function markFailed(
  ctx: SendContext,
  items: Pending[],
  reason: string,
  error: string,
  lineError?: LineRejection,
): Promise<void> {
  const res = await Delivery.updateMany(selectorOf(ctx, items), { $set: { status: 'failed', reason } });
  await countDeliveries(ctx.campaign._id, 'pending', 'failed', res.modifiedCount);
  await CampaignRun.updateOne(
    { _id: ctx.runId },
    { $inc: { failed: res.modifiedCount }, $set: { error: error.slice(0, 300), ...(lineError ? { lineError } : {}) } },
  );
}

function isDuplicateOnly(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e.code === 11000 && !e.writeErrors) return true;
  return Array.isArray(e.writeErrors) && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
}
