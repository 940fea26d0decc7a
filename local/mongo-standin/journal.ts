/**
 * Persistence by an append-only journal (format: journal-format.ts).
 *
 * - Every committed change reaches `ChangeSink` (store.ts) after it succeeded and becomes one frame in memory.
 * - Group commit: before the server sends the replies of a batch of commands it calls `commit()`, which hands all
 *   pending frames to the OS in one write. So a write is on its way to disk before it is acknowledged, and a killed
 *   process (SIGKILL, crash) loses nothing acknowledged. Frames from writes with no reply (TTL sweeps,
 *   unacknowledged writes) follow within the same event-loop turn.
 * - `fdatasync` runs at most `syncIntervalMs` (default 100 ms) after a write, off the event loop (libuv's thread
 *   pool): an OS crash or power cut loses at most that window.
 * - When the journal outgrows `max(compactBytes, half the snapshot)`, the main thread only rotates it (closes it and
 *   opens the next generation, microseconds); a worker thread folds the old snapshot and journals into a new
 *   snapshot file, and the old files are deleted once the new snapshot is renamed into place.
 * - At start the newest complete snapshot is loaded and every later journal replayed in order; a torn last frame
 *   (length or checksum wrong) is dropped and the file truncated to its last intact frame.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompactionJob, CompactionResult } from './compaction';
import {
  FrameReader,
  T,
  encodeFrame,
  journalName,
  listDataFiles,
  snapshotName,
  writeAll,
  type RecordHeader,
} from './journal-format';
import {
  IMAGE_TAIL_MAX_BYTES,
  fingerprint,
  imageCoverage,
  readImageFiles,
  readIndexImage,
  removeIndexImage,
  writeIndexImage,
} from './index-image';
import type { IndexSpec } from './indexes';
import { loadSnapshot as loadLegacySnapshot } from './snapshot';
import type { ChangeSink, Collection, Store } from './store';
import type { Doc } from './values';

export interface JournalOptions {
  /** Upper bound between a write and its fdatasync. Default 100 ms. */
  syncIntervalMs?: number;
  /** Compact once the journal is this big (or half the snapshot, if that is bigger). Default 64 MiB. */
  compactBytes?: number;
  /** An old one-file EJSON snapshot to migrate from when the directory holds no data yet. */
  legacySnapshotPath?: string;
  /** Journal bytes after the index image beyond which a start builds the indexes instead (index-image.ts). */
  imageTailMaxBytes?: number;
  log?: (msg: string) => void;
}

export interface OpenReport {
  documents: number;
  snapshotGen?: number;
  journalRecords: number;
  /** Bytes of a torn last record that were dropped. */
  droppedBytes: number;
  migratedFrom?: string;
  /** Collections whose indexes were read from the image of the last clean close (index-image.ts), not built. */
  indexesFromImage: number;
  /** Journal records written after that image, replayed onto its indexes. */
  recordsAfterImage: number;
  ms: number;
}

export interface JournalStats {
  dir: string;
  snapshotBytes: number;
  journalBytes: number;
  compactions: number;
}

const PENDING_LIMIT = 1024 * 1024;

export class Journal implements ChangeSink {
  private fd = -1;
  private gen = 1;
  private baseGen?: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private flushScheduled = false;
  private syncTimer?: NodeJS.Timeout;
  private syncing = false;
  private compacting?: Promise<void>;
  private compactions = 0;
  private failedAt = 0;
  private closed = false;
  private store?: Store;
  private readonly syncIntervalMs: number;
  private readonly compactBytes: number;
  private readonly log: (msg: string) => void;

  constructor(
    readonly dir: string,
    private readonly opts: JournalOptions = {},
  ) {
    this.syncIntervalMs = opts.syncIntervalMs ?? 100;
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
    this.log = opts.log ?? (() => undefined);
  }

