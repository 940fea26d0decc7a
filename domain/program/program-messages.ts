import { formatMoney, formatNumber } from '../../shared/format';
import { couponValidUntilText } from '../../shared/vocabulary';

/**
 * The member program's zh-TW texts: what members read in chat and in the card, and what staff read when a
 * redemption or an adjustment is refused. One catalogue so wording stays consistent (Taiwan usage: 點數、優惠券、
 * 購物金、門市). Words other surfaces say too (tier, validity, point reasons) and the number, money and date
 * formats come from shared/.
 */
export const programText = {
  pointsExpiring: (points: number, date: string, balance: number) =>
    `提醒您：您有 ${formatNumber(points)} 點將於 ${date} 到期（目前共 ${formatNumber(balance)} 點）。到期前記得兌換優惠券或折抵消費喔！`,
  pointsExpired: (points: number) => `您有 ${formatNumber(points)} 點已到期。`,
  /** Names the tier's coupons really put in the card; says nothing about gifts when the tier has none. */
  tierUp: (label: string, multiplier: number, coupons: string[] = []) =>
    `恭喜升級為「${label}」會員！🎉 之後消費可享 ${multiplier} 倍點數回饋。` +
    (coupons.length ? `升等禮${coupons.map((t) => `「${t}」`).join('、')}已放進您的會員卡，打開會員卡即可使用。` : ''),
  tierDown: (label: string, spendNeeded: number, nextLabel: string) =>
    `您的會員等級已調整為「${label}」。近 12 個月再消費 ${formatMoney(spendNeeded)} 即可回到「${nextLabel}」，期待再見到您！`,
  tierDownBase: (label: string) => `您的會員等級已調整為「${label}」。期待再見到您！`,
  referralApplied: (referrerName: string) =>
    `已綁定 ${referrerName || '好友'} 的推薦碼！完成第一筆消費後，您和好友都會收到獎勵。`,
  referrerRewarded: (friendName: string, reward: string) =>
    `您推薦的好友 ${friendName || ''} 完成了第一筆消費，送您 ${reward}！感謝您的分享 💚`,
  refereeWelcome: (reward: string) => `歡迎加入！已送上新朋友禮：${reward}，下次消費時就能使用。`,
  rewardPoints: (points: number) => `${formatNumber(points)} 點`,
  rewardCoupon: (title: string) => `優惠券「${title}」`,
  rewardJoin: (...parts: string[]) => parts.filter(Boolean).join(' 和 '),
  /** Thanks for completing the persona questions; said in the chat's reply, or pushed when the card completed them. */
  personaReward: (points: number, balance: number) =>
    `🎁 已送您 ${formatNumber(points)} 點作為感謝，目前共有 ${formatNumber(balance)} 點。`,
  couponIssued: (title: string, until: string) =>
    `您獲得一張優惠券「${title}」，${couponValidUntilText(until)}。打開會員卡即可出示使用。`,
  surveyThanks: '謝謝您的評分！想再多說些什麼嗎？直接輸入文字告訴我們（不想的話略過即可）。',
  surveyThanksLow: '謝謝您的回饋，很抱歉這次沒有讓您滿意。方便告訴我們哪裡可以做得更好嗎？直接輸入文字即可。',
  surveyCommentThanks: '收到您的意見了，謝謝您！我們會持續改進。',
  surveyScoreLabels: ['1 很不滿意', '2 不滿意', '3 普通', '4 滿意', '5 非常滿意'] as const,
};

/** Member-facing redemption refusals (also shown to staff at the counter). */
export const couponErrorText = {
  notFound: '找不到這張優惠券，請確認代碼是否正確。',
  used: (at: string) => `這張優惠券已使用（${at}）。`,
  expired: (until: string) => `這張優惠券已過期（有效期限至 ${until}）。`,
  notStarted: (from: string) => `這張優惠券尚未開始使用（${from} 起可用）。`,
  wrongStore: '這張優惠券不適用此門市。',
  minSpend: (min: number) => `未達最低消費 ${formatMoney(min)}，無法使用這張優惠券。`,
  void: '這張優惠券已作廢。',
  notUsed: '這張優惠券尚未使用，無需取消核銷。',
  templateNotFound: '找不到這個優惠券模板。',
  templateArchived: '這個優惠券活動已結束。',
  templateEnded: '這個優惠券活動已過期。',
  quotaExhausted: '這張優惠券已全數發送完畢。',
  memberLimit: (limit: number) => `每位會員限領 ${limit} 張，您已經領過了。`,
  tierRestricted: (labels: string) => `這張優惠券限 ${labels} 會員領取。`,
  segmentRestricted: '這張優惠券限特定會員領取。',
  notExchangeable: '這張優惠券不能用點數兌換。',
};
