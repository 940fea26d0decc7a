/**
 * #18 acceptance: explain on the product's hot queries names the index the models declare for them,
 * and dropping the index turns the plan into a COLLSCAN. The filters are the ones the product sends
 * (source noted per query; the member list uses the product's own filter builder).
 */
import mongoose, { Types } from 'mongoose';
import type { Document } from 'mongodb';
import { startStandinWithClient, type StandinHarness } from '../helpers/mongo-standin';
import { buildMemberFilter } from '../../domain/members/member-search.service';
import { birthdayCandidateFilter } from '../../domain/campaigns/birthday.service';
import { Member } from '../../models/member.model';
import { Interaction } from '../../models/interaction.model';
import { Coupon } from '../../models/coupon.model';
import { PointsEntry } from '../../models/points-entry.model';
import { WebhookEvent } from '../../models/webhook-event.model';
import { SurveyResponse } from '../../models/survey.model';
import { Delivery } from '../../models/delivery.model';
import { LinkCode } from '../../models/tracked-link.model';
import { Journey, JourneyRun } from '../../models/journey.model';
import { Purchase } from '../../models/purchase.model';

let h: StandinHarness;

function access(plan: Document): Document[] {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK'].includes(plan.stage)) return [plan];
  if (plan.inputStages) return plan.inputStages.flatMap(access);
  return plan.inputStage ? access(plan.inputStage) : [];
}
const used = (e: any) => access(e.queryPlanner.winningPlan).map((s) => s.indexName ?? s.stage);

const memberId = new Types.ObjectId();
const campaignId = new Types.ObjectId();
const now = new Date('2026-12-02T00:00:00Z');

