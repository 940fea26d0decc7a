/**
 * Audience-count time on the MongoDB stand-in: how long the console's live "how many would this reach" preview takes
 * (validated, compiled, counted server-side), first for the #17 acceptance segment — bought 保養 in the last 90 days,
 * never bought 彩妝, AOV ≥ 1,000 — over 100,000 members with 1,000,000 purchases, then for typical profile rules.
 * `npm run bench -- audience` (BENCH_MEMBERS=… to change the population, BENCH_INSERT_PURCHASES=0 to store only the
 * members' aggregates, which is all a count reads: how the 1M-member figure is taken).
 *
 * The purchases are generated, inserted in bulk through the driver, and each member's aggregates (`buys`) are built
 * from that member's generated purchases with the product's own summarizeBuys (the fast way: no per-purchase
 * ingestion). The count is checked against the same segment evaluated in JavaScript over the generated purchases.
 */
import { Types } from 'mongoose';
import { Member } from '../models/member.model';
import { Purchase } from '../models/purchase.model';
import { buildAudienceFilter, countAudience } from '../domain/segments/segment.service';
import { summarizeBuys, type PurchaseForBuys } from '../domain/purchases/purchase-buys';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
/** Purchases per member on average. */
const PER_MEMBER = Number(process.env.BENCH_PURCHASES ?? 10);
/** BENCH_INSERT_PURCHASES=0: generate the purchases and build the aggregates, but do not store the purchases. */
const INSERT_PURCHASES = process.env.BENCH_INSERT_PURCHASES !== '0';
const GOAL_MS = 1000;
const DAY = 86_400_000;
const CATEGORIES = ['保養', '彩妝', '香氛', '身體', '髮品', '配件'];
const STORES = ['store-taipei-101', 'store-xinyi', 'store-banqiao', 'store-taichung', 'store-kaohsiung'];
const CITIES = ['台北市', '新北市', '桃園市', '台中市', '台南市', '高雄市'];
const TAGS = ['咖啡', '甜點', '茶飲', '早午餐', '素食', '親子'];
const SEGMENTS = ['冠軍顧客', '忠誠顧客', '潛力顧客', '新顧客', '需要關注', '流失風險', '沉睡顧客', '尚未消費'];
const NOW = new Date('2025-06-15T04:00:00Z');

/** A small deterministic PRNG, so every run seeds the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type BenchPurchase = PurchaseForBuys & {
  items: Array<{ sku: string; name: string; category: string; amount: number }>;
};

/** Member i's purchases over the last two years: 0–2×PER_MEMBER orders, 1–3 items, ~3% refunded, ~1% voided. */
function purchasesOf(i: number): BenchPurchase[] {
  const r = rng(i + 1);
  const n = Math.floor(r() * (2 * PER_MEMBER + 1));
  // Each member leans to two categories, so "bought 保養, never 彩妝" is a real minority, not everyone.
  const likes = [CATEGORIES[i % CATEGORIES.length], CATEGORIES[Math.floor(r() * CATEGORIES.length)]];
  return Array.from({ length: n }, () => {
    const items = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
      const category = r() < 0.85 ? likes[Math.floor(r() * 2)] : CATEGORIES[Math.floor(r() * CATEGORIES.length)];
      const sku = `${CATEGORIES.indexOf(category)}-${String(Math.floor(r() * 40)).padStart(3, '0')}`;
      return { sku, name: `${category}商品 ${sku}`, category, amount: 200 + Math.floor(r() * 16) * 100 };
    });
    const amount = items.reduce((a, x) => a + x.amount, 0);
    const fate = r();
    return {
      amount,
      items,
      storeId: STORES[Math.floor(r() * STORES.length)],
      at: new Date(NOW.getTime() - Math.floor(r() * 730) * DAY),
      status: fate < 0.03 ? 'refunded' : 'completed',
      refundedAmount: fate < 0.03 ? amount : 0,
      voidedAt: fate >= 0.03 && fate < 0.04 ? NOW : null,
    };
  });
}

