import { createCampaign, sendTestMessage } from '../../../domain/campaigns/campaign.service';
import { createJourney } from '../../../domain/journeys/journey.service';
import { runDueJourneySteps } from '../../../domain/journeys/journey-engine.service';
import { rebuildAffinity } from '../../../domain/purchases/affinity.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { refundPurchase } from '../../../domain/purchases/purchase-refund.service';
import { suggestProduct } from '../../../domain/purchases/suggested-product.service';
import { journeyDepsOf } from '../../../jobs/journeys.job';
import { runJobOnce } from '../../../jobs/runner';
import { ProductAffinity } from '../../../models/product-affinity.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { type Follower, seedFollowers, taipei, withClock } from '../campaigns/fixtures';

const TZ = 'Asia/Taipei';
let env: TestEnv;
let marketer: ConsoleLogin;
let m: Follower[];

const PRODUCTS = {
  A: { sku: 'SK-TONER', name: '保濕化妝水', category: '保養' },
  B: { sku: 'SK-SERUM', name: '修護精華液', category: '保養' },
  C: { sku: 'SK-LIP', name: '霧面唇膏', category: '彩妝' },
  D: { sku: 'SK-MASK', name: '補水面膜', category: '保養' },
};
type P = keyof typeof PRODUCTS;
let order = 0;
const buy = (who: Follower, products: P[], local = '2025-05-01T12:00:00') =>
  ingestPurchase(
    {
      orderId: `AF-${++order}`,
      member: { memberId: String(who.memberId) },
      amount: products.length * 500,
      time: taipei(local).toISOString(),
      items: products.map((p) => ({ ...PRODUCTS[p], quantity: 1, amount: 500 })),
    },
    { source: 'pos', now: taipei(local), messenger: env.deps.messenger, timeZone: TZ },
  );

beforeAll(async () => {
  env = await startTestEnv();
  env.local.emulator!.setMonthlyQuota(1_000_000);
  marketer = await loginAs(env, 'marketer');
  // Six buying members and one who never bought. By hand, with members = 6:
  //   buyers: A 4 (m0 m1 m2 m3), B 3 (m0 m1 m2), C 3 (m2 m3 m4), D 1 (m5)
  //   co-buyers: A&B 3, A&C 2, B&C 1 (under the support of 2: not shown)
  m = await seedFollowers(env, 7);
  await buy(m[0], ['A', 'B']);
  await buy(m[1], ['A']);
  await buy(m[1], ['B'], '2025-05-03T12:00:00'); // two orders: still one buyer of each
  await buy(m[2], ['A', 'B', 'C']);
  await buy(m[3], ['A', 'C']);
  await buy(m[4], ['C']);
  await buy(m[5], ['D']);
  await rebuildAffinity({ rule: { minSupport: 2, minLift: 1.2 } });
});
afterAll(() => env?.close());

const item = (kind: string, key: string) =>
  marketer.agent.get('/api/console/dashboard/affinity/item').query({ kind, key });

