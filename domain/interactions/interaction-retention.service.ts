import { mkdir, open, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { EJSON } from 'bson';
import { Interaction } from '../../models/interaction.model';
import { zonedParts } from '../shared/clock';

/*
 * Interactions retention (#11.4). When the program keeps the member timeline for N months, the nightly job moves
 * every interaction older than that out of the database: a batch at a time, in `(at, _id)` order over the `at`
 * index, each batch first written to the archive directory (gzip NDJSON in MongoDB Extended JSON, so
 * `mongoimport` restores it) and made durable, and only then deleted. The archive file's name comes from the
 * batch itself (month + first `_id`), so a run interrupted between the write and the delete rewrites the same
 * file on the next run instead of archiving the rows twice.
 */

/** Rows per batch (one find, one archive file per month in the batch, one delete). */
export const RETENTION_BATCH = 1000;
/** Rows one run moves at most; a backlog (the first run after enabling retention) continues the next night. */
export const RETENTION_MAX_PER_RUN = 200_000;

export interface RetentionResult {
  /** What was done: `archived` (possibly 0 rows), or why nothing was: kept for ever, or no archive directory. */
  outcome: 'archived' | 'keep_forever' | 'no_archive_dir';
  cutoff?: Date;
  archived: number;
  deleted: number;
  files: number;
  batches: number;
}

/** The instant before which interactions are out of a `months` retention at `now`: the same day-time N months ago. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * Archives, then deletes, interactions older than `months` (null: keeps everything). Idempotent: a second run
 * finds nothing older than the cutoff; an interrupted run is completed by the next one without duplicates.
 */
export async function archiveOldInteractions(opts: {
  months: number | null;
  archiveDir: string | null;
  now: Date;
  timeZone: string;
  batchSize?: number;
  maxRows?: number;
}): Promise<RetentionResult> {
  const result: RetentionResult = { outcome: 'archived', archived: 0, deleted: 0, files: 0, batches: 0 };
  if (opts.months === null) return { ...result, outcome: 'keep_forever' };
  if (!opts.archiveDir) return { ...result, outcome: 'no_archive_dir' };
  const cutoff = retentionCutoff(opts.now, opts.months);
  result.cutoff = cutoff;
  const batchSize = opts.batchSize ?? RETENTION_BATCH;
  const maxRows = opts.maxRows ?? RETENTION_MAX_PER_RUN;
  await mkdir(opts.archiveDir, { recursive: true });
  while (result.archived < maxRows) {
    const rows = await Interaction.find({ at: { $lt: cutoff } })
      .sort({ at: 1, _id: 1 })
      .limit(Math.min(batchSize, maxRows - result.archived))
      .lean();
    if (!rows.length) break;
    for (const [month, group] of byMonth(rows, opts.timeZone)) {
      await writeDurably(path.join(opts.archiveDir, archiveFileName(month, String(group[0]._id))), group);
      result.files++;
    }
    const res = await Interaction.deleteMany({ _id: { $in: rows.map((r) => r._id) } });
    result.archived += rows.length;
    result.deleted += res.deletedCount ?? 0;
    result.batches++;
  }
  return result;
}

/** `interactions-YYYY-MM-<first _id>.ndjson.gz`: the month (program time zone) and the batch's first row. */
export function archiveFileName(month: string, firstId: string): string {
  return `interactions-${month}-${firstId}.ndjson.gz`;
}

/** The archive files of a directory, oldest month first (for operators and tests). */
export async function listArchiveFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => /^interactions-\d{4}-\d{2}-[0-9a-f]{24}\.ndjson\.gz$/.test(n)).sort();
}

function byMonth<T extends { at: Date }>(rows: T[], timeZone: string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const p = zonedParts(row.at, timeZone);
    const month = `${p.year}-${String(p.month).padStart(2, '0')}`;
    const list = groups.get(month) ?? [];
    list.push(row);
    groups.set(month, list);
  }
  return groups;
}

/** Writes gzip NDJSON (canonical Extended JSON: dates and ids survive `mongoimport`) to a temp file, fsyncs, renames. */
async function writeDurably(file: string, rows: unknown[]): Promise<void> {
  const body = gzipSync(rows.map((r) => EJSON.stringify(r as object, { relaxed: false })).join('\n') + '\n');
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
