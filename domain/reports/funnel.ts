import { zonedParts } from '../shared/clock';
import { FUNNEL_STAGES, type FunnelStageKey } from './funnel-stages';
import { counterDay, numAt, programBucket, readBuckets, readDays } from './stat-counters.service';

export { FUNNEL_STAGES, type FunnelStageKey } from './funnel-stages';

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

const emptyCounts = (): Record<FunnelStageKey, number> =>
  Object.fromEntries(FUNNEL_STAGES.map((s) => [s.key, 0])) as Record<FunnelStageKey, number>;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

/**
 * The funnel over the members who followed in [from, to) (all time when omitted), plus the same stages per
 * follow-month cohort for the months of the range (the last `months` months when no `from`), so a marketer sees
 * whether newer members convert better.
 * Read from the day buckets (domain/reports/member-counters.service.ts): `from` and `to` count by their day in
 * the program's zone (the console sends midnights), one document per day with members.
 */
export async function getFunnelReport(opts: {
  from?: Date;
  to?: Date;
  months?: number;
  now: Date;
  timeZone: string;
}): Promise<FunnelReport> {
  const totals = emptyCounts();
  const reachedTotals = emptyCounts();
  // Cohorts over the chosen range (any years), else the last `months` months.
  const cohortKeys = opts.from
    ? monthsBetween(counterDay(opts.from)!.slice(0, 7), counterDay(opts.to ?? opts.now)!.slice(0, 7))
    : lastMonths(opts.to ?? opts.now, opts.months ?? 12, opts.timeZone);
  const cohorts = new Map(cohortKeys.map((k) => [k, emptyCounts()]));
  const fromDay = counterDay(opts.from);
  const toDay = counterDay(opts.to);
  for (const { day, n } of await readDays(fromDay, null)) {
    if (toDay && day >= toDay) continue;
    const cohort = cohorts.get(day.slice(0, 7));
    for (const s of FUNNEL_STAGES) {
      totals[s.key] += numAt(n, `funnel.${s.key}`);
      reachedTotals[s.key] += numAt(n, `reached.${s.key}`);
      if (cohort) cohort[s.key] += numAt(n, `funnel.${s.key}`);
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

/** `YYYY-MM` months from the month of `from` to the month of `to`, inclusive (at most 120). */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = [];
  let [y, m] = fromMonth.split('-').map(Number);
  const [ty, tm] = toMonth.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length < 120) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
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

/**
 * Headline member counts for the dashboard, from the program gauges and the day buckets (today and the 29 days
 * before, in the program's zone, for new = followed on those days and active = last activity on those days).
 * `consented` is the funnel's 同意行銷訊息 over all time (friends who consented; domain/reports/metrics.ts), so
 * the KPI and the funnel agree; `consentedGuests` counts imported people who consented but never followed.
 */
export async function getMemberKpis(now: Date): Promise<{
  members: number;
  following: number;
  blocked: number;
  consented: number;
  consentedGuests: number;
  active30d: number;
  new30d: number;
}> {
  const since = counterDay(new Date(now.getTime() - 29 * 86_400_000))!;
  const [program, days] = await Promise.all([readBuckets([programBucket]), readDays(null, null)]);
  const p = program.get(programBucket);
  const recent = days.filter((d) => d.day >= since);
  const sum = (rows: typeof days, path: string) => rows.reduce((total, d) => total + numAt(d.n, path), 0);
  return {
    members: numAt(p, 'members'),
    following: numAt(p, 'following'),
    blocked: numAt(p, 'blocked'),
    consented: sum(days, 'funnel.consented'),
    consentedGuests: numAt(p, 'consentedGuests'),
    active30d: sum(recent, 'active'),
    new30d: sum(recent, 'new'),
  };
}