describe('#17.2 product affinity: buyers, co-buyers, confidence and lift', () => {
  it('matches the figures worked out by hand for SKUs and categories', async () => {
    const a = (await item('sku', 'SK-TONER').expect(200)).body;
    expect(a).toMatchObject({ kind: 'sku', key: 'SK-TONER', name: '保濕化妝水', category: '保養', buyers: 4 });
    expect(a.share).toBe(0.6667); // 4 of 6 buying members
    // B: 3 of A's 4 buyers (0.75); lift 0.75 / (3/6) = 1.5. C: 2/4 = 0.5; lift 0.5 / (3/6) = 1.
    expect(a.related).toEqual([
      { key: 'SK-SERUM', name: '修護精華液', coBuyers: 3, confidence: 0.75, lift: 1.5 },
      { key: 'SK-LIP', name: '霧面唇膏', coBuyers: 2, confidence: 0.5, lift: 1 },
    ]);
    // B → A: all 3 of B's buyers bought A; lift 1 / (4/6) = 1.5. B & C has 1 co-buyer: under the support, hidden.
    expect((await item('sku', 'SK-SERUM').expect(200)).body.related).toEqual([
      { key: 'SK-TONER', name: '保濕化妝水', coBuyers: 3, confidence: 1, lift: 1.5 },
    ]);
    expect((await item('sku', 'SK-MASK').expect(200)).body).toMatchObject({ buyers: 1, related: [] });
    // Categories: 保養 5 buyers (m0 m1 m2 m3 m5), 彩妝 3 (m2 m3 m4), both 2: lift 2×6 / (5×3) = 0.8.
    const care = (await item('category', '保養').expect(200)).body;
    expect(care).toMatchObject({ buyers: 5, related: [{ key: '彩妝', coBuyers: 2, confidence: 0.4, lift: 0.8 }] });
    expect(care.topSkus).toEqual([
      { key: 'SK-TONER', name: '保濕化妝水', buyers: 4 },
      { key: 'SK-SERUM', name: '修護精華液', buyers: 3 },
      { key: 'SK-MASK', name: '補水面膜', buyers: 1 },
    ]);
    expect((await item('category', '彩妝').expect(200)).body.related).toEqual([
      { key: '保養', name: '保養', coBuyers: 2, confidence: 0.6667, lift: 0.8 },
    ]);
    const list = (await marketer.agent.get('/api/console/dashboard/affinity').expect(200)).body;
    expect(list.meta).toMatchObject({ members: 6, minSupport: 2, minLift: 1.2 });
    expect(list.skus.map((s: { key: string; buyers: number }) => [s.key, s.buyers])).toEqual([
      ['SK-TONER', 4],
      ['SK-LIP', 3],
      ['SK-SERUM', 3],
      ['SK-MASK', 1],
    ]);
  });

  it('an unknown SKU or a bad kind is answered in zh-TW and changes nothing', async () => {
    const before = await ProductAffinity.find().sort({ _id: 1 }).lean();
    const unknown = await item('sku', 'NO-SUCH-SKU').expect(404);
    expect(unknown.body.error).toMatchObject({ code: 'affinity_item_not_found' });
    expect(unknown.body.error.message).toContain('找不到 SKU「NO-SUCH-SKU」');
    const bad = await item('brand', 'x').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/請選擇「分類」或「SKU」/);
    const empty = await marketer.agent.get('/api/console/dashboard/affinity/item').query({ kind: 'sku' }).expect(400);
    expect(JSON.stringify(empty.body)).toMatch(/請選擇一個分類或 SKU/);
    expect(await ProductAffinity.find().sort({ _id: 1 }).lean()).toEqual(before);
  });

  it('the suggested next product follows the rule: highest lift not bought, else the top category best seller', async () => {
    // m3 (A, C): A's related B has lift 1.5 ≥ 1.2 with 3 co-buyers, and m3 has not bought it.
    expect(await suggestProduct(m[3].memberId)).toEqual({
      suggestion: { kind: 'affinity', key: 'SK-SERUM', because: 'SK-TONER', lift: 1.5, coBuyers: 3 },
      name: '修護精華液',
    });
    // m0 (A, B): nothing related they have not bought (C's lift 1 < 1.2): 保養's best seller not bought is D.
    expect(await suggestProduct(m[0].memberId)).toEqual({
      suggestion: { kind: 'top_category', key: 'SK-MASK', category: '保養' },
      name: '補水面膜',
    });
    // m5 (D): D has no co-buyers; 保養's best seller is A.
    expect((await suggestProduct(m[5].memberId)).name).toBe('保濕化妝水');
    // m4 (C): C → A has lift 1 (under 1.2); 彩妝's only SKU is C, already bought: nothing.
    expect(await suggestProduct(m[4].memberId)).toEqual({ suggestion: { kind: 'none' }, name: null });
    // m6 never bought.
    expect((await suggestProduct(m[6].memberId)).suggestion).toEqual({ kind: 'none' });
  });

  it('rebuilding twice gives the same documents (one build id)', async () => {
    const strip = (docs: Array<Record<string, unknown>>) => docs.map(({ build: _b, ms: _ms, builtAt: _at, ...d }) => d);
    const first = strip(await ProductAffinity.find().sort({ _id: 1 }).lean());
    await rebuildAffinity({ rule: { minSupport: 2, minLift: 1.2 } });
    expect(strip(await ProductAffinity.find().sort({ _id: 1 }).lean())).toEqual(first);
    expect(new Set((await ProductAffinity.find({}, { build: 1 }).lean()).map((d) => d.build)).size).toBe(1);
  });
});

