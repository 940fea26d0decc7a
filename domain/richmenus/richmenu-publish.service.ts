import { createHash } from 'node:crypto';
import { RichMenu } from '../../models/richmenu.model';
import { RichMenuLink } from '../../models/richmenu-link.model';
import { checkLineRichMenu, toFieldErrors } from '../messaging/line-rules/line-message-rules';
import { MessengerError } from '../messaging/messenger';
import { getProgramSettings } from '../program/settings.service';
import { AppError, badRequest } from '../shared/errors';
import type { Links } from '../shared/links';
import { moduleLogger } from '../shared/logger';
import type { LineRichMenu, RichMenuApi } from './richmenu-api';
import { aliasIdOf, buildLineRichMenu } from './richmenu-build';
import { renderMenuImage } from './richmenu-image';
import { relinkMenu } from './richmenu-assign.service';
import { getRichMenu, getUploadedImage, type RichMenuView } from './richmenu.service';

const log = moduleLogger('richmenus');

/** The menu object LINE would get, checked by our own validator (the same one campaigns use). */
export async function buildCheckedMenu(view: RichMenuView, links: Pick<Links, 'card'>): Promise<LineRichMenu> {
  if (view.layout === 'image' && !view.hasImage) throw badRequest('richmenu_image_missing', '請先上傳選單圖片再發布。');
  const menu = buildLineRichMenu(view, links);
  const issues = checkLineRichMenu(menu);
  if (issues.length)
    throw badRequest('line_rules_failed', '這個圖文選單不符合 LINE 的規定，請檢查標示的欄位。', {
      fields: toFieldErrors(issues),
    });
  return menu;
}

/** Asks LINE (`validate/richmenu`) without creating anything: 400 with LINE's reason when it would refuse. */
export async function validateOnLine(api: RichMenuApi, menu: LineRichMenu): Promise<void> {
  const verdict = await api.validate(menu);
  if (!verdict.ok)
    throw badRequest('line_rejected', `LINE 不接受這個圖文選單：${verdict.message}`, {
      fields: verdict.details.map((d) => ({ path: d.property || '(body)', message: d.message })),
    });
}

async function imageFor(view: RichMenuView) {
  if (view.layout === 'image') {
    const up = await getUploadedImage(view.id);
    if (!up) throw badRequest('richmenu_image_missing', '請先上傳選單圖片再發布。');
    return { bytes: up.data, contentType: up.contentType as 'image/png' | 'image/jpeg' };
  }
  return renderMenuImage(view, (await getProgramSettings()).brand);
}

export interface PublishResult {
  menu: RichMenuView;
  changed: boolean;
  relinked: number;
}

/**
 * Publishes a menu on LINE: our validator, then LINE's validate, then create → image → alias → re-link the members
 * who had the previous version → delete the previous version. LINE menus are immutable, hence a new one per
 * change; an unchanged menu (same content hash) is not uploaded again. A failed image upload deletes the half-made
 * menu, and the previous version stays in place.
 */
export async function publishRichMenu(
  api: RichMenuApi,
  id: string,
  links: Pick<Links, 'card'>,
  now: Date,
): Promise<PublishResult> {
  const view = await getRichMenu(id);
  const menu = await buildCheckedMenu(view, links);
  const image = await imageFor(view);
  const hash = createHash('sha256').update(JSON.stringify(menu)).update(image.bytes).digest('hex');
  const stored = await RichMenu.findById(id, { publishedHash: 1 }).lean();
  if (view.lineRichMenuId && stored?.publishedHash === hash) return { menu: view, changed: false, relinked: 0 };
  try {
    await validateOnLine(api, menu);
    const lineId = await api.create(menu);
    try {
      await api.uploadImage(lineId, image.bytes, image.contentType);
      await api.setAlias(aliasIdOf(id), lineId);
    } catch (err) {
      await api.delete(lineId).catch(() => undefined);
      throw err;
    }
    const previous = view.lineRichMenuId;
    await RichMenu.updateOne(
      { _id: id },
      {
        $set: { lineRichMenuId: lineId, aliasId: aliasIdOf(id), publishedAt: now, publishedHash: hash, edited: false },
      },
    );
    const relinked = previous ? await relinkMenu(api, previous, lineId, now) : 0;
    if (previous) await api.delete(previous).catch((err) => log.warn({ err, previous }, 'old rich menu not deleted'));
    log.info({ menuId: id, relinked }, 'rich menu published');
    return { menu: await getRichMenu(id), changed: true, relinked };
  } catch (err) {
    if (err instanceof MessengerError)
      throw new AppError(
        'line_unavailable',
        502,
        `LINE 暫時無法處理圖文選單，請稍後再試（${err.status || '連線失敗'}）。`,
      );
    throw err;
  }
}

/** Deletes a menu: from LINE too when published; members who had it fall back to the default menu. */
export async function deleteRichMenu(api: RichMenuApi, id: string, now: Date): Promise<void> {
  const view = await getRichMenu(id);
  if (view.lineRichMenuId) {
    await relinkMenu(api, view.lineRichMenuId, null, now);
    await api.delete(view.lineRichMenuId).catch((err) => log.warn({ err }, 'rich menu not deleted on LINE'));
  }
  await RichMenu.deleteOne({ _id: id });
  await RichMenuLink.updateMany({ menuId: id }, { $set: { menuId: null, lineRichMenuId: null } });
}
