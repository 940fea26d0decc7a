import type { JourneyInput } from './journey.schema';

/**
 * The journeys a new brand starts from (the demo brand has them all, each editable): welcome series, post-purchase
 * thanks and survey, win-back for dormant members, expiring-points reminders, the tier-upgrade gift and the
 * birthday month. Texts are the brand's to edit; they are written as a Taiwanese shop would write them.
 */
export interface TemplateCoupons {
  /** First-purchase coupon of the welcome series (day 7). */
  welcome: string;
  /** Win-back coupon for members dormant 60 days. */
  winBack: string;
  /** Birthday-month coupon. */
  birthday: string;
}

export type TemplateKey =
  'welcome' | 'post_purchase' | 'win_back' | 'points_expiring' | 'tier_upgrade' | 'birthday_month';

const text = (t: string) => ({ type: 'text' as const, text: t });

export function journeyTemplates(c: TemplateCoupons, cardUrl: string): Record<TemplateKey, JourneyInput> {
  return {
    welcome: {
      name: '新朋友歡迎旅程（第 0、2、7 天）',
      description: '同意會員條款後開始：第 0 天歡迎、第 2 天介紹會員卡、第 7 天送首購優惠券；完成第一筆消費就結束。',
      trigger: { type: 'consent_accepted' },
      steps: [
        {
          id: 'day0',
          type: 'message',
          messages: [text(`歡迎加入會員！🎉 點數、優惠券和消費紀錄都在會員卡裡：\n${cardUrl}`)],
        },
        { id: 'wait-day2', type: 'wait', days: 2, until: { weekday: null, time: '12:00' } },
        {
          id: 'day2',
          type: 'message',
          messages: [text('小提醒：結帳時出示會員卡條碼就能累點，每消費 NT$100 送 1 點，點數可以兌換優惠券喔！')],
        },
        { id: 'wait-day7', type: 'wait', days: 5, until: { weekday: null, time: '12:00' } },
        { id: 'day7-coupon', type: 'coupon', templateId: c.welcome, notify: true },
      ],
      goal: { kind: 'purchase', minAmount: 0 },
      options: { reentryAfterDays: null, exitOnGoal: true } as JourneyInput['options'],
    },
    post_purchase: {
      name: '消費後感謝與滿意度',
      description: '每次消費後隔天中午道謝，三天後請會員分享意見。',
      trigger: { type: 'purchase', minAmount: 0, category: null, storeId: null },
      steps: [
        { id: 'wait-1d', type: 'wait', days: 1, until: { weekday: null, time: '12:00' } },
        { id: 'thanks', type: 'message', messages: [text('謝謝您昨天的光臨！點數已經入帳，打開會員卡就能查看 😊')] },
        { id: 'wait-3d', type: 'wait', days: 2, until: { weekday: null, time: '19:00' } },
        {
          id: 'survey',
          type: 'message',
          messages: [text('這次的購物體驗還滿意嗎？直接回覆這則訊息告訴我們，每一則意見我們都會看！')],
        },
      ],
      goal: null,
      options: { reentryAfterDays: 7 } as JourneyInput['options'],
    },
    win_back: {
      name: '沉睡會員喚回（60 天未消費）',
      description: '60 天沒有消費的沉睡、流失風險會員：送回流優惠券，7 天後還沒回來再提醒一次。',
      trigger: { type: 'inactive', days: 60, basis: 'purchase' },
      steps: [
        { id: 'coupon', type: 'coupon', templateId: c.winBack, notify: true },
        { id: 'wait-7d', type: 'wait', days: 7, until: { weekday: null, time: '12:00' } },
        { id: 'came-back', type: 'branch', condition: { kind: 'purchased' }, then: 'end', else: 'reminder' },
        {
          id: 'reminder',
          type: 'message',
          messages: [text('好久不見！上次送您的回流優惠券還在會員卡裡，別忘了在到期前使用喔 💚')],
        },
      ],
      goal: { kind: 'purchase', minAmount: 0 },
      options: { reentryAfterDays: 90 } as JourneyInput['options'],
    },
    points_expiring: {
      name: '點數到期提醒（30 天、7 天前）',
      description: '點數到期前 30 天提醒一次，到期前 7 天再提醒一次（服務通知）。',
      category: 'transactional',
      trigger: { type: 'points_expiring', days: 30 },
      steps: [
        {
          id: 'notice-30d',
          type: 'message',
          messages: [text(`提醒您：您有點數將在 30 天後到期，記得在到期前兌換優惠券或折抵消費喔！\n${cardUrl}`)],
        },
        { id: 'wait-23d', type: 'wait', days: 23, until: { weekday: null, time: '12:00' } },
        {
          id: 'notice-7d',
          type: 'message',
          messages: [text(`再提醒您一次：您的點數 7 天後就要到期了，打開會員卡看看可以換什麼吧！\n${cardUrl}`)],
        },
      ],
      goal: null,
      options: { frequencyCap: null, reentryAfterDays: 60 } as JourneyInput['options'],
    },
    tier_upgrade: {
      name: '升等禮',
      description: '升等時把該等級的升等優惠券放進會員卡（每年一次），兩週後還沒用再提醒。',
      trigger: { type: 'tier_changed', direction: 'up', tier: null },
      steps: [
        { id: 'tier-coupon', type: 'coupon', templateId: 'tier', notify: false },
        { id: 'wait-14d', type: 'wait', days: 14, until: { weekday: null, time: '12:00' } },
        {
          id: 'used',
          type: 'branch',
          condition: { kind: 'redeemed', stepId: 'tier-coupon' },
          then: 'end',
          else: 'reminder',
        },
        { id: 'reminder', type: 'message', messages: [text(`您的升等禮還沒使用喔！打開會員卡就能看到：\n${cardUrl}`)] },
      ],
      goal: { kind: 'redeem' },
      options: { reentryAfterDays: 1 } as JourneyInput['options'],
    },
    birthday_month: {
      name: '生日月禮遇',
      description: '生日前 7 天送上生日月優惠券（選用：啟用後可關閉固定的生日禮，避免重複）。',
      trigger: { type: 'date_relative', date: 'birthday', offsetDays: -7 },
      steps: [
        { id: 'birthday-coupon', type: 'coupon', templateId: c.birthday, notify: true },
        { id: 'wait-7d', type: 'wait', days: 7, until: { weekday: null, time: '10:00' } },
        {
          id: 'greeting',
          type: 'message',
          messages: [text('🎂 生日快樂！謝謝您一直以來的支持，生日月優惠券記得使用喔！')],
        },
      ],
      goal: null,
      options: { reentryAfterDays: 300 } as JourneyInput['options'],
    },
  };
}