/** [what, collection, explain thunk, expected index names]. */
const HOT: Array<[string, string, () => PromiseLike<unknown>, string[]]> = [
  // domain/members (every chat event)
  ['member by lineUserId', 'members', () => Member.findOne({ lineUserId: 'U123' }).explain(), ['lineUserId_1']],
  // domain/members/counter-lookup.service.ts
  [
    'member search by phone/code (counter)',
    'members',
    () => Member.findOne({ $or: [{ memberCode: 'M1234' }, { phone: '0912345678' }], erasedAt: null }).explain(),
    ['memberCode_1', 'phone_1'],
  ],
  // domain/members/member-phone.service.ts: who else has the phone a LINE member gave (#16.6)
  [
    'phone owner (persona / card phone)',
    'members',
    () => Member.findOne({ phone: '0912345678', _id: { $ne: memberId } }).explain(),
    ['phone_1'],
  ],
  // domain/members/member-phone-proposals.service.ts: 「可能是同一人」 list, newest first
  [
    'open phone proposals',
    'members',
    () =>
      Member.find({ 'phoneClaim.status': 'proposed', erasedAt: null })
        .sort({ 'phoneClaim.at': -1 })
        .limit(50)
        .explain(),
    ['phoneClaim.status_1_phoneClaim.at_-1'],
  ],
  // domain/members/member-search.service.ts: list page 1, default sort "recent"
  [
    'member list page 1',
    'members',
    () => Member.find(buildMemberFilter({})).sort({ createdAt: -1, _id: -1 }).limit(20).explain(),
    ['erasedAt_1_mergedInto_1_createdAt_-1__id_-1'],
  ],
  // domain/members/member-search.service.ts: the console search (#18), a name (no phone digits) and a partial phone
  [
    'member search by name / LINE name / code / tag',
    'members',
    () =>
      Member.find(buildMemberFilter({ q: '王小明' }))
        .sort({ createdAt: -1, _id: -1 })
        .limit(20)
        .explain(),
    ['memberCode_1', 'name_1', 'displayName_1', 'tags.tag_1'],
  ],
  [
    'member search by partial phone',
    'members',
    () =>
      Member.find(buildMemberFilter({ q: '5678' }))
        .sort({ createdAt: -1, _id: -1 })
        .limit(20)
        .explain(),
    ['memberCode_1', 'name_1', 'displayName_1', 'tags.tag_1', 'phone_1'],
  ],
  // domain/referrals/referral.service.ts: the referral view's counts
  [
    'referral view',
    'members',
    () => Member.find({ 'referral.referredBy': memberId, 'referral.rewardedAt': { $ne: null } }).explain(),
    ['referral.referredBy_1'],
  ],
  // domain/campaigns/birthday.service.ts
  [
    'birthday candidates',
    'members',
    () =>
      Member.find({
        erasedAt: null,
        mergedInto: null,
        status: { $ne: 'blocked' },
        'consent.status': 'accepted',
        $or: [{ birthMonth: 12 }, { birthday: { $regex: '^\\d{4}-12-' } }],
      }).explain(),
    ['erasedAt_1_mergedInto_1_createdAt_-1__id_-1'],
  ],
  // member detail timeline
  [
    'interactions timeline of a member',
    'interactions',
    () => Interaction.find({ memberId }).sort({ at: -1 }).limit(30).explain(),
    ['memberId_1_at_-1'],
  ],
  // LINE unsend / erasure
  [
    'interactions of a LINE user',
    'interactions',
    () => Interaction.find({ lineUserId: 'U123', type: 'message_in' }).explain(),
    ['lineUserId_1'],
  ],
  // domain/campaigns/campaign-stats.service.ts
  [
    'campaign stats: clickers',
    'interactions',
    () => Interaction.find({ type: 'click', 'refs.campaignId': String(campaignId), memberId: { $ne: null } }).explain(),
    ['refs.campaignId_1_type_1'],
  ],
  [
    'campaign stats: deliveries',
    'deliveries',
    () => Delivery.find({ campaignId, occurrence: '2026-12-02', status: 'sent' }).explain(),
    ['campaignId_1_occurrence_1_status_1_batch_1'],
  ],
  [
    'campaign stats: coupons by key prefix',
    'coupons',
    () => Coupon.find({ key: { $regex: `^campaign:${campaignId}:` } }).explain(),
    ['key_1'],
  ],
  // domain/campaigns/tracked-links.service.ts: a recipient's short code, made once per (link, member) (#17.4)
  [
    'link code of a member',
    'linkcodes',
    () => LinkCode.findOne({ linkId: 'L123456789', memberId }).explain(),
    ['linkId_1_memberId_1'],
  ],
  // domain/campaigns/tracked-links.service.ts moveLinkCodes: a merged-away member's codes (#17.4)
  [
    'link codes of a merged-away member',
    'linkcodes',
    () => LinkCode.find({ memberId, aliasOf: null }, { linkId: 1 }).explain(),
    ['memberId_1'],
  ],
  // domain/reports/dashboard.service.ts, segments
  [
    'coupons due',
    'coupons',
    () => Coupon.find({ status: 'active', validUntil: { $lt: now } }).explain(),
    ['status_1_validUntil_1'],
  ],
  // domain/points/points-expiry.service.ts
  [
    'points expiring',
    'pointsentries',
    () =>
      PointsEntry.aggregate([
        { $match: { delta: { $gt: 0 }, expiresAt: { $gte: now, $lte: new Date('2026-12-31T00:00:00Z') } } },
        { $group: { _id: '$memberId' } },
      ]).explain(),
    ['expiresAt_1'],
  ],
  [
    'points entries of a reason in a day',
    'pointsentries',
    () => PointsEntry.find({ reason: 'birthday', at: { $gte: now, $lt: new Date('2026-12-03T00:00:00Z') } }).explain(),
    ['reason_1_at_1'],
  ],
  // domain/inbound/webhook-event.service.ts
  [
    'webhook event by id',
    'webhookevents',
    () => WebhookEvent.findOne({ webhookEventId: '01HXYZ' }).explain(),
    ['webhookEventId_1'],
  ],
  [
    'webhook events of a user',
    'webhookevents',
    () => WebhookEvent.find({ userId: 'U123' }).explain(),
    ['userId_1_status_1_seq_1'],
  ],
  // domain/journeys/journey-engine.service.ts: the runs due at a tick, in (nextRunAt, _id) order
  [
    'journey runs due',
    'journeyruns',
    () =>
      JourneyRun.find({ status: 'active', nextRunAt: { $lte: now } }, { _id: 1, nextRunAt: 1 })
        .sort({ nextRunAt: 1, _id: 1 })
        .limit(200)
        .explain(),
    ['status_1_nextRunAt_1__id_1'],
  ],
  // server/demo-seed.ts: the demo journeys, once per template
  [
    'journeys by template',
    'journeys',
    () => Journey.find({ template: { $in: ['welcome'] } }).explain(),
    ['template_1'],
  ],
  // domain/purchases/affinity.service.ts (#17.2): the rebuild's read of the buying members, and a SKU's name
  [
    'affinity rebuild: buying members',
    'members',
    () =>
      Member.find(
        { erasedAt: null, 'buys.orders': { $gt: 0 } },
        { 'buys.cats.c': 1, 'buys.skus.s': 1, mergedInto: 1 },
      ).explain(),
    ['erasedAt_1_buys.orders_1'],
  ],
  [
    'affinity rebuild: a SKU from its latest purchase',
    'purchases',
    () => Purchase.findOne({ 'items.sku': 'SK-TONER' }, { items: 1 }).sort({ at: -1 }).explain(),
    ['items.sku_1_at_-1'],
  ],
  [
    'survey responses by send time',
    'surveyresponses',
    () => SurveyResponse.find({ sentAt: { $gte: now } }).explain(),
    ['sentAt_1'],
  ],
];

