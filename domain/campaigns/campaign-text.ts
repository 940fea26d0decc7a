import { formatMoney, formatNumber } from '../../shared/format';
import { POINT_REASON_LABELS } from '../../shared/vocabulary';
import { editableTexts } from '../replies/reply-registry';

/**
 * zh-TW texts of campaigns and the birthday program: delivery reasons and customer messages, in one place. The
 * campaign and run status labels, which the console shows too, live in shared/vocabulary.
 */

export const DELIVERY_REASON_LABELS: Record<string, string> = {
  frequency_cap: '已達發送頻率上限',
  coupon_unavailable: '優惠券無法發放（已發完或不符資格）',
  quota_exceeded: '超過本月訊息額度',
  line_error: 'LINE 拒絕了這次發送',
  retries_exhausted: '重試多次仍失敗',
  cancelled: '活動已取消',
};

const builtInCampaignText = {
  heldForQuota: (need: number, remaining: number) =>
    `本月訊息額度不足：這次需要 ${formatNumber(need)} 則，剩餘 ${formatNumber(remaining)} 則。提高額度後可繼續發送，或改為「依剩餘額度發送」。`,
  heldQuotaRejected: '發送途中 LINE 回報本月訊息額度已用完，其餘名單已暫停。',
  quotaUnavailable: '無法取得 LINE 訊息額度，稍後會自動重試。',
  couponNotice: (title: string, cardUrl: string) =>
    `🎁 送您一張「${title}」優惠券，已放入您的會員卡，結帳時出示即可使用。\n${cardUrl}`,
  birthdayGreeting: (name: string) =>
    `🎂 ${name ? `${name}，` : ''}生日快樂！感謝您一直以來的支持，我們準備了一份生日禮給您。`,
  birthdayPoints: (points: number) =>
    `已送您${POINT_REASON_LABELS.birthday} ${formatNumber(points)} 點，可在會員卡查看。`,
  birthdayCoupon: (title: string) => `生日優惠券「${title}」已放入您的會員卡。`,
  birthdayCredit: (amount: number, until: string) =>
    `生日購物金 ${formatMoney(amount)} 已存入您的會員卡，請於 ${until} 前使用。`,
  testPrefix: '【測試訊息】以下是活動預覽：',
  linkNotFound: '這個連結已失效或不存在。',
  /** LINE answered 400 to the validate endpoint or to a send; its own (English) words follow. */
  lineRejected: (reason: string) => `LINE 拒絕了這則訊息：${reason}。請修改標示的欄位後再試。`,
  lineDetail: (detail: string) => `LINE 回覆：${detail}`,
  lineRejectedAtSend: (reason: string) =>
    `LINE 拒絕了這次發送的訊息（${reason}），未送出的名單已標示為失敗。請修改訊息後重新建立活動。`,
  localRulesBroken: '訊息不符合 LINE 的規定',
  /** `{suggested_product}` for a member the rule has nothing for (domain/campaigns/member-variables.ts). */
  suggestedProductFallback: '本季人氣商品',
};

/** The birthday texts and the coupon notice are the marketer's to edit (console 「訊息內容」), as `campaign.<name>`. */
export const campaignText = editableTexts('campaign', builtInCampaignText, {
  birthdayGreeting: { label: '生日祝福', group: '生日', args: ['name'] },
  birthdayPoints: {
    label: '生日贈點',
    group: '生日',
    args: ['points'],
    template: `已送您${POINT_REASON_LABELS.birthday} {points} 點，可在會員卡查看。`,
  },
  birthdayCoupon: { label: '生日優惠券', group: '生日', args: ['title'] },
  birthdayCredit: {
    label: '生日購物金',
    group: '生日',
    args: ['amount', 'until'],
    template: '生日購物金 NT${amount} 已存入您的會員卡，請於 {until} 前使用。',
  },
  couponNotice: { label: '活動送券通知', group: '優惠券', args: ['title', 'card_url'] },
  suggestedProductFallback: {
    label: '推薦商品（沒有推薦時）',
    group: '商品推薦',
    maxLength: 40,
    hint: '活動或旅程訊息裡的 {suggested_product}，在這位會員沒有推薦商品時顯示的文字。',
  },
});
