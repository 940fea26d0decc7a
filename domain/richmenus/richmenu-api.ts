import type { messagingApi } from '@line/bot-sdk';
import type { LineVerdict } from '../messaging/messenger';

/** A rich menu object exactly as LINE's `createRichMenu` / `validate/richmenu` take it. */
export type LineRichMenu = messagingApi.RichMenuRequest;

/** LINE documents at most 500 user IDs per bulk link / unlink call. */
export const MAX_BULK_LINK_USERS = 500;
/**
 * Bulk link/unlink fall under LINE's "other API endpoints" limit (2,000 requests per second per channel; only
 * createRichMenu, deleteRichMenu and alias deletion are 100 per hour, the batch endpoint 3 per hour). We pace far
 * below that, so a nightly run never shares the budget with chat replies in a way that provokes a 429.
 */
export const BULK_LINK_PER_SECOND = 10;

/**
 * The rich-menu part of the Messaging API, as the domain needs it (implemented once over `@line/bot-sdk` in
 * server/line-messenger.ts). Every call throws MessengerError on failure, except `validate` which answers LINE's
 * verdict.
 */
export interface RichMenuApi {
  validate(menu: LineRichMenu): Promise<LineVerdict>;
  create(menu: LineRichMenu): Promise<string>;
  uploadImage(richMenuId: string, image: Buffer, contentType: 'image/png' | 'image/jpeg'): Promise<void>;
  delete(richMenuId: string): Promise<void>;
  /** Points the alias at the menu, creating the alias when LINE does not know it yet. */
  setAlias(aliasId: string, richMenuId: string): Promise<void>;
  linkUser(userId: string, richMenuId: string): Promise<void>;
  unlinkUser(userId: string): Promise<void>;
  /** ≤ 500 user IDs a call (MAX_BULK_LINK_USERS). */
  linkUsers(userIds: string[], richMenuId: string): Promise<void>;
  unlinkUsers(userIds: string[]): Promise<void>;
}
