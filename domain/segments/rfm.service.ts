import { z } from 'zod';
import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { RfmRun } from '../../models/segment.model';
import { Settings } from '../../models/settings.model';
import { parseOrThrow } from '../shared/validation';
import { explainRfm, type RfmInput, RFM_FALLBACK, RFM_SEGMENTS, RFM_UNSCORED, scorePopulation } from './rfm';

const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'rfm';
const WRITE_CHUNK = 500;

export const RfmSettingsSchema = z.strictObject({
  /** Frequency and monetary count purchases in this many days before the run. */
  windowDays: z.number().int().min(30, '至少 30 天').max(1825, '最多 1825 天').default(365),
});
export type RfmSettings = z.infer<typeof RfmSettingsSchema>;

export async function getRfmSettings(): Promise<RfmSettings> {
  const doc = await Settings.findOne({ key: SETTINGS_KEY }).lean();
  const parsed = RfmSettingsSchema.safeParse(doc?.value ?? {});
  return parsed.success ? parsed.data : RfmSettingsSchema.parse({});
}

export async function updateRfmSettings(patch: unknown, actor: string): Promise<RfmSettings> {
  const next = parseOrThrow(RfmSettingsSchema, { ...(await getRfmSettings()), ...(patch as object) });
  await Settings.updateOne(
    { key: SETTINGS_KEY },
    { $set: { value: next, updatedBy: actor }, $inc: { version: 1 } },
    { upsert: true },
  );
  return next;
}

interface PurchaseAgg {
  _id: Types.ObjectId;
  lastAt: Date;
  frequency: number;
  monetary: number;
}

/**
 * Measures every member with at least one purchase: recency from the latest purchase ever, frequency and net
 * spend (amount − refunds) within the window. Fully refunded orders do not count.
 */
export async function loadRfmInputs(now: Date, windowDays: number): Promise<RfmInput[]> {
  const from = new Date(now.getTime() - windowDays * DAY_MS);
  const inWindow = { $gte: ['$at', from] };
  const rows = await Purchase.aggregate<PurchaseAgg>([
    { $match: { at: { $lte: now }, status: { $ne: 'refunded' } } },
    {
      $group: {
        _id: '$memberId',
        lastAt: { $max: '$at' },
        frequency: { $sum: { $cond: [inWindow, 1, 0] } },
        monetary: { $sum: { $cond: [inWindow, { $subtract: ['$amount', { $ifNull: ['$refundedAmount', 0] }] }, 0] } },
      },
    },
  ]);
  return rows.map((row) => ({
    memberId: String(row._id),
    recencyDays: Math.max(0, Math.floor((now.getTime() - new Date(row.lastAt).getTime()) / DAY_MS)),
    frequency: row.frequency,
    monetary: Math.round(row.monetary),
  }));
}

export interface RfmRunSummary {
  at: Date;
  windowDays: number;
  scored: number;
  unscored: number;
  segments: Record<string, number>;
}

/**
 * Scores every member and stores, on each member, the scores, the named segment and the reason (measured values
 * and the segment's rule). Members without purchases get the "尚未消費" segment. Safe to run twice: it overwrites.
 */
export async function scoreRfm(now: Date, opts: { windowDays?: number } = {}): Promise<RfmRunSummary> {
  const windowDays = opts.windowDays ?? (await getRfmSettings()).windowDays;
  const inputs = await loadRfmInputs(now, windowDays);
  const { scores, cuts } = scorePopulation(inputs);
  const segments: Record<string, number> = {};
  const grid = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  for (let i = 0; i < scores.length; i += WRITE_CHUNK) {
    const ops = scores.slice(i, i + WRITE_CHUNK).map((s, j) => ({
      updateOne: {
        filter: { _id: s.memberId, erasedAt: null },
        update: {
          $set: {
            rfm: {
              r: s.r,
              f: s.f,
              m: s.m,
              segment: s.segment,
              rule: explainRfm(inputs[i + j], s, windowDays),
              scoredAt: now,
            },
          },
        },
      },
    }));
    await Member.bulkWrite(ops, { ordered: false });
  }
  for (const s of scores) {
    segments[s.segment] = (segments[s.segment] ?? 0) + 1;
    grid[s.r - 1][s.f - 1] += 1;
  }
  // Everyone not scored in this run (no purchases) is marked unscored, replacing any stale score.
  const unscored = await Member.updateMany(
    { erasedAt: null, $or: [{ 'rfm.scoredAt': { $ne: now } }, { rfm: null }] },
    { $set: { rfm: { segment: RFM_UNSCORED.name, rule: RFM_UNSCORED.rule, scoredAt: now } } },
  );
  if (unscored.modifiedCount) segments[RFM_UNSCORED.name] = unscored.modifiedCount;
  await RfmRun.create({
    at: now,
    windowDays,
    scored: scores.length,
    unscored: unscored.modifiedCount,
    cuts,
    segments,
    grid,
  });
  return { at: now, windowDays, scored: scores.length, unscored: unscored.modifiedCount, segments };
}

export interface RfmOverview {
  lastRun: {
    at: Date;
    windowDays: number;
    scored: number;
    unscored: number;
    cuts: { r: number[]; f: number[]; m: number[] };
    grid: number[][];
  } | null;
  segments: Array<{ name: string; rule: string; description: string; count: number; share: number }>;
}

/** The latest run's cut points, R×F grid and segment sizes, with each segment's rule and advice (zh-TW). */
export async function getRfmOverview(): Promise<RfmOverview> {
  const run = await RfmRun.findOne().sort({ at: -1 }).lean();
  const counts = (run?.segments ?? {}) as Record<string, number>;
  const total = run ? (run.scored ?? 0) + (run.unscored ?? 0) : 0;
  const defs = [...RFM_SEGMENTS, RFM_FALLBACK, RFM_UNSCORED];
  return {
    lastRun: run
      ? {
          at: run.at,
          windowDays: run.windowDays,
          scored: run.scored ?? 0,
          unscored: run.unscored ?? 0,
          cuts: { r: run.cuts?.r ?? [], f: run.cuts?.f ?? [], m: run.cuts?.m ?? [] },
          grid: (run.grid as number[][]) ?? [],
        }
      : null,
    segments: defs.map((d) => {
      const count = counts[d.name] ?? 0;
      return { name: d.name, rule: d.rule, description: d.description, count, share: total ? count / total : 0 };
    }),
  };
}
