/**
 * Realistic stand-in data for storage benches: per member 2 purchases, 2.6 points entries, 7.5 interactions,
 * 0.8 coupons and 2.9 webhook events (the proportions of issue #18), shaped like the mongoose models' documents
 * and inserted through the real driver in batches, with the models' unique indexes declared first.
 */
import { ObjectId, type Db } from 'mongodb';

const PER_MEMBER = { purchases: 2, points: 2.6, interactions: 7.5, coupons: 0.8, webhookEvents: 2.9 };
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

export async function declareIndexes(db: Db): Promise<void> {
  await db
    .collection('members')
    .createIndexes([
      { key: { lineUserId: 1 }, unique: true, sparse: true },
      { key: { memberCode: 1 }, unique: true },
      { key: { phone: 1 }, unique: true, sparse: true },
      { key: { status: 1 } },
    ]);
  await db.collection('purchases').createIndexes([{ key: { orderId: 1 }, unique: true }, { key: { memberId: 1 } }]);
  await db
    .collection('pointsentries')
    .createIndexes([{ key: { key: 1 }, unique: true }, { key: { memberId: 1, at: -1 } }]);
  await db
    .collection('interactions')
    .createIndexes([{ key: { key: 1 }, unique: true, sparse: true }, { key: { memberId: 1, at: -1 } }]);
  await db.collection('coupons').createIndexes([
    { key: { code: 1 }, unique: true },
    { key: { key: 1 }, unique: true },
  ]);
  await db.collection('webhookevents').createIndexes([{ key: { webhookEventId: 1 }, unique: true }]);
}

/** How many of each kind member `i` has: fractional proportions spread evenly over members. */
const share = (rate: number, i: number) => Math.floor(rate * (i + 1)) - Math.floor(rate * i);

