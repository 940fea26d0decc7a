import { Member } from '../../../models/member.model';
import { Purchase } from '../../../models/purchase.model';
import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z');
let admin: ConsoleLogin;
let clerk: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
  await admin.agent
    .patch(`/api/console/users/${clerk.userId}`)
    .set('X-CSRF-Token', admin.csrf)
    .send({ storeId: 'taipei-101' })
    .expect(200);
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

let seq = 0;
const buy = (s: ConsoleLogin, memberId: string, amount: number, extra: object = {}) =>
  post(s, '/counter/purchases', { memberId, amount, key: `void-test-${++seq}-key`, ...extra });

async function snapshot(memberId: unknown) {
  const m = await Member.findById(memberId).lean();
  return {
    tier: m!.tier?.code ?? null,
    points: m!.pointsBalance,
    count: m!.stats?.purchaseCount,
    spend: m!.stats?.totalSpend,
  };
}

describe('#16.5 unusual amounts need confirmation', () => {
  it('an amount 10× the member’s typical order is refused with a zh-TW question until confirmed', async () => {
    const { member } = await createLineMember(env);
    const id = String(member._id);
    for (const a of [1_280, 1_200, 1_350]) await buy(clerk, id, a).expect(201);
    const before = await Purchase.countDocuments({ memberId: member._id });
    const res = await buy(clerk, id, 12_800).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'needs_confirmation',
      message: '這筆 NT$12,800 是這位會員平常消費的 10 倍，確定金額正確嗎？',
    });
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(before);
    await buy(clerk, id, 12_800, { confirm: true }).expect(201);
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(before + 1);
  });

  it('an ordinary amount goes through without asking', async () => {
    const { member } = await createLineMember(env);
    await buy(clerk, String(member._id), 1_500).expect(201);
  });
});

describe('#16.5 void', () => {
  it('a voided counter purchase leaves tier, points and stats exactly as before; a replay changes nothing', async () => {
    const { member } = await createLineMember(env);
    const id = String(member._id);
    await buy(clerk, id, 800).expect(201);
    const before = await snapshot(member._id);
    const res = await buy(clerk, id, 50_000, { confirm: true }).expect(201);
    const during = await snapshot(member._id);
    expect(during.points).toBeGreaterThan(before.points);
    expect([before.tier, during.tier]).toEqual(['basic', 'gold']);
    const purchase = await Purchase.findOne({ memberId: member._id, amount: 50_000 }).lean();
    expect(res.body.purchaseId ?? String(purchase!._id)).toBe(String(purchase!._id));
    const voided = await post(clerk, `/purchases/${String(purchase!._id)}/void`, { reason: '金額打錯' }).expect(200);
    expect(voided.body.purchase.replayed).toBe(false);
    expect(await snapshot(member._id)).toEqual(before);
    const again = await post(clerk, `/purchases/${String(purchase!._id)}/void`, { reason: '金額打錯' }).expect(200);
    expect(again.body.purchase.replayed).toBe(true);
    expect(await snapshot(member._id)).toEqual(before);
  });

  it('a voided counter purchase takes its stamp off the card; a replay takes nothing more', async () => {
    const tpl = await StampCardTemplate.create({
      name: '咖啡集點卡',
      stampsNeeded: 8,
      earn: { rule: 'per_purchase' },
      status: 'active',
    });
    const { member } = await createLineMember(env);
    const id = String(member._id);
    await buy(clerk, id, 120).expect(201);
    await buy(clerk, id, 150).expect(201);
    const stamps = async () =>
      (await StampCard.find({ memberId: member._id, templateId: tpl._id }).lean()).reduce(
        (n, c: { stamps?: number }) => n + (c.stamps ?? 0),
        0,
      );
    expect(await stamps()).toBe(2);
    const purchase = await Purchase.findOne({ memberId: member._id, amount: 150 }).lean();
    await post(clerk, `/purchases/${String(purchase!._id)}/void`, { reason: '重複結帳' }).expect(200);
    expect(await stamps()).toBe(1);
    await post(clerk, `/purchases/${String(purchase!._id)}/void`, { reason: '重複結帳' }).expect(200);
    expect(await stamps()).toBe(1);
    await StampCardTemplate.deleteMany({});
  });

  it('staff void only the same day; an admin voids later', async () => {
    const { member } = await createLineMember(env);
    await buy(clerk, String(member._id), 900).expect(201);
    const p = await Purchase.findOne({ memberId: member._id }).lean();
    const before = await snapshot(member._id);
    // The next day (sessions from yesterday have expired: both sign in again; the clerk keeps the same store).
    now = new Date(now.getTime() + 86_400_000);
    admin = await loginAs(env, 'admin');
    clerk = await loginAs(env, 'staff');
    await admin.agent
      .patch(`/api/console/users/${clerk.userId}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ storeId: 'taipei-101' })
      .expect(200);
    const refused = await post(clerk, `/purchases/${String(p!._id)}/void`, { reason: '客人取消' }).expect(403);
    expect(refused.body.error).toMatchObject({
      code: 'void_not_today',
      message: '門市人員只能作廢當天的消費，請洽管理員。',
    });
    expect(await snapshot(member._id)).toEqual(before);
    expect((await Purchase.findById(p!._id).lean())!.voidedAt).toBeFalsy();
    await post(admin, `/purchases/${String(p!._id)}/void`, { reason: '客人取消' }).expect(200);
    expect((await Purchase.findById(p!._id).lean())!.voidedAt).toBeTruthy();
  });

  it('bad input: no reason or an unknown purchase is refused in zh-TW and nothing changes', async () => {
    const { member } = await createLineMember(env);
    await buy(admin, String(member._id), 700, { storeId: 'taipei-101' }).expect(201);
    const p = await Purchase.findOne({ memberId: member._id }).lean();
    const before = await snapshot(member._id);
    const bad = await post(admin, `/purchases/${String(p!._id)}/void`, { reason: '' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('作廢原因至少 2 個字');
    const missing = await post(admin, '/purchases/0123456789abcdef01234567/void', { reason: '打錯了' }).expect(404);
    expect(missing.body.error.message).toBe('找不到這筆消費。');
    expect(await snapshot(member._id)).toEqual(before);
    expect((await Purchase.findById(p!._id).lean())!.voidedAt).toBeFalsy();
  });
});
