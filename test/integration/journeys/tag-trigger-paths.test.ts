import type { CommandStartedEvent } from 'mongodb';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { createAutoReplyRule } from '../../../domain/conversation/auto-reply-rule.service';
import { createJourney } from '../../../domain/journeys/journey.service';
import { resetPersonaScript, savePersonaScript } from '../../../domain/persona/persona-script.service';
import { ImportJob } from '../../../models/import-job.model';
import { JourneyRun } from '../../../models/journey.model';
import { Member } from '../../../models/member.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLiffMember, idTokenFor } from '../../factories/liff-member.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from '../bot/chat-driver';
import { seedFollowers } from '../campaigns/fixtures';

/**
 * #15.1 item 2: every place that changes a member's tags enters the "tag added" / "tag removed" journeys —
 * persona answers in the chat, the member card's profile form, keyword reply rules and CSV imports (the console's
 * tag edits and journeys' own tag steps: tag-triggers.test.ts).
 */
let env: TestEnv;
let marketer: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv({ monitorCommands: true });
});
afterAll(async () => {
  await resetPersonaScript();
  await env?.close();
});
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  marketer = await loginAs(env, 'marketer');
});

const text = (t: string) => ({ type: 'text' as const, text: t });

async function tagJourney(change: 'added' | 'removed', tag: string) {
  return createJourney(
    {
      name: `${tag}${change === 'added' ? '加入' : '移除'}旅程`,
      trigger: { type: 'tag_changed', change, tag },
      steps: [{ id: 'hello', type: 'message', messages: [text(`關於「${tag}」的訊息`)] }],
      options: { frequencyCap: null },
      status: 'active',
    },
    'tester',
  );
}

const runsOf = (journeyId: string) => JourneyRun.find({ journeyId }, { memberId: 1, entryRef: 1, _id: 0 }).lean();

