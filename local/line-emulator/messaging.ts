import { Router } from 'express';
import type { EmuContext } from './context';
import { chatStateRouter } from './chat-state';
import { sendHandler } from './send';
import { errorBody, validateMessages } from './validate';

const NOT_FOUND = { message: 'Not found' };

/** Messaging API endpoints other than rich menus. Mounted behind the bearer-token check. */
export function messagingRouter(ctx: EmuContext): Router {
  const r = Router();
  const { store } = ctx;
  r.use(chatStateRouter(ctx));

  r.post('/v2/bot/message/reply', sendHandler(ctx, 'reply'));
  r.post('/v2/bot/message/push', sendHandler(ctx, 'push'));
  r.post('/v2/bot/message/multicast', sendHandler(ctx, 'multicast'));
  r.post('/v2/bot/message/narrowcast', sendHandler(ctx, 'narrowcast'));
  r.post('/v2/bot/message/broadcast', sendHandler(ctx, 'broadcast'));

  r.post('/v2/bot/message/validate/:api', (req, res) => {
    if (!['reply', 'push', 'multicast', 'narrowcast', 'broadcast'].includes(req.params.api)) {
      res.status(404).json(NOT_FOUND);
      return;
    }
    const details = validateMessages(req.body?.messages);
    if (details.length) res.status(400).json(errorBody(details));
    else res.json({});
  });

  r.get('/v2/bot/message/progress/narrowcast', (req, res) => {
    const progress = store.narrowcasts.get(String(req.query.requestId ?? ''));
    if (!progress) res.status(404).json(NOT_FOUND);
    else res.json(progress);
  });

  r.get('/v2/bot/message/quota', (_req, res) => {
    res.json({ type: 'limited', value: store.monthlyQuota });
  });
  r.get('/v2/bot/message/quota/consumption', (_req, res) => {
    res.json({ totalUsage: store.quotaUsage });
  });

  r.get('/v2/bot/profile/:userId', (req, res) => {
    const u = store.users.get(req.params.userId);
    // LINE only exposes profiles of users who are currently friends of the account.
    if (!u || u.status !== 'following') {
      res.status(404).json(NOT_FOUND);
      return;
    }
    res.json({
      displayName: u.displayName,
      userId: u.userId,
      language: u.language,
      ...(u.pictureUrl ? { pictureUrl: u.pictureUrl } : {}),
      ...(u.statusMessage ? { statusMessage: u.statusMessage } : {}),
    });
  });

  // Content of images the emulated user sent (api-data host in real LINE; same server here).
  r.get('/v2/bot/message/:messageId/content', (req, res) => {
    const c = store.contents.get(req.params.messageId);
    if (!c) {
      res.status(404).json(NOT_FOUND);
      return;
    }
    res.type(c.contentType).send(c.bytes);
  });

  r.get('/v2/bot/info', (_req, res) => {
    res.json({
      userId: ctx.botUserId,
      basicId: '@huigo-emu',
      displayName: 'Huigo 模擬官方帳號',
      chatMode: 'bot',
      markAsReadMode: 'auto',
    });
  });

  r.get('/v2/bot/followers/ids', (req, res) => {
    const ids = [...store.users.values()].filter((u) => u.status === 'following').map((u) => u.userId);
    const limit = Math.min(Math.max(Number(req.query.limit) || 300, 1), 1000);
    const start = Number(req.query.start) || 0;
    const page = ids.slice(start, start + limit);
    res.json({ userIds: page, ...(start + limit < ids.length ? { next: String(start + limit) } : {}) });
  });

  r.post('/v2/bot/message/markAsRead', (_req, res) => {
    res.json({});
  });

  return r;
}
