/**
 * mongo-standin: an in-process MongoDB (wire protocol) server for local
 * development and tests on machines without mongod. Real drivers and
 * mongoose connect to it over TCP with a normal mongodb:// URI.
 */
import { CursorRegistry } from './cursors';
import { WireServer } from './server';
import { loadSnapshot, Snapshotter } from './snapshot';
import { Store } from './store';
import { sweepExpired } from './ttl';

export interface MongoStandin {
  /** e.g. mongodb://127.0.0.1:54321/huigo?directConnection=true */
  uri: string;
  port: number;
  /** Stop listening, drop client connections, and save the snapshot (if configured). */
  close(): Promise<void>;
  /** Save the snapshot now (no-op without snapshotPath). */
  snapshot(): Promise<void>;
}

export interface MongoStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; the stand-in has no authentication, so keep it local. */
  host?: string;
  /** Database named in the returned URI. Default 'huigo'. Other databases work too. */
  dbName?: string;
  /** EJSON file loaded at start (if it exists) and saved after writes (debounced) and on close. */
  snapshotPath?: string;
  logger?: (msg: string) => void;
  /** How often TTL indexes are swept. Default 60s, like mongod's TTL monitor. */
  ttlSweepIntervalMs?: number;
  /** Delay between a write and the snapshot save it triggers. Default 1000ms. */
  snapshotDebounceMs?: number;
  /** Plan queries with the declared indexes (default true); false scans for everything but _id lookups. */
  planner?: boolean;
}

export async function startMongoStandin(opts: MongoStandinOptions = {}): Promise<MongoStandin> {
  const host = opts.host ?? '127.0.0.1';
  const dbName = opts.dbName ?? 'huigo';
  const log = opts.logger ?? (() => undefined);
  const store = new Store();
  store.planner = opts.planner ?? true;

  let snapshotter: Snapshotter | undefined;
  if (opts.snapshotPath) {
    // Load before creating anything with timers, so a corrupt file leaks nothing.
    const n = loadSnapshot(opts.snapshotPath, store);
    log(`mongo-standin: loaded ${n} documents from ${opts.snapshotPath}`);
    snapshotter = new Snapshotter(opts.snapshotPath, store, log, opts.snapshotDebounceMs);
  }
  const cursors = new CursorRegistry();
  const markDirty = () => snapshotter?.markDirty();

  const server = new WireServer({ store, cursors, markDirty }, log);
  let port: number;
  try {
    port = await server.listen(opts.port ?? 0, host);
  } catch (err) {
    cursors.close();
    throw err;
  }

  const ttlTimer = setInterval(() => {
    const removed = sweepExpired(store);
    if (removed) {
      log(`mongo-standin: TTL removed ${removed} documents`);
      markDirty();
    }
  }, opts.ttlSweepIntervalMs ?? 60_000);
  ttlTimer.unref();

  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `mongodb://${uriHost}:${port}/${dbName}?directConnection=true`;
  log(`mongo-standin: listening on ${uri}`);

  let closing: Promise<void> | undefined;
  return {
    uri,
    port,
    snapshot: () => snapshotter?.flush(true) ?? Promise.resolve(),
    close: () =>
      (closing ??= (async () => {
        clearInterval(ttlTimer);
        await server.close();
        cursors.close();
        await snapshotter?.flush();
        log('mongo-standin: closed');
      })()),
  };
}
