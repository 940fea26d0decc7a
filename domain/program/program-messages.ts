import { formatMoney, formatNumber } from '../../shared/format';
import { couponValidUntilText } from '../../shared/vocabulary';
import { editableTexts, type ReplyEntrySpec } from '../replies/reply-registry';

/**
 * The member program's zh-TW texts: what members read in chat and in the card, and what staff read when a
 * redemption or an adjustment is refused. One catalogue so wording stays consistent (Taiwan usage: 點數、優惠券、
 * 購物金、門市). Words other surfaces say too (tier, validity, point reasons) and the number, money and date
 * formats come from shared/.
 */
const builtInProgramText = {
  pointsExpiring: (points: number, date: string, balance: number) =>
    `提醒您：您有 ${formatNumber(points)} 點將於 ${date} 到期（目前共 ${formatNumber(balance)} 點）。到期前記得兌換優惠券或折抵消費喔！`,
  pointsExpired: (points: number) => `您有 ${formatNumber(points)} 點已到期。`,
  /**
   * `benefits`: the tier's benefit lines (`tierBenefitBullets`: multiplier, birthday, the gift really put in the card,
   * renewal), the same the card lists; `multiplier` stays a placeholder for templates written before.
   */
  tierUp: (label: string, _multiplier: number, benefits: string) =>
    `恭喜升級為「${label}」會員！🎉 您的會員權益：\n${benefits}`,
  /** N days before the yearly review, to a member whose spend would not keep the tier. */
  tierWarning: (label: string, neededAmount: number, reviewDate: string) =>
    `提醒您：您的「${label}」會員資格將於 ${reviewDate} 檢視，近 12 個月再消費 ${formatMoney(neededAmount)} 即可續保「${label}」，期待再見到您！`,
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
  rewardCredit: (amount: number) => `購物金 ${formatMoney(amount)}`,
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

const G = {
  tiers: '會員等級',
  points: '點數',
  persona: '會員問答',
  referral: '推薦好友',
  coupons: '優惠券',
  survey: '滿意度問卷',
};

/** The program texts a marketer may edit (console 「訊息內容」), as `program.<name>`. */
const EDITABLE: Record<string, ReplyEntrySpec> = {
  tierUp: {
    label: '升級通知',
    group: G.tiers,
    args: ['tier', 'multiplier', 'benefits'],
    template: '恭喜升級為「{tier}」會員！🎉 您的會員權益：\n{benefits}',
    hint: '{benefits} 是該等級的權益（點數倍數、生日禮、升等禮、保級條件），依「設定 › 會員等級」列出',
  },
  tierWarning: {
    label: '降級提醒（等級檢視前）',
    group: G.tiers,
    args: ['tier', 'needed_amount', 'review_date'],
    template:
      '提醒您：您的「{tier}」會員資格將於 {review_date} 檢視，近 12 個月再消費 NT${needed_amount} 即可續保「{tier}」，期待再見到您！',
    hint: '在等級檢視日前幾天（設定 › 會員等級）發給消費還不夠續保的會員，每次檢視一則',
  },
  tierDown: {
    label: '降級通知（可再升回）',
    group: G.tiers,
    args: ['tier', 'spend_needed', 'next_tier'],
    template:
      '您的會員等級已調整為「{tier}」。近 12 個月再消費 NT${spend_needed} 即可回到「{next_tier}」，期待再見到您！',
  },
  tierDownBase: { label: '降級通知（最低等級）', group: G.tiers, args: ['tier'] },
  pointsExpiring: {
    label: '點數即將到期提醒',
    group: G.points,
    args: ['points', 'date', 'balance'],
    template: '提醒您：您有 {points} 點將於 {date} 到期（目前共 {balance} 點）。到期前記得兌換優惠券或折抵消費喔！',
  },
  personaReward: {
    label: '問答完成的感謝與贈點',
    group: G.persona,
    args: ['points', 'balance'],
    template: '🎁 已送您 {points} 點作為感謝，目前共有 {balance} 點。',
  },
  referralApplied: { label: '綁定推薦碼成功', group: G.referral, args: ['name'] },
  referrerRewarded: { label: '推薦人獲得獎勵', group: G.referral, args: ['name', 'reward'] },
  refereeWelcome: { label: '被推薦的新朋友禮', group: G.referral, args: ['reward'] },
  couponIssued: { label: '獲得優惠券通知', group: G.coupons, args: ['title', 'until'] },
  surveyThanks: { label: '問卷評分後的感謝', group: G.survey },
  surveyThanksLow: { label: '問卷低分後的回覆', group: G.survey },
  surveyCommentThanks: { label: '收到問卷意見的感謝', group: G.survey },
};

/** The member program's texts, with the marketer's edits where stored (domain/replies). */
export const programText = editableTexts('program', builtInProgramText, EDITABLE);

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
