import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { type EmuContext, nowIso } from './context';
import { newReplyToken, ulid } from './ids';

type Obj = Record<string, unknown>;

export interface DeliverOptions {
  destination?: string;
  /** Send this value as x-line-signature instead of the real one (to test signature rejection). */
  signature?: string;
  /** Send this exact body (may be malformed JSON); it is still signed unless `signature` is given. */
  rawBody?: string;
}

export interface DeliveryResult {
  webhookEventIds: string[];
  webhookStatus: number;
  /** Reply tokens minted for the delivered events, in order (null for events without one). */
  replyTokens: (string | null)[];
}

/** Event types LINE attaches a replyToken to. */
const REPLYABLE = new Set([
  'message',
  'follow',
  'join',
  'memberJoined',
  'postback',
  'beacon',
  'accountLink',
  'things',
  'videoPlayComplete',
  'membership',
]);

export function signBody(secret: string, raw: string): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/**
 * POSTs with node:http and `Connection: close` rather than fetch: no pooled keep-alive socket survives a
 * delivery, so closing the bot's server (or the emulator) never waits on a socket we left open.
 */
function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(0);
      return;
    }
    const mod = target.protocol === 'https:' ? https : http;
    const req = mod.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Builds, signs and POSTs webhook bodies the way the LINE platform does. */
export class WebhookDispatcher {
  constructor(private readonly ctx: EmuContext) {}

  private mintReplyToken(event: Obj, webhookEventId: string): string {
    const token = newReplyToken();
    const source = event.source as Obj | undefined;
    const userId = typeof source?.userId === 'string' ? source.userId : null;
    this.ctx.store.replyTokens.set(token, {
      userId,
      expiresAt: Date.now() + this.ctx.replyTokenTtlMs,
      used: false,
      webhookEventId,
    });
    return token;
  }

  /** Fills the fields LINE always sends, keeping whatever the caller already set. */
  private complete(input: Obj): Obj {
    const event: Obj = { ...input };
    event.webhookEventId ??= ulid();
    event.timestamp ??= Date.now();
    event.mode ??= 'active';
    event.deliveryContext ??= { isRedelivery: false };
    const id = String(event.webhookEventId);
    if (typeof event.replyToken === 'string') {
      // A caller-chosen token must still be usable with the reply API.
      const source = event.source as Obj | undefined;
      this.ctx.store.replyTokens.set(event.replyToken, {
        userId: typeof source?.userId === 'string' ? source.userId : null,
        expiresAt: Date.now() + this.ctx.replyTokenTtlMs,
        used: false,
        webhookEventId: id,
      });
    } else if (REPLYABLE.has(String(event.type)) && event.mode === 'active') {
      event.replyToken = this.mintReplyToken(event, id);
    }
    return event;
  }

  async deliver(events: Obj[], opts: DeliverOptions = {}): Promise<DeliveryResult> {
    const completed = events.map((e) => this.complete(e));
    for (const e of completed) this.ctx.store.events.set(String(e.webhookEventId), e);
    const webhookStatus = await this.send(completed, opts, false);
    return {
      webhookEventIds: completed.map((e) => String(e.webhookEventId)),
      webhookStatus,
      replyTokens: completed.map((e) => (typeof e.replyToken === 'string' ? e.replyToken : null)),
    };
  }

  /** Same event, same webhookEventId, isRedelivery: true, and a fresh reply token if it had one. */
  async redeliver(webhookEventId: string): Promise<DeliveryResult | null> {
    const original = this.ctx.store.events.get(webhookEventId);
    if (!original) return null;
    const event: Obj = { ...original, deliveryContext: { isRedelivery: true } };
    if (typeof original.replyToken === 'string') event.replyToken = this.mintReplyToken(event, webhookEventId);
    const webhookStatus = await this.send([event], {}, true);
    return { webhookEventIds: [webhookEventId], webhookStatus, replyTokens: [(event.replyToken as string) ?? null] };
  }

  private async send(events: Obj[], opts: DeliverOptions, redelivery: boolean): Promise<number> {
    const { ctx } = this;
    const raw = opts.rawBody ?? JSON.stringify({ destination: opts.destination ?? ctx.botUserId, events });
    const url = ctx.webhookUrl;
    let status = 0;
    if (url) {
      status = await post(
        url,
        raw,
        {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'LineBotWebhook/2.0',
          'x-line-signature': opts.signature ?? signBody(ctx.channelSecret, raw),
        },
        ctx.webhookTimeoutMs,
      );
    }
    const ids = events.map((e) => String(e.webhookEventId));
    ctx.store.webhookDeliveries.push({
      webhookEventIds: ids,
      url,
      status,
      redelivery,
      at: nowIso(),
      ...(url ? {} : { error: 'no webhook URL set' }),
    });
    ctx.log(`webhook ${events.map((e) => e.type).join(',')} → ${url ?? '(no webhook URL)'} ${status}`);
    return status;
  }
}
