import { Types } from 'mongoose';
import { normalizeCity } from '../members/city-backfill.service';
import { parseOrThrow } from '../shared/validation';
import { zonedParts, zonedTimeToUtc } from '../shared/clock';
import { profileCompleteFilter } from '../members/profile-complete';
import {
  type AgeBand,
  type BoughtKind,
  isGroup,
  type SegmentCondition,
  type SegmentGroup,
  type SegmentRule,
  SegmentRuleSchema,
} from './rule.schema';

export * from './rule.schema';

type Filter = Record<string, unknown>;
const DAY_MS = 86_400_000;

/**
 * Members a campaign may ever reach: a LINE user id, not blocked, not erased, and marketing consent given.
 * AND-ed onto every compiled rule, so no rule can widen past it.
 */
export const REACHABLE_FILTER: Filter = {
  status: { $ne: 'blocked' },
  lineUserId: { $exists: true, $ne: null },
  erasedAt: null,
  'consent.marketing': true,
};

/** Member ids that hold coupons in a given state, resolved before compiling (coupons live in their own collection). */
export type CouponLookups = Map<string, string[]>;
export const couponLookupKey = (c: Extract<SegmentCondition, { field: 'coupon' }>): string =>
  `${c.op}:${c.templateId ?? '*'}`;
type MessageCondition = Extract<SegmentCondition, { field: 'message' }>;
/**
 * The lookup a message condition needs: campaign pushes/clicks resolve to member ids (interactions by
 * `refs.campaignId, type`), a journey step's sends to LINE user ids (journeysends by `journeyId, stepId`).
 * A negative op uses the positive lookup and excludes it.
 */
export const messageLookupKey = (c: MessageCondition): string => {
  const clicked = c.op === 'clicked' || c.op === 'notClicked';
  return `message:${c.source}:${c.id}:${c.stepId ?? '*'}:${clicked ? 'click' : 'push'}`;
};

export interface CompileOptions {
  timeZone: string;
  couponLookups?: CouponLookups;
}

/**
 * Validates a rule (throws a 400 AppError listing the problems) and compiles it to a MongoDB filter over members,
 * always AND-ed with REACHABLE_FILTER. Only fixed paths and operators are emitted; user input appears only as
 * values. Relative dates ("within 30 days", ages) are resolved against `now`.
 */
export function compileSegmentRule(rule: unknown, now: Date, opts: CompileOptions): Filter {
  const parsed: SegmentRule = parseOrThrow(SegmentRuleSchema, rule);
  const ctx: Ctx = { now, timeZone: opts.timeZone, lookups: opts.couponLookups };
  const compiled = compileGroup(parsed, ctx);
  return compiled ? { $and: [REACHABLE_FILTER, compiled] } : { ...REACHABLE_FILTER };
}

interface Ctx {
  now: Date;
  timeZone: string;
  lookups?: CouponLookups;
}

function compileGroup(group: SegmentGroup, ctx: Ctx): Filter | null {
  const parts = group.conditions
    .map((node) => (isGroup(node) ? compileGroup(node, ctx) : compileCondition(node, ctx)))
    .filter((f): f is Filter => f !== null);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  return { [group.op === 'and' ? '$and' : '$or']: parts };
}

