import { StatCounter, StatMarker } from '../../models/stat-counter.model';
import { zonedDate } from '../shared/clock';

/**
 * The counters the dashboard and campaign stats read (`statcounters`, see models/stat-counter.model.ts): small
 * `$inc`s made where each event is recorded, tied to the write that records it (that write is conditional, so a
 * retry changes nothing and adds nothing), with markers for "first time" facts. The one crash case: the process
 * dies between the event's write and its `$inc`; the figure is then short by that event until
 * `npm run stats:rebuild` recomputes every counter from the records (domain/reports/stat-rebuild.service.ts).
 */

/** Counter increments: bucket id → dotted path under `n` → amount. */
export type CounterDelta = Map<string, Record<string, number>>;

let counterTimeZone = 'Asia/Taipei';

/** Day buckets are days in the program's zone; set once at start from the configuration. */
export function setCounterTimeZone(timeZone: string): void {
  counterTimeZone = timeZone;
}

export function counterDay(at: Date | null | undefined): string | null {
  return at ? zonedDate(new Date(at), counterTimeZone) : null;
}

export const programBucket = 'program';
export const dayBucket = (day: string) => `day:${day}`;
export const campaignBucket = (campaignId: unknown) => `campaign:${String(campaignId)}`;
export const templateBucket = (templateId: unknown) => `template:${String(templateId)}`;

/** The `kind` (and `day`) fields of a bucket id. */
export function kindOf(id: string): { kind: string; day?: string } {
  if (id.startsWith('day:')) return { kind: 'day', day: id.slice(4) };
  return { kind: id.split(':')[0] };
}

/** Adds `amount` at `path` of bucket `id` in `delta` (in memory; `applyDelta` writes it). */
export function addTo(delta: CounterDelta, id: string, path: string, amount: number): void {
  if (!amount) return;
  const row = delta.get(id) ?? {};
  row[path] = (row[path] ?? 0) + amount;
  delta.set(id, row);
}

/** Writes the increments, one upserting `$inc` per bucket in one round trip. */
export async function applyDelta(delta: CounterDelta): Promise<void> {
  const ops = [];
  for (const [id, row] of delta) {
    const inc: Record<string, number> = {};
    for (const [path, amount] of Object.entries(row)) if (amount) inc[`n.${path}`] = amount;
    if (!Object.keys(inc).length) continue;
    ops.push({
      updateOne: { filter: { _id: id }, update: { $inc: inc, $setOnInsert: kindOf(id) }, upsert: true },
    });
  }
  if (ops.length) await StatCounter.bulkWrite(ops, { ordered: false });
}

/** One bucket's increments. */
export async function bump(id: string, inc: Record<string, number>): Promise<void> {
  await applyDelta(new Map([[id, inc]]));
}

/** Inserts a "first time" marker; true when this call inserted it (the first), false when it existed. */
export async function markFirst(id: string, fields: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await StatMarker.create({ _id: id, ...fields });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/** Counter documents as plain `n` objects by id (missing ones are empty). */
export async function readBuckets(ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const docs = ids.length ? await StatCounter.find({ _id: { $in: ids } }, { n: 1 }).lean() : [];
  return new Map(docs.map((d) => [String(d._id), (d.n ?? {}) as Record<string, unknown>]));
}

/** Day buckets in [fromDay, toDay] (inclusive, `YYYY-MM-DD`, either open), one indexed range read. */
export async function readDays(
  fromDay?: string | null,
  toDay?: string | null,
): Promise<Array<{ day: string; n: Record<string, unknown> }>> {
  const day: Record<string, string> = {};
  if (fromDay) day.$gte = fromDay;
  if (toDay) day.$lte = toDay;
  const docs = await StatCounter.find(
    { kind: 'day', ...(fromDay || toDay ? { day } : { day: { $ne: null } }) },
    { day: 1, n: 1 },
  ).lean();
  return docs.map((d) => ({ day: String(d.day), n: (d.n ?? {}) as Record<string, unknown> }));
}

/** A number at a dotted path of a bucket's `n` (0 when absent). */
export function numAt(n: Record<string, unknown> | undefined, path: string): number {
  let cur: unknown = n;
  for (const part of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return typeof cur === 'number' ? cur : 0;
}
