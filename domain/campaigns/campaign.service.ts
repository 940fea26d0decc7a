import { Types } from 'mongoose';
import {
  Campaign,
  type CampaignLean,
  CampaignRun,
  type CampaignRunFields,
  type CampaignStatus,
} from '../../models/campaign.model';
import { CouponTemplate } from '../../models/coupon-template.model';
import { Delivery } from '../../models/delivery.model';
import {
  type LineMessage,
  type LineRejection,
  type Messenger,
  MessengerError,
  parseLineRejection,
} from '../messaging/messenger';
import { checkLineMessages } from '../messaging/line-rules/line-message-rules';
import type { ProgramContext } from '../shared/context';
import { badRequest, conflict, notFound, validationError } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { countAudience, getSegmentRule } from '../segments/segment.service';
import { EVERYONE, type SegmentRule } from '../segments/rule.schema';
import { type CampaignAudience, CampaignInputSchema, type ParsedCampaignInput } from './campaign.schema';
import { CAMPAIGN_STATUS_LABELS } from '../../shared/vocabulary';
import { campaignText } from './campaign-text';
import { nextCronTime } from '../scheduling/cron';
import { ensureTrackedLinks, type LinkRef } from './tracked-links.service';
import {
  type CheckDeps,
  checkCampaignMessages,
  finalCampaignMessages,
  lineRejected,
  renderCampaignMessages,
  sampleCodes,
  variantKeysOf,
  variantMessages,
} from './campaign-render.service';

export { renderCampaignMessages } from './campaign-render.service';
import { countDeliveries } from './campaign-counters.service';
import { Member } from '../../models/member.model';
import { createMemberVariableFiller } from './member-variables';
import { isLineUserId, isObjectId } from '../../shared/ids';

export { getCampaignStats } from './campaign-stats.service';

const PAST_GRACE_MS = 5 * 60_000;
const EDITABLE: CampaignStatus[] = ['draft', 'scheduled', 'held'];

/** The time zone; with `links` and `messenger`, messages are checked in their final form and by LINE too. */
export type CampaignContext = Pick<ProgramContext, 'timeZone'> & CheckDeps;

async function checkReferences(input: ParsedCampaignInput): Promise<void> {
  if (input.audience.type === 'segment') await getSegmentRule(input.audience.segmentId);
  if (input.coupon) {
    const t = await CouponTemplate.findById(input.coupon.templateId, { status: 1 }).lean();
    if (!t || t.status !== 'active')
      throw badRequest('coupon_template_unavailable', '附加的優惠券範本不存在或已封存。');
  }
}

/** When the first occurrence is due; throws 400 for a time already past or an end date before it. */
export function firstRunAt(input: ParsedCampaignInput, now: Date, timeZone: string): Date {
  let at: Date | null;
  if (input.schedule.type === 'once') {
    at = input.schedule.at;
    if (at.getTime() < now.getTime() - PAST_GRACE_MS)
      throw badRequest('schedule_in_past', '發送時間已經過了，請選擇未來的時間。');
  } else {
    const from = input.schedule.startAt && input.schedule.startAt > now ? input.schedule.startAt : now;
    at = nextCronTime(input.schedule.cron, new Date(from.getTime() - 60_000), timeZone);
    if (!at) throw badRequest('schedule_never_due', '這個週期排程在未來一年內不會觸發，請檢查設定。');
  }
  if (input.options.endAt && at > input.options.endAt)
    throw badRequest('schedule_after_end', '第一次發送時間晚於活動結束時間。');
  return at;
}

/** Creates a campaign (scheduled, or a draft), with its links rewritten to tracked redirects. */
export async function createCampaign(input: unknown, actor: string, now: Date, ctx: CampaignContext) {
  const data = parseOrThrow(CampaignInputSchema, input);
  await checkReferences(data);
  const nextRunAt = firstRunAt(data, now, ctx.timeZone);
  await checkCampaignMessages(data, [], ctx);
  const _id = new Types.ObjectId();
  const links = await campaignLinks(_id, data);
  const { draft, ...fields } = data;
  await Campaign.create({
    _id,
    ...fields,
    status: draft ? 'draft' : 'scheduled',
    nextRunAt,
    links,
    createdBy: actor,
    updatedBy: actor,
  });
  return getCampaign(String(_id));
}

