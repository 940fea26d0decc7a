/**
 * Compaction: fold a snapshot and the journals written after it into a new snapshot, streaming. Runs in a
 * worker thread (compact.worker.ts), never on the event loop that serves commands.
 *
 * The journals are read first into an overlay per collection (the last version of every document they touch, or a
 * deletion mark), then the old snapshot is streamed through: each document is written as is, replaced by its
 * overlay version in the same place (an update keeps a document's natural position, as in memory), or skipped
 * (deleted, or deleted and re-inserted, which moves it to the end), and the collection's new documents follow.
 * Memory is the distinct documents the journals touched, not the whole store.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { FrameReader, FrameWriter, T, journalName, snapshotName, type RecordHeader } from './journal-format';
import type { Doc } from './values';

interface Entry {
  /** Latest bytes, or null when the document is deleted. */
  bytes: Buffer | null;
  /** Deleted then inserted again: its old place in the snapshot no longer counts. */
  moved: boolean;
  written?: boolean;
}

interface Logical {
  db: string;
  name: string;
  /** Namespace of its documents in the base snapshot, if it has any there. */
  source?: string;
  options: Doc;
  indexes: Doc[];
  overlay: Map<string, Entry>;
}

export interface CompactionJob {
  dir: string;
  /** Generation of the base snapshot, if there is one. */
  base?: number;
  journals: number[];
  /** Generation of the snapshot to write. */
  out: number;
}

export interface CompactionResult {
  file: string;
  bytes: number;
  documents: number;
  /** Journal frames that could not be read (a torn tail). */
  tornJournals: number[];
}

const ns = (db: string, c: string) => `${db}.${c}`;
const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

/** The collections (in order) and their documents' base positions, as the base snapshot describes them. */
function readCatalog(file: string): Map<string, Logical> {
  const out = new Map<string, Logical>();
  const reader = new FrameReader(file, 64 * 1024);
  try {
    const first = reader.frames().next();
    const header = first.done ? undefined : first.value.header;
    if (header?.t !== T.snapshotStart) throw new Error(`${file}: not a mongo-standin snapshot`);
    for (const c of (header.collections as Doc[]) ?? []) {
      out.set(ns(c.d, c.c), {
        db: c.d,
        name: c.c,
        source: ns(c.d, c.c),
        options: c.o ?? {},
        indexes: c.ix ?? [ID_INDEX],
        overlay: new Map(),
      });
    }
  } finally {
    reader.close();
  }
  return out;
}

function applyJournal(file: string, logicals: Map<string, Logical>): boolean {
  const reader = new FrameReader(file);
  try {
    for (const { header: h, body } of reader.frames()) applyRecord(h, body, logicals);
  } finally {
    reader.close();
  }
  return reader.torn;
}

function logicalFor(logicals: Map<string, Logical>, db: string, name: string): Logical {
  let l = logicals.get(ns(db, name));
  if (!l) {
    l = { db, name, options: {}, indexes: [ID_INDEX], overlay: new Map() };
    logicals.set(ns(db, name), l);
  }
  return l;
}

