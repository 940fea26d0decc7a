import request from 'supertest';
import { findPointsDrift } from '../../../domain/points/points.service';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { MemberNote } from '../../../models/member-note.model';
import { SurveyResponse } from '../../../models/survey.model';
import { WebhookEvent } from '../../../models/webhook-event.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Coupon } from '../../../models/coupon.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, idTokenFor, type LiffMember } from '../../factories/liff-member.factory';

/** The privacy area: "download my data" and "delete my data" (personal fields gone, anonymous totals kept). */
describe('member API: privacy', () => {
  let env: TestEnv;
  let m: LiffMember;
  let token: string;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(async () => {
    await env.resetDb();
    m = await createLiffMember(env, { displayName: '吳佩珊', purchases: [2500], coupons: ['生日禮'] });
    token = await idTokenFor(env, m.userId);
    await request(env.url)
      .put('/api/member/profile')
      .set('Authorization', `Bearer ${token}`)
      .send({ answers: { birthday: '1988-03-14', city: '台中', interests: 'pets' } })
      .expect(200);
    await Member.updateOne(
      { _id: m.memberId },
      { $set: { phone: '0912345678', email: 'peishan@example.com', name: '吳佩珊', notes: '喜歡貓' } },
    );
  });

  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);

  it('exports everything held about the member as a JSON download', async () => {
    const res = await auth(request(env.url).get('/api/member/privacy/export'));
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="huigo-my-data-\d{4}-\d{2}-\d{2}\.json"/);
    expect(res.body.member).toMatchObject({
      birthday: '1988-03-14',
      city: '台中市',
      phone: '0912345678',
      memberCode: m.memberCode,
      pointsBalance: 25,
    });
    expect(res.body.member.pointKeys).toBeUndefined();
    expect(res.body.records.PointsEntry).toHaveLength(1);
    expect(res.body.records.Coupon.map((c: { title: string }) => c.title)).toEqual(['生日禮']);
    expect(res.body.records.Purchase[0].amount).toBe(2500);
    expect(res.body.records.Interaction.length).toBeGreaterThan(0);
  });

  it('deletes personal data only after confirmation, keeps the ledger totals, and the card closes', async () => {
    const unconfirmed = await auth(request(env.url).post('/api/member/privacy/erase')).send({});
    expect(unconfirmed.status).toBe(400);
    expect((await Member.findById(m.memberId).lean())!.phone).toBe('0912345678');

    const at = new Date();
    await MemberNote.create({ memberId: m.memberId, body: '對堅果過敏', authorId: 'staff-1', at });
    await SurveyResponse.create({
      memberId: m.memberId,
      key: `survey-test:${m.memberId}`,
      question: '滿意嗎？',
      sentAt: at,
      score: 5,
      comment: '店員很親切',
      status: 'answered',
    });
    await WebhookEvent.create({
      webhookEventId: `evt-${m.memberId}`,
      type: 'message',
      userId: m.userId,
      payload: { message: { text: '我住在信義區' } },
      receivedAt: at,
      status: 'done',
    });

    const res = await auth(request(env.url).post('/api/member/privacy/erase')).send({ confirm: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ erased: true, erasedAt: expect.any(String) });

    const erased = await Member.findById(m.memberId).lean();
    for (const key of [
      'lineUserId',
      'name',
      'phone',
      'email',
      'birthday',
      'birthMonth',
      'city',
      'gender',
      'preferences',
      'pictureUrl',
    ] as const) {
      expect(erased![key]).toBeUndefined();
    }
    // The points are voided through the ledger (so it still adds up) and the coupons are void.
    expect(erased).toMatchObject({
      displayName: '',
      notes: '',
      tags: [],
      pointsBalance: 0,
      erasedAt: expect.any(Date),
    });
    expect(erased!.memberCode).not.toBe(m.memberCode);
    expect(await PointsEntry.find({ memberId: m.memberId }).sort({ at: 1 }).lean()).toMatchObject([
      { delta: 25 },
      { delta: -25, reason: 'erasure' },
    ]);
    expect(await Coupon.find({ memberId: m.memberId }).lean()).toMatchObject([{ status: 'void' }]);
    expect(await findPointsDrift(m.memberId)).toEqual([]);
    expect(await Interaction.countDocuments({ memberId: m.memberId })).toBe(0);
    expect(await MemberNote.countDocuments({ memberId: m.memberId })).toBe(0);
    const survey = await SurveyResponse.findOne({ memberId: m.memberId }).lean();
    expect([survey!.score, survey!.comment]).toEqual([5, undefined]);
    const event = await WebhookEvent.findOne({ webhookEventId: `evt-${m.memberId}` }).lean();
    expect([event!.payload, event!.userId]).toEqual([{ erased: true }, undefined]);

    // The same LINE user is no longer a member: the card shows the add-friend prompt, not someone's data.
    const after = await auth(request(env.url).get('/api/member/me'));
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('not_following');
  });
});
