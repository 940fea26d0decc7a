import request from 'supertest';
import { createHmac } from 'node:crypto';
import { respond } from '../../../bot/responder';
import { closeConversation } from '../../../domain/inbox/conversation-close.service';
import { Conversation } from '../../../models/conversation.model';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { WebhookEvent } from '../../../models/webhook-event.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser, waitProcessed } from './chat-driver';

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

/** The webhook's contract: signature, parsing, persist → ack → process, de-duplication, every event type. */
describe('webhook pipeline', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  const stored = () => WebhookEvent.countDocuments({});
  const post = (body: string, signature?: string) => {
    const req = request(env.url).post('/webhook').set('content-type', 'application/json');
    return (signature === undefined ? req : req.set('x-line-signature', signature)).send(body);
  };

  it("bad or missing signature → 401 and nothing stored; malformed JSON → 400; LINE's verify call → 200", async () => {
    const before = await stored();
    const u = await env.emulator.createUser();
    const body = JSON.stringify({
      destination: 'x',
      events: [
        {
          type: 'message',
          webhookEventId: '01BADSIG',
          source: { type: 'user', userId: u.userId },
          message: { type: 'text', id: '1', text: 'hi' },
          timestamp: Date.now(),
        },
      ],
    });
    expect((await post(body, sign('wrong-secret', body))).status).toBe(401);
    expect((await post(body)).status).toBe(401);
    const viaEmulator = await env.emulator.sendEvents(
      [{ type: 'follow', source: { type: 'user', userId: u.userId } }],
      { signature: 'bad' },
    );
    expect(viaEmulator.webhookStatus).toBe(401);
    const secret = env.config.line.channelSecret;
    const res = await post('{"events": [', sign(secret, '{"events": ['));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect((await post('{"destination":"x"}', sign(secret, '{"destination":"x"}'))).status).toBe(400);
    expect(
      (await post('{"destination":"x","events":[]}', sign(secret, '{"destination":"x","events":[]}'))).status,
    ).toBe(200);
    expect(await stored()).toBe(before);
    expect(await Member.countDocuments({ lineUserId: u.userId })).toBe(0);
  });

  it('the same event delivered twice (and twice at once) → one reply, one interaction, one reward', async () => {
    const u = await consentedUser(env);
    // Six questions skipped and the contact time answered: the duplicated event answers the last one, the phone.
    for (let i = 0; i < 6; i++) await u.say('略過');
    await u.say('晚上');
    const member = await u.member();
    const repliesBefore = (await env.emulator.pushes()).filter(
      (p) => p.api === 'reply' && p.to.includes(u.userId),
    ).length;
    const sent = await env.emulator.sendEvents([
      {
        type: 'message',
        webhookEventId: '01HDUPLICATEEVENT0000000001',
        source: { type: 'user', userId: u.userId },
        message: { type: 'text', id: '9001', text: '略過' },
      },
    ]);
    const id = sent.webhookEventIds[0];
    await waitProcessed(id);
    await env.emulator.redeliver(id);
    await Promise.all([env.emulator.redeliver(id), env.emulator.redeliver(id)]);
    await waitProcessed(id);

    const inbox = await env.emulator.messages(u.userId, 0);
    const texts = inbox.map((e) => e.message.text);
    expect(texts.filter((t) => t?.includes('全部完成'))).toHaveLength(1);
    expect(texts.filter((t) => t?.includes('🎁 已送您 50 點'))).toHaveLength(1);
    const replies = (await env.emulator.pushes()).filter((p) => p.api === 'reply' && p.to.includes(u.userId)).length;
    expect(replies - repliesBefore).toBe(1);
    expect(await Interaction.countDocuments({ key: `evt:${id}` })).toBe(1);
    expect(await Interaction.countDocuments({ key: `reply:${id}` })).toBe(1);
    expect(
      await Interaction.countDocuments({ memberId: member!._id, type: 'persona_answer', 'refs.webhookEventId': id }),
    ).toBe(1);
    expect(await PointsEntry.countDocuments({ memberId: member!._id, reason: 'persona_complete' })).toBe(1);
    expect(await WebhookEvent.findOne({ webhookEventId: id }).lean()).toMatchObject({
      status: 'done',
      redeliveries: 3,
      attempts: 1,
    });
  });

  it('accepts every documented event type; groups and rooms never create members; unknown types are recorded', async () => {
    const u = await ChatUser.create(env, '全事件');
    await u.follow();
    const stranger = (await env.emulator.createUser()).userId;
    const user = { type: 'user', userId: u.userId };
    const group = { type: 'group', groupId: 'C0123456789abcdef0123456789abcdef', userId: stranger };
    const room = { type: 'room', roomId: 'R0123456789abcdef0123456789abcdef', userId: stranger };
    const events: Record<string, unknown>[] = [
      ...['text', 'sticker', 'image', 'video', 'audio', 'file', 'location'].map((type, i) => ({
        type: 'message',
        source: user,
        message: {
          id: `m${i}`,
          type,
          text: '你好',
          packageId: '446',
          stickerId: '1988',
          fileName: 'a.pdf',
          fileSize: 10,
          duration: 1000,
          title: '門市',
          address: '台北',
          latitude: 25,
          longitude: 121,
          contentProvider: { type: 'line' },
        },
      })),
      { type: 'postback', source: user, postback: { data: 'cmd:help' } },
      { type: 'unsend', source: user, unsend: { messageId: 'm0' } },
      { type: 'videoPlayComplete', source: user, videoPlayComplete: { trackingId: 't1' } },
      { type: 'beacon', source: user, beacon: { hwid: 'd41d8cd98f', type: 'enter' } },
      { type: 'accountLink', source: user, link: { result: 'ok', nonce: 'n' } },
      { type: 'membership', source: user, membership: { type: 'joined', membershipId: 1 } },
      { type: 'message', source: group, message: { id: 'g1', type: 'text', text: '點數' } },
      { type: 'message', source: room, message: { id: 'r1', type: 'text', text: '說明' } },
      { type: 'join', source: group },
      { type: 'leave', source: group },
      { type: 'memberJoined', source: group, joined: { members: [{ type: 'user', userId: stranger }] } },
      { type: 'memberLeft', source: group, left: { members: [{ type: 'user', userId: stranger }] } },
      { type: 'activated', chatControl: { expireAt: Date.now() } },
      { type: 'deactivated' },
      { type: 'module', module: { type: 'attached', botId: 'U1', scopes: [] } },
      { type: 'botSuspended' },
      { type: 'botResumed' },
      { type: 'somethingLineAddsIn2030', source: user, surprise: { nested: true } },
      { type: 'unfollow', source: user },
    ];
    for (const event of events) {
      const r = await env.emulator.sendEvents([event]);
      expect(r.webhookStatus).toBe(200);
      expect(['done', 'ignored']).toContain(await waitProcessed(r.webhookEventIds[0]));
      // A text the bot cannot answer or a photo hands the chat to a colleague (#13.5); give it back each time.
      for (const c of await Conversation.find({ lineUserId: u.userId, status: 'open' }).lean())
        await closeConversation({
          conversationId: String(c._id),
          agent: { id: 'test', name: 'test' },
          now: new Date(),
        });
    }
    expect(await Member.countDocuments({ lineUserId: stranger })).toBe(0);
    expect(await WebhookEvent.countDocuments({ type: 'somethingLineAddsIn2030' })).toBe(1);
    const member = await u.member();
    expect(member!.status).toBe('blocked');
    const timeline = await Interaction.find({ memberId: member!._id }).lean();
    const summaries = timeline.map((i) => i.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        '（訊息已收回）',
        '[貼圖]',
        '[照片]',
        '[影片]',
        '[語音]',
        '[檔案] a.pdf',
        '[位置] 門市',
        '看完影片',
        'LINE 事件：somethingLineAddsIn2030',
      ]),
    );
    // Stickers, photos, files … each got a friendly answer; none of the group/room texts did.
    const inbox = await env.emulator.messages(u.userId, 0);
    expect(inbox.filter((e) => e.message.text?.includes('謝謝您傳來的照片'))).toHaveLength(1);
    expect(await env.emulator.messages(stranger, 0)).toHaveLength(0);
  });

  it('a stale reply token (event older than 50 s) is answered by push', async () => {
    const u = await consentedUser(env);
    await u.say('略過');
    const old = await env.emulator.sendEvents([
      {
        type: 'message',
        source: { type: 'user', userId: u.userId },
        timestamp: Date.now() - 70_000,
        message: { id: 'old1', type: 'text', text: '說明' },
      },
    ]);
    await waitProcessed(old.webhookEventIds[0]);
    const inbox = await env.emulator.messages(u.userId, 0);
    expect(inbox.at(-1)).toMatchObject({ via: 'push', message: { text: expect.stringContaining('・會員卡') } });
    const rec = await Interaction.findOne({ key: `reply:${old.webhookEventIds[0]}` }).lean();
    expect(rec).toMatchObject({ type: 'push', refs: { fallback: 'reply_token_stale' } });
  });

  it('a failing reply falls back to push, once', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const member = await u.member();
    const target = {
      webhookEventId: '01HREPLYFAILS',
      lineUserId: u.userId,
      memberId: member!._id,
      replyToken: 'not-a-real-token',
      eventTimestamp: Date.now(),
    };
    const log = env.deps.logger;
    expect(await respond(env.deps.messenger, target, [{ type: 'text', text: '補發測試' }], new Date(), log)).toBe(
      'pushed',
    );
    expect(await respond(env.deps.messenger, target, [{ type: 'text', text: '補發測試' }], new Date(), log)).toBe(
      'already_sent',
    );
    const inbox = await env.emulator.messages(u.userId, 0);
    expect(inbox.filter((e) => e.message.text === '補發測試')).toEqual([expect.objectContaining({ via: 'push' })]);
    expect(await Interaction.findOne({ key: 'reply:01HREPLYFAILS' }).lean()).toMatchObject({
      type: 'push',
      refs: { fallback: 'reply_failed_400' },
    });
  });

  it('events stored but never processed (crash) are picked up by the poll', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const webhookEventId = '01HSTOREDNOTPROCESSED00001';
    await WebhookEvent.create({
      webhookEventId,
      type: 'message',
      sourceType: 'user',
      userId: u.userId,
      status: 'pending',
      attempts: 0,
      receivedAt: new Date(Date.now() - 60_000),
      payload: {
        type: 'message',
        webhookEventId,
        timestamp: Date.now() - 60_000,
        source: { type: 'user', userId: u.userId },
        message: { id: 's1', type: 'text', text: '點數' },
      },
    });
    expect(await env.events.poll()).toBe(1);
    expect(await waitProcessed(webhookEventId)).toBe('done');
    const inbox = await env.emulator.messages(u.userId, 0);
    expect(inbox.at(-1)).toMatchObject({ via: 'push' });
    expect(inbox.at(-1)!.message.altText).toContain('您目前有 0 點');
  });

  it('shutdown drains events already acknowledged', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    await env.emulator.setFaults({ latencyMs: 300 });
    try {
      const sent = await env.emulator.text(u.userId, '說明');
      await env.events.drain();
      expect(await WebhookEvent.findOne({ webhookEventId: sent.webhookEventId }).lean()).toMatchObject({
        status: 'done',
      });
    } finally {
      await env.emulator.setFaults({ latencyMs: 0 });
    }
  });

  it('1,000 random and malformed bodies: never a 5xx, and the bot still answers', async () => {
    const users = await Promise.all([1, 2, 3].map(() => env.emulator.createUser()));
    for (const x of users) await env.emulator.follow(x.userId);
    const random = mulberry32(20240601);
    const statuses = new Map<number, number>();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const { events, rawBody, signature } = fuzzCase(
        random,
        users.map((x) => x.userId),
      );
      const r = await env.emulator.sendEvents(events, {
        ...(rawBody !== undefined ? { rawBody } : {}),
        ...(signature ? { signature } : {}),
      });
      statuses.set(r.webhookStatus, (statuses.get(r.webhookStatus) ?? 0) + 1);
      // Ids the emulator minted (junk ids make the bot store the event under a content hash instead).
      if (r.webhookStatus === 200) ids.push(...r.webhookEventIds.filter((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
    }
    expect([...statuses.keys()].every((s) => [200, 400, 401].includes(s))).toBe(true);
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(statuses.get(401)).toBeGreaterThan(10);
    expect((await request(env.url).get('/healthz')).status).toBe(200);
    const u = await consentedUser(env);
    expect((await u.say('說明')).texts[0]).toContain('・會員卡');
    // Whatever got stored was handled or ignored; no handler choked on it.
    for (const id of ids) await waitProcessed(id);
    expect(await WebhookEvent.countDocuments({ webhookEventId: { $in: ids }, status: 'failed' })).toBe(0);
  }, 120_000);
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One fuzz request: garbage text, JSON of the wrong shape, or events with odd types and values. */
function fuzzCase(
  random: () => number,
  userIds: string[],
): { events: Record<string, unknown>[]; rawBody?: string; signature?: string } {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const junk = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => 42,
      () => -1.5,
      () => '',
      () => '🙂'.repeat(3),
      () => [1, [2, [3]]],
      () => ({ $gt: '' }),
      () => ({ 'a.b': 1 }),
      () => 'x'.repeat(2000),
      () => true,
      () => JSON.parse('{"__proto__":{"polluted":1}}'),
      () => new Array(50).fill('y'),
    ])();
  const kind = random();
  if (kind < 0.3) {
    const raw = pick([
      '',
      '{',
      '[]',
      'null',
      '"events"',
      '{"events":{}}',
      '{"events":null}',
      '{"events":"x"}',
      '12',
      '{"events":[]',
      String.fromCharCode(...Array.from({ length: 20 }, () => 32 + Math.floor(random() * 90))),
    ]);
    return { events: [], rawBody: raw };
  }
  if (kind < 0.37) return { events: [{ type: 'message' }], signature: pick(['bad', '', 'AAAA', 'x'.repeat(44)]) };
  const types = [
    'message',
    'postback',
    'follow',
    'unfollow',
    'beacon',
    'unsend',
    'join',
    'memberJoined',
    'things',
    'zzz',
    42,
    null,
  ];
  const events = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
    type: pick(types),
    ...(random() < 0.9
      ? {
          source: pick<unknown>([
            { type: 'user', userId: pick(userIds) },
            { type: 'user', userId: junk() },
            { type: 'group', groupId: 'C1' },
            'user',
            null,
            junk(),
          ]),
        }
      : {}),
    ...(random() < 0.6
      ? {
          message: pick<unknown>([
            { type: 'text', text: pick(['點數', '略過', '同意', '推薦碼 ABCDEF', junk()]) },
            { type: junk() },
            junk(),
          ]),
        }
      : {}),
    ...(random() < 0.4
      ? {
          postback: pick<unknown>([
            { data: pick(['persona:gender:pick:female', 'persona:x', 'survey:zz:9', 'cmd:points', 'consent:accept']) },
            { data: junk(), params: junk() },
            junk(),
          ]),
        }
      : {}),
    ...(random() < 0.3 ? { timestamp: junk() } : {}),
    ...(random() < 0.2 ? { webhookEventId: junk() } : {}),
    ...(random() < 0.2 ? { replyToken: junk() } : {}),
    ...(random() < 0.2 ? { deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) } : {}),
  }));
  return { events };
}
