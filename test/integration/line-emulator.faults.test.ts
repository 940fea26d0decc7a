import { randomUUID } from 'node:crypto';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineEmulator } from '../../local/line-emulator';
import { type TestLineEmulator, startTestLineEmulator } from '../helpers/line-emulator';

const msg = (t: string): messagingApi.TextMessage => ({ type: 'text', text: t });

async function sdkError(p: Promise<unknown>): Promise<HTTPFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

describe('LINE emulator: retry keys, faults, rate limit, quota', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;
  let userId: string;

  beforeAll(async () => {
    t = await startTestLineEmulator({ seed: 7 });
    ({ emu, client } = t);
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    emu.reset();
    userId = emu.createUser({ displayName: '陳小華' }).userId;
    await emu.follow(userId);
  });

  it('a retry key accepted once answers 409 with the accepted request id and does not deliver twice', async () => {
    const key = randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to: userId, messages: [msg('生日快樂')] }, key);
    const err = await sdkError(client.pushMessage({ to: userId, messages: [msg('生日快樂')] }, key));
    expect(err.status).toBe(409);
    expect(err.headers.get('x-line-accepted-request-id')).toBe(first.httpResponse.headers.get('x-line-request-id'));
    const body = JSON.parse(err.body);
    expect(body.message).toBe('The retry key is already accepted');
    expect(body.sentMessages).toEqual(first.body.sentMessages);
    expect(emu.messagesFor(userId)).toHaveLength(1);
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(1);
  });

  it('rejects a retry key that is not a UUID', async () => {
    const err = await sdkError(client.pushMessage({ to: userId, messages: [msg('x')] }, 'not-a-uuid'));
    expect(err.status).toBe(400);
  });

  it('rate500 = 1 fails every send without consuming the retry key; rate500 = 0 recovers', async () => {
    const put = await t.control('PUT', '/faults', { rate500: 1 });
    expect(put.body).toMatchObject({ rate500: 1 });
    const key = randomUUID();
    for (let i = 0; i < 3; i++) {
      const err = await sdkError(client.pushMessage({ to: userId, messages: [msg('點數到期提醒')] }, key));
      expect(err.status).toBe(500);
    }
    expect(emu.messagesFor(userId)).toHaveLength(0);
    await t.control('PUT', '/faults', { rate500: 0 });
    await client.pushMessage({ to: userId, messages: [msg('點數到期提醒')] }, key);
    expect(emu.messagesFor(userId)).toHaveLength(1);
    const log = (await t.control('GET', '/pushes')).body;
    expect(log.map((e: { status: number }) => e.status)).toEqual([500, 500, 500, 200]);
    expect((await t.control('GET', '/faults')).body).toMatchObject({ rate500: 0, rate429: 0 });
  });

  it('rate429 surfaces as HTTPFetchError with status 429 and the LINE body', async () => {
    emu.setFaults({ rate429: 1 });
    const err = await sdkError(client.multicast({ to: [userId], messages: [msg('x')] }));
    expect(err).toBeInstanceOf(HTTPFetchError);
    expect(err.status).toBe(429);
    expect(JSON.parse(err.body)).toEqual({ message: 'Too Many Requests' });
  });

  it('random faults are reproducible for a given seed', async () => {
    const run = async () => {
      emu.setFaults({ rate500: 0.5, seed: 1234 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          await client.pushMessage({ to: userId, messages: [msg('x')] }).then(
            () => 200,
            (e: HTTPFetchError) => e.status,
          ),
        );
      }
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('rateLimit enforces a per-second token bucket across send APIs', async () => {
    emu.setFaults({ rateLimit: { perSecond: 3 } });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2
          ? client.pushMessage({ to: userId, messages: [msg('x')] })
          : client.broadcast({ messages: [msg('y')] })
        ).then(
          () => 200,
          (e: HTTPFetchError) => e.status,
        ),
      ),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(3);
    expect(results.filter((s) => s === 429)).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 400));
    await expect(client.pushMessage({ to: userId, messages: [msg('after refill')] })).resolves.toBeDefined();
    emu.setFaults({ rateLimit: null });
  });

  it('latencyMs delays send APIs', async () => {
    emu.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await client.pushMessage({ to: userId, messages: [msg('slow')] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('enforces the monthly quota: a send that would exceed it is 429 and nothing is delivered', async () => {
    const other = emu.createUser().userId;
    await emu.follow(other);
    const q = await t.control('PUT', '/quota', { monthlyQuota: 3 });
    expect(q.body).toEqual({ monthlyQuota: 3, totalUsage: 0 });
    expect(await client.getMessageQuota()).toEqual({ type: 'limited', value: 3 });
    await client.multicast({ to: [userId, other], messages: [msg('1'), msg('2')] });
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(2);
    const err = await sdkError(client.multicast({ to: [userId, other], messages: [msg('3')] }));
    expect(err.status).toBe(429);
    expect(JSON.parse(err.body)).toEqual({ message: 'You have reached your monthly limit.' });
    expect(emu.messagesFor(other)).toHaveLength(2);
    await client.pushMessage({ to: userId, messages: [msg('last one fits')] });
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(3);
    // Replies are free, so they still work when the quota is used up.
    const { replyToken } = await emu.sendText(userId, '還能回覆嗎');
    await expect(client.replyMessage({ replyToken: replyToken!, messages: [msg('可以')] })).resolves.toBeDefined();
  });

  it('quota429 forces the monthly-limit error', async () => {
    await t.control('PUT', '/faults', { quota429: true });
    const err = await sdkError(client.broadcast({ messages: [msg('x')] }));
    expect(err.status).toBe(429);
    expect(err.body).toMatch(/monthly limit/);
    const bad = await t.control('PUT', '/faults', { rate500: 2 });
    expect(bad.status).toBe(400);
  });
});
