import { AuditLog } from '../../../models/audit-log.model';
import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #16.1 the console's 集點卡 page and the staff's manual stamp, through the console API. */
let env: TestEnv;
let marketer: ConsoleLogin;
let staff: ConsoleLogin;
let couponId: string;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  marketer = await loginAs(env, 'marketer');
  staff = await loginAs(env, 'staff', { displayName: '店員小林' });
  couponId = String((await createTemplate({ title: '招牌飲品兌換券' })).id);
});

const send = (who: ConsoleLogin, method: 'post' | 'put', path: string, body: object) =>
  who.agent[method](`/api/console/stamps${path}`).set('X-CSRF-Token', who.csrf).send(body);
const design = (overrides: Record<string, unknown> = {}) => ({
  name: '飲料集點卡',
  stampsNeeded: 10,
  earn: { rule: 'per_purchase' },
  milestones: [{ at: 5, reward: { kind: 'points', points: 20 } }],
  completionReward: { kind: 'coupon', couponTemplateId: couponId },
  validity: { mode: 'days_from_first_stamp', days: 180 },
  manualDailyLimit: 1,
  ...overrides,
});
const fieldsOf = (res: { body: any }) =>
  Object.fromEntries(res.body.error.details.fields.map((f: any) => [f.path, f.message]));

describe('#16.1 console 集點卡 templates', () => {
  it('creates, lists and edits a template; the edit is audited', async () => {
    const created = await send(marketer, 'post', '/templates', design()).expect(201);
    expect(created.body.template).toMatchObject({
      name: '飲料集點卡',
      status: 'active',
      stampsNeeded: 10,
      earn: { rule: 'per_purchase', amountPerStamp: null },
      milestones: [{ at: 5, reward: { kind: 'points', points: 20 } }],
      completionReward: { kind: 'coupon', couponTemplateId: couponId },
      validity: { mode: 'days_from_first_stamp', days: 180 },
    });
    const id = created.body.template.id;
    const edited = await send(
      marketer,
      'put',
      `/templates/${id}`,
      design({ stampsNeeded: 8, earn: { rule: 'per_amount', amountPerStamp: 100 }, nextTemplateId: id }),
    ).expect(200);
    expect(edited.body.template).toMatchObject({ stampsNeeded: 8, earn: { amountPerStamp: 100 }, nextTemplateId: id });
    const list = await marketer.agent.get('/api/console/stamps/templates').expect(200);
    expect(list.body.templates.map((t: any) => [t.name, t.stampsNeeded])).toEqual([['飲料集點卡', 8]]);
    expect(await AuditLog.countDocuments({ action: { $in: ['stamp_template.create', 'stamp_template.update'] } })).toBe(
      2,
    );
  });

  it('bad input → zh-TW field errors and nothing stored or changed', async () => {
    const bad = await send(
      marketer,
      'post',
      '/templates',
      design({
        name: '',
        stampsNeeded: 1,
        earn: { rule: 'per_amount' },
        milestones: [{ at: 12, reward: { kind: 'points', points: 0 } }],
        validity: { mode: 'days_from_first_stamp', days: 0 },
      }),
    ).expect(400);
    expect(fieldsOf(bad)).toEqual({
      name: '請輸入集點卡名稱',
      stampsNeeded: '集滿點數請填 2 到 50 之間的整數',
      'earn.amountPerStamp': '「依消費金額」請填每幾元集一點',
      'milestones.0.at': '里程碑要小於集滿點數',
      'milestones.0.reward.points': '贈送點數請填 1 到 100,000 之間的整數',
      'validity.days': '有效天數請填 1 到 3,650 天',
    });
    const semantic = await send(
      marketer,
      'post',
      '/templates',
      design({ earn: { rule: 'per_category' }, milestones: [{ at: 10, reward: { kind: 'points', points: 5 } }] }),
    ).expect(400);
    expect(fieldsOf(semantic)).toEqual({
      'earn.categories': '「依商品類別」請至少填一個類別',
      'milestones.0.at': '里程碑要小於集滿點數',
    });
    const missingCoupon = await send(
      marketer,
      'post',
      '/templates',
      design({ completionReward: { kind: 'coupon', couponTemplateId: '0123456789abcdef01234567' } }),
    ).expect(400);
    expect(fieldsOf(missingCoupon)).toEqual({
      'completionReward.couponTemplateId': '這張優惠券不存在或已停用，請重新選擇',
    });
    expect(await StampCardTemplate.countDocuments()).toBe(0);

    const id = (await send(marketer, 'post', '/templates', design()).expect(201)).body.template.id;
    const before = await StampCardTemplate.findById(id).lean();
    await send(marketer, 'put', `/templates/${id}`, design({ stampsNeeded: 'ten' })).expect(400);
    expect(await StampCardTemplate.findById(id).lean()).toEqual(before);
  });

  it('staff may not design templates (403), changing nothing', async () => {
    await send(staff, 'post', '/templates', design()).expect(403);
    expect(await StampCardTemplate.countDocuments()).toBe(0);
  });
});

describe('#16.1 manual stamp on the member page', () => {
  it('staff add one stamp with a reason; over the daily limit → 409 in zh-TW and nothing changes', async () => {
    const id = (await send(marketer, 'post', '/templates', design()).expect(201)).body.template.id;
    const { memberId } = await createLineMember(env);
    const noReason = await send(staff, 'post', '/manual', { memberId, templateId: id, reason: '' }).expect(400);
    expect(fieldsOf(noReason).reason).toContain('請填寫補蓋章的原因');
    expect(await StampCard.countDocuments()).toBe(0);

    const ok = await send(staff, 'post', '/manual', { memberId, templateId: id, reason: '收銀機當機漏蓋' }).expect(200);
    expect(ok.body.stamps).toBe(1);
    expect(ok.body.cards[0]).toMatchObject({ name: '飲料集點卡', stamps: 1, status: 'active' });
    expect(await AuditLog.countDocuments({ action: 'stamp.manual', actorName: '店員小林' })).toBe(1);

    const over = await send(staff, 'post', '/manual', { memberId, templateId: id, reason: '再補一點' }).expect(409);
    expect(over.body.error).toMatchObject({
      code: 'stamp_manual_limit',
      message: expect.stringContaining('每天最多 1 點'),
    });
    const cards = await StampCard.find({ memberId }).lean();
    expect(cards.map((c) => c.stamps)).toEqual([1]);
    const view = await staff.agent.get(`/api/console/stamps/members/${memberId}`).expect(200);
    expect(view.body.cards[0]).toMatchObject({ stamps: 1, stampsNeeded: 10 });
  });
});
