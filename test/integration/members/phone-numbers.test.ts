import request from 'supertest';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { idTokenFor } from '../../factories/liff-member.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import type { ChatUser } from '../bot/chat-driver';
import { consentedUser } from '../bot/chat-driver';

/**
 * Phone numbers for LINE members (#16.6): the optional last question of the persona Q&A and the card's profile
 * field, both validated by `normalizeTaiwanMobile` and stored through member-phone.service.ts. A number already on
 * an imported record is proposed to staff (「可能是同一人」), never merged silently; another LINE member's number is
 * refused politely. Driven through the real webhook, the real card API and the console API.
 */
let env: TestEnv;
let marketer: ConsoleLogin;
let staff: ConsoleLogin;
let seq = 0;
beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
  staff = await loginAs(env, 'staff');
});
afterAll(() => env.close());

const BEFORE_PHONE = ['gender', 'birthday', 'city', 'interests', 'price', 'promotion', 'contact-time'];
/** A distinct valid mobile per call (tests share one database). */
const freshPhone = () => `0938${String(100_000 + ++seq * 7 + (process.pid % 997)).padStart(6, '0')}`;
const dashed = (p: string) => `${p.slice(0, 4)}-${p.slice(4, 7)}-${p.slice(7)}`;

async function atPhoneQuestion(): Promise<ChatUser> {
  const u = await consentedUser(env);
  for (const q of BEFORE_PHONE) await u.tap(`persona:${q}:skip`);
  return u;
}
const putProfile = async (userId: string, answers: Record<string, string>) =>
  request(env.url)
    .put('/api/member/profile')
    .set('Authorization', `Bearer ${await idTokenFor(env, userId)}`)
    .send({ answers });
const importedWith = (phone: string) =>
  buildMember({ lineUserId: undefined, status: 'imported', followedAt: undefined, name: '林淑芬', phone });

