import { forgetPersonaScriptCopy } from '../../domain/persona/persona-script.service';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { loadConfig, type AppConfig } from '../../server/config';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../server/runtime';
import { EmulatorClient } from './emulator-client';
import { TEST_QUERY_COMMENT } from '../../local/mongo-standin/query-log';

export interface TestEnv extends Runtime {
  emulator: EmulatorClient;
  /** Drops the test database's collections (fast reset between tests). */
  resetDb(): Promise<void>;
}

/**
 * The whole product on free ports, with the real wiring: a MongoDB stand-in (or TEST_MONGODB_URI with a
 * database of its own), the LINE emulator, the real Express app and the real `@line/bot-sdk`.
 * One per test file: `beforeAll(() => env = await startTestEnv())`, `afterAll(() => env.close())`.
 */
export async function startTestEnv(opts: RuntimeOptions & { env?: Record<string, string> } = {}): Promise<TestEnv> {
  const realMongo = process.env.TEST_MONGODB_URI;
  const config: AppConfig = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      LOCAL_PERSIST: 'false',
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      // One read of the marketer's texts at start, none per event: tests that count round trips stay exact. An
      // edit through the instance applies at once; a test of another instance's view sets its own TTL.
      REPLY_TEXTS_TTL_MS: '600000',
      ...(realMongo ? { MONGODB_URI: realMongo } : {}),
      ...opts.env,
    },
    { dotenv: false },
  );
  const dbName = realMongo ? `huigo_test_${process.pid}_${randomBytes(3).toString('hex')}` : undefined;
  const runtime = await startRuntime(config, {
    sweeper: false,
    scheduler: false,
    ...opts,
    mongoDbName: opts.mongoDbName ?? dbName,
  });
  if (!runtime.local.emulator)
    throw new Error('test env expects the LINE emulator (do not set LINE credentials in tests)');
  const emulator = new EmulatorClient(runtime.local.emulator.baseURL);
  const close = runtime.close.bind(runtime);
  return Object.assign(runtime, {
    emulator,
    async resetDb() {
      const db = mongoose.connection.db;
      if (!db) return;
      for (const c of await db.listCollections({}, { nameOnly: true }).toArray())
        await db.collection(c.name).deleteMany({}, { comment: TEST_QUERY_COMMENT });
      // The chat's copy of the persona script would outlive the emptied store for REPLY_TEXTS_TTL_MS.
      forgetPersonaScriptCopy();
    },
    async close() {
      if (realMongo && mongoose.connection.db) await mongoose.connection.db.dropDatabase().catch(() => undefined);
      await close();
    },
  });
}
