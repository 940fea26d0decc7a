import mongoose from 'mongoose';
import request from 'supertest';
import { StatCounter } from '../../../models/stat-counter.model';
import { createCampaign } from '../../../domain/campaigns/campaign.service';
import { scanCampaignStats } from '../../../domain/campaigns/campaign-stats.service';
import { createCouponTemplate, redeemCoupon, reverseRedemption } from '../../../domain/coupons';
import { recordInteraction } from '../../../domain/interactions/interaction.service';
import { markUnfollowed, recordConsent, registerFollow } from '../../../domain/members/member-lifecycle.service';
import { eraseMemberData } from '../../../domain/members/privacy.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { refundPurchase } from '../../../domain/purchases/purchase-refund.service';
import { applyReferralCode, ensureReferralCode } from '../../../domain/referrals/referral.service';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { Coupon } from '../../../models/coupon.model';
import { Member } from '../../../models/member.model';
import { TrackedLink } from '../../../models/tracked-link.model';
import { runJobOnce } from '../../../jobs/runner';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { withClock } from '../campaigns/fixtures';

const DAY = 86_400_000;
const TZ = 'Asia/Taipei';
let env: TestEnv;
let marketer: ConsoleLogin;
/**
 * The last 14:00 in Taipei (up to a day ago): the week's pushes then land at 14:00 Taipei, outside the quiet hours a
 * campaign waits out, whatever time of day the suite runs.
 */
const now = (() => {
  const real = Date.now();
  const taipeiHour = new Date(real + 8 * 3_600_000).getUTCHours();
  const t = new Date(real - ((taipeiHour - 14 + 24) % 24) * 3_600_000);
  t.setUTCMinutes(0, 0, 0);
  return t;
})();
const daysAgo = (d: number, hours = 0) => new Date(now.getTime() - d * DAY + hours * 3_600_000);

beforeAll(async () => {
  env = await startTestEnv();
  env.local.emulator!.setMonthlyQuota(100_000);
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env?.close());

/** Counter documents without zero figures (a live `$inc` leaves zeros and emptied buckets a rebuild never writes). */
async function counters(): Promise<Record<string, unknown>> {
  const prune = (v: unknown): unknown => {
    if (typeof v === 'number') return v === 0 ? undefined : v;
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined && !(typeof p === 'object' && p && !Object.keys(p).length)) out[k] = p;
    }
    return out;
  };
  const docs = await StatCounter.find().sort({ _id: 1 }).lean();
  const entries = docs.map((d) => [String(d._id), prune(d.n) ?? {}] as const);
  return Object.fromEntries(entries.filter(([, n]) => Object.keys(n as object).length));
}

async function follow(name: string, at: Date) {
  const user = env.local.emulator!.createUser({ displayName: name });
  env.local.emulator!.setWebhookUrl(null);
  await env.local.emulator!.follow(user.userId);
  const { member } = await registerFollow({
    lineUserId: user.userId,
    profile: { userId: user.userId, displayName: name },
    now: at,
    erasureSecret: env.config.privacy.erasureHmacSecret,
  });
  return member._id;
}

const purchaseCtx = (at: Date) => ({ source: 'pos', now: at, messenger: env.deps.messenger, timeZone: TZ });
const buy = (memberId: unknown, orderId: string, amount: number, at: Date) =>
  ingestPurchase({ orderId, member: { memberId: String(memberId) }, amount, time: at.toISOString() }, purchaseCtx(at));

/**
 * Followers, consents, a block, a referral, a campaign with per-member links and a coupon sent to them, clicks,
 * a redemption and its reversal, purchases inside and outside the attribution window, a partial and a full refund,
 * activity, and an erasure of a member who clicked and bought: the events a week of a real program produces.
 */
