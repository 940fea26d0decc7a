import type { Types } from 'mongoose';
import { RichMenu } from '../../models/richmenu.model';
import { badRequest, notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { moduleLogger } from '../shared/logger';
import { isObjectId } from '../../shared/ids';
import type { MenuForBuild } from './richmenu-build';
import { checkRichMenuImage } from './richmenu-image-rules';
import { tileCount } from './richmenu-layout';
import { type Area, type RichMenuInput, RichMenuInputSchema, type Tile } from './richmenu.schema';
import type { MenuRule } from './richmenu.schema';

const log = moduleLogger('richmenus');

/** A menu as the console shows it (no image bytes). */
export interface RichMenuView extends MenuForBuild {
  rule: MenuRule;
  hasImage: boolean;
  imageContentType: string | null;
  lineRichMenuId: string | null;
  aliasId: string | null;
  publishedAt: Date | null;
  /** Edited since the last publish: LINE still shows the published version. */
  dirty: boolean;
  updatedAt: Date | null;
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

export function toView(d: Lean): RichMenuView {
  const image = d.image as { width?: number; height?: number; contentType?: string; data?: unknown } | undefined;
  const tabs = d.tabs as { labels?: string[]; index?: number; peerId?: Types.ObjectId } | undefined;
  const rule = (d.rule ?? { kind: 'none', priority: 100 }) as MenuRule & { value?: string | null };
  return {
    id: String(d._id),
    name: String(d.name),
    chatBarText: String(d.chatBarText),
    layout: d.layout as MenuForBuild['layout'],
    tiles: (d.tiles ?? []) as Tile[],
    areas: (d.areas ?? []) as Area[],
    tabs: tabs?.labels?.length
      ? { labels: tabs.labels, index: tabs.index ?? 0, ...(tabs.peerId ? { peerId: String(tabs.peerId) } : {}) }
      : null,
    image: image?.width ? { width: image.width, height: image.height ?? 0 } : null,
    rule: {
      kind: rule.kind,
      priority: rule.priority ?? 100,
      ...(rule.value ? { value: rule.value } : {}),
      ...(rule.from ? { from: rule.from } : {}),
      ...(rule.to ? { to: rule.to } : {}),
    },
    hasImage: Boolean(image?.contentType),
    imageContentType: image?.contentType ?? null,
    lineRichMenuId: (d.lineRichMenuId as string) ?? null,
    aliasId: (d.aliasId as string) ?? null,
    publishedAt: (d.publishedAt as Date) ?? null,
    dirty: !d.publishedAt || d.edited === true,
    updatedAt: (d.updatedAt as Date) ?? null,
  };
}

const NO_IMAGE = { 'image.data': 0 };

function parseMenu(input: unknown): RichMenuInput {
  const m = parseOrThrow(RichMenuInputSchema, input);
  const need = tileCount(m.layout);
  if (m.layout !== 'image' && m.tiles.length !== need)
    throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
      fields: [{ path: 'tiles', message: `這個版型需要 ${need} 個按鈕，目前 ${m.tiles.length} 個` }],
    });
  return m;
}

async function assertRefs(m: RichMenuInput, selfId?: string): Promise<void> {
  const refs = new Set<string>();
  for (const a of [...m.tiles.map((t) => t.action), ...m.areas.map((a) => a.action)])
    if (a.type === 'switch') refs.add(a.menuId);
  if (m.tabs?.peerId) refs.add(m.tabs.peerId);
  if (selfId) refs.delete(selfId);
  if (!refs.size) return;
  const found = await RichMenu.find({ _id: { $in: [...refs] } }, { _id: 1 }).lean();
  if (found.length !== refs.size)
    throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
      fields: [{ path: 'tiles', message: '要切換的選單不存在' }],
    });
}

export async function listRichMenus(): Promise<RichMenuView[]> {
  const docs = await RichMenu.find({}, NO_IMAGE).sort({ 'rule.priority': 1, _id: 1 }).lean();
  return docs.map((d) => toView(d as Lean));
}

