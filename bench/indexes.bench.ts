/**
 * Index-bound queries at a brand's size (#11.3): seeds members (100k; `--members=N` to change) with the product's
 * models, then times the console member list page 1, the referral view and campaign stats on the
 * stand-in with its planner and with `planner: false` (scans), printing each query's explain plan.
 * Nothing is asserted.
 */
import type { Document } from 'mongodb';
import mongoose, { Types } from 'mongoose';
import { startMongoStandin } from '../local/mongo-standin';
import { buildMemberFilter } from '../domain/members/member-search.service';
import { Member } from '../models/member.model';
import { Interaction } from '../models/interaction.model';
import { PointsEntry } from '../models/points-entry.model';
import { Coupon } from '../models/coupon.model';
import { Delivery } from '../models/delivery.model';

const arg = process.argv.find((a) => a.startsWith('--members='));
const N = arg ? Number(arg.split('=')[1]) : 100_000;

function access(plan: Document): string {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK'].includes(plan.stage))
    return plan.indexName ? `IXSCAN ${plan.indexName}` : plan.stage;
  if (plan.inputStages) return `OR(${plan.inputStages.map(access).join(', ')})`;
  return plan.inputStage ? access(plan.inputStage) : plan.stage;
}

async function time(fn: () => Promise<unknown>, runs = 5): Promise<string> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return `${ms[Math.floor(runs / 2)].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[runs - 1].toFixed(1)})`;
}

export async function run(): Promise<void> {
  for (const planner of [true, false]) {
    const standin = await startMongoStandin({ dbName: 'bench_indexes', planner });
    await mongoose.connect(standin.uri);
    for (const m of [Member, Interaction, PointsEntry, Coupon, Delivery]) await m.init();
    const t0 = Date.now();
    const campaignId = new Types.ObjectId();
    const referrer = new Types.ObjectId();
    const BATCH = 5000;
    for (let from = 0; from < N; from += BATCH) {
      const members = [];
      const interactions = [];
      const points = [];
      const coupons = [];
      const deliveries = [];
      for (let i = from; i < Math.min(N, from + BATCH); i++) {
        const _id = new Types.ObjectId();
        const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 60_000);
        members.push({
          _id,
          memberCode: `M${String(i).padStart(7, '0')}`,
          lineUserId: `U${i.toString(16).padStart(32, '0')}`,
          displayName: `會員${i}`,
          createdAt,
          ...(i % 50 === 0 ? { erasedAt: createdAt } : {}),
          ...(i % 20 === 1 ? { referral: { referredBy: referrer, referredAt: createdAt } } : {}),
        });
        // ~7.5 interactions, 2.6 points entries, 0.8 coupons, 0.6 deliveries per member
        for (let k = 0; k < 7 + (i % 2); k++)
          interactions.push({
            memberId: _id,
            lineUserId: members[members.length - 1].lineUserId,
            type: k === 0 && i % 3 === 0 ? 'click' : 'message_in',
            at: new Date(createdAt.getTime() + k * 3_600_000),
            refs: k === 0 && i % 3 === 0 ? { campaignId: String(campaignId) } : {},
          });
        for (let k = 0; k < 2 + (i % 5 < 3 ? 1 : 0); k++)
          points.push({
            memberId: _id,
            delta: k === 2 ? -5 : 10,
            reason: k === 2 ? 'redeem' : 'purchase',
            at: createdAt,
            key: `p:${i}:${k}`,
            ...(k !== 2 ? { expiresAt: new Date(createdAt.getTime() + 365 * 86_400_000) } : {}),
          });
        if (i % 5 !== 0)
          coupons.push({
            memberId: _id,
            templateId: campaignId,
            code: `C${i}`,
            key: `campaign:${campaignId}:${i}`,
            slot: 0,
            validUntil: new Date(createdAt.getTime() + 30 * 86_400_000),
            issuedAt: createdAt,
          });
        if (i % 5 < 3)
          deliveries.push({
            campaignId,
            occurrence: 'once',
            memberId: _id,
            batch: Math.floor(i / 500),
            status: 'sent',
          });
      }
      await Member.collection.insertMany(members);
      await Interaction.collection.insertMany(interactions);
      await PointsEntry.collection.insertMany(points);
      await Coupon.collection.insertMany(coupons, { ordered: false });
      await Delivery.collection.insertMany(deliveries);
    }
    console.log(`\nplanner: ${planner ? 'on' : 'off (planner: false)'} — seeded ${N} members in ${Date.now() - t0} ms`);
    const queries: Array<[string, () => Promise<unknown>, () => Promise<Document>]> = [
      [
        'console member list, page 1',
        () =>
          Promise.all([
            Member.find(buildMemberFilter({})).sort({ createdAt: -1, _id: -1 }).limit(20).lean(),
            Member.countDocuments(buildMemberFilter({})),
          ]),
        () => Member.find(buildMemberFilter({})).sort({ createdAt: -1, _id: -1 }).limit(20).explain('executionStats'),
      ],
      [
        'referral view',
        () =>
          Promise.all([
            Member.countDocuments({ 'referral.referredBy': referrer }),
            Member.countDocuments({ 'referral.referredBy': referrer, 'referral.rewardedAt': { $ne: null } }),
          ]),
        () => Member.find({ 'referral.referredBy': referrer }).explain('executionStats'),
      ],
      [
        'campaign stats',
        () =>
          Promise.all([
            Interaction.find({ type: 'click', 'refs.campaignId': String(campaignId), memberId: { $ne: null } })
              .select({ memberId: 1, _id: 0 })
              .lean(),
            Coupon.find({ key: { $regex: `^campaign:${campaignId}:` } }, { status: 1, _id: 0 }).lean(),
            Delivery.countDocuments({ campaignId, occurrence: 'once', status: 'sent' }),
          ]),
        () =>
          Interaction.find({
            type: 'click',
            'refs.campaignId': String(campaignId),
            memberId: { $ne: null },
          }).explain('executionStats'),
      ],
    ];
    for (const [name, q, explain] of queries) {
      const e = await explain();
      const s = e.executionStats;
      console.log(
        `  ${name.padEnd(30)} ${await time(q)}   plan ${access(e.queryPlanner.winningPlan)}; keys ${s.totalKeysExamined}, docs ${s.totalDocsExamined}, returned ${s.nReturned}`,
      );
    }
    await mongoose.disconnect();
    await standin.close();
  }
}
