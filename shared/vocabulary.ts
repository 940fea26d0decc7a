/**
 * The words more than one surface says (zh-TW, Taiwan wording): the chat, the member card, the console and the
 * server's messages read them from here, so a sentence cannot drift between surfaces again. Each surface keeps
 * its own words in its own catalogue and composes these into them. Browser-safe: nothing of ours outside `shared/`.
 */
import { formatMoney, formatNumber } from './format';

/** An amount either as a number (formatted here) or already formatted by the caller's money/number formatter. */
type Shown = number | string;
const money = (v: Shown) => (typeof v === 'number' ? formatMoney(v) : v);
const count = (v: Shown) => (typeof v === 'number' ? formatNumber(v) : v);

/** The example date in every "type a date" hint (Taiwan's usual form, as dates are shown). */
export const DATE_EXAMPLE = '1990/05/20';

// ---- tiers ---------------------------------------------------------------------------------------------------

/** `再消費 NT$1,280 即可升級「金卡」`: what the member still has to spend to reach the next tier. */
export const tierNextText = (spend: Shown, label: string): string => `再消費 ${money(spend)} 即可升級「${label}」`;

/** `已符合「金卡」資格，等級即將更新`: the spend already earns the next tier; the tier review job will move it. */
export const tierReachedText = (label: string): string => `已符合「${label}」資格，等級即將更新`;

/** `點數 2 倍`: the tier's points multiplier. */
export const tierMultiplierText = (multiplier: number): string => `點數 ${multiplier} 倍`;

// ---- points --------------------------------------------------------------------------------------------------

/** The labels of a points entry's reason (models' `PointReason`), e.g. 消費累點. */
export const POINT_REASON_LABELS = {
  purchase: '消費累點',
  persona_complete: '完成會員資料',
  referral: '推薦好友獎勵',
  birthday: '生日禮',
  manual: '專人調整',
  redeem: '點數兌換',
  expire: '點數到期',
  reversal: '退貨扣回',
  survey: '問卷回饋',
  welcome: '新朋友禮',
  merge: '會員資料合併',
  erasure: '刪除資料作廢',
  journey: '會員旅程贈點',
  stamp: '集點卡獎勵',
  payment: '點數折抵',
  payment_return: '折抵點數退回',
  tier_gift: '升等禮',
} as const satisfies Record<string, string>;

export type PointReasonCode = keyof typeof POINT_REASON_LABELS;

/** The label of a points reason; an unknown reason (stored by an older version) shows as its code. */
export function pointReasonLabel(reason: string): string {
  return (POINT_REASON_LABELS as Record<string, string>)[reason] ?? reason;
}

/** `1,280 點將於 2026/12/31 到期`: the next points to expire. */
export const pointsExpiringText = (points: Shown, date: string): string => `${count(points)} 點將於 ${date} 到期`;

// ---- program rules (會員權益; the FAQ says the same) -------------------------------------------------------------

/** `每消費 NT$100 累積 1 點`: the base earn rate, before the tier multiplier. */
export const earnRuleText = (spendPerPoint: number): string => `每消費 ${money(spendPerPoint)} 累積 1 點`;

/** How points are used (the card's exchange screen). */
export const USE_POINTS_TEXT = '點數可在會員卡的「優惠券 › 用點數兌換優惠券」換成優惠券，結帳時出示即可使用。';

/** When points expire, by the program's expiry mode. */
export function pointsExpiryRuleText(mode: 'end_of_next_year' | 'months' | 'never', months: number): string {
  if (mode === 'never') return '點數永久有效';
  if (mode === 'months') return `點數自獲得起 ${months} 個月內有效，到期前會先通知您`;
  return '點數有效至獲得隔年的 12 月 31 日，到期前會先通知您';
}

/** `近 12 個月消費滿 NT$10,000`: what holds a tier (the first tier needs nothing). */
export const tierThresholdText = (minSpend: number): string =>
  minSpend > 0 ? `近 12 個月消費滿 ${money(minSpend)}` : '加入會員即享';

/**
 * What a tier gives, as numbers and titles from the program settings (domain/tiers/tier-rules.ts `tierBenefitFacts`
 * makes it; the card, 會員權益 and the upgrade message word it with `tierBenefitLines`).
 */
export interface TierBenefitFacts {
  multiplier: number;
  birthdayMultiplier: number;
  /** The upgrade gift (升等禮), once per tier per calendar year: coupon titles, points, 購物金 NT$. */
  gift: { coupons: string[]; points: number; credit: number };
  /** The 12-month spend that keeps the tier at the yearly review; null for the first tier (nothing to keep). */
  keepSpend: number | null;
}

/** The benefit lines as the chat lists them (`・` bullets), and where the upgrade gift went when there was one. */
export function tierBenefitBullets(b: TierBenefitFacts): string {
  const lines = tierBenefitLines(b).map((l) => `・${l}`);
  if (tierGiftText(b.gift)) lines.push('升等禮已放進您的會員卡，打開會員卡即可使用。');
  return lines.join('\n');
}

