import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../../server/app';
import { Conversation } from '../../../models/conversation.model';
import { InboxMessage } from '../../../models/inbox-message.model';
import { Interaction } from '../../../models/interaction.model';
import { Settings } from '../../../models/settings.model';
import { createConsoleUser } from '../../../domain/staff/user.service';
import { MessengerError } from '../../../domain/messaging/messenger';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser } from '../bot/chat-driver';
import { loginAs } from '../../factories/console.factory';
import { SseReader, type SseEvent } from './sse-reader';

let env: TestEnv;
let second: http.Server;
let secondUrl: string;
beforeAll(async () => {
  env = await startTestEnv();
  // A second server instance on the same database: its own app, its own inbox feed reader (nothing in memory shared).
  second = http.createServer(createApp(env.deps));
  await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
  secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
});
afterAll(async () => {
  second.closeAllConnections();
  await new Promise((r) => second.close(r));
  await env.close();
});
beforeEach(async () => {
  await Settings.deleteMany({ key: 'program' });
});

let seq = 0;
/** Signs in over HTTP and returns the session cookie and CSRF token (usable on either instance). */
async function signIn(role: 'staff' | 'marketer' | 'admin', displayName = `${role} 同事`) {
  seq += 1;
  const username = `inbox-${role}-${seq}-${process.pid}`;
  const password = `pw-${role}-${seq}-long-enough`;
  const { user } = await createConsoleUser({ username, displayName, role, password }, env.deps.clock());
  const res = await fetch(`${env.url}/api/console/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = (base: string) => ({
    get: (path: string) => request(base).get(`/api/console/inbox${path}`).set('Cookie', cookie),
    post: (path: string, body: object = {}) =>
      request(base).post(`/api/console/inbox${path}`).set('Cookie', cookie).set('X-CSRF-Token', csrfToken).send(body),
  });
  return { cookie, csrfToken, userId: user.id, a: call(env.url), b: call(secondUrl) };
}

async function setInbox(inbox: Record<string, unknown>) {
  const admin = await loginAs(env, 'admin');
  await admin.agent.put('/api/console/settings/program').set('X-CSRF-Token', admin.csrf).send({ inbox }).expect(200);
}

describe('#13.5 inbox handoff: 真人客服 opens a conversation, the bot pauses, an agent answers, closing resumes', () => {
  it('works end to end over HTTP, and the second instance sees the conversation live on its stream', async () => {
    const staff = await signIn('staff', '小美');
    const streamB = await SseReader.open(`${secondUrl}/api/console/inbox/stream`, { cookie: staff.cookie });
    expect(streamB.status).toBe(200);

    const u = await consentedUser(env, '王小明');
    const asked = await u.say('我要找真人客服');
    expect(asked.texts).toEqual([expect.stringContaining('已經請客服同仁來協助您')]);

    // Opened through instance A (the webhook), seen on instance B's stream.
    const opened = await streamB.waitFor((e) => e.data.type === 'opened');
    const conversationId = opened.data.conversation.id;
    expect(opened.data.conversation).toMatchObject({ displayName: '王小明', status: 'open', reason: 'asked' });
    expect(Number(opened.id)).toBe(opened.data.seq);

    // The bot is paused: a question and a keyword get no automatic answer; both go into the conversation.
    expect((await u.say('我上週的訂單還沒收到')).texts).toEqual([]);
    expect((await u.say('點數')).texts).toEqual([]);
    await streamB.waitFor((e) => e.data.type === 'message' && e.data.conversation.unread === 3);
    // The webhook still records the messages on the member's timeline.
    const member = await u.member();
    expect(await Interaction.countDocuments({ memberId: member!._id, type: 'message_in', summary: '點數' })).toBe(1);

    const list = await staff.a.get('/').expect(200);
    expect(list.body.counts).toEqual({ open: 1, waiting: 1, unread: 1 });
    expect(list.body.items[0]).toMatchObject({ id: conversationId, waiting: true, unread: 3, lastPreview: '點數' });

    const view = await staff.b.get(`/${conversationId}`).expect(200);
    expect(view.body.messages.map((m: any) => m.text)).toEqual(['我要找真人客服', '我上週的訂單還沒收到', '點數']);
    expect(view.body.member).toMatchObject({ displayName: '王小明', points: { balance: expect.any(Number) } });
    expect(view.body.member.tier).toBeDefined();
    expect(Array.isArray(view.body.purchases)).toBe(true);
    expect(view.body.timeline.length).toBeGreaterThan(0);

    // Opening it marks the customer's messages read, in LINE too (the newest message's markAsReadToken).
    await staff.b.post(`/${conversationId}/read`).expect(200);
    const reads = await env.emulator.call<any[]>('GET', '/_emulator/reads');
    expect(reads).toEqual([expect.objectContaining({ userId: u.userId })]);
    const chat = await env.emulator.call<any[]>('GET', `/_emulator/users/${u.userId}/conversation`);
    expect(chat.filter((e) => e.from === 'user').every((e) => e.read === true)).toBe(true);
    await streamB.waitFor((e) => e.data.type === 'read' && e.data.conversation.unread === 0);

    // The agent's reply is a push (with a retry key), lands in the emulator inbox and on the timeline.
    await env.emulator.clearPushes();
    const body = { text: '王先生您好，我幫您查一下訂單，請稍等 🙏', clientKey: 'reply-0001-abcd' };
    const sent = await staff.a.post(`/${conversationId}/replies`, body).expect(201);
    expect(sent.body).toMatchObject({ sent: true, conversation: { waiting: false, lastMessageFrom: 'agent' } });
    const again = await staff.b.post(`/${conversationId}/replies`, body).expect(200);
    expect(again.body.sent).toBe(false);
    const pushes = await env.emulator.pushes();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({
      api: 'push',
      to: [u.userId],
      retryKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const inbox = await env.emulator.messages(u.userId);
    expect(inbox.at(-1)).toMatchObject({ via: 'push', message: { type: 'text', text: body.text } });
    expect(
      await Interaction.countDocuments({
        memberId: member!._id,
        type: 'push',
        channel: 'console',
        summary: /我幫您查一下/,
      }),
    ).toBe(1);
    await streamB.waitFor((e) => e.data.type === 'reply');

    // Closing resumes the bot.
    await staff.b.post(`/${conversationId}/close`).expect(200);
    await streamB.waitFor((e) => e.data.type === 'closed' && e.data.conversation.status === 'closed');
    // (The answer's first entry is the agent's push this driver had not read yet.)
    expect((await u.say('點數')).texts.at(-1)).toContain('您目前有');
    expect(await Conversation.countDocuments({ memberId: member!._id, status: 'open' })).toBe(0);
    await streamB.close();
  });

  it('an image opens a conversation; the triggering photo is in it', async () => {
    const u = await consentedUser(env);
    const a = await u.image();
    expect(a.texts).toEqual([expect.stringContaining('謝謝您傳來的照片！已經轉給客服同仁')]);
    const c = await Conversation.findOne({ lineUserId: u.userId }).lean();
    expect(c).toMatchObject({ status: 'open', reason: 'image', lastPreview: '[照片]' });
    expect(await InboxMessage.countDocuments({ conversationId: c!._id, kind: 'image' })).toBe(1);
  });

  it('an open conversation with no message for the configured hours resumes the bot by itself', async () => {
    await setInbox({ autoResumeHours: 2 });
    const u = await consentedUser(env);
    await u.say('客服');
    const c = await Conversation.findOne({ lineUserId: u.userId }).lean();
    expect(c!.resumeAt.getTime() - c!.lastMessageAt.getTime()).toBe(2 * 3_600_000);
    await Conversation.updateOne({ _id: c!._id }, { $set: { resumeAt: new Date(Date.now() - 1000) } });
    expect((await u.say('點數')).texts[0]).toContain('您目前有');
    expect(await Conversation.findById(c!._id).lean()).toMatchObject({ status: 'closed', closedHow: 'auto' });
  });
});

describe('#13.5 two server instances, one live stream each', () => {
  it('#13.5 two live streams: a customer message (A), an agent reply (B) and a close (A) reach both streams', async () => {
    const staff = await signIn('staff', '阿珍');
    // One console on each instance, each with its own stream (each instance's own feed reader polls the database).
    const streamA = await SseReader.open(`${env.url}/api/console/inbox/stream`, { cookie: staff.cookie });
    const streamB = await SseReader.open(`${secondUrl}/api/console/inbox/stream`, { cookie: staff.cookie });
    expect([streamA.status, streamB.status]).toEqual([200, 200]);
    const both = async (pred: (e: SseEvent) => boolean) => Promise.all([streamA.waitFor(pred), streamB.waitFor(pred)]);

    const u = await consentedUser(env, '周美玲');
    await u.say('真人客服');
    const [openedA, openedB] = await both(
      (e) => e.data.type === 'opened' && e.data.conversation.displayName === '周美玲',
    );
    const id = openedA.data.conversation.id;
    expect(openedB.data.conversation.id).toBe(id);
    // The same change carries the same feed position on both instances.
    expect(openedB.id).toBe(openedA.id);

    // A customer message, processed by instance A's webhook.
    await u.say('我想改收件地址');
    const isMine = (type: string) => (e: SseEvent) => e.data.type === type && e.data.conversation?.id === id;
    const [msgA, msgB] = await both(
      (e) => isMine('message')(e) && e.data.conversation.lastPreview === '我想改收件地址',
    );
    expect(msgA.data.conversation).toMatchObject({ waiting: true, lastMessageFrom: 'customer' });
    expect(msgB.id).toBe(msgA.id);

    // An agent's reply, sent through instance B.
    const reply = { text: '好的，請給我新的地址，我幫您更改 🙏', clientKey: 'two-streams-reply-01' };
    await staff.b.post(`/${id}/replies`, reply).expect(201);
    const [replyA, replyB] = await both(isMine('reply'));
    expect(replyA.data.conversation).toMatchObject({ waiting: false, lastMessageFrom: 'agent' });
    expect(replyB.data.conversation).toMatchObject({ waiting: false, lastMessageFrom: 'agent' });
    expect((await env.emulator.messages(u.userId)).at(-1)?.message.text).toBe(reply.text);

    // A close, through instance A.
    await staff.a.post(`/${id}/close`, { notify: false }).expect(200);
    const [closedA, closedB] = await both((e) => isMine('closed')(e) && e.data.conversation.status === 'closed');
    expect(closedB.id).toBe(closedA.id);
    expect(closedA.data.conversation).toMatchObject({ closeNotice: 'none' });
    await Promise.all([streamA.close(), streamB.close()]);
  });
});

describe('#13.5 inbox opening hours', () => {
  it('outside opening hours the customer is told the next opening time, and the bot keeps answering', async () => {
    // Open only tomorrow (Asia/Taipei), 10:00–12:00.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const weekday = Number(
      new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Taipei', weekday: 'short' })
        .formatToParts(tomorrow)
        .map((p) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.value))
        .find((i) => i >= 0),
    );
    const hours: Array<{ open: string; close: string } | null> = [null, null, null, null, null, null, null];
    hours[weekday] = { open: '10:00', close: '12:00' };
    await setInbox({ openingHours: hours });
    const u = await consentedUser(env);
    const a = await u.say('真人客服');
    const day = ['日', '一', '二', '三', '四', '五', '六'][weekday];
    expect(a.texts).toEqual([expect.stringContaining(`同仁會在 明天（週${day}）10:00 上線`)]);
    expect(await Conversation.countDocuments({ lineUserId: u.userId })).toBe(0);
    expect((await u.say('點數')).texts[0]).toContain('您目前有');
  });

  it('refuses opening hours that end before they start, with a zh-TW field error, and stores nothing', async () => {
    const admin = await loginAs(env, 'admin');
    const hours = Array(7).fill({ open: '18:00', close: '09:00' });
    const res = await admin.agent
      .put('/api/console/settings/program')
      .set('X-CSRF-Token', admin.csrf)
      .send({ inbox: { openingHours: hours } })
      .expect(400);
    expect(res.body.error.details.fields).toContainEqual({
      path: 'inbox.openingHours.0.close',
      message: '結束時間必須晚於開始時間',
    });
    expect(await Settings.countDocuments({ key: 'program' })).toBe(0);
  });
});

describe('#13.5 inbox access', () => {
  it('staff, marketers and admins use the inbox; an unauthenticated stream or list is refused', async () => {
    for (const role of ['staff', 'marketer', 'admin'] as const) {
      const who = await signIn(role);
      await who.a.get('/').expect(200);
      const s = await SseReader.open(`${env.url}/api/console/inbox/stream`, { cookie: who.cookie });
      expect(s.status).toBe(200);
      await s.close();
    }
    const anon = await SseReader.open(`${env.url}/api/console/inbox/stream`);
    expect(anon.status).toBe(401);
    await request(env.url).get('/api/console/inbox').expect(401);
  });

  it('the stream resumes after Last-Event-ID: events missed while away arrive on reconnect', async () => {
    const staff = await signIn('staff');
    const before = (await staff.a.get('/').expect(200)).body.seq as number;
    const u = await consentedUser(env, '陳怡君');
    await u.say('找人');
    const s = await SseReader.open(`${secondUrl}/api/console/inbox/stream`, {
      cookie: staff.cookie,
      'Last-Event-ID': String(before),
    });
    const e = await s.waitFor((x) => x.data.type === 'opened');
    expect(e.data.conversation.displayName).toBe('陳怡君');
    await s.close();
  });
});

describe('#13.5 inbox replies and canned replies refuse bad input', () => {
  it('an empty or too long reply is refused in zh-TW; nothing is pushed or stored', async () => {
    const staff = await signIn('marketer');
    const u = await consentedUser(env);
    await u.say('真人');
    const c = await Conversation.findOne({ lineUserId: u.userId }).lean();
    await env.emulator.clearPushes();
    const empty = await staff.a.post(`/${c!._id}/replies`, { text: '   ', clientKey: 'k-empty-0001' }).expect(400);
    expect(empty.body.error.details.fields).toContainEqual({ path: 'text', message: '請輸入要回覆的內容' });
    const long = await staff.a.post(`/${c!._id}/replies`, { text: '長'.repeat(5001), clientKey: 'k-long-0001' });
    expect(long.status).toBe(400);
    await staff.a.post(`/${c!._id}/replies`, { text: '好', clientKey: 'bad key!' }).expect(400);
    expect(await env.emulator.pushes()).toHaveLength(0);
    expect(await InboxMessage.countDocuments({ conversationId: c!._id, direction: 'out' })).toBe(0);

    await staff.a.post(`/${c!._id}/close`).expect(200);
    const closed = await staff.a.post(`/${c!._id}/replies`, { text: '您好', clientKey: 'k-closed-0001' }).expect(409);
    expect(closed.body.error.message).toBe('這則對話已經結束，無法再回覆。');
  });

  it('canned replies: create, list, update, delete; a blank title is refused', async () => {
    const staff = await signIn('staff');
    const bad = await staff.a.post('/canned', { title: '', text: '營業時間是每天 11:00–21:00' }).expect(400);
    expect(bad.body.error.details.fields).toContainEqual({ path: 'title', message: '請輸入標題' });
    const created = await staff.a.post('/canned', { title: '營業時間', text: '每天 11:00–21:00 營業喔！' }).expect(201);
    await request(env.url)
      .put(`/api/console/inbox/canned/${created.body.id}`)
      .set('Cookie', staff.cookie)
      .set('X-CSRF-Token', staff.csrfToken)
      .send({ title: '營業時間', text: '每天 10:00–21:00 營業喔！' })
      .expect(200);
    const list = await staff.a.get('/canned').expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ title: '營業時間', text: '每天 10:00–21:00 營業喔！' }),
    ]);
    await request(env.url)
      .delete(`/api/console/inbox/canned/${created.body.id}`)
      .set('Cookie', staff.cookie)
      .set('X-CSRF-Token', staff.csrfToken)
      .expect(204);
    expect((await staff.a.get('/canned').expect(200)).body.items).toEqual([]);
  });

  it('assigns a conversation to a colleague; an unknown colleague is refused', async () => {
    const staff = await signIn('staff');
    const colleague = await signIn('marketer', '阿哲');
    const u = await consentedUser(env);
    await u.say('客服');
    const c = await Conversation.findOne({ lineUserId: u.userId }).lean();
    const r = await staff.a.post(`/${c!._id}/assign`, { assigneeId: colleague.userId }).expect(200);
    expect(r.body).toMatchObject({ assigneeId: colleague.userId, assigneeName: '阿哲' });
    const bad = await staff.a.post(`/${c!._id}/assign`, { assigneeId: '64b7f0c2a1b2c3d4e5f60718' }).expect(400);
    expect(bad.body.error.details.fields[0].path).toBe('assigneeId');
    const quota = await staff.a.get('/quota').expect(200);
    expect(quota.body).toEqual({ limit: expect.any(Number), used: expect.any(Number), remaining: expect.any(Number) });
  });
});

describe('#13.5 loading animation and mark-as-read in the emulator', () => {
  it('a quick answer needs no loading animation: no LINE call is made for it', async () => {
    expect(env.deps.config.chat.loadingAfterMs).toBe(1000);
    const u = await ChatUser.create(env);
    await u.follow();
    const answer = await u.say('說明');
    expect(answer.messages.length).toBeGreaterThan(0);
    const log = await env.emulator.call<any[]>('GET', '/_emulator/loading');
    expect(log.filter((l) => l.chatId === u.userId)).toEqual([]);
  });

  it('the bot shows the loading animation for a message; the dev chat state shows it until the answer', async () => {
    // LOADING_ANIMATION_AFTER_MS=0: at once, for every message (the answer here is too quick for the default).
    const config = env.deps.config.chat;
    const before = config.loadingAfterMs;
    config.loadingAfterMs = 0;
    const u = await ChatUser.create(env);
    await u.follow();
    try {
      await u.say('說明');
    } finally {
      config.loadingAfterMs = before;
    }
    const log = await env.emulator.call<any[]>('GET', '/_emulator/loading');
    expect(log).toContainEqual(expect.objectContaining({ chatId: u.userId, loadingSeconds: 5 }));
    // The bot's answer ended it.
    expect(await env.emulator.call('GET', `/_emulator/users/${u.userId}/chat-state`)).toEqual({
      loading: false,
      loadingUntil: null,
    });
    await env.deps.messenger.showLoading(u.userId, 30);
    const state = await env.emulator.call<any>('GET', `/_emulator/users/${u.userId}/chat-state`);
    expect(state.loading).toBe(true);
  });

  it('refuses loadingSeconds that is not 5–60 in steps of 5, and chats that are not a user', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const post = (body: unknown) =>
      fetch(`${env.emulator.baseURL}/v2/bot/chat/loading/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${env.config.line.channelAccessToken}` },
        body: JSON.stringify(body),
      });
    for (const loadingSeconds of [0, 7, 65, '5', 2.5]) {
      const res = await post({ chatId: u.userId, loadingSeconds });
      expect(res.status).toBe(400);
      expect((await res.json()).details).toEqual([expect.objectContaining({ property: 'loadingSeconds' })]);
    }
    expect((await post({ chatId: 'C0123456789abcdef0123456789abcdef' })).status).toBe(400);
    expect((await post({ chatId: u.userId })).status).toBe(202);
    await expect(env.deps.messenger.showLoading(u.userId, 7 as never)).rejects.toMatchObject({ status: 400 });
    await expect(env.deps.messenger.showLoading(u.userId, 7 as never)).rejects.toBeInstanceOf(MessengerError);
  });

  it('mark-as-read refuses a missing or unknown token (a real one is marked in the handoff test above)', async () => {
    await expect(env.deps.messenger.markAsRead('not-a-token')).rejects.toMatchObject({ status: 400 });
    const res = await fetch(`${env.emulator.baseURL}/v2/bot/chat/markAsRead`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.config.line.channelAccessToken}` },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).details).toEqual([{ message: 'May not be empty', property: 'markAsReadToken' }]);
  });
});
