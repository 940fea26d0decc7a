/**
 * The journeys engine at a brand's size (#15.4): `npm run bench -- journeys`. Seeds BENCH_JOURNEY_MEMBERS (300k)
 * members, each in a two-message journey, with 1% of the runs due now (real followers in the LINE emulator) and the
 * rest due in the coming weeks; then one journeys tick through the real @line/bot-sdk against the emulator, on the
 * MongoDB stand-in over the driver. Prints the steps executed per second, the cost of the tick (database commands,
 * documents returned to the engine, ms) and the due-steps query's plan (the stand-in's explain): it must be an
 * index scan of (status, nextRunAt) that examines only the due runs, not the 300k. Nothing is asserted.
 *
 * The seed is not cached: inserting 300k members and runs through the driver takes well under a minute.
 */
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import mongoose, { Types } from 'mongoose';
import { createJourney } from '../domain/journeys/journey.service';
import { runDueJourneySteps } from '../domain/journeys/journey-engine.service';
import { journeyDepsOf } from '../jobs/journeys.job';
import { Journey, JourneyRun } from '../models/journey.model';
import { Member } from '../models/member.model';
import { startTestEnv } from '../test/helpers/test-env';
import { seedFollowers, taipei } from '../test/integration/campaigns/fixtures';

const TOTAL = Number(process.env.BENCH_JOURNEY_MEMBERS ?? 300_000);
const DUE_SHARE = 0.01;
const DAY = 86_400_000;

function access(plan: Document): string {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK'].includes(plan.stage))
    return plan.indexName ? `IXSCAN ${plan.indexName}` : plan.stage;
  if (plan.inputStages) return `OR(${plan.inputStages.map(access).join(', ')})`;
  return plan.inputStage ? access(plan.inputStage) : plan.stage;
}

export async function run(): Promise<void> {
  const start = taipei('2025-04-07T10:00:00');
  let now = start;
  const env = await startTestEnv({
    clock: () => now,
    monitorCommands: true,
    env: { SEND_MULTICAST_PER_SECOND: '100000' },
  });
  try {
    await env.resetDb();
    env.local.emulator!.reset();
    env.local.emulator!.setMonthlyQuota(10_000_000);
    const due = Math.round(TOTAL * DUE_SHARE);
    const t0 = Date.now();
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
    const run = (memberId: Types.ObjectId, lineUserId: string, at: Date) => ({
      journeyId,
      memberId,
      lineUserId,
      slot: 'current',
      status: 'active',
      stepId: 'first',
      nextRunAt: at,
      scheduledAt: at,
      enteredAt: start,
    });
    // The due 1%: real followers (the emulator delivers to them), due now.
    const followers = await seedFollowers(env, due);
    await JourneyRun.insertMany(
      followers.map((f) => run(f.memberId, f.lineUserId, start)),
      { lean: true },
    );
    // The other 99%: members whose next step is due from tomorrow over the next 4 weeks.
    const BATCH = 10_000;
    for (let from = due; from < TOTAL; from += BATCH) {
      const members = [];
      const runs = [];
      for (let i = from; i < Math.min(TOTAL, from + BATCH); i++) {
        const _id = new Types.ObjectId();
        const lineUserId = `U${i.toString(16).padStart(32, '0')}`;
        members.push({
          _id,
          lineUserId,
          memberCode: `B${String(i).padStart(7, '0')}`,
          displayName: `會員${i}`,
          status: 'active',
          consent: { status: 'accepted', marketing: true, at: start },
        });
        runs.push(run(_id, lineUserId, new Date(start.getTime() + DAY + (i % (28 * 24)) * 3_600_000)));
      }
      await Member.collection.insertMany(members);
      await JourneyRun.collection.insertMany(runs);
    }
    console.log(
      `seeded ${TOTAL} members in a journey, ${due} due now (${(DUE_SHARE * 100).toFixed(0)}%), in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
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
        '  the (status, nextRunAt) index gives exactly the due runs in order, so the claim reads at most one batch\n' +
        '  of index keys and documents, however many runs are waiting for a later time.',
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
    const result = await runDueJourneySteps(journeyDepsOf(env.deps), now);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    client.off('commandStarted', onStart);
    client.off('commandSucceeded', onDone);
    const calls = (await env.emulator.pushes()).length;
    console.log(
      `one tick: ${result.executed} steps executed (${result.sent} sent in ${calls} multicasts) in ${ms.toFixed(0)} ms = ${Math.round(
        (result.executed / ms) * 1000,
      )} steps/s; ${commands} database commands, ${returned} documents returned`,
    );
    // A tick with nothing due: what the other 99% cost while they wait.
    now = new Date(start.getTime() + 60_000);
    commands = 0;
    returned = 0;
    client.on('commandStarted', onStart);
    client.on('commandSucceeded', onDone);
    const t2 = process.hrtime.bigint();
    await runDueJourneySteps(journeyDepsOf(env.deps), now);
    const idle = Number(process.hrtime.bigint() - t2) / 1e6;
    client.off('commandStarted', onStart);
    client.off('commandSucceeded', onDone);
    console.log(
      `idle tick (nothing due, ${TOTAL} runs waiting): ${idle.toFixed(1)} ms, ${commands} database commands, ${returned} documents returned`,
    );
  } finally {
    await env.close();
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
