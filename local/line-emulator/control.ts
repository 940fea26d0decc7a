import { type NextFunction, type Request, type Response, Router } from 'express';
import type { EmuContext } from './context';
import type { EmulatorCore } from './core';
import { EmulatorError } from './core';
import { clickUnitUrl, openUnitMessage, unitOverview } from './insight';
import type { EmuUser } from './store';

type Obj = Record<string, unknown>;
const MAX_LONG_POLL_MS = 60_000;

const userView = (u: EmuUser) => ({ ...u, following: u.status === 'following' });
const body = (req: Request): Obj => (req.body && typeof req.body === 'object' ? req.body : {});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The control API can create users, send as them and read every inbox, so browsers may use it only from the
 * product's own origins (the dev chat page is served by the product on another port): a request carrying another
 * `Origin`, a cross-site fetch without one, or a `Host` that is not this machine (DNS rebinding) gets 403, and CORS
 * headers name the one allowed origin, never `*`. Server-side callers (the product, tests, curl) send no Origin.
 */
export function controlCors(ctx: EmuContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get('origin');
    const host = (req.get('host') ?? '').replace(/:\d+$/, '').toLowerCase();
    const crossSite = req.get('sec-fetch-site') === 'cross-site';
    const problem =
      !LOOPBACK_HOSTS.has(host) && host !== ctx.boundHost
        ? `Host ${host || '(none)'} is not this machine`
        : origin !== undefined && !ctx.allowedOrigins.includes(origin)
          ? `Origin ${origin} may not use the emulator control API`
          : origin === undefined && crossSite && req.method !== 'GET' && req.method !== 'HEAD'
            ? 'cross-site requests may not use the emulator control API'
            : null;
    if (problem) {
      res.status(403).json({ message: problem });
      return;
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,DELETE,OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** The documented control API (see README.md); the contract other code and tests rely on. */
export function controlRouter(core: EmulatorCore, hooks: { reset: () => void }): Router {
  const r = Router();
  const { ctx } = core;
  const { store } = ctx;

  r.get('/health', (_req, res) => {
    res.json({ ok: true, botUserId: ctx.botUserId, webhookUrl: ctx.webhookUrl, users: store.users.size });
  });
  r.post('/reset', (_req, res) => {
    hooks.reset();
    res.json({ ok: true });
  });
  r.get('/webhook', (_req, res) => {
    res.json({ url: ctx.webhookUrl });
  });
  r.put('/webhook', (req, res) => {
    const url = body(req).url;
    if (url !== null && (typeof url !== 'string' || !/^https?:\/\//.test(url)))
      throw new EmulatorError(400, 'url must be an http(s) URL or null');
    ctx.webhookUrl = url;
    res.json({ url });
  });
  r.get('/webhook-deliveries', (_req, res) => {
    res.json(store.webhookDeliveries);
  });

  r.post('/users', (req, res) => {
    const b = body(req);
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const u = core.createUser({
      displayName: str('displayName'),
      userId: str('userId'),
      pictureUrl: str('pictureUrl'),
      language: str('language'),
      statusMessage: str('statusMessage'),
      status: restoreStatus(b.status),
    });
    res.json(userView(u));
  });
  r.get('/users', (_req, res) => {
    res.json([...store.users.values()].map(userView));
  });
  r.get('/users/:userId', (req, res) => {
    res.json(userView(core.user(req.params.userId)));
  });

  r.post('/users/:userId/follow', async (req, res) => {
    res.json(await core.follow(req.params.userId));
  });
  r.post('/users/:userId/unfollow', async (req, res) => {
    res.json(await core.unfollow(req.params.userId));
  });
  r.post('/users/:userId/text', async (req, res) => {
    res.json(await core.text(req.params.userId, body(req).text as string));
  });
  r.post('/users/:userId/postback', async (req, res) => {
    const b = body(req);
    const params = b.params && typeof b.params === 'object' ? (b.params as Record<string, string>) : undefined;
    const displayText = typeof b.displayText === 'string' ? b.displayText : undefined;
    res.json(await core.postback(req.params.userId, b.data as string, params, displayText));
  });
  r.post('/users/:userId/sticker', async (req, res) => {
    const b = body(req);
    const s = (v: unknown) => (v === undefined ? undefined : String(v));
    res.json(await core.sticker(req.params.userId, s(b.packageId), s(b.stickerId)));
  });
  r.post('/users/:userId/image', async (req, res) => {
    const b = body(req);
    const bytes = typeof b.base64 === 'string' ? Buffer.from(b.base64, 'base64') : undefined;
    res.json(await core.image(req.params.userId, bytes, typeof b.contentType === 'string' ? b.contentType : undefined));
  });
  r.post('/users/:userId/location', async (req, res) => {
    res.json(await core.location(req.params.userId, body(req) as never));
  });
  r.post('/users/:userId/id-token', (req, res) => {
    const b = body(req);
    res.json(
      core.issueIdToken(req.params.userId, {
        channelId: typeof b.channelId === 'string' ? b.channelId : undefined,
        ttlSeconds: typeof b.ttlSeconds === 'number' ? b.ttlSeconds : undefined,
        nonce: typeof b.nonce === 'string' ? b.nonce : undefined,
      }),
    );
  });

  r.get('/users/:userId/messages', async (req, res) => {
    const userId = req.params.userId;
    core.user(userId);
    const min = Number(req.query.min ?? 0) || 0;
    const timeoutMs = Math.min(Number(req.query.timeoutMs ?? 0) || 0, MAX_LONG_POLL_MS);
    let cancel: (() => void) | undefined;
    // A client that gives up on a long-poll must not leave its timer running.
    res.on('close', () => cancel?.());
    const list = await store.waitForInbox(userId, min, timeoutMs, (c) => (cancel = c));
    if (!res.writableEnded && !res.destroyed)
      res.json(list.map(({ via, message, at, id }) => ({ via, message, at, id })));
  });
  r.delete('/users/:userId/messages', (req, res) => {
    store.clearInbox(req.params.userId);
    res.json({ ok: true });
  });
  r.get('/users/:userId/conversation', (req, res) => {
    core.user(req.params.userId);
    res.json(store.conversations.get(req.params.userId) ?? []);
  });
  r.get('/users/:userId/chat-state', (req, res) => {
    core.user(req.params.userId);
    res.json(store.chatState(req.params.userId));
  });
  r.get('/loading', (_req, res) => {
    res.json(store.loadingLog);
  });
  r.get('/reads', (_req, res) => {
    res.json(store.readLog);
  });
  r.get('/users/:userId/richmenu', (req, res) => {
    core.user(req.params.userId);
    res.json(core.effectiveRichMenu(req.params.userId));
  });

  r.post('/events', async (req, res) => {
    const b = body(req);
    if (!Array.isArray(b.events) || b.events.some((e) => !e || typeof e !== 'object')) {
      throw new EmulatorError(400, 'events must be an array of event objects');
    }
    const result = await core.deliverEvents(b.events as Obj[], {
      destination: typeof b.destination === 'string' ? b.destination : undefined,
      signature: typeof b.signature === 'string' ? b.signature : undefined,
      rawBody: typeof b.rawBody === 'string' ? b.rawBody : undefined,
    });
    res.json(result);
  });
  r.post('/events/:webhookEventId/redeliver', async (req, res) => {
    res.json(await core.redeliver(req.params.webhookEventId));
  });

  // Insight: a user opens a unit message or taps a URL in it; LINE's statistics endpoint counts these.
  r.post('/users/:userId/open', (req, res) => {
    core.user(req.params.userId);
    const unit = body(req).unit;
    res.json(openUnitMessage(store, req.params.userId, unit === undefined ? undefined : (unit as string)));
  });
  r.post('/users/:userId/click', (req, res) => {
    core.user(req.params.userId);
    const b = body(req);
    res.json(clickUnitUrl(store, req.params.userId, b.url, b.unit === undefined ? undefined : (b.unit as string)));
  });
  r.get('/insight', (_req, res) => {
    res.json({ minCount: store.insightMinCount, units: unitOverview(store) });
  });
  r.put('/insight', (req, res) => {
    const n = body(req).minCount;
    if (!Number.isInteger(n) || (n as number) < 0) throw new EmulatorError(400, 'minCount must be an integer ≥ 0');
    store.insightMinCount = n as number;
    res.json({ minCount: store.insightMinCount, units: unitOverview(store) });
  });

  r.get('/pushes', (_req, res) => {
    res.json(store.pushLog);
  });
  r.delete('/pushes', (_req, res) => {
    store.resetPushLog();
    res.json({ ok: true });
  });

  r.get('/faults', (_req, res) => {
    res.json(ctx.faults.config);
  });
  r.put('/faults', (req, res) => {
    const problem = ctx.faults.update(body(req));
    if (problem) throw new EmulatorError(400, problem);
    res.json(ctx.faults.config);
  });
  r.get('/quota', (_req, res) => {
    res.json({ monthlyQuota: store.monthlyQuota, totalUsage: store.quotaUsage });
  });
  r.put('/quota', (req, res) => {
    const q = body(req).monthlyQuota;
    if (typeof q !== 'number' || q < 0 || !Number.isInteger(q))
      throw new EmulatorError(400, 'monthlyQuota must be an integer >= 0');
    store.monthlyQuota = q;
    store.quotaUsage = 0;
    res.json({ monthlyQuota: q, totalUsage: 0 });
  });

  r.get('/richmenus', (_req, res) => {
    res.json(core.richMenuOverview());
  });
  r.get('/richmenu-calls', (_req, res) => {
    res.json(store.richMenuCalls);
  });
  r.get('/richmenus/:richMenuId/image', (req, res) => {
    const img = store.richMenus.get(req.params.richMenuId)?.image;
    if (!img) throw new EmulatorError(404, 'rich menu or its image not found');
    res.type(img.contentType).send(img.bytes);
  });

  r.use((req: Request) => {
    throw new EmulatorError(404, `Not found: ${req.method} /_emulator${req.path} is not a control API endpoint`);
  });
  return r;
}

function restoreStatus(v: unknown): 'never' | 'following' | 'unfollowed' | undefined {
  if (v === undefined) return undefined;
  if (v === 'never' || v === 'following' || v === 'unfollowed') return v;
  throw new EmulatorError(400, "status must be 'never', 'following' or 'unfollowed'");
}
