import { AuditLog } from '../../../models/audit-log.model';
import { Coupon } from '../../../models/coupon.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { issueCoupon } from '../../../domain/coupons';
import { runJobOnce } from '../../../jobs/runner';
import { textsOf } from '../../helpers/emulator-client';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';
import { ChatUser } from '../bot/chat-driver';

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z'); // 13:50 in Taipei, outside quiet hours
let staff: ConsoleLogin;
let marketer: ConsoleLogin;
let admin: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  [staff, marketer, admin] = [await loginAs(env, 'staff'), await loginAs(env, 'marketer'), await loginAs(env, 'admin')];
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
const put = (s: ConsoleLogin, path: string, body: unknown) =>
  s.agent
    .put(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

describe('counter (staff)', () => {
  it('looks up a member by code or phone, redeems a coupon once, and records a purchase idempotently', async () => {
    const { member } = await createLineMember(env, { name: '陳小華', phone: '0912000111' });
    const template = await createTemplate({ title: '滿千折百' });
    const { coupon } = await issueCoupon({
      templateId: template.id,
      memberId: member._id,
      key: 'counter-test',
      now,
      timeZone: 'Asia/Taipei',
    });

    const byCode = await staff.agent.get('/api/console/counter/lookup').query({ code: member.memberCode }).expect(200);
    expect(byCode.body).toMatchObject({
      kind: 'member',
      member: { id: String(member._id), name: '陳小華', phoneMasked: '0912***111', tier: { code: 'basic' } },
    });
    expect(byCode.body.member.activeCoupons.map((c: { code: string }) => c.code)).toEqual([coupon.code]);
    expect(JSON.stringify(byCode.body)).not.toContain('0912000111');
    const byPhone = await staff.agent.get('/api/console/counter/lookup').query({ code: '0912-000-111' }).expect(200);
    expect(byPhone.body.member.id).toBe(String(member._id));
    const byCoupon = await staff.agent
      .get('/api/console/counter/lookup')
      .query({ code: coupon.displayCode.toLowerCase() })
      .expect(200);
    expect(byCoupon.body).toMatchObject({
      kind: 'coupon',
      coupon: { code: coupon.code, state: 'active' },
      member: { id: String(member._id) },
    });
    await staff.agent.get('/api/console/counter/lookup').query({ code: 'NOPE-0000' }).expect(404);

    const redeemed = await post(staff, '/counter/redeem', { code: coupon.code }).expect(200);
    expect(redeemed.body.coupon.state).toBe('used');
    const again = await post(staff, '/counter/redeem', { code: coupon.code }).expect(409);
    expect(again.body.error.code).toBe('coupon_used');
    expect(await Coupon.countDocuments({ _id: coupon.id, status: 'used', redeemedBy: staff.userId })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'coupon.redeem', actorId: staff.userId, targetId: coupon.id })).toBe(
      1,
    );

    const first = await post(staff, '/counter/purchases', {
      memberId: String(member._id),
      amount: 1200,
      key: 'purchase-key-1',
    }).expect(201);
    expect(first.body).toMatchObject({ amount: 1200, pointsEarned: 12, replayed: false });
    const replay = await post(staff, '/counter/purchases', {
      memberId: String(member._id),
      amount: 1200,
      key: 'purchase-key-1',
    }).expect(200);
    expect(replay.body.replayed).toBe(true);
    expect((await Member.findById(member._id).lean())!.pointsBalance).toBe(12);
  });

  it('adjusts points only with a reason; bad input stores nothing', async () => {
    const m = await buildMember();
    const bad = await post(staff, '/counter/points', {
      memberId: m.id,
      delta: 50,
      reason: '',
      key: 'adjust-key-1',
    }).expect(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path)).toContain('reason');
    await post(staff, '/counter/points', { memberId: m.id, delta: 0, reason: '補點', key: 'adjust-key-2' }).expect(400);
    expect(await PointsEntry.countDocuments({ memberId: m._id })).toBe(0);
    const ok = await post(staff, '/counter/points', {
      memberId: m.id,
      delta: 50,
      reason: '生日補發',
      key: 'adjust-key-3',
    }).expect(200);
    expect(ok.body.balance).toBe(50);
    await post(staff, '/counter/points', { memberId: m.id, delta: 50, reason: '生日補發', key: 'adjust-key-3' }).expect(
      200,
    );
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(50);
    expect(await AuditLog.countDocuments({ action: 'member.points.adjust', targetId: m.id })).toBe(2);
  });
});