function applyRecord(h: RecordHeader, body: Buffer | undefined, logicals: Map<string, Logical>): void {
  const db = h.d!;
  switch (h.t) {
    case T.put: {
      const overlay = logicalFor(logicals, db, h.c!).overlay;
      const bytes = Buffer.from(body!);
      const e = overlay.get(h.k!);
      if (e && e.bytes === null) {
        overlay.delete(h.k!);
        overlay.set(h.k!, { bytes, moved: true });
      } else if (e) e.bytes = bytes;
      else overlay.set(h.k!, { bytes, moved: false });
      return;
    }
    case T.delete: {
      const overlay = logicalFor(logicals, db, h.c!).overlay;
      overlay.delete(h.k!);
      overlay.set(h.k!, { bytes: null, moved: false });
      return;
    }
    case T.create:
      logicals.delete(ns(db, h.c!));
      logicals.set(ns(db, h.c!), { db, name: h.c!, options: h.o ?? {}, indexes: [ID_INDEX], overlay: new Map() });
      return;
    case T.drop:
      logicals.delete(ns(db, h.c!));
      return;
    case T.dropDatabase:
      for (const [key, l] of logicals) if (l.db === db) logicals.delete(key);
      return;
    case T.createIndex:
      logicalFor(logicals, db, h.c!).indexes.push(h.s!);
      return;
    case T.dropIndex: {
      const l = logicalFor(logicals, db, h.c!);
      l.indexes = l.indexes.filter((s) => s.name !== h.n);
      return;
    }
    case T.rename: {
      const l = logicals.get(ns(db, h.c!));
      if (!l) return;
      logicals.delete(ns(db, h.c!));
      logicals.delete(ns(db, h.to!));
      l.name = h.to!;
      logicals.set(ns(db, h.to!), l);
      return;
    }
  }
}

function writeRest(out: FrameWriter, l: Logical): number {
  let n = 0;
  for (const [k, e] of l.overlay) {
    if (e.bytes && !e.written) {
      out.write({ t: T.put, k }, e.bytes);
      n++;
    }
  }
  return n;
}

export function compact(job: CompactionJob): CompactionResult {
  const baseFile = job.base === undefined ? undefined : path.join(job.dir, snapshotName(job.base));
  const logicals = baseFile && existsSync(baseFile) ? readCatalog(baseFile) : new Map<string, Logical>();
  const tornJournals: number[] = [];
  for (const gen of job.journals) {
    const file = path.join(job.dir, journalName(gen));
    if (existsSync(file) && applyJournal(file, logicals)) tornJournals.push(gen);
  }

  const file = path.join(job.dir, snapshotName(job.out));
  const tmp = `${file}.tmp`;
  const out = new FrameWriter(tmp);
  let documents = 0;
  try {
    out.write({
      t: T.snapshotStart,
      gen: job.out,
      savedAt: new Date(),
      collections: [...logicals.values()].map((l) => ({ d: l.db, c: l.name, o: l.options, ix: l.indexes })),
    });
    const bySource = new Map<string, Logical>();
    for (const l of logicals.values()) if (l.source) bySource.set(l.source, l);
    const done = new Set<Logical>();
    if (baseFile && bySource.size) {
      const reader = new FrameReader(baseFile);
      let current: Logical | undefined;
      const finishCurrent = () => {
        if (current) documents += writeRest(out, current);
        if (current) done.add(current);
        current = undefined;
      };
      try {
        for (const { header: h, body } of reader.frames()) {
          if (h.t === T.collection) {
            finishCurrent();
            current = bySource.get(ns(h.d!, h.c!));
            if (current) out.write({ t: T.collection, d: current.db, c: current.name });
          } else if (h.t === T.put && current) {
            const e = current.overlay.get(h.k!);
            if (!e) {
              out.write({ t: T.put, k: h.k }, body);
              documents++;
            } else if (e.bytes && !e.moved) {
              out.write({ t: T.put, k: h.k }, e.bytes);
              e.written = true;
              documents++;
            }
          } else if (h.t === T.snapshotEnd) break;
        }
        finishCurrent();
      } finally {
        reader.close();
      }
    }
    for (const l of logicals.values()) {
      if (done.has(l)) continue;
      out.write({ t: T.collection, d: l.db, c: l.name });
      documents += writeRest(out, l);
    }
    out.write({ t: T.snapshotEnd, documents });
    out.finish();
  } catch (err) {
    try {
      out.finish();
    } catch {
      // already failing; the .tmp file is removed at the next start
    }
    throw err;
  }
  renameSync(tmp, file);
  fsyncDir(job.dir);
  return { file, bytes: out.bytes, documents, tornJournals };
}

/** Make a rename in `dir` durable (where the platform allows fsync on a directory). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
