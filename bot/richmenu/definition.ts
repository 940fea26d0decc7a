import type { messagingApi } from '@line/bot-sdk';
import type { Links } from '../../domain/shared/links';

/**
 * The default rich menu: six tiles in a 3 × 2 grid on LINE's large menu (2500 × 1686). The image
 * (bot/richmenu/richmenu.png, drawn by render-image.ts from the same tiles) and the tappable areas come from this
 * one list, so a label can never sit over another button's area.
 */
export const RICH_MENU_SIZE = { width: 2500, height: 1686 } as const;
export const RICH_MENU_NAME = 'huigo-default';
const COLUMNS = 3;
const ROWS = 2;

export interface RichMenuTile {
  label: string;
  hint: string;
  icon: 'card' | 'points' | 'coupon' | 'referral' | 'profile' | 'help';
  /** `cmd:<name>` postbacks run the chat command of the same name (bot/commands/router.ts). */
  action: { kind: 'card' } | { kind: 'command'; data: string; displayText: string };
}

export const RICH_MENU_TILES: RichMenuTile[] = [
  { label: '會員卡', hint: '出示條碼累積點數', icon: 'card', action: { kind: 'card' } },
  {
    label: '點數',
    hint: '查詢點數與等級',
    icon: 'points',
    action: { kind: 'command', data: 'cmd:points', displayText: '點數' },
  },
  {
    label: '優惠券',
    hint: '可使用的優惠',
    icon: 'coupon',
    action: { kind: 'command', data: 'cmd:coupons', displayText: '優惠券' },
  },
  {
    label: '推薦',
    hint: '邀請好友拿獎勵',
    icon: 'referral',
    action: { kind: 'command', data: 'cmd:referral', displayText: '推薦' },
  },
  {
    label: '資料',
    hint: '查看或更新資料',
    icon: 'profile',
    action: { kind: 'command', data: 'cmd:profile', displayText: '資料' },
  },
  {
    label: '說明',
    hint: '看看我能做什麼',
    icon: 'help',
    action: { kind: 'command', data: 'cmd:help', displayText: '說明' },
  },
];

/** Pixel bounds of tile `i` (row-major); the last column and row absorb the rounding remainder. */
export function tileBounds(i: number): { x: number; y: number; width: number; height: number } {
  const col = i % COLUMNS;
  const row = Math.floor(i / COLUMNS);
  const w = Math.floor(RICH_MENU_SIZE.width / COLUMNS);
  const h = Math.floor(RICH_MENU_SIZE.height / ROWS);
  return {
    x: col * w,
    y: row * h,
    width: col === COLUMNS - 1 ? RICH_MENU_SIZE.width - col * w : w,
    height: row === ROWS - 1 ? RICH_MENU_SIZE.height - row * h : h,
  };
}

/** The rich menu object for `createRichMenu`. */
export function buildRichMenu(links: Pick<Links, 'card'>): messagingApi.RichMenuRequest {
  return {
    size: { ...RICH_MENU_SIZE },
    selected: true,
    name: RICH_MENU_NAME,
    chatBarText: '會員選單',
    areas: RICH_MENU_TILES.map((tile, i) => ({
      bounds: tileBounds(i),
      action:
        tile.action.kind === 'card'
          ? { type: 'uri', label: tile.label, uri: links.card() }
          : { type: 'postback', label: tile.label, data: tile.action.data, displayText: tile.action.displayText },
    })),
  };
}