  /** Load the data directory into `store` (which must be empty and have no sink yet), then open for appending. */
  open(store: Store): OpenReport {
    const started = Date.now();
    this.store = store;
    mkdirSync(this.dir, { recursive: true });
    let files = listDataFiles(this.dir);
    for (const tmp of files.temporary) rmSync(tmp, { force: true });
    const report: OpenReport = {
      documents: 0,
      journalRecords: 0,
      droppedBytes: 0,
      indexesFromImage: 0,
      recordsAfterImage: 0,
      ms: 0,
    };

    if (!files.snapshots.length && !files.journals.length && this.opts.legacySnapshotPath) {
      const legacy = this.opts.legacySnapshotPath;
      if (existsSync(legacy)) {
        loadLegacySnapshot(legacy, store);
        this.writeMigrationJournal(store);
        store.dbs.clear();
        renameSync(legacy, `${legacy}.migrated`);
        report.migratedFrom = legacy;
        files = listDataFiles(this.dir);
      }
    }

    // The newest snapshot that is complete wins; a half-written one cannot exist (tmp + rename), but be safe.
    for (const gen of [...files.snapshots].reverse()) {
      const loaded = this.loadSnapshotFile(gen, store);
      if (loaded !== undefined) {
        this.baseGen = gen;
        report.snapshotGen = gen;
        report.documents = loaded;
        break;
      }
      this.log(`mongo-standin: ignoring incomplete ${snapshotName(gen)}`);
    }
    const journals = files.journals.filter((g) => this.baseGen === undefined || g >= this.baseGen);
    // The image of the last clean stop, if it fits these files: they are loaded up to where it was taken, it is
    // adopted, and the records after it are replayed with their index entries maintained (index-image.ts).
    const imageFiles = readImageFiles(this.dir);
    let covered = imageFiles && imageCoverage(this.dir, imageFiles, this.baseGen, journals);
    if (covered) {
      let tail = 0;
      journals.forEach((g, i) => (tail += statSync(path.join(this.dir, journalName(g))).size - covered![i]));
      if (tail > (this.opts.imageTailMaxBytes ?? IMAGE_TAIL_MAX_BYTES)) covered = undefined;
    }
    let adopted = false;
    let imageFits = !!covered;
    const adopt = () => {
      adopted = true;
      if (imageFits && imageFiles) {
        const read = readIndexImage(this.dir, imageFiles, (d, c, img) => {
          const coll = store.dbs.get(d)?.get(c);
          return coll ? coll.adoptImage(img) : false;
        });
        report.indexesFromImage = read.adopted.size;
        imageFits = read.whole && read.rejected === 0;
        for (const db of store.dbs.values())
          for (const c of db.collections.values()) if (!read.adopted.has(c.ns)) c.finishLoad();
      } else for (const db of store.dbs.values()) for (const c of db.collections.values()) c.finishLoad();
    };
    journals.forEach((gen, i) => {
      const { records, tailRecords, goodBytes, torn } = this.replay(gen, store, covered ? covered[i] : Infinity, () => {
        if (!adopted) adopt();
      });
      report.journalRecords += records;
      report.recordsAfterImage += tailRecords;
      // A journal that ends before the bytes the image covers: the image is of other data.
      if (covered && goodBytes < covered[i]) imageFits = false;
      if (torn) {
        const file = path.join(this.dir, journalName(gen));
        const dropped = statSync(file).size - goodBytes;
        report.droppedBytes += dropped;
        this.log(`mongo-standin: ${journalName(gen)}: dropped a torn record (${dropped} bytes) at offset ${goodBytes}`);
        const fd = openSync(file, 'r+');
        ftruncateSync(fd, goodBytes);
        fdatasyncSync(fd);
        closeSync(fd);
      }
    });
    if (!adopted) adopt();
    // An image that did not fit (wholly) would not fit the next start either.
    if (imageFiles && !imageFits) removeIndexImage(this.dir);
    if (!report.indexesFromImage) report.recordsAfterImage = 0;
    // Files older than the loaded snapshot are leftovers of a compaction that finished just before a crash.
    for (const g of files.snapshots) if (this.baseGen !== undefined && g < this.baseGen) this.remove(snapshotName(g));
    for (const g of files.journals) if (this.baseGen !== undefined && g < this.baseGen) this.remove(journalName(g));

    this.gen = journals.length ? journals[journals.length - 1] : (this.baseGen ?? 1);
    const file = path.join(this.dir, journalName(this.gen));
    this.fd = openSync(file, 'a');
    this.journalBytes = statSync(file).size;
    this.snapshotBytes =
      this.baseGen === undefined ? 0 : statSync(path.join(this.dir, snapshotName(this.baseGen))).size;
    let docs = 0;
    for (const db of store.dbs.values()) for (const c of db.collections.values()) docs += c.docs.size;
    report.documents = docs;
    report.ms = Date.now() - started;
    return report;
  }

  stats(): JournalStats {
    return {
      dir: this.dir,
      snapshotBytes: this.snapshotBytes,
      journalBytes: this.journalBytes + this.pendingBytes,
      compactions: this.compactions,
    };
  }