describe('#15.1 tag triggers from every path that changes tags', () => {
  it('a persona answer in the chat that adds a tag enters the "tag added" journey', async () => {
    await savePersonaScript({
      intro: '一個問題就好！',
      completion: '謝謝！',
      questions: [
        {
          id: 'pet',
          title: '寵物',
          type: 'single',
          prompt: '家裡有養寵物嗎？',
          options: [
            { id: 'has', label: '有', tags: ['有寵物'] },
            { id: 'none', label: '沒有', tags: ['沒寵物'] },
          ],
        },
      ],
    });
    const pets = await tagJourney('added', '有寵物');
    const none = await tagJourney('added', '沒寵物');
    const u = await consentedUser(env);
    await u.say('有');
    const m = (await u.member())!;
    expect(m.tags.map((t) => [t.tag, t.source])).toEqual([['有寵物', 'persona']]);
    expect(await runsOf(pets.id)).toEqual([{ memberId: m._id, entryRef: 'tag:added:有寵物' }]);
    expect(await runsOf(none.id)).toEqual([]);
  });

  it('the member card profile form: a new interest enters "tag added", a cleared one "tag removed"', async () => {
    const added = await tagJourney('added', '興趣:旅遊');
    const removed = await tagJourney('removed', '興趣:旅遊');
    const m = await createLiffMember(env, { displayName: '黃怡君' });
    const token = await idTokenFor(env, m.userId);
    const put = (answers: Record<string, string>) =>
      request(env.url).put('/api/member/profile').set('Authorization', `Bearer ${token}`).send({ answers });

    expect((await put({ interests: 'travel' })).status).toBe(200);
    expect(await runsOf(added.id)).toEqual([
      { memberId: new Types.ObjectId(m.memberId), entryRef: 'tag:added:興趣:旅遊' },
    ]);
    expect(await runsOf(removed.id)).toEqual([]);
    // Saving the same answer again changes no tag and enters nothing again.
    expect((await put({ interests: 'travel' })).status).toBe(200);
    expect(await JourneyRun.countDocuments({ journeyId: added.id })).toBe(1);

    expect((await put({ interests: '' })).status).toBe(200);
    expect((await Member.findById(m.memberId, { tags: 1 }).lean())!.tags).toEqual([]);
    expect(await runsOf(removed.id)).toEqual([
      { memberId: new Types.ObjectId(m.memberId), entryRef: 'tag:removed:興趣:旅遊' },
    ]);
  });

  it('a keyword reply rule that tags the member enters the "tag added" journey', async () => {
    const vip = await tagJourney('added', '詢問團購');
    await createAutoReplyRule(
      {
        name: '團購詢問',
        mode: 'contains',
        words: ['團購'],
        reply: { kind: 'text', text: '團購請洽門市，我們會盡快回覆您！' },
        tags: ['詢問團購'],
      },
      'tester',
    );
    const u = await consentedUser(env);
    const reply = await u.say('請問有團購嗎');
    expect(reply.texts.join('\n')).toContain('團購請洽門市');
    const m = (await u.member())!;
    expect(await runsOf(vip.id)).toEqual([{ memberId: m._id, entryRef: 'tag:added:詢問團購' }]);
  });

  it('a CSV import enters the journeys of the tags it adds, reading the tag journeys once per chunk', async () => {
    const early = await tagJourney('added', '早鳥');
    const members = await seedFollowers(env, 3, (i) => ({ phone: `091234567${i}` }));
    await Member.updateOne({ _id: members[2].memberId }, { $push: { tags: { tag: '早鳥', source: 'staff' } } });
    const csv = ['手機,標籤', '0912345670,早鳥', '0912345671,早鳥、學生', '0912345672,早鳥', '0955555555,早鳥'].join(
      '\n',
    );
    const up = await marketer.agent
      .post('/api/console/imports')
      .query({ fileName: 'tags.csv' })
      .set('X-CSRF-Token', marketer.csrf)
      .set('Content-Type', 'text/csv')
      .send(Buffer.from(csv, 'utf8'))
      .expect(201);
    const jobId = up.body.job.id;
    await marketer.agent
      .put(`/api/console/imports/${jobId}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: up.body.job.mapping, onError: 'skip' })
      .expect(200);

    // Count the reads of the journeys collection while the import writes.
    const journeyReads: string[] = [];
    const client = mongoose.connection.getClient();
    const onStart = (e: CommandStartedEvent) => {
      if (e.commandName === 'find' && e.command.find === 'journeys')
        journeyReads.push(JSON.stringify(e.command.filter));
    };
    client.on('commandStarted', onStart);
    try {
      await marketer.agent.post(`/api/console/imports/${jobId}/run`).set('X-CSRF-Token', marketer.csrf).expect(202);
      for (let i = 0; i < 400; i++) {
        const job = await ImportJob.findById(jobId, { status: 1 }).lean();
        if (job?.status === 'done' || job?.status === 'failed') break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      client.off('commandStarted', onStart);
    }
    expect((await ImportJob.findById(jobId, { status: 1 }).lean())!.status).toBe('done');
    // The two followers who did not have 早鳥 entered; the one who had it did not; the new imported member (no
    // LINE account) cannot be reached and does not enter.
    const entered = (await runsOf(early.id)).map((r) => String(r.memberId)).sort();
    expect(entered).toEqual([String(members[0].memberId), String(members[1].memberId)].sort());
    expect(await Member.countDocuments({ status: 'imported', 'tags.tag': '早鳥' })).toBe(1);
    // Four rows with tags in one chunk: one read of the tag journeys, not one per row.
    expect(journeyReads).toHaveLength(1);
  });

  it('an import without a tags column does not read the tag journeys at all', async () => {
    await tagJourney('added', '早鳥');
    await seedFollowers(env, 1, () => ({ phone: '0912345670' }));
    const up = await marketer.agent
      .post('/api/console/imports')
      .query({ fileName: 'names.csv' })
      .set('X-CSRF-Token', marketer.csrf)
      .set('Content-Type', 'text/csv')
      .send(Buffer.from('手機,姓名\n0912345670,王小美', 'utf8'))
      .expect(201);
    const jobId = up.body.job.id;
    await marketer.agent
      .put(`/api/console/imports/${jobId}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: up.body.job.mapping, onError: 'skip' })
      .expect(200);
    let journeyReads = 0;
    const client = mongoose.connection.getClient();
    const onStart = (e: CommandStartedEvent) => {
      if (e.commandName === 'find' && e.command.find === 'journeys') journeyReads++;
    };
    client.on('commandStarted', onStart);
    try {
      await marketer.agent.post(`/api/console/imports/${jobId}/run`).set('X-CSRF-Token', marketer.csrf).expect(202);
      for (let i = 0; i < 400; i++) {
        const job = await ImportJob.findById(jobId, { status: 1 }).lean();
        if (job?.status === 'done' || job?.status === 'failed') break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      client.off('commandStarted', onStart);
    }
    expect((await ImportJob.findById(jobId, { status: 1 }).lean())!.status).toBe('done');
    expect((await Member.findOne({ phone: '0912345670' }, { name: 1 }).lean())!.name).toBe('王小美');
    expect(journeyReads).toBe(0);
  });
});
