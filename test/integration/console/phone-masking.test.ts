import request from 'supertest';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { idTokenFor } from '../../factories/liff-member.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from '../bot/chat-driver';

/**
 * #16.6: staff never see a full phone number. Members with phones (a LINE member who answered the chat's phone
 * question, an imported record, and a LINE member whose number is a 「可能是同一人」 proposal) are walked through
 * every console API response that shows members (list, search, detail, timeline, points, notes, merge, counter,
 * proposals, audit log, inbox), as an admin (who may see the most). No response carries a number in any
 * spelling; the CSV export (`members.export`, docs/console.md) is the one documented place with full numbers.
 */
let env: TestEnv;
let admin: ConsoleLogin;
let staff: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv();
  admin = await loginAs(env, 'admin');
  staff = await loginAs(env, 'staff');
});
afterAll(() => env.close());

const P1 = '0955123456';
const P2 = '0966654321';
/** Every way a number could leak: as stored, as typed with dashes or spaces, in the +886 form, without the 0. */
const spellings = (p: string) => [
  p,
  `${p.slice(0, 4)}-${p.slice(4, 7)}-${p.slice(7)}`,
  `${p.slice(0, 4)} ${p.slice(4, 7)} ${p.slice(7)}`,
  `886${p.slice(1)}`,
  p.slice(1),
];
const leaks = (text: string) => [P1, P2].flatMap(spellings).filter((s) => text.includes(s));

describe('no console view shows a full phone number', () => {
  it('walks every member-bearing response with phones in it', async () => {
    // A LINE member who gave P1 in the chat, then asked for a person (an inbox conversation).
    const u = await consentedUser(env, '張雅婷');
    for (const q of ['gender', 'birthday', 'city', 'interests', 'price', 'promotion', 'contact-time'])
      await u.tap(`persona:${q}:skip`);
    await u.say(P1);
    await u.say('我要找真人客服');
    await u.say(`我的手機是 ${P1.slice(0, 4)}-${P1.slice(4, 7)}-${P1.slice(7)}，麻煩幫我查點數`);
    const line = (await u.member())!;
    expect(line.phone).toBe(P1);
    // An imported record with P2, and a LINE member who gave P2 on the card (a proposal).
    const imported = await buildMember({ lineUserId: undefined, status: 'imported', followedAt: undefined, phone: P2 });
    const v = await consentedUser(env, '李志豪');
    const card = await request(env.url)
      .put('/api/member/profile')
      .set('Authorization', `Bearer ${await idTokenFor(env, v.userId)}`)
      .send({ answers: { phone: P2 } })
      .expect(200);
    // The member's own card: masked in the profile, the number itself only in their own form field to edit it.
    expect(card.body.profile.phoneMasked).toBe('0966***321');
    const claimant = (await v.member())!;
    expect(claimant.phoneClaim).toMatchObject({ phone: P2, status: 'proposed' });

    // Audited staff actions on them.
    const send = (path: string, body: object) =>
      admin.agent
        .post(`/api/console${path}`)
        .set('X-CSRF-Token', admin.csrf)
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300));
    await send(`/members/${line._id}/tags`, { tags: ['常客'] });
    await send(`/members/${line._id}/notes`, { body: '喜歡無糖' });
    await send(`/members/${line._id}/points`, { delta: 10, reason: '補登點數', key: `mask-${process.pid}` });

    const inbox = await admin.agent.get('/api/console/inbox').expect(200);
    const conversation = inbox.body.items.find((c: { displayName: string }) => c.displayName === '張雅婷');
    expect(conversation).toBeDefined();

    const paths = [
      '/members',
      `/members?q=${P1}`,
      `/members?q=${P1.slice(0, 6)}`,
      `/members?q=${P2}`,
      `/members/${line._id}`,
      `/members/${line._id}/timeline`,
      `/members/${line._id}/points`,
      `/members/${line._id}/notes`,
      `/members/${claimant._id}`,
      `/members/${claimant._id}/timeline`,
      `/members/${imported._id}`,
      `/members/${claimant._id}/merge-candidates?q=${P2}`,
      `/members/${claimant._id}/merge-preview?sourceId=${imported._id}`,
      `/counter/lookup?code=${P1}`,
      `/counter/lookup?code=${P2}`,
      `/counter/members/${line._id}`,
      `/stamps/members/${line._id}`,
      '/phone-proposals',
      '/audit',
      '/inbox',
      `/inbox/${conversation.id}`,
    ];
    for (const path of paths) {
      const res = await admin.agent.get(`/api/console${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: leaks(res.text) }).toEqual({ path, leaks: [] });
    }
    // The masked form is what they show instead.
    const detail = await admin.agent.get(`/api/console/members/${line._id}`).expect(200);
    expect(detail.body.profile.phoneMasked).toBe('0955***456');
    const chat = await admin.agent.get(`/api/console/inbox/${conversation.id}`).expect(200);
    expect(chat.body.messages.map((m: { text: string }) => m.text)).toContain('我的手機是 0955***456，麻煩幫我查點數');
    const proposal = await admin.agent.get(`/api/console/members/${claimant._id}`).expect(200);
    expect(proposal.body.phoneProposal).toMatchObject({ phoneMasked: '0966***321', status: 'proposed' });

    // The documented exception: the CSV export, for roles with `members.export` only.
    const csv = await admin.agent
      .get('/api/console/members/export.csv')
      .query({ fields: 'memberCode,phone' })
      .expect(200);
    expect(csv.text).toContain(P1);
    await staff.agent.get('/api/console/members/export.csv').query({ fields: 'memberCode,phone' }).expect(403);
  });
});