/** Edits a campaign that has not started sending (draft, scheduled or held); the result is re-validated whole. */
export async function updateCampaign(id: string, patch: unknown, actor: string, now: Date, ctx: CampaignContext) {
  const current = await findCampaign(id);
  if (!EDITABLE.includes(current.status))
    throw conflict('campaign_not_editable', `活動狀態為「${CAMPAIGN_STATUS_LABELS[current.status]}」，無法修改。`);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw badRequest('validation_failed', '修改內容必須是物件。');
  const merged = {
    name: current.name,
    description: current.description,
    audience: current.audience,
    messages: current.messages,
    ab: current.ab ?? null,
    coupon: current.coupon?.templateId ? { templateId: current.coupon.templateId } : null,
    schedule: current.schedule,
    options: current.options,
    draft: current.status === 'draft',
    ...(patch as object),
  };
  const data = parseOrThrow(CampaignInputSchema, merged);
  await checkReferences(data);
  const nextRunAt = firstRunAt(data, now, ctx.timeZone);
  await checkCampaignMessages(data, current.links ?? [], ctx);
  const links = await campaignLinks(current._id, data);
  const { draft, ...fields } = data;
  const status = current.status === 'held' ? 'held' : draft ? 'draft' : 'scheduled';
  const res = await Campaign.updateOne(
    { _id: current._id, status: current.status },
    {
      $set: {
        ...fields,
        coupon: fields.coupon ?? { templateId: undefined },
        status,
        nextRunAt,
        links,
        updatedBy: actor,
      },
      $unset: { deferredUntil: 1 },
    },
  );
  if (res.matchedCount === 0) throw conflict('campaign_changed', '活動狀態剛剛改變了，請重新整理後再試。');
  return getCampaign(id);
}

/** The tracked links of every variant's messages (each variant its own, so clicks are counted per variant). */
async function campaignLinks(campaignId: Types.ObjectId, data: ParsedCampaignInput): Promise<LinkRef[]> {
  const out: LinkRef[] = [];
  for (const variant of variantKeysOf(data))
    out.push(...(await ensureTrackedLinks(campaignId, variantMessages(data, variant), variant)));
  return out;
}

/** Moves a draft to scheduled. */
export async function scheduleCampaign(id: string, actor: string, now: Date, ctx: CampaignContext) {
  const c = await findCampaign(id);
  if (c.status !== 'draft') throw conflict('campaign_not_draft', '只有草稿可以排程。');
  return updateCampaign(id, { draft: false }, actor, now, ctx);
}

/** Stops a campaign: nothing more is sent; deliveries not yet sent are marked cancelled. */
export async function cancelCampaign(id: string, actor: string, now: Date) {
  const c = await findCampaign(id);
  if (c.status === 'completed' || c.status === 'cancelled')
    throw conflict('campaign_finished', '活動已結束，無法取消。');
  // Conditional: the dispatcher may complete the campaign between the read above and this write.
  const res = await Campaign.updateOne(
    { _id: c._id, status: { $nin: ['completed', 'cancelled'] } },
    { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: actor, updatedBy: actor }, $unset: { nextRunAt: 1 } },
  );
  if (res.matchedCount === 0) throw conflict('campaign_finished', '活動已結束，無法取消。');
  await CampaignRun.updateMany(
    { campaignId: c._id, status: { $in: ['freezing', 'sending', 'held'] } },
    { $set: { status: 'cancelled', completedAt: now } },
  );
  const cancelled = await Delivery.updateMany(
    { campaignId: c._id, status: 'pending' },
    { $set: { status: 'cancelled', reason: 'cancelled' } },
  );
  await countDeliveries(c._id, 'pending', 'cancelled', cancelled.modifiedCount);
  return getCampaign(id);
}

/**
 * Releases a campaign held for quota: the held occurrence continues on the next dispatch tick (the quota is checked
 * again then). `sendPartial` switches the policy to "send to as many as the quota allows".
 */
