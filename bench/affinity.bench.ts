/**
 * Product affinity rebuild time (#17.2) on the MongoDB stand-in: 300,000 buying members (BENCH_MEMBERS=… to
 * change), each with 1–8 of 400 SKUs in 20 categories (a popular head and a long tail), as the purchase aggregates
 * `buys` keep them, plus one purchase per SKU to name it. Prints the rebuild's time and the send-time suggestion's
 * cost per member. `npm run bench -- affinity`.
 */
import { Member } from '../models/member.model';
import { Purchase } from '../models/purchase.model';
import { rebuildAffinity } from '../domain/purchases/affinity.service';
import { createProductSuggester } from '../domain/purchases/suggested-product.service';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 300_000);
const SKUS = 400;
const CATS = 20;
const NOW = new Date('2025-06-15T04:00:00Z');

/** A deterministic pseudo-random stream (no Math.random: the same figures every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const catOf = (sku: number) => `分類${sku % CATS}`;

function memberDoc(i: number, next: () => number) {
  const n = 1 + Math.floor(next() * 8);
  const skus = new Set<number>();
  // Skewed: low SKU numbers sell most; pairs (k, k+1) go together more than by chance.
  for (let k = 0; k < n; k++) {
    const sku = Math.floor(next() ** 2 * SKUS);
    skus.add(sku);
    if (next() < 0.3) skus.add((sku + 1) % SKUS);
  }
  const list = [...skus].sort((a, b) => a - b);
  return {
    memberCode: `AF${String(i).padStart(8, '0')}`,
    status: 'active',
    buys: {
      orders: list.length,
      total: list.length * 500,
      aov: 500,
      first: NOW,
      last: NOW,
      cats: [...new Set(list.map(catOf))].map((c) => ({ c, last: NOW, n: 1 })),
      skus: list.map((s) => ({ s: `SKU-${s}`, last: NOW, n: 1 })),
      stores: [],
      v: NOW,
    },
  };
}

export async function run(): Promise<void> {
  if (!process.env.LOG_LEVEL) rootLogger.level = 'silent';
  const env = await startTestEnv();
  try {
    const next = rng(17);
    let t = Date.now();
    for (let i = 0; i < MEMBERS; i += 5000) {
      await Member.insertMany(
        Array.from({ length: Math.min(5000, MEMBERS - i) }, (_, k) => memberDoc(i + k, next)),
        { lean: true },
      );
    }
    const owner = await Member.findOne({}, { _id: 1 }).lean();
    await Purchase.insertMany(
      Array.from({ length: SKUS }, (_, s) => ({
        source: 'bench',
        orderId: `AF-${s}`,
        memberId: owner!._id,
        amount: 500,
        at: NOW,
        receivedAt: NOW,
        items: [{ sku: `SKU-${s}`, name: `商品 ${s}`, category: catOf(s), quantity: 1, amount: 500 }],
      })),
      { lean: true },
    );
    console.log(`inserted ${MEMBERS} members and ${SKUS} SKUs in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const r = await rebuildAffinity();
    console.log(
      `affinity:rebuild  ${r.members} members, ${r.categories} categories, ${r.skus} SKUs in ${r.ms} ms (heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB)`,
    );
    const again = await rebuildAffinity();
    console.log(`affinity:rebuild again: ${again.ms} ms`);
    const sample = await Member.find({}, { _id: 1 }).limit(1000).lean();
    const suggest = createProductSuggester();
    t = Date.now();
    let found = 0;
    for (const m of sample) if ((await suggest(m._id)).name) found++;
    console.log(`{suggested_product} for ${sample.length} members: ${Date.now() - t} ms (${found} with a suggestion)`);
  } finally {
    await env.close();
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
