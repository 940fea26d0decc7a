/**
 * Test helper: a private mongo-standin plus a connected MongoClient.
 * Call `close()` in afterAll so jest exits without open handles.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import mongoose from 'mongoose';
import { startMongoStandin, type MongoStandin, type MongoStandinOptions } from '../../local/mongo-standin';
import { startQueryLog, stopQueryLog, TEST_QUERY_COMMENT } from '../../local/mongo-standin/query-log';

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