function member(i: number, _id: ObjectId) {
  const at = new Date(T0 + (i % 365) * DAY);
  return {
    _id,
    lineUserId: `U${(0x1000000 + i).toString(16).padStart(32, '0')}`,
    memberCode: String(2_000_000_000 + i),
    displayName: `會員${i}`,
    pictureUrl: `https://profile.line-scdn.net/0h${i.toString(36)}abcdefghijklmnop`,
    name: `王小明${i}`,
    phone: `09${String(10_000_000 + i).padStart(8, '0')}`,
    status: 'active',
    followedAt: at,
    gender: ['female', 'male', 'other', 'undisclosed'][i % 4],
    birthday: `19${70 + (i % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    birthMonth: 1 + (i % 12),
    city: ['台北市', '新北市', '台中市', '高雄市'][i % 4],
    preferences: { priceSensitivity: 'medium', promotionType: 'points', contactTime: 'evening' },
    tags: i % 3 ? [] : [{ tag: '茶葉愛好者', source: 'persona', addedAt: at }],
    consent: { status: 'accepted', version: '2025-01', at, marketing: i % 2 === 0 },
    points: 120 + (i % 500),
    tier: i % 10 ? 'basic' : 'silver',
    stats: { purchaseCount: 2, totalSpent: 2400 + (i % 3000), lastPurchaseAt: at },
    rfm: { r: 1 + (i % 5), f: 1 + (i % 4), m: 1 + (i % 5), segment: 'loyal', scoredAt: at },
    referral: { code: `R${i.toString(36).toUpperCase().padStart(6, '0')}` },
    createdAt: at,
    updatedAt: at,
    __v: 0,
  };
}

function* related(i: number, memberId: ObjectId) {
  const lineUserId = `U${(0x1000000 + i).toString(16).padStart(32, '0')}`;
  const at = new Date(T0 + (i % 365) * DAY + 3_600_000);
  for (let k = 0; k < share(PER_MEMBER.purchases, i); k++) {
    yield [
      'purchases',
      {
        source: 'pos',
        orderId: `ORD-${i}-${k}`,
        memberId,
        matchedBy: 'memberCode',
        amount: 1200 + ((i * 37 + k) % 3000),
        currency: 'TWD',
        items: [{ sku: `SKU-${i % 40}`, name: '高山烏龍茶', category: '茶葉', quantity: 1, amount: 1200 }],
        storeId: `store-${i % 5}`,
        channel: 'store',
        at,
        receivedAt: at,
        recordedBy: 'system',
        status: 'completed',
        refundedAmount: 0,
        refunds: [],
        pointsEarned: 12,
        multiplier: 1,
        tierAtPurchase: 'basic',
        createdAt: at,
        updatedAt: at,
        __v: 0,
      },
    ] as const;
  }
  for (let k = 0; k < share(PER_MEMBER.points, i); k++) {
    yield [
      'pointsentries',
      {
        memberId,
        delta: 60,
        reason: 'purchase',
        key: `purchase:ORD-${i}-${k}`,
        actor: 'system',
        balanceAfter: 60 * (k + 1),
        expiresAt: new Date(at.getTime() + 365 * DAY),
        refs: { orderId: `ORD-${i}-${k}` },
        at,
        createdAt: at,
        __v: 0,
      },
    ] as const;
  }
  for (let k = 0; k < share(PER_MEMBER.interactions, i); k++) {
    yield [
      'interactions',
      {
        memberId,
        lineUserId,
        type: ['message', 'postback', 'purchase', 'coupon_issued'][k % 4],
        channel: 'line',
        summary: ['點數', '優惠券', '購買 NT$1,200', '領取 95 折券'][k % 4],
        at: new Date(at.getTime() + k * 60_000),
        refs: { webhookEventId: `01H${i}X${k}` },
        key: `ev:${i}:${k}`,
        createdAt: at,
        __v: 0,
      },
    ] as const;
  }
  for (let k = 0; k < share(PER_MEMBER.coupons, i); k++) {
    yield [
      'coupons',
      {
        templateId: new ObjectId('65a000000000000000000001'),
        memberId,
        code: `C${i}K${k}`,
        key: `welcome:${i}:${k}`,
        slot: k,
        source: 'welcome',
        title: '新會員 95 折',
        terms: '限門市使用，每人一次',
        kind: 'percent',
        value: 5,
        minSpend: 0,
        storeIds: [],
        status: 'active',
        issuedAt: at,
        issuedBy: 'system',
        validFrom: at,
        validUntil: new Date(at.getTime() + 30 * DAY),
        reversals: [],
        createdAt: at,
        updatedAt: at,
        __v: 0,
      },
    ] as const;
  }
  for (let k = 0; k < share(PER_MEMBER.webhookEvents, i); k++) {
    const id = `01HWEBHOOK${i}E${k}`;
    yield [
      'webhookevents',
      {
        webhookEventId: id,
        type: 'message',
        sourceType: 'user',
        userId: lineUserId,
        payload: {
          type: 'message',
          mode: 'active',
          timestamp: at.getTime(),
          source: { type: 'user', userId: lineUserId },
          webhookEventId: id,
          deliveryContext: { isRedelivery: false },
          message: { id: `5${i}${k}`, type: 'text', quoteToken: `q${i}${k}`, text: '點數' },
          replyToken: `r${i}${k}`,
        },
        receivedAt: at,
        redeliveries: 0,
        status: 'done',
        attempts: 1,
        processedAt: at,
        createdAt: at,
        __v: 0,
      },
    ] as const;
  }
}

/** Insert members [from, to) with their history; returns the number of documents written. */
export async function seedMembers(db: Db, from: number, to: number, batch = 1000): Promise<number> {
  const pending = new Map<string, object[]>();
  let written = 0;
  const flush = async (name: string) => {
    const docs = pending.get(name);
    if (!docs?.length) return;
    pending.set(name, []);
    await db.collection(name).insertMany(docs as Array<Record<string, unknown>>, { ordered: false });
    written += docs.length;
  };
  for (let i = from; i < to; i++) {
    const id = new ObjectId();
    const all: Array<readonly [string, object]> = [['members', member(i, id)], ...related(i, id)];
    for (const [name, doc] of all) {
      const list = pending.get(name) ?? [];
      list.push(doc);
      pending.set(name, list);
      if (list.length >= batch) await flush(name);
    }
  }
  for (const name of [...pending.keys()]) await flush(name);
  return written;
}
