/**
 * #17.4 campaign measurement: A/B variants (split by position, sent and tracked per variant, a winner by the
 * chosen metric), LINE's own figures through the campaign's aggregation unit, and clean per-recipient links.
 */
import request from 'supertest';
import { Campaign } from '../../../models/campaign.model';
import { Delivery } from '../../../models/delivery.model';
import { Interaction } from '../../../models/interaction.model';
import { LinkCode, TrackedLink } from '../../../models/tracked-link.model';
import {
  createCampaign,
  getCampaignStats,
  previewCampaign,
  sendTestMessage,
  updateCampaign,
} from '../../../domain/campaigns/campaign.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { campaignUnitOf } from '../../../domain/campaigns/campaign-render.service';
import { eraseMemberData } from '../../../domain/members/privacy.service';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { runJobOnce } from '../../../jobs/runner';
import { TestRecipient } from '../../../models/test-recipient.model';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { type Follower, seedFollowers, withClock } from './fixtures';

let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(1_000_000);
});

const TZ = { timeZone: 'Asia/Taipei' };
/** Now (the emulator dates its sends by the real clock, and LINE's insight counts days). */
const nowMinute = () => new Date(Math.floor(Date.now() / 60_000) * 60_000);
const dispatch = (at: Date) => runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
const text = (t: string) => [{ type: 'text', text: t }];

const abCampaign = (at: Date, ab: Record<string, unknown>, options: Record<string, unknown> = {}) => ({
  name: 'AB 週年慶',
  audience: { type: 'all' },
  schedule: { type: 'once', at: at.toISOString() },
  ab,
  options: { quietHours: { enabled: false }, frequencyCap: null, ...options },
});

/** The recipients of each variant, from the deliveries the freeze wrote. */
async function byVariant(campaignId: string, members: Follower[]): Promise<Map<string, Follower[]>> {
  const rows = await Delivery.find({ campaignId }, { memberId: 1, variant: 1 }).lean();
  const variantOf = new Map(rows.map((r) => [String(r.memberId), r.variant!]));
  const out = new Map<string, Follower[]>();
  for (const m of members) {
    const v = variantOf.get(String(m.memberId))!;
    out.set(v, [...(out.get(v) ?? []), m]);
  }
  return out;
}

/** The short link in a member's (only) text message. */
function shortLinkOf(m: Follower): string {
  const inbox = env.local.emulator!.messagesFor(m.lineUserId);
  const t = String(inbox[inbox.length - 1].message.text);
  return /\/r\/[A-Z2-9]{8}/.exec(t)![0];
}

