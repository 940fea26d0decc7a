import express, { Router, type Response } from 'express';
import { getProgramSettings } from '../../domain/program/settings.service';
import { renderMenuImage } from '../../domain/richmenus/richmenu-image';
import {
  buildCheckedMenu,
  deleteRichMenu,
  publishRichMenu,
  validateOnLine,
} from '../../domain/richmenus/richmenu-publish.service';
import {
  createRichMenu,
  getRichMenu,
  getUploadedImage,
  listRichMenus,
  updateRichMenu,
  uploadRichMenuImage,
} from '../../domain/richmenus/richmenu.service';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, readOnlyRequest, requirePermission } from './console-context';

/**
 * /api/console/richmenus (marketer, admin): menus from a layout template or an uploaded image, the member state
 * each is for, LINE's checks and publishing. Images arrive as raw bytes (≤ 4 MB read, so a 1.3 MB file gets the
 * zh-TW "最大 1 MB" instead of a bare 413) and are checked before anything reaches LINE.
 */
export function createRichMenuRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('campaigns'));
  const actor = (res: Response) => consoleLocals(res).session.user.id;
  const api = deps.messenger.richMenus;

  router.get('/', async (_req, res) => {
    res.json({ menus: await listRichMenus() });
  });

  router.post('/', async (req, res) => {
    const menu = await createRichMenu(req.body, actor(res));
    await audit(deps, req, res, {
      action: 'richmenu.create',
      target: { type: 'richmenu', id: menu.id, label: menu.name },
    });
    res.status(201).json({ menu });
  });

  router.get('/:id', async (req, res) => {
    res.json({ menu: await getRichMenu(String(req.params.id)) });
  });

  router.put('/:id', async (req, res) => {
    const menu = await updateRichMenu(String(req.params.id), req.body, actor(res));
    await audit(deps, req, res, {
      action: 'richmenu.update',
      target: { type: 'richmenu', id: menu.id, label: menu.name },
    });
    res.json({ menu });
  });

  router.delete('/:id', async (req, res) => {
    const id = String(req.params.id);
    const before = await getRichMenu(id);
    await deleteRichMenu(api, id, deps.clock());
    await audit(deps, req, res, { action: 'richmenu.delete', target: { type: 'richmenu', id, label: before.name } });
    res.json({ ok: true });
  });

  router.put('/:id/image', express.raw({ type: () => true, limit: '4mb' }), async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase() || undefined;
    const menu = await uploadRichMenuImage(String(req.params.id), bytes, type, actor(res));
    await audit(deps, req, res, {
      action: 'richmenu.image',
      target: { type: 'richmenu', id: menu.id, label: menu.name },
      details: { bytes: bytes.length },
    });
    res.json({ menu });
  });

  /** The image the menu shows: the upload, or the generated template image in the brand's colours (preview). */
  router.get('/:id/image', async (req, res) => {
    const id = String(req.params.id);
    const menu = await getRichMenu(id);
    if (menu.layout === 'image') {
      const up = await getUploadedImage(id);
      if (!up) {
        res.status(404).json({ error: { code: 'richmenu_image_missing', message: '還沒有上傳圖片。' } });
        return;
      }
      res.type(up.contentType).send(up.data);
      return;
    }
    const img = renderMenuImage(menu, (await getProgramSettings()).brand);
    res.type(img.contentType).send(img.bytes);
  });

  /** Our validator, then LINE's `validate/richmenu`; nothing is created. Answers the object LINE would get. */
  router.post('/:id/validate', async (req, res) => {
    readOnlyRequest(res);
    const line = await buildCheckedMenu(await getRichMenu(String(req.params.id)), deps.links);
    await validateOnLine(api, line);
    res.json({ ok: true, line });
  });

  router.post('/:id/publish', async (req, res) => {
    const result = await publishRichMenu(api, String(req.params.id), deps.links, deps.clock());
    await audit(deps, req, res, {
      action: 'richmenu.publish',
      target: { type: 'richmenu', id: result.menu.id, label: result.menu.name },
      details: { lineRichMenuId: result.menu.lineRichMenuId, changed: result.changed, relinked: result.relinked },
    });
    res.json(result);
  });

  return router;
}
