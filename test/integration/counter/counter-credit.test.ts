import { findCreditDrift } from '../../../domain/credit/credit.service';
import { AuditLog } from '../../../models/audit-log.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { PointsApproval } from '../../../models/points-approval.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #16.2 manual 購物金 at the counter: the member page's grant/deduction, for the member found at the counter. */
let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
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

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
let seq = 0;
const adjust = (s: ConsoleLogin, memberId: string, delta: number, extra: object = {}) =>
  post(s, '/counter/credit', { memberId, delta, reason: '客訴補償', key: `counter-credit-${++seq}`, ...extra });
const credit = async (memberId: string) => (await Member.findById(memberId).lean())!.creditBalance ?? 0;

describe('#16.2 購物金 at the counter', () => {
  it('staff within their cap (NT$200) grant and deduct at once; audited; listed in today’s transactions', async () => {
    const { memberId } = await createLineMember(env);
    const res = await adjust(clerk, memberId, 200).expect(200);
    expect(res.body).toMatchObject({ balance: 200, duplicate: false });
    await adjust(clerk, memberId, -50, { reason: '誤發扣回' }).expect(200);
    expect(await credit(memberId)).toBe(150);
    const entries = await CreditEntry.find({ memberId }).sort({ at: 1, _id: 1 }).lean();
    expect(entries.map((e) => [e.reason, e.delta, e.note, e.refs?.storeId])).toEqual([
      ['manual', 200, '客訴補償', 'taipei-101'],
      ['manual', -50, '誤發扣回', 'taipei-101'],
    ]);
    expect(await AuditLog.countDocuments({ action: 'member.credit.adjust', targetId: memberId })).toBe(2);
    const today = await clerk.agent.get('/api/console/counter/today').expect(200);
    const labels = today.body.rows
      .filter((r: { kind: string }) => r.kind === 'adjustment')
      .map((r: { label: string }) => r.label);
    expect(labels.sort()).toEqual(['+NT$200 購物金（客訴補償）', '−NT$50 購物金（誤發扣回）']);
    expect(await findCreditDrift()).toEqual([]);
  });

  it('over the cap it is held for an admin and changes nothing until approved, once; the day’s list says so', async () => {
    const { memberId } = await createLineMember(env);
    const held = await adjust(clerk, memberId, 1_000).expect(202);
    expect(held.body.pendingApproval).toMatchObject({ kind: 'credit', status: 'pending', delta: 1_000, cap: 200 });
    expect(await credit(memberId)).toBe(0);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'credit.approval.request', targetId: memberId })).toBe(1);
    const today = await clerk.agent.get('/api/console/counter/today').expect(200);
    expect(today.body.rows.find((r: { id: string }) => r.id === held.body.pendingApproval.id)).toMatchObject({
      status: 'pending',
      label: '+NT$1,000 購物金（客訴補償），待管理員核准',
      points: null,
    });
    const id = held.body.pendingApproval.id;
    await post(admin, `/approvals/${id}/approve`).expect(200);
    await post(admin, `/approvals/${id}/approve`).expect(200);
    expect(await credit(memberId)).toBe(1_000);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(1);
    expect(await PointsApproval.countDocuments({ memberId, kind: 'credit' })).toBe(1);
  });

  it('today’s list shows a purchase paid partly with 購物金 and points at its total, with what paid it', async () => {
    const { memberId } = await createLineMember(env);
    await adjust(clerk, memberId, 150).expect(200);
    await post(clerk, '/counter/points', { memberId, delta: 300, reason: '補點', key: `counter-pts-${++seq}` }).expect(
      200,
    );
    const res = await post(clerk, '/counter/purchases', {
      memberId,
      amount: 1000,
      credit: 100,
      points: 200,
      key: `counter-pay-${++seq}-key`,
    }).expect(201);
    const today = await clerk.agent.get('/api/console/counter/today').expect(200);
    expect(today.body.rows.find((r: { id: string }) => r.id === res.body.purchaseId)).toMatchObject({
      kind: 'purchase',
      label: '消費 NT$1,000，購物金 NT$100、點數 200 點折抵',
      amount: 1000,
      canVoid: true,
    });
  });

  it('bad input is refused in zh-TW and nothing changes: no reason, zero, below zero, an unknown member', async () => {
    const { memberId } = await createLineMember(env);
    const noReason = await adjust(clerk, memberId, 100, { reason: ' ' }).expect(400);
    expect(JSON.stringify(noReason.body)).toContain('請填寫調整原因');
    const zero = await adjust(clerk, memberId, 0).expect(400);
    expect(JSON.stringify(zero.body)).toContain('購物金不可為 0');
    const below = await adjust(clerk, memberId, -10).expect(409);
    expect(below.body.error.message).toContain('購物金不足');
    const unknown = await adjust(clerk, '0123456789abcdef01234567', 10).expect(404);
    expect(unknown.body.error.message).toBe('找不到這位會員。');
    const noMember = await post(clerk, '/counter/credit', { delta: 10, reason: '補發', key: 'no-member-1' });
    expect(noMember.status).toBe(400);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(0);
    expect(await credit(memberId)).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'member.credit.adjust', targetId: memberId })).toBe(0);
  });
});
