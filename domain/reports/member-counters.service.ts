import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { addTo, applyDelta, counterDay, type CounterDelta, dayBucket, programBucket } from './stat-counters.service';
import { FUNNEL_STAGES, type FunnelStageKey } from './funnel-stages';

/**
 * What one member adds to the counters: the program gauges (members, following, blocked, consented), the day
 * they followed (new members, and the funnel stages of that day's cohort), the day of their last activity (so
 * "active in the last 30 days" is a sum over 30 day buckets). Stored on the member (`countedAs`, with a version
 * `countedV`), so a change is moved into the counters once: whoever wins the compare-and-set applies the
 * difference; a re-run finds nothing to do.
 */
export interface MemberContribution {
  /** Program gauges (only members that are neither erased nor merged). */
  k: Record<'members' | 'following' | 'blocked' | 'consented', 0 | 1> &
    Partial<Record<'buyers' | 'repeatBuyers' | 'consentedGuests', 0 | 1>>;
  /** Follow day, `YYYY-MM-DD` in the program's zone, or null. */
  d: string | null;
  /** Last activity day, or null. */
  a: string | null;
  /** Funnel stages reached (members who followed and are not erased), bit i = FUNNEL_STAGES[i]. */
  f: number;
  /** Has referred someone (sticky: a referral is never undone). */
  r: 0 | 1;
}

export interface CountedMember {
  _id: Types.ObjectId;
  status?: string | null;
  lineUserId?: string | null;
  followedAt?: Date | null;
  lastInteractionAt?: Date | null;
  erasedAt?: Date | null;
  mergedInto?: Types.ObjectId | null;
  consent?: { marketing?: boolean | null } | null;
  persona?: { completedAt?: Date | null } | null;
  stats?: { purchaseCount?: number | null } | null;
}

export const COUNTED_FIELDS = {
  status: 1,
  lineUserId: 1,
  followedAt: 1,
  lastInteractionAt: 1,
  erasedAt: 1,
  mergedInto: 1,
  'consent.marketing': 1,
  'persona.completedAt': 1,
  'stats.purchaseCount': 1,
} as const;

/** The contribution of a member as stored now; `referred`: whether anyone names them as referrer. */
export function contributionOf(m: CountedMember, referred: boolean): MemberContribution {
  const live = !m.erasedAt && !m.mergedInto;
  const purchases = m.stats?.purchaseCount ?? 0;
  const stages: Record<FunnelStageKey, boolean> = {
    followed: true,
    consented: Boolean(m.consent?.marketing),
    persona: Boolean(m.persona?.completedAt),
    firstPurchase: purchases >= 1,
    repeatPurchase: purchases >= 2,
    referred,
  };
  const inFunnel = Boolean(m.followedAt) && !m.erasedAt;
  const bit = (b: boolean): 0 | 1 => (b ? 1 : 0);
  return {
    k: {
      members: bit(live),
      following: bit(live && m.status === 'active' && Boolean(m.lineUserId)),
      blocked: bit(live && m.status === 'blocked'),
      consented: bit(live && Boolean(m.consent?.marketing) && m.status !== 'blocked'),
      // The repeat-purchase rate (domain/reports/metrics.ts) and the imported people who consented but never
      // followed (counted apart from the funnel's 同意行銷訊息, which counts friends).
      buyers: bit(live && purchases >= 1),
      repeatBuyers: bit(live && purchases >= 2),
      consentedGuests: bit(live && Boolean(m.consent?.marketing) && !m.followedAt),
    },
    d: live || inFunnel ? counterDay(m.followedAt) : null,
    a: live ? counterDay(m.lastInteractionAt) : null,
    f: inFunnel ? FUNNEL_STAGES.reduce((bits, s, i) => (stages[s.key] ? bits | (1 << i) : bits), 0) : 0,
    r: bit(referred),
  };
}

/** Adds `sign` × the contribution to `delta`. */
export function addContribution(delta: CounterDelta, c: MemberContribution | null | undefined, sign: 1 | -1): void {
  if (!c) return;
  for (const [key, v] of Object.entries(c.k)) addTo(delta, programBucket, key, sign * v);
  if (c.d && c.k.members) addTo(delta, dayBucket(c.d), 'new', sign);
  if (c.a) addTo(delta, dayBucket(c.a), 'active', sign);
  if (c.d && c.f) {
    let inFunnel = true;
    FUNNEL_STAGES.forEach((s, i) => {
      const has = (c.f & (1 << i)) !== 0;
      if (!has) inFunnel = false;
      else {
        addTo(delta, dayBucket(c.d!), `reached.${s.key}`, sign);
        if (inFunnel) addTo(delta, dayBucket(c.d!), `funnel.${s.key}`, sign);
      }
    });
  }
}

/**
 * Brings the counters in line with the member as stored: call after any write that changes a counted field
 * (follow, block, consent, persona, purchase count, erasure, merge, activity on a new day, a first referral).
 * `referred: true` when the member has just been named as someone's referrer.
 */
export async function syncMemberCounters(
  memberId: Types.ObjectId | string | null | undefined,
  opts: { referred?: boolean } = {},
): Promise<void> {
  if (!memberId) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    const m = await Member.findById(memberId, { ...COUNTED_FIELDS, countedAs: 1, countedV: 1 }).lean<
      CountedMember & { countedAs?: MemberContribution; countedV?: number }
    >();
    if (!m) return;
    const before = m.countedAs ?? null;
    const after = contributionOf(m, Boolean(opts.referred || before?.r));
    if (before && JSON.stringify(before) === JSON.stringify(after)) return;
    const res = await Member.updateOne(
      { _id: m._id, countedV: m.countedV ?? null },
      { $set: { countedAs: after, countedV: (m.countedV ?? 0) + 1 } },
    );
    if (res.modifiedCount !== 1) continue;
    const delta: CounterDelta = new Map();
    addContribution(delta, before, -1);
    addContribution(delta, after, 1);
    await applyDelta(delta);
    return;
  }
}
