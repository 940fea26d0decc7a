import type { Types } from 'mongoose';
import request from 'supertest';
import { ProfileResponseSchema } from '../../../api/contracts/member';
import { defaultPersonaScript } from '../../../domain/persona/persona-script.service';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { idTokenFor } from '../../factories/liff-member.factory';
import type { InboxEntry } from '../../helpers/emulator-client';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { type Answer, ChatUser, consentedUser } from '../bot/chat-driver';

/**
 * Completing the persona on the member card is completing it: the same reward as the chat (key
 * `persona-complete:<memberId>`, once per member whichever channel finishes), the thanks pushed to the chat, and
 * the chat stops asking. Members are driven through the real webhook and the real card API.
 */
describe('member API: completing the persona on the card', () => {
  let env: TestEnv;
  const completion = defaultPersonaScript().completion;
  /** Every answer of the default script, as the card's form sends them. */
  const ALL = {
    gender: 'female',
    birthday: '1990-05-20',
    city: '臺北',
    interests: 'beauty,travel',
    price: 'value',
    promotion: 'points',
    'contact-time': 'evening',
    phone: '0912-345-678',
  };

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const put = async (userId: string, answers: Record<string, string>) =>
    request(env.url)
      .put('/api/member/profile')
      .set('Authorization', `Bearer ${await idTokenFor(env, userId)}`)
      .send({ answers });
  const rewards = (memberId: Types.ObjectId) => PointsEntry.countDocuments({ memberId, reason: 'persona_complete' });
  const pushes = async (userId: string): Promise<InboxEntry[]> =>
    (await env.emulator.messages(userId, 0, 0)).filter((e) => e.via === 'push');
  const pushedTexts = async (userId: string) => (await pushes(userId)).map((e) => e.message.text as string);
  /** The bot's replies to one chat action (a push from the card may land in the same slice of the inbox). */
  const replies = (a: Answer) => a.entries.filter((e) => e.via === 'reply').map((e) => e.message.text as string);

  it('the last missing answers given on the card complete it: reward once, thanks in chat, no more questions', async () => {
    const u = await consentedUser(env);
    await u.tap('persona:gender:pick:female');
    await u.tap('persona:birthday:skip');

    const partial = await put(u.userId, { city: '臺北', interests: 'beauty', price: 'value', promotion: 'points' });
    expect(partial.status).toBe(200);
    expect(ProfileResponseSchema.parse(partial.body).profile.personaCompleted).toBe(false);
    expect(await rewards((await u.member())!._id)).toBe(0);

    const last = await put(u.userId, { 'contact-time': 'evening', phone: '+886 912 345 678' });
    expect(last.status).toBe(200);
    expect(ProfileResponseSchema.parse(last.body).profile.personaCompleted).toBe(true);
    const m = await u.member();
    expect(m).toMatchObject({
      pointsBalance: 50,
      persona: { state: { status: 'completed', current: null, skipped: ['birthday'] } },
    });
    expect(m!.persona!.completedAt).toBeInstanceOf(Date);
    expect(await rewards(m!._id)).toBe(1);
    expect(await pushedTexts(u.userId)).toEqual([completion, '🎁 已送您 50 點作為感謝，目前共有 50 點。']);
    expect(await Interaction.countDocuments({ memberId: m!._id, type: 'points', channel: 'liff' })).toBe(1);

    // Editing again on the card earns and says nothing more.
    expect((await put(u.userId, { city: '高雄', 'contact-time': 'morning' })).status).toBe(200);
    expect(await rewards(m!._id)).toBe(1);
    expect(await pushes(u.userId)).toHaveLength(2);
    expect((await u.member())!.pointsBalance).toBe(50);

    // The chat does not ask again: 繼續填寫 shows the summary, and an answer-like word is not taken as one.
    const cont = replies(await u.tap('cmd:continue'));
    expect(cont).toEqual([expect.stringContaining('您的會員資料')]);
    expect(cont[0]).toContain('方便聯絡時段：早上');
    await u.say('晚上');
    expect((await u.member())!.preferences?.contactTime).toBe('morning');
  });

  it('a member who never answered in chat completes on the card in one save; 同意 later asks nothing', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const res = await put(u.userId, ALL);
    expect(res.status).toBe(200);
    const m = await u.member();
    expect(m!.persona).toMatchObject({
      state: { status: 'completed', rev: 1 },
      startedAt: expect.any(Date),
      completedAt: expect.any(Date),
    });
    expect(await rewards(m!._id)).toBe(1);
    expect(await pushedTexts(u.userId)).toEqual([completion, expect.stringContaining('已送您 50 點')]);

    expect(replies(await u.tap('consent:accept'))).toEqual(['謝謝您的同意！']);
  });

  it('completed in the chat, then edited on the card: no second reward, no push', async () => {
    const u = await consentedUser(env);
    for (const q of ['gender', 'birthday', 'city', 'interests', 'price', 'promotion', 'contact-time', 'phone'])
      await u.tap(`persona:${q}:skip`);
    const m = await u.member();
    expect(m!.persona!.state).toMatchObject({ status: 'completed' });
    expect(await rewards(m!._id)).toBe(1);

    expect((await put(u.userId, ALL)).status).toBe(200);
    expect(await rewards(m!._id)).toBe(1);
    expect((await u.member())!.pointsBalance).toBe(50);
    expect(await pushes(u.userId)).toEqual([]);
  });

  it('a restarted chat run is left to the chat: answering everything on the card earns nothing more', async () => {
    const u = await consentedUser(env);
    for (const q of ['gender', 'birthday', 'city', 'interests', 'price', 'promotion', 'contact-time', 'phone'])
      await u.tap(`persona:${q}:skip`);
    await u.tap('cmd:restart');
    expect((await put(u.userId, ALL)).status).toBe(200);
    expect(await rewards((await u.member())!._id)).toBe(1);
    expect(await pushes(u.userId)).toEqual([]);
    // The chat resumes past what the card filled in and completes without a second reward.
    expect(replies(await u.tap('cmd:continue'))).toEqual([completion, '資料已更新，謝謝您！']);
    expect((await u.member())!.pointsBalance).toBe(50);
  });

  it('a bad answer on the card stores nothing and rewards nothing, even when the rest would complete it', async () => {
    const u = await consentedUser(env);
    const before = await u.member();
    const res = await put(u.userId, { ...ALL, birthday: '2999-01-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([
      { path: 'answers.birthday', message: expect.stringContaining('日期') },
    ]);
    const after = await u.member();
    expect(after!.persona).toEqual(before!.persona);
    expect(after).toMatchObject({ pointsBalance: 0, tags: [] });
    expect(after!.city).toBeUndefined();
    expect(await rewards(after!._id)).toBe(0);
    expect(await pushes(u.userId)).toEqual([]);
  });

  it('two saves completing at the same moment reward and tell once', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const results = await Promise.all([put(u.userId, ALL), put(u.userId, ALL)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const m = await Member.findOne({ lineUserId: u.userId }).lean();
    expect(await rewards(m!._id)).toBe(1);
    expect(m).toMatchObject({ pointsBalance: 50, persona: { state: { status: 'completed' } } });
    expect(await pushes(u.userId)).toHaveLength(2);
  });
});
