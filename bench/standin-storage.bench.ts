/**
 * Stand-in storage at a real brand's size (#18.2, #18.3): seeds BENCH_STANDIN_MEMBERS members (default 10000,100000)
 * with their history (bench/standin-data.ts) into a stand-in persisting to a temporary directory, then prints
 * - RSS and BSON bytes with the data loaded,
 * - the event-loop delay (perf_hooks.monitorEventLoopDelay, max and p99) while small writes run during a forced
 *   compaction: what persistence costs the event loop (the worker does the work),
 * - compaction time, snapshot and journal sizes, and the time to start again on the same directory.
 * `npm run bench -- standin-storage`. Nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { MongoClient } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../local/mongo-standin';
import { declareIndexes, seedMembers } from './standin-data';

const SIZES = (process.env.BENCH_STANDIN_MEMBERS ?? '10000,100000').split(',').map(Number);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

function rss(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}

async function open(dir: string): Promise<{ standin: MongoStandin; client: MongoClient; ms: number }> {
  const t = performance.now();
  const standin = await startMongoStandin({ dataDir: dir });
  const ms = performance.now() - t;
  const client = new MongoClient(standin.uri);
  await client.connect();
  return { standin, client, ms };
}

async function measure(members: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-bench-'));
  try {
    const before = rss();
    let { standin, client } = await open(dir);
    const db = client.db();
    await declareIndexes(db);
    let t = performance.now();
    const docs = await seedMembers(db, 0, members);
    const seedMs = performance.now() - t;
    const loaded = rss();
    const s1 = standin.storage();
    console.log(
      `${members.toLocaleString('en')} members: ${docs.toLocaleString('en')} documents (${mb(s1.dataBytes)} BSON) seeded in ${(seedMs / 1000).toFixed(1)} s, ${s1.compactions} compactions meanwhile`,
    );
    const mem = process.memoryUsage();
    console.log(
      `  RSS with the data loaded   ${mb(loaded)} (process before seeding ${mb(before)}; V8 heap ${mb(mem.heapUsed)}, buffers ${mb(mem.arrayBuffers)})`,
    );

    // Small writes at ~200/s, first alone (the control), then while a compaction of everything runs in the worker.
    const codes = db.collection('members');
    let writes = 0;
    const writeSome = async (until: () => boolean) => {
      const eld = monitorEventLoopDelay({ resolution: 10 });
      eld.enable();
      const start = writes;
      while (!until() || writes - start < 200) {
        await codes.updateOne(
          { memberCode: String(2_000_000_000 + ((writes * 7919) % members)) },
          { $inc: { points: 1 } },
        );
        writes++;
        await new Promise((r) => setTimeout(r, 5));
      }
      eld.disable();
      return eld;
    };
    const delay = (eld: ReturnType<typeof monitorEventLoopDelay>) =>
      `max ${(eld.max / 1e6).toFixed(0)} ms, p99 ${(eld.percentile(99) / 1e6).toFixed(0)} ms, mean ${(eld.mean / 1e6).toFixed(1)} ms`;
    const control = await writeSome(() => true);
    console.log(`  event-loop delay, writes alone       ${delay(control)} (resolution 10 ms)`);
    t = performance.now();
    let compacting = true;
    const compaction = standin.snapshot().then(() => (compacting = false));
    const eld = await writeSome(() => !compacting);
    await compaction;
    const compactMs = performance.now() - t;
    const s2 = standin.storage();
    console.log(
      `  compaction (worker thread) ${(compactMs / 1000).toFixed(1)} s for a ${mb(s2.snapshotBytes)} snapshot, ${writes} writes served meanwhile`,
    );
    console.log(`  event-loop delay, during compaction  ${delay(eld)}`);
    await client.close();
    await standin.close();

    ({ standin, client } = await open(dir).then((o) => {
      console.log(`  start again on the data    ${(o.ms / 1000).toFixed(1)} s`);
      return o;
    }));
    const again = standin.storage();
    console.log(
      `  after restart              ${again.documents.toLocaleString('en')} documents, RSS ${mb(rss())}; on disk snapshot ${mb(again.snapshotBytes)} + journal ${mb(again.journalBytes)}`,
    );
    await client.close();
    await standin.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  for (const n of SIZES) await measure(n);
}

if (require.main === module)
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