/** `升等禮「A」、100 點、購物金 NT$200`: the upgrade gift's parts, or null when the tier gives none. */
export function tierGiftText(gift: TierBenefitFacts['gift']): string | null {
  const parts = [
    ...gift.coupons.map((c) => `「${c}」`),
    gift.points > 0 ? `${count(gift.points)} 點` : null,
    gift.credit > 0 ? `購物金 ${money(gift.credit)}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join('、') : null;
}

/**
 * The tier's benefits, one line each: points multiplier, birthday multiplier, upgrade gift, renewal rule. The one
 * wording of them on the card, on 會員權益 and in the upgrade message.
 */
export function tierBenefitLines(b: TierBenefitFacts): string[] {
  const gift = tierGiftText(b.gift);
  return [
    b.multiplier > 1 ? `消費${tierMultiplierText(b.multiplier)}` : '消費累點',
    b.birthdayMultiplier > 1 ? `生日禮 ${b.birthdayMultiplier} 倍` : null,
    gift ? `升等禮（每年一次）：${gift}` : null,
    b.keepSpend !== null
      ? b.keepSpend > 0
        ? `保級：每年檢視時近 12 個月消費滿 ${money(b.keepSpend)} 即可續保`
        : '保級：每年檢視時自動續保'
      : null,
  ].filter((l): l is string => l !== null);
}

/** A gift of points and/or a coupon: `100 點和「生日蛋糕兌換券」`, or null when there is nothing. */
export function giftText(points: number, coupon: string | null): string | null {
  const parts = [points > 0 ? `${count(points)} 點` : null, coupon ? `「${coupon}」` : null].filter(Boolean);
  return parts.length ? parts.join('和') : null;
}

/** `生日當天送 100 點`: when the birthday gift arrives, and what it is. */
export const birthdayGiftText = (mode: 'day' | 'month-first', gift: string): string =>
  `${mode === 'day' ? '生日當天' : '生日當月 1 日'}送您 ${gift}，記得在會員資料填寫生日`;

/** The referral rule: both rewards and the first-purchase condition. */
export function referralRewardText(
  referrerGift: string | null,
  refereeGift: string | null,
  minPurchase: number,
): string {
  const when = minPurchase > 0 ? `完成首次消費滿 ${money(minPurchase)}` : '完成首次消費';
  const parts = [
    referrerGift ? `好友${when}後，您可獲得 ${referrerGift}` : null,
    refereeGift ? `好友加入可獲得 ${refereeGift}` : null,
  ];
  return parts.filter(Boolean).join('；') || '邀請好友一起加入會員';
}

// ---- shopping credit (購物金, #16.2) ------------------------------------------------------------------------------

/** The one name of the shopping credit on every surface (not 儲值金: it is not stored value the member paid for). */
export const CREDIT_NAME = '購物金';
/** The dashboard gauge of all members' credit balances. */
export const CREDIT_BALANCE_LABEL = `${CREDIT_NAME}餘額`;

// ---- coupons -------------------------------------------------------------------------------------------------

/** `使用期限至 2026/12/31`: the last day a coupon can be used. */
export const couponValidUntilText = (date: string): string => `使用期限至 ${date}`;

/** A coupon's state as the member and the staff read it. */
export const COUPON_STATUS_LABELS: Record<string, string> = {
  active: '可使用',
  used: '已使用',
  expired: '已過期',
  void: '已作廢',
};

// ---- members -------------------------------------------------------------------------------------------------

/** A member record's status, in full (filters, exports). */
export const MEMBER_STATUS_LABELS: Record<string, string> = {
  active: '有效',
  blocked: '已封鎖',
  imported: '匯入（尚未加入好友）',
  merged: '已合併',
};

/** The same statuses in a badge's few characters. */
export const MEMBER_STATUS_BADGES: Record<string, string> = { ...MEMBER_STATUS_LABELS, imported: '匯入未加入' };

// ---- campaigns -----------------------------------------------------------------------------------------------

export const CAMPAIGN_STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  scheduled: '已排程',
  sending: '發送中',
  held: '已暫停',
  completed: '已完成',
  cancelled: '已取消',
  failed: '發送失敗',
};

/** One occurrence (run) of a campaign. */
export const CAMPAIGN_RUN_STATUS_LABELS: Record<string, string> = {
  freezing: '鎖定名單中',
  sending: '發送中',
  held: '已暫停',
  completed: '已完成',
  failed: '發送失敗',
  cancelled: '已取消',
};

// ---- staff ---------------------------------------------------------------------------------------------------

/** Console roles (domain/staff/roles.ts `ConsoleRole`). */
export const ROLE_LABELS: Record<string, string> = { admin: '管理員', marketer: '行銷人員', staff: '門市人員' };

// ---- stamp cards (集點卡, #16.1) -----------------------------------------------------------------------------------

/** `已集 3 / 10 點`: a stamp card's progress. */
export const stampProgressText = (stamps: Shown, needed: Shown): string =>
  `已集 ${count(stamps)} / ${count(needed)} 點`;

/** `集滿 5 點送 20 點`, `集滿 10 點送「招牌飲品兌換券」`: a milestone or completion reward. */
export const stampRewardText = (at: Shown, reward: string): string =>
  `集滿 ${count(at)} 點送${reward.startsWith('「') ? '' : ' '}${reward}`;

/** A stamp reward in words: points as `20 點`, a coupon by its title in 「」. */
export const stampRewardLabel = (r: { kind: 'points' | 'coupon'; points?: number; title?: string }): string =>
  r.kind === 'points' ? `${count(r.points ?? 0)} 點` : `「${r.title ?? '優惠券'}」`;

/** `2027/05/30 到期` / `首次集點起 180 天內有效`: how long the card lasts. */
export const stampExpiryText = (date: string | null, validityDays: number | null): string =>
  date ? `${date} 到期` : validityDays ? `首次集點起 ${count(validityDays)} 天內有效` : '無使用期限';

/** A completed card waits for the next purchase to open a fresh one. */
export const STAMP_COMPLETED_TEXT = '已集滿！獎勵已放進會員卡，下次消費會開始新的一張。';