function memberDoc(i: number, _id: Types.ObjectId, buys: ReturnType<typeof summarizeBuys>) {
  const year = 1960 + (i % 45);
  return {
    _id,
    lineUserId: `U${i.toString(16).padStart(32, '0')}`,
    memberCode: `B${String(i).padStart(8, '0')}`,
    status: i % 50 === 0 ? 'blocked' : 'active',
    gender: ['female', 'male', 'other', 'undisclosed'][i % 4],
    birthday: `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    birthMonth: (i % 12) + 1,
    city: CITIES[i % CITIES.length],
    tags: [{ tag: TAGS[i % TAGS.length], source: 'persona', addedAt: NOW }],
    consent: { status: 'accepted', marketing: i % 10 !== 0 },
    stats: {
      purchaseCount: i % 9,
      totalSpend: (i % 9) * 850,
      lastPurchaseAt: i % 9 ? new Date(NOW.getTime() - (i % 400) * 86_400_000) : undefined,
    },
    rfm: { r: (i % 5) + 1, f: ((i >> 2) % 5) + 1, m: ((i >> 4) % 5) + 1, segment: SEGMENTS[i % SEGMENTS.length] },
    lastInteractionAt: new Date(NOW.getTime() - (i % 90) * 86_400_000),
    ...(buys.orders > 0 ? { buys: { ...buys, v: NOW } } : {}),
  };
}

const ACCEPTANCE: [string, unknown] = [
  '保養 in 90 days, never 彩妝, AOV ≥ 1,000 (#17)',
  {
    op: 'and',
    conditions: [
      { field: 'bought', kind: 'category', op: 'bought', values: ['保養'], days: 90 },
      { field: 'bought', kind: 'category', op: 'notBought', values: ['彩妝'] },
      { field: 'aov', op: 'gte', value: 1000 },
    ],
  },
];

/** The acceptance segment in plain JavaScript over a member's own purchases (a check of the count, not of speed). */
function matchesAcceptance(buys: ReturnType<typeof summarizeBuys>, doc: ReturnType<typeof memberDoc>) {
  const reachable = doc.status !== 'blocked' && doc.consent.marketing;
  const cat = (c: string) => buys.cats.find((x) => x.c === c);
  const recent = cat('保養');
  return reachable && !!recent && recent.last.getTime() >= NOW.getTime() - 90 * DAY && !cat('彩妝') && buys.aov >= 1000;
}

const RULES: Array<[string, unknown]> = [
  ['everyone reachable', { op: 'and', conditions: [] }],
  [
    'women aged 25–34 in 台北市',
    {
      op: 'and',
      conditions: [
        { field: 'gender', op: 'in', values: ['female'] },
        { field: 'ageBand', op: 'in', values: ['25-34'] },
        { field: 'city', op: 'in', values: ['台北市'] },
      ],
    },
  ],
  [
    'tag 咖啡 AND (冠軍 OR 忠誠)',
    {
      op: 'and',
      conditions: [
        { field: 'tags', op: 'hasAny', values: ['咖啡'] },
        { field: 'rfmSegment', op: 'in', values: ['冠軍顧客', '忠誠顧客'] },
      ],
    },
  ],
  [
    'lapsed: bought before, not in 90 days, spent ≥ 3000',
    {
      op: 'and',
      conditions: [
        { field: 'purchaseCount', op: 'gte', value: 1 },
        { field: 'lastPurchase', op: 'notWithinDays', days: 90 },
        { field: 'totalSpend', op: 'gte', value: 3000 },
      ],
    },
  ],
  [
    'birthday in June OR no interaction in 60 days',
    {
      op: 'or',
      conditions: [
        { field: 'birthMonth', op: 'in', values: [6] },
        { field: 'lastInteraction', op: 'notWithinDays', days: 60 },
      ],
    },
  ],
];

/** Which index the count's filter uses and how many keys and documents it reads (the stand-in's explain). */
async function explainCount(rule: unknown): Promise<{ index: string; keys: number; docs: number }> {
  const filter = await buildAudienceFilter(rule, NOW, { timeZone: 'Asia/Taipei' });
  const e = (await Member.find(filter).explain('executionStats')) as unknown as {
    queryPlanner: { winningPlan: Record<string, unknown> };
    executionStats: { totalKeysExamined: number; totalDocsExamined: number };
  };
  const names: string[] = [];
  const walk = (p: Record<string, unknown>): void => {
    if (typeof p.indexName === 'string') names.push(p.indexName);
    else if (p.stage === 'COLLSCAN') names.push('COLLSCAN');
    for (const k of ['inputStage', 'inputStages'])
      for (const c of ([] as unknown[]).concat(p[k] ?? [])) walk(c as Record<string, unknown>);
  };
  walk(e.queryPlanner.winningPlan);
  return {
    index: names.join(' + '),
    keys: e.executionStats.totalKeysExamined,
    docs: e.executionStats.totalDocsExamined,
  };
}

export async function run(): Promise<void> {
  if (!process.env.LOG_LEVEL) rootLogger.level = 'silent';
  const env = await startTestEnv();
  try {
    const t0 = Date.now();
    let purchases = 0;
    let generated = 0;
    let expected = 0;
    const BATCH = 2000;
    for (let i = 0; i < MEMBERS; i += BATCH) {
      const members: Array<ReturnType<typeof memberDoc>> = [];
      const rows: Array<Record<string, unknown>> = [];
      for (let k = i; k < Math.min(i + BATCH, MEMBERS); k++) {
        const _id = new Types.ObjectId();
        const own = purchasesOf(k);
        const buys = summarizeBuys(own);
        generated += own.length;
        const doc = memberDoc(k, _id, buys);
        members.push(doc);
        if (matchesAcceptance(buys, doc)) expected++;
        if (!INSERT_PURCHASES) continue;
        own.forEach((p, j) =>
          rows.push({
            source: 'pos',
            orderId: `B${k}-${j}`,
            memberId: _id,
            ...p,
            receivedAt: p.at,
          }),
        );
      }
      await Member.collection.insertMany(members, { ordered: false });
      if (rows.length) await Purchase.collection.insertMany(rows, { ordered: false });
      purchases += rows.length;
    }
    console.log(
      `seeded ${MEMBERS} members with ${purchases} purchases stored (aggregates built from ${generated}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const times: number[] = [];
    let n = 0;
    for (let run = 0; run < 3; run++) {
      const t = Date.now();
      n = await countAudience(ACCEPTANCE[1], NOW, { timeZone: 'Asia/Taipei' });
      times.push(Date.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `${ACCEPTANCE[0]}: ${n} members (JavaScript over the purchases: ${expected}${n === expected ? ', equal' : ', DIFFERENT'})`,
    );
    console.log(
      `  count time median ${sorted[1]} ms (min ${sorted[0]} – max ${sorted[2]} ms, 3 runs) at ${MEMBERS} members; goal < ${GOAL_MS} ms at 100,000: ${sorted[1] < GOAL_MS ? 'met' : 'not met'}`,
    );
    const plan = await explainCount(ACCEPTANCE[1]);
    console.log(
      `  plan: ${plan.index}, ${plan.keys} index keys and ${plan.docs} members read for ${n} counted (of ${MEMBERS})`,
    );
    for (const [label, rule] of RULES) {
      let t = Date.now();
      const n = await countAudience(rule, NOW, { timeZone: 'Asia/Taipei' });
      const first = Date.now() - t;
      t = Date.now();
      await countAudience(rule, NOW, { timeZone: 'Asia/Taipei' });
      console.log(
        `${label.padEnd(52)} ${String(n).padStart(7)} members  ${String(first).padStart(6)} ms (again: ${Date.now() - t} ms)`,
      );
    }
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
