import { TrackedLink } from '../../models/tracked-link.model';
import type { LinkRef } from '../campaigns/tracked-links.service';
import type { Messenger, UnitStatistics } from '../messaging/messenger';
import type { JourneyLean } from './journey-enter.service';
import type { JourneyStep } from './journey.schema';
import { aggregationUnitOf } from './journey-time';

/** LINE's per-unit figures of one message step; null figures where LINE gives none (fewer than 20 people). */
export interface StepLineFigures {
  available: boolean;
  uniqueImpression: number | null;
  uniqueClick: number | null;
}

export interface StepStats {
  stepId: string;
  type: JourneyStep['type'];
  entered: number;
  sent: number;
  skipped: number;
  failed: number;
  clicked: number;
  conversions: number;
  revenue: number;
  line: StepLineFigures | null;
}

export interface JourneyStats {
  journeyId: string;
  totals: { entered: number; active: number; completed: number; goal: number; exited: number; revenue: number };
  steps: StepStats[];
  linePeriod: { from: string; to: string };
}

/** LINE counts days in Japan's calendar (UTC+9); its longest period is 30 days. */
const JST_MS = 9 * 3_600_000;
const lineDay = (d: Date) => new Date(d.getTime() + JST_MS).toISOString().slice(0, 10).replace(/-/g, '');

/** The last 30 days in LINE's calendar, ending today. */
export function linePeriodOf(now: Date): { from: string; to: string } {
  return { from: lineDay(new Date(now.getTime() - 29 * 86_400_000)), to: lineDay(now) };
}

/**
 * The per-step figures of a journey. Bounded reads whatever the member count: the counters on the journey document
 * (moved by `$inc` as runs move on), one query for the tracked links of all its steps (by id), and one LINE
 * insight call per message step (at most 30 steps). LINE failing leaves our own figures and marks LINE's unavailable.
 */
export async function computeJourneyStats(
  j: JourneyLean & { stats?: Partial<JourneyStats['totals']> },
  messenger: Messenger,
  now: Date,
): Promise<JourneyStats> {
  const steps = j.steps as JourneyStep[];
  const counters = (j as unknown as { stepStats?: Record<string, Record<string, number>> }).stepStats ?? {};
  const clicks = await clicksPerStep(steps, (j.stepLinks as Record<string, LinkRef[]> | undefined) ?? {});
  const period = linePeriodOf(now);
  const line = await Promise.all(
    steps.map((s) =>
      s.type === 'message' ? unitFigures(messenger, aggregationUnitOf(String(j._id), s.id), period) : null,
    ),
  );
  const t = j.stats ?? {};
  return {
    journeyId: String(j._id),
    totals: {
      entered: t.entered ?? 0,
      active: Math.max(0, t.active ?? 0),
      completed: t.completed ?? 0,
      goal: t.goal ?? 0,
      exited: t.exited ?? 0,
      revenue: t.revenue ?? 0,
    },
    steps: steps.map((s, i) => {
      const c = counters[s.id] ?? {};
      return {
        stepId: s.id,
        type: s.type,
        entered: c.entered ?? 0,
        sent: c.sent ?? 0,
        skipped: c.skipped ?? 0,
        failed: c.failed ?? 0,
        clicked: clicks.get(s.id) ?? 0,
        conversions: c.conversions ?? 0,
        revenue: c.revenue ?? 0,
        line: line[i],
      };
    }),
    linePeriod: period,
  };
}

async function clicksPerStep(steps: JourneyStep[], links: Record<string, LinkRef[]>): Promise<Map<string, number>> {
  const stepOf = new Map<string, string>();
  for (const s of steps) for (const l of links[s.id] ?? []) stepOf.set(String(l.id), s.id);
  const out = new Map<string, number>();
  if (!stepOf.size) return out;
  const rows = await TrackedLink.find({ _id: { $in: [...stepOf.keys()] } }, { clicks: 1 }).lean();
  for (const r of rows) {
    const step = stepOf.get(String(r._id))!;
    out.set(step, (out.get(step) ?? 0) + (r.clicks ?? 0));
  }
  return out;
}

async function unitFigures(
  messenger: Messenger,
  unit: string,
  period: { from: string; to: string },
): Promise<StepLineFigures> {
  let s: UnitStatistics;
  try {
    s = await messenger.getUnitStatistics(unit, period.from, period.to);
  } catch {
    return { available: false, uniqueImpression: null, uniqueClick: null };
  }
  return { available: true, uniqueImpression: s.uniqueImpression, uniqueClick: s.uniqueClick };
}