function compileCondition(c: SegmentCondition, ctx: Ctx): Filter {
  switch (c.field) {
    case 'gender':
      return { gender: { $in: c.values } };
    case 'ageBand':
      return orOf(c.values.map((band) => ageRange(AGE_BAND_RANGES[band], ctx)));
    case 'age':
      return ageRange(numericBounds(c), ctx);
    case 'city':
      return { city: { [c.op === 'in' ? '$in' : '$nin']: withTaiVariants(c.values) } };
    case 'birthMonth':
      return { birthMonth: { $in: c.values } };
    case 'tags':
      if (c.op === 'hasAny') return { 'tags.tag': { $in: c.values } };
      if (c.op === 'hasNone') return { 'tags.tag': { $nin: c.values } };
      return { $and: c.values.map((tag) => ({ 'tags.tag': tag })) };
    case 'rfmSegment':
      return { 'rfm.segment': { [c.op === 'in' ? '$in' : '$nin']: c.values } };
    case 'rfmR':
      return numericFilter('rfm.r', c);
    case 'rfmF':
      return numericFilter('rfm.f', c);
    case 'rfmM':
      return numericFilter('rfm.m', c);
    case 'purchaseCount':
      return numericFilter('stats.purchaseCount', c);
    case 'totalSpend':
      return numericFilter('stats.totalSpend', c);
    case 'pointsBalance':
      return numericFilter('pointsBalance', c);
    case 'lastPurchase':
      if (c.op === 'never') return { 'stats.lastPurchaseAt': null };
      if (c.op === 'ever') return { 'stats.lastPurchaseAt': { $ne: null } };
      return recencyFilter('stats.lastPurchaseAt', c.op, c.days!, ctx);
    case 'lastInteraction':
      return recencyFilter('lastInteractionAt', c.op, c.days, ctx);
    case 'joined':
      return recencyFilter('createdAt', c.op, c.days, ctx);
    case 'personaCompleted':
      return profileCompleteFilter(c.value);
    case 'tier':
      return { 'tier.code': { [c.op === 'in' ? '$in' : '$nin']: c.values } };
    case 'coupon':
      return couponFilter(c, ctx);
    case 'bought':
      return c.op === 'bought'
        ? boughtFilter(c.kind, c.values, c.days, ctx)
        : notBoughtFilter(c.kind, c.values, c.days, ctx);
    case 'crossSell':
      return {
        $and: [boughtFilter(c.kind, c.bought, c.days, ctx), notBoughtFilter(c.kind, c.notBought, undefined, ctx)],
      };
    case 'orders':
      return withNeverBought('buys.orders', c);
    case 'aov':
      return numericFilter('buys.aov', c);
    case 'ltv':
      return withNeverBought('buys.total', c);
    case 'firstPurchase':
      return firstPurchaseFilter(c, ctx);
    case 'daysSinceLastPurchase': {
      // N days since the last purchase ≥ a ⇔ last ≤ now − a days; ≤ b ⇔ last ≥ now − b days (never bought: no match).
      const b = numericBounds(c);
      const cond: Filter = {};
      if (b.min !== undefined) cond.$lte = new Date(ctx.now.getTime() - b.min * DAY_MS);
      if (b.max !== undefined) cond.$gte = new Date(ctx.now.getTime() - (b.max + 1) * DAY_MS);
      return { 'buys.last': cond };
    }
    case 'satisfaction':
      return numericFilter('satisfaction.lastScore', c);
    case 'message':
      return messageFilter(c, ctx);
  }
}

const BOUGHT_PATHS: Record<BoughtKind, { path: string; key: 'c' | 's' }> = {
  category: { path: 'buys.cats', key: 'c' },
  sku: { path: 'buys.skus', key: 's' },
  store: { path: 'buys.stores', key: 's' },
};

/**
 * Bought any of `values` (within `days`): an equality on the multikey name (the index's first key bounds the scan),
 * plus, with a period, the `$elemMatch` that ties the date to the same entry. The date is also stated on its own
 * path (implied by the `$elemMatch`, so it changes no answer): the planner then bounds the index's second key too
 * and reads only the recent buyers, and can weigh that against a range index (e.g. AOV) by the keys each reads.
 */
function boughtFilter(kind: BoughtKind, values: string[], days: number | undefined, ctx: Ctx): Filter {
  const { path, key } = BOUGHT_PATHS[kind];
  const f: Filter = { [`${path}.${key}`]: { $in: values } };
  if (days !== undefined) {
    const cutoff = new Date(ctx.now.getTime() - days * DAY_MS);
    f[`${path}.last`] = { $gte: cutoff };
    f[path] = { $elemMatch: { [key]: { $in: values }, last: { $gte: cutoff } } };
  }
  return f;
}

/** Bought none of `values` (within `days`; without a period: never). Members who never bought anything match. */
function notBoughtFilter(kind: BoughtKind, values: string[], days: number | undefined, ctx: Ctx): Filter {
  const { path, key } = BOUGHT_PATHS[kind];
  if (days === undefined) return { [`${path}.${key}`]: { $nin: values } };
  const cutoff = new Date(ctx.now.getTime() - days * DAY_MS);
  return { [path]: { $not: { $elemMatch: { [key]: { $in: values }, last: { $gte: cutoff } } } } };
}

/** Orders and LTV of a member who never bought are 0: a range that includes 0 also matches them. */
function withNeverBought(path: string, c: { op: string; value?: number; min?: number; max?: number }): Filter {
  const f = numericFilter(path, c);
  const b = numericBounds(c);
  return (b.min ?? 0) <= 0 ? { $or: [f, { [path]: null }] } : f;
}