  // ChangeSink: one frame per committed change.
  put(d: string, c: string, k: string, bson: Uint8Array): void {
    this.append({ t: T.put, d, c, k }, bson);
  }
  delete(d: string, c: string, k: string): void {
    this.append({ t: T.delete, d, c, k });
  }
  createCollection(d: string, c: string, o: Doc): void {
    this.append({ t: T.create, d, c, o });
  }
  dropCollection(d: string, c: string): void {
    this.append({ t: T.drop, d, c });
  }
  dropDatabase(d: string): void {
    this.append({ t: T.dropDatabase, d });
  }
  createIndex(d: string, c: string, s: IndexSpec): void {
    this.append({ t: T.createIndex, d, c, s });
  }
  dropIndex(d: string, c: string, n: string): void {
    this.append({ t: T.dropIndex, d, c, n });
  }
  renameCollection(d: string, c: string, to: string): void {
    this.append({ t: T.rename, d, c, to });
  }

  /** Hand every pending frame to the OS (one write), and schedule its fdatasync. */
  commit(): void {
    if (!this.pendingBytes || this.fd < 0) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    writeAll(this.fd, buf);
    this.journalBytes += buf.length;
    this.scheduleSync();
    if (this.journalBytes >= Math.max(this.compactBytes, this.snapshotBytes / 2)) this.startCompaction();
  }

  /** Compact now (e.g. `MongoStandin.snapshot()`), waiting for a running compaction first. */
  async compactNow(): Promise<void> {
    await this.compacting;
    this.commit();
    this.failedAt = 0;
    this.startCompaction();
    await this.compacting;
  }

  /** Commit, wait for a running compaction, fsync and close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.commit();
    await this.compacting;
    this.closed = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.fd >= 0) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
      this.writeImage();
    }
  }

  /** The indexes as they are now, for the next start (index-image.ts); a failure only costs that start the build. */
  private writeImage(): void {
    if (!this.store) return;
    const started = Date.now();
    try {
      const files = listDataFiles(this.dir);
      const journals = files.journals.filter((g) => this.baseGen === undefined || g >= this.baseGen);
      const { bytes } = writeIndexImage(this.dir, this.store, fingerprint(this.dir, this.baseGen, journals));
      this.log(`mongo-standin: wrote the index image (${bytes} bytes) in ${Date.now() - started} ms`);
    } catch (err) {
      this.log(`mongo-standin: no index image written (the next start builds the indexes): ${String(err)}`);
    }
  }

