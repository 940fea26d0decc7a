/**
 * Stand-in start and memory per document (#18.2, #18.3), on a kept scale seed (`npm run bench -- scale` keeps one per
 * size in $TMPDIR/huigo-scale/seed-<n>, or under BENCH_SCALE_DIR): copies it, opens it the way local mode does
 * (snapshot, journal replay, index build), and prints the wall and CPU time of the open, the V8 heap and buffer
 * bytes per stored document, and what those per-document figures project for 100k members with the same history
 * per member. CPU time is what a shared machine inflates least; the wall time is printed with the load average.
 * `npm run bench -- standin-start` (BENCH_STANDIN_SEED=10000 picks the seed; default: the largest kept).
 * Nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { startMongoStandin } from '../local/mongo-standin';

const ROOT = path.join(process.env.BENCH_SCALE_DIR ?? os.tmpdir(), 'huigo-scale');
const TARGET_MEMBERS = 100_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function keptSeed(): { members: number; dir: string } | null {
  if (!fs.existsSync(ROOT)) return null;
  const sizes = fs
    .readdirSync(ROOT)
    .map((f) => /^seed-(\d+)\.json$/.exec(f)?.[1])
    .filter((n): n is string => !!n && fs.existsSync(path.join(ROOT, `seed-${n}`)))
    .map(Number)
    .sort((a, b) => a - b);
  const wanted = process.env.BENCH_STANDIN_SEED ? Number(process.env.BENCH_STANDIN_SEED) : sizes[sizes.length - 1];
  return sizes.includes(wanted) ? { members: wanted, dir: path.join(ROOT, `seed-${wanted}`) } : null;
}

export async function run(): Promise<void> {
  const seed = keptSeed();
  if (!seed) {
    console.log(
      `no kept scale seed under ${ROOT}: run \`npm run bench -- scale 10k\` (or \`npm run seed:scale\`) first`,
    );
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-start-'));
  try {
    fs.cpSync(seed.dir, dir, { recursive: true });
    gc();
    const before = process.memoryUsage();
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const standin = await startMongoStandin({ dataDir: path.join(dir, 'mongo-standin') });
    const wallMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    gc();
    const after = process.memoryUsage();
    const docs = standin.storage().documents;
    await standin.close();
    const cpuUs = cpu.user + cpu.system;
    const heapPerDoc = (after.heapUsed - before.heapUsed) / docs;
    const buffersPerDoc = (after.arrayBuffers - before.arrayBuffers) / docs;
    const docsAtTarget = (docs / seed.members) * TARGET_MEMBERS;
    const mb = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString('en')} MB`;
    console.log(
      `${seed.members.toLocaleString('en')} members (${docs.toLocaleString('en')} documents, ${(docs / seed.members).toFixed(1)} per member)`,
    );
    console.log(
      `  open: ${(wallMs / 1000).toFixed(1)} s wall, ${(cpuUs / 1e6).toFixed(2)} s CPU = ${(cpuUs / docs).toFixed(1)} µs CPU per document (load average ${os.loadavg()[0].toFixed(1)})`,
    );
    console.log(
      `  memory: ${heapPerDoc.toFixed(0)} B V8 heap + ${buffersPerDoc.toFixed(0)} B buffers per document (RSS ${mb(after.rss)}, of which V8 heap pages ${mb(after.heapTotal)}, buffers ${mb(after.arrayBuffers)})`,
    );
    console.log(
      `  projected at ${TARGET_MEMBERS.toLocaleString('en')} members (${Math.round(docsAtTarget).toLocaleString('en')} documents): ` +
        `open ${((docsAtTarget * cpuUs) / docs / 1e6).toFixed(0)} s CPU, stand-in data ${mb(docsAtTarget * (heapPerDoc + buffersPerDoc))} ` +
        `(+ the process itself, ${mb(before.rss)} here before opening)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