describe('segments and campaigns (marketer)', () => {
  it('counts a rule live, saves it, schedules a campaign to it, and the dispatch job delivers it', async () => {
    const coffee = await createLineMember(env, { tags: [{ tag: '咖啡', source: 'persona', addedAt: now }] });
    await createLineMember(env, { tags: [{ tag: '茶', source: 'persona', addedAt: now }] });
    await createLineMember(env, {
      tags: [{ tag: '咖啡', source: 'persona', addedAt: now }],
      consent: { status: 'declined', marketing: false },
    });
    const rule = { op: 'and', conditions: [{ field: 'tags', op: 'hasAny', values: ['咖啡'] }] };

    const counted = await post(marketer, '/segments/count', { rule }).expect(200);
    expect(counted.body).toEqual({ count: 1, ruleText: expect.stringContaining('咖啡') });
    const invalid = await post(marketer, '/segments/count', {
      rule: { op: 'and', conditions: [{ field: '$where', op: 'in', values: [] }] },
    }).expect(400);
    expect(invalid.body.error.code).toBe('validation_failed');

    const segment = await post(marketer, '/segments', { name: '咖啡愛好者', rule }).expect(201);
    const campaignInput = {
      name: '咖啡週',
      audience: { type: 'segment', segmentId: segment.body.segment.id },
      messages: [{ type: 'text', text: '本週咖啡買一送一！' }],
      schedule: { type: 'once', at: '2025-06-02T14:00:00+08:00' },
    };
    const estimate = await post(marketer, '/campaigns/estimate', campaignInput).expect(200);
    expect(estimate.body).toMatchObject({ audience: 1, wouldExceed: false });
    const created = await post(marketer, '/campaigns', campaignInput).expect(201);
    expect(created.body.campaign.status).toBe('scheduled');

    now = new Date('2025-06-02T06:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);
    const inbox = await env.emulator.messages(coffee.userId, 1);
    expect(textsOf(inbox)).toContain('本週咖啡買一送一！');
    const stats = await marketer.agent.get(`/api/console/campaigns/${created.body.campaign.id}/stats`).expect(200);
    expect(stats.body.stats).toMatchObject({ audience: 1, sent: 1, failed: 0 });
    expect(await AuditLog.countDocuments({ action: 'campaign.schedule', actorId: marketer.userId })).toBe(1);
    // Live counts and estimates only read: no audit noise (and no write went without its own named entry).
    expect(await AuditLog.countDocuments({ action: { $regex: '^http\\.' } })).toBe(0);
  });

  it('test-sends a campaign to my own LINE user, linked by a code typed in the chat', async () => {
    const me = await ChatUser.create(env, '行銷小美');
    await me.follow();
    const link = await post(marketer, '/auth/line-link').expect(200);
    expect((await me.say(link.body.message)).texts[0]).toContain('已將這個 LINE 帳號連結到主控台帳號');
    const draft = await post(marketer, '/campaigns', {
      name: '草稿',
      audience: { type: 'all' },
      messages: [{ type: 'text', text: '預覽內容' }],
      schedule: { type: 'once', at: '2025-06-03T14:00:00+08:00' },
      draft: true,
    }).expect(201);
    const recipients = await marketer.agent.get('/api/console/campaigns/test-recipients').expect(200);
    expect(recipients.body.recipients[0]).toMatchObject({ lineUserId: me.userId, mine: true });
    await env.emulator.clearMessages(me.userId);
    await post(marketer, `/campaigns/${draft.body.campaign.id}/test-send`).expect(200);
    expect(textsOf(await env.emulator.messages(me.userId, 2))).toEqual(['【測試訊息】以下是活動預覽：', '預覽內容']);
  });
});

describe('settings (admin)', () => {
  it('updates the program and the persona script with validation; marketers cannot', async () => {
    await put(marketer, '/settings/program', { earn: { spendPerPoint: 50 } }).expect(403);
    const bad = await put(admin, '/settings/program', { earn: { spendPerPoint: -1 } }).expect(400);
    expect(bad.body.error.details.fields[0].path).toContain('spendPerPoint');
    const ok = await put(admin, '/settings/program', { earn: { spendPerPoint: 50 } }).expect(200);
    expect(ok.body.settings.earn.spendPerPoint).toBe(50);
    const entry = await AuditLog.findOne({ action: 'settings.program.update' }).lean();
    expect(entry!.details).toEqual({ earn: { from: { spendPerPoint: 100 }, to: { spendPerPoint: 50 } } });

    const current = await admin.agent.get('/api/console/settings/persona-script').expect(200);
    const broken = {
      ...current.body.script,
      questions: [...current.body.script.questions, { ...current.body.script.questions[0] }],
    };
    const refused = await put(admin, '/settings/persona-script', {
      script: broken,
      expectedRevision: current.body.revision,
    }).expect(400);
    expect(JSON.stringify(refused.body.error.details.fields)).toContain('重複');
    const edited = { ...current.body.script, intro: '嗨！想更認識你 😊' };
    const saved = await put(admin, '/settings/persona-script', {
      script: edited,
      expectedRevision: current.body.revision,
    }).expect(200);
    expect(saved.body).toMatchObject({ revision: 1, isDefault: false, script: { intro: '嗨！想更認識你 😊' } });
    await put(admin, '/settings/persona-script', { script: edited, expectedRevision: 0 }).expect(409);
  });
});

describe('member page (marketer)', () => {
  it('shows chat preferences as the words the member picked, not their stored codes', async () => {
    const m = await buildMember({
      preferences: { priceSensitivity: 'high', promotionType: 'free_shipping', contactTime: 'evening' },
    });
    const res = await marketer.agent.get(`/api/console/members/${m.id}`).expect(200);
    expect(res.body.profile.preferences).toEqual({
      priceSensitivity: '價格划算',
      promotionType: '免運',
      contactTime: '晚上',
    });
  });
});
