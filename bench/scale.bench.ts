/**
 * Issue #18's table at a real brand's size: `npm run bench -- scale` (all of 1k, 10k, 100k members) or
 * `npm run bench -- scale 1k,10k`. For each size: a stand-in in a process of its own with persistence on (as
 * local mode runs it, bench/scale-standin.ts), seeded by scripts/seed-scale.ts (per member 2 purchases, 2.6 points
 * entries, 7.5 interactions, 0.8 coupons, 2.9 webhook events; 10 sent campaigns), and the real app on it with the
 * LINE emulator. Each operation runs 3 times: median and spread (min–max). Then the growth order between sizes
 * (time ∝ membersᵏ) and the issue's goals (for 100k members) with met / not met. Prints figures, asserts nothing.
 *
 * Seeding is done once per size and kept: `<BENCH_SCALE_DIR or tmp>/huigo-scale/seed-<n>` holds the stand-in's
 * data folder after the seed, with `seed-<n>.json` beside it (what the seed returned). Each bench run works on a
 * copy of it (the runs write: chats, campaigns, birthday rewards), so runs start from the same data.
 * `--reseed` (or BENCH_SCALE_RESEED=1) throws the kept seed away and seeds again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import mongoose from 'mongoose';
import request from 'supertest';
import { createCampaign } from '../domain/campaigns/campaign.service';
import { createConsoleUser } from '../domain/staff/user.service';
import { rootLogger } from '../domain/shared/logger';
import { zonedTimeToUtc } from '../domain/shared/clock';
import { runJobOnce } from '../jobs/runner';
import { Delivery } from '../models/delivery.model';
import { loadConfig } from '../server/config';
import { startRuntime, type Runtime } from '../server/runtime';
import { restoreEmulatorUsers } from '../server/demo-seed';
import { parseSize, seedScale, type SeedScaleResult } from '../scripts/seed-scale';
import { withClock } from '../test/integration/campaigns/fixtures';
import { StandinProcess } from './scale-standin-client';

const RUNS = 3;
const TZ = 'Asia/Taipei';

interface Figure {
  /** Milliseconds (or the unit below) per run. */
  runs: number[];
  unit: 'ms' | 'rec/s' | 'MB' | 's';
  note?: string;
}
type Row = Record<string, Figure>;

const OPS = [
  'one chat message (點數) end to end',
  'member search (name / phone / code)',
  'member list, page 1',
  'member detail',
  'dashboard',
  'birthday job, one day',
  'campaign freeze + fan-out',
  'persistence stall after one small write',
  'server RSS with the data (app + stand-in)',
  'start with the data',
] as const;
type Op = (typeof OPS)[number];

/** The goals at 100k members: a figure meets it when `ok(median)` (or `ok(max)` for a goal on the worst). */
const GOALS: Record<Op, { text: string; ok: (v: number) => boolean; worst?: true }> = {
  'one chat message (點數) end to end': { text: '< 150 ms p50', ok: (v) => v < 150 },
  'member search (name / phone / code)': { text: '< 200 ms', ok: (v) => v < 200 },
  'member list, page 1': { text: '< 300 ms', ok: (v) => v < 300 },
  'member detail': { text: '< 300 ms', ok: (v) => v < 300 },
  dashboard: { text: '< 2 s', ok: (v) => v < 2000 },
  'birthday job, one day': { text: '< 5 s', ok: (v) => v < 5000 },
  'campaign freeze + fan-out': { text: '≥ 20,000 recipients/s', ok: (v) => v >= 20_000 },
  'persistence stall after one small write': { text: 'no stall > 100 ms', ok: (v) => v <= 100, worst: true },
  'server RSS with the data (app + stand-in)': { text: '< 1.5 GB', ok: (v) => v < 1536 },
  'start with the data': { text: '< 20 s', ok: (v) => v < 20 },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function startApp(uri: string): Promise<Runtime> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      MONGODB_URI: uri,
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      SEND_MULTICAST_PER_SECOND: '1000000',
      SEND_PUSH_PER_SECOND: '1000000',
    },
    { dotenv: false },
  );
  return startRuntime(config, { scheduler: false, sweeper: false });
}

async function consoleAgent(rt: Runtime) {
  const password = 'bench-password-long-enough';
  const username = `bench${Date.now()}`;
  await createConsoleUser({ username, displayName: '壓測', role: 'admin', password }, rt.deps.clock());
  const agent = request.agent(rt.url);
  await agent.post('/api/console/auth/login').send({ username, password }).expect(200);
  return agent;
}

async function timeRuns(fn: (run: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const t = process.hrtime.bigint();
    await fn(run);
    out.push(ms(t));
  }
  return out;
}