async function runRealisticWeek(): Promise<string> {
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await follow(`會員${i}`, daysAgo(10, i)));
  ids.push(await follow('老會員', daysAgo(40)));
  ids.push(await follow('新朋友', daysAgo(2)));
  for (const id of ids.slice(0, 5)) await recordConsent(id, 'accepted', 'v1', daysAgo(10, 6));
  await recordConsent(ids[5], 'declined', 'v1', daysAgo(39));
  await markUnfollowed((await Member.findById(ids[4]).lean())!.lineUserId!, daysAgo(5));
  await recordConsent(ids[6], 'accepted', 'v1', daysAgo(2, 1));
  const code = await ensureReferralCode(ids[0]);
  await applyReferralCode({ refereeId: ids[6], code, now: daysAgo(2, 2) });

  const tpl = await createCouponTemplate(
    { title: '週年慶 9 折', kind: 'percent', value: 10, validity: { mode: 'relative', days: 14 } },
    'm',
  );
  const at = daysAgo(4);
  const campaign = await createCampaign(
    {
      name: '週年慶',
      audience: { type: 'all' },
      schedule: { type: 'once', at: at.toISOString() },
      messages: [{ type: 'text', text: '週年慶開跑 https://shop.example.com/anniversary' }],
      coupon: { templateId: tpl.id },
      options: { linkTracking: 'member', attributionDays: 2 },
    },
    'm',
    daysAgo(5),
    { timeZone: TZ },
  );
  await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
  await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', new Date(at.getTime() + 60_000));

  for (const [id, times] of [
    [ids[0], 2],
    [ids[1], 1],
  ] as const) {
    const inbox = env.local.emulator!.messagesFor((await Member.findById(id).lean())!.lineUserId!);
    // The member's own short code (#17.4); the link's own id opens anonymously.
    const link = /http:\/\/\S+(\/r\/[A-Z2-9]{8})/.exec(String(inbox[0].message.text))!;
    for (let i = 0; i < times; i++) await request(env.url).get(link[1]).expect(302);
    const linkId = (await TrackedLink.findOne({}, { _id: 1 }).lean())!._id;
    await request(env.url).get(`/r/${linkId}`).expect(302); // an anonymous open
  }
  const c1 = await Coupon.findOne({ memberId: ids[1] }).lean();
  const c2 = await Coupon.findOne({ memberId: ids[2] }).lean();
  await redeemCoupon({ code: c1!.code, actor: 'staff', now: daysAgo(3), timeZone: TZ });
  await redeemCoupon({ code: c2!.code, actor: 'staff', now: daysAgo(3), timeZone: TZ });
  await reverseRedemption({ couponId: String(c2!._id), actor: 'admin', now: daysAgo(3, 1) });

  await buy(ids[1], 'A-1', 1200, daysAgo(3));
  await buy(ids[1], 'A-2', 500, daysAgo(3, 2));
  await buy(ids[1], 'A-2', 500, daysAgo(3, 2)); // a POS retry: counted once
  await buy(ids[0], 'A-3', 300, daysAgo(3));
  await buy(ids[2], 'A-4', 800, daysAgo(1)); // 3 days after the push: outside the 2-day window
  await buy(ids[5], 'A-5', 990, daysAgo(35));
  await buy(ids[3], 'A-6', 450, daysAgo(6)); // before the push
  await refundPurchase({ orderId: 'A-2', refundId: 'R-1' }, { source: 'pos', now: daysAgo(1) });
  await refundPurchase({ orderId: 'A-1', refundId: 'R-2', amount: 200 }, { source: 'pos', now: daysAgo(1) });
  await refundPurchase({ orderId: 'A-1', refundId: 'R-2', amount: 200 }, { source: 'pos', now: daysAgo(1) });

  await recordInteraction({ memberId: ids[3], type: 'message_in', channel: 'line', summary: '點數', at: daysAgo(1) });
  await recordInteraction({ memberId: ids[3], type: 'message_in', channel: 'line', summary: '點數', at: daysAgo(0) });
  await eraseMemberData(ids[0], daysAgo(0, -1), { erasureSecret: env.config.privacy.erasureHmacSecret });
  return campaign.id;
}