describe('A/B campaigns', () => {
  it('splits 101 recipients 50/50 (±1) by _id order, sends each variant its messages and names the click winner', async () => {
    const members = await seedFollowers(env, 101);
    const at = nowMinute();
    const c = await createCampaign(
      abCampaign(
        at,
        {
          metric: 'click_rate',
          variants: [
            { share: 50, messages: text('A 版：全館 9 折 https://shop.example.com/sale') },
            { share: 50, messages: text('B 版：滿千送百 https://shop.example.com/sale') },
          ],
        },
        { linkTracking: 'member' },
      ),
      'm',
      at,
      TZ,
    );
    expect(c.messages).toEqual(text('A 版：全館 9 折 https://shop.example.com/sale')); // variant A's
    expect(c.links.map((l) => l.variant).sort()).toEqual(['A', 'B']); // one link per variant
    await dispatch(at);

    const groups = await byVariant(c.id, members);
    expect(groups.get('A')!.length).toBe(51); // 50.5 ± 1
    expect(groups.get('B')!.length).toBe(50);
    // Deterministic by position: in _id order the variants alternate from A.
    const ordered = [...members].sort((a, b) => String(a.memberId).localeCompare(String(b.memberId)));
    const rows = await Delivery.find({ campaignId: c.id }).lean();
    const v = new Map(rows.map((r) => [String(r.memberId), r.variant]));
    expect(ordered.slice(0, 4).map((m) => v.get(String(m.memberId)))).toEqual(['A', 'B', 'A', 'B']);

    for (const [variant, ms] of groups)
      for (const m of ms) {
        const inbox = env.local.emulator!.messagesFor(m.lineUserId);
        expect(inbox).toHaveLength(1);
        expect(String(inbox[0].message.text)).toContain(`${variant} 版`);
      }
    // Per-member tracking: one push per recipient.
    const pushes = (await env.emulator.pushes()).filter((e) => e.status === 200);
    expect(pushes).toHaveLength(101);
    expect(await Campaign.countDocuments()).toBe(1);

    // B: 20 members click (one of them twice); A: 2 members click.
    const clickers = [...groups.get('B')!.slice(0, 20), ...groups.get('A')!.slice(0, 2)];
    for (const m of clickers) expect((await request(env.url).get(shortLinkOf(m))).status).toBe(302);
    await request(env.url).get(shortLinkOf(groups.get('B')![0]));

    const stats = await getCampaignStats(c.id);
    expect(stats.ab).toMatchObject({
      metric: 'click_rate',
      variants: [
        { variant: 'A', share: 50, sent: 51, clicks: 2, uniqueClickers: 2 },
        { variant: 'B', share: 50, sent: 50, clicks: 21, uniqueClickers: 20, clickRate: 0.4 },
      ],
      verdict: { winner: 'B', reason: 'significant' },
    });
    expect(stats.ab!.definition).toContain('點擊率');
    expect(stats).toMatchObject({ sent: 101, clicks: 23, uniqueClickers: 22 });
    expect(await Interaction.countDocuments({ type: 'click' })).toBe(22); // once per member
    // `npm run stats:rebuild` recomputes the same per-variant figures from the records.
    await rebuildStatCounters();
    expect((await getCampaignStats(c.id)).ab).toEqual(stats.ab);
  });

  it('names the purchase-rate winner of a 30/70 multicast split, and no winner when tied', async () => {
    const members = await seedFollowers(env, 101);
    const at = nowMinute();
    const ab = {
      metric: 'purchase_rate',
      variants: [
        { share: 30, messages: text('A 版：回購禮') },
        { share: 70, messages: text('B 版：新品上市') },
      ],
    };
    const c = await createCampaign(abCampaign(at, ab), 'm', at, TZ);
    await dispatch(at);
    const groups = await byVariant(c.id, members);
    expect(groups.get('A')!.length).toBe(30); // 30.3 ± 1
    expect(groups.get('B')!.length).toBe(71); // 70.7 ± 1
    // Multicasts: one per variant (each carries its variant's messages).
    const multicasts = (await env.emulator.pushes()).filter((e) => e.api === 'multicast' && e.status === 200);
    expect(multicasts).toHaveLength(2);
    expect(multicasts.map((e) => String(e.messages[0].text)).sort()).toEqual(['A 版：回購禮', 'B 版：新品上市']);

    const purchaseCtx = { source: 'pos', now: at, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' };
    const buy = async (m: Follower, orderId: string) =>
      ingestPurchase(
        {
          orderId,
          member: { memberId: String(m.memberId) },
          amount: 1000,
          time: new Date(at.getTime() + 3_600_000).toISOString(),
        },
        { ...purchaseCtx, now: new Date(at.getTime() + 3_600_000) },
      );
    // Tied first: 3 of 30 in A, 7 of 70 in B (10 % each).
    for (const [i, m] of groups.get('A')!.slice(0, 3).entries()) await buy(m, `a${i}`);
    for (const [i, m] of groups.get('B')!.slice(0, 7).entries()) await buy(m, `b${i}`);
    await buy(groups.get('A')![0], 'a-again'); // a second purchase: still one buyer
    let stats = await getCampaignStats(c.id);
    expect(stats.ab!.variants.map((v) => [v.variant, v.sent, v.buyers, v.purchases])).toEqual([
      ['A', 30, 3, 4],
      ['B', 71, 7, 7],
    ]);
    expect(stats.ab!.verdict.winner).toBeNull();

    // Then A pulls ahead: 15 of 30 buy.
    for (const [i, m] of groups.get('A')!.slice(3, 15).entries()) await buy(m, `a2-${i}`);
    stats = await getCampaignStats(c.id);
    expect(stats.ab!.verdict).toEqual({ winner: 'A', reason: 'significant' });
    expect(stats.ab!.variants[0]).toMatchObject({ buyers: 15, purchaseRate: 0.5 });
    expect(stats.ab!.definition).toContain('購買率');
    await rebuildStatCounters();
    expect((await getCampaignStats(c.id)).ab).toEqual(stats.ab);
  });

  it('refuses bad A/B input with zh-TW field errors and stores nothing', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const bad: Array<[Record<string, unknown>, string, string]> = [
      [
        {
          variants: [
            { share: 50, messages: text('A') },
            { share: 40, messages: text('B') },
          ],
        },
        'ab.variants',
        '各版本比例加總必須是 100%（目前是 90%）',
      ],
      [
        {
          variants: [
            { share: 50, messages: text('A') },
            { share: 50, messages: [] },
          ],
        },
        'ab.variants.1.messages',
        'B 版至少要有一則訊息',
      ],
      [{ variants: [{ share: 100, messages: text('A') }] }, 'ab.variants', 'A/B 測試至少要有 2 個版本'],
      [
        { variants: [20, 20, 20, 20, 20].map((share) => ({ share, messages: text('x') })) },
        'ab.variants',
        'A/B 測試最多 4 個版本',
      ],
      [
        {
          metric: 'open_rate',
          variants: [
            { share: 50, messages: text('A') },
            { share: 50, messages: text('B') },
          ],
        },
        'ab.metric',
        '勝出指標必須是點擊率或購買率',
      ],
    ];
    for (const [ab, path, message] of bad)
      await expect(createCampaign(abCampaign(at, ab), 'm', new Date(), TZ)).rejects.toMatchObject({
        status: 400,
        details: { fields: expect.arrayContaining([{ path, message }]) },
      });
    expect(await Campaign.countDocuments()).toBe(0);
    expect(await TrackedLink.countDocuments()).toBe(0);

    // An edit that breaks the split changes nothing stored either.
    const ok = {
      variants: [
        { share: 50, messages: text('A') },
        { share: 50, messages: text('B') },
      ],
    };
    const c = await createCampaign(abCampaign(at, ok), 'm', new Date(), TZ);
    await expect(
      updateCampaign(
        c.id,
        { ab: { variants: [{ share: 60, messages: text('A') }, ok.variants[1]] } },
        'm',
        new Date(),
        TZ,
      ),
    ).rejects.toMatchObject({ status: 400 });
    expect((await Campaign.findById(c.id).lean())!.ab).toEqual({ metric: 'click_rate', ...ok });
  });

  it('previews and test-sends each variant as the customer gets it', async () => {
    const [tester] = await seedFollowers(env, 1);
    const at = new Date(Date.now() + 3_600_000);
    const c = await createCampaign(
      abCampaign(
        at,
        {
          variants: [
            { share: 50, messages: text('A 版 https://shop.example.com/活動/1') },
            { share: 50, messages: text('B 版 https://shop.example.com/活動/2') },
          ],
        },
        { linkTracking: 'member' },
      ),
      'm',
      new Date(),
      TZ,
    );
    const ctx = { links: env.deps.links, messenger: env.deps.messenger };
    const b = await previewCampaign(ctx, c.id, 'B');
    expect(b.variant).toBe('B');
    expect(b.messages).toEqual([
      { type: 'text', text: expect.stringMatching(/^B 版\nshop\.example\.com › 活動\nhttp:\/\/\S+\/r\/C{8}$/) },
    ]);
    expect((await previewCampaign(ctx, c.id)).variant).toBe('A');
    await expect(previewCampaign(ctx, c.id, 'C')).rejects.toMatchObject({ status: 400, code: 'unknown_variant' });

    await sendTestMessage(ctx, c.id, tester.lineUserId, 'B');
    const inbox = env.local.emulator!.messagesFor(tester.lineUserId);
    expect(String(inbox[1].message.text)).toMatch(/^B 版\nshop\.example\.com › 活動\n/);
  });
});

