/**
 * Webhook ack throughput: POST /webhook of the real app (signature on the raw body, durable insert of each event,
 * 200) against a bare Express 5 route that only verifies the same HMAC over the raw body, side by side in one run:
 * the same signed bodies (each with its own webhookEventId) go to both, in alternating rounds, so drift of the
 * shared machine hits both alike. Processing is paused for the run (the processor is stopped; the events stay
 * pending in the store), so only the ack path is measured. Prints both throughputs and the ratio (goal ≥ 0.5×).
 * Runs twice: with the stand-in in a process of its own (persistence on, as local mode runs it, and as MongoDB
 * runs in production: the database's work is not on the app's event loop) and with the stand-in in the app's
 * process (as the tests run it: the database's CPU is then counted against the ack, which the bare route never pays).
 * `npx tsx bench/run-all.ts webhook` (BENCH_WEBHOOK_REQUESTS per round, BENCH_WEBHOOK_ROUNDS,
 * BENCH_WEBHOOK_CONCURRENCY, BENCH_WEBHOOK_STANDIN="process,inproc").
 * BENCH_CPU_PROFILE=dir writes a V8 CPU profile of each timed round (real and bare apart) into dir.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';
import { StandinProcess } from './scale-standin-client';
import { startProfile } from './cpu-profile';

const PER_ROUND = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 400);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 16);
const MODES = (process.env.BENCH_WEBHOOK_STANDIN ?? 'process,inproc').split(',') as Array<'process' | 'inproc'>;

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

/** The bare route: HMAC-SHA256 of the raw body against x-line-signature, then 200. Nothing else. */
function bareHmacApp(secret: string): express.Express {
  const app = express();
  app.post('/webhook', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const given = Buffer.from(String(req.headers['x-line-signature'] ?? ''));
    const expected = Buffer.from(sign(secret, (req.body as Buffer).toString('utf8')));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({});
      return;
    }
    res.status(200).json({});
  });
  return app;
}

/** A text message event body as LINE sends it (one event per request, LINE's usual delivery). */
function bodyFor(i: number, userId: string): string {
  return JSON.stringify({
    destination: 'Ubench',
    events: [
      {
        type: 'message',
        webhookEventId: `01BENCHWEBHOOK${String(i).padStart(12, '0')}`,
        timestamp: Date.now(),
        mode: 'active',
        source: { type: 'user', userId },
        replyToken: `rt${i}`,
        deliveryContext: { isRedelivery: false },
        message: { type: 'text', id: String(100000 + i), quoteToken: `q${i}`, text: '點數' },
      },
    ],
  });
}

function post(agent: http.Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
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
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `bodies` with CONCURRENCY requests in flight; returns the seconds it took. */
async function round(agent: http.Agent, url: URL, bodies: Array<[string, string]>): Promise<number> {
  let next = 0;
  let bad = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        if ((await post(agent, url, bodies[i][0], bodies[i][1])) !== 200) bad++;
      }
    }),
  );
  if (bad) throw new Error(`${bad} requests to ${url.href} did not answer 200`);
  return (performance.now() - started) / 1000;
}

export async function run(): Promise<void> {
  rootLogger.level = 'warn';
  for (const mode of MODES) {
    if (mode !== 'process' && mode !== 'inproc') throw new Error(`BENCH_WEBHOOK_STANDIN: unknown mode ${mode}`);
    if (mode === 'inproc') {
      await measure('stand-in in the app process (as the tests run it)');
      continue;
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huigo-webhook-bench-'));
    const standin = await StandinProcess.start(dataDir, { maxOldSpaceMb: 1024 });
    // test-env connects to TEST_MONGODB_URI when it is set (a database of its own, dropped at close).
    const before = process.env.TEST_MONGODB_URI;
    process.env.TEST_MONGODB_URI = standin.uri;
    try {
      await measure('stand-in in its own process with persistence (as local mode runs it; MongoDB in production)');
    } finally {
      if (before === undefined) delete process.env.TEST_MONGODB_URI;
      else process.env.TEST_MONGODB_URI = before;
      await standin.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function measure(label: string): Promise<void> {
  console.log(`\n${label}`);
  const env = await startTestEnv();
  const bare = http.createServer(bareHmacApp(env.config.line.channelSecret));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await env.events.stop();
    const secret = env.config.line.channelSecret;
    const userId = env.local.emulator!.createUser({ displayName: '壓測' }).userId;
    const realUrl = new URL(`${env.url}/webhook`);
    const bareUrl = new URL(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/webhook`);
    // Warm-up (JIT, connections), not counted.
    const warm = Array.from({ length: 100 }, (_, i): [string, string] => {
      const b = bodyFor(1_000_000 + i, userId);
      return [b, sign(secret, b)];
    });
    await round(agent, realUrl, warm);
    await round(agent, bareUrl, warm);
    const seconds = { real: 0, bare: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const bodies = Array.from({ length: PER_ROUND }, (_, i): [string, string] => {
        const b = bodyFor(r * PER_ROUND + i, userId);
        return [b, sign(secret, b)];
      });
      // Alternate which side goes first, so neither always runs on the warmer (or busier) half.
      const order: Array<'real' | 'bare'> = r % 2 ? ['bare', 'real'] : ['real', 'bare'];
      for (const side of order) {
        const profiler = await startProfile();
        seconds[side] += await round(agent, side === 'real' ? realUrl : bareUrl, bodies);
        await profiler?.stop(`webhook-${label.startsWith('stand-in in its own') ? 'process' : 'inproc'}-${side}-${r}`);
      }
    }
    const total = PER_ROUND * ROUNDS;
    const realRate = total / seconds.real;
    const bareRate = total / seconds.bare;
    console.log(
      `${ROUNDS} alternating rounds × ${PER_ROUND} signed bodies (1 event each), concurrency ${CONCURRENCY}, keep-alive; processing paused`,
    );
    console.log(`POST /webhook (verify, store, 200)   ${realRate.toFixed(0)} requests/s`);
    console.log(`bare Express route (HMAC only)       ${bareRate.toFixed(0)} requests/s`);
    console.log(`ratio                                ${(realRate / bareRate).toFixed(2)}×  (goal ≥ 0.5×)`);
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => bare.close(() => resolve()));
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
