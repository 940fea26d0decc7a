import { AuditLog } from '../../../models/audit-log.model';
import { TestRecipient } from '../../../models/test-recipient.model';
import { textsOf } from '../../helpers/emulator-client';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { ChatUser } from '../bot/chat-driver';

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z');
let marketer: ConsoleLogin;
let admin: ConsoleLogin;
let campaignId: string;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  [marketer, admin] = [await loginAs(env, 'marketer', { displayName: '行銷小美' }), await loginAs(env, 'admin')];
  const draft = await post(marketer, '/campaigns', {
    name: '草稿',
    audience: { type: 'all' },
    messages: [{ type: 'text', text: '預覽內容' }],
    schedule: { type: 'once', at: '2025-06-03T14:00:00+08:00' },
    draft: true,
  }).expect(201);
  campaignId = draft.body.campaign.id;
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
const testSend = (s: ConsoleLogin, body: unknown = {}) => post(s, `/campaigns/${campaignId}/test-send`, body);
const inboxTexts = async (userId: string) => textsOf(await env.emulator.messages(userId, 0, 0));

async function follower(name: string): Promise<ChatUser> {
  const u = await ChatUser.create(env, name);
  await u.follow();
  return u;
}

describe('#12.8 test sends go only to listed test recipients', () => {
  it('never to an arbitrary member, and a console user can no longer just type a LINE userId', async () => {
    const member = await follower('路人會員');
    const before = (await inboxTexts(member.userId)).length;
    const refused = await testSend(marketer, { lineUserId: member.userId }).expect(400);
    expect(refused.body.error).toMatchObject({
      code: 'not_test_recipient',
      message: expect.stringContaining('不在測試名單中'),
    });
    expect((await testSend(marketer).expect(400)).body.error.code).toBe('no_test_recipient');
    await marketer.agent
      .patch('/api/console/auth/me')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ lineUserId: member.userId })
      .expect(400);
    expect((await inboxTexts(member.userId)).length).toBe(before);
    expect(await AuditLog.countDocuments({ action: 'campaign.test_send' })).toBe(0);
  });

  it('a console user links their own LINE with a one-time code typed in the chat, then tests go there', async () => {
    const mine = await follower('小美的手機');
    const link = await post(marketer, '/auth/line-link').expect(200);
    expect(link.body.message).toMatch(/^連結 [2-9A-HJ-NP-Z]{8}$/);

    const stranger = await follower('別人');
    now = new Date(now.getTime() + 60_000);
    const code: string = link.body.code;
    const wrong = await stranger.say(`連結 ${code.slice(0, 7)}${code.endsWith('Z') ? 'Y' : 'Z'}`);
    expect(wrong.texts[0]).toBe('這組連結碼無效或已過期，請回主控台「我的帳號」重新產生。');
    const linked = await mine.say(link.body.message);
    expect(linked.texts[0]).toBe('已將這個 LINE 帳號連結到主控台帳號「行銷小美」，之後活動的測試訊息會送到這裡。');
    // The code works once.
    expect((await stranger.say(link.body.message)).texts[0]).toContain('無效或已過期');

    const recipients = await marketer.agent.get('/api/console/campaigns/test-recipients').expect(200);
    expect(recipients.body.recipients).toEqual([{ lineUserId: mine.userId, label: '行銷小美 的 LINE', mine: true }]);
    const sent = await testSend(marketer).expect(200);
    expect(sent.body).toMatchObject({ lineUserId: mine.userId, label: '行銷小美 的 LINE' });
    expect(textsOf(await env.emulator.messages(mine.userId, 4)).slice(-2)).toEqual([
      '【測試訊息】以下是活動預覽：',
      '預覽內容',
    ]);
    expect((await inboxTexts(stranger.userId)).filter((t) => t.includes('預覽內容'))).toEqual([]);
  });

  it('an expired code links nothing', async () => {
    const late = await follower('晚到的手機');
    const link = await post(admin, '/auth/line-link').expect(200);
    now = new Date(now.getTime() + 11 * 60_000);
    expect((await late.say(link.body.message)).texts[0]).toContain('無效或已過期');
    expect(await TestRecipient.countDocuments({ lineUserId: late.userId })).toBe(0);
  });

  it('an admin adds a follower by LINE userId in settings; non-followers and bad input are refused, nothing stored', async () => {
    const shopPhone = await follower('門市公務機');
    await post(marketer, '/settings/test-recipients', { lineUserId: shopPhone.userId, label: '門市公務機' }).expect(
      403,
    );
    const stranger = `U${'ab'.repeat(16)}`;
    const notFollower = await post(admin, '/settings/test-recipients', {
      lineUserId: stranger,
      label: '陌生人',
    }).expect(400);
    expect(notFollower.body.error).toMatchObject({
      code: 'not_a_follower',
      message: '這個 LINE userId 不是官方帳號的好友，無法設為測試對象。',
    });
    const bad = await post(admin, '/settings/test-recipients', { lineUserId: 'abc', label: '' }).expect(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['label', 'lineUserId']);
    expect(await TestRecipient.countDocuments({ lineUserId: { $in: [stranger, 'abc'] } })).toBe(0);

    const added = await post(admin, '/settings/test-recipients', {
      lineUserId: shopPhone.userId,
      label: '門市公務機',
    }).expect(201);
    expect(
      (await post(admin, '/settings/test-recipients', { lineUserId: shopPhone.userId, label: '再一次' }).expect(409))
        .body.error.code,
    ).toBe('test_recipient_exists');
    await testSend(marketer, { lineUserId: shopPhone.userId }).expect(200);
    expect(textsOf(await env.emulator.messages(shopPhone.userId, 3))).toContain('預覽內容');

    await admin.agent
      .delete(`/api/console/settings/test-recipients/${added.body.recipient.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .expect(200);
    expect((await testSend(marketer, { lineUserId: shopPhone.userId }).expect(400)).body.error.code).toBe(
      'not_test_recipient',
    );
    expect(
      await AuditLog.countDocuments({
        action: { $in: ['settings.test_recipient.add', 'settings.test_recipient.remove'] },
      }),
    ).toBe(2);
  });

  it('unlinking my LINE takes it off the list', async () => {
    await marketer.agent.delete('/api/console/auth/line-link').set('X-CSRF-Token', marketer.csrf).expect(200);
    const recipients = await marketer.agent.get('/api/console/campaigns/test-recipients').expect(200);
    expect(recipients.body.recipients.filter((r: { mine: boolean }) => r.mine)).toEqual([]);
    expect((await testSend(marketer).expect(400)).body.error.code).toBe('no_test_recipient');
  });
});
