/**
 * The webhook under an open-loop burst: signed webhook requests (one event each, from many emulated users, each
 * asking for 點數) are sent at a fixed offered rate whatever the answers do — 50, 100, 200 and 400 events/s for
 * 30 s each by default — as LINE would deliver them. Prints, per rate: the ack latency (p50/p99), acks that were
 * not 200, the processing lag (from the ack to the event being handled: p50/p99 and the backlog left when the
 * burst ends), how long the backlog took to drain, and lost events (stored but never handled within the drain
 * limit). Goals: 0 lost, ack p99 < 200 ms at 200/s, lag drains after the burst.
 * The stand-in runs in a process of its own by default (as MongoDB does in production: the database's work is not
 * on the app's event loop); BENCH_BURST_STANDIN=inproc runs it in the app's process, as the tests do. The bench
 * follows the backlog with an indexed count (status, receivedAt), never a scan of its own ids.
 * `npx tsx bench/run-all.ts webhook-burst` (BENCH_BURST_SECONDS per rate, BENCH_BURST_RATES="50,100",
 * BENCH_BURST_USERS, BENCH_BURST_DRAIN_S as the drain limit, BENCH_BURST_STANDIN=process|inproc).
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { rootLogger } from '../domain/shared/logger';
import { WebhookEvent } from '../models/webhook-event.model';
import { startTestEnv } from '../test/helpers/test-env';
import { StandinProcess } from './scale-standin-client';

const SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 30);
const RATES = (process.env.BENCH_BURST_RATES ?? '50,100,200,400').split(',').map(Number);
const USERS = Number(process.env.BENCH_BURST_USERS ?? 200);
const DRAIN_LIMIT_S = Number(process.env.BENCH_BURST_DRAIN_S ?? 300);
const STANDIN = process.env.BENCH_BURST_STANDIN ?? 'process';

const pct = (xs: number[], q: number) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(0) : '–';

function post(agent: http.Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-line-signature': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export async function run(): Promise<void> {
  rootLogger.level = 'warn';
  if (STANDIN === 'inproc') return measure('stand-in in the app process (as the tests run it)');
  if (STANDIN !== 'process') throw new Error(`BENCH_BURST_STANDIN: unknown mode ${STANDIN}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-burst-bench-'));
  const standin = await StandinProcess.start(dataDir, { maxOldSpaceMb: 2048 });
  const before = process.env.TEST_MONGODB_URI;
  // test-env connects to TEST_MONGODB_URI when it is set (a database of its own, dropped at close).
  process.env.TEST_MONGODB_URI = standin.uri;
  try {
    await measure('stand-in in its own process with persistence (as MongoDB runs in production)');
  } finally {
    if (before === undefined) delete process.env.TEST_MONGODB_URI;
    else process.env.TEST_MONGODB_URI = before;
    await standin.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(label: string): Promise<void> {
  console.log(label);
  const env = await startTestEnv();
  const emu = env.local.emulator!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  try {
    const secret = env.config.line.channelSecret;
    const url = new URL(`${env.url}/webhook`);
    const users = Array.from({ length: USERS }, (_, i) => emu.createUser({ displayName: `會員${i}` }).userId);
    console.log(
      `open loop, ${SECONDS} s per rate, ${USERS} users asking 點數 (1 event per request), processing concurrency ${env.config.webhook.concurrency}`,
    );
    let n = 0;
    for (const rate of RATES) {
      const total = Math.round(rate * SECONDS);
      const ackMs: number[] = [];
      const ackedAt = new Map<string, number>();
      let notOk = 0;
      const sends: Array<Promise<void>> = [];
      const started = performance.now();
      const rateStart = new Date();
      for (let i = 0; i < total; i++) {
        // Open loop: each request leaves at its own time, whether or not the earlier ones were answered.
        const due = started + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const id = `01BURST${String(rate).padStart(3, '0')}${String(++n).padStart(16, '0')}`;
        const body = JSON.stringify({
          destination: 'Ubench',
          events: [
            {
              type: 'message',
              webhookEventId: id,
              timestamp: Date.now(),
              mode: 'active',
              source: { type: 'user', userId: users[i % users.length] },
              deliveryContext: { isRedelivery: false },
              message: { type: 'text', id: `m${n}`, text: '點數' },
            },
          ],
        });
        const signature = createHmac('sha256', secret).update(body).digest('base64');
        const t0 = performance.now();
        sends.push(
          post(agent, url, body, signature).then((status) => {
            ackMs.push(performance.now() - t0);
            if (status === 200) ackedAt.set(id, Date.now());
            else notOk++;
          }),
        );
      }
      await Promise.all(sends);
      const burstEnd = Date.now();
      // This rate's events only (received since it started), through the (status, receivedAt) index.
      const unfinished = () =>
        WebhookEvent.countDocuments({ status: { $in: ['pending', 'processing'] }, receivedAt: { $gte: rateStart } });
      const backlogAtEnd = await unfinished();
      let left = backlogAtEnd;
      while (left > 0 && Date.now() - burstEnd < DRAIN_LIMIT_S * 1000) {
        await new Promise((r) => setTimeout(r, 250));
        left = await unfinished();
      }
      const drainS = (Date.now() - burstEnd) / 1000;
      const handled = (
        await WebhookEvent.find(
          { status: { $in: ['done', 'ignored', 'failed'] }, receivedAt: { $gte: rateStart } },
          { webhookEventId: 1, processedAt: 1, status: 1 },
        ).lean()
      ).filter((e) => ackedAt.has(e.webhookEventId));
      const lag = handled
        .map((e) => (e.processedAt ? e.processedAt.getTime() - ackedAt.get(e.webhookEventId)! : 0))
        .sort((a, b) => a - b);
      const failed = handled.filter((e) => e.status === 'failed').length;
      const lost = total - handled.length;
      ackMs.sort((a, b) => a - b);
      console.log(
        `${String(rate).padStart(3)} events/s × ${SECONDS} s = ${total}: ack p50 ${pct(ackMs, 0.5)} ms, p99 ${pct(ackMs, 0.99)} ms, not 200 ${notOk}; ` +
          `lag p50 ${pct(lag, 0.5)} ms, p99 ${pct(lag, 0.99)} ms; backlog at burst end ${backlogAtEnd}, drained in ${drainS.toFixed(1)} s; ` +
          `failed ${failed}, lost ${lost}`,
      );
    }
  } finally {
    agent.destroy();
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
