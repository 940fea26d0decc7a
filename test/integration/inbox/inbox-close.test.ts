import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { retryKeyFor } from '../../../domain/messaging/retry-key';
import { Conversation } from '../../../models/conversation.model';
import { InboxMessage } from '../../../models/inbox-message.model';
import { Interaction } from '../../../models/interaction.model';
import { createApp } from '../../../server/app';
import { createConsoleUser } from '../../../domain/staff/user.service';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser, type ChatUser } from '../bot/chat-driver';

/**
 * #13.5 closing a conversation, through the emulator over real HTTP on two server instances: the customer gets
 * the marketer's goodbye text once, or nothing when the agent ends it quietly or it ends by time.
 */
let env: TestEnv;
let second: http.Server;
let secondUrl: string;
let staff: Agent;

const GOODBYE = '這次的對話先到這邊，之後有任何問題都可以再傳訊息給我們喔！';

beforeAll(async () => {
  env = await startTestEnv();
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
  await env.resetDb();
  env.deps.replies.invalidate();
  await env.emulator.setFaults({ rate500: 0 });
  staff = await signIn('staff', '客服 小美');
});

let seq = 0;
/** Signs a colleague in over HTTP: the session cookie and CSRF token work on either instance. */
async function signIn(role: 'staff' | 'marketer', displayName: string) {
  seq += 1;
  const username = `close-${role}-${seq}-${process.pid}`;
  const password = `pw-${role}-${seq}-long-enough`;
  await createConsoleUser({ username, displayName, role, password }, env.deps.clock());
  const res = await request(env.url).post('/api/console/auth/login').send({ username, password }).expect(200);
  const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  return { cookie, csrf: res.body.csrfToken as string };
}
type Agent = Awaited<ReturnType<typeof signIn>>;

function onInstance(base: string, who: Agent) {
  return {
    close: (id: string, body?: object) =>
      request(base)
        .post(`/api/console/inbox/${id}/close`)
        .set('Cookie', who.cookie)
        .set('X-CSRF-Token', who.csrf)
        .send(body ?? {}),
  };
}

async function handedOff(name = '王小明'): Promise<{ u: ChatUser; id: string }> {
  const u = await consentedUser(env, name);
  expect((await u.say('真人客服')).texts[0]).toContain('已經請客服同仁來協助您');
  const c = await Conversation.findOne({ lineUserId: u.userId, status: 'open' }).lean();
  return { u, id: String(c!._id) };
}

const deliveredTo = async (userId: string) =>
  (await env.emulator.pushes()).filter((p) => p.api === 'push' && p.delivered && p.to.includes(userId));

describe('#13.5 an agent closes the conversation', () => {
  it('the customer receives the goodbye exactly once, even when both instances close it at once', async () => {
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    const [a, b] = await Promise.all([onInstance(env.url, staff).close(id), onInstance(secondUrl, staff).close(id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await Conversation.findById(id).lean();
    expect(c).toMatchObject({ status: 'closed', closedHow: 'agent', closeNotice: 'sent' });

    const pushes = await deliveredTo(u.userId);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({
      api: 'push',
      messages: [{ type: 'text', text: GOODBYE }],
      // Derived from the conversation and its closedAt: any retry of this close carries the same key.
      retryKey: retryKeyFor(`inbox:close:${id}:${c!.closedAt!.toISOString()}`),
    });
    const inbox = await env.emulator.messages(u.userId);
    expect(inbox.filter((m) => m.message.text === GOODBYE)).toHaveLength(1);

    // Closing again sends nothing more; the transcript and the timeline hold it once.
    const again = await onInstance(env.url, staff).close(id);
    expect(again.body).toMatchObject({ status: 'closed', closeNotice: 'sent' });
    expect(await deliveredTo(u.userId)).toHaveLength(1);
    expect(await InboxMessage.countDocuments({ conversationId: c!._id, direction: 'out', text: GOODBYE })).toBe(1);
    expect(await Interaction.countDocuments({ memberId: c!.memberId, summary: `[客服結束對話] ${GOODBYE}` })).toBe(1);
    // The bot answers again.
    expect((await u.say('點數')).texts.at(-1)).toContain('您目前有');
  });

  it("sends the marketer's edited goodbye", async () => {
    const marketer = await loginAs(env, 'marketer');
    const text = '謝謝您的耐心！有問題隨時再找我們 😊';
    const saved = await marketer.agent
      .put('/api/console/replies/inbox.closedByAgent')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text, version: 0 })
      .expect(200);
    expect(saved.body.reply).toMatchObject({ isDefault: false, text });
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    await onInstance(env.url, staff).close(id, { notify: true });
    expect((await deliveredTo(u.userId)).map((p) => p.messages)).toEqual([[{ type: 'text', text }]]);
  });

  it('「結束但不通知客人」 ends it without a message, and the bot answers again', async () => {
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    const res = await onInstance(env.url, staff).close(id, { notify: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', closeNotice: 'none' });
    expect(await deliveredTo(u.userId)).toEqual([]);
    expect((await u.say('點數')).texts).toEqual([expect.stringContaining('您目前有')]);
  });

  it('an auto-close after the resume time sends nothing: the bot just answers the next message', async () => {
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    await Conversation.updateOne({ _id: id }, { $set: { resumeAt: new Date(Date.now() - 1000) } });
    expect((await u.say('點數')).texts).toEqual([expect.stringContaining('您目前有')]);
    expect(await Conversation.findById(id).lean()).toMatchObject({ status: 'closed', closedHow: 'auto' });
    expect(await deliveredTo(u.userId)).toEqual([]);
  });

  it('a goodbye LINE refused is retried by closing again, with the same retry key, and arrives once', async () => {
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    await env.emulator.setFaults({ rate500: 1 });
    const failed = await onInstance(env.url, staff).close(id).expect(200);
    expect(failed.body).toMatchObject({ status: 'closed', closeNotice: 'failed' });
    expect(await deliveredTo(u.userId)).toEqual([]);
    await env.emulator.setFaults({ rate500: 0 });
    const retried = await onInstance(secondUrl, staff).close(id).expect(200);
    expect(retried.body.closeNotice).toBe('sent');
    const all = (await env.emulator.pushes()).filter((p) => p.api === 'push' && p.to.includes(u.userId));
    expect(all.map((p) => p.status)).toEqual([500, 200]);
    expect(new Set(all.map((p) => p.retryKey)).size).toBe(1);
    expect((await env.emulator.messages(u.userId)).filter((m) => m.message.text === GOODBYE)).toHaveLength(1);
  });

  it('refuses a close request that is not understood, in zh-TW, and the conversation stays open', async () => {
    const { u, id } = await handedOff();
    await env.emulator.clearPushes();
    const bad = await onInstance(env.url, staff).close(id, { notify: '要' }).expect(400);
    expect(bad.body.error.details.fields).toContainEqual({ path: 'notify', message: '請選擇是否通知客人' });
    expect(await Conversation.findById(id).lean()).toMatchObject({ status: 'open' });
    expect(await deliveredTo(u.userId)).toEqual([]);
    const unknown = await onInstance(env.url, staff).close('000000000000000000000000').expect(404);
    expect(unknown.body.error.message).toBe('找不到這則對話。');
  });
});
