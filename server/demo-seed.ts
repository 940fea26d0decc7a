import { ensureAutoReplyRules } from '../domain/conversation/auto-reply-rule.service';
import { ensureFaqEntries } from '../domain/conversation/faq.service';
import { DEMO_FAQ, DEMO_RULES } from './demo-faq';
import { ensureDemoRichMenus } from './demo-richmenus';
import { createHash } from 'node:crypto';
import { CONSENT_NOTICE_VERSION } from '../bot/messages/catalogue';
import { createCampaign, listCampaigns } from '../domain/campaigns/campaign.service';
import { createCouponTemplate, listCouponTemplates } from '../domain/coupons/coupon-template.service';
import { issueCoupon } from '../domain/coupons/coupon-issue.service';
import { createJourney } from '../domain/journeys/journey.service';
import { journeyTemplates, type TemplateKey } from '../domain/journeys/journey-templates';
import { Journey } from '../models/journey.model';
import type { Messenger } from '../domain/messaging/messenger';
import { addTags } from '../domain/members/member.service';
import { recordConsent, registerFollow } from '../domain/members/member-lifecycle.service';
import { ingestPurchase } from '../domain/purchases/purchase.service';
import { saveReply } from '../domain/replies/reply-edit.service';
import type { ReplyTexts } from '../domain/replies/reply-texts.service';
import { AppError } from '../domain/shared/errors';
import { scoreRfm } from '../domain/segments/rfm.service';
import { Member } from '../models/member.model';
import { seedDemoInbox } from './demo-inbox-seed';
import { syncMemberCounters } from '../domain/reports/member-counters.service';
import { LINE_USER_ID_PATTERN } from '../shared/ids';
import { seedDemoStampCard } from '../domain/stamps/stamp-demo.service';
import type { LineEmulator } from '../local/line-emulator';

/**
 * A small, believable demo brand for local mode: members with personas, a purchase history spread over the last
 * year (so tiers and RFM segments differ), coupon templates, wallets and one scheduled campaign.
 * Idempotent: every write is keyed (member by LINE userId, orders by id, coupons by key, templates and the
 * campaign by name), so running it twice changes nothing.
 */
interface DemoPerson {
  name: string;
  gender: 'female' | 'male';
  birthday: string;
  city: string;
  interests: string[];
  /** Purchases as [days ago, NT$ amount, category]. */
  orders: Array<[number, number, string]>;
}

const PEOPLE: DemoPerson[] = [
  {
    name: '陳怡君',
    gender: 'female',
    birthday: '1990-05-17',
    city: '台北市',
    interests: ['美妝', '服飾'],
    orders: [
      [3, 2380, '美妝'],
      [20, 1580, '服飾'],
      [45, 3200, '美妝'],
      [80, 990, '美妝'],
      [150, 4200, '服飾'],
      [200, 1880, '美妝'],
    ],
  },
  {
    name: '林志明',
    gender: 'male',
    birthday: '1985-11-02',
    city: '新北市',
    interests: ['3C', '運動'],
    orders: [
      [10, 12900, '3C'],
      [120, 3490, '運動'],
      [300, 8800, '3C'],
    ],
  },
  {
    name: '王小美',
    gender: 'female',
    birthday: '1998-02-14',
    city: '台中市',
    interests: ['零食', '居家'],
    orders: [
      [2, 450, '零食'],
      [9, 320, '零食'],
      [16, 680, '居家'],
      [30, 290, '零食'],
    ],
  },
  {
    name: '張家豪',
    gender: 'male',
    birthday: '1979-08-30',
    city: '高雄市',
    interests: ['居家'],
    orders: [
      [240, 5600, '居家'],
      [330, 2100, '居家'],
    ],
  },
  {
    name: '李佳穎',
    gender: 'female',
    birthday: '2001-12-25',
    city: '台南市',
    interests: ['服飾', '美妝', '零食'],
    orders: [[1, 1290, '服飾']],
  },
  {
    name: '黃柏翰',
    gender: 'male',
    birthday: '1993-03-08',
    city: '桃園市',
    interests: ['運動', '3C'],
    orders: [
      [60, 2680, '運動'],
      [95, 1790, '運動'],
    ],
  },
  { name: '吳雅婷', gender: 'female', birthday: '1988-07-19', city: '新竹市', interests: ['居家', '美妝'], orders: [] },
  {
    name: '劉建宏',
    gender: 'male',
    birthday: '1995-10-10',
    city: '台北市',
    interests: ['零食'],
    orders: [[400, 380, '零食']],
  },
];

/** Stable fake LINE user ids, so the emulator users line up with the stored members across restarts. */
export function demoLineUserId(name: string): string {
  return `U${createHash('md5').update(`huigo-demo:${name}`).digest('hex')}`;
}

export interface DemoSeedDeps {
  messenger: Messenger;
  now: Date;
  timeZone: string;
  erasureSecret: string;
  /** The instance's editable texts: the demo brand has its own greeting (domain/replies). */
  replies?: ReplyTexts;
  /** The member card's address (deps.links.card()): with it, the demo brand gets the six journey templates. */
  cardUrl?: string;
}

