/**
 * Campaign fan-out throughput: recipients per second from "campaign due" to "every delivery sent" (freeze the
 * audience into delivery records, multicast in batches of 500 with retry keys, mark sent, timeline entries),
 * through the real @line/bot-sdk against the LINE emulator, on the MongoDB stand-in.
 *   1. emulator rate limit off, our client pacing lifted: what the pipeline itself can do;
 *   2. LINE's limit on: emulator enforces 200 req/s on send APIs and we pace multicast at 200 req/s (default);
 *   3. per-member links (one push per recipient), LINE's push limit 2,000 req/s, on a smaller audience.
 * `npx tsx bench/fanout.bench.ts` (BENCH_RECIPIENTS=20000 to change the audience size).
 * BENCH_CPU_PROFILE=dir writes a V8 CPU profile of each timed send (not the seeding) into dir.
 */
import { createCampaign } from '../domain/campaigns/campaign.service';
import { Delivery } from '../models/delivery.model';
import { runJobOnce } from '../jobs/runner';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv, type TestEnv } from '../test/helpers/test-env';
import { seedFollowers, taipei, withClock } from '../test/integration/campaigns/fixtures';
import { startProfile } from './cpu-profile';

/** Audience sizes of the first case (BENCH_SIZES=10000,100000 by default; BENCH_RECIPIENTS=n for one size). */
const SIZES = (process.env.BENCH_SIZES ?? process.env.BENCH_RECIPIENTS ?? '10000,100000').split(',').map(Number);
const RECIPIENTS = SIZES[0];
const PER_MEMBER_RECIPIENTS = Math.min(RECIPIENTS, 2_000);
const GOAL_PER_SECOND = 20_000;

async function measure(
  env: TestEnv,
  label: string,
  count: number,
  opts: { perMember?: boolean; day: number },
): Promise<number> {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(10_000_000);
  await seedFollowers(env, count);
  const at = taipei(`2025-06-${String(opts.day).padStart(2, '0')}T10:00:00`);
  await createCampaign(
    {
      name: label,
      audience: { type: 'all' },
      messages: [{ type: 'text', text: '夏季特賣開跑 https://shop.example.com/summer' }],
      schedule: { type: 'once', at: at.toISOString() },
      options: opts.perMember ? { linkTracking: 'member' } : {},
    },
    'bench',
    taipei('2025-05-01T10:00:00'),
    { timeZone: 'Asia/Taipei' },
  );
  const profiler = await startProfile();
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const out = await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // CPU time per recipient (app, stand-in and emulator share this process): what a loaded machine inflates least.
  const cpuPerRecipient = (cpu.user + cpu.system) / count;
  await profiler?.stop(`fanout-${count}-day${opts.day}`);
  const sent = await Delivery.countDocuments({ status: 'sent' });
  const calls = (await env.emulator.pushes()).length;
  if (out.status !== 'ran' || sent !== count)
    throw new Error(`${label}: expected ${count} sent, got ${sent} (${JSON.stringify(out)})`);
  console.log(
    `${label.padEnd(48)} ${String(count).padStart(6)} recipients  ${seconds.toFixed(2).padStart(6)} s  ${Math.round(
      count / seconds,
    )
      .toString()
      .padStart(6)} recipients/s  ${cpuPerRecipient.toFixed(0).padStart(4)} µs CPU/recipient  (${calls} API calls)`,
  );
  return Math.round(count / seconds);
}

export async function run(): Promise<void> {
  if (!process.env.LOG_LEVEL) rootLogger.level = 'silent';
  const fast = await startTestEnv({ env: { SEND_MULTICAST_PER_SECOND: '1000000', SEND_PUSH_PER_SECOND: '1000000' } });
  try {
    fast.local.emulator!.setFaults({ rateLimit: null });
    for (const [i, n] of SIZES.entries()) {
      const rate = await measure(fast, `multicast, rate limit off (goal ≥ ${GOAL_PER_SECOND}/s)`, n, {
        day: 1 + i * 5,
      });
      console.log(`  → ${n} recipients: ${rate} recipients/s, ${rate >= GOAL_PER_SECOND ? 'meets' : 'below'} the goal`);
    }
  } finally {
    await fast.close();
  }
  const line = await startTestEnv();
  try {
    line.local.emulator!.setFaults({ rateLimit: { perSecond: 200 } });
    await measure(line, 'multicast, LINE limit on (200 req/s)', RECIPIENTS, { day: 2 });
    line.local.emulator!.setFaults({ rateLimit: { perSecond: 2000 } });
    await measure(line, 'per-member push, LINE limit on (2,000 req/s)', PER_MEMBER_RECIPIENTS, {
      perMember: true,
      day: 3,
    });
  } finally {
    await line.close();
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