describe('#18.8 counters: the dashboard and campaign stats read counters kept up to date on each event', () => {
  let campaignId: string;
  let liveDashboard: unknown;
  let liveStats: Record<string, unknown>;

  it('after a realistic week the live counters equal the rebuilt ones and what the record scan computes', async () => {
    campaignId = await runRealisticWeek();
    liveDashboard = (await marketer.agent.get('/api/console/dashboard').expect(200)).body;
    liveStats = (await marketer.agent.get(`/api/console/campaigns/${campaignId}/stats`).expect(200)).body.stats;
    const live = await counters();

    // The scan over the records (the code the stats page ran before counters; now the rebuild path).
    const { clickerIds, buyerCounts, ...scanned } = await scanCampaignStats(campaignId);
    expect(clickerIds).toHaveLength(1); // the erased member's click left with their timeline
    expect(buyerCounts.size).toBe(2);
    expect(liveStats).toMatchObject({
      matched: scanned.matched,
      audience: scanned.audience,
      sent: scanned.sent,
      failed: scanned.failed,
      pending: scanned.pending,
      cancelled: scanned.cancelled,
      skipped: scanned.skipped,
      clicks: scanned.clicks,
      uniqueClickers: scanned.uniqueClickers,
      couponsIssued: scanned.couponsIssued,
      couponRedemptions: scanned.couponRedemptions,
      attributedPurchases: scanned.attributedPurchases,
    });
    // Worked out by hand from the week above.
    expect(liveStats).toMatchObject({
      sent: 5,
      clicks: 5,
      uniqueClickers: 1,
      couponsIssued: 5,
      couponRedemptions: 1,
      cancelled: 0,
      // A-1 less its partial refund, and the erased member's A-3 (erasure keeps the anonymous totals).
      attributedPurchases: { count: 2, buyers: 2, revenue: 1000 + 300 },
    });
    // The headline counts as the dashboard computed them before counters, by counting members.
    const base = { erasedAt: null, mergedInto: null };
    const since = new Date(now.getTime() - 30 * DAY);
    const kpis = {
      members: await Member.countDocuments(base),
      following: await Member.countDocuments({ ...base, status: 'active', lineUserId: { $ne: null } }),
      blocked: await Member.countDocuments({ ...base, status: 'blocked' }),
      // As the funnel's 同意行銷訊息 counts (#17.3): friends who consented, blocked since or not.
      consented: await Member.countDocuments({ erasedAt: null, followedAt: { $ne: null }, 'consent.marketing': true }),
      consentedGuests: await Member.countDocuments({ ...base, 'consent.marketing': true, followedAt: null }),
      active30d: await Member.countDocuments({ ...base, lastInteractionAt: { $gte: since } }),
      new30d: await Member.countDocuments({ ...base, followedAt: { $gte: since } }),
    };
    expect(kpis).toMatchObject({ members: 6, following: 5, blocked: 1, consented: 5, consentedGuests: 0, new30d: 5 });
    expect(kpis.active30d).toBeGreaterThan(0);
    const dashboard = liveDashboard as {
      kpis: unknown;
      funnel: { stages: Array<{ key: string; count: number; reached: number }> };
      coupons: Array<{ active: number; used: number; expiringIn7Days: number }>;
    };
    expect(dashboard.kpis).toEqual(kpis);
    // Followed and not erased: six; five consented (one of them blocked since); nobody finished the persona chat;
    // four bought once (the second order of one was refunded in full); the referrer was erased.
    expect(dashboard.funnel.stages.map((s) => [s.key, s.count, s.reached])).toEqual([
      ['followed', 6, 6],
      ['consented', 5, 5],
      ['persona', 0, 0],
      ['firstPurchase', 0, 4],
      ['repeatPurchase', 0, 0],
      ['referred', 0, 0],
    ]);
    // Five issued, the erased member's voided, one used (the other redemption was reversed).
    expect(dashboard.coupons).toEqual([expect.objectContaining({ active: 3, used: 1, expiringIn7Days: 0 })]);

    const rebuilt = await rebuildStatCounters();
    expect(rebuilt).toMatchObject({ members: 7, campaigns: 1 });
    expect(await counters()).toEqual(live);
    expect((await marketer.agent.get('/api/console/dashboard').expect(200)).body).toEqual(liveDashboard);
    expect((await marketer.agent.get(`/api/console/campaigns/${campaignId}/stats`).expect(200)).body.stats).toEqual(
      liveStats,
    );
  });

  it('a rebuild repairs a lost increment, and running it twice changes nothing', async () => {
    const before = await counters();
    await StatCounter.updateOne({ _id: `campaign:${campaignId}` }, { $inc: { 'n.sent': -2 } });
    await StatCounter.deleteOne({ _id: 'program' });
    expect(await counters()).not.toEqual(before);
    await rebuildStatCounters();
    await rebuildStatCounters();
    expect(await counters()).toEqual(before);
  });
});