describe('A/B over the console API', () => {
  it('previews and test-sends a variant, refuses an unknown one in zh-TW, and returns the A/B figures', async () => {
    const [tester] = await seedFollowers(env, 1);
    await TestRecipient.create({ lineUserId: tester.lineUserId, label: '測試機', source: 'admin', addedBy: 'admin' });
    const s = await loginAs(env, 'marketer');
    const post = (path: string, body: unknown) =>
      s.agent
        .post(`/api/console/campaigns${path}`)
        .set('X-CSRF-Token', s.csrf)
        .send(body as object);
    const input = abCampaign(new Date(Date.now() + 3_600_000), {
      metric: 'purchase_rate',
      variants: [
        { share: 40, messages: text('A 版 https://shop.example.com/a') },
        { share: 60, messages: text('B 版 https://shop.example.com/b') },
      ],
    });
    const draft = await post('/preview?variant=B', input).expect(200);
    expect(draft.body.messages[0].text).toMatch(/^B 版\nshop\.example\.com › b\nhttps?:\/\/\S+\/r\/L{10}$/);
    const id = (await post('', input).expect(201)).body.campaign.id;
    const saved = await s.agent.get(`/api/console/campaigns/${id}/preview?variant=B`).expect(200);
    expect(saved.body.messages[0].text).toMatch(/^B 版\nshop\.example\.com › b\nhttps?:\/\/\S+\/r\/[A-Za-z0-9_-]{10}$/);

    await post(`/${id}/test-send`, { lineUserId: tester.lineUserId, variant: 'B' }).expect(200);
    const inbox = env.local.emulator!.messagesFor(tester.lineUserId);
    expect(String(inbox[inbox.length - 1].message.text)).toMatch(/^B 版/);
    const bad = await post(`/${id}/test-send`, { lineUserId: tester.lineUserId, variant: 'E' }).expect(400);
    expect(bad.body.error.details.fields).toEqual([{ path: 'variant', message: '版本必須是 A、B、C 或 D' }]);
    expect(
      (await post(`/${id}/test-send`, { lineUserId: tester.lineUserId, variant: 'C' }).expect(400)).body.error.message,
    ).toBe('這個活動沒有「C」版。');

    const stats = await s.agent.get(`/api/console/campaigns/${id}/stats`).expect(200);
    expect(stats.body.stats.ab).toMatchObject({
      metric: 'purchase_rate',
      variants: [
        { variant: 'A', share: 40, sent: 0 },
        { variant: 'B', share: 60, sent: 0 },
      ],
      verdict: { winner: null, reason: 'too_few' },
    });
    expect(stats.body.stats.line).toBeNull(); // not sent yet: nothing to ask LINE
  });
});

