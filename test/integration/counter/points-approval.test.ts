import { AuditLog } from '../../../models/audit-log.model';
import { Member } from '../../../models/member.model';
import { PointsApproval } from '../../../models/points-approval.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';

let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
let admin: ConsoleLogin;
let clerk: ConsoleLogin;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

let seq = 0;
const adjust = (s: ConsoleLogin, memberId: string, delta: number, reason = '客訴補償') =>
  post(s, '/counter/points', { memberId, delta, reason, key: `approval-test-${++seq}` });

const balance = async (memberId: string) => (await Member.findById(memberId).lean())!.pointsBalance;
const entries = (memberId: string) => PointsEntry.countDocuments({ memberId });

describe('#16.5 manual points are capped per role', () => {
  it('staff within the cap (500 by default) adjust at once', async () => {
    const { memberId } = await createLineMember(env);
    const res = await adjust(clerk, memberId, 500).expect(200);
    expect(res.body).toMatchObject({ balance: 500, duplicate: false });
    expect(res.body.pendingApproval).toBeUndefined();
    expect(await balance(memberId)).toBe(500);
  });

  it('a staff adjustment over the cap is held for approval and changes nothing until approved', async () => {
    const { memberId } = await createLineMember(env);
    const res = await adjust(clerk, memberId, 5_000, '朋友').expect(202);
    expect(res.body).toMatchObject({ balance: 0, entryId: '' });
    expect(res.body.pendingApproval).toMatchObject({ status: 'pending', delta: 5_000, reason: '朋友', cap: 500 });
    expect(await balance(memberId)).toBe(0);
    expect(await entries(memberId)).toBe(0);
    const queue = await admin.agent.get('/api/console/approvals').expect(200);
    expect(queue.body.approvals.map((a: { id: string }) => a.id)).toContain(res.body.pendingApproval.id);
    expect(
      await AuditLog.countDocuments({
        action: 'points.approval.request',
        'details.approvalId': res.body.pendingApproval.id,
      }),
    ).toBe(1);
  });

  it('a marketer’s cap is the marketer cap (2,000); an admin has none', async () => {
    const { memberId } = await createLineMember(env);
    await adjust(marketer, memberId, 2_000).expect(200);
    await adjust(marketer, memberId, 2_001).expect(202);
    await adjust(admin, memberId, 50_000).expect(200);
    expect(await balance(memberId)).toBe(52_000);
  });

  it('a double click holds one request', async () => {
    const { memberId } = await createLineMember(env);
    const body = { memberId, delta: 900, reason: '活動補點', key: 'approval-double-click' };
    const a = await post(clerk, '/counter/points', body).expect(202);
    const b = await post(clerk, '/counter/points', body).expect(202);
    expect(b.body.pendingApproval.id).toBe(a.body.pendingApproval.id);
    expect(b.body.duplicate).toBe(true);
    expect(await PointsApproval.countDocuments({ memberId })).toBe(1);
  });
});

describe('#16.5 an admin approves or rejects a held adjustment', () => {
  it('approve applies it once through the ledger; approving twice applies once; every step is audited', async () => {
    const { memberId } = await createLineMember(env);
    const held = await adjust(clerk, memberId, 1_200, '團購補點').expect(202);
    const id = held.body.pendingApproval.id;
    const first = await post(admin, `/approvals/${id}/approve`).expect(200);
    expect(first.body).toMatchObject({ balance: 1_200, replayed: false });
    expect(first.body.approval).toMatchObject({ status: 'approved', decidedBy: { id: admin.userId } });
    const second = await post(admin, `/approvals/${id}/approve`).expect(200);
    expect(second.body).toMatchObject({ balance: 1_200, replayed: true });
    expect(await balance(memberId)).toBe(1_200);
    const ledger = await PointsEntry.find({ memberId }).lean();
    expect(ledger.map((e) => [e.delta, e.key])).toEqual([[1_200, `manual:approval:${id}`]]);
    expect(await AuditLog.countDocuments({ action: 'points.approval.approve', 'details.approvalId': id })).toBe(2);
    const rejectLater = await post(admin, `/approvals/${id}/reject`).expect(409);
    expect(rejectLater.body.error.message).toBe('這筆申請已核准，無法退回。');
  });

  it('reject changes nothing; a later approval is refused', async () => {
    const { memberId } = await createLineMember(env);
    const held = await adjust(clerk, memberId, 3_000).expect(202);
    const id = held.body.pendingApproval.id;
    const res = await post(admin, `/approvals/${id}/reject`, { note: '金額過大，請重新確認' }).expect(200);
    expect(res.body.approval).toMatchObject({ status: 'rejected', decisionNote: '金額過大，請重新確認' });
    const refused = await post(admin, `/approvals/${id}/approve`).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'approval_rejected', message: '這筆申請已被退回，無法核准。' });
    expect(await balance(memberId)).toBe(0);
    expect(await entries(memberId)).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'points.approval.reject', 'details.approvalId': id })).toBe(1);
  });

  it('a debit the balance no longer covers is refused and stays pending', async () => {
    const { memberId } = await createLineMember(env);
    await adjust(admin, memberId, 800).expect(200);
    const held = await adjust(clerk, memberId, -700, '誤加點數').expect(202);
    await adjust(admin, memberId, -300, '兌換贈品').expect(200);
    const refused = await post(admin, `/approvals/${held.body.pendingApproval.id}/approve`).expect(409);
    expect(refused.body.error.code).toBe('insufficient_points');
    expect(await balance(memberId)).toBe(500);
    expect((await PointsApproval.findById(held.body.pendingApproval.id).lean())!.status).toBe('pending');
  });

  it('staff cannot see or decide approvals; an unknown id is a zh-TW 404', async () => {
    const { memberId } = await createLineMember(env);
    const held = await adjust(clerk, memberId, 999).expect(202);
    await clerk.agent.get('/api/console/approvals').expect(403);
    await post(clerk, `/approvals/${held.body.pendingApproval.id}/approve`).expect(403);
    expect(await balance(memberId)).toBe(0);
    const missing = await post(admin, '/approvals/0123456789abcdef01234567/approve').expect(404);
    expect(missing.body.error.message).toBe('找不到這筆點數申請。');
    const bad = await post(admin, `/approvals/${held.body.pendingApproval.id}/reject`, { note: 'x'.repeat(201) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('備註最多 200 字');
    expect((await PointsApproval.findById(held.body.pendingApproval.id).lean())!.status).toBe('pending');
  });
});
