import request from 'supertest';
import { findPointsDrift, loadLots } from '../../../domain/points/points.service';
import { Coupon } from '../../../models/coupon.model';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { createApiKey } from '../../factories/program.factory';
import {
  createExchangeOffer,
  createLiffMember,
  idTokenFor,
  type LiffMember,
} from '../../factories/liff-member.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * A refund of an order whose points were already spent (here: on a coupon bought with them) takes the points back
 * anyway, as a debt: the balance goes below zero by the shortfall and the next earnings repay it first. No value
 * from a refunded order is left over, and the ledger still adds up to the balance (`npm run points:verify`).
 */
describe('#12.5 refund after spending the points: the shortfall is a debt repaid by new earnings', () => {
  let env: TestEnv;
  let key: string;
  let m: LiffMember;
  let token: string;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(async () => {
    await env.resetDb();
    key = (await createApiKey('門市 POS', 'pos')).key;
    m = await createLiffMember(env, { displayName: '郭美玲' });
    token = await idTokenFor(env, m.userId);
  });

  const buy = (orderId: string, amount: number) =>
    request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId, member: { memberCode: m.memberCode }, amount });
  const refund = (orderId: string, body: object = {}) =>
    request(env.url).post(`/api/ingest/purchases/${orderId}/refunds`).set('x-api-key', key).send(body);
  const cardApi = (path: string) => request(env.url).get(`/api/member${path}`).set('Authorization', `Bearer ${token}`);
  const exchange = (templateId: string, requestId: string) =>
    request(env.url)
      .post('/api/member/exchange')
      .set('Authorization', `Bearer ${token}`)
      .send({ templateId, requestId });
  const balance = async () => (await Member.findById(m.memberId).lean())!.pointsBalance;

  it('takes back all the points of the refunded order, shows the debt on the card, and new earnings repay it first', async () => {
    expect((await buy('D1', 5000)).status).toBe(201);
    const offer = await createExchangeOffer('折價券 NT$50', 40);
    expect((await exchange(offer, 'req-refund-debt-1')).status).toBe(201);
    expect(await balance()).toBe(10);

    const r = await refund('D1');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'refunded', pointsReversed: 50, pointsShortfall: 40, pointsBalance: -40 });
    expect(await PointsEntry.findOne({ reason: 'reversal', memberId: m.memberId }).lean()).toMatchObject({
      delta: -50,
      balanceAfter: -40,
    });
    expect(await findPointsDrift()).toEqual([]);
    const timeline = await Interaction.findOne({ memberId: m.memberId, type: 'refund' }).lean();
    expect(timeline!.summary).toContain('其中 40 點已使用，列為待扣回點數');

    const me = await cardApi('/me');
    expect(me.body).toMatchObject({ pointsBalance: -40, soonestExpiring: null });
    // While in debt nothing can be spent.
    const refused = await exchange(offer, 'req-refund-debt-2');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'insufficient_points']);
    expect(await Coupon.countDocuments({ memberId: m.memberId })).toBe(1);

    // A replay of the refund changes nothing.
    expect((await refund('D1')).body).toMatchObject({ replayed: true, pointsReversed: 50, pointsShortfall: 40 });
    expect((await refund('D1', { refundId: 'second' })).body.error.code).toBe('purchase_already_refunded');
    expect(await balance()).toBe(-40);

    // New purchases repay the debt before they become spendable (or expiring) points.
    await buy('D2', 3000);
    expect(await balance()).toBe(-10);
    expect(await loadLots(m.memberId)).toEqual([]);
    await buy('D3', 2500);
    expect(await balance()).toBe(15);
    expect((await loadLots(m.memberId)).reduce((s, l) => s + l.remaining, 0)).toBe(15);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('a partial refund takes back its share, and a replay with the same refundId returns the first result', async () => {
    await buy('P1', 4000);
    const offer = await createExchangeOffer('飲品券', 40);
    await exchange(offer, 'req-partial-0001');
    const first = await refund('P1', { refundId: 'half', amount: 2000 });
    expect(first.body).toMatchObject({ pointsReversed: 20, pointsShortfall: 20, pointsBalance: -20 });
    const again = await refund('P1', { refundId: 'half', amount: 2000 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ pointsReversed: 20, pointsShortfall: 20, pointsBalance: -20, replayed: true });
    expect(await PointsEntry.countDocuments({ reason: 'reversal' })).toBe(1);
  });

  it('bad refund input is refused in zh-TW and changes nothing', async () => {
    await buy('B1', 1000);
    for (const body of [{ amount: -5 }, { amount: 5000 }, { amount: 'all' }]) {
      const res = await refund('B1', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await balance()).toBe(10);
    expect(await PointsEntry.countDocuments({ reason: 'reversal' })).toBe(0);
  });
});
