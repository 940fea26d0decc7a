/**
 * `npm run points:verify`: checks that every member's cached points balance equals the sum of their ledger.
 * Prints each drifted member and exits 1 when any drift is found, 0 when the books balance.
 * Uses MONGODB_URI; in local mode (no MONGODB_URI) it reads a copy of the stand-in's snapshot in LOCAL_DATA_DIR,
 * so it never writes to the data of a running `npm start`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { findPointsDrift } from '../domain/points/points.service';
import { loadConfig } from '../server/config';
import { startMongoStandin } from '../local/mongo-standin';

async function connect(): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (config.mongo.uri) {
    await mongoose.connect(config.mongo.uri, { serverSelectionTimeoutMS: 5000 });
    return () => mongoose.disconnect();
  }
  const snapshot = path.resolve(config.mongo.dataDir, 'mongo-standin.json');
  if (!fs.existsSync(snapshot)) throw new Error(`no MONGODB_URI and no local data at ${snapshot}`);
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-verify-')), 'snapshot.json');
  fs.copyFileSync(snapshot, copy);
  const standin = await startMongoStandin({ port: 0, snapshotPath: copy });
  await mongoose.connect(standin.uri, { serverSelectionTimeoutMS: 5000 });
  console.log(`local mode: checking a copy of ${snapshot}`);
  return async () => {
    await mongoose.disconnect();
    await standin.close();
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  };
}

async function main(): Promise<number> {
  const close = await connect();
  try {
    const started = Date.now();
    const drift = await findPointsDrift();
    const members = await mongoose.connection.db!.collection('members').countDocuments();
    for (const d of drift)
      console.log(
        `DRIFT member ${d.memberId}: balance ${d.balance}, ledger ${d.ledger} (off by ${d.balance - d.ledger})`,
      );
    console.log(`points:verify checked ${members} members in ${Date.now() - started} ms: ${drift.length} drift`);
    return drift.length ? 1 : 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`points:verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
