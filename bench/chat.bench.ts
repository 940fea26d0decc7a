/**
 * Chat throughput end to end: emulated LINE users follow, accept the notice, answer the whole persona script and
 * ask for 點數 and 優惠券, all through signed webhooks → persist → ack → process → reply via @line/bot-sdk → the
 * emulator's inbox. Prints events/s and the latency from sending a message to its answer arriving (p50/p95/p99).
 * `npx tsx bench/chat.bench.ts` (BENCH_CHAT_USERS, BENCH_CHAT_CONCURRENCY to change the load).
 */
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';

const USERS = Number(process.env.BENCH_CHAT_USERS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CHAT_CONCURRENCY ?? 8);

type Step =
  | { kind: 'follow' }
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string; params?: Record<string, string> };

/** One member's conversation and how many messages each step is answered with. */
const SCRIPT: Array<[Step, number]> = [
  [{ kind: 'follow' }, 2],
  [{ kind: 'postback', data: 'consent:accept' }, 3],
  [{ kind: 'postback', data: 'persona:gender:pick:female' }, 1],
  [{ kind: 'postback', data: 'persona:birthday:date', params: { date: '1991-07-15' } }, 1],
  [{ kind: 'text', text: '台北' }, 1],
  [{ kind: 'text', text: '3C 美妝' }, 1],
  [{ kind: 'text', text: '完成' }, 1],
  [{ kind: 'text', text: '價格划算' }, 1],
  [{ kind: 'text', text: '免運' }, 1],
  [{ kind: 'text', text: '晚上' }, 2],
  [{ kind: 'text', text: '點數' }, 1],
  [{ kind: 'text', text: '優惠券' }, 1],
];

export async function run(): Promise<void> {
  rootLogger.level = 'warn';
  const env = await startTestEnv();
  const emu = env.local.emulator!;
  const latencies: number[] = [];
  let events = 0;
  let misses = 0;
  try {
    const users = Array.from({ length: USERS }, (_, i) => emu.createUser({ displayName: `會員${i}` }).userId);
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      for (let i = next++; i < users.length; i = next++) {
        const userId = users[i];
        let expected = 0;
        for (const [step, answers] of SCRIPT) {
          expected += answers;
          const t = performance.now();
          if (step.kind === 'follow') await emu.follow(userId);
          else if (step.kind === 'text') await emu.sendText(userId, step.text);
          else await emu.sendPostback(userId, step.data, step.params);
          const inbox = await emu.waitForMessages(userId, expected, 10_000);
          latencies.push(performance.now() - t);
          events++;
          if (inbox.length < expected) misses++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    console.log(
      `${USERS} conversations (${SCRIPT.length} events each), concurrency ${CONCURRENCY}, MongoDB stand-in + LINE emulator`,
    );
    console.log(
      `chat end to end            ${events} events in ${seconds.toFixed(1)} s = ${(events / seconds).toFixed(1)} events/s  (send → answer in inbox: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms; unanswered ${misses})`,
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
