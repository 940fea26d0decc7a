import { Types } from 'mongoose';
import { z } from 'zod';
import { Campaign } from '../../models/campaign.model';
import { Coupon } from '../../models/coupon.model';
import { Interaction } from '../../models/interaction.model';
import { Journey, JourneySend } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { Segment, type SegmentFields } from '../../models/segment.model';
import { conflict, notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { CouponTemplate } from '../../models/coupon-template.model';
import { getProgramSettings } from '../program/settings.service';
import { describeSegmentRule, type RuleNames } from './rule-describe';
import {
  compileSegmentRule,
  conditionsOf,
  couponLookupKey,
  type CouponLookups,
  messageLookupKey,
  type SegmentCondition,
  type SegmentRule,
  SegmentRuleSchema,
} from './rule';
import { objectIdSchema } from '../../shared/ids';

export const SegmentInputSchema = z.strictObject({
  name: z.string().trim().min(1, '請輸入分群名稱').max(60, '最多 60 個字'),
  description: z.string().trim().max(300, '最多 300 個字').default(''),
  rule: SegmentRuleSchema,
});
export type SegmentInput = z.input<typeof SegmentInputSchema>;
export const SegmentPatchSchema = SegmentInputSchema.partial();

export interface AudienceOptions {
  timeZone: string;
}

/** Member ids holding coupons in the states the rule asks about (coupons are a separate collection). */
export async function resolveCouponLookups(rule: SegmentRule, now: Date): Promise<CouponLookups> {
  const lookups: CouponLookups = new Map();
  for (const c of conditionsOf(rule).filter(
    (x): x is Extract<SegmentCondition, { field: 'coupon' }> => x.field === 'coupon',
  )) {
    const op = c.op === 'hasNone' ? 'hasActive' : c.op === 'neverUsed' ? 'hasUsed' : c.op;
    const key = couponLookupKey({ ...c, op });
    if (lookups.has(key)) continue;
    const filter: Record<string, unknown> = {
      hasActive: { status: 'active', validUntil: { $gte: now } },
      hasUsed: { status: 'used' },
      hasExpired: { status: 'active', validUntil: { $lt: now } },
    }[op];
    if (c.templateId) filter.templateId = new Types.ObjectId(c.templateId);
    const rows = await Coupon.find(filter, { memberId: 1, _id: 0 }).lean();
    lookups.set(key, [...new Set(rows.map((r) => String(r.memberId)))]);
  }
  for (const c of conditionsOf(rule).filter(
    (x): x is Extract<SegmentCondition, { field: 'message' }> => x.field === 'message',
  )) {
    const key = messageLookupKey(c);
    if (lookups.has(key)) continue;
    if (c.source === 'journey') {
      const sends = await JourneySend.find(
        { journeyId: new Types.ObjectId(c.id), stepId: c.stepId, status: 'sent' },
        { to: 1, _id: 0 },
      ).lean();
      lookups.set(key, [...new Set(sends.flatMap((s) => s.to))]);
    } else {
      const type = c.op === 'clicked' || c.op === 'notClicked' ? 'click' : 'push';
      const rows = await Interaction.find(
        { 'refs.campaignId': c.id, type, memberId: { $ne: null } },
        { memberId: 1, _id: 0 },
      ).lean();
      lookups.set(key, [...new Set(rows.map((r) => String(r.memberId)))]);
    }
  }
  return lookups;
}

/** The names of the campaigns, journeys, coupon templates and stores a rule names by id (for its words). */
export async function resolveRuleNames(rule: SegmentRule): Promise<RuleNames> {
  const ids = { campaign: new Set<string>(), journey: new Set<string>(), template: new Set<string>() };
  let stores = false;
  for (const c of conditionsOf(rule)) {
    if (c.field === 'message') ids[c.source].add(c.id);
    if (c.field === 'coupon' && c.templateId) ids.template.add(c.templateId);
    if ((c.field === 'bought' || c.field === 'crossSell') && c.kind === 'store') stores = true;
  }
  const byId = async (
    model: typeof Campaign | typeof Journey | typeof CouponTemplate,
    set: Set<string>,
    key: string,
  ) => {
    if (set.size === 0) return new Map<string, string>();
    const rows = (await (model as typeof Campaign)
      .find({ _id: { $in: [...set].map((id) => new Types.ObjectId(id)) } }, { [key]: 1 })
      .lean()) as unknown as Array<Record<string, unknown>>;
    return new Map(rows.map((r) => [String(r._id), String(r[key])]));
  };
  const [campaigns, journeys, templates] = await Promise.all([
    byId(Campaign, ids.campaign, 'name'),
    byId(Journey, ids.journey, 'name'),
    byId(CouponTemplate, ids.template, 'title'),
  ]);
  const names: RuleNames = { campaigns, journeys, templates };
  if (stores) names.stores = new Map((await getProgramSettings()).brand.stores.map((s) => [s.id, s.name]));
  return names;
}

/** A rule in words, with the names of what it refers to. */
export async function describeRule(rule: SegmentRule): Promise<string> {
  return describeSegmentRule(rule, await resolveRuleNames(rule));
}

/** Validates and compiles a rule to the member filter of its audience (reachable, consenting members only). */
export async function buildAudienceFilter(
  rule: unknown,
  now: Date,
  opts: AudienceOptions,
): Promise<Record<string, unknown>> {
  const parsed = parseOrThrow(SegmentRuleSchema, rule);
  return compileSegmentRule(parsed, now, {
    timeZone: opts.timeZone,
    couponLookups: await resolveCouponLookups(parsed, now),
  });
}

/** Audience size of a rule, saved or not (the console's live preview). */
export async function countAudience(rule: unknown, now: Date, opts: AudienceOptions): Promise<number> {
  return Member.countDocuments(await buildAudienceFilter(rule, now, opts));
}

export interface SegmentView {
  id: string;
  name: string;
  description: string;
  rule: SegmentRule;
  ruleText: string;
  lastCount: number | null;
  lastCountAt: Date | null;
  createdBy: string;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored segment as read back (lean or `toObject()`): the schema's fields plus id and timestamps. */
type StoredSegment = SegmentFields & { _id: unknown; createdAt: Date; updatedAt: Date };

async function present(d: StoredSegment): Promise<SegmentView> {
  const rule = d.rule as SegmentRule;
  return {
    id: String(d._id),
    name: d.name,
    description: d.description ?? '',
    rule,
    ruleText: await describeRule(rule),
    lastCount: d.lastCount ?? null,
    lastCountAt: d.lastCountAt ?? null,
    createdBy: d.createdBy,
    updatedBy: d.updatedBy ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** Saves a rule segment (validated) with its current audience size. */
export async function createSegment(
  input: unknown,
  actor: string,
  now: Date,
  opts: AudienceOptions,
): Promise<SegmentView> {
  const data = parseOrThrow(SegmentInputSchema, input);
  const lastCount = await countAudience(data.rule, now, opts);
  const doc = await Segment.create({ ...data, lastCount, lastCountAt: now, createdBy: actor, updatedBy: actor });
  return present(doc.toObject());
}

export async function updateSegment(
  id: string,
  patch: unknown,
  actor: string,
  now: Date,
  opts: AudienceOptions,
): Promise<SegmentView> {
  const data = parseOrThrow(SegmentPatchSchema, patch);
  const current = await findSegmentDoc(id);
  const rule = data.rule ?? current.rule;
  const set = { ...data, updatedBy: actor, lastCount: await countAudience(rule, now, opts), lastCountAt: now };
  const doc = await Segment.findOneAndUpdate({ _id: current._id }, { $set: set }, { returnDocument: 'after' }).lean();
  return present(doc!);
}

/** Saved segments, newest first; `recount` refreshes every audience size (slower). */
export async function listSegments(opts: { now?: Date; recount?: boolean; timeZone: string }): Promise<SegmentView[]> {
  const docs = await Segment.find({ archivedAt: null }).sort({ createdAt: -1 }).lean();
  if (opts.recount && opts.now) {
    for (const d of docs) {
      d.lastCount = await countAudience(d.rule, opts.now, { timeZone: opts.timeZone });
      d.lastCountAt = opts.now;
      await Segment.updateOne({ _id: d._id }, { $set: { lastCount: d.lastCount, lastCountAt: opts.now } });
    }
  }
  return Promise.all(docs.map(present));
}

export async function getSegment(id: string): Promise<SegmentView> {
  return present(await findSegmentDoc(id));
}

/** Archives a segment unless a campaign that has not finished still targets it. */
export async function archiveSegment(id: string, actor: string, now: Date): Promise<void> {
  const seg = await findSegmentDoc(id);
  const inUse = await Campaign.countDocuments({
    'audience.segmentId': String(seg._id),
    status: { $in: ['draft', 'scheduled', 'sending', 'held'] },
  });
  if (inUse) throw conflict('segment_in_use', `有 ${inUse} 個尚未結束的活動使用這個分群，請先修改或取消活動。`);
  await Segment.updateOne({ _id: seg._id }, { $set: { archivedAt: now, updatedBy: actor } });
}

async function findSegmentDoc(id: string) {
  const parsed = objectIdSchema().safeParse(id);
  const doc = parsed.success ? await Segment.findOne({ _id: id, archivedAt: null }).lean() : null;
  if (!doc) throw notFound('找不到這個分群。', 'segment_not_found');
  return doc;
}

/** The rule of a saved segment (for campaigns that target it). */
export async function getSegmentRule(id: string): Promise<SegmentRule> {
  return (await findSegmentDoc(id)).rule as SegmentRule;
}

export interface SegmentMemberRow {
  id: string;
  memberCode: string;
  displayName: string;
  tier: string | null;
  rfmSegment: string | null;
  tags: string[];
  purchaseCount: number;
  totalSpend: number;
  lastPurchaseAt: Date | null;
}

const PageSchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One page of the members a saved segment (`{segmentId}`) or an unsaved rule (`{rule}`) currently matches. */
export async function listMembersInSegment(
  target: { segmentId: string } | { rule: unknown },
  paging: { page?: number; pageSize?: number },
  now: Date,
  opts: AudienceOptions,
): Promise<{ total: number; page: number; pageSize: number; items: SegmentMemberRow[] }> {
  const { page, pageSize } = parseOrThrow(PageSchema, paging);
  const rule = 'segmentId' in target ? await getSegmentRule(target.segmentId) : target.rule;
  const filter = await buildAudienceFilter(rule, now, opts);
  const [total, docs] = await Promise.all([
    Member.countDocuments(filter),
    Member.find(filter, { memberCode: 1, displayName: 1, tier: 1, rfm: 1, tags: 1, stats: 1 })
      .sort({ _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
  ]);
  const items = docs.map((m) => ({
    id: String(m._id),
    memberCode: m.memberCode,
    displayName: m.displayName ?? '',
    tier: m.tier?.code ?? null,
    rfmSegment: m.rfm?.segment ?? null,
    tags: (m.tags ?? []).map((t) => t.tag),
    purchaseCount: m.stats?.purchaseCount ?? 0,
    totalSpend: m.stats?.totalSpend ?? 0,
    lastPurchaseAt: m.stats?.lastPurchaseAt ?? null,
  }));
  return { total, page, pageSize, items };
}
