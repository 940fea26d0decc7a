import request from 'supertest';
import { Types } from 'mongoose';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createApiKey } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { Member } from '../../../models/member.model';
import { Purchase } from '../../../models/purchase.model';
import { RichMenuLink, RichMenuLinkLog } from '../../../models/richmenu-link.model';
import { tierReviewJob } from '../../../jobs/tier-review.job';
import { richMenuReconcileJob } from '../../../jobs/richmenu-reconcile.job';
import { syncMemberRichMenu } from '../../../domain/richmenus/richmenu-assign.service';
import { BULK_LINK_PER_SECOND } from '../../../domain/richmenus/richmenu-api';

let env: TestEnv;
let marketer: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const tiles = (word: string) =>
  ['會員卡', '點數', '優惠券'].map((label) => ({ label, hint: word, action: { type: 'keyword', text: label } }));

/** Creates and publishes a 1×3 menu for a rule; answers our id and LINE's id. */
async function publishedMenu(name: string, rule: Record<string, unknown>) {
  const made = await marketer.agent
    .post('/api/console/richmenus')
    .set('X-CSRF-Token', marketer.csrf)
    .send({ name, chatBarText: name, layout: '1x3', tiles: tiles(name), rule })
    .expect(201);
  const pub = await marketer.agent
    .post(`/api/console/richmenus/${made.body.menu.id}/publish`)
    .set('X-CSRF-Token', marketer.csrf)
    .expect(200);
  return { id: made.body.menu.id as string, lineId: pub.body.menu.lineRichMenuId as string };
}

const seen = async (userId: string) =>
  ((await env.emulator.userRichMenu(userId)) as { richMenuId?: string } | null)?.richMenuId;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(async () => {
  await env.resetDb();
  await env.emulator.reset();
  marketer = await loginAs(env, 'marketer');
});

