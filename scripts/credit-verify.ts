/**
 * `npm run credit:verify`: checks that every member's cached credit balance equals the sum of their credit ledger
 * and of their remaining lots, and is never negative.
 * Prints each drifted member and exits 1 when any drift is found, 0 when the books balance.
 * Uses MONGODB_URI; in local mode (no MONGODB_URI) it reads a copy of the stand-in's data (snapshot + journal, or
 * an older install's one-file snapshot) in LOCAL_DATA_DIR, so it never writes to the data of a running `npm start`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { findCreditDrift } from '../domain/credit/credit.service';
import { loadConfig } from '../server/config';
import { standinDataPaths } from '../server/local-services';
import { startMongoStandin } from '../local/mongo-standin';

async function connect(): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (config.mongo.uri) {
    await mongoose.connect(config.mongo.uri, { serverSelectionTimeoutMS: 5000 });
    return () => mongoose.disconnect();
  }
  const data = standinDataPaths(config);
  if (!fs.existsSync(data.dir) && !fs.existsSync(data.legacySnapshot))
    throw new Error(`no MONGODB_URI and no local data at ${data.dir}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-verify-'));
  const copy = path.join(tmp, 'mongo-standin');
  // Snapshot first, journals after: a compaction finishing meanwhile leaves at worst extra journal records.
  if (fs.existsSync(data.dir)) {
    fs.mkdirSync(copy);
    const names = fs
      .readdirSync(data.dir)
      .sort((a, b) => (a.startsWith('snapshot') ? -1 : b.startsWith('snapshot') ? 1 : 0));
    for (const name of names)
      if (!name.endsWith('.tmp')) fs.copyFileSync(path.join(data.dir, name), path.join(copy, name));
  }
  const legacy = path.join(tmp, 'mongo-standin.json');
  if (fs.existsSync(data.legacySnapshot)) fs.copyFileSync(data.legacySnapshot, legacy);
  const standin = await startMongoStandin({ port: 0, dataDir: copy, journal: { legacySnapshotPath: legacy } });
  await mongoose.connect(standin.uri, { serverSelectionTimeoutMS: 5000 });
  console.log(`local mode: checking a copy of ${fs.existsSync(data.dir) ? data.dir : data.legacySnapshot}`);
  return async () => {
    await mongoose.disconnect();
    await standin.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}

async function main(): Promise<number> {
  const close = await connect();
  try {
    const started = Date.now();
    const drift = await findCreditDrift();
    const members = await mongoose.connection.db!.collection('members').countDocuments();
    for (const d of drift)
      console.log(
        `DRIFT member ${d.memberId}: balance ${d.balance}, ledger ${d.ledger}, lots ${d.lots} (off by ${d.balance - d.ledger})`,
      );
    console.log(`credit:verify checked ${members} members in ${Date.now() - started} ms: ${drift.length} drift`);
    return drift.length ? 1 : 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`credit:verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
