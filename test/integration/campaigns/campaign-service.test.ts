import request from 'supertest';
import { Campaign } from '../../../models/campaign.model';
import { Coupon } from '../../../models/coupon.model';
import { Interaction } from '../../../models/interaction.model';
import { Purchase } from '../../../models/purchase.model';
import { TrackedLink } from '../../../models/tracked-link.model';
import {
  cancelCampaign,
  createCampaign,
  estimateCampaign,
  getCampaign,
  getCampaignStats,
  listCampaigns,
  resumeCampaign,
  sendTestMessage,
  updateCampaign,
} from '../../../domain/campaigns/campaign.service';
import { signMemberToken } from '../../../domain/campaigns/tracked-links.service';
import { createCouponTemplate, redeemCoupon } from '../../../domain/coupons';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { runJobOnce } from '../../../jobs/runner';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { deliveriesPerUser, seedFollowers, taipei, withClock } from './fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
});

const CREATED = taipei('2025-05-01T12:00:00');
const dispatch = (at: Date) => runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
const base = (at: Date, extra: Record<string, unknown> = {}) => ({
  name: '母親節活動',
  audience: { type: 'all' },
  schedule: { type: 'once', at: at.toISOString() },
  messages: [{ type: 'text', text: '母親節限定禮盒 https://shop.example.com/mom?utm=line 快來看看！' }],
  ...extra,
});

