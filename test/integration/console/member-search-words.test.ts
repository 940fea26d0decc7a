/**
 * #17.5 search and filters as marketers type them: a tag's value finds its members (美妝 → 興趣:美妝), and 臺北 /
 * 台北 / 台北市 / 臺北市 are one city on write, in segment counts and in the suggestions; members stored before the
 * one spelling are fixed by the backfill.
 */
import { Member } from '../../../models/member.model';
import { backfillCitySpelling } from '../../../domain/members/city-backfill.service';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let marketer: ConsoleLogin;
const now = new Date('2025-06-01T02:00:00Z');

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());
beforeEach(() => Member.deleteMany({}));

let uid = 0;
/** A reachable member (a LINE friend who accepted marketing), as audiences count them. */
const friend = (fields: Record<string, unknown>) =>
  buildMember({ lineUserId: `U${String(++uid).padStart(32, 'c')}`, ...fields });
const tag = (t: string) => ({ tag: t, source: 'persona', addedAt: now });
const search = (q: string) => marketer.agent.get('/api/console/members').query({ q }).expect(200);
const count = (values: string[]) =>
  marketer.agent
    .post('/api/console/segments/count')
    .set('X-CSRF-Token', marketer.csrf)
    .send({ rule: { op: 'and', conditions: [{ field: 'city', op: 'in', values }] } });

describe('member search by tag value', () => {
  it('美妝 finds the members tagged 興趣:美妝 (and an exact tag still matches), not the others', async () => {
    const a = await buildMember({ name: '王小美', tags: [tag('興趣:美妝'), tag('興趣:旅遊')] });
    const b = await buildMember({ name: '林小華', tags: [tag('美妝')] });
    await buildMember({ name: '陳大明', tags: [tag('興趣:3C')] });
    const { body } = await search('美妝');
    expect(body.total).toBe(2);
    expect(body.rows.map((r: { id: string }) => r.id).sort()).toEqual([String(a._id), String(b._id)].sort());
    // Full-width and spacing as typed on a phone keyboard.
    expect((await search(' 興趣:美妝 ')).body.total).toBe(1);
    expect((await search('3c')).body.total).toBe(1);
    expect((await search('寵物')).body.total).toBe(0);
  });
});

describe('one spelling per city', () => {
  it('stores 臺北 / 台北 / 臺北市 as 台北市 and a condition with any of them counts all', async () => {
    await friend({ city: '臺北' });
    await friend({ city: '台北' });
    await friend({ city: '臺北市' });
    await friend({ city: ' 台北市 ' });
    await friend({ city: '高雄市' });
    const stored = (await Member.find({}, { city: 1 }).lean()).map((m) => m.city).sort();
    expect(stored).toEqual(['台北市', '台北市', '台北市', '台北市', '高雄市']);
    for (const typed of ['臺北', '台北', '台北市', '臺北市']) {
      const res = await count([typed]);
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(4);
    }
    // An update (the profile and console paths) stores the same spelling.
    const m = await friend({ city: '高雄' });
    await Member.updateOne({ _id: m._id }, { $set: { city: '臺中' } });
    expect((await Member.findById(m._id).lean())!.city).toBe('台中市');
    // Suggestions list each city once, in the stored spelling.
    const meta = await marketer.agent.get('/api/console/segments/meta').expect(200);
    expect(meta.body.cities).toEqual(['台中市', '台北市', '高雄市']);
  });

  it('the backfill rewrites members stored before the spelling existed, once', async () => {
    // Written around the model (as older versions stored them).
    const old = (i: number) => ({
      lineUserId: `U${String(i).padStart(32, 'd')}`,
      status: 'active',
      erasedAt: null,
      mergedInto: null,
      consent: { status: 'accepted', marketing: true },
      tags: [],
    });
    await Member.collection.insertMany([
      { memberCode: 'OLD00001', city: '臺北', ...old(1) },
      { memberCode: 'OLD00002', city: '臺北市', ...old(2) },
      { memberCode: 'OLD00003', city: '台北市', ...old(3) },
      { memberCode: 'OLD00004', ...old(4) },
    ]);
    // 臺北 without 市 is not the condition's city until the backfill gives it the one spelling.
    expect((await count(['台北市'])).body.count).toBe(2);
    expect(await backfillCitySpelling({ pageSize: 2 })).toEqual({ updated: 2 });
    expect((await count(['臺北'])).body.count).toBe(3);
    expect(await backfillCitySpelling()).toEqual({ updated: 0 });
    const cities = (await Member.find({}, { city: 1 }).sort({ memberCode: 1 }).lean()).map((m) => m.city ?? null);
    expect(cities).toEqual(['台北市', '台北市', '台北市', null]);
  });

  it('a malformed city condition is refused in zh-TW and nothing is stored', async () => {
    await friend({ city: '台北市' });
    const res = await count([]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await Member.countDocuments({})).toBe(1);
  });
});
