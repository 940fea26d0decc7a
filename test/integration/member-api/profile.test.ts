import request from 'supertest';
import { ProfileResponseSchema } from '../../../api/contracts/member';
import { recordConsent } from '../../../domain/members/member-lifecycle.service';
import { Member } from '../../../models/member.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, idTokenFor, type LiffMember } from '../../factories/liff-member.factory';

/** The profile form is the persona script; answers are judged by the chat's own engine. */
describe('member API: profile and consent', () => {
  let env: TestEnv;
  let m: LiffMember;
  let token: string;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(async () => {
    await env.resetDb();
    m = await createLiffMember(env, { displayName: '黃怡君' });
    token = await idTokenFor(env, m.userId);
  });

  const put = (path: string, body: object) =>
    request(env.url).put(`/api/member${path}`).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string) => request(env.url).get(`/api/member${path}`).set('Authorization', `Bearer ${token}`);
  const field = (body: unknown, key: string) => ProfileResponseSchema.parse(body).fields.find((f) => f.key === key)!;

  it('describes the editable persona questions with the current answers', async () => {
    const res = await get('/profile');
    const body = ProfileResponseSchema.parse(res.body);
    expect(body.fields.map((f) => [f.key, f.kind])).toEqual([
      ['gender', 'choice'],
      ['birthday', 'date'],
      ['city', 'text'],
      ['interests', 'multi'],
      ['price', 'choice'],
      ['promotion', 'choice'],
      ['contact-time', 'choice'],
      ['phone', 'phone'],
    ]);
    expect(field(res.body, 'city').suggestions).toContain('台北市');
    expect(body.profile).toMatchObject({
      displayName: '黃怡君',
      birthday: null,
      consent: { status: 'pending', marketing: false },
    });
  });

  it('saves answers the chat would accept: 民國 dates, aliases, choices and multi choice tags', async () => {
    const res = await put('/profile', {
      answers: {
        birthday: '民國79年5月20日',
        city: '臺北',
        gender: 'female',
        interests: 'beauty,travel',
        price: 'value',
      },
    });
    expect(res.status).toBe(200);
    expect(field(res.body, 'birthday')).toMatchObject({ value: '1990-05-20' });
    expect(field(res.body, 'city')).toMatchObject({ value: '台北市' });
    expect(field(res.body, 'gender')).toMatchObject({ value: 'female', display: '女性' });
    expect(field(res.body, 'interests')).toMatchObject({ value: 'beauty,travel', display: '美妝、旅遊' });
    const stored = await Member.findById(m.memberId).lean();
    expect(stored).toMatchObject({
      birthday: '1990-05-20',
      birthMonth: 5,
      city: '台北市',
      gender: 'female',
      preferences: { priceSensitivity: 'high' },
    });
    expect(stored!.tags.map((t) => [t.tag, t.source]).sort()).toEqual([
      ['價格敏感', 'persona'],
      ['興趣:旅遊', 'persona'],
      ['興趣:美妝', 'persona'],
    ]);

    // Changing a choice replaces that question's tags; clearing a field removes it.
    await put('/profile', { answers: { interests: 'travel', price: 'quality', city: '' } });
    const after = await Member.findById(m.memberId).lean();
    expect(after!.tags.map((t) => t.tag).sort()).toEqual(['興趣:旅遊', '重視品質']);
    expect(after!.city).toBeUndefined();
  });

  it('rejects an invalid birthday with a field message and saves nothing of the request', async () => {
    for (const birthday of ['1990-02-30', '2999-01-01', '下週三']) {
      const res = await put('/profile', { answers: { birthday, city: '高雄' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields).toEqual([
        { path: 'answers.birthday', message: expect.stringContaining('日期') },
      ]);
    }
    const stored = await Member.findById(m.memberId).lean();
    expect(stored!.birthday).toBeUndefined();
    expect(stored!.city).toBeUndefined();
  });

  it('rejects unknown questions, bad options and malformed bodies', async () => {
    const res = await put('/profile', {
      answers: { gender: 'robot', memberCode: '123', interests: 'beauty,bogus', city: '火星' },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['answers.city', 'answers.gender', 'answers.interests', 'answers.memberCode']);
    expect((await put('/profile', { answers: 'x' })).status).toBe(400);
    expect((await put('/profile', { answers: { city: 'x'.repeat(201) } })).status).toBe(400);
  });

  it('keeps the chat in step: an answer given on the card is stored in the persona state', async () => {
    await Member.updateOne(
      { _id: m.memberId },
      {
        $set: {
          'persona.state': {
            status: 'active',
            current: 'birthday',
            picked: [],
            awaitingText: false,
            answers: {},
            skipped: ['gender'],
            rev: 3,
          },
        },
      },
    );
    await put('/profile', { answers: { gender: 'male' } });
    const stored = await Member.findById(m.memberId).lean();
    const state = stored!.persona!.state as {
      rev: number;
      answers: Record<string, { value: string }>;
      skipped: string[];
    };
    expect(state).toMatchObject({ rev: 4, skipped: [], answers: { gender: { value: 'male' } } });
  });

  it('turns marketing messages on only after the privacy notice was accepted; off always', async () => {
    const refused = await put('/consent', { marketing: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('consent_required');
    await recordConsent(m.memberId, 'accepted', 'v1', new Date());
    const off = await put('/consent', { marketing: false });
    expect(ProfileResponseSchema.parse(off.body).profile.consent).toMatchObject({
      status: 'accepted',
      marketing: false,
    });
    const on = await put('/consent', { marketing: true });
    expect(on.body.profile.consent.marketing).toBe(true);
    expect((await put('/consent', { marketing: 'yes' })).status).toBe(400);
  });
});
