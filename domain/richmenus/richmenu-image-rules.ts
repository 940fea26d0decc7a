/**
 * LINE's rules for a rich-menu image (Messaging API reference, "Upload rich menu image"): PNG or JPEG, width 800 to
 * 2500 px, height at least 250 px, width / height at least 1.45, at most 1 MB, and the pixel size equal to the
 * menu's `size`. Checked here before anything is sent to LINE, so a marketer reads a zh-TW reason at once. Pure.
 */
export const IMAGE_RULES = { minWidth: 800, maxWidth: 2500, minHeight: 250, minRatio: 1.45, maxBytes: 1024 * 1024 };

export interface ImageInfo {
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Pixel size from the PNG IHDR or the JPEG SOFn header; null when the bytes are neither. */
export function readImageInfo(buf: Buffer): ImageInfo | null {
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE) && buf.toString('latin1', 12, 16) === 'IHDR')
    return { kind: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1];
      const len = buf.readUInt16BE(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (isSof) return { kind: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
      i += 2 + len;
    }
  }
  return null;
}

/** The problems of an uploaded rich-menu image, in zh-TW; empty when LINE would take it. */
export function checkRichMenuImage(buf: Buffer, declaredType?: string): { info: ImageInfo | null; problems: string[] } {
  const problems: string[] = [];
  if (buf.length === 0) return { info: null, problems: ['沒有收到圖片檔案'] };
  if (buf.length > IMAGE_RULES.maxBytes)
    problems.push(`圖片檔案最大 1 MB，這張有 ${(buf.length / 1024 / 1024).toFixed(2)} MB，請壓縮後再上傳`);
  const info = readImageInfo(buf);
  if (!info) {
    problems.push('圖片格式只能是 PNG 或 JPEG');
    return { info, problems };
  }
  if (declaredType && declaredType !== (info.kind === 'png' ? 'image/png' : 'image/jpeg'))
    problems.push('檔案內容與副檔名不符，請重新匯出成 PNG 或 JPEG');
  const { width, height } = info;
  if (width < IMAGE_RULES.minWidth || width > IMAGE_RULES.maxWidth)
    problems.push(`圖片寬度必須介於 800 到 2500 像素，這張是 ${width} 像素`);
  if (height < IMAGE_RULES.minHeight) problems.push(`圖片高度至少 250 像素，這張是 ${height} 像素`);
  if (height > 0 && width / height < IMAGE_RULES.minRatio)
    problems.push(`圖片寬高比（寬 ÷ 高）至少要 1.45，這張是 ${(width / height).toFixed(2)}`);
  return { info, problems };
}
