/**
 * `npm run seed:scale -- 10000`: seeds a brand of that many members with the history a real program builds up, in
 * the proportions of issue #18 (per member: 2 purchases, 2.6 points entries, 7.5 interactions, 0.8 coupons, 2.9
 * webhook events), plus 10 campaigns already sent to the consented followers (~61%), with the dashboard counters
 * those records imply (what `stats:rebuild` computes, without rescanning them). Inserted in bulk (this is volume,
 * not behaviour: the use cases are exercised by the tests); deterministic for a size, so runs compare. Uses MONGODB_URI, or in local mode the stand-in with its saved
 * data (do not run it while `npm start` uses the same data folder). bench/scale.bench.ts calls `seedScale`.
 */
import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { addContribution, contributionOf, type CountedMember } from '../domain/reports/member-counters.service';
import { addPointsOutstanding, addRevenue } from '../domain/reports/revenue-counters.service';
import { replaceCounters } from '../domain/reports/stat-rebuild.service';
import { addTo, campaignBucket, type CounterDelta, templateBucket } from '../domain/reports/stat-counters.service';

const DAY = 86_400_000;
const BATCH = 5000;
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭', '謝', '郭', '洪'];
const GIVEN = ['怡君', '雅婷', '志明', '家豪', '淑芬', '俊傑', '佩珊', '宗翰', '欣怡', '冠宇', '美玲', '建宏'];
const CITIES = ['台北市', '新北市', '桃園市', '台中市', '台南市', '高雄市'];

export interface SeedScaleResult {
  members: number;
  documents: number;
  seconds: number;
  /** A member who follows the account, for the chat and detail measurements. */
  sample: { memberId: string; lineUserId: string; name: string; phone: string; memberCode: string };
  /** LINE user ids of members who follow the account (for the emulator's friend list). */
  followers: string[];
}

/** Deterministic pseudo-random in [0, 1) from a seed (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
/** 10 characters, random-looking but unique by construction (a hash alone collides at 10k members). */
const uniqueCode = (kind: string, i: number) =>
  `${hex(`${kind}:${i}`, 4)}${i.toString(16).padStart(6, '0')}`.toUpperCase();
const oid = (kind: string, i: number) => new Types.ObjectId(hex(`${kind}:${i}`, 24));

class Writer {
  count = 0;
  private buffers = new Map<string, Record<string, unknown>[]>();
  async add(collection: string, doc: Record<string, unknown>): Promise<void> {
    const buf = this.buffers.get(collection) ?? [];
    buf.push(doc);
    this.buffers.set(collection, buf);
    if (buf.length >= BATCH) await this.flush(collection);
  }
  async flush(collection?: string): Promise<void> {
    for (const name of collection ? [collection] : [...this.buffers.keys()]) {
      const buf = this.buffers.get(name) ?? [];
      if (!buf.length) continue;
      this.buffers.set(name, []);
      await mongoose.connection.db!.collection(name).insertMany(buf, { ordered: false });
      this.count += buf.length;
    }
  }
}

