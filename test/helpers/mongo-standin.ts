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
import { MongoClient, type Db } from 'mongodb';
import { startMongoStandin, type MongoStandin, type MongoStandinOptions } from '../../local/mongo-standin';

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
