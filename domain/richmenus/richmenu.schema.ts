import { z } from 'zod';
import { objectIdSchema } from '../../shared/ids';
import { RICHMENU_LAYOUTS } from './richmenu-layout';

/** Card pages a tile can open through the LIFF deep link (liff-app/src/router.ts). */
export const CARD_PAGES = ['', 'points', 'coupons', 'referral', 'profile', 'benefits'] as const;

const label = z.string().trim().min(1, '請輸入按鈕文字').max(20, '按鈕文字最多 20 字');

export const MenuActionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('card'), page: z.enum(CARD_PAGES, { error: '沒有這個會員卡頁面' }).default('') }),
    z.strictObject({
      type: z.literal('keyword'),
      text: z.string().trim().min(1, '請輸入關鍵字').max(300, '關鍵字最多 300 字'),
    }),
    z.strictObject({
      type: z.literal('uri'),
      uri: z
        .string()
        .trim()
        .max(1000, '網址最多 1000 字元')
        .regex(/^(https:\/\/|line:\/\/|tel:)\S+$/, '網址必須是 https://、line:// 或 tel: 開頭'),
    }),
    z.strictObject({
      type: z.literal('postback'),
      data: z.string().trim().min(1, '請輸入 postback 資料').max(300, 'postback 資料最多 300 字'),
      displayText: z.string().trim().max(300).optional(),
    }),
    z.strictObject({ type: z.literal('switch'), menuId: objectIdSchema() }),
  ],
  { error: '動作類型必須是會員卡、關鍵字、網址、postback 或切換選單' },
);
export type MenuAction = z.infer<typeof MenuActionSchema>;

export const TileSchema = z.strictObject({
  label,
  hint: z.string().trim().max(20, '說明最多 20 字').default(''),
  action: MenuActionSchema,
});
export type Tile = z.infer<typeof TileSchema>;

const int = z.number().int('必須是整數').min(0, '不可以是負數');
export const AreaSchema = z.strictObject({
  bounds: z.strictObject({ x: int, y: int, width: int.min(1), height: int.min(1) }),
  label: z.string().trim().max(20).default(''),
  action: MenuActionSchema,
});
export type Area = z.infer<typeof AreaSchema>;

export const RULE_KINDS = ['none', 'pending', 'member', 'tier', 'segment', 'tag'] as const;
export const MenuRuleSchema = z
  .strictObject({
    kind: z.enum(RULE_KINDS, { error: '套用對象必須是未入會、會員、等級、分眾或標籤' }),
    value: z.string().trim().max(60).optional(),
    priority: z.number().int().min(0).max(10000).default(100),
    from: z.coerce.date({ error: '開始日期格式不正確' }).optional(),
    to: z.coerce.date({ error: '結束日期格式不正確' }).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.kind === 'tier' || r.kind === 'segment' || r.kind === 'tag') && !r.value)
      ctx.addIssue({ code: 'custom', path: ['value'], message: '請選擇等級、分眾或標籤' });
    if (r.kind === 'segment' && r.value && !/^[0-9a-f]{24}$/.test(r.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: '找不到這個分眾' });
    if (r.from && r.to && r.from >= r.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: '結束日期必須晚於開始日期' });
  });
export type MenuRule = z.infer<typeof MenuRuleSchema>;

/** What the console sends to create or replace a menu. */
export const RichMenuInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, '請輸入選單名稱').max(60, '選單名稱最多 60 字'),
    chatBarText: z.string().trim().min(1, '請輸入選單列文字').max(14, '選單列文字最多 14 字'),
    layout: z.enum(RICHMENU_LAYOUTS, { error: '版型必須是 2×3、2×2、1×3、雙分頁或自訂圖片' }),
    tiles: z.array(TileSchema).max(6).default([]),
    areas: z.array(AreaSchema).max(20, '點擊區域最多 20 個').default([]),
    tabs: z
      .strictObject({
        labels: z.tuple([label, label]),
        index: z.union([z.literal(0), z.literal(1)]),
        peerId: objectIdSchema().optional(),
      })
      .optional(),
    rule: MenuRuleSchema.default({ kind: 'none', priority: 100 }),
  })
  .superRefine((m, ctx) => {
    if (m.layout === 'tabs2' && !m.tabs)
      ctx.addIssue({ code: 'custom', path: ['tabs'], message: '雙分頁選單請設定兩個分頁名稱' });
    if (m.layout === 'image' && m.tiles.length)
      ctx.addIssue({ code: 'custom', path: ['tiles'], message: '自訂圖片選單請設定點擊區域，不使用版型格子' });
    if (m.layout !== 'image' && m.areas.length)
      ctx.addIssue({ code: 'custom', path: ['areas'], message: '版型選單的點擊區域由格子決定' });
  });
export type RichMenuInput = z.infer<typeof RichMenuInputSchema>;