export async function getRichMenu(id: string): Promise<RichMenuView> {
  if (!isObjectId(id)) throw notFound('找不到這個圖文選單。', 'richmenu_not_found');
  const d = await RichMenu.findById(id, NO_IMAGE).lean();
  if (!d) throw notFound('找不到這個圖文選單。', 'richmenu_not_found');
  return toView(d as Lean);
}

/** Creates a draft menu (not on LINE until published). Bad input → 400 with field errors, nothing stored. */
export async function createRichMenu(input: unknown, actor: string): Promise<RichMenuView> {
  const m = parseMenu(input);
  await assertRefs(m);
  const doc = await RichMenu.create({ ...m, updatedBy: actor });
  log.info({ actor, menuId: String(doc._id) }, 'rich menu created');
  return getRichMenu(String(doc._id));
}

/** Replaces a menu's content and rule; LINE keeps showing the published version until the next publish. */
export async function updateRichMenu(id: string, input: unknown, actor: string): Promise<RichMenuView> {
  const before = await getRichMenu(id);
  const m = parseMenu(input);
  await assertRefs(m, id);
  if (m.layout !== before.layout && before.layout === 'image')
    await RichMenu.updateOne({ _id: id }, { $unset: { image: 1 } });
  await RichMenu.updateOne({ _id: id }, { $set: { ...m, tabs: m.tabs ?? null, updatedBy: actor, edited: true } });
  return getRichMenu(id);
}

/**
 * Stores an uploaded image after LINE's rules (PNG/JPEG, 800–2500 × ≥ 250, ratio ≥ 1.45, ≤ 1 MB): a refused image
 * gets every reason in zh-TW and nothing is stored or sent. The image's pixel size becomes the menu's size.
 */
export async function uploadRichMenuImage(
  id: string,
  bytes: Buffer,
  contentType: string | undefined,
  actor: string,
): Promise<RichMenuView> {
  const menu = await getRichMenu(id);
  if (menu.layout !== 'image')
    throw badRequest('image_not_allowed', '版型選單的圖片由系統產生；要上傳自己的圖片，請把版型改成「自訂圖片」。');
  const { info, problems } = checkRichMenuImage(bytes, contentType);
  if (problems.length || !info)
    throw badRequest('invalid_richmenu_image', `圖片不符合 LINE 圖文選單的規定：${problems.join('；')}`, {
      fields: problems.map((message) => ({ path: 'image', message })),
    });
  const outside = menu.areas.findIndex(
    (a) => a.bounds.x + a.bounds.width > info.width || a.bounds.y + a.bounds.height > info.height,
  );
  if (outside >= 0)
    throw badRequest('invalid_richmenu_image', `第 ${outside + 1} 個點擊區域超出這張圖片的範圍，請先調整區域。`);
  await RichMenu.updateOne(
    { _id: id },
    {
      $set: {
        image: {
          data: bytes,
          contentType: info.kind === 'png' ? 'image/png' : 'image/jpeg',
          width: info.width,
          height: info.height,
        },
        updatedBy: actor,
        edited: true,
      },
    },
  );
  return getRichMenu(id);
}

/** The uploaded image bytes (console preview), or null. */
export async function getUploadedImage(id: string): Promise<{ data: Buffer; contentType: string } | null> {
  if (!isObjectId(id)) return null;
  const d = await RichMenu.findById(id, { image: 1 }).lean();
  const img = d?.image as { data?: { buffer?: ArrayBuffer } | Buffer; contentType?: string } | undefined;
  if (!img?.data || !img.contentType) return null;
  return { data: toBuffer(img.data), contentType: img.contentType };
}

export function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const b = data as { buffer?: Uint8Array; value?: () => Uint8Array };
  if (b && typeof b.value === 'function') return Buffer.from(b.value());
  if (b?.buffer) return Buffer.from(b.buffer);
  return Buffer.from(data as Uint8Array);
}
