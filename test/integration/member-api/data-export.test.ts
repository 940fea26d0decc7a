import request from 'supertest';
import { Member } from '../../../models/member.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLiffMember, idTokenFor, type LiffMember } from '../../factories/liff-member.factory';

let env: TestEnv;
let now = new Date('2025-06-02T05:50:00Z'); // 13:50 in Taipei
let staff: ConsoleLogin;
let marketer: ConsoleLogin;
let m: LiffMember;
let token: string;
let phone = '';
let phoneSeq = 10;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  staff = await loginAs(env, 'staff', { displayName: '門市 小芳' });
  marketer = await loginAs(env, 'marketer', { displayName: '行銷 美玲' });
});
afterAll(() => env.close());
beforeEach(async () => {
  now = new Date('2025-06-02T05:50:00Z');
  m = await createLiffMember(env, { displayName: '吳佩珊', purchases: [2500], coupons: ['生日禮'] });
  token = await idTokenFor(env, m.userId);
  await request(env.url)
    .put('/api/member/profile')
    .set('Authorization', `Bearer ${token}`)
    .send({ answers: { birthday: '1988-03-14', city: '台中', interests: 'pets' } })
    .expect(200);
  phone = `09123456${++phoneSeq}`;
  await Member.updateOne({ _id: m.memberId }, { $set: { phone, name: '吳佩珊' } });
});

const post = (s: ConsoleLogin, path: string, body: object) =>
  s.agent.post(`/api/console${path}`).set('X-CSRF-Token', s.csrf).send(body);
const asMember = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);

async function staffTouchesMember() {
  const wallet = await asMember(request(env.url).get('/api/member/coupons')).expect(200);
  await post(staff, '/counter/redeem', { code: wallet.body.active[0].code }).expect(200);
  await post(marketer, `/members/${m.memberId}/tags`, { tags: ['VIP'] }).expect(200);
  await post(marketer, `/members/${m.memberId}/notes`, { body: '喜歡貓，下次推薦寵物用品' }).expect(201);
}

describe('#12.11 the member data export shows roles, not staff names or console user ids', () => {
  it('replaces every staff name, username and console user id with the role', async () => {
    await staffTouchesMember();
    const res = await asMember(request(env.url).get('/api/member/privacy/export')).expect(200);
    const text = JSON.stringify(res.body);
    for (const who of [staff, marketer]) {
      expect(text).not.toContain(who.userId);
      expect(text).not.toContain(who.username);
    }
    expect(text).not.toContain('小芳');
    expect(text).not.toContain('美玲');
    expect(res.body.records.Coupon[0].redeemedBy).toBe('門市人員');
    expect(res.body.member.tags.find((t: { tag: string }) => t.tag === 'VIP').addedBy).toBe('行銷人員');
    expect(res.body.records.MemberNote[0]).toMatchObject({ body: '喜歡貓，下次推薦寵物用品', authorId: '行銷人員' });
    expect(res.body.records.Interaction.map((i: { summary: string }) => i.summary)).toContain(
      '行銷人員 新增備註：喜歡貓，下次推薦寵物用品',
    );
    // What the member is owed stays: their own data, the ledger, their purchase.
    expect(res.body.member).toMatchObject({ name: '吳佩珊', phone, memberCode: m.memberCode });
    expect(res.body.records.Purchase[0].amount).toBe(2500);
  });
});

describe('#12.12 a data export for people, through a short-lived signed link', () => {
  async function link(): Promise<string> {
    const res = await asMember(request(env.url).post('/api/member/privacy/export-link')).expect(200);
    expect(new Date(res.body.expiresAt).getTime() - now.getTime()).toBeLessThanOrEqual(5 * 60_000);
    expect(new Date(res.body.expiresAt).getTime() - now.getTime()).toBeGreaterThan(2 * 60_000);
    return res.body.url;
  }

  it('opens without a login as a readable zh-TW page with labels, Taipei times, points, coupons, purchases and consents', async () => {
    await staffTouchesMember();
    const url = await link();
    expect(url).toMatch(/^\/api\/member\/privacy\/document\?t=/);
    const page = await request(env.url).get(url).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'nonce-[\w+/=]+'/);
    const html = page.text;
    for (const heading of ['我的會員資料', '基本資料', '同意紀錄', '點數紀錄', '優惠券', '消費紀錄', '互動紀錄'])
      expect(html).toContain(`>${heading}<`);
    expect(html).toContain('<dt>會員編號</dt><dd>' + m.memberCode + '</dd>');
    expect(html).toContain('<dt>生日</dt><dd>1988/03/14</dd>');
    expect(html).toContain('<dt>接收行銷訊息</dt>');
    expect(html).toContain('2025/06/02 13:50'); // the purchase and the points, in Taipei time (05:50 UTC)
    expect(html).not.toContain('05:50');
    expect(html).toContain('NT$2,500');
    expect(html).toContain('消費累點');
    expect(html).toContain('生日禮');
    expect(html).toContain('已使用');
    expect(html).toContain('列印');
    expect(html).not.toContain('小芳');

    const jsonHref = /href="([^"]+format=json)"/.exec(html)![1].replace(/&amp;/g, '&');
    const json = await request(env.url).get(jsonHref).expect(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(json.headers['content-disposition']).toMatch(/^inline; filename="huigo-my-data-2025-06-02\.json"/);
    expect(json.body.member.memberCode).toBe(m.memberCode);
  });

  it('a link works a few minutes only, for one member only; a forged or altered link shows nothing', async () => {
    const url = await link();
    const t = decodeURIComponent(url.split('t=')[1]);
    const other = await createLiffMember(env, { displayName: '林志明' });
    const forged = t.replace(m.memberId, other.memberId);
    for (const bad of [forged, `${t.slice(0, -2)}xx`, 'not-a-token', '']) {
      const res = await request(env.url).get(`/api/member/privacy/document?t=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(403);
      expect(res.text).toContain('這個下載連結已過期或無效');
      expect(res.text).not.toContain(m.memberCode);
    }
    const json = await request(env.url)
      .get(`/api/member/privacy/document?t=${encodeURIComponent(forged)}&format=json`)
      .expect(403);
    expect(json.body.error).toEqual({
      code: 'data_link_invalid',
      message: '這個下載連結已過期或無效，請回到會員卡重新下載。',
    });

    now = new Date(now.getTime() + 5 * 60_000 + 1000);
    const expired = await request(env.url).get(url);
    expect(expired.status).toBe(403);
    expect(expired.text).not.toContain(m.memberCode);
  });

  it('asking for a link needs the ID token, and a link of a member who deleted their data opens nothing', async () => {
    await request(env.url).post('/api/member/privacy/export-link').expect(401);
    const url = await link();
    await asMember(request(env.url).post('/api/member/privacy/erase')).send({ confirm: true }).expect(200);
    expect((await request(env.url).get(url)).status).toBe(403);
  });
});
