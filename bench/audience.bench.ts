/**
 * Audience-count time for 100,000 members on the MongoDB stand-in: how long the console's live "how many would
 * this reach" preview takes for typical rules (validated, compiled, counted server-side).
 * `npx tsx bench/audience.bench.ts` (BENCH_MEMBERS=… to change the population).
 */
import { Member } from '../models/member.model';
import { countAudience } from '../domain/segments/segment.service';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const CITIES = ['台北市', '新北市', '桃園市', '台中市', '台南市', '高雄市'];
const TAGS = ['咖啡', '甜點', '茶飲', '早午餐', '素食', '親子'];
const SEGMENTS = ['冠軍顧客', '忠誠顧客', '潛力顧客', '新顧客', '需要關注', '流失風險', '沉睡顧客', '尚未消費'];
const NOW = new Date('2025-06-15T04:00:00Z');

function memberDoc(i: number) {
  const year = 1960 + (i % 45);
  return {
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
  };
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

export async function run(): Promise<void> {
  if (!process.env.LOG_LEVEL) rootLogger.level = 'silent';
  const env = await startTestEnv();
  try {
    let t = Date.now();
    for (let i = 0; i < MEMBERS; i += 5000) {
      await Member.insertMany(
        Array.from({ length: Math.min(5000, MEMBERS - i) }, (_, k) => memberDoc(i + k)),
        { lean: true },
      );
    }
    console.log(`inserted ${MEMBERS} members in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    for (const [label, rule] of RULES) {
      t = Date.now();
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
