import { createHmac } from 'node:crypto';
import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { ErasureRecord } from '../../models/erasure-record.model';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { normalizeTaiwanMobile } from '../shared/phone';

/**
 * Fraud prevention for "delete my data": erasing a membership must not hand the same person the one-time rewards
 * again when they come back. The registry keeps, per erased LINE userId and phone number, only a keyed hash
 * (HMAC-SHA256 with a server secret, so the stored value cannot be matched against a list of phone numbers without
 * the secret) and which one-time rewards were already given. A returning person's new membership starts empty and
 * carries those flags in `Member.priorRewards`, which the reward paths read.
 */

/** The one-time rewards already given to a person across their erased memberships. */
export interface PriorRewards {
  persona: boolean;
  referee: boolean;
  birthdayYears: number[];
  /** Coupon template id → coupons held. */
  coupons: Record<string, number>;
}

export interface ErasedIdentity {
  lineUserId?: string | null;
  phone?: string | null;
}

const EMPTY: PriorRewards = { persona: false, referee: false, birthdayYears: [], coupons: {} };

/** The registry keys of an identity: `line:<hmac>` and `phone:<hmac>` (the phone in its one stored form). */
export function identityKeys(secret: string, who: ErasedIdentity): string[] {
  if (!secret) throw new Error('the erasure registry needs its HMAC secret (ERASURE_HMAC_SECRET)');
  const keys: string[] = [];
  const mac = (kind: string, value: string) =>
    `${kind}:${createHmac('sha256', secret).update(`${kind}:${value}`).digest('hex')}`;
  if (who.lineUserId) keys.push(mac('line', who.lineUserId));
  const phone = who.phone ? (normalizeTaiwanMobile(who.phone) ?? who.phone) : null;
  if (phone) keys.push(mac('phone', phone));
  return keys;
}

/** What a person coming back with this LINE userId or phone already had; null when they were never erased. */
export async function findPriorRewards(secret: string, who: ErasedIdentity): Promise<PriorRewards | null> {
  const keys = identityKeys(secret, who);
  if (!keys.length) return null;
  const records = await ErasureRecord.find({ identity: { $in: keys } }, { rewards: 1 }).lean();
  if (!records.length) return null;
  // The LINE and phone records may describe the same memberships: the larger count is the true one.
  return records.map((r) => readRewards(r.rewards)).reduce(unionRewards, EMPTY);
}

/**
 * Before a membership is erased: records the one-time rewards it had (its own and those it inherited) under the
 * keyed hashes of its LINE userId and phone. Merging (flags only turn on, years and counts only grow) makes it
 * safe to run twice and correct for a person erasing a second membership.
 */
export async function recordErasedRewards(secret: string, memberId: Types.ObjectId): Promise<void> {
  const member = await Member.findById(memberId, {
    lineUserId: 1,
    phone: 1,
    persona: 1,
    referral: 1,
    priorRewards: 1,
  }).lean();
  if (!member) return;
  const keys = identityKeys(secret, { lineUserId: member.lineUserId, phone: member.phone });
  if (!keys.length) return;
  const rewards = addRewards(readRewards(member.priorRewards), await rewardsOfMembership(member));
  for (const identity of keys)
    await ErasureRecord.updateOne({ identity }, mergeUpdate('rewards', rewards), { upsert: true });
}

/**
 * A member who gains an identity that was erased before (a phone attached later): their membership takes over
 * the rewards already given under it. Null when the identity was never erased.
 */
export async function inheritPriorRewards(
  secret: string,
  memberId: Types.ObjectId | string,
  who: ErasedIdentity,
): Promise<PriorRewards | null> {
  const prior = await findPriorRewards(secret, who);
  if (prior) await Member.updateOne({ _id: memberId }, mergeUpdate('priorRewards', prior));
  return prior;
}

/** The stored flags of a member as PriorRewards (absent = none). */
export function readRewards(raw: unknown): PriorRewards {
  const r = (raw ?? {}) as {
    persona?: boolean;
    referee?: boolean;
    birthdayYears?: number[];
    coupons?: Map<string, number> | Record<string, number>;
  };
  const coupons = r.coupons instanceof Map ? Object.fromEntries(r.coupons) : { ...(r.coupons ?? {}) };
  return {
    persona: Boolean(r.persona),
    referee: Boolean(r.referee),
    birthdayYears: [...(r.birthdayYears ?? [])],
    coupons,
  };
}

/** Coupons of a template the member's earlier memberships held (0 when none). */
export function priorCouponCount(raw: unknown, templateId: Types.ObjectId | string): number {
  return readRewards(raw).coupons[String(templateId)] ?? 0;
}

async function rewardsOfMembership(member: {
  _id: Types.ObjectId;
  persona?: { completedAt?: Date | null } | null;
  referral?: { referredBy?: unknown } | null;
}): Promise<PriorRewards> {
  const [personaEntry, birthdayPoints, birthdayCoupons, couponCounts] = await Promise.all([
    PointsEntry.exists({ key: `persona-complete:${member._id}` }),
    PointsEntry.find({ memberId: member._id, reason: 'birthday' }, { key: 1 }).lean(),
    Coupon.find({ memberId: member._id, source: 'birthday' }, { key: 1 }).lean(),
    Coupon.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { memberId: member._id } },
      { $group: { _id: '$templateId', n: { $sum: 1 } } },
    ]),
  ]);
  const years = [...birthdayPoints, ...birthdayCoupons]
    .map((e) => /:(\d{4})$/.exec(e.key ?? '')?.[1])
    .filter((y): y is string => Boolean(y))
    .map(Number);
  return {
    persona: Boolean(member.persona?.completedAt) || Boolean(personaEntry),
    referee: Boolean(member.referral?.referredBy),
    birthdayYears: [...new Set(years)],
    coupons: Object.fromEntries(couponCounts.map((c) => [String(c._id), c.n])),
  };
}

/** Earlier memberships plus this one: coupon counts add up. */
function addRewards(a: PriorRewards, b: PriorRewards): PriorRewards {
  return combine(a, b, (x, y) => x + y);
}

/** Two records of the same person: coupon counts take the larger. */
function unionRewards(a: PriorRewards, b: PriorRewards): PriorRewards {
  return combine(a, b, Math.max);
}

function combine(a: PriorRewards, b: PriorRewards, count: (x: number, y: number) => number): PriorRewards {
  const coupons = { ...a.coupons };
  for (const [id, n] of Object.entries(b.coupons)) coupons[id] = count(coupons[id] ?? 0, n);
  return {
    persona: a.persona || b.persona,
    referee: a.referee || b.referee,
    birthdayYears: [...new Set([...a.birthdayYears, ...b.birthdayYears])],
    coupons,
  };
}

/**
 * One update that merges `rewards` into the sub-document at `path`: flags only turn on, years are added, counts
 * take the larger value (the recorded counts already include what an earlier membership held).
 */
function mergeUpdate(path: string, rewards: PriorRewards): Record<string, unknown> {
  const $set: Record<string, unknown> = {};
  if (rewards.persona) $set[`${path}.persona`] = true;
  if (rewards.referee) $set[`${path}.referee`] = true;
  const $max = Object.fromEntries(Object.entries(rewards.coupons).map(([id, n]) => [`${path}.coupons.${id}`, n]));
  return {
    ...(Object.keys($set).length ? { $set } : {}),
    ...(Object.keys($max).length ? { $max } : {}),
    $addToSet: { [`${path}.birthdayYears`]: { $each: rewards.birthdayYears } },
  };
}
