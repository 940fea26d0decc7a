import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import type { LineEmulator } from '../../local/line-emulator';
import { validMessageSamples } from '../factories/line-messages.factory';
import { TEST_LINE, type TestLineEmulator, startTestLineEmulator } from '../helpers/line-emulator';

async function sdkError(p: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HTTPFetchError) return { status: err.status, body: JSON.parse(err.body) };
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

const HERO = 'https://cdn.huigo.tw/hero.png';

/** A flex campaign card: `cta` is the button's URI (the issue's `mailto:` case) and `heroUrl` the hero image. */
function card(opts: { cta?: string; heroUrl?: string; title?: string } = {}): messagingApi.FlexMessage {
  return {
    type: 'flex',
    altText: '本月會員優惠',
    contents: {
      type: 'bubble',
      hero: { type: 'image', url: opts.heroUrl ?? HERO, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
      body: {
        type: 'box',
        layout: 'vertical',
        contents: [
          { type: 'text', text: opts.title ?? '點數加倍', weight: 'bold', size: 'xl' },
          {
            type: 'button',
            style: 'primary',
            action: { type: 'uri', label: '立即查看', uri: opts.cta ?? 'https://huigo.tw/deals' },
          },
        ],
      },
    },
  };
}

const BAD_CTA = 'messages[0].contents.body.contents[1].action.uri';

describe('#11.1 LINE emulator: validate endpoints apply the send rules (HTTP, @line/bot-sdk)', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;

  beforeAll(async () => {
    t = await startTestLineEmulator();
    ({ emu, client } = t);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const validators = (c: messagingApi.MessagingApiClient) =>
    ({
      reply: (messages: messagingApi.Message[]) => c.validateReply({ messages }),
      push: (messages: messagingApi.Message[]) => c.validatePush({ messages }),
      multicast: (messages: messagingApi.Message[]) => c.validateMulticast({ messages }),
      narrowcast: (messages: messagingApi.Message[]) => c.validateNarrowcast({ messages }),
      broadcast: (messages: messagingApi.Message[]) => c.validateBroadcast({ messages }),
    }) as const;

  it.each(['reply', 'push', 'multicast', 'narrowcast', 'broadcast'] as const)(
    'validate/%s answers 200 {} for a valid card and 400 with the property path for a mailto: button',
    async (api) => {
      const res = await fetch(`${emu.baseURL}/v2/bot/message/validate/${api}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_LINE.channelAccessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [card()] }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      await expect(validators(client)[api]([card()])).resolves.toBeDefined();
      const err = await sdkError(validators(client)[api]([card({ cta: 'mailto:shop@huigo.tw' })]));
      expect(err).toEqual({
        status: 400,
        body: {
          message: 'The request body has 1 error(s)',
          details: [{ message: expect.any(String), property: BAD_CTA }],
        },
      });
    },
  );

  it('validate and push refuse the same campaign with the same details, and push delivers nothing', async () => {
    const u = emu.createUser();
    await emu.follow(u.userId);
    // The issue's console cases at once: an http:// hero and an empty news title.
    const bad = [card({ heroUrl: 'http://cdn.huigo.tw/hero.png', title: '' })];
    const validated = await sdkError(client.validatePush({ messages: bad }));
    const pushed = await sdkError(client.pushMessage({ to: u.userId, messages: bad }));
    expect(pushed).toEqual(validated);
    expect(pushed.body.details.map((d: { property: string }) => d.property).sort()).toEqual([
      'messages[0].contents.body.contents[0].text',
      'messages[0].contents.hero.url',
    ]);
    expect(emu.messagesFor(u.userId)).toEqual([]);
    expect(emu.pushLog()[0]).toMatchObject({ api: 'push', status: 400, delivered: false });
  });

  it('a valid sample of every message type is accepted by validate/push and delivered by push', async () => {
    const u = emu.createUser();
    await emu.follow(u.userId);
    const samples = validMessageSamples() as unknown as messagingApi.Message[];
    for (let i = 0; i < samples.length; i += 5) {
      const messages = samples.slice(i, i + 5);
      await expect(client.validatePush({ messages })).resolves.toBeDefined();
      await client.pushMessage({ to: u.userId, messages });
    }
    expect(emu.messagesFor(u.userId).map((m) => m.message)).toEqual(samples);
  });

  it('a validate request without messages is refused on messages', async () => {
    const err = await sdkError(client.validatePush({} as messagingApi.ValidateMessageRequest));
    expect(err.status).toBe(400);
    expect(err.body.details).toEqual([{ message: 'Size must be between 1 and 5', property: 'messages' }]);
  });
});

describe('#11.1 LINE emulator: recipients of push and multicast', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let client: messagingApi.MessagingApiClient;

  beforeAll(async () => {
    t = await startTestLineEmulator();
    ({ emu, client } = t);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('push refuses a malformed `to` id', async () => {
    const err = await sdkError(client.pushMessage({ to: 'U123', messages: [{ type: 'text', text: '嗨' }] }));
    expect(err.status).toBe(400);
    expect(err.body.details).toEqual([{ message: expect.any(String), property: 'to' }]);
  });

  it('multicast refuses a group id among the recipients and delivers to nobody', async () => {
    const a = emu.createUser();
    await emu.follow(a.userId);
    const err = await sdkError(
      client.multicast({ to: [a.userId, `C${'1'.repeat(32)}`], messages: [{ type: 'text', text: '週年慶' }] }),
    );
    expect(err.status).toBe(400);
    expect(err.body.details).toEqual([{ message: expect.stringMatching(/user id/), property: 'to[1]' }]);
    expect(emu.messagesFor(a.userId)).toEqual([]);
  });

  it('multicast refuses more than 500 recipients', async () => {
    const to = Array.from({ length: 501 }, (_, i) => `U${i.toString(16).padStart(32, '0')}`);
    const err = await sdkError(client.multicast({ to, messages: [{ type: 'text', text: '週年慶' }] }));
    expect(err.body.details).toEqual([{ message: 'Size must be between 1 and 500', property: 'to' }]);
  });

  it('multicast with a repeated id delivers once (the reference sets no duplicate rule)', async () => {
    const a = emu.createUser();
    await emu.follow(a.userId);
    await client.multicast({ to: [a.userId, a.userId], messages: [{ type: 'text', text: '週年慶' }] });
    expect(emu.messagesFor(a.userId)).toHaveLength(1);
  });
});

describe('#11.1 LINE Login verify takes the documented form body only', () => {
  let t: TestLineEmulator;
  let emu: LineEmulator;
  let userId: string;

  beforeAll(async () => {
    t = await startTestLineEmulator();
    emu = t.emu;
    userId = emu.createUser({ displayName: '陳怡君' }).userId;
  });
  afterAll(() => emu.close());

  it('accepts id_token, client_id, nonce and user_id form-encoded', async () => {
    const { idToken } = emu.issueIdToken(userId, { nonce: 'n-42' });
    const res = await fetch(`${emu.baseURL}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id_token: idToken,
        client_id: TEST_LINE.liffChannelId,
        nonce: 'n-42',
        user_id: userId,
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: userId, nonce: 'n-42' });
  });

  it('refuses the same fields sent as JSON with 400 {error, error_description}', async () => {
    const { idToken } = emu.issueIdToken(userId);
    const res = await fetch(`${emu.baseURL}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id_token: idToken, client_id: TEST_LINE.liffChannelId }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });
});
