import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { type LineEmulator, startLineEmulator } from '../../local/line-emulator';
import { TEST_LINE, type TestLineEmulator, startTestLineEmulator } from '../helpers/line-emulator';

const text = (t: string): messagingApi.TextMessage => ({ type: 'text', text: t });

async function sdkError(p: Promise<unknown>): Promise<HTTPFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return err;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

describe('LINE emulator: Messaging API through @line/bot-sdk', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;

  beforeAll(async () => {
    t = await startTestLineEmulator();
    ({ emu, client } = t);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  async function follower(name = '小美'): Promise<string> {
    const u = emu.createUser({ displayName: name });
    await emu.follow(u.userId);
    return u.userId;
  }

  it('push delivers to the inbox and returns sentMessages with an x-line-request-id', async () => {
    const userId = await follower();
    const res = await client.pushMessageWithHttpInfo({ to: userId, messages: [text('歡迎加入會員')] });
    expect(res.body.sentMessages).toHaveLength(1);
    expect(res.httpResponse.headers.get('x-line-request-id')).toBeTruthy();
    expect(emu.messagesFor(userId)).toEqual([expect.objectContaining({ via: 'push', message: text('歡迎加入會員') })]);
    expect(emu.pushLog()[0]).toMatchObject({ api: 'push', to: [userId], status: 200, delivered: true });
  });

  it('rejects a missing or wrong access token with 401', async () => {
    const bad = new messagingApi.MessagingApiClient({ channelAccessToken: 'nope', baseURL: emu.baseURL });
    const err = await sdkError(bad.getMessageQuota());
    expect(err.status).toBe(401);
    expect(JSON.parse(err.body).message).toMatch(/Authentication failed/);
    const raw = await fetch(`${emu.baseURL}/v2/bot/message/quota`);
    expect(raw.status).toBe(401);
  });

  it('reply tokens are single-use and replies do not count against quota', async () => {
    const u = emu.createUser();
    await emu.follow(u.userId);
    const { replyToken } = await emu.sendText(u.userId, '我要查點數');
    expect(replyToken).toBeTruthy();
    const ok = await client.replyMessage({ replyToken: replyToken!, messages: [text('你有 120 點')] });
    expect(ok.sentMessages).toHaveLength(1);
    const err = await sdkError(client.replyMessage({ replyToken: replyToken!, messages: [text('again')] }));
    expect(err.status).toBe(400);
    expect(JSON.parse(err.body)).toEqual({ message: 'Invalid reply token' });
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(0);
    expect(emu.messagesFor(u.userId).map((m) => m.via)).toEqual(['reply']);
  });

  it('reply tokens expire after replyTokenTtlMs', async () => {
    const short = await startLineEmulator({ ...TEST_LINE, replyTokenTtlMs: 30 });
    try {
      const c = new messagingApi.MessagingApiClient({
        channelAccessToken: TEST_LINE.channelAccessToken,
        baseURL: short.baseURL,
      });
      const u = short.createUser();
      const { replyToken } = await short.follow(u.userId);
      await new Promise((r) => setTimeout(r, 60));
      const err = await sdkError(c.replyMessage({ replyToken: replyToken!, messages: [text('too late')] }));
      expect(err.status).toBe(400);
    } finally {
      await short.close();
    }
  });

  it('multicast delivers to followers, skips unknown ids silently and rejects > 500 recipients', async () => {
    const a = await follower('A');
    const b = await follower('B');
    await client.multicast({ to: [a, b, 'U' + '0'.repeat(32)], messages: [text('週年慶')] });
    expect(emu.messagesFor(a)).toHaveLength(1);
    expect(emu.messagesFor(b)).toHaveLength(1);
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(2);
    const many = Array.from({ length: 501 }, (_, i) => 'U' + i.toString(16).padStart(32, '0'));
    const err = await sdkError(client.multicast({ to: many, messages: [text('x')] }));
    expect(err.status).toBe(400);
  });

  it('push to an unknown user is 400; to an unfollowed user it is accepted but not delivered', async () => {
    const err = await sdkError(client.pushMessage({ to: 'U' + 'f'.repeat(32), messages: [text('hi')] }));
    expect(err.status).toBe(400);
    expect(JSON.parse(err.body).message).toContain("The property, 'to', in the request body is invalid");
    const userId = await follower();
    await emu.unfollow(userId);
    await client.pushMessage({ to: userId, messages: [text('你還在嗎')] });
    expect(emu.messagesFor(userId)).toHaveLength(0);
    expect(emu.pushLog().at(-1)).toMatchObject({ status: 200, delivered: false });
  });

  it('broadcast and narrowcast reach all current followers; narrowcast progress is queryable', async () => {
    const a = await follower('A');
    const b = await follower('B');
    await emu.unfollow(b);
    await client.broadcast({ messages: [text('全體公告')] });
    const res = await client.narrowcastWithHttpInfo({ messages: [text('限時優惠')] });
    expect(res.httpResponse.status).toBe(202);
    expect(emu.messagesFor(a).map((m) => m.via)).toEqual(['broadcast', 'narrowcast']);
    expect(emu.messagesFor(b)).toHaveLength(0);
    const requestId = res.httpResponse.headers.get('x-line-request-id')!;
    const progress = await client.getNarrowcastProgress(requestId);
    expect(progress).toMatchObject({ phase: 'succeeded', successCount: 1, targetCount: 1 });
    const err = await sdkError(
      client.narrowcast({
        messages: [text('x')],
        filter: { demographic: { type: 'gender', oneOf: ['female'] } } as never,
      }),
    );
    expect(err.status).toBe(400);
    expect(JSON.parse(err.body).message).toMatch(/filter.*not supported by the Huigo LINE emulator/);
  });

  it('validates message objects like LINE', async () => {
    const userId = await follower();
    const cases: [unknown[], string][] = [
      [[], 'messages'],
      [Array.from({ length: 6 }, () => text('x')), 'messages'],
      [[{ type: 'text', text: '' }], 'messages[0].text'],
      [[{ type: 'text', text: 'x'.repeat(5001) }], 'messages[0].text'],
      [[{ type: 'carousel' }], 'messages[0].type'],
      [[{ type: 'flex', contents: { type: 'bubble' } }], 'messages[0].altText'],
      [[{ type: 'flex', altText: 'x' }], 'messages[0].contents'],
      [
        [
          {
            ...text('x'),
            quickReply: {
              items: Array.from({ length: 14 }, () => ({
                type: 'action',
                action: { type: 'message', label: 'a', text: 'a' },
              })),
            },
          },
        ],
        'messages[0].quickReply.items',
      ],
    ];
    for (const [messages, property] of cases) {
      const err = await sdkError(client.pushMessage({ to: userId, messages: messages as messagingApi.Message[] }));
      expect(err.status).toBe(400);
      const body = JSON.parse(err.body);
      expect(body.message).toMatch(/^The request body has \d+ error\(s\)$/);
      expect(body.details.map((d: { property: string }) => d.property)).toContain(property);
    }
    expect(emu.messagesFor(userId)).toHaveLength(0);
    await expect(client.validatePush({ messages: [text('ok')] })).resolves.toBeDefined();
  });

  it('serves profiles of followers only, and quota numbers', async () => {
    const userId = await follower('王小明');
    expect(await client.getProfile(userId)).toMatchObject({ userId, displayName: '王小明', language: 'zh-TW' });
    const stranger = emu.createUser();
    expect((await sdkError(client.getProfile(stranger.userId))).status).toBe(404);
    expect((await sdkError(client.getProfile('U' + '1'.repeat(32)))).status).toBe(404);
    expect(await client.getMessageQuota()).toEqual({ type: 'limited', value: 500 });
  });

  it('answers 404 naming the endpoint for anything not implemented', async () => {
    const err = await sdkError(client.getGroupSummary('Cgroup'));
    expect(err.status).toBe(404);
    expect(JSON.parse(err.body).message).toBe(
      'Not found: GET /v2/bot/group/Cgroup/summary is not implemented by the Huigo LINE emulator',
    );
  });

  it('serves content of images the user sent through the blob client', async () => {
    const userId = await follower();
    const r = await t.control('POST', `/users/${userId}/image`, {});
    expect(r.status).toBe(200);
    const messageId = (await t.control('GET', `/users/${userId}/conversation`)).body.at(-1).message.id;
    const stream = await t.blob.getMessageContent(messageId);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).subarray(1, 4).toString()).toBe('PNG');
  });
});
