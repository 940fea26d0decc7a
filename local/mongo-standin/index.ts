/**
 * mongo-standin: an in-process MongoDB (wire protocol) server for local
 * development and tests on machines without mongod. Real drivers and
 * mongoose connect to it over TCP with a normal mongodb:// URI.
 */
import { CursorRegistry } from './cursors';
import { Journal, type JournalOptions } from './journal';
import { WireServer } from './server';
import { Store } from './store';
import { sweepExpired } from './ttl';

export interface StorageInfo {
  /** Data directory (undefined: in memory only). */
  dir?: string;
  documents: number;
  /** Sum of the stored documents' BSON sizes. */
  dataBytes: number;
  snapshotBytes: number;
  journalBytes: number;
  compactions: number;
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
}

export async function startMongoStandin(opts: MongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? '127.0.0.1';
  const dbName = opts.dbName ?? 'huigo';
  const log = opts.logger ?? (() => undefined);
  const store = new Store();
  store.planner = opts.planner ?? true;

  let journal: Journal | undefined;
  if (opts.dataDir) {
    // Load before creating anything with timers, so a corrupt directory leaks nothing.
    journal = new Journal(opts.dataDir, { log, ...opts.journal });
    const r = journal.open(store);
    log(
      `mongo-standin: loaded ${r.documents} documents from ${opts.dataDir} in ${r.ms} ms (${r.journalRecords} journal records${r.droppedBytes ? `, dropped a torn tail of ${r.droppedBytes} bytes` : ''}${r.migratedFrom ? `, migrated ${r.migratedFrom}` : ''})`,
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
    throw err;
  }

  const ttlTimer = setInterval(() => {
    const removed = sweepExpired(store);
    if (removed) log(`mongo-standin: TTL removed ${removed} documents`);
  }, opts.ttlSweepIntervalMs ?? 60_000);
  ttlTimer.unref();

  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `mongodb://${uriHost}:${port}/${dbName}?directConnection=true`;
  log(`mongo-standin: listening on ${uri}`);

  const storage = (): StorageInfo => {
    let documents = 0;
    let dataBytes = 0;
    for (const db of store.dbs.values()) {
      for (const c of db.collections.values()) {
        documents += c.docs.size;
        dataBytes += c.dataSize;
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
        await server.close();
        cursors.close();
        await journal?.close();
        log('mongo-standin: closed');
      })()),
  };
}