beforeAll(async () => {
  h = await startStandinWithClient({ dbName: 'hot_queries' });
  await mongoose.connect(h.standin.uri);
  for (const m of [
    Member,
    Interaction,
    Coupon,
    PointsEntry,
    WebhookEvent,
    SurveyResponse,
    Delivery,
    Journey,
    JourneyRun,
    Purchase,
    LinkCode,
  ])
    await m.init();
});

afterAll(async () => {
  await mongoose.disconnect();
  await h.close();
});

describe('#18 explain on the hot queries', () => {
  it.each(HOT.map(([what, coll, run, names]) => [what, coll, run, names] as const))(
    '%s (%s) uses its declared index',
    async (_what, _coll, run, names) => {
      expect(used(await run()).sort()).toEqual([...names].sort());
    },
  );

  it('the member list page walks only the page of keys (no sort stage)', async () => {
    await Member.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        memberCode: `M${1000 + i}`,
        displayName: `會員${i}`,
        createdAt: new Date(now.getTime() - i * 60_000),
      })),
    );
    const e: any = await Member.find(buildMemberFilter({}))
      .sort({ createdAt: -1, _id: -1 })
      .limit(20)
      .explain('executionStats');
    expect(JSON.stringify(e.queryPlanner.winningPlan)).not.toContain('"SORT"');
    expect(e.executionStats.nReturned).toBe(20);
    expect(e.executionStats.totalKeysExamined).toBeLessThanOrEqual(21);
  });

  it("with members on every day of the year, the birthday job's filter reads the day's keys through birthdayKey", async () => {
    await Member.insertMany(
      Array.from({ length: 365 }, (_, i) => {
        const d = new Date(Date.UTC(2001, 0, 1 + i));
        return {
          memberCode: `B${1000 + i}`,
          displayName: `壽星${i}`,
          birthday: d.toISOString().slice(0, 10),
          consent: { status: 'accepted', marketing: true },
        };
      }),
    );
    const filter = birthdayCandidateFilter({ year: 2026, month: 12, day: 2 }, 'day');
    const e: any = await Member.find(filter).explain('executionStats');
    expect(used(e)).toEqual(['birthdayKey_1']);
    expect(e.executionStats.nReturned).toBe(1);
    expect(e.executionStats.totalKeysExamined).toBeLessThanOrEqual(2);
    // The whole month in month-first mode: still the month's keys only.
    const month: any = await Member.find(
      birthdayCandidateFilter({ year: 2026, month: 12, day: 1 }, 'month-first'),
    ).explain('executionStats');
    expect(used(month)).toEqual(['birthdayKey_1']);
    expect(month.executionStats.nReturned).toBe(31);
    expect(month.executionStats.totalDocsExamined).toBe(31);
  });

  it('the console search reads only the members whose keys match, and finds what a scan finds', async () => {
    await Member.insertMany(
      Array.from({ length: 40 }, (_, i) => ({
        memberCode: `S${2000 + i}`,
        displayName: i % 4 === 0 ? `Amy 陳${i}` : `路人${i}`,
        name: i % 5 === 0 ? `王小明${i}` : undefined,
        phone: i % 3 === 0 ? `09876${String(i).padStart(5, '0')}` : undefined,
        tags: i === 7 ? [{ tag: '王小明', source: 'staff', addedAt: now }] : [],
      })),
    );
    const expectSearch = async (q: string, codes: string[]) => {
      const filter = buildMemberFilter({ q });
      const e: any = await Member.find(filter).explain('executionStats');
      expect(e.queryPlanner.winningPlan.inputStage.stage).toBe('OR');
      expect(e.executionStats.totalDocsExamined).toBe(codes.length);
      const found = await Member.find(filter).lean();
      expect(found.map((m) => m.memberCode).sort()).toEqual([...codes].sort());
      expect(await Member.countDocuments(filter)).toBe(codes.length);
    };
    await expectSearch('王小明', ['S2000', 'S2005', 'S2010', 'S2015', 'S2020', 'S2025', 'S2030', 'S2035', 'S2007']);
    await expectSearch('amy', [
      'S2000',
      'S2004',
      'S2008',
      'S2012',
      'S2016',
      'S2020',
      'S2024',
      'S2028',
      'S2032',
      'S2036',
    ]);
    await expectSearch('s2003', ['S2003']);
    await expectSearch('0987600003', ['S2003']);
    await expectSearch('98760000', ['S2000', 'S2003', 'S2006', 'S2009']);
    await expectSearch('沒有這個人', []);
    const e: any = await Member.find(buildMemberFilter({ q: 'amy' })).explain();
    const nameScan = e.queryPlanner.winningPlan.inputStage.inputStages.find((s: any) => s.indexName === 'name_1');
    expect(nameScan.indexBounds).toEqual({ name: ['["", {})', '[/amy/i, /amy/i]'] });
  });

  it('the due journey runs come in index order (no sort stage), and a second journey of one template is refused', async () => {
    await JourneyRun.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        journeyId: new Types.ObjectId(),
        memberId: new Types.ObjectId(),
        slot: 's',
        status: 'active',
        enteredAt: now,
        nextRunAt: new Date(now.getTime() - (i % 5) * 60_000),
      })),
    );
    const e: any = await JourneyRun.find({ status: 'active', nextRunAt: { $lte: now } }, { _id: 1, nextRunAt: 1 })
      .sort({ nextRunAt: 1, _id: 1 })
      .limit(10)
      .explain('executionStats');
    expect(JSON.stringify(e.queryPlanner.winningPlan)).not.toContain('"SORT"');
    expect(e.executionStats.nReturned).toBe(10);
    const base = { name: 'x', status: 'draft', trigger: { type: 'follow' }, steps: [] };
    await Journey.collection.insertOne({ ...base, template: 'welcome' });
    await Journey.collection.insertOne({ ...base }); // journeys of no template are not constrained
    await Journey.collection.insertOne({ ...base });
    await expect(Journey.collection.insertOne({ ...base, template: 'welcome' })).rejects.toMatchObject({ code: 11000 });
  });

  it('dropping an index turns its hot query into a COLLSCAN', async () => {
    const db = mongoose.connection.db!;
    // One index, one query: LINE unsend looks interactions up by lineUserId.
    await db.collection('interactions').dropIndex('lineUserId_1');
    expect(used(await Interaction.find({ lineUserId: 'U123', type: 'message_in' }).explain())).toEqual(['COLLSCAN']);
    // Each hot query stops using its index once dropped (another declared index may still bound it).
    const dropped = new Set(['interactions.lineUserId_1']);
    for (const [what, coll, run, names] of HOT) {
      for (const name of names)
        if (!dropped.has(`${coll}.${name}`)) {
          await db.collection(coll).dropIndex(name);
          dropped.add(`${coll}.${name}`);
        }
      const left = used(await run());
      expect({ what, usesDropped: left.some((n) => names.includes(n)) }).toEqual({ what, usesDropped: false });
    }
    // Without any secondary index, every hot query scans.
    for (const [, coll] of HOT) await db.collection(coll).dropIndexes();
    for (const [what, , run] of HOT) expect({ what, plan: used(await run()) }).toEqual({ what, plan: ['COLLSCAN'] });
  });
});
