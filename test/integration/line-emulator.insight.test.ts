/** Per-unit statistics and unit usage endpoints of the LINE emulator, through the real @line/bot-sdk. */
import type { messagingApi } from '@line/bot-sdk';
import { HTTPFetchError, insight } from '@line/bot-sdk';
import type { LineEmulator } from '../../local/line-emulator';
import { jstDay } from '../../local/line-emulator/insight';
import { type TestLineEmulator, startTestLineEmulator } from '../helpers/line-emulator';

async function sdkError(p: Promise<unknown>): Promise<HTTPFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

const URL_A = 'https://shop.example.tw/coupon?j=1';
const flexWithLink = (): messagingApi.Message => ({
  type: 'flex',
  altText: '新會員好禮',
  contents: {
    type: 'bubble',
    body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '領取新會員 100 點' }] },
    footer: {
      type: 'box',
      layout: 'vertical',
      contents: [{ type: 'button', action: { type: 'uri', label: '立即領取', uri: URL_A } }],
    },
  },
});

describe('LINE emulator: insight per unit', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;
  let ins: insight.InsightClient;
  const today = jstDay(new Date());

  beforeAll(async () => {
    t = await startTestLineEmulator();
    ({ emu, client } = t);
    ins = new insight.InsightClient({ channelAccessToken: 'test-channel-access-token', baseURL: emu.baseURL });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  async function followers(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const u = emu.createUser();
      await emu.follow(u.userId);
      ids.push(u.userId);
    }
    return ids;
  }

  it('counts opens and URL taps per unit and returns LINE’s response shape', async () => {
    emu.setInsightMinCount(0);
    const ids = await followers(3);
    await client.multicast({ to: ids, messages: [flexWithLink()], customAggregationUnits: ['welcome_s1'] });
    await client.pushMessage({
      to: ids[0],
      messages: [{ type: 'text', text: '別的單位' }],
      customAggregationUnits: ['other'],
    });
    emu.openMessage(ids[0], 'welcome_s1');
    emu.openMessage(ids[1], 'welcome_s1');
    emu.clickUrl(ids[1], URL_A);
    emu.clickUrl(ids[1], URL_A);

    const r = await ins.getStatisticsPerUnit('welcome_s1', today, today);
    expect(r.overview).toEqual({
      uniqueImpression: 2,
      uniqueClick: 1,
      uniqueMediaPlayed: null,
      uniqueMediaPlayed100Percent: null,
    });
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ seq: 1, impression: 4 });
    expect(r.clicks).toEqual([{ seq: 1, url: URL_A, click: 2, uniqueClick: 1, uniqueClickOfRequest: 1 }]);
  });

  it('nulls figures below the privacy threshold (20 by default, as LINE does)', async () => {
    const ids = await followers(2);
    await client.multicast({ to: ids, messages: [flexWithLink()], customAggregationUnits: ['small_unit'] });
    emu.openMessage(ids[0]);
    const r = await ins.getStatisticsPerUnit('small_unit', today, today);
    expect(r.overview.uniqueImpression).toBeNull();
    expect(r.overview.uniqueClick).toBeNull();
    expect(r.clicks[0]).toMatchObject({ url: URL_A, click: null, uniqueClick: null });
  });

  it('only counts messages sent inside from..to (UTC+9 days)', async () => {
    emu.setInsightMinCount(0);
    const [id] = await followers(1);
    await client.pushMessage({ to: id, messages: [flexWithLink()], customAggregationUnits: ['dated'] });
    emu.openMessage(id, 'dated');
    const r = await ins.getStatisticsPerUnit('dated', '20200101', '20200130');
    expect(r.overview.uniqueImpression).toBe(0);
    expect(r.messages).toEqual([]);
  });

  it.each([
    ['a unit name with a hyphen', 'bad-unit', today, today, 'customAggregationUnit'],
    ['a unit name over 30 characters', 'u'.repeat(31), today, today, 'customAggregationUnit'],
    ['a from that is not yyyyMMdd', 'ok_unit', '2026-01-01', today, 'from'],
    ['an impossible date', 'ok_unit', '20260230', '20260301', 'from'],
    ['to before from', 'ok_unit', '20260310', '20260301', 'to'],
    ['a range over 30 days', 'ok_unit', '20260301', '20260401', 'to'],
  ])('refuses %s with 400', async (_name, unit, from, to, property) => {
    const err = await sdkError(ins.getStatisticsPerUnit(unit, from, to));
    expect(err.status).toBe(400);
    expect(JSON.parse(err.body)).toMatchObject({ details: [expect.objectContaining({ property })] });
  });

  it('accepts exactly 30 days', async () => {
    await expect(ins.getStatisticsPerUnit('ok_unit', '20260301', '20260331')).resolves.toMatchObject({ messages: [] });
  });

  it('lists the units used this month with a continuation token and counts them', async () => {
    const [id] = await followers(1);
    for (const u of ['u_a', 'u_b', 'u_c', 'u_a'])
      await client.pushMessage({ to: id, messages: [{ type: 'text', text: '嗨' }], customAggregationUnits: [u] });
    expect(await client.getAggregationUnitUsage()).toEqual({ numOfCustomAggregationUnits: 3 });
    const p1 = await client.getAggregationUnitNameList('2');
    expect(p1).toEqual({ customAggregationUnits: ['u_a', 'u_b'], next: '2' });
    const p2 = await client.getAggregationUnitNameList('2', p1.next);
    expect(p2).toEqual({ customAggregationUnits: ['u_c'] });
    expect((await sdkError(client.getAggregationUnitNameList('101'))).status).toBe(400);
  });

  it('refuses the 1,001st new unit name of the month and delivers nothing', async () => {
    emu.setMonthlyQuota(5000);
    const [uid] = await followers(1);
    for (let i = 0; i < 1000; i++)
      await client.pushMessage({
        to: uid,
        messages: [{ type: 'text', text: '.' }],
        customAggregationUnits: [`pre_${i}`],
      });
    const before = emu.messagesFor(uid).length;
    const err = await sdkError(
      client.pushMessage({ to: uid, messages: [{ type: 'text', text: '超過' }], customAggregationUnits: ['one_more'] }),
    );
    expect(err.status).toBe(400);
    expect(emu.messagesFor(uid)).toHaveLength(before);
    // A unit already used this month still works.
    await client.pushMessage({
      to: uid,
      messages: [{ type: 'text', text: '可以' }],
      customAggregationUnits: ['pre_7'],
    });
    expect(emu.messagesFor(uid)).toHaveLength(before + 1);
  }, 120_000);

  it('control API: open/click need a message the user got, and the threshold is settable', async () => {
    const [id] = await followers(1);
    expect((await t.control('POST', `/users/${id}/open`, { unit: 'nothing' })).status).toBe(404);
    await client.pushMessage({ to: id, messages: [flexWithLink()], customAggregationUnits: ['ctl'] });
    expect((await t.control('POST', `/users/${id}/click`, { url: 'https://elsewhere.example/' })).status).toBe(404);
    expect((await t.control('POST', `/users/${id}/click`, { url: URL_A })).status).toBe(200);
    expect((await t.control('PUT', '/insight', { minCount: -1 })).status).toBe(400);
    const put = await t.control('PUT', '/insight', { minCount: 0 });
    expect(put.body).toMatchObject({
      minCount: 0,
      units: [{ unit: 'ctl', sends: 1, delivered: 1, opens: 1, clicks: 1 }],
    });
    const r = await ins.getStatisticsPerUnit('ctl', today, today);
    expect(r.overview.uniqueClick).toBe(1);
  });
});
