import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { zonedParts } from '../shared/clock';

/**
 * The member funnel of seed 001 (AARRR / RARRA), in the order a LINE member program moves people:
 * follows → consents to marketing → completes the persona chat → first purchase → repeat purchase → refers a friend.
 */
export const FUNNEL_STAGES = [
  { key: 'followed', label: '加入好友' },
  { key: 'consented', label: '同意行銷訊息' },
  { key: 'persona', label: '完成個人問答' },
  { key: 'firstPurchase', label: '首次消費' },
  { key: 'repeatPurchase', label: '回購' },
  { key: 'referred', label: '推薦好友' },
] as const;
export type FunnelStageKey = (typeof FUNNEL_STAGES)[number]['key'];

/**
 * `count`: members who reached this stage and every stage before it (a true funnel, never wider than the stage
 * above); `reached`: members who reached this stage at all (someone can buy without finishing the persona chat).
 */
export interface FunnelStage {
  key: FunnelStageKey;
  label: string;
  count: number;
  reached: number;
  ofTop: number;
  ofPrevious: number;
}
/** Per follow-month cohort: the funnel `count` of each stage. */
export interface FunnelCohort {
  month: string;
  counts: Record<FunnelStageKey, number>;
}
export interface FunnelReport {
  stages: FunnelStage[];
  cohorts: FunnelCohort[];
  from?: Date;
  to?: Date;
}

interface FunnelMember {
  _id: Types.ObjectId;
  followedAt?: Date | null;
  consent?: { marketing?: boolean | null } | null;
  persona?: { completedAt?: Date | null } | null;
  stats?: { purchaseCount?: number | null } | null;
}

function reached(m: FunnelMember, referrers: Set<string>): Record<FunnelStageKey, boolean> {
  const purchases = m.stats?.purchaseCount ?? 0;
  return {
    followed: true,
    consented: Boolean(m.consent?.marketing),
    persona: Boolean(m.persona?.completedAt),
    firstPurchase: purchases >= 1,
    repeatPurchase: purchases >= 2,
    referred: referrers.has(String(m._id)),
  };
}

const emptyCounts = (): Record<FunnelStageKey, number> =>
  Object.fromEntries(FUNNEL_STAGES.map((s) => [s.key, 0])) as Record<FunnelStageKey, number>;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

/**
 * The funnel over the members who followed in [from, to) (all time when omitted), plus the same stages per
 * follow-month cohort for the last `months` months, so a marketer sees whether newer members convert better.
 */
export async function getFunnelReport(opts: {
  from?: Date;
  to?: Date;
  months?: number;
  now: Date;
  timeZone: string;
}): Promise<FunnelReport> {
  const followed: Record<string, unknown> = { $ne: null };
  if (opts.from) followed.$gte = opts.from;
  if (opts.to) followed.$lt = opts.to;
  const referrerDocs = await Member.find({ 'referral.referredBy': { $ne: null } }, { 'referral.referredBy': 1 }).lean<
    Array<{ referral?: { referredBy?: Types.ObjectId } }>
  >();
  const referrers = new Set(referrerDocs.map((d) => String(d.referral?.referredBy)));
  const totals = emptyCounts();
  const reachedTotals = emptyCounts();
  const cohortKeys = lastMonths(opts.now, opts.months ?? 12, opts.timeZone);
  const cohorts = new Map(cohortKeys.map((k) => [k, emptyCounts()]));
  const cursor = Member.find(
    { followedAt: followed, erasedAt: null },
    { followedAt: 1, 'consent.marketing': 1, 'persona.completedAt': 1, 'stats.purchaseCount': 1 },
  )
    .lean<FunnelMember[]>()
    .cursor();
  for await (const m of cursor) {
    const stages = reached(m as FunnelMember, referrers);
    const p = zonedParts(new Date(m.followedAt!), opts.timeZone);
    const cohort = cohorts.get(`${p.year}-${String(p.month).padStart(2, '0')}`);
    let inFunnel = true;
    for (const s of FUNNEL_STAGES) {
      if (!stages[s.key]) {
        inFunnel = false;
        continue;
      }
      reachedTotals[s.key] += 1;
      if (!inFunnel) continue;
      totals[s.key] += 1;
      if (cohort) cohort[s.key] += 1;
    }
  }
  const stages = FUNNEL_STAGES.map((s, i) => ({
    key: s.key,
    label: s.label,
    count: totals[s.key],
    reached: reachedTotals[s.key],
    ofTop: ratio(totals[s.key], totals.followed),
    ofPrevious: i === 0 ? 1 : ratio(totals[s.key], totals[FUNNEL_STAGES[i - 1].key]),
  }));
  return {
    stages,
    cohorts: cohortKeys.map((month) => ({ month, counts: cohorts.get(month)! })),
    from: opts.from,
    to: opts.to,
  };
}

/** `YYYY-MM` of the last n months (oldest first) in the zone. */
export function lastMonths(now: Date, n: number, timeZone: string): string[] {
  const p = zonedParts(now, timeZone);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(p.year, p.month - 1 - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Headline member counts for the dashboard. */
export async function getMemberKpis(now: Date): Promise<{
  members: number;
  following: number;
  blocked: number;
  consented: number;
  active30d: number;
  new30d: number;
}> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const base = { erasedAt: null, mergedInto: null };
  const [members, following, blocked, consented, active30d, new30d] = await Promise.all([
    Member.countDocuments(base),
    Member.countDocuments({ ...base, status: 'active', lineUserId: { $ne: null } }),
    Member.countDocuments({ ...base, status: 'blocked' }),
    Member.countDocuments({ ...base, 'consent.marketing': true, status: { $ne: 'blocked' } }),
    Member.countDocuments({ ...base, lastInteractionAt: { $gte: since } }),
    Member.countDocuments({ ...base, followedAt: { $gte: since } }),
  ]);
  return { members, following, blocked, consented, active30d, new30d };
}