describe('#17.2 {suggested_product} in campaign and journey messages, resolved at send time', () => {
  it('a campaign text and a flex alt text carry each member their own suggestion, or the editable fallback', async () => {
    const put = await marketer.agent
      .put('/api/console/replies/campaign.suggestedProductFallback')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text: '店長推薦新品', version: 0 });
    expect(put.status).toBe(200);
    env.deps.replies.invalidate();
    const at = taipei('2025-06-01T10:00:00');
    await createCampaign(
      {
        name: '推薦商品',
        audience: { type: 'all' },
        messages: [
          { type: 'text', text: '為您推薦：{suggested_product}' },
          {
            type: 'flex',
            altText: '{suggested_product} 會員價',
            contents: {
              type: 'bubble',
              body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '{suggested_product}' }] },
            },
          },
        ],
        schedule: { type: 'once', at: at.toISOString() },
      },
      'tester',
      taipei('2025-06-01T09:00:00'),
      { timeZone: TZ },
    );
    const out = await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
    expect(out.status).toBe('ran');
    const got = (f: Follower) =>
      env.local
        .emulator!.messagesFor(f.lineUserId)
        .filter((e) => e.via === 'push')
        .map((e) => String(e.message.text ?? e.message.altText));
    expect(got(m[3])).toEqual(['為您推薦：修護精華液', '修護精華液 會員價']);
    expect(got(m[5])).toEqual(['為您推薦：保濕化妝水', '保濕化妝水 會員價']);
    expect(got(m[4])).toEqual(['為您推薦：店長推薦新品', '店長推薦新品 會員價']);
    const flex = env.local.emulator!.messagesFor(m[0].lineUserId).find((e) => e.message.type === 'flex')!;
    expect(JSON.stringify(flex.message.contents)).toContain('補水面膜');
    expect(JSON.stringify(flex.message.contents)).not.toContain('{suggested_product}');
  });

  it('a test send shows the recipient their own suggestion', async () => {
    const draft = await createCampaign(
      {
        name: '推薦商品（測試）',
        audience: { type: 'all' },
        messages: [{ type: 'text', text: '測試推薦：{suggested_product}' }],
        schedule: { type: 'once', at: taipei('2030-01-01T10:00:00').toISOString() },
      },
      'tester',
      taipei('2025-06-01T09:00:00'),
      { timeZone: TZ },
    );
    await sendTestMessage(env.deps, draft.id, m[5].lineUserId);
    const texts = env.local.emulator!.messagesFor(m[5].lineUserId).map((e) => e.message.text);
    expect(texts).toContain('測試推薦：保濕化妝水');
  });

  it('a journey message step fills the member’s suggestion', async () => {
    const journey = await createJourney(
      {
        name: 'VIP 推薦',
        trigger: { type: 'tag_changed', change: 'added', tag: 'VIP' },
        steps: [
          { id: 'hello', type: 'message', messages: [{ type: 'text', text: '您可能也會喜歡 {suggested_product}' }] },
        ],
        options: { frequencyCap: null },
        status: 'active',
      },
      'tester',
    );
    expect(journey.id).toBeTruthy();
    const admin = await loginAs(env, 'admin');
    await admin.agent
      .post(`/api/console/members/${m[3].memberId}/tags`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ tags: ['VIP'] })
      .expect(200);
    // The run is due now; the step waits out quiet hours, so tick at the next daytime hour in Taiwan.
    let at = new Date();
    while (![11, 12, 13, 14].includes((at.getUTCHours() + 8) % 24)) at = new Date(at.getTime() + 3_600_000);
    await runDueJourneySteps(journeyDepsOf(env.deps), at);
    const texts = env.local.emulator!.messagesFor(m[3].lineUserId).map((e) => e.message.text);
    expect(texts).toContain('您可能也會喜歡 修護精華液');
  });

  it('after a refund takes m5’s only purchase back, the next build has no 補水面膜', async () => {
    await refundPurchase({ orderId: 'AF-7' }, { source: 'pos', now: taipei('2025-06-02T12:00:00') });
    const r = await rebuildAffinity({ rule: { minSupport: 2, minLift: 1.2 } });
    expect(r).toMatchObject({ members: 5, skus: 3, categories: 2 });
    await item('sku', 'SK-MASK').expect(404);
    expect((await item('sku', 'SK-TONER').expect(200)).body.share).toBe(0.8);
  });
});
