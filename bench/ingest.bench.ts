/**
 * Purchase ingestion throughput with all effects: POST /api/ingest/purchases over HTTP with an API key, each
 * purchase resolving its member, writing the order, member stats, the points ledger, the tier check (some
 * upgrades, with a chat notice through the LINE emulator), a referral completion (some referees) and the timeline.
 * Prints purchases/s and latency percentiles, then a replay pass (same orders again) and `points:verify`-style drift.
 * `npx tsx bench/ingest.bench.ts` (BENCH_MEMBERS, BENCH_PURCHASES, BENCH_CONCURRENCY to change the load).
 */
import { Member } from '../models/member.model';
import { createIntegrationKey } from '../domain/integrations/api-key.service';
import { applyReferralCode, ensureReferralCode } from '../domain/referrals/referral.service';
import { findPointsDrift } from '../domain/points/points.service';
import { startTestEnv, type TestEnv } from '../test/helpers/test-env';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 500);
const PURCHASES = Number(process.env.BENCH_PURCHASES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function seedMembers(env: TestEnv): Promise<string[]> {
  const emu = env.local.emulator!;
  emu.setWebhookUrl(null);
  const docs = [];
  for (let i = 0; i < MEMBERS; i++) {
    const u = emu.createUser({ displayName: `會員${i}` });
    await emu.follow(u.userId);
    docs.push({
      lineUserId: u.userId,
      memberCode: String(2_000_000_000 + i),
      displayName: `會員${i}`,
      status: 'active',
      followedAt: new Date(),
      consent: { status: 'accepted', marketing: true },
    });
  }
  emu.setWebhookUrl(`${env.url}/webhook`);
  const inserted = await Member.insertMany(docs);
  // Every tenth member was referred by the member before them, so some first purchases complete a referral.
  for (let i = 1; i < inserted.length; i += 10) {
    const code = await ensureReferralCode(inserted[i - 1]._id);
    await applyReferralCode({ refereeId: inserted[i]._id, code, now: new Date() });
  }
  return inserted.map((m) => m.memberCode);
}

function orderFor(i: number, codes: string[]) {
  // Amounts from NT$120 to NT$6,000, so a few members cross the 銀卡 threshold during the run.
  return {
    orderId: `BENCH-${i}`,
    member: { memberCode: codes[(i * 7) % codes.length] },
    amount: 120 + ((i * 379) % 5881),
    storeId: `store-${i % 5}`,
    items: [
      {
        sku: `SKU-${i % 40}`,
        name: '商品',
        category: ['茶葉', '茶具', '點心'][i % 3],
        quantity: 1 + (i % 3),
        amount: 120 + ((i * 379) % 5881),
      },
    ],
  };
}

async function pass(env: TestEnv, key: string, codes: string[], label: string): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = Date.now();
  const worker = async () => {
    for (let i = next++; i < PURCHASES; i = next++) {
      const t = performance.now();
      const res = await fetch(`${env.url}/api/ingest/purchases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(orderFor(i, codes)),
      });
      await res.arrayBuffer();
      if (res.status >= 300) failures++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(
    `${label.padEnd(26)} ${PURCHASES} purchases in ${seconds.toFixed(1)} s = ${(PURCHASES / seconds).toFixed(1)} purchases/s  (p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, failures ${failures})`,
  );
}

export async function run(): Promise<void> {
  const env = await startTestEnv();
  // Every tier upgrade and referral sends a chat message; the emulator's default monthly quota is far smaller.
  env.local.emulator!.setMonthlyQuota(10_000_000);
  try {
    const codes = await seedMembers(env);
    const { key } = await createIntegrationKey('bench POS', { source: 'bench' });
    console.log(
      `${MEMBERS} members, ${PURCHASES} purchases, concurrency ${CONCURRENCY}, MongoDB stand-in + LINE emulator`,
    );
    await pass(env, key, codes, 'ingest (all effects)');
    await pass(env, key, codes, 'replay (idempotent)');
    const upgraded = await Member.countDocuments({ 'tier.code': { $ne: 'basic' } });
    const referred = await Member.countDocuments({ 'referral.rewardedAt': { $ne: null } });
    const drift = await findPointsDrift();
    console.log(
      `tier upgrades ${upgraded}, referrals completed ${referred}, chat pushes ${env.local.emulator!.pushLog().length}, points drift ${drift.length}`,
    );
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
