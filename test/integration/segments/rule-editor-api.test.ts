/**
 * #17.1 what the segment editor gets from the server: suggestions read from the data for the purchase and message
 * conditions (categories and SKUs as sold, with names; stores; campaigns; journey steps that send), and, for a
 * malformed condition, zh-TW errors keyed by the condition's path so the editor shows them next to it.
 */
import { Types } from 'mongoose';
import { Campaign } from '../../../models/campaign.model';
import { Journey } from '../../../models/journey.model';
import { Segment } from '../../../models/segment.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { buyAt } from '../../factories/purchase-segment.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());

const count = (rule: unknown) =>
  marketer.agent.post('/api/console/segments/count').set('X-CSRF-Token', marketer.csrf).send({ rule });

describe('segment editor: suggestions and errors', () => {
  it('suggests the categories and SKUs sold (most sold first, with names), stores, campaigns and journey steps, and names them in the rule text', async () => {
    const { member } = await createLineMember(env);
    await buyAt(env, member.memberCode, 'S1', 3, [
      ['保養', 900],
      ['彩妝', 400],
    ]);
    await buyAt(env, member.memberCode, 'S2', 2, [['保養', 1200]]);
    const campaign = await Campaign.create({
      name: '母親節保養推播',
      audience: { type: 'all' },
      messages: [{ type: 'text', text: '母親節快樂' }],
      schedule: { type: 'once', at: new Date().toISOString() },
      options: {},
    });
    const journey = await Journey.create({
      name: '新會員歡迎旅程',
      status: 'active',
      trigger: { type: 'followed', include: 'both' },
      steps: [
        { id: 'welcome', type: 'message', messages: [{ type: 'text', text: '歡迎' }] },
        { id: 'wait1', type: 'wait', days: 1 },
        { id: 'gift', type: 'coupon', templateId: String(new Types.ObjectId()), notify: true },
      ],
    });
    await Journey.create({ name: '已封存旅程', status: 'archived', trigger: { type: 'followed' }, steps: [] });

    const { body } = await marketer.agent.get('/api/console/segments/meta').expect(200);
    expect(body.categories).toEqual(['保養', '彩妝']);
    expect(body.products[0]).toEqual({ sku: '保養-1', name: '保養商品 1', category: '保養' });
    expect(body.products.map((p: { sku: string }) => p.sku).sort()).toEqual(['保養-1', '彩妝-2']);
    expect(body.stores.map((s: { name: string }) => s.name)).toEqual(['台北大安店', '台中西屯店']);
    expect(body.boughtKinds).toEqual({ category: '商品類別', sku: '商品', store: '門市' });
    expect(body.campaigns).toEqual([{ id: String(campaign._id), name: '母親節保養推播' }]);
    expect(body.journeys).toEqual([
      {
        id: String(journey._id),
        name: '新會員歡迎旅程',
        steps: [
          { id: 'welcome', type: 'message' },
          { id: 'gift', type: 'coupon' },
        ],
      },
    ]);
    expect(body.fields).toMatchObject({ bought: '購買紀錄', aov: '平均客單價', message: '收到／點擊訊息' });

    // The rule in words names what it points at, not ids.
    const res = await count({
      op: 'and',
      conditions: [
        { field: 'message', source: 'campaign', id: String(campaign._id), op: 'notClicked' },
        { field: 'message', source: 'journey', id: String(journey._id), stepId: 'welcome', op: 'received' },
        { field: 'bought', kind: 'store', op: 'bought', values: ['taipei-daan'], days: 30 },
      ],
    }).expect(200);
    expect(res.body.ruleText).toBe(
      '沒有點擊活動「母親節保養推播」的訊息 且 收到旅程「新會員歡迎旅程」步驟 welcome 的訊息 且 最近 30 天內買過門市「台北大安店」',
    );
  });

  it('refuses a malformed purchase condition in zh-TW, at the condition’s path, and saves nothing', async () => {
    const before = await Segment.countDocuments();
    const rule = {
      op: 'and',
      conditions: [
        { field: 'bought', kind: 'category', op: 'bought', values: ['保養'], days: 0 },
        { op: 'or', conditions: [{ field: 'aov', op: 'gte' }] },
        { field: 'message', source: 'journey', id: String(new Types.ObjectId()), op: 'clicked', stepId: 'welcome' },
      ],
    };
    const res = await count(rule);
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(
      (res.body.error.details.fields as Array<{ path: string; message: string }>).map((f) => [f.path, f.message]),
    );
    expect(fields).toEqual({
      'conditions.0.days': '至少 1 天',
      'conditions.1.conditions.0.value': '請填寫數值',
      'conditions.2.op': '旅程步驟目前只能依「是否收到」篩選',
    });
    const save = await marketer.agent
      .post('/api/console/segments')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ name: '壞條件', rule });
    expect(save.status).toBe(400);
    expect(await Segment.countDocuments()).toBe(before);
  });
});