describe('the phone question in the chat', () => {
  it('is the last, optional question; a +886 form is stored as 09XXXXXXXX and the timeline shows it masked', async () => {
    const u = await atPhoneQuestion();
    const phone = freshPhone();
    const a = await u.say(`+886 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
    expect(a.texts[0]).toContain('全部完成');
    const m = await u.member();
    expect(m!.phone).toBe(phone);
    expect(m!.phoneClaim?.phone).toBeUndefined();
    const answer = await Interaction.findOne({ memberId: m!._id, 'refs.questionId': 'phone' }).lean();
    expect(answer!.summary).toBe(`手機：${phone.slice(0, 4)}***${phone.slice(-3)}`);
  });

  it('an invalid number gets a friendly re-ask and stores nothing', async () => {
    const u = await atPhoneQuestion();
    const before = await u.member();
    for (const bad of ['02-2345-6789', '0912345', '我沒有手機']) {
      const a = await u.say(bad);
      expect(a.texts).toEqual([expect.stringContaining('這個手機號碼好像不太對')]);
      expect(a.buttons).toEqual(['略過']);
    }
    const after = await u.member();
    expect(after!.phone).toBeUndefined();
    expect(after!.persona).toEqual(before!.persona);
  });

  it('略過 completes the Q&A without a phone', async () => {
    const u = await atPhoneQuestion();
    const a = await u.tap('persona:phone:skip');
    expect(a.texts[0]).toContain('全部完成');
    const m = await u.member();
    expect(m!.phone).toBeUndefined();
    expect(m!.persona!.state).toMatchObject({ status: 'completed', skipped: expect.arrayContaining(['phone']) });
  });

  it("another LINE member's number is refused politely; nothing is stored and the question waits", async () => {
    const phone = freshPhone();
    await buildMember({ lineUserId: `Uowner${seq}x${process.pid}`, phone });
    const u = await atPhoneQuestion();
    const before = await u.member();
    const a = await u.say(dashed(phone));
    expect(a.texts).toEqual([expect.stringContaining('已經登記在其他會員帳號')]);
    expect(a.texts[0]).toContain('門市');
    const after = await u.member();
    expect(after!.phone).toBeUndefined();
    expect(after!.phoneClaim?.phone).toBeUndefined();
    expect(after!.persona).toEqual(before!.persona);
    expect(await Member.countDocuments({ phone })).toBe(1);
    // Another number still works.
    expect((await u.say(freshPhone())).texts[0]).toContain('全部完成');
  });
});

describe('a phone that is on an imported record: 「可能是同一人」, never merged silently', () => {
  it('the chat answer becomes a proposal; the imported record is untouched; staff merge it with the existing merge', async () => {
    const phone = freshPhone();
    const imported = await importedWith(phone);
    const u = await atPhoneQuestion();
    const a = await u.say(phone);
    expect(a.texts[0]).toContain('全部完成');
    const m = await u.member();
    expect(m!.phone).toBeUndefined(); // the unique index keeps one owner
    expect(m!.phoneClaim).toMatchObject({ phone, status: 'proposed' });
    expect(String(m!.phoneClaim!.importedId)).toBe(imported.id);
    const still = await Member.findById(imported._id).lean();
    expect(still).toMatchObject({ phone, status: 'imported' });
    expect(still!.mergedInto).toBeUndefined();

    const list = await marketer.agent.get('/api/console/phone-proposals').expect(200);
    const mine = list.body.items.find((p: { memberId: string }) => p.memberId === String(m!._id));
    expect(mine).toMatchObject({
      phoneMasked: `${phone.slice(0, 4)}***${phone.slice(-3)}`,
      imported: { id: imported.id, name: '林淑芬' },
    });
    expect(JSON.stringify(list.body)).not.toContain(phone);
    const detail = await marketer.agent.get(`/api/console/members/${m!._id}`).expect(200);
    expect(detail.body.phoneProposal).toMatchObject({ status: 'proposed', importedId: imported.id });

    // 合併 is the existing merge: the imported phone moves over and the proposal is settled.
    await marketer.agent
      .post(`/api/console/members/${m!._id}/merge`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ sourceId: imported.id, fieldChoices: [] })
      .expect(200);
    const merged = await Member.findById(m!._id).lean();
    expect(merged!.phone).toBe(phone);
    expect(merged!.phoneClaim?.status).toBeUndefined();
    expect((await Member.findById(imported._id).lean())!.phone).toBeUndefined();
    const after = await marketer.agent.get('/api/console/phone-proposals').expect(200);
    expect(after.body.items.map((p: { memberId: string }) => p.memberId)).not.toContain(String(m!._id));
  });

  it('不是同一人 closes it for good (answering the same number again does not ask staff again); staff cannot decide', async () => {
    const phone = freshPhone();
    const imported = await importedWith(phone);
    const u = await consentedUser(env);
    expect((await putProfile(u.userId, { phone })).status).toBe(200);
    const m = await u.member();
    expect(m!.phoneClaim).toMatchObject({ phone, status: 'proposed' });

    await staff.agent
      .post(`/api/console/phone-proposals/${m!._id}/dismiss`)
      .set('X-CSRF-Token', staff.csrf)
      .send({})
      .expect(403);
    await marketer.agent
      .post(`/api/console/phone-proposals/${m!._id}/dismiss`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({})
      .expect(200);
    const again = await marketer.agent
      .post(`/api/console/phone-proposals/${m!._id}/dismiss`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({})
      .expect(409);
    expect(again.body.error.message).toContain('已經處理過');
    expect((await u.member())!.phoneClaim).toMatchObject({ phone, status: 'dismissed', decidedBy: marketer.userId });

    expect((await putProfile(u.userId, { phone: dashed(phone) })).status).toBe(200);
    expect((await u.member())!.phoneClaim).toMatchObject({ status: 'dismissed' });
    expect((await Member.findById(imported._id).lean())!.mergedInto).toBeUndefined();
  });
});

describe("the card's profile phone field", () => {
  it('takes the forms people type, shows it masked, and refuses what the chat refuses with the same rule', async () => {
    const u = await consentedUser(env);
    const phone = freshPhone();
    const ok = await putProfile(u.userId, { phone: dashed(phone) });
    expect(ok.status).toBe(200);
    expect(ok.body.profile.phoneMasked).toBe(`${phone.slice(0, 4)}***${phone.slice(-3)}`);
    expect(ok.body.fields.find((f: { key: string }) => f.key === 'phone')).toMatchObject({ kind: 'phone' });
    expect((await u.member())!.phone).toBe(phone);

    const bad = await putProfile(u.userId, { phone: '1234' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual([{ path: 'answers.phone', message: expect.stringContaining('09') }]);
    expect((await u.member())!.phone).toBe(phone);
  });

  it("another LINE member's number: a clear zh-TW field error, nothing stored", async () => {
    const phone = freshPhone();
    await buildMember({ lineUserId: `Uother${seq}x${process.pid}`, phone });
    const u = await consentedUser(env);
    const before = await u.member();
    const res = await putProfile(u.userId, { phone, city: '台中' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([
      { path: 'answers.phone', message: expect.stringContaining('已經登記在其他會員帳號') },
    ]);
    const after = await u.member();
    expect(after!.phone).toBeUndefined();
    expect(after!.city).toBe(before!.city);
    expect(after!.persona).toEqual(before!.persona);
  });
});

describe('counter lookup by phone', () => {
  it('finds the LINE member who gave the phone in the chat, masked', async () => {
    const u = await atPhoneQuestion();
    const phone = freshPhone();
    await u.say(phone);
    const m = await u.member();
    for (const typed of [phone, dashed(phone), `+886${phone.slice(1)}`]) {
      const res = await staff.agent.get('/api/console/counter/lookup').query({ code: typed }).expect(200);
      expect(res.body).toMatchObject({
        kind: 'member',
        member: { id: String(m!._id), phoneMasked: `${phone.slice(0, 4)}***${phone.slice(-3)}` },
      });
      expect(JSON.stringify(res.body)).not.toContain(phone);
    }
  });
});