/** One chat message: the webhook signed and posted by the emulator, until the bot's reply reaches the user. */
async function chatOnce(rt: Runtime, userId: string): Promise<void> {
  const emu = rt.local.emulator!;
  const before = emu.messagesFor(userId).length;
  await emu.sendText(userId, '點數');
  const deadline = Date.now() + 60_000;
  while (emu.messagesFor(userId).length === before) {
    if (Date.now() > deadline) throw new Error('no reply to 點數 within 60 s');
    await sleep(1);
  }
}

const SCALE_ROOT = path.join(process.env.BENCH_SCALE_DIR ?? os.tmpdir(), 'huigo-scale');
const RESEED = process.argv.includes('--reseed') || process.env.BENCH_SCALE_RESEED === '1';

/** The kept seed of `n` members (seeding it first when there is none, or with --reseed). */
async function seededData(n: number): Promise<{ dir: string; seeded: SeedScaleResult & { seededAt: string } }> {
  const dir = path.join(SCALE_ROOT, `seed-${n}`);
  const marker = path.join(SCALE_ROOT, `seed-${n}.json`);
  if (RESEED) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
  }
  if (fs.existsSync(marker) && fs.existsSync(dir)) {
    const seeded = JSON.parse(fs.readFileSync(marker, 'utf8')) as SeedScaleResult & { seededAt: string };
    console.log(`  reusing the seed of ${seeded.seededAt} in ${dir} (--reseed to seed again)`);
    return { dir, seeded };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // In a process of its own: the seed's garbage (2M documents through mongoose) would otherwise stay in this one's
  // heap and be counted as the app's RSS below.
  const result = await new Promise<SeedScaleResult>((resolve, reject) => {
    const child = fork(__filename, ['--seed-only', String(n), dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let done: SeedScaleResult | undefined;
    child.on('message', (m) => (done = m as SeedScaleResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      done && code === 0 ? resolve(done) : reject(new Error(`seeding ${n} failed (${code})`)),
    );
  });
  const seeded = { ...result, seededAt: new Date().toISOString() };
  // Written last: a seed interrupted before this line is not reused.
  fs.writeFileSync(marker, JSON.stringify(seeded));
  console.log(
    `  ${n} members: seeded ${seeded.documents.toLocaleString()} documents in ${seeded.seconds.toFixed(1)} s (kept in ${dir})`,
  );
  return { dir, seeded };
}

async function measureSize(n: number): Promise<Row> {
  const seed = await seededData(n);
  const dataDir = path.join(SCALE_ROOT, `run-${n}-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.cpSync(seed.dir, dataDir, { recursive: true });
  const row: Row = {};
  let standin = await StandinProcess.start(dataDir);
  let rt = await startApp(standin.uri);
  try {
    const s = seed.seeded.sample;
    const emu = rt.local.emulator!;
    // As local mode starts (server/startup.ts): the emulator knows every follower, so pushes to them are accepted.
    await restoreEmulatorUsers(emu);
    emu.setFaults({ rateLimit: null });
    emu.setMonthlyQuota(100_000_000);
    const agent = await consoleAgent(rt);
    const measureRss = async (): Promise<Figure & { note: string }> => {
      const runs: number[] = [];
      let note = '';
      for (let run = 0; run < RUNS; run++) {
        const child = (await standin.ask<{ rss: number }>('rss')).rss;
        const own = process.memoryUsage();
        runs.push((own.rss + child) / 2 ** 20);
        const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
        note = `app (this bench process, with the emulator) ${mb(own.rss)} (V8 heap ${mb(own.heapUsed)}), stand-in ${mb(child)}`;
        await sleep(200);
      }
      return { runs, unit: 'MB', note };
    };

    await chatOnce(rt, s.lineUserId); // warm the path once
    row['one chat message (點數) end to end'] = {
      runs: await timeRuns(() => chatOnce(rt, s.lineUserId)),
      unit: 'ms',
    };
    const searches = [s.name, s.phone, s.memberCode];
    const search: number[] = [];
    for (const q of searches)
      search.push(
        median(
          await timeRuns(async () => {
            await agent.get('/api/console/members').query({ q }).expect(200);
          }),
        ),
      );
    row['member search (name / phone / code)'] = {
      runs: search,
      unit: 'ms',
      note: `name ${search[0].toFixed(0)} / phone ${search[1].toFixed(0)} / code ${search[2].toFixed(0)} ms`,
    };
    row['member list, page 1'] = {
      runs: await timeRuns(async () => {
        await agent.get('/api/console/members').expect(200);
      }),
      unit: 'ms',
    };
    row['member detail'] = {
      runs: await timeRuns(async () => {
        await agent.get(`/api/console/members/${s.memberId}`).expect(200);
      }),
      unit: 'ms',
    };
    row.dashboard = {
      runs: await timeRuns(async () => {
        await agent.get('/api/console/dashboard').expect(200);
      }),
      unit: 'ms',
    };
    const outcomes: string[] = [];
    row['birthday job, one day'] = {
      runs: await timeRuns(async (run) => {
        const day = `2026-0${run + 3}-0${run + 1}`;
        const out = await runJobOnce(rt.deps, 'birthday', zonedTimeToUtc(day, '10:00', TZ), {
          trigger: 'cli',
          force: true,
        });
        const r = out.status === 'ran' ? (out.result as Record<string, number>) : null;
        // The celebrants of each day, so a run that found nobody (and so measured nothing) shows as such.
        outcomes.push(
          r ? `${day.slice(5)}: ${r.candidates} celebrants, ${r.messaged} messaged` : `${day}: ${out.status}`,
        );
      }),
      unit: 'ms',
    };
    row['birthday job, one day'].note = outcomes.join('; ');
    // With the data loaded and read (as a newcomer's server holds it), before the fan-outs fill the emulator's inboxes.
    const loaded = await measureRss();
    const fanout: number[] = [];
    const fanoutCpu: Array<[number, number]> = [];
    let recipients = 0;
    for (let run = 0; run < RUNS; run++) {
      // After the seeded history, at 10:00 (outside quiet hours); no frequency cap: this measures the fan-out.
      const at = zonedTimeToUtc(`2027-01-${String(10 + run * 2).padStart(2, '0')}`, '10:00', TZ);
      const created = new Date(at.getTime() - 86_400_000);
      const c = await createCampaign(
        {
          name: `壓測活動 ${run + 1}`,
          audience: { type: 'all' },
          messages: [{ type: 'text', text: '夏季特賣開跑，全館 9 折！' }],
          schedule: { type: 'once', at: at.toISOString() },
          options: { frequencyCap: null },
        },
        'bench',
        created,
        { timeZone: TZ },
      );
      const t = process.hrtime.bigint();
      const cpu0 = process.cpuUsage();
      const standinCpu0 = (await standin.ask<{ micros: number }>('cpu')).micros;
      // BENCH_STANDIN_CPU_PROFILE=dir: the stand-in's CPU profile of the first fan-out at each size.
      const profile = run === 0 && process.env.BENCH_STANDIN_CPU_PROFILE;
      if (profile) await standin.ask('profile-start');
      await runJobOnce(withClock(rt.deps, at).deps, 'campaign-dispatch', at);
      if (profile) await standin.ask('profile-stop', { name: `fanout-${n}` });
      const seconds = ms(t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const standinCpu = (await standin.ask<{ micros: number }>('cpu')).micros - standinCpu0;
      recipients = await Delivery.countDocuments({ campaignId: new mongoose.Types.ObjectId(c.id), status: 'sent' });
      fanout.push(recipients / seconds);
      // Which process bounds the rate: CPU per recipient of the app (with the emulator) and of the stand-in.
      fanoutCpu.push([(cpu.user + cpu.system) / recipients, standinCpu / recipients]);
    }
    const [appCpu, dbCpu] = [0, 1].map((k) => median(fanoutCpu.map((c) => c[k])).toFixed(0));
    row['campaign freeze + fan-out'] = {
      runs: fanout,
      unit: 'rec/s',
      note: `${recipients} recipients; CPU per recipient: app + emulator ${appCpu} µs, stand-in ${dbCpu} µs`,
    };
    const stalls: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await sleep(1500); // let earlier writes settle into the store
      await standin.ask('stall-reset');
      await mongoose.connection
        .db!.collection('benchtouch')
        .updateOne({ _id: 'touch' as never }, { $set: { run } }, { upsert: true });
      await sleep(3000 + Math.ceil(n / 10_000) * 1000);
      stalls.push((await standin.ask<{ maxMs: number }>('stall')).maxMs);
    }
    row['persistence stall after one small write'] = { runs: stalls, unit: 'ms', note: 'stand-in event loop, max' };
    const afterFanout = await measureRss();
    row['server RSS with the data (app + stand-in)'] = {
      ...loaded,
      note: `${loaded.note}; after the three fan-outs ${Math.round(median(afterFanout.runs))} MB (${afterFanout.note}: the emulator in this process then holds ${(recipients * RUNS).toLocaleString()} delivered messages in its users' inboxes, LINE's side of the pushes)`,
    };
    /** Stop (cleanly, or by SIGKILL as a crash), start the stand-in and the app again; seconds to /healthz. */
    const restart = async (crash: boolean): Promise<number> => {
      await rt.close();
      await (crash ? standin.kill() : standin.close());
      const t = process.hrtime.bigint();
      standin = await StandinProcess.start(dataDir);
      rt = await startApp(standin.uri);
      await restoreEmulatorUsers(rt.local.emulator!);
      await request(rt.url).get('/healthz').expect(200);
      return ms(t) / 1000;
    };
    const starts: number[] = [];
    for (let run = 0; run < RUNS; run++) starts.push(await restart(false));
    const fresh = (await standin.ask<{ rss: number }>('rss')).rss / 2 ** 20;
    // After a crash the stand-in reads the image of the last clean stop and replays what was written after it (once, not a goal row).
    const afterCrash = await restart(true);
    row['start with the data'] = {
      runs: starts,
      unit: 's',
      note: `after a clean stop (the stand-in reads its index image): stand-in load + app start + emulator users restored, to /healthz; the freshly started stand-in's RSS ${Math.round(fresh)} MB; after a SIGKILL (image of the last clean stop + the journal after it) ${afterCrash.toFixed(1)} s`,
    };
  } catch (err) {
    // One operation failing (e.g. the stand-in not answering in time on an overloaded machine) does not lose the
    // figures measured before it: the table prints them and "–" for the rest.
    const done = OPS.filter((op) => row[op]).length;
    console.log(`  ${n} members: stopped after ${done} of ${OPS.length} operations: ${(err as Error).message}`);
  } finally {
    await rt.close().catch(() => undefined);
    await standin.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return row;
}

const fmt = (v: number, unit: Figure['unit']) =>
  unit === 'rec/s'
    ? `${Math.round(v).toLocaleString()}/s`
    : unit === 's'
      ? `${v.toFixed(1)} s`
      : unit === 'MB'
        ? `${Math.round(v)} MB`
        : v >= 1000
          ? `${(v / 1000).toFixed(2)} s`
          : `${v.toFixed(0)} ms`;

function cell(f: Figure | undefined): string {
  if (!f) return '–';
  const lo = Math.min(...f.runs);
  const hi = Math.max(...f.runs);
  return `${fmt(median(f.runs), f.unit)} (${fmt(lo, f.unit)}–${fmt(hi, f.unit)})`;
}

function printTable(sizes: number[], rows: Map<number, Row>): void {
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const header = ['operation', ...sizes.map((n) => `${label(n)} members`), 'growth', 'goal (100k)', 'met?'];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  const largest = sizes[sizes.length - 1];
  for (const op of OPS) {
    const figures = sizes.map((n) => rows.get(n)?.[op]);
    const growth: string[] = [];
    for (let i = 1; i < sizes.length; i++) {
      const a = figures[i - 1];
      const b = figures[i];
      if (!a || !b) continue;
      const k = Math.log(median(b.runs) / median(a.runs)) / Math.log(sizes[i] / sizes[i - 1]);
      growth.push(`n^${(a.unit === 'rec/s' ? -k : k).toFixed(2)}`);
    }
    const last = figures[figures.length - 1];
    const judged = last && (GOALS[op].worst ? Math.max(...last.runs) : median(last.runs));
    const met = last ? (GOALS[op].ok(judged as number) ? 'met' : 'not met') : '–';
    const at = largest < 100_000 && last ? ` (at ${label(largest)})` : '';
    console.log(
      `| ${op} | ${figures.map(cell).join(' | ')} | ${growth.join(', ') || '–'} | ${GOALS[op].text} | ${met}${at} |`,
    );
  }
  for (const n of sizes)
    for (const op of OPS) {
      const note = rows.get(n)?.[op]?.note;
      if (note) console.log(`  ${label(n)} · ${op}: ${note}`);
    }
  console.log(
    '\nmedian of 3 runs (min–max); growth: time ∝ membersᵏ between consecutive sizes (for fan-out, of time per recipient).',
  );
}

export async function run(): Promise<void> {
  if (!process.env.LOG_LEVEL) rootLogger.level = 'silent';
  const arg = process.argv.slice(3).find((a) => !a.startsWith('--')) ?? process.env.BENCH_SCALE_SIZES ?? '1k,10k,100k';
  const sizes = arg
    .split(',')
    .map(parseSize)
    .sort((a, b) => a - b);
  const rows = new Map<number, Row>();
  for (const n of sizes) {
    console.log(`scale: ${n} members …`);
    rows.set(n, await measureSize(n));
  }
  printTable(sizes, rows);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
}

/** `--seed-only <n> <dir>`: the seeding child of seededData (a stand-in on dir, the app on it, seedScale). */
async function seedOnly(n: number, dir: string): Promise<SeedScaleResult> {
  rootLogger.level = 'silent';
  const standin = await StandinProcess.start(dir);
  const rt = await startApp(standin.uri);
  try {
    return await seedScale(n, new Date(), (m) => console.log(`  ${m}`));
  } finally {
    await rt.close();
    await standin.close();
  }
}

if (require.main === module && process.argv[2] === '--seed-only') {
  seedOnly(Number(process.argv[3]), process.argv[4]).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
