import { RichMenu } from '../models/richmenu.model';
import { createRichMenu } from '../domain/richmenus/richmenu.service';

const tile = (label: string, hint: string, action: Record<string, unknown>) => ({ label, hint, action });

/**
 * The demo brand's rich menus, one per member state (drafts: a marketer presses 發布 in 圖文選單 to put them on
 * LINE or the emulator). Idempotent: nothing is added once any menu exists.
 */
export async function ensureDemoRichMenus(): Promise<void> {
  if (await RichMenu.exists({})) return;
  await createRichMenu(
    {
      name: '加入會員（未入會）',
      chatBarText: '加入會員',
      layout: '1x3',
      tiles: [
        tile('加入會員', '同意後即可集點', { type: 'keyword', text: '加入會員' }),
        tile('門市資訊', '營業時間與地址', { type: 'keyword', text: '門市' }),
        tile('常見問題', '看看我能做什麼', { type: 'keyword', text: '說明' }),
      ],
      rule: { kind: 'pending', priority: 90 },
    },
    'demo-seed',
  );
  await createRichMenu(
    {
      name: '會員選單',
      chatBarText: '會員選單',
      layout: '2x3',
      tiles: [
        tile('會員卡', '出示條碼累積點數', { type: 'card', page: '' }),
        tile('點數', '查詢點數與等級', { type: 'card', page: 'points' }),
        tile('優惠券', '可使用的優惠', { type: 'card', page: 'coupons' }),
        tile('推薦好友', '邀請好友拿獎勵', { type: 'card', page: 'referral' }),
        tile('會員權益', '集點與等級說明', { type: 'card', page: 'benefits' }),
        tile('門市資訊', '營業時間與地址', { type: 'keyword', text: '門市' }),
      ],
      rule: { kind: 'member', priority: 50 },
    },
    'demo-seed',
  );
  await createRichMenu(
    {
      name: '金卡會員選單',
      chatBarText: '金卡專屬',
      layout: '2x2',
      tiles: [
        tile('會員卡', '金卡 2 倍點數', { type: 'card', page: '' }),
        tile('金卡禮遇', '專屬優惠券', { type: 'card', page: 'coupons' }),
        tile('點數', '查詢點數', { type: 'card', page: 'points' }),
        tile('專人服務', '02-2345-6789', { type: 'uri', uri: 'tel:0223456789' }),
      ],
      rule: { kind: 'tier', value: 'gold', priority: 10 },
    },
    'demo-seed',
  );
}