export async function resumeCampaign(id: string, actor: string, opts: { sendPartial?: boolean } = {}) {
  const c = await findCampaign(id);
  if (c.status !== 'held') throw conflict('campaign_not_held', '活動目前沒有暫停。');
  const set: Record<string, unknown> = {
    updatedBy: actor,
    status: c.schedule?.type === 'recurring' && c.nextRunAt ? 'scheduled' : 'sending',
  };
  if (opts.sendPartial) set['options.onQuotaShortfall'] = 'send_partial';
  await Campaign.updateOne({ _id: c._id, status: 'held' }, { $set: set, $unset: { heldReason: 1 } });
  await CampaignRun.updateMany(
    { campaignId: c._id, status: 'held' },
    { $set: { status: 'sending' }, $unset: { heldReason: 1, lockedUntil: 1, lockedBy: 1 } },
  );
  return getCampaign(id);
}

async function findCampaign(id: string): Promise<CampaignLean> {
  const doc = isObjectId(id) ? await Campaign.findById(id).lean() : null;
  if (!doc) throw notFound('找不到這個活動。', 'campaign_not_found');
  return doc;
}

function present(c: CampaignLean, runs: CampaignRunFields[] = []) {
  return {
    id: String(c._id),
    name: c.name,
    description: c.description ?? '',
    status: c.status,
    statusLabel: CAMPAIGN_STATUS_LABELS[c.status],
    audience: c.audience,
    messages: c.messages,
    ab: c.ab ?? null,
    coupon: c.coupon?.templateId ? { templateId: String(c.coupon.templateId) } : null,
    schedule: c.schedule,
    options: c.options,
    nextRunAt: c.nextRunAt ?? null,
    deferredUntil: c.deferredUntil ?? null,
    heldReason: c.heldReason ?? null,
    failedReason: c.failedReason ?? null,
    lineError: lineErrorOf(c.lineError),
    lastRunAt: c.lastRunAt ?? null,
    links: c.links ?? [],
    createdBy: c.createdBy,
    updatedBy: c.updatedBy ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    cancelledAt: c.cancelledAt ?? null,
    runs: runs.map((r) => ({
      occurrence: r.occurrence,
      plannedAt: r.plannedAt,
      status: r.status,
      matched: r.matched ?? 0,
      audience: r.audience ?? 0,
      sent: r.sent ?? 0,
      failed: r.failed ?? 0,
      skipped: r.skipped ?? {},
      heldReason: r.heldReason ?? null,
      error: r.error ?? null,
      lineError: lineErrorOf(r.lineError),
      startedAt: r.startedAt ?? null,
      completedAt: r.completedAt ?? null,
    })),
  };
}
export type CampaignView = ReturnType<typeof present>;

/** LINE's stored 400 answer, or null. */
function lineErrorOf(v: unknown): LineRejection | null {
  const r = v as LineRejection | null | undefined;
  return r && typeof r.message === 'string'
    ? { message: r.message, details: Array.isArray(r.details) ? r.details : [] }
    : null;
}

export async function getCampaign(id: string): Promise<CampaignView> {
  const c = await findCampaign(id);
  const runs = await CampaignRun.find({ campaignId: c._id }).sort({ plannedAt: -1 }).limit(100).lean();
  return present(c, runs);
}

