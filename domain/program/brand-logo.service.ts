import { BrandAsset } from '../../models/brand-asset.model';
import { readImageInfo } from '../richmenus/richmenu-image-rules';
import { toBuffer } from '../richmenus/richmenu.service';
import { badRequest } from '../shared/errors';
import { isObjectId } from '../../shared/ids';
import { updateProgramSettings } from './settings.service';
import type { ProgramSettings } from './program-settings.schema';

/** A logo is shown small (card header, console header): 512 KB and 2,000 px are plenty. */
export const LOGO_MAX_BYTES = 512 * 1024;
const LOGO_MIN_PX = 64;
const LOGO_MAX_PX = 2000;

/**
 * Stores an uploaded logo (PNG or JPEG, checked by its bytes, not its name) and points the brand at it; the
 * image is served from our own origin at /brand/logo/<id>.<ext>. A refused file changes nothing.
 */
export async function uploadBrandLogo(bytes: Buffer, actor: string): Promise<ProgramSettings> {
  const problems: string[] = [];
  if (!bytes.length) throw badRequest('invalid_logo', '沒有收到圖片檔案。');
  if (bytes.length > LOGO_MAX_BYTES) problems.push(`商標圖片最大 512 KB，這張有 ${Math.ceil(bytes.length / 1024)} KB`);
  const info = readImageInfo(bytes);
  if (!info) problems.push('商標只能是 PNG 或 JPEG 圖片');
  else if (Math.min(info.width, info.height) < LOGO_MIN_PX || Math.max(info.width, info.height) > LOGO_MAX_PX)
    problems.push(`商標的長寬必須介於 ${LOGO_MIN_PX} 到 ${LOGO_MAX_PX} 像素，這張是 ${info.width}×${info.height}`);
  if (problems.length || !info) throw badRequest('invalid_logo', `無法使用這張商標：${problems.join('；')}。`);
  const contentType = info.kind === 'png' ? 'image/png' : 'image/jpeg';
  const asset = await BrandAsset.create({
    kind: 'logo',
    data: bytes,
    contentType,
    width: info.width,
    height: info.height,
    uploadedBy: actor,
  });
  const url = `/brand/logo/${String(asset._id)}.${info.kind === 'png' ? 'png' : 'jpg'}`;
  return updateProgramSettings({ brand: { logoUrl: url } }, actor);
}

/** The logo bytes for `/brand/logo/<id>.<ext>`, or null. */
export async function getBrandLogo(file: string): Promise<{ data: Buffer; contentType: string } | null> {
  const m = /^([0-9a-f]{24})\.(png|jpg)$/.exec(file);
  if (!m || !isObjectId(m[1])) return null;
  const asset = await BrandAsset.findById(m[1], { data: 1, contentType: 1 }).lean();
  if (!asset) return null;
  return { data: toBuffer(asset.data), contentType: asset.contentType };
}