/** Seeds `n` members and their history into the connected database (which should be empty). */
export async function seedScale(
  n: number,
  now = new Date(),
  log: (msg: string) => void = () => undefined,
): Promise<SeedScaleResult> {
  const started = Date.now();
  const rnd = random(n);
  const w = new Writer();
  const templates = [0, 1].map((t) => ({
    _id: oid('template', t),
    title: t ? '生日禮 NT$100' : '回購 9 折',
    kind: t ? 'amount' : 'percent',
    value: t ? 100 : 10,
    validity: { mode: 'relative', days: 30 },
    status: 'active',
    perMemberLimit: 5,
    issuedCount: 0,
    createdAt: new Date(now.getTime() - 400 * DAY),
    updatedAt: now,
  }));
  const issued = [0, 0];
  const campaigns = Array.from({ length: 10 }, (_, c) => ({
    _id: oid('campaign', c),
    at: new Date(now.getTime() - (70 - c * 7) * DAY),
  }));
  const followers: string[] = [];
  const delta: CounterDelta = new Map();
  const markers: Array<Record<string, unknown>> = [];
  let sample: SeedScaleResult['sample'] | undefined;
  for (let i = 0; i < n; i++) {
    const _id = oid('member', i);
    const line = rnd() < 0.92;
    const lineUserId = line ? `U${hex(`user:${n}:${i}`, 32)}` : undefined;
    const blocked = line && rnd() < 0.06;
    const marketing = rnd() < 0.66;
    const followedAt = new Date(now.getTime() - Math.floor(rnd() * 730) * DAY - Math.floor(rnd() * DAY));
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
    const phone = `09${String(10_000_000 + i).padStart(8, '0')}`;
    const memberCode = String(1_000_000_000 + i);
    const month = 1 + (i % 12);
    const day = 1 + (Math.floor(i / 12) % 28);
    const birthday = `${1970 + (i % 35)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const lastInteractionAt = new Date(now.getTime() - Math.floor(rnd() * 120) * DAY);
    const spend = [0, 1].map(() => 200 + Math.floor(rnd() * 3000));
    const purchaseAt = [0, 1].map(() => new Date(now.getTime() - Math.floor(rnd() * 365) * DAY));
    const member: Record<string, unknown> = {
      _id,
      ...(lineUserId ? { lineUserId } : {}),
      memberCode,
      displayName: name,
      name,
      phone,
      status: blocked ? 'blocked' : line ? 'active' : 'imported',
      ...(line ? { followedAt } : {}),
      consent: marketing
        ? { status: 'accepted', marketing: true, version: 'v1', at: followedAt }
        : { status: 'declined', marketing: false, version: 'v1', at: followedAt },
      pointsBalance: Math.floor((spend[0] + spend[1]) / 100),
      tier: { code: 'basic' },
      stats: {
        purchaseCount: 2,
        totalSpend: spend[0] + spend[1],
        averageOrder: Math.round((spend[0] + spend[1]) / 2),
        firstPurchaseAt: purchaseAt[0] < purchaseAt[1] ? purchaseAt[0] : purchaseAt[1],
        lastPurchaseAt: purchaseAt[0] < purchaseAt[1] ? purchaseAt[1] : purchaseAt[0],
      },
      tags: [{ tag: `興趣:${['咖啡', '甜點', '麵包'][i % 3]}`, source: 'persona', addedAt: followedAt }],
      city: CITIES[i % CITIES.length],
      birthday,
      // What the model's save hook derives (`birthdayKeyOf`): bulk inserts skip hooks, and the birthday job reads
      // its candidates through this key's index.
      birthdayKey: birthday.slice(5),
      birthMonth: month,
      persona: rnd() < 0.45 ? { completedAt: followedAt } : {},
      referral: { code: uniqueCode('ref', i) },
      lastInteractionAt,
      notes: '',
      createdAt: followedAt,
      updatedAt: now,
    };
    // The counters of what is inserted, by the rule the live updates use (no rescan of the records afterwards).
    const contribution = contributionOf(member as unknown as CountedMember, false);
    addContribution(delta, contribution, 1);
    addPointsOutstanding(delta, Math.floor((spend[0] + spend[1]) / 100));
    await w.add('members', { ...member, countedAs: contribution, countedV: 1 });
    if (line && !blocked) followers.push(lineUserId!);
    if (!sample && line && !blocked && marketing)
      sample = { memberId: String(_id), lineUserId: lineUserId!, name, phone, memberCode };
    for (let p = 0; p < 2; p++) {
      const orderId = `S${i}-${p}`;
      addRevenue(
        delta,
        { at: purchaseAt[p] },
        { count: 1, revenue: spend[p] },
        new Date(Math.min(...purchaseAt.map(Number))),
      );
      await w.add('purchases', {
        source: 'pos',
        orderId,
        memberId: _id,
        matchedBy: 'memberCode',
        amount: spend[p],
        currency: 'TWD',
        items: [],
        channel: 'store',
        at: purchaseAt[p],
        receivedAt: purchaseAt[p],
        recordedBy: 'seed',
        pointsEarned: Math.floor(spend[p] / 100),
        multiplier: 1,
        tierAtPurchase: 'basic',
        status: 'completed',
        refundedAmount: 0,
        refunds: [],
        survey: { status: 'none' },
        effectsDoneAt: purchaseAt[p],
      });
      await w.add('pointsentries', {
        memberId: _id,
        delta: Math.floor(spend[p] / 100),
        reason: 'purchase',
        key: `purchase:pos:${orderId}`,
        at: purchaseAt[p],
        actor: 'system',
      });
    }
    if (rnd() < 0.6)
      await w.add('pointsentries', {
        memberId: _id,
        delta: 20,
        reason: 'persona',
        key: `persona-complete:${_id}`,
        at: followedAt,
        actor: 'system',
      });
    const interactions = 7 + (rnd() < 0.5 ? 1 : 0);
    for (let k = 0; k < interactions; k++) {
      const at = new Date(lastInteractionAt.getTime() - k * 3 * DAY);
      const type = ['message_in', 'message_out', 'purchase', 'push', 'click', 'event'][k % 6];
      await w.add('interactions', {
        memberId: _id,
        ...(lineUserId ? { lineUserId } : {}),
        type,
        channel: 'line',
        summary: type === 'message_in' ? '點數' : '互動紀錄',
        at,
      });
    }
    if (rnd() < 0.8) {
      const t = i % 2;
      issued[t]++;
      const issuedAt = new Date(now.getTime() - Math.floor(rnd() * 60) * DAY);
      const used = rnd() < 0.25;
      const validUntil = new Date(issuedAt.getTime() + 30 * DAY);
      if (used) addTo(delta, templateBucket(templates[t]._id), 'used', 1);
      else addTo(delta, templateBucket(templates[t]._id), `active.u${validUntil.getTime()}`, 1);
      await w.add('coupons', {
        templateId: templates[t]._id,
        memberId: _id,
        code: uniqueCode(`coupon:${n}`, i),
        key: `seed:${i}`,
        slot: 1,
        source: 'manual',
        title: templates[t].title,
        kind: templates[t].kind,
        value: templates[t].value,
        status: used ? 'used' : 'active',
        issuedAt,
        issuedBy: 'seed',
        validFrom: issuedAt,
        validUntil,
      });
    }
    const events = 2 + (rnd() < 0.9 ? 1 : 0);
    for (let e = 0; e < events && lineUserId; e++)
      await w.add('webhookevents', {
        webhookEventId: `01SEED${hex(`event:${n}:${i}:${e}`, 20).toUpperCase()}`,
        type: 'message',
        userId: lineUserId,
        payload: { type: 'message', message: { type: 'text', text: '點數' } },
        receivedAt: new Date(lastInteractionAt.getTime() - e * DAY),
        status: 'done',
      });
    if (line && !blocked && marketing)
      for (const c of campaigns) {
        const bucket = campaignBucket(c._id);
        addTo(delta, bucket, 'matched', 1);
        addTo(delta, bucket, 'sent', 1);
        // Attributed: this recipient's purchases within the default 7 days after the push.
        const inWindow = [0, 1].filter(
          (p) => purchaseAt[p] >= c.at && purchaseAt[p].getTime() <= c.at.getTime() + 7 * DAY,
        );
        if (inWindow.length) {
          addTo(delta, bucket, 'attributed.count', inWindow.length);
          addTo(delta, bucket, 'attributed.buyers', 1);
          addTo(
            delta,
            bucket,
            'attributed.revenue',
            inWindow.reduce((sum, p) => sum + spend[p], 0),
          );
          markers.push({
            _id: `buyer:${String(c._id)}:${String(_id)}`,
            memberId: _id,
            campaignId: c._id,
            v: inWindow.length,
          });
        }
        await w.add('deliveries', {
          campaignId: c._id,
          occurrence: 'once',
          memberId: _id,
          lineUserId,
          batch: 0,
          status: 'sent',
          countedAt: c.at,
          sentAt: c.at,
        });
      }
  }
  for (const [t, doc] of templates.entries()) await w.add('coupontemplates', { ...doc, issuedCount: issued[t] });
  for (const [c, { _id, at }] of campaigns.entries()) {
    await w.add('campaigns', {
      _id,
      name: `第 ${c + 1} 檔活動`,
      audience: { type: 'all' },
      messages: [{ type: 'text', text: '本週新品上市，歡迎來店選購！' }],
      schedule: { type: 'once', at },
      options: {},
      status: 'completed',
      links: [],
      lastRunAt: at,
      createdBy: 'seed',
      createdAt: new Date(at.getTime() - DAY),
      updatedAt: at,
    });
    await w.add('campaignruns', {
      campaignId: _id,
      occurrence: 'once',
      plannedAt: at,
      status: 'completed',
      frozenAt: at,
      completedAt: at,
    });
  }
  for (const c of campaigns) {
    const sent = delta.get(campaignBucket(c._id))?.sent ?? 0;
    markers.push({
      _id: `freeze:${String(c._id)}:once`,
      campaignId: c._id,
      v: 0,
      c: { matched: sent, pending: 0, skipped: {} },
    });
  }
  await w.flush();
  const written = (Date.now() - started) / 1000;
  await replaceCounters(delta, markers);
  log(
    `seed:scale: ${w.count} documents written in ${written.toFixed(1)} s, counters written in ${((Date.now() - started) / 1000 - written).toFixed(1)} s`,
  );
  return {
    members: n,
    documents: w.count,
    seconds: (Date.now() - started) / 1000,
    sample: sample!,
    followers,
  };
}

/** `10000`, `10k`, `1.5k` → a member count. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(k)?$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: "${s}" (e.g. 1000, 10k)`);
  return Math.round(Number(m[1]) * (m[2] ? 1000 : 1));
}

async function main(): Promise<number> {
  const { loadConfig } = await import('../server/config');
  const { startRuntime } = await import('../server/runtime');
  const { rootLogger } = await import('../domain/shared/logger');
  const n = parseSize(process.argv[2] ?? '');
  const config = loadConfig();
  rootLogger.level = config.logLevel;
  const runtime = await startRuntime({ ...config, port: 0 }, { scheduler: false, sweeper: false });
  try {
    if (await mongoose.connection.db!.collection('members').estimatedDocumentCount())
      throw new Error('the database already has members: seed:scale fills an empty one');
    const r = await seedScale(n, new Date(), console.log);
    console.log(`seed:scale: ${r.members} members, ${r.documents} documents in ${r.seconds.toFixed(1)} s`);
    return 0;
  } finally {
    await runtime.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`seed:scale failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