  private append(header: RecordHeader, body?: Uint8Array): void {
    const frame = encodeFrame(header, body);
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    if (this.pendingBytes >= PENDING_LIMIT) this.commit();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.commit();
      });
    }
  }

  private scheduleSync(): void {
    if (this.syncTimer || this.closed) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      if (this.fd < 0) return;
      if (this.syncing) return this.scheduleSync();
      this.syncing = true;
      fdatasync(this.fd, (err) => {
        this.syncing = false;
        if (err) this.log(`mongo-standin: journal fdatasync failed: ${err.message}`);
      });
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }

  /** Rotate the journal and let a worker fold the old generation(s) into a snapshot. */
  private startCompaction(): void {
    if (this.compacting || this.closed) return;
    // After a failure, wait for the journal to grow another threshold before trying again.
    if (this.failedAt && this.journalBytes < this.failedAt + this.compactBytes) return;
    const files = listDataFiles(this.dir);
    const job: CompactionJob = {
      dir: this.dir,
      base: this.baseGen,
      journals: files.journals.filter((g) => g <= this.gen && (this.baseGen === undefined || g >= this.baseGen)),
      out: this.gen + 1,
    };
    // The worker reads the rotated file through the page cache; it is deleted only after the snapshot is durable.
    const old = this.fd;
    fdatasync(old, () => closeSync(old));
    this.gen += 1;
    this.fd = openSync(path.join(this.dir, journalName(this.gen)), 'a');
    const rotatedBytes = this.journalBytes;
    this.journalBytes = 0;
    const started = Date.now();
    this.compacting = runWorker(job)
      .then((result) => {
        this.baseGen = job.out;
        this.snapshotBytes = result.bytes;
        // The index image was of the snapshot just replaced.
        removeIndexImage(this.dir);
        this.compactions++;
        this.failedAt = 0;
        this.log(
          `mongo-standin: compacted ${rotatedBytes} journal bytes into ${snapshotName(job.out)} (${result.documents} documents, ${result.bytes} bytes) in ${Date.now() - started} ms`,
        );
      })
      .catch((err: unknown) => {
        this.failedAt = this.journalBytes || 1;
        this.log(`mongo-standin: compaction failed (the journal keeps everything): ${String(err)}`);
      })
      .finally(() => {
        this.compacting = undefined;
      });
  }

  private remove(name: string): void {
    rmSync(path.join(this.dir, name), { force: true });
  }

  /** Documents loaded, or undefined when the file is not a complete snapshot. */
  private loadSnapshotFile(gen: number, store: Store): number | undefined {
    const reader = new FrameReader(path.join(this.dir, snapshotName(gen)));
    let coll: Collection | undefined;
    let n = 0;
    let complete = false;
    try {
      for (const { header: h, body } of reader.frames()) {
        if (h.t === T.snapshotStart) {
          for (const c of (h.collections as Doc[]) ?? []) {
            const created = store.db(c.d).getOrCreate(c.c, c.o ?? {});
            for (const spec of (c.ix as IndexSpec[]) ?? []) if (spec.name !== '_id_') created.createIndex(spec);
          }
        } else if (h.t === T.collection) coll = store.db(h.d!).getOrCreate(h.c!);
        else if (h.t === T.put && coll && body) {
          coll.load(h.k!, body);
          n++;
        } else if (h.t === T.snapshotEnd) {
          complete = true;
          break;
        }
      }
    } finally {
      reader.close();
    }
    // Indexes are built once the journals are replayed too (open() calls finishLoad).
    if (complete) return n;
    store.dbs.clear();
    return undefined;
  }

  /**
   * Replay one journal. Records that start before `liveFrom` (a byte offset) are loaded as bytes, for the indexes to
   * be built or adopted once; before the first record from `liveFrom` on, `goLive` runs (it adopts the index image),
   * and those records are applied with their index entries maintained.
   */
  private replay(
    gen: number,
    store: Store,
    liveFrom: number,
    goLive: () => void,
  ): { records: number; tailRecords: number; goodBytes: number; torn: boolean } {
    const reader = new FrameReader(path.join(this.dir, journalName(gen)));
    let records = 0;
    let tailRecords = 0;
    let at = 0;
    try {
      for (const { header: h, body, size } of reader.frames()) {
        const live = at >= liveFrom;
        if (live && !tailRecords) goLive();
        applyRecord(store, h, body, live);
        records++;
        if (live) tailRecords++;
        at += size;
      }
    } finally {
      reader.close();
    }
    return { records, tailRecords, goodBytes: reader.goodBytes, torn: reader.torn };
  }

  /** The legacy file's contents become the first journal (the first compaction turns it into a snapshot). */
  private writeMigrationJournal(store: Store): void {
    const fd = openSync(path.join(this.dir, journalName(1)), 'w');
    try {
      for (const [d, db] of store.dbs) {
        for (const [c, coll] of db.collections) {
          writeAll(fd, encodeFrame({ t: T.create, d, c, o: coll.options }));
          for (const idx of coll.indexes)
            if (!idx.isId) writeAll(fd, encodeFrame({ t: T.createIndex, d, c, s: idx.spec }));
          for (const [k, bytes] of coll.docs.rawEntries()) writeAll(fd, encodeFrame({ t: T.put, d, c, k }, bytes));
        }
      }
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Apply one journal record to the store (the sink is detached while replaying). Not `live`, a put stores bytes only:
 * the indexes are built from the final documents (or adopted) when the journals up to the index image are replayed.
 */
function applyRecord(store: Store, h: RecordHeader, body: Buffer | undefined, live: boolean): void {
  const db = store.db(h.d!);
  switch (h.t) {
    case T.put: {
      const coll = db.getOrCreate(h.c!);
      if (live) coll.reapply(h.k!, body!);
      else coll.load(h.k!, body!);
      return;
    }
    case T.delete:
      db.get(h.c!)?.forget(h.k!);
      return;
    case T.create:
      db.getOrCreate(h.c!, h.o ?? {});
      return;
    case T.drop:
      db.drop(h.c!);
      return;
    case T.dropDatabase:
      store.dropDatabase(h.d!);
      return;
    case T.createIndex:
      db.getOrCreate(h.c!).createIndex(h.s as IndexSpec);
      return;
    case T.dropIndex:
      if (db.get(h.c!)?.findIndex(h.n!)) db.get(h.c!)!.dropIndex(h.n!);
      return;
    case T.rename:
      db.drop(h.to!);
      if (db.get(h.c!)) db.rename(h.c!, h.to!);
      return;
  }
}

/** Run compact.worker in a worker thread (through tsx when running from TypeScript sources). */
function runWorker(job: CompactionJob): Promise<CompactionResult> {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `compact.worker${ext}`);
  const execArgv = ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: job, execArgv });
    worker.once('message', (m: { ok: boolean; result?: CompactionResult; error?: string }) =>
      m.ok ? resolve(m.result!) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`compaction worker exited with code ${code}`)));
  });
}