/** Campaigns newest first, optionally by status, with their latest occurrence. */
export async function listCampaigns(opts: { status?: CampaignStatus; page?: number; pageSize?: number } = {}) {
  const pageSize = Math.min(Math.max(opts.pageSize ?? 20, 1), 100);
  const page = Math.max(opts.page ?? 1, 1);
  const filter = opts.status ? { status: opts.status } : {};
  const [total, docs] = await Promise.all([
    Campaign.countDocuments(filter),
    Campaign.find(filter)
      .sort({ createdAt: -1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
  ]);
  const items = [];
  for (const c of docs) {
    const last = await CampaignRun.find({ campaignId: c._id }).sort({ plannedAt: -1 }).limit(1).lean();
    items.push(present(c, last));
  }
  return { total, page, pageSize, items };
}

/** The segment rule a campaign's audience resolves to. */
export async function audienceRule(audience: CampaignAudience): Promise<SegmentRule> {
  if (audience.type === 'segment') return getSegmentRule(audience.segmentId);
  if (audience.type === 'rule') return audience.rule;
  return EVERYONE;
}

/**
 * Audience size and monthly quota for a campaign being edited (not saved). Pass the messenger to include the
 * quota (GET /v2/bot/message/quota and consumption); `wouldExceed` says the send would be held.
 */
export async function estimateCampaign(
  input: unknown,
  now: Date,
  messenger: Messenger | undefined,
  ctx: CampaignContext,
) {
  const data = parseOrThrow(CampaignInputSchema, input);
  await checkReferences(data);
  const audience = await countAudience(await audienceRule(data.audience), now, { timeZone: ctx.timeZone });
  if (!messenger) return { audience, quota: null, wouldExceed: false };
  const q = await messenger.getQuota();
  const remaining = q.limit === null ? null : Math.max(0, q.limit - q.used);
  return {
    audience,
    quota: { limit: q.limit, used: q.used, remaining },
    wouldExceed: remaining !== null && audience > remaining,
  };
}

/** The variant letter asked for, checked against the campaign's variants (undefined: the first, or none). */
function checkVariant(c: Pick<CampaignLean, 'ab'>, variant: string | undefined): string | undefined {
  const keys = variantKeysOf(c);
  if (variant === undefined || variant === '') return keys[0];
  if (!keys.includes(variant)) throw badRequest('unknown_variant', `這個活動沒有「${variant}」版。`);
  return variant;
}

/**
 * What a recipient of the variant gets, exactly: the final LINE messages with the links as they will read (a
 * per-member send shows a sample short code of the real length, `CCCCCCC`), the coupon notice included. The
 * console's preview shows these, not the authored messages.
 */
export async function previewCampaign(
  ctx: Pick<ProgramContext, 'links'>,
  id: string,
  variant?: string,
): Promise<{ variant: string | null; messages: LineMessage[] }> {
  const c = await findCampaign(id);
  const v = checkVariant(c, variant);
  const codes = c.options?.linkTracking === 'member' ? sampleCodes(c.links ?? []) : undefined;
  return { variant: v ?? null, messages: await renderCampaignMessages(c, ctx.links, { variant: v, codes }) };
}

/**
 * The same for a campaign being composed (not saved): its final messages, links at their final length (new links
 * shown with a sample id of the real length).
 */
export async function previewCampaignInput(
  ctx: Pick<ProgramContext, 'links'>,
  input: unknown,
  variant?: string,
): Promise<{ variant: string | null; messages: LineMessage[] }> {
  const data = parseOrThrow(CampaignInputSchema, input);
  const v = checkVariant(data, variant);
  return { variant: v ?? null, messages: await finalCampaignMessages(data, [], ctx, v) };
}

/**
 * Sends the campaign's messages to one LINE user (a marketer's own account) as a preview; no coupon is issued and
 * nothing is counted. Links are shown as the tracked redirects members will get.
 */
export async function sendTestMessage(
  ctx: Pick<ProgramContext, 'messenger' | 'links'>,
  campaign: string | CampaignLean,
  lineUserId: string,
  variant?: string,
): Promise<void> {
  if (!isLineUserId(lineUserId)) throw badRequest('validation_failed', 'LINE 使用者 ID 格式不正確。');
  const c = typeof campaign === 'string' ? await findCampaign(campaign) : campaign;
  // Member variables as this recipient would get them (their own suggestion when they are a member).
  const member = await Member.findOne({ lineUserId }, { _id: 1 }).lean();
  const messages = await createMemberVariableFiller()(
    await renderCampaignMessages(c, ctx.links, { variant: checkVariant(c, variant) }),
    member?._id ?? null,
  );
  const withPrefix =
    messages.length < 5 ? [{ type: 'text', text: campaignText.testPrefix } as LineMessage, ...messages] : messages;
  // A campaign stored before the validator, or whose coupon was renamed since, is still checked before it goes out.
  const offset = withPrefix.length - messages.length;
  const issues = checkLineMessages(withPrefix).filter((i) => i.path[0] !== 0 || offset === 0);
  if (issues.length)
    throw validationError(
      issues.map((i) => ({
        path: ['messages', Number(i.path[0]) - offset, ...i.path.slice(1)].join('.'),
        message: i.message,
      })),
    );
  try {
    await ctx.messenger.push(lineUserId, withPrefix);
  } catch (err) {
    if (err instanceof MessengerError && err.status === 400) throw lineRejected(parseLineRejection(err.body));
    throw err;
  }
}
