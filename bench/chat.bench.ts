/**
 * Chat throughput end to end: emulated LINE users follow, accept the notice, answer the whole persona script and
 * ask for 點數 and 優惠券, all through signed webhooks → persist → ack → process → reply via @line/bot-sdk → the
 * emulator's inbox. Prints events/s and the latency from sending a message to its answer arriving (p50/p95/p99).
 * Runs twice, as the webhook bench does: with the stand-in in a process of its own (persistence on: as `npm start`
 * runs it, and as MongoDB runs beside the app in production) and in the app's process (as the tests run it: the
 * database's CPU then shares the app's one thread).
 * `npx tsx bench/chat.bench.ts` (BENCH_CHAT_USERS, BENCH_CHAT_CONCURRENCY to change the load,
 * BENCH_CHAT_STANDIN="process,inproc"; BENCH_CPU_PROFILE=dir writes this process's CPU profile of the timed part,
 * BENCH_STANDIN_CPU_PROFILE=dir the stand-in process's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';
import { startProfile } from './cpu-profile';
import { StandinProcess } from './scale-standin-client';

const USERS = Number(process.env.BENCH_CHAT_USERS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CHAT_CONCURRENCY ?? 8);
const MODES = (process.env.BENCH_CHAT_STANDIN ?? 'process,inproc').split(',');

type Step =
  | { kind: 'follow' }
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string; params?: Record<string, string> };

/**
 * One member's conversation. Each step counts as answered when the bot's reply reaches the inbox (a reply sends all
 * its messages in one call), whatever number of messages the marketer's script answers it with today: a fixed count
 * per step went stale when the persona script changed, and then every later step waited out the timeout.
 */
const SCRIPT: Step[] = [
  { kind: 'follow' },
  { kind: 'postback', data: 'consent:accept' },
  { kind: 'postback', data: 'persona:gender:pick:female' },
  { kind: 'postback', data: 'persona:birthday:date', params: { date: '1991-07-15' } },
  { kind: 'text', text: '台北' },
  { kind: 'text', text: '3C 美妝' },
  { kind: 'text', text: '完成' },
  { kind: 'text', text: '價格划算' },
  { kind: 'text', text: '免運' },
  { kind: 'text', text: '晚上' },
  { kind: 'text', text: '點數' },
  { kind: 'text', text: '優惠券' },
];

export async function run(): Promise<void> {
  rootLogger.level = 'warn';
  for (const mode of MODES) {
    if (mode === 'inproc') {
      await measure('stand-in in the app process (as the tests run it)');
      continue;
    }
    if (mode !== 'process') throw new Error(`BENCH_CHAT_STANDIN: unknown mode ${mode}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-chat-bench-'));
    const standin = await StandinProcess.start(dataDir);
    // test-env connects to TEST_MONGODB_URI when it is set (a database of its own, dropped at close).
    const before = process.env.TEST_MONGODB_URI;
    process.env.TEST_MONGODB_URI = standin.uri;
    try {
      await measure(
        'stand-in in its own process with persistence (as npm start runs it; MongoDB in production)',
        standin,
      );
    } finally {
      if (before === undefined) delete process.env.TEST_MONGODB_URI;
      else process.env.TEST_MONGODB_URI = before;
      await standin.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function measure(label: string, standin?: StandinProcess): Promise<void> {
  console.log(`\n${label}`);
  const env = await startTestEnv();
  const emu = env.local.emulator!;
  const latencies: number[] = [];
  let events = 0;
  let misses = 0;
  try {
    const users = Array.from({ length: USERS }, (_, i) => emu.createUser({ displayName: `會員${i}` }).userId);
    let next = 0;
    const started = Date.now();
    const profile = await startProfile();
    // BENCH_STANDIN_CPU_PROFILE=dir: the stand-in process's profile of the same part.
    const standinProfile = standin && process.env.BENCH_STANDIN_CPU_PROFILE;
    if (standinProfile) await standin.ask('profile-start');
    const cpu0 = process.cpuUsage();
    const standinCpu0 = standin ? (await standin.ask<{ micros: number }>('cpu')).micros : 0;
    const worker = async () => {
      for (let i = next++; i < users.length; i = next++) {
        const userId = users[i];
        for (const step of SCRIPT) {
          const expected = emu.messagesFor(userId).length + 1;
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
    const cpu = process.cpuUsage(cpu0);
    await profile?.stop(`chat-${standin ? 'process' : 'inproc'}`);
    if (standinProfile) await standin.ask('profile-stop', { name: 'chat-standin' });
    const standinCpu = standin ? (await standin.ask<{ micros: number }>('cpu')).micros - standinCpu0 : 0;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    console.log(
      `${USERS} conversations (${SCRIPT.length} events each), concurrency ${CONCURRENCY}, LINE emulator in the app's process`,
    );
    console.log(
      `chat end to end            ${events} events in ${seconds.toFixed(1)} s = ${(events / seconds).toFixed(1)} events/s  (send → answer in inbox: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms; unanswered ${misses})`,
    );
    // Which process bounds the rate: CPU per event of this one (app, emulator, the bench's users) and the stand-in.
    const perEvent = (micros: number) => (micros / events / 1000).toFixed(2);
    console.log(
      `CPU per event              this process (app + emulator + bench) ${perEvent(cpu.user + cpu.system)} ms` +
        (standin ? `, stand-in ${perEvent(standinCpu)} ms` : ''),
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