function firstPurchaseFilter(c: Extract<SegmentCondition, { field: 'firstPurchase' }>, ctx: Ctx): Filter {
  if (c.op === 'between') {
    const from = zonedTimeToUtc(c.from!, '00:00', ctx.timeZone);
    const to = new Date(zonedTimeToUtc(c.to!, '00:00', ctx.timeZone).getTime() + DAY_MS);
    return { 'buys.first': { $gte: from, $lt: to } };
  }
  const cutoff = new Date(ctx.now.getTime() - c.days! * DAY_MS);
  return { 'buys.first': c.op === 'withinDays' ? { $gte: cutoff } : { $lt: cutoff } };
}

function messageFilter(c: MessageCondition, ctx: Ctx): Filter {
  const key = messageLookupKey(c);
  const ids = ctx.lookups?.get(key);
  if (!ids) throw new Error(`message condition ${key} needs resolved lookups (use resolveCouponLookups)`);
  const negative = c.op === 'notReceived' || c.op === 'notClicked';
  if (c.source === 'journey') return { lineUserId: { [negative ? '$nin' : '$in']: ids } };
  return { _id: { [negative ? '$nin' : '$in']: ids.map((id) => new Types.ObjectId(id)) } };
}

function orOf(parts: Filter[]): Filter {
  return parts.length === 1 ? parts[0] : { $or: parts };
}

interface Bounds {
  min?: number;
  max?: number;
}

function numericBounds(c: { op: string; value?: number; min?: number; max?: number }): Bounds {
  switch (c.op) {
    case 'gte':
      return { min: c.value };
    case 'lte':
      return { max: c.value };
    case 'eq':
      return { min: c.value, max: c.value };
    default:
      return { min: c.min, max: c.max };
  }
}

function numericFilter(path: string, c: { op: string; value?: number; min?: number; max?: number }): Filter {
  const b = numericBounds(c);
  const cond: Filter = {};
  if (b.min !== undefined) cond.$gte = b.min;
  if (b.max !== undefined) cond.$lte = b.max;
  return { [path]: cond };
}

/** Not within N days includes "never", so "no interaction in 30 days" also finds members who never interacted. */
function recencyFilter(path: string, op: 'withinDays' | 'notWithinDays', days: number, ctx: Ctx): Filter {
  const cutoff = new Date(ctx.now.getTime() - days * DAY_MS);
  if (op === 'withinDays') return { [path]: { $gte: cutoff } };
  return { $or: [{ [path]: { $lt: cutoff } }, { [path]: null }] };
}

const AGE_BAND_RANGES: Record<AgeBand, Bounds> = {
  '<18': { max: 17 },
  '18-24': { min: 18, max: 24 },
  '25-34': { min: 25, max: 34 },
  '35-44': { min: 35, max: 44 },
  '45-54': { min: 45, max: 54 },
  '55-64': { min: 55, max: 64 },
  '65+': { min: 65 },
};

/**
 * Age as of today in the brand's time zone, compiled to a range over the `YYYY-MM-DD` birthday string (ISO dates
 * order as strings): age ≥ a ⇔ birthday ≤ today − a years; age ≤ b ⇔ birthday > today − (b+1) years.
 */
function ageRange(b: Bounds, ctx: Ctx): Filter {
  const t = zonedParts(ctx.now, ctx.timeZone);
  const md = `${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
  const yearsAgo = (n: number) => `${String(t.year - n).padStart(4, '0')}-${md}`;
  const cond: Filter = { $gte: '1900-01-01' };
  if (b.min !== undefined) cond.$lte = yearsAgo(b.min);
  if (b.max !== undefined) {
    cond.$gt = yearsAgo(b.max + 1);
    delete cond.$gte;
  }
  return { birthday: cond };
}

function couponFilter(c: Extract<SegmentCondition, { field: 'coupon' }>, ctx: Ctx): Filter {
  const key = couponLookupKey(c);
  const negative = c.op === 'hasNone' || c.op === 'neverUsed';
  const positive = negative ? couponLookupKey({ ...c, op: c.op === 'hasNone' ? 'hasActive' : 'hasUsed' }) : key;
  const ids = ctx.lookups?.get(positive);
  if (!ids) throw new Error(`coupon condition ${key} needs resolved lookups (use resolveCouponLookups)`);
  const objectIds = ids.map((id) => new Types.ObjectId(id));
  return { _id: { [negative ? '$nin' : '$in']: objectIds } };
}

/**
 * 臺北, 台北, 台北市 and 臺北市 are one city: a condition matches the stored spelling (models/member-city.ts), and the
 * typed forms too, for members stored before the spelling existed and not yet backfilled (`npm run backfill:cities`).
 */
function withTaiVariants(values: string[]): string[] {
  return [...new Set(values.flatMap((v) => [v, v.replace(/臺/g, '台'), v.replace(/台/g, '臺'), normalizeCity(v)]))];
}
