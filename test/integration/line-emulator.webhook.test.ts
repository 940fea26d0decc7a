import express from 'express';
import request from 'supertest';
import { type LineEmulator, createDevChatRouter } from '../../local/line-emulator';
import {
  type TestLineEmulator,
  type WebhookReceiver,
  startTestLineEmulator,
  startWebhookReceiver,
} from '../helpers/line-emulator';

describe('LINE emulator: webhook side and control API', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let bot: WebhookReceiver;

  beforeAll(async () => {
    bot = await startWebhookReceiver();
    t = await startTestLineEmulator({ webhookUrl: bot.url });
    emu = t.emu;
    // A tiny bot: echo text messages with a reply.
    bot.onEvent = async (e) => {
      if (e.type === 'message' && e.message.type === 'text') {
        await t.client.replyMessage({
          replyToken: e.replyToken,
          messages: [{ type: 'text', text: `收到：${e.message.text}` }],
        });
      }
    };
  });
  afterAll(async () => {
    await emu.close();
    await bot.close();
  });
  beforeEach(() => {
    bot.bodies.length = 0;
    bot.requests.length = 0;
  });

  async function newUser(displayName?: string): Promise<string> {
    const r = await t.control('POST', '/users', displayName ? { displayName } : {});
    expect(r.status).toBe(200);
    return r.body.userId;
  }

  it('creates users with LINE-shaped ids and zh-TW default names', async () => {
    const r = await t.control('POST', '/users', {});
    expect(r.body.userId).toMatch(/^U[0-9a-f]{32}$/);
    expect(r.body.displayName).toMatch(/^測試用戶 \d+$/);
    const list = (await t.control('GET', '/users')).body;
    expect(list.find((u: { userId: string }) => u.userId === r.body.userId)).toMatchObject({
      status: 'never',
      following: false,
    });
    expect((await t.control('GET', `/users/${r.body.userId}`)).status).toBe(200);
    expect((await t.control('POST', '/users', { userId: 'bad' })).status).toBe(400);
  });

  it('follow and unfollow send signed events and update status', async () => {
    const userId = await newUser('張大同');
    const f = await t.control('POST', `/users/${userId}/follow`);
    expect(f.body).toMatchObject({ webhookStatus: 200 });
    expect(f.body.webhookEventId).toMatch(/^[0-9A-Z]{26}$/);
    const body = bot.bodies[0];
    expect(body.destination).toBe(emu.botUserId);
    expect(body.events[0]).toMatchObject({
      type: 'follow',
      follow: { isUnblocked: false },
      mode: 'active',
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      webhookEventId: f.body.webhookEventId,
    });
    expect(body.events[0].replyToken).toEqual(expect.any(String));
    expect(typeof body.events[0].timestamp).toBe('number');
    await t.control('POST', `/users/${userId}/unfollow`);
    expect(bot.bodies[1].events[0]).not.toHaveProperty('replyToken');
    await t.control('POST', `/users/${userId}/follow`);
    expect(bot.bodies[2].events[0].follow).toEqual({ isUnblocked: true });
    expect(bot.requests.every((r) => r.signatureValid)).toBe(true);
  });

  it('text messages reach the bot, whose reply lands in the inbox (long-poll)', async () => {
    const userId = await newUser();
    await emu.follow(userId);
    const r = await t.control('POST', `/users/${userId}/text`, { text: '我要集點' });
    expect(r.body.webhookStatus).toBe(200);
    expect(bot.bodies.at(-1)!.events[0].message).toMatchObject({
      type: 'text',
      text: '我要集點',
      quoteToken: expect.any(String),
    });
    const msgs = await t.control('GET', `/users/${userId}/messages?min=1&timeoutMs=2000`);
    expect(msgs.body).toEqual([
      expect.objectContaining({ via: 'reply', message: { type: 'text', text: '收到：我要集點' } }),
    ]);
    const convo = (await t.control('GET', `/users/${userId}/conversation`)).body;
    expect(convo.map((e: { from: string }) => e.from)).toEqual(['user', 'bot']);
  });

  it('long-poll waits for messages pushed later, and times out with what exists', async () => {
    const userId = await newUser();
    await emu.follow(userId);
    const started = Date.now();
    const pending = t.control('GET', `/users/${userId}/messages?min=1&timeoutMs=5000`);
    setTimeout(() => void t.client.pushMessage({ to: userId, messages: [{ type: 'text', text: '稍後送達' }] }), 100);
    const r = await pending;
    expect(r.body).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(4000);
    const timedOut = await t.control('GET', `/users/${userId}/messages?min=5&timeoutMs=150`);
    expect(timedOut.body).toHaveLength(1);
    await t.control('DELETE', `/users/${userId}/messages`);
    expect((await t.control('GET', `/users/${userId}/messages`)).body).toEqual([]);
    expect((await t.control('GET', '/pushes')).body.at(-1)).toMatchObject({ api: 'push', to: [userId], status: 200 });
  });

  it('postback (with datetime params), sticker, image and location events', async () => {
    const userId = await newUser();
    await emu.follow(userId);
    await t.control('POST', `/users/${userId}/postback`, { data: 'action=birthday', params: { date: '1990-05-17' } });
    expect(bot.bodies.at(-1)!.events[0]).toMatchObject({
      type: 'postback',
      postback: { data: 'action=birthday', params: { date: '1990-05-17' } },
    });
    await t.control('POST', `/users/${userId}/sticker`, {});
    expect(bot.bodies.at(-1)!.events[0].message).toMatchObject({
      type: 'sticker',
      packageId: '446',
      stickerId: '1988',
    });
    await t.control('POST', `/users/${userId}/image`, {});
    expect(bot.bodies.at(-1)!.events[0].message).toMatchObject({ type: 'image', contentProvider: { type: 'line' } });
    await t.control('POST', `/users/${userId}/location`, { title: '門市', latitude: 25.03, longitude: 121.56 });
    expect(bot.bodies.at(-1)!.events[0].message).toMatchObject({ type: 'location', title: '門市', latitude: 25.03 });
  });

  it('redelivers the same event with isRedelivery and a fresh reply token', async () => {
    const userId = await newUser();
    const first = await t.control('POST', `/users/${userId}/follow`);
    const original = bot.bodies.at(-1)!.events[0];
    const r = await t.control('POST', `/events/${first.body.webhookEventId}/redeliver`);
    expect(r.body).toEqual({
      webhookEventId: first.body.webhookEventId,
      webhookStatus: 200,
      replyToken: expect.any(String),
    });
    const again = bot.bodies.at(-1)!.events[0];
    expect(again.webhookEventId).toBe(original.webhookEventId);
    expect(again.deliveryContext).toEqual({ isRedelivery: true });
    expect(again.replyToken).not.toBe(original.replyToken);
    expect((await t.control('POST', '/events/NOPE/redeliver')).status).toBe(404);
  });

  it('delivers arbitrary events, and can send a bad signature or a malformed body', async () => {
    const userId = await newUser();
    const r = await t.control('POST', '/events', {
      events: [{ type: 'unsend', source: { type: 'user', userId }, unsend: { messageId: '1' } }],
    });
    expect(r.body.webhookStatus).toBe(200);
    expect(bot.bodies.at(-1)!.events[0]).toMatchObject({
      type: 'unsend',
      webhookEventId: r.body.webhookEventIds[0],
      mode: 'active',
    });
    const bad = await t.control('POST', '/events', { events: [], signature: 'bad' });
    expect(bad.body.webhookStatus).toBe(401);
    const malformed = await t.control('POST', '/events', { events: [], rawBody: '{"events": [' });
    expect(malformed.body.webhookStatus).toBe(400);
    expect(bot.requests.at(-1)!.signatureValid).toBe(true);
  });

  it('reports webhookStatus 0 when the bot is unreachable', async () => {
    const userId = await newUser();
    emu.setWebhookUrl('http://127.0.0.1:9/unreachable');
    try {
      expect((await t.control('POST', `/users/${userId}/follow`)).body.webhookStatus).toBe(0);
    } finally {
      emu.setWebhookUrl(bot.url);
    }
  });

  it('has CORS on the control API for the allowed origin only, a health check, reset, and JSON 404s', async () => {
    emu.setAllowedOrigins(['http://localhost:3000']);
    const pre = await fetch(`${emu.baseURL}/_emulator/users`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await fetch(`${emu.baseURL}/_emulator/users`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4000' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await t.control('GET', '/health')).body).toMatchObject({ ok: true, botUserId: emu.botUserId });
    expect((await t.control('GET', '/nope')).status).toBe(404);
    await newUser();
    await t.control('POST', '/reset');
    expect((await t.control('GET', '/users')).body).toEqual([]);
  });

  it('serves the dev chat page with the emulator URL embedded', async () => {
    const app = express();
    app.use('/dev/chat', createDevChatRouter({ emulatorBaseURL: emu.baseURL }));
    const res = await request(app).get('/dev/chat/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('開啟會員卡');
    expect(res.text).toContain(JSON.stringify(emu.baseURL));
    expect(res.text).toContain('window.HuigoRender');
    expect(res.text).not.toContain('/*__APP_JS__*/');
  });
});