describe('#14.3 menu per member state', () => {
  it('a new follower sees the not-yet-member menu, then the member menu after consent, then the tier menu after an upgrading purchase', async () => {
    const pending = await publishedMenu('加入會員', { kind: 'pending', priority: 30 });
    const member = await publishedMenu('會員選單', { kind: 'member', priority: 20 });
    const silver = await publishedMenu('銀卡選單', { kind: 'tier', value: 'silver', priority: 10 });

    const user = await env.emulator.createUser('林怡君');
    await env.emulator.follow(user.userId);
    expect(
      await until(
        () => seen(user.userId),
        (v) => v === pending.lineId,
      ),
    ).toBe(pending.lineId);

    await env.emulator.postback(user.userId, 'consent:accept');
    expect(
      await until(
        () => seen(user.userId),
        (v) => v === member.lineId,
      ),
    ).toBe(member.lineId);

    const m = (await Member.findOne({ lineUserId: user.userId }).lean())!;
    const { key } = await createApiKey('門市 POS', 'pos');
    await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'RM-1', member: { memberCode: m.memberCode }, amount: 12000 })
      .expect(201);
    expect(
      await until(
        () => seen(user.userId),
        (v) => v === silver.lineId,
      ),
    ).toBe(silver.lineId);

    // Each change was recorded once; syncing again with nothing changed sends nothing.
    const log = await RichMenuLinkLog.find({ memberId: m._id }).sort({ at: 1, _id: 1 }).lean();
    expect(log.map((l) => [l.reason, String(l.toMenuId)])).toEqual([
      ['follow', pending.id],
      ['consent', member.id],
      ['tier', silver.id],
    ]);
    const calls = (await env.emulator.richMenuCalls()).length;
    expect(await syncMemberRichMenu(env.deps.messenger.richMenus, m._id, env.deps.clock(), 'tier')).toMatchObject({
      changed: false,
    });
    expect((await env.emulator.richMenuCalls()).length).toBe(calls);
  });

  it('a scheduled campaign menu applies only inside its dates, and a tag menu follows tags added in the console', async () => {
    await publishedMenu('會員選單', { kind: 'member', priority: 50 });
    const campaign = await publishedMenu('週年慶', {
      kind: 'member',
      priority: 5,
      from: '2020-01-01T00:00:00Z',
      to: '2020-01-31T00:00:00Z',
    });
    const vip = await publishedMenu('VIP', { kind: 'tag', value: 'VIP', priority: 10 });
    const user = await env.emulator.createUser('陳建宏');
    await env.emulator.follow(user.userId);
    await env.emulator.postback(user.userId, 'consent:accept');
    const m = await until(
      () => Member.findOne({ lineUserId: user.userId, 'consent.status': 'accepted' }).lean(),
      (v) => Boolean(v),
    );
    expect(
      await until(
        () => seen(user.userId),
        (v) => v !== undefined,
      ),
    ).not.toBe(campaign.lineId);

    const admin = await loginAs(env, 'admin');
    await admin.agent
      .post(`/api/console/members/${m!._id}/tags`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ tags: ['VIP'] })
      .expect(200);
    expect(await seen(user.userId)).toBe(vip.lineId);
  });

  it('1,000 members changing tier in the nightly tier review are linked with at most 2 bulk calls within the rate limit', async () => {
    const member = await publishedMenu('會員選單', { kind: 'member', priority: 50 });
    const silver = await publishedMenu('銀卡選單', { kind: 'tier', value: 'silver', priority: 10 });
    const now = env.deps.clock();
    const emu = env.local.emulator!;
    const users = Array.from({ length: 1000 }, (_, i) => emu.createUser({ displayName: `會員${i}` }));
    // Members on the member menu whose last 12 months earn 銀卡: the review moves them tonight.
    const members = await Member.insertMany(
      users.map((u, i) => ({
        lineUserId: u.userId,
        memberCode: String(5_000_000_000 + i),
        status: 'active',
        consent: { status: 'accepted', marketing: false },
        tier: { code: 'basic' },
      })),
    );
    await Purchase.insertMany(
      members.map((m, i) => ({
        source: 'pos',
        orderId: `K-${i}`,
        memberId: m._id,
        amount: 12000,
        at: new Date(now.getTime() - 86_400_000),
        receivedAt: now,
      })),
    );
    await RichMenuLink.insertMany(
      members.map((m) => ({
        memberId: m._id,
        lineUserId: m.lineUserId,
        menuId: member.id,
        lineRichMenuId: member.lineId,
      })),
    );
    await env.emulator.setFaults({ richMenuRateLimit: { perSecond: BULK_LINK_PER_SECOND } });
    const result = await tierReviewJob.run(env.deps, now);
    expect(result).toMatchObject({ checked: 1000, upgraded: 1000, downgraded: 0 });
    expect(result.richMenuBulkCalls).toBeLessThanOrEqual(2);

    const calls = await env.emulator.richMenuCalls();
    const bulk = calls.filter((c) => c.endpoint === 'bulk/link');
    expect(bulk.length).toBeLessThanOrEqual(2);
    expect(bulk.every((c) => c.status === 202 && c.richMenuId === silver.lineId)).toBe(true);
    expect(bulk.reduce((n, c) => n + c.users, 0)).toBe(1000);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(calls.filter((c) => c.endpoint === 'link')).toHaveLength(0);
    const links = (await env.emulator.richMenus()).userLinks as Record<string, string>;
    expect(users.every((u) => links[u.userId] === silver.lineId)).toBe(true);
    expect(await RichMenuLink.countDocuments({ menuId: new Types.ObjectId(silver.id) })).toBe(1000);
    // Recorded as a bulk change with its reason (the member timeline's "why this menu?").
    const log = await RichMenuLinkLog.find({ memberId: members[999]._id }).lean();
    expect(log.at(-1)).toMatchObject({ via: 'bulk', toMenuId: new Types.ObjectId(silver.id) });

    // A second review reads nobody (none is due, the thresholds are caught up) and calls LINE for nothing.
    const again = await tierReviewJob.run(env.deps, now);
    expect(again).toMatchObject({ checked: 0, caughtUp: 0, upgraded: 0, downgraded: 0, richMenuBulkCalls: 0 });
    expect((await env.emulator.richMenuCalls()).length).toBe(calls.length);
    await env.emulator.setFaults({ richMenuRateLimit: null });
  }, 300_000);

  it('the tier review links its tier changes in bulk, never one call per member', async () => {
    const silver = await publishedMenu('銀卡選單', { kind: 'tier', value: 'silver', priority: 10 });
    const now = env.deps.clock();
    const emu = env.local.emulator!;
    const users = Array.from({ length: 12 }, () => emu.createUser({}));
    const members = await Member.insertMany(
      users.map((u, i) => ({
        lineUserId: u.userId,
        memberCode: String(7_000_000_000 + i),
        status: 'active',
        consent: { status: 'accepted', marketing: false },
        tier: { code: 'basic' },
      })),
    );
    await Purchase.insertMany(
      members.map((m, i) => ({
        source: 'pos',
        orderId: `N-${i}`,
        memberId: m._id,
        amount: 12000,
        at: new Date(now.getTime() - 86_400_000),
        receivedAt: now,
      })),
    );
    const result = await tierReviewJob.run(env.deps, now);
    expect(result).toMatchObject({ upgraded: 12, richMenuBulkCalls: 1 });
    const calls = await env.emulator.richMenuCalls();
    expect(calls.map((c) => [c.endpoint, c.users])).toEqual([['bulk/link', 12]]);
    expect(await seen(users[0].userId)).toBe(silver.lineId);
  }, 120_000);

  it('the nightly reconcile fixes drift: a tag written without an event gets its menu in bulk', async () => {
    const member = await publishedMenu('會員選單', { kind: 'member', priority: 50 });
    const vip = await publishedMenu('VIP', { kind: 'tag', value: 'VIP', priority: 10 });
    const emu = env.local.emulator!;
    const users = Array.from({ length: 3 }, () => emu.createUser({}));
    await Member.insertMany(
      users.map((u, i) => ({
        lineUserId: u.userId,
        memberCode: String(6_000_000_000 + i),
        status: 'active',
        consent: { status: 'accepted', marketing: true },
        tags: i === 0 ? [{ tag: 'VIP', source: 'import', addedAt: new Date() }] : [],
      })),
    );
    const r = await richMenuReconcileJob.run(env.deps, env.deps.clock());
    expect(r).toMatchObject({ checked: 3, changed: 3, bulkCalls: 2 });
    expect(await seen(users[0].userId)).toBe(vip.lineId);
    expect(await seen(users[1].userId)).toBe(member.lineId);
  });
});