/**
 * The demo brand's own wording for a few texts, saved as a marketer would (version 1 in the history, 「恢復預設」
 * brings back the built-in text). Keys already saved are left as the marketer left them.
 */
const DEMO_REPLIES: Record<string, string> = {
  'welcome.body':
    '{name} 您好！歡迎加入「慧果生活選物」LINE 好友 🍊\n打開會員卡就能看點數、優惠券和推薦好友，結帳時出示條碼即可累積點數。\n🎁 填完會員小問答送 {completion_points} 點，生日還有 {birthday_gift} 等著您！',
  'campaign.birthdayGreeting': '🎂 {name}，生日快樂！慧果生活選物祝您有美好的一年，送上一份小小的生日禮：',
};

async function seedDemoReplies(replies: ReplyTexts, now: Date): Promise<void> {
  for (const [key, text] of Object.entries(DEMO_REPLIES)) {
    try {
      await saveReply(replies, key, { text, expectedVersion: 0 }, { id: 'demo-seed', name: '示範資料' }, now);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'reply_version_conflict')) throw err;
    }
  }
}

export async function seedDemoData(deps: DemoSeedDeps): Promise<{ created: boolean; members: number }> {
  const { now } = deps;
  const already = await Member.exists({ lineUserId: demoLineUserId(PEOPLE[0].name) });
  const templates = await ensureTemplates();
  // Before the people: their seeded purchases stamp the card as real ones would (#16.1).
  await seedDemoStampCard(templates['招牌飲品兌換券'], now);
  for (const person of PEOPLE) await seedPerson(person, templates, deps);
  // Only a fresh seed scores RFM (so the demo's segments differ at once); with data present the nightly RFM job
  // keeps the scores, and a start does not re-score every member.
  if (!already) await scoreRfm(now);
  await ensureCampaign(now, deps.timeZone);
  await seedDemoInbox({ now, timeZone: deps.timeZone, customerLineUserId: demoLineUserId('吳雅婷') });
  await seedDemoConversation();
  if (deps.replies) await seedDemoReplies(deps.replies, now);
  await ensureDemoRichMenus();
  // Last: the seeded history (follows, purchases, tier changes) happened before the journeys existed.
  if (deps.cardUrl) await ensureJourneys(templates, deps.cardUrl);
  return { created: !already, members: PEOPLE.length };
}

/**
 * The six journey templates (#15.2) as the demo brand's journeys, each once by its template key (a start with them
 * present, or edited by the marketer, changes nothing). Birthday month stays a draft: the fixed birthday program
 * already gives the gift, and the marketer chooses whether the journey replaces it.
 */
