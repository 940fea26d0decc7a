import fs from 'node:fs';
import path from 'node:path';
import { messagingApi } from '@line/bot-sdk';
import type { Links } from '../../domain/shared/links';
import { buildRichMenu, RICH_MENU_NAME } from './definition';

/** The shipped menu image (2500 × 1686 PNG, drawn by render-image.ts). */
export const RICH_MENU_IMAGE_PATH = path.resolve(__dirname, 'richmenu.png');

export interface RichMenuTarget {
  channelAccessToken: string;
  /** Messaging API origin (the emulator's in local mode); undefined = real LINE (api.line.me / api-data.line.me). */
  baseURL?: string;
}

export interface RichMenuInstallResult {
  richMenuId: string;
  removed: string[];
}

function clients(target: RichMenuTarget) {
  const opts = {
    channelAccessToken: target.channelAccessToken,
    ...(target.baseURL ? { baseURL: target.baseURL } : {}),
  };
  return { api: new messagingApi.MessagingApiClient(opts), blob: new messagingApi.MessagingApiBlobClient(opts) };
}

/**
 * Creates the menu, uploads its image, makes it the default for every friend, then deletes earlier versions of
 * this menu (same name) so re-running never piles menus up against LINE's limit. A failed upload deletes the
 * half-made menu; the previous default stays in place until the new one is complete.
 */
export async function installRichMenu(
  target: RichMenuTarget,
  links: Pick<Links, 'card'>,
  image: Buffer = fs.readFileSync(RICH_MENU_IMAGE_PATH),
): Promise<RichMenuInstallResult> {
  const { api, blob } = clients(target);
  const menu = buildRichMenu(links);
  await api.validateRichMenuObject(menu);
  const { richMenuId } = await api.createRichMenu(menu);
  try {
    await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: 'image/png' }));
    await api.setDefaultRichMenu(richMenuId);
  } catch (err) {
    await api.deleteRichMenu(richMenuId).catch(() => undefined);
    throw err;
  }
  const { richmenus } = await api.getRichMenuList();
  const removed = richmenus
    .filter((m) => m.name === RICH_MENU_NAME && m.richMenuId !== richMenuId)
    .map((m) => m.richMenuId);
  for (const id of removed) await api.deleteRichMenu(id);
  return { richMenuId, removed };
}

/** Installs the menu only when no default menu of ours is set (local start-up: the dev chat shows a menu at once). */
export async function ensureRichMenu(
  target: RichMenuTarget,
  links: Pick<Links, 'card'>,
): Promise<{ richMenuId: string; created: boolean }> {
  const { api } = clients(target);
  const current = await api
    .getDefaultRichMenuId()
    .then((r) => r.richMenuId)
    .catch(() => null);
  if (current) {
    const menu = await api.getRichMenu(current).catch(() => null);
    if (menu?.name === RICH_MENU_NAME) return { richMenuId: current, created: false };
  }
  const { richMenuId } = await installRichMenu(target, links);
  return { richMenuId, created: true };
}