describe('LINE figures per campaign', () => {
  it('tags every send with the campaign unit and reads impressions and clicks from the insight API', async () => {
    const members = await seedFollowers(env, 3);
    const at = nowMinute();
    const c = await createCampaign(
      {
        name: '會員日',
        audience: { type: 'all' },
        schedule: { type: 'once', at: at.toISOString() },
        messages: text('會員日 https://shop.example.com/day'),
        options: { quietHours: { enabled: false }, frequencyCap: null },
      },
      'm',
      at,
      TZ,
    );
    await dispatch(at);
    const unit = campaignUnitOf(c.id);
    expect(unit).toMatch(/^[a-zA-Z0-9_]{1,30}$/);
    const emu = env.local.emulator!;
    for (const m of members) emu.openMessage(m.lineUserId, unit);
    const url = /http:\/\/\S+\/r\/\S+/.exec(String(emu.messagesFor(members[0].lineUserId)[0].message.text))![0];
    emu.clickUrl(members[0].lineUserId, url, unit);

    // Below LINE's threshold (20 people) LINE gives no figures.
    const line = { messenger: env.deps.messenger, now: new Date() };
    const hidden = await getCampaignStats(c.id, line);
    expect(hidden.line).toMatchObject({
      unit,
      available: true,
      delivered: 3,
      uniqueImpression: null,
      uniqueClick: null,
    });

    emu.setInsightMinCount(1);
    const shown = await getCampaignStats(c.id, line);
    expect(shown.line).toMatchObject({ available: true, delivered: 3, uniqueImpression: 3, uniqueClick: 1 });
  });
});

describe('clean links in plain-text messages', () => {
  it('a per-member text shows the destination host and its own short code, which redirects and counts once per member', async () => {
    const members = await seedFollowers(env, 2);
    const at = nowMinute();
    const c = await createCampaign(
      {
        name: 'Spring Sale',
        audience: { type: 'all' },
        schedule: { type: 'once', at: at.toISOString() },
        messages: text('春季特賣 https://www.shop.example.com/spring?x=1'),
        options: { quietHours: { enabled: false }, frequencyCap: null, linkTracking: 'member' },
      },
      'm',
      at,
      TZ,
    );
    await dispatch(at);
    const t0 = String(env.local.emulator!.messagesFor(members[0].lineUserId)[0].message.text);
    const t1 = String(env.local.emulator!.messagesFor(members[1].lineUserId)[0].message.text);
    expect(t0).toMatch(/^春季特賣\nshop\.example\.com › spring\nhttp:\/\/\S+\/r\/[A-Z2-9]{8}$/);
    expect(t0).not.toContain('m=');
    expect(t0).not.toBe(t1); // each recipient has their own code
    expect(await LinkCode.countDocuments()).toBe(2);

    const path = new URL(/http:\/\/\S+/.exec(t0)![0]).pathname;
    const first = await request(env.url).get(path);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(
      'https://www.shop.example.com/spring?x=1&utm_source=line&utm_medium=campaign&utm_campaign=spring-sale',
    );
    await request(env.url).get(path);
    expect(await Interaction.countDocuments({ type: 'click', memberId: members[0].memberId })).toBe(1);
    expect(await getCampaignStats(c.id)).toMatchObject({ clicks: 2, uniqueClickers: 1 });
    expect((await request(env.url).get('/r/ZZZZZZZZ')).status).toBe(404);
    // Erasing the member deletes their codes: the short link no longer names anyone.
    await eraseMemberData(members[0].memberId, new Date(), { erasureSecret: env.config.privacy.erasureHmacSecret });
    expect(await LinkCode.countDocuments({ memberId: members[0].memberId })).toBe(0);
    expect((await request(env.url).get(path)).status).toBe(404);
  });
});
