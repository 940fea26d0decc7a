/**
 * The journeys engine at a brand's size (#15.4): `npm run bench -- journeys`. Seeds BENCH_JOURNEY_MEMBERS (300k)
 * members, each in a two-message journey, with 1% of the runs due now (followers in the LINE emulator) and the
 * rest due in the coming weeks; then one journeys tick through the real @line/bot-sdk against the emulator, on the
 * MongoDB stand-in over the driver (in a process of its own, as local mode runs it). Prints the steps executed per
 * second, the cost of the tick (database commands, documents returned to the engine, ms) and the due-steps query's
 * plan (the stand-in's explain): it must be an index scan of (status, nextRunAt) that examines only the due runs,
 * not the 300k. Nothing is asserted.
 *
 * The seed is done once per size and kept, like bench/scale.bench.ts does: `<BENCH_SCALE_DIR or tmp>/huigo-journeys/
 * seed-<n>` holds the stand-in's data folder after the seed (members and runs inserted in bulk take ~15 min at 300k),
 * `seed-<n>.json` beside it what the seed made. Each run works on a copy (the tick writes), so runs compare; the
 * due followers are restored in the emulator (which starts empty) without follow events. `--reseed` (or
 * BENCH_JOURNEY_RESEED=1) seeds again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import mongoose, { Types } from 'mongoose';
import { createJourney } from '../domain/journeys/journey.service';
import { runDueJourneySteps } from '../domain/journeys/journey-engine.service';
import { journeyDepsOf } from '../jobs/journeys.job';
import { Journey, JourneyRun } from '../models/journey.model';
import { Member } from '../models/member.model';
import { loadConfig } from '../server/config';
import { startRuntime, type Runtime } from '../server/runtime';
import { EmulatorClient } from '../test/helpers/emulator-client';
import { taipei } from '../test/integration/campaigns/fixtures';
import { StandinProcess } from './scale-standin-client';

const TOTAL = Number(process.env.BENCH_JOURNEY_MEMBERS ?? 300_000);
const DUE_SHARE = 0.01;
const DAY = 86_400_000;
const ROOT = path.join(process.env.BENCH_SCALE_DIR ?? os.tmpdir(), 'huigo-journeys');
const RESEED = process.argv.includes('--reseed') || process.env.BENCH_JOURNEY_RESEED === '1';
const START = taipei('2025-04-07T10:00:00');

interface Seeded {
  members: number;
  due: number;
  seconds: number;
  seededAt: string;
}

function access(plan: Document): string {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK'].includes(plan.stage))
    return plan.indexName ? `IXSCAN ${plan.indexName}` : plan.stage;
  if (plan.inputStages) return `OR(${plan.inputStages.map(access).join(', ')})`;
  return plan.inputStage ? access(plan.inputStage) : plan.stage;
}

/** Member i's LINE user id: deterministic, so a kept seed's due followers can be restored in the emulator. */
const userIdOf = (i: number) => `U${i.toString(16).padStart(32, '0')}`;

async function startApp(uri: string, clock: () => Date): Promise<Runtime> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      MONGODB_URI: uri,
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      SEND_MULTICAST_PER_SECOND: '100000',
      REPLY_TEXTS_TTL_MS: '600000',
    },
    { dotenv: false },
  );
  return startRuntime(config, { clock, scheduler: false, sweeper: false, monitorCommands: true });
}

/** Members and their runs, inserted in bulk into the connected database (volume, not behaviour). */
async function seed(due: number): Promise<void> {
  const j = await createJourney(
    {
      name: '效能測試旅程',
      trigger: { type: 'consent_accepted' },
      steps: [
        { id: 'first', type: 'message', messages: [{ type: 'text', text: '第一則：歡迎加入！' }] },
        { id: 'wait', type: 'wait', days: 2 },
        { id: 'second', type: 'message', messages: [{ type: 'text', text: '第二則：別忘了會員卡' }] },
      ],
      options: { frequencyCap: null },
      status: 'active',
    },
    'bench',
  );
  const journeyId = (await Journey.findById(j.id, { _id: 1 }).lean())!._id;
  const BATCH = 10_000;
  for (let from = 0; from < TOTAL; from += BATCH) {
    const members = [];
    const runs = [];
    for (let i = from; i < Math.min(TOTAL, from + BATCH); i++) {
      const _id = new Types.ObjectId();
      const lineUserId = userIdOf(i);
      // The due 1% (the first `due` members) now; the other 99% from tomorrow over the next 4 weeks.
      const at = i < due ? START : new Date(START.getTime() + DAY + (i % (28 * 24)) * 3_600_000);
      members.push({
        _id,
        lineUserId,
        memberCode: `B${String(i).padStart(7, '0')}`,
        displayName: `會員${i}`,
        status: 'active',
        followedAt: START,
        consent: { status: 'accepted', marketing: true, at: START },
      });
      runs.push({
        journeyId,
        memberId: _id,
        lineUserId,
        slot: 'current',
        status: 'active',
        stepId: 'first',
        nextRunAt: at,
        scheduledAt: at,
        enteredAt: START,
      });
    }
    await Member.collection.insertMany(members);
    await JourneyRun.collection.insertMany(runs);
  }
}

