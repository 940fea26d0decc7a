import { AuditLog } from '../../../models/audit-log.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { PointsApproval } from '../../../models/points-approval.model';
import { findCreditDrift } from '../../../domain/credit/credit.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';

/** #16.2 (helper C) manual 購物金 grants and deductions from the member page, capped per role. */
let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
let admin: ConsoleLogin;
let clerk: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
let seq = 0;
const grant = (s: ConsoleLogin, memberId: string, delta: number, extra: object = {}) =>
  post(s, `/members/${memberId}/credit`, { delta, reason: '客訴補償', key: `credit-manual-${++seq}`, ...extra });
const balance = async (memberId: string) => (await Member.findById(memberId).lean())!.creditBalance ?? 0;

describe('#16.C1 manual credit grants and deductions', () => {
  it('staff within the cap (NT$200) grant at once, with the default expiry; audited', async () => {
    const { memberId } = await createLineMember(env);
    const res = await grant(clerk, memberId, 200).expect(200);
    expect(res.body).toMatchObject({ balance: 200, duplicate: false });
    const [entry] = await CreditEntry.find({ memberId }).lean();
    expect(entry).toMatchObject({ reason: 'manual', delta: 200, note: '客訴補償' });
    expect((entry!.expiresAt!.getTime() - now.getTime()) / 86_400_000).toBe(90);
    expect(await AuditLog.countDocuments({ action: 'member.credit.adjust', targetId: memberId })).toBe(1);
  });

  it('a chosen expiry is kept; a reason is required and a bad expiry refused in zh-TW, nothing changes', async () => {
    const { memberId } = await createLineMember(env);
    const noReason = await grant(clerk, memberId, 100, { reason: '' }).expect(400);
    expect(JSON.stringify(noReason.body)).toContain('請填寫調整原因');
    const past = await grant(clerk, memberId, 100, { expiresOn: '2025-06-01' }).expect(400);
    expect(JSON.stringify(past.body)).toContain('到期日必須在今天之後');
    expect(await CreditEntry.countDocuments({ memberId })).toBe(0);
    await grant(clerk, memberId, 100, { expiresOn: '2025-12-31' }).expect(200);
    const [entry] = await CreditEntry.find({ memberId }).lean();
    expect(entry!.expiresAt!.toISOString()).toBe('2025-12-31T15:59:00.000Z');
  });

  it('a double click makes one entry', async () => {
    const { memberId } = await createLineMember(env);
    const body = { delta: 150, reason: '生日補發', key: 'credit-double-click' };
    const [a, b] = await Promise.all([
      post(clerk, `/members/${memberId}/credit`, body),
      post(clerk, `/members/${memberId}/credit`, body),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(1);
    expect(await balance(memberId)).toBe(150);
  });

  it('a deduction cannot go below zero (409 zh-TW), nothing changes', async () => {
    const { memberId } = await createLineMember(env);
    await grant(clerk, memberId, 100).expect(200);
    const res = await grant(clerk, memberId, -150).expect(409);
    expect(res.body.error.message).toContain('購物金不足');
    await grant(clerk, memberId, -60).expect(200);
    expect(await balance(memberId)).toBe(40);
    expect(await findCreditDrift()).toEqual([]);
  });

  it('over the cap it is held in the approval queue (kind credit), changing nothing until an admin approves once', async () => {
    const { memberId } = await createLineMember(env);
    const held = await grant(clerk, memberId, 1_000).expect(202);
    expect(held.body.pendingApproval).toMatchObject({ kind: 'credit', status: 'pending', delta: 1_000, cap: 200 });
    expect(await balance(memberId)).toBe(0);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(0);
    const queue = await admin.agent.get('/api/console/approvals').expect(200);
    const id = held.body.pendingApproval.id;
    expect(queue.body.approvals.find((a: { id: string }) => a.id === id)).toMatchObject({ kind: 'credit' });
    const ok = await post(admin, `/approvals/${id}/approve`).expect(200);
    expect(ok.body.balance).toBe(1_000);
    await post(admin, `/approvals/${id}/approve`).expect(200);
    expect(await balance(memberId)).toBe(1_000);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(1);
    expect((await Member.findById(memberId).lean())!.pointsBalance).toBe(0);
    expect(await PointsApproval.countDocuments({ memberId, kind: 'credit' })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'credit.approval.approve', targetId: memberId })).toBe(2);
  });

  it('marketers have their own cap (default NT$1,000): within it at once, above it held', async () => {
    const marketer = await loginAs(env, 'marketer');
    const { memberId } = await createLineMember(env);
    await grant(marketer, memberId, 1_000).expect(200);
    const held = await grant(marketer, memberId, 1_001).expect(202);
    expect(held.body.pendingApproval).toMatchObject({ status: 'pending', delta: 1_001, cap: 1_000 });
    expect(await balance(memberId)).toBe(1_000);
  });

  it('an admin over their own cap cannot approve their own request; another admin can', async () => {
    const { memberId } = await createLineMember(env);
    const held = await grant(admin, memberId, 1_000_000).expect(202);
    const id = held.body.pendingApproval.id;
    const self = await post(admin, `/approvals/${id}/approve`).expect(409);
    expect(self.body.error).toMatchObject({
      code: 'approval_self',
      message: '不能核准自己提出的申請，請由另一位管理員核准。',
    });
    expect(await balance(memberId)).toBe(0);
    expect((await PointsApproval.findById(id).lean())!.status).toBe('pending');
    const other = await loginAs(env, 'admin');
    await post(other, `/approvals/${id}/approve`).expect(200);
    expect(await balance(memberId)).toBe(1_000_000);
  });

  it('the member page lists the ledger with balance, soonest expiry and entries', async () => {
    const { memberId } = await createLineMember(env);
    await grant(clerk, memberId, 120, { expiresOn: '2025-07-31' }).expect(200);
    await grant(clerk, memberId, 80).expect(200);
    const res = await clerk.agent.get(`/api/console/members/${memberId}/credit`).expect(403);
    expect(res.body.error).toBeDefined();
    const page = await admin.agent.get(`/api/console/members/${memberId}/credit`).expect(200);
    expect(page.body).toMatchObject({ balance: 200, total: 2, page: 1 });
    expect(page.body.soonestExpiring).toMatchObject({ amount: 120 });
    expect(page.body.items[0]).toMatchObject({ delta: 120, reason: 'manual', note: '客訴補償' });
  });
});
