import express, { type Request, type Response, Router } from 'express';
import type { EmuContext } from './context';
import { newRichMenuId } from './ids';
import type { RichMenuCall, RichMenuRecord } from './store';
import { errorBody, validateRichMenu } from './validate';

const MENU_NOT_FOUND = { message: 'richmenu not found' };
const ALIAS_RE = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_IMAGE_BYTES = 1024 * 1024;

/** Reads pixel dimensions from PNG (IHDR) or JPEG (SOFn) headers; null when the bytes are neither. */
export function imageSize(buf: Buffer): { width: number; height: number; kind: 'png' | 'jpeg' } | null {
  if (buf.length >= 24 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), kind: 'png' };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1];
      const len = buf.readUInt16BE(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (isSof) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7), kind: 'jpeg' };
      i += 2 + len;
    }
  }
  return null;
}

export function publicMenu(m: RichMenuRecord) {
  return {
    richMenuId: m.richMenuId,
    size: m.size,
    selected: m.selected,
    name: m.name,
    chatBarText: m.chatBarText,
    areas: m.areas,
  };
}

/** Rich menu, default rich menu, per-user link and alias endpoints (paths as used by @line/bot-sdk 11). */
export function richMenuRouter(ctx: EmuContext): Router {
  const r = Router();
  const { store } = ctx;

  const menuOr404 = (id: string, res: Response): RichMenuRecord | null => {
    const m = store.richMenus.get(id);
    if (!m) res.status(404).json(MENU_NOT_FOUND);
    return m ?? null;
  };
  // LINE refuses to show a menu without an image, so it refuses to link or default one.
  const usableOr4xx = (id: string, res: Response): RichMenuRecord | null => {
    const m = menuOr404(id, res);
    if (m && !m.image) {
      res.status(400).json({ message: 'must upload richmenu image before applying it to user' });
      return null;
    }
    return m;
  };

  r.post('/v2/bot/richmenu', (req, res) => {
    const details = validateRichMenu(req.body);
    if (details.length) {
      res.status(400).json(errorBody(details));
      return;
    }
    if (store.richMenus.size >= 1000) {
      res.status(400).json({ message: 'The maximum number of rich menus (1000) has been reached' });
      return;
    }
    const b = req.body;
    const richMenuId = newRichMenuId();
    store.richMenus.set(richMenuId, {
      richMenuId,
      size: b.size,
      selected: b.selected,
      name: b.name,
      chatBarText: b.chatBarText,
      areas: b.areas,
    });
    res.json({ richMenuId });
  });

  r.post('/v2/bot/richmenu/validate', (req, res) => {
    const details = validateRichMenu(req.body);
    if (details.length) res.status(400).json(errorBody(details));
    else res.json({});
  });

  r.get('/v2/bot/richmenu/list', (_req, res) => {
    res.json({ richmenus: [...store.richMenus.values()].map(publicMenu) });
  });

  r.post('/v2/bot/richmenu/alias', (req, res) => {
    const { richMenuAliasId, richMenuId } = req.body ?? {};
    if (typeof richMenuAliasId !== 'string' || !ALIAS_RE.test(richMenuAliasId)) {
      res.status(400).json(errorBody([{ message: 'Must match [A-Za-z0-9_-]{1,32}', property: 'richMenuAliasId' }]));
      return;
    }
    if (!menuOr404(String(richMenuId), res)) return;
    if (store.aliases.has(richMenuAliasId)) {
      res.status(400).json({ message: 'conflict richmenu alias id' });
      return;
    }
    store.aliases.set(richMenuAliasId, richMenuId);
    res.json({});
  });
  r.get('/v2/bot/richmenu/alias/list', (_req, res) => {
    res.json({ aliases: [...store.aliases].map(([richMenuAliasId, richMenuId]) => ({ richMenuAliasId, richMenuId })) });
  });
  r.get('/v2/bot/richmenu/alias/:aliasId', (req, res) => {
    const richMenuId = store.aliases.get(req.params.aliasId);
    if (!richMenuId) res.status(404).json({ message: 'richmenu alias not found' });
    else res.json({ richMenuAliasId: req.params.aliasId, richMenuId });
  });
  r.post('/v2/bot/richmenu/alias/:aliasId', (req, res) => {
    if (!store.aliases.has(req.params.aliasId)) {
      res.status(404).json({ message: 'richmenu alias not found' });
      return;
    }
    if (!menuOr404(String(req.body?.richMenuId), res)) return;
    store.aliases.set(req.params.aliasId, req.body.richMenuId);
    res.json({});
  });
  r.delete('/v2/bot/richmenu/alias/:aliasId', (req, res) => {
    if (!store.aliases.delete(req.params.aliasId)) res.status(404).json({ message: 'richmenu alias not found' });
    else res.json({});
  });

  /** Logs a link-endpoint call and applies the rich-menu rate limit; false = answered 429 already. */
  const gate = (endpoint: RichMenuCall['endpoint'], users: number, richMenuId: string | null, res: Response) => {
    const ok = ctx.faults.takeRichMenuToken();
    const entry: RichMenuCall = { endpoint, users, richMenuId, status: ok ? 0 : 429, at: new Date().toISOString() };
    store.richMenuCalls.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    if (!ok) res.status(429).json({ message: 'Too Many Requests' });
    return ok;
  };

  const bulk = (link: boolean) => (req: Request, res: Response) => {
    const userIds: unknown = req.body?.userIds;
    const count = Array.isArray(userIds) ? userIds.length : 0;
    if (!gate(link ? 'bulk/link' : 'bulk/unlink', count, link ? String(req.body?.richMenuId) : null, res)) return;
    if (Array.isArray(userIds) && userIds.some((u) => typeof u !== 'string' || !/^U[0-9a-f]{32}$/.test(u))) {
      res.status(400).json(errorBody([{ message: 'Invalid user ID', property: 'userIds' }]));
      return;
    }
    if (!Array.isArray(userIds) || userIds.length < 1 || userIds.length > 500) {
      res.status(400).json(errorBody([{ message: 'Size must be between 1 and 500', property: 'userIds' }]));
      return;
    }
    if (link && !usableOr4xx(String(req.body?.richMenuId), res)) return;
    for (const id of userIds as string[]) {
      if (link) store.userRichMenus.set(id, req.body.richMenuId);
      else store.userRichMenus.delete(id);
    }
    res.status(202).json({});
  };
  r.post('/v2/bot/richmenu/bulk/link', bulk(true));
  r.post('/v2/bot/richmenu/bulk/unlink', bulk(false));

  r.get('/v2/bot/richmenu/:id', (req, res) => {
    const m = menuOr404(req.params.id, res);
    if (m) res.json(publicMenu(m));
  });
  r.delete('/v2/bot/richmenu/:id', (req, res) => {
    const id = req.params.id;
    if (!menuOr404(id, res)) return;
    store.richMenus.delete(id);
    if (store.defaultRichMenuId === id) store.defaultRichMenuId = null;
    for (const [u, m] of [...store.userRichMenus]) if (m === id) store.userRichMenus.delete(u);
    for (const [a, m] of [...store.aliases]) if (m === id) store.aliases.delete(a);
    res.json({});
  });

  r.post('/v2/bot/richmenu/:id/content', express.raw({ type: () => true, limit: '2mb' }), (req, res) => {
    const m = menuOr404(req.params.id, res);
    if (!m) return;
    const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const size = imageSize(bytes);
    const problem =
      type !== 'image/png' && type !== 'image/jpeg'
        ? `Content-Type must be image/png or image/jpeg (got '${type}')`
        : m.image
          ? 'An image has already been uploaded to the richmenu'
          : bytes.length === 0
            ? 'The request body is empty'
            : bytes.length > MAX_IMAGE_BYTES
              ? 'Image size must be 1MB or less'
              : !size || (size.kind === 'png') !== (type === 'image/png')
                ? `The body is not a valid ${type} image`
                : size.width !== m.size.width || size.height !== m.size.height
                  ? `Image size ${size.width}x${size.height} must match the rich menu size ${m.size.width}x${m.size.height}`
                  : null;
    if (problem) {
      res.status(400).json({ message: problem });
      return;
    }
    m.image = { contentType: type, bytes };
    res.json({});
  });
  r.get('/v2/bot/richmenu/:id/content', (req, res) => {
    const m = menuOr404(req.params.id, res);
    if (!m) return;
    if (!m.image) res.status(404).json({ message: 'richmenu image not found' });
    else res.type(m.image.contentType).send(m.image.bytes);
  });

  r.post('/v2/bot/user/all/richmenu/:id', (req, res) => {
    if (!usableOr4xx(req.params.id, res)) return;
    store.defaultRichMenuId = req.params.id;
    res.json({});
  });
  r.get('/v2/bot/user/all/richmenu', (_req, res) => {
    if (!store.defaultRichMenuId) res.status(404).json({ message: 'no default richmenu' });
    else res.json({ richMenuId: store.defaultRichMenuId });
  });
  r.delete('/v2/bot/user/all/richmenu', (_req, res) => {
    store.defaultRichMenuId = null;
    res.json({});
  });

  r.get('/v2/bot/user/:userId/richmenu', (req, res) => {
    const id = store.userRichMenus.get(req.params.userId);
    if (!id) res.status(404).json({ message: 'the user has no richmenu' });
    else res.json({ richMenuId: id });
  });
  r.post('/v2/bot/user/:userId/richmenu/:id', (req, res) => {
    if (!gate('link', 1, req.params.id, res)) return;
    if (!store.users.has(req.params.userId)) {
      res.status(400).json({ message: "The property, 'userId', is invalid" });
      return;
    }
    if (!usableOr4xx(req.params.id, res)) return;
    store.userRichMenus.set(req.params.userId, req.params.id);
    res.json({});
  });
  r.delete('/v2/bot/user/:userId/richmenu', (req, res) => {
    if (!gate('unlink', 1, null, res)) return;
    store.userRichMenus.delete(req.params.userId);
    res.json({});
  });

  return r;
}
