import request from 'supertest';
import { findCreditDrift } from '../../../domain/credit/credit.service';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { Purchase } from '../../../models/purchase.model';
import { createApiKey, createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #16.2 (helper C) refund as credit: the money part comes back as one 購物金 lot per refund key. */
describe('#16.C2 refund as credit through the ingest refund API', () => {
  let env: TestEnv;
  let key: string;
  let memberId: string;
  let memberCode: string;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(async () => {
    await env.resetDb();
    key = (await createApiKey('門市 POS', 'pos')).key;
    const m = await createLineMember(env);
    memberId = m.memberId;
    memberCode = m.member.memberCode;
  });

  const buy = (orderId: string, amount: number) =>
    request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId, member: { memberCode }, amount });
  const refund = (orderId: string, body: object) =>
    request(env.url).post(`/api/ingest/purchases/${orderId}/refunds`).set('x-api-key', key).send(body);
  const credit = async () => (await Member.findById(memberId).lean())!.creditBalance ?? 0;

  it('refused in zh-TW while the program does not allow it, and nothing stored changes', async () => {
    expect((await buy('R0', 1000)).status).toBe(201);
    const res = await refund('R0', { refundAs: 'credit' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('退款改發購物金');
    expect(await credit()).toBe(0);
    expect((await Purchase.findOne({ orderId: 'R0' }).lean())!.refunds).toHaveLength(0);
  });

  it('a partial refund as credit adds one lot (expiry from settings), exactly once when replayed', async () => {
    await updateProgramSettings({ credit: { refundAsCredit: true, refundValidDays: 30 } }, 'marketer');
    expect((await buy('R1', 1000)).status).toBe(201);
    const first = await refund('R1', { refundId: 'part-1', amount: 300, refundAs: 'credit' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ creditGranted: 300, creditBalance: 300, replayed: false });
    const again = await refund('R1', { refundId: 'part-1', amount: 300, refundAs: 'credit' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ creditGranted: 300, creditBalance: 300, replayed: true });
    const lots = await CreditEntry.find({ memberId, reason: 'refund' }).lean();
    expect(lots).toHaveLength(1);
    expect(lots[0]!.delta).toBe(300);
    const days = (lots[0]!.expiresAt!.getTime() - lots[0]!.at.getTime()) / 86_400_000;
    expect(days).toBe(30);
    // A refund in money (the default) of the rest grants no credit.
    const rest = await refund('R1', { refundId: 'part-2' });
    expect(rest.body).toMatchObject({ creditGranted: 0, creditBalance: 300 });
    expect(await findCreditDrift()).toEqual([]);
  });
});