/** The kept seed of TOTAL members (seeding it first when there is none, or with --reseed). */
async function seededData(due: number): Promise<{ dir: string; seeded: Seeded }> {
  const dir = path.join(ROOT, `seed-${TOTAL}`);
  const marker = path.join(ROOT, `seed-${TOTAL}.json`);
  if (RESEED) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
  }
  if (fs.existsSync(marker) && fs.existsSync(dir)) {
    const seeded = JSON.parse(fs.readFileSync(marker, 'utf8')) as Seeded;
    console.log(`reusing the seed of ${seeded.seededAt} in ${dir} (--reseed to seed again)`);
    return { dir, seeded };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const standin = await StandinProcess.start(dir);
  const rt = await startApp(standin.uri, () => START);
  try {
    await seed(due);
  } finally {
    await rt.close();
    await standin.close();
  }
  const seeded: Seeded = { members: TOTAL, due, seconds: (Date.now() - t0) / 1000, seededAt: new Date().toISOString() };
  // Written last: a seed interrupted before this line is not reused.
  fs.writeFileSync(marker, JSON.stringify(seeded));
  console.log(`seeded ${TOTAL} members in a journey in ${seeded.seconds.toFixed(1)} s (kept in ${dir})`);
  return { dir, seeded };
}

export async function run(): Promise<void> {
  let now = START;
  const due = Math.round(TOTAL * DUE_SHARE);
  const { dir } = await seededData(due);
  const runDir = path.join(ROOT, `run-${TOTAL}-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.cpSync(dir, runDir, { recursive: true });
  const t0 = Date.now();
  const standin = await StandinProcess.start(runDir);
  const rt = await startApp(standin.uri, () => now);
  try {
    const emu = rt.local.emulator!;
    const emulator = new EmulatorClient(emu.baseURL);
    emu.setMonthlyQuota(10_000_000);
    // The due followers are friends already (the database says so); the emulator starts empty.
    for (let i = 0; i < due; i++) emu.createUser({ userId: userIdOf(i), displayName: `會員${i}`, status: 'following' });
    console.log(
      `${TOTAL} members in a journey, ${due} due now (${(DUE_SHARE * 100).toFixed(0)}%); stand-in and app started on the kept data in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    // The due-steps query as the engine's claim sends it, explained by the stand-in.
    const free = { $or: [{ claimUntil: null }, { claimUntil: { $lt: now } }] };
    const e = await JourneyRun.find({ status: 'active', nextRunAt: { $lte: now }, ...free }, { _id: 1, nextRunAt: 1 })
      .sort({ nextRunAt: 1, _id: 1 })
      .limit(1000)
      .explain('executionStats');
    const s = (e as Document).executionStats;
    console.log(
      `due-steps query: plan ${access((e as Document).queryPlanner.winningPlan)}; keys examined ${s.totalKeysExamined}, docs examined ${s.totalDocsExamined}, returned ${s.nReturned} (of ${TOTAL} runs)`,
    );
    console.log(
      '  reasoning: the filter has an equality on status and a range on nextRunAt, the sort is nextRunAt then _id:\n' +
        '  the (status, nextRunAt) index bounds the scan to the due runs (keys with nextRunAt <= now), so the\n' +
        `  examined count is the ${due} due runs, not the ${TOTAL}. The _id tiebreak is sorted after the scan, so a\n` +
        '  batch reads every run due at the same instant before its limit: the tick costs O(due) keys per claim\n' +
        '  round, independent of the runs waiting for a later time (the idle tick below examines none).',
    );

    // One tick, counting the database commands and the documents they return to the engine.
    let commands = 0;
    let returned = 0;
    const client = mongoose.connection.getClient();
    const onStart = (_e: CommandStartedEvent) => void (commands += 1);
    const onDone = (ev: CommandSucceededEvent) => {
      const cursor = (ev.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
      returned += cursor?.firstBatch?.length ?? cursor?.nextBatch?.length ?? 0;
    };
    client.on('commandStarted', onStart);
    client.on('commandSucceeded', onDone);
    const t = process.hrtime.bigint();
    const result = await runDueJourneySteps(journeyDepsOf(rt.deps), now);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    client.off('commandStarted', onStart);
    client.off('commandSucceeded', onDone);
    const calls = (await emulator.pushes()).length;
    console.log(
      `one tick: ${result.executed} steps executed (${result.sent} sent in ${calls} multicasts) in ${ms.toFixed(0)} ms = ${Math.round(
        (result.executed / ms) * 1000,
      )} steps/s; ${commands} database commands, ${returned} documents returned`,
    );
    // A tick with nothing due: what the other 99% cost while they wait.
    now = new Date(START.getTime() + 60_000);
    commands = 0;
    returned = 0;
    client.on('commandStarted', onStart);
    client.on('commandSucceeded', onDone);
    const t2 = process.hrtime.bigint();
    await runDueJourneySteps(journeyDepsOf(rt.deps), now);
    const idle = Number(process.hrtime.bigint() - t2) / 1e6;
    client.off('commandStarted', onStart);
    client.off('commandSucceeded', onDone);
    console.log(
      `idle tick (nothing due, ${TOTAL} runs waiting): ${idle.toFixed(1)} ms, ${commands} database commands, ${returned} documents returned`,
    );
  } finally {
    await rt.close();
    await standin.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