describe('campaign service', () => {
  it('refuses bad input with field errors and stores nothing', async () => {
    const bad = [
      { ...base(CREATED), name: '' },
      { ...base(CREATED), messages: [] },
      { ...base(CREATED), messages: [{ type: 'text', text: 'x', $where: '1' }] },
      {
        ...base(CREATED),
        messages: [
          {
            type: 'image',
            originalContentUrl: 'http://insecure.example.com/a.jpg',
            previewImageUrl: 'https://x.example.com/a.jpg',
          },
        ],
      },
      { ...base(CREATED), schedule: { type: 'recurring', cron: '61 * * * *' } },
      { ...base(CREATED), audience: { type: 'rule', rule: { $where: 'true' } } },
      { ...base(CREATED), options: { quietHours: { enabled: true, start: '25:00', end: '09:00' } } },
      { ...base(taipei('2025-04-01T10:00:00')) },
    ];
    for (const input of bad)
      await expect(createCampaign(input, 'm', CREATED, { timeZone: 'Asia/Taipei' })).rejects.toMatchObject({
        status: 400,
      });
    expect(await Campaign.countDocuments()).toBe(0);
  });

  it('rewrites links, counts clicks, attributes per-member clicks, coupons and purchases in stats', async () => {
    const members = await seedFollowers(env, 3);
    const tpl = await createCouponTemplate(
      { title: '母親節 9 折', kind: 'percent', value: 10, validity: { mode: 'relative', days: 14 } },
      'm',
    );
    const at = taipei('2025-05-08T10:00:00');
    const c = await createCampaign(
      base(at, { coupon: { templateId: tpl.id }, options: { linkTracking: 'member', attributionDays: 7 } }),
      'm',
      CREATED,
      { timeZone: 'Asia/Taipei' },
    );
    expect(c.links).toHaveLength(1);
    expect(c.links[0].url).toBe('https://shop.example.com/mom?utm=line');
    await dispatch(at);
    await dispatch(new Date(at.getTime() + 60_000)); // the next minute's pass finds nothing more to do

    const inbox = env.local.emulator!.messagesFor(members[0].lineUserId);
    expect(inbox).toHaveLength(2);
    const text = String(inbox[0].message.text);
    // The member's own short code on the brand's address, the destination's host on the line before (#17.4).
    const link = /禮盒\nshop\.example\.com › mom\n(http:\/\/\S+\/r\/([A-Z2-9]{8})) /.exec(text)!;
    expect(link).toBeTruthy();
    expect(text).not.toContain('?m=');
    expect(inbox[1].message.text).toContain('母親節 9 折');
    expect(await Coupon.countDocuments({ source: 'campaign' })).toBe(3);

    const path = new URL(link[1]).pathname;
    const click = await request(env.url).get(path);
    expect(click.status).toBe(302);
    // The link's own parameter kept, the UTM parameters added (#17.4; a Chinese-only name slugs to the id).
    expect(click.headers.location).toMatch(
      /^https:\/\/shop\.example\.com\/mom\?utm=line&utm_source=line&utm_medium=campaign&utm_campaign=campaign-[0-9a-f]{6}$/,
    );
    await request(env.url).get(path); // same member twice: one timeline entry
    // Links sent before short codes (`/r/<linkId>?m=<token>`) still work; an open without a token is anonymous.
    const linkPath = `/r/${c.links[0].id}`;
    await request(env.url).get(`${linkPath}?m=${signMemberToken(members[0].memberId, env.config.line.channelSecret)}`);
    await request(env.url).get(linkPath); // anonymous open
    await request(env.url).get(`${linkPath}?m=forged${'x'.repeat(26)}`);
    expect((await request(env.url).get('/r/nope-nope')).status).toBe(404);
    expect(await Interaction.countDocuments({ type: 'click', memberId: members[0].memberId })).toBe(1);

    const coupon = await Coupon.findOne({ memberId: members[1].memberId }).lean();
    await redeemCoupon({
      code: coupon!.code,
      actor: 'staff',
      now: new Date(at.getTime() + 3600_000),
      timeZone: 'Asia/Taipei',
    });
    // Through the ingest use case, which is where a purchase is counted toward the campaign's attribution.
    const purchaseCtx = {
      source: 'pos',
      now: new Date(at.getTime() + 10 * 86_400_000),
      messenger: env.deps.messenger,
      timeZone: 'Asia/Taipei',
    };
    for (const [orderId, member, amount, days] of [
      ['p1', members[1], 1200, 2],
      ['p2', members[2], 800, 9],
    ] as const)
      await ingestPurchase(
        {
          orderId,
          member: { memberId: String(member.memberId) },
          amount,
          time: new Date(at.getTime() + days * 86_400_000).toISOString(),
        },
        purchaseCtx,
      );
    expect(await Purchase.countDocuments()).toBe(2);

    const stats = await getCampaignStats(c.id);
    expect(stats).toMatchObject({
      audience: 3,
      sent: 3,
      failed: 0,
      clicks: 5,
      uniqueClickers: 1,
      couponsIssued: 3,
      couponRedemptions: 1,
      attributedPurchases: { count: 1, buyers: 1, revenue: 1200 },
    });
    expect(await TrackedLink.countDocuments()).toBe(1);
  });

  it('estimates audience against the quota, edits, cancels and resumes', async () => {
    await seedFollowers(env, 4);
    env.local.emulator!.setMonthlyQuota(3);
    const at = taipei('2025-05-09T10:00:00');
    const est = await estimateCampaign(base(at), CREATED, env.deps.messenger, { timeZone: 'Asia/Taipei' });
    expect(est).toEqual({ audience: 4, quota: { limit: 3, used: 0, remaining: 3 }, wouldExceed: true });

    const c = await createCampaign(base(at, { draft: true }), 'm', CREATED, { timeZone: 'Asia/Taipei' });
    expect(c.status).toBe('draft');
    await dispatch(at);
    expect(await env.emulator.pushes()).toHaveLength(0); // drafts are never sent
    const edited = await updateCampaign(c.id, { draft: false, name: '母親節（改）' }, 'm', CREATED, {
      timeZone: 'Asia/Taipei',
    });
    expect(edited).toMatchObject({ status: 'scheduled', name: '母親節（改）' });

    await dispatch(new Date(at.getTime() + 60_000));
    expect((await getCampaign(c.id)).status).toBe('held');
    await expect(updateCampaign(c.id, { name: '' }, 'm', CREATED, { timeZone: 'Asia/Taipei' })).rejects.toMatchObject({
      status: 400,
    });
    await resumeCampaign(c.id, 'm', { sendPartial: true });
    const later = new Date(at.getTime() + 120_000);
    await dispatch(later);
    const done = await getCampaign(c.id);
    expect(done.status).toBe('completed');
    expect(done.runs[0]).toMatchObject({ sent: 3, skipped: { quota_exceeded: 1 } });

    const other = await createCampaign(base(taipei('2025-05-10T10:00:00'), { name: '取消我' }), 'm', CREATED, {
      timeZone: 'Asia/Taipei',
    });
    const cancelled = await cancelCampaign(other.id, 'm', CREATED);
    expect(cancelled.status).toBe('cancelled');
    await dispatch(taipei('2025-05-10T10:00:00'));
    expect((await listCampaigns()).total).toBe(2);
    expect(deliveriesPerUser(await env.emulator.pushes()).size).toBe(3);
  });

  it('runs a recurring campaign at each cron time until its end date', async () => {
    const [m] = await seedFollowers(env, 1);
    const c = await createCampaign(
      {
        ...base(CREATED),
        name: '每週一早安',
        schedule: { type: 'recurring', cron: '0 10 * * 1' },
        options: { endAt: taipei('2025-05-13T00:00:00').toISOString(), frequencyCap: null },
      },
      'm',
      CREATED,
      { timeZone: 'Asia/Taipei' },
    );
    expect(c.nextRunAt).toEqual(taipei('2025-05-05T10:00:00'));
    await dispatch(taipei('2025-05-05T10:00:00'));
    expect((await getCampaign(c.id)).nextRunAt).toEqual(taipei('2025-05-12T10:00:00'));
    await dispatch(taipei('2025-05-12T10:00:00'));
    const after = await getCampaign(c.id);
    expect(after.status).toBe('completed');
    expect(after.runs.map((r) => r.occurrence)).toEqual(['2025-05-12T10:00', '2025-05-05T10:00']);
    expect(deliveriesPerUser(await env.emulator.pushes()).get(m.lineUserId)).toBe(2);
  });

  it('sends a test message to one LINE user', async () => {
    const [m] = await seedFollowers(env, 1);
    const c = await createCampaign(base(taipei('2025-05-20T10:00:00')), 'm', CREATED, { timeZone: 'Asia/Taipei' });
    await sendTestMessage(env.deps, c.id, m.lineUserId);
    const inbox = await env.emulator.messages(m.lineUserId, 2);
    expect(inbox[0].message.text).toContain('測試訊息');
    expect(inbox[1].message.text).toContain('/r/');
    await expect(sendTestMessage(env.deps, c.id, 'not-a-user')).rejects.toMatchObject({ status: 400 });
  });
});
