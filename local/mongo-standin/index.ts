/**
 * mongo-standin: an in-process MongoDB (wire protocol) server for local
 * development and tests on machines without mongod. Real drivers and
 * mongoose connect to it over TCP with a normal mongodb:// URI.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CursorRegistry } from './cursors';
import { SLAB_BYTES } from './doc-heap';
import { Journal, type JournalOptions } from './journal';
import { WireServer } from './server';
import { SlabFile } from './slab-file';
import { Store } from './store';
import { sweepExpired } from './ttl';

/** Documents the TTL monitor deletes per event-loop turn. */
const TTL_BATCH = 1000;

export interface StorageInfo {
  /** Data directory (undefined: in memory only). */
  dir?: string;
  documents: number;
  /** Sum of the stored documents' BSON sizes. */
  dataBytes: number;
  snapshotBytes: number;
  journalBytes: number;
  compactions: number;
  /** Document bytes held in memory (the slabs being filled), and those kept in the slab file (doc-heap.ts). */
  residentBytes: number;
  spilledBytes: number;
}

export interface MongoStandin {
  /** e.g. mongodb://127.0.0.1:54321/huigo?directConnection=true */
  uri: string;
  port: number;
  /** Stop listening, drop client connections, commit and close the journal (if any). */
  close(): Promise<void>;
  /** Compact the journal into a new snapshot now, and wait for it (no-op in memory-only mode). */
  snapshot(): Promise<void>;
  /** Where the data is and how big it is (for the banner). */
  storage(): StorageInfo;
}

export interface MongoStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; the stand-in has no authentication, so keep it local. */
  host?: string;
  /** Database named in the returned URI. Default 'huigo'. Other databases work too. */
  dbName?: string;
  /** Directory for the snapshot and journal files (created if missing). Without it, data is in memory only. */
  dataDir?: string;
  /** Journal tuning and the old EJSON snapshot to migrate from (README "Persistence"). */
  journal?: JournalOptions;
  logger?: (msg: string) => void;
  /** How often TTL indexes are swept. Default 60s, like mongod's TTL monitor. */
  ttlSweepIntervalMs?: number;
  /** Plan queries with the declared indexes (default true); false scans for everything but _id lookups. */
  planner?: boolean;
  /**
   * With a dataDir: keep full slabs of document bytes in a slab file there (default true), so memory holds the
   * indexes and the slabs being filled, not every document (README "Memory layout"). False keeps all in memory.
   */
  spill?: boolean;
}

export async function startMongoStandin(opts: MongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? '127.0.0.1';
  const dbName = opts.dbName ?? 'huigo';
  const log = opts.logger ?? (() => undefined);
  const store = new Store();
  store.planner = opts.planner ?? true;

  let journal: Journal | undefined;
  let slabFile: SlabFile | undefined;
  if (opts.dataDir) {
    // Load before creating anything with timers, so a corrupt directory leaks nothing.
    journal = new Journal(opts.dataDir, { log, ...opts.journal });
    if (opts.spill ?? true) {
      // A cache of the documents, unlinked at once (see slab-file.ts); one left by a crash where a file in use
      // cannot be unlinked (Windows) is removed here.
      mkdirSync(opts.dataDir, { recursive: true });
      for (const f of readdirSync(opts.dataDir))
        if (/^slabs-\d+\.cache$/.test(f)) rmSync(path.join(opts.dataDir, f), { force: true });
      slabFile = new SlabFile(path.join(opts.dataDir, `slabs-${process.pid}.cache`), SLAB_BYTES);
      store.slabFile = slabFile;
    }
    let r: ReturnType<Journal['open']>;
    try {
      r = journal.open(store);
    } catch (err) {
      slabFile?.close();
      throw err;
    }
    log(
      `mongo-standin: loaded ${r.documents} documents from ${opts.dataDir} in ${r.ms} ms (${r.journalRecords} journal records${r.droppedBytes ? `, dropped a torn tail of ${r.droppedBytes} bytes` : ''}${r.migratedFrom ? `, migrated ${r.migratedFrom}` : ''}; indexes of ${r.indexesFromImage} collections read from the image of the last clean stop${r.recordsAfterImage ? ` with the ${r.recordsAfterImage} journal records after it replayed onto them` : ''}, the others built)`,
    );
    store.sink = journal;
  }
  const cursors = new CursorRegistry();

  const server = new WireServer({ store, cursors, commit: () => journal?.commit() }, log);
  let port: number;
  try {
    port = await server.listen(opts.port ?? 0, host);
  } catch (err) {
    cursors.close();
    await journal?.close();
    slabFile?.close();
    throw err;
  }

  // The TTL monitor: each minute, the expired documents in batches of TTL_BATCH, one batch per event-loop turn, so
  // a backlog (a data folder opened after weeks) never blocks the commands served in between.
  let sweeping = false;
  let stopped = false;
  const sweep = (total: number) => {
    if (stopped) return;
    const { removed, more } = sweepExpired(store, Date.now(), TTL_BATCH);
    if (more && !stopped) return void setImmediate(() => sweep(total + removed));
    sweeping = false;
    if (total + removed) log(`mongo-standin: TTL removed ${total + removed} documents`);
  };
  const ttlTimer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep(0);
  }, opts.ttlSweepIntervalMs ?? 60_000);
  ttlTimer.unref();

  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `mongodb://${uriHost}:${port}/${dbName}?directConnection=true`;
  log(`mongo-standin: listening on ${uri}`);

  const storage = (): StorageInfo => {
    let documents = 0;
    let dataBytes = 0;
    let residentBytes = 0;
    for (const db of store.dbs.values()) {
      for (const c of db.collections.values()) {
        documents += c.docs.size;
        dataBytes += c.dataSize;
        residentBytes += c.docs.resident;
      }
    }
    const j = journal?.stats();
    return {
      dir: j?.dir,
      documents,
      dataBytes,
      snapshotBytes: j?.snapshotBytes ?? 0,
      journalBytes: j?.journalBytes ?? 0,
      compactions: j?.compactions ?? 0,
      residentBytes,
      spilledBytes: slabFile?.bytes ?? 0,
    };
  };

  let closing: Promise<void> | undefined;
  return {
    uri,
    port,
    storage,
    snapshot: () => journal?.compactNow() ?? Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        clearInterval(ttlTimer);
        stopped = true;
        await server.close();
        cursors.close();
        await journal?.close();
        slabFile?.close();
        log('mongo-standin: closed');
      })()),
  };
}