async function ensureJourneys(coupons: Record<string, string>, cardUrl: string): Promise<void> {
  const all = journeyTemplates(
    { welcome: coupons['首購禮 NT$100'], winBack: coupons['回流禮 NT$100'], birthday: coupons['生日禮 NT$200'] },
    cardUrl,
  );
  const present = new Set(
    (await Journey.find({ template: { $in: Object.keys(all) } }, { template: 1 }).lean()).map((j) => j.template),
  );
  for (const key of Object.keys(all) as TemplateKey[]) {
    if (present.has(key)) continue;
    try {
      await createJourney({ ...all[key], status: key === 'birthday_month' ? 'draft' : 'active' }, 'demo-seed', key);
    } catch (err) {
      // Another instance seeding at the same time created it first (the unique template index): nothing to do.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}

/** The demo brand's FAQ and keyword rules (#13.2), each once by its seed key. */
export async function seedDemoConversation(): Promise<{ faq: number; rules: number }> {
  return { faq: await ensureFaqEntries(DEMO_FAQ), rules: await ensureAutoReplyRules(DEMO_RULES) };
}

async function seedPerson(p: DemoPerson, templates: Record<string, string>, deps: DemoSeedDeps): Promise<void> {
  const lineUserId = demoLineUserId(p.name);
  const joined = new Date(deps.now.getTime() - 420 * 86_400_000);
  const { member } = await registerFollow({
    lineUserId,
    profile: { userId: lineUserId, displayName: p.name },
    now: joined,
    erasureSecret: deps.erasureSecret,
  });
  if (member.consent?.status !== 'accepted')
    await recordConsent(member._id, 'accepted', CONSENT_NOTICE_VERSION, joined);
  await Member.updateOne(
    { _id: member._id, 'persona.completedAt': null },
    {
      $set: {
        gender: p.gender,
        birthday: p.birthday,
        birthMonth: Number(p.birthday.slice(5, 7)),
        city: p.city,
        'persona.completedAt': joined,
        'preferences.promotionType': 'discount',
      },
    },
  );
  await syncMemberCounters(member._id);
  // Same tags the chat's persona script writes (domain/persona/default-script.ts), so segments and the card agree.
  await addTags(member._id, [...p.interests.map((i) => `興趣:${i}`), '偏好優惠:折扣'], 'persona', 'demo-seed', joined);
  for (const [i, [daysAgo, amount, category]] of p.orders.entries()) {
    const at = new Date(deps.now.getTime() - daysAgo * 86_400_000);
    await ingestPurchase(
      {
        orderId: `DEMO-${member.memberCode}-${i + 1}`,
        member: { lineUserId },
        amount,
        items: [{ name: `${category}商品`, category, amount }],
        storeId: 'taipei-101',
        time: at.toISOString(),
      },
      // No chat messages for history that happened "in the past".
      {
        source: 'demo-seed',
        now: at,
        messenger: silentMessenger(deps.messenger),
        actor: 'demo-seed',
        timeZone: deps.timeZone,
      },
    );
  }
  await issueCoupon({
    templateId: templates['滿千折百'],
    memberId: member._id,
    key: `demo:${lineUserId}:welcome`,
    now: deps.now,
    actor: 'demo-seed',
    timeZone: deps.timeZone,
  }).catch(() => undefined);
}

async function ensureTemplates(): Promise<Record<string, string>> {
  const wanted = [
    {
      title: '滿千折百',
      terms: '單筆消費滿 NT$1,000 折抵 NT$100，每人限用一次。',
      kind: 'amount',
      value: 100,
      minSpend: 1000,
      validity: { mode: 'relative', days: 60 },
    },
    {
      title: '會員日 9 折',
      terms: '全品項 9 折，特價品除外。',
      kind: 'percent',
      value: 10,
      validity: { mode: 'relative', days: 30 },
    },
    {
      title: '招牌飲品兌換券',
      terms: '可兌換中杯招牌飲品一杯。',
      kind: 'gift',
      giftName: '招牌飲品',
      validity: { mode: 'relative', days: 30 },
      pointsCost: 50,
      perMemberLimit: 5,
    },
    {
      title: '首購禮 NT$100',
      terms: '加入會員後第一筆消費折抵 NT$100，每人限用一次。',
      kind: 'amount',
      value: 100,
      validity: { mode: 'relative', days: 14 },
      perMemberLimit: 1,
    },
    {
      title: '回流禮 NT$100',
      terms: '好久不見！消費滿 NT$500 折抵 NT$100。',
      kind: 'amount',
      value: 100,
      minSpend: 500,
      validity: { mode: 'relative', days: 14 },
    },
    {
      title: '生日禮 NT$200',
      terms: '生日當月消費折抵 NT$200。',
      kind: 'amount',
      value: 200,
      validity: { mode: 'relative', days: 30 },
    },
  ] as const;
  const existing = await listCouponTemplates();
  const byTitle: Record<string, string> = Object.fromEntries(existing.map((t) => [t.title, String(t.id)]));
  for (const t of wanted) {
    if (!byTitle[t.title]) byTitle[t.title] = String((await createCouponTemplate(t, 'demo-seed')).id);
  }
  return byTitle;
}

async function ensureCampaign(now: Date, timeZone: string): Promise<void> {
  const name = '週末美妝 9 折快閃';
  const { items } = await listCampaigns({ pageSize: 100 });
  if (items.some((c: { name: string }) => c.name === name)) return;
  const at = new Date(now.getTime() + 3 * 86_400_000);
  at.setUTCHours(3, 0, 0, 0); // 11:00 in Taipei
  await createCampaign(
    {
      name,
      description: '喜歡美妝的會員，週末限定 9 折。',
      audience: {
        type: 'rule',
        rule: { op: 'and', conditions: [{ field: 'tags', op: 'hasAny', values: ['興趣:美妝'] }] },
      },
      messages: [{ type: 'text', text: '週末限定！美妝全品項 9 折，到店出示會員卡即可使用 💄' }],
      schedule: { type: 'once', at: at.toISOString() },
    },
    'demo-seed',
    now,
    { timeZone },
  );
}

/** History is seeded as if it already happened: nothing is pushed to the demo members for it. */
function silentMessenger(real: Messenger): Messenger {
  return {
    ...real,
    push: async () => ({ alreadyAccepted: false }),
    multicast: async () => ({ alreadyAccepted: false }),
    reply: async () => undefined,
  };
}

/** The emulator's users, in process (no HTTP call per user). */
export type EmulatorUsers = Pick<LineEmulator, 'listUsers' | 'createUser'>;

/**
 * Local mode after a restart: the database persisted but the emulator starts empty. Re-create an emulator user for
 * every member with a LINE userId, with the friendship state the bot already knows (no follow events are sent).
 * The members stream from a cursor and the users are created in process: one pass, no request per user.
 */
export async function restoreEmulatorUsers(emulator: EmulatorUsers): Promise<number> {
  const known = new Set(emulator.listUsers().map((u) => u.userId));
  const cursor = Member.find(
    { lineUserId: { $regex: LINE_USER_ID_PATTERN.source }, erasedAt: null },
    { lineUserId: 1, displayName: 1, status: 1 },
  )
    .lean()
    .cursor({ batchSize: 5000 });
  let restored = 0;
  for await (const m of cursor) {
    if (!m.lineUserId || known.has(m.lineUserId)) continue;
    emulator.createUser({
      userId: m.lineUserId,
      displayName: m.displayName || undefined,
      status: m.status === 'blocked' ? 'unfollowed' : 'following',
    });
    known.add(m.lineUserId);
    restored += 1;
  }
  return restored;
}
