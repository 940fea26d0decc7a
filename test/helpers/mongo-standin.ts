/**
 * Test helpers for the database under test.
 * - `startTestMongo(name)`: a database for one test file. With TEST_MONGODB_URI set (CI on MongoDB 7 and 8) it is
 *   a database of its own on that server (`<name>_<pid>_<random>`), dropped by `close()`; otherwise a private
 *   MongoDB stand-in. Conformance tests (CRUD, mongoose, concurrency) use it, so they check the stand-in against
 *   the real server's answers.
 * - `startStandinWithClient(opts)`: always a stand-in (tests of the stand-in itself: its options, TTL monitor
 *   period, snapshots). Call `close()` in afterAll so jest exits without open handles.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import mongoose from 'mongoose';
import { startMongoStandin, type MongoStandin, type MongoStandinOptions } from '../../local/mongo-standin';
import { startQueryLog, stopQueryLog, TEST_QUERY_COMMENT } from '../../local/mongo-standin/query-log';

/** The real MongoDB the suite runs against, or null for the stand-in. */
export const realMongoUri: string | null = process.env.TEST_MONGODB_URI?.trim() || null;

/** `describe` on the stand-in, `describe.skip` on a real MongoDB: only for tests of the stand-in itself. */
export const describeStandinOnly = realMongoUri ? describe.skip : describe;

export interface TestMongo {
  /** A URI whose default database is this file's. */
  uri: string;
  dbName: string;
  real: boolean;
  close(): Promise<void>;
}

/** A database for one test file: on TEST_MONGODB_URI (unique name, dropped on close) or a private stand-in. */
export async function startTestMongo(name: string): Promise<TestMongo> {
  if (!realMongoUri) {
    const standin = await startMongoStandin({ dbName: name });
    return { uri: standin.uri, dbName: name, real: false, close: () => standin.close() };
  }
  const dbName = `${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(realMongoUri);
  url.pathname = `/${dbName}`;
  const uri = url.toString();
  return {
    uri,
    dbName,
    real: true,
    async close() {
      const client = new MongoClient(uri);
      try {
        await client.connect();
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

export interface StandinHarness {
  standin: MongoStandin;
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function startStandinWithClient(opts: MongoStandinOptions = {}): Promise<StandinHarness> {
  const standin = await startMongoStandin(opts);
  const client = new MongoClient(standin.uri);
  await client.connect();
  return {
    standin,
    client,
    db: client.db(),
    async close() {
      await client.close();
      await standin.close();
    },
  };
}

/**
 * Record every query shape the stand-ins of this test file see (the index guard judges them; see
 * test/helpers/query-shapes.setup.ts). Queries a test file sends itself through mongoose, to check
 * results, carry TEST_QUERY_COMMENT so the guard judges only the product's own queries.
 */
export function recordQueryShapes(outFile: string): void {
  beforeAll(() => startQueryLog());
  afterAll(() => {
    const shapes = stopQueryLog();
    if (!shapes.length) return;
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(shapes));
  });
  tagTestQueries();
}

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const TEST_DIR = path.join(PROJECT_ROOT, 'test') + path.sep;
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** Whether the code that called into mongoose is a test file (not product code the test drives). */
function calledFromTest(): boolean {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of stack) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):\d+:\d+\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1];
    if (file.includes(NODE_MODULES) || file === __filename || !file.startsWith(PROJECT_ROOT)) continue;
    return file.startsWith(TEST_DIR);
  }
  return false;
}

let tagged = false;
function tagTestQueries(): void {
  if (tagged) return;
  tagged = true;
  const Q = mongoose.Query.prototype as any;
  for (const op of [
    'find',
    'findOne',
    'countDocuments',
    'distinct',
    'updateOne',
    'updateMany',
    'deleteOne',
    'deleteMany',
    'findOneAndUpdate',
    'findOneAndDelete',
    'findOneAndReplace',
    'replaceOne',
  ]) {
    const original = Q[op];
    if (typeof original !== 'function') continue;
    Q[op] = function (this: any, ...args: unknown[]) {
      if (calledFromTest()) this.comment(TEST_QUERY_COMMENT);
      return original.apply(this, args);
    };
  }
  const M = mongoose.Model as any;
  const aggregate = M.aggregate;
  M.aggregate = function (this: any, ...args: unknown[]) {
    const agg = aggregate.apply(this, args);
    if (calledFromTest()) agg.option({ comment: TEST_QUERY_COMMENT });
    return agg;
  };
}