interface Observed {
  commands: Array<{ name: string; collection: string }>;
  documents: number;
}

/** The commands a request issues and the documents they return, from the driver's command monitoring. */
async function observe(fn: () => Promise<unknown>): Promise<Observed> {
  const client = mongoose.connection.getClient();
  const seen: Observed = { commands: [], documents: 0 };
  const started = (e: { commandName: string; command: Record<string, unknown> }) => {
    const collection = e.command[e.commandName];
    seen.commands.push({ name: e.commandName, collection: typeof collection === 'string' ? collection : '' });
  };
  const succeeded = (e: { reply: unknown }) => {
    const cursor = (e.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
    seen.documents += (cursor?.firstBatch ?? cursor?.nextBatch ?? []).length;
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  try {
    await fn();
  } finally {
    client.off('commandStarted', started);
    client.off('commandSucceeded', succeeded);
  }
  return seen;
}

describe('#18.8 counters: a dashboard load reads O(campaigns + days) documents', () => {
  beforeAll(async () => {
    // Command monitoring is fixed when a connection opens: reconnect the app's connection with it on.
    const dbName = mongoose.connection.name;
    const uri = process.env.TEST_MONGODB_URI ?? env.local.mongo!.uri;
    await mongoose.disconnect();
    await mongoose.connect(uri, { dbName, monitorCommands: true, autoIndex: false, serverSelectionTimeoutMS: 5000 });
  });

  it('issues the same commands and reads the same documents with 3× the members, never touching their records', async () => {
    const load = () => marketer.agent.get('/api/console/dashboard').expect(200);
    await load(); // warm: sessions, settings
    const small = await observe(load);
    const members = await Member.countDocuments();
    // Twice as many more members, on days that already have members, who consent and buy.
    for (let i = 0; i < members * 2; i++) {
      const id = await follow(`加入${i}`, daysAgo(10, i % 5));
      await recordConsent(id, 'accepted', 'v1', daysAgo(10, 6));
      await buy(id, `B-${i}`, 100 + i, daysAgo(10, i % 5));
    }
    expect(await Member.countDocuments()).toBe(members * 3);
    const large = await observe(load);

    const sorted = (o: Observed) => o.commands.map((c) => `${c.name} ${c.collection}`).sort();
    expect(sorted(large)).toEqual(sorted(small));
    expect(large.documents).toBe(small.documents);
    const touched = new Set(large.commands.map((c) => c.collection));
    for (const raw of ['members', 'deliveries', 'interactions', 'purchases', 'coupons', 'trackedlinks'])
      expect(touched).not.toContain(raw);
    // Bounded by campaigns (the campaign, its last run) + day buckets + the other counter documents (per campaign,
    // per template, per month of revenue, the program gauges) + templates + journeys + fixed reads (session, user,
    // the RFM run, counts).
    const dayBuckets = await StatCounter.countDocuments({ kind: 'day' });
    // Every other counter document: per campaign, per template, per month of revenue, the program gauges.
    const otherCounters = await StatCounter.countDocuments({ kind: { $ne: 'day' } });
    // A counter document may be read by more than one card of the dashboard, so each counts twice at most.
    const campaigns = await mongoose.connection.db!.collection('campaigns').countDocuments();
    const templates = await mongoose.connection.db!.collection('coupontemplates').countDocuments();
    const journeys = await mongoose.connection.db!.collection('journeys').countDocuments();
    const bound = 2 * campaigns + dayBuckets + 2 * otherCounters + templates + journeys + 10;
    if (large.documents > bound) console.log(large.commands.map((c) => `${c.name} ${c.collection}`));
    expect(large.documents).toBeLessThanOrEqual(bound);
    console.log(
      `dashboard load: ${large.commands.length} commands, ${large.documents} documents ` +
        `(${members * 3} members, ${campaigns} campaign, ${dayBuckets} day buckets)`,
    );
  });
});
