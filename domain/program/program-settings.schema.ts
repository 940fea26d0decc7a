import { z } from 'zod';
import { objectIdSchema } from '../../shared/ids';
import { checkLineMessage } from '../messaging/line-rules/line-message-rules';
import { InboxSettingsSchema } from '../inbox/inbox-settings.schema';
import { CounterSettingsSchema } from '../counter/counter-settings.schema';
import { CreditSettingsSchema, PointsPaymentSettingsSchema } from '../credit/credit-settings.schema';

const objectId = objectIdSchema();

/** The member-timeline retention periods a brand may choose (months), besides keeping everything. */
export const INTERACTION_RETENTION_MONTHS = [12, 24, 36] as const;
const tierCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,23}$/, '代碼只能用小寫英文、數字、- 或 _，並以英文字母開頭');

const TierGiftSchema = z.object({
  points: z
    .number()
    .int('升等贈點必須是整數')
    .min(0, '升等贈點不可為負')
    .max(100000, '升等贈點最多 100,000 點')
    .default(0),
  credit: z
    .number()
    .int('升等購物金必須是整數（新台幣元）')
    .min(0, '升等購物金不可為負')
    .max(100000, '升等購物金最多 NT$100,000')
    .default(0),
  creditValidDays: z.number().int().min(1, '購物金效期最少 1 天').max(3650, '購物金效期最多 3650 天').default(90),
});
export type TierGift = z.infer<typeof TierGiftSchema>;
/** A tier with no points or credit in its upgrade gift, kept at its own threshold. */
const NO_GIFT = { gift: { points: 0, credit: 0, creditValidDays: 90 }, keepSpend: null };

export const TierSchema = z.object({
  code: tierCode,
  label: z.string().trim().min(1, '請輸入等級名稱').max(20),
  /** Rolling-12-month spend (NT$) needed to hold this tier. */
  minSpend: z.number().int().min(0),
  /** Points multiplier on purchases made while in this tier. */
  multiplier: z.number().min(1).max(10),
  /** Multiplier on the birthday gift points and credit for members in this tier (1 = the plain gift). */
  birthdayMultiplier: z.number().min(1, '生日禮倍數最少 1 倍').max(10, '生日禮倍數最多 10 倍').default(1),
  /** Coupon templates issued once per year when a member reaches the tier (part of the upgrade gift). */
  couponTemplateIds: z.array(objectId).max(10).default([]),
  /** The rest of the upgrade gift (升等禮), once per tier per member per calendar year: points and 購物金 (NT$). */
  gift: TierGiftSchema.default({ points: 0, credit: 0, creditValidDays: 90 }),
  /**
   * Renewal (保級): the rolling-12-month spend (NT$) that keeps the tier at the member's yearly review; null = the
   * tier's own threshold. Never above the threshold (a member who just reached the tier could not keep it).
   */
  keepSpend: z.number().int('保級門檻必須是整數（新台幣元）').min(0, '保級門檻不可為負').nullable().default(null),
});
export type Tier = z.infer<typeof TierSchema>;

const RewardSchema = z.object({
  points: z.number().int().min(0).max(100000).default(0),
  couponTemplateId: objectId.nullable().default(null),
});
export type Reward = z.infer<typeof RewardSchema>;

const hexColor = z
  .string()
  .trim()
  .regex(/^#[0-9A-Fa-f]{6}$/, '顏色請用 #RRGGBB 格式，例如 #06C755');
const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(1000, `${what}最多 1000 字元`)
    .refine((v) => /^https:\/\/[^\s/]+\.[^\s]+$/.test(v), `${what}必須是 https:// 開頭的網址`);
/** An uploaded logo (`/brand/logo/<id>.png`) or the demo brand's logo shipped with the card. */
const LOGO_PATH = /^(\/brand\/logo\/[0-9a-f]{24}\.(png|jpg)|\/liff\/brand-logo\.svg)$/;
/** A logo is either uploaded (served from our own origin under /brand/) or an https URL. */
const logoUrl = z
  .string()
  .trim()
  .max(1000)
  .refine((v) => v === '' || LOGO_PATH.test(v) || /^https:\/\/\S+$/.test(v), {
    message: '商標必須是上傳的圖片或 https:// 開頭的網址',
  });
/** Taiwan phone numbers as people write them: 02-2345-6789, (04)2345-6789, 0912-345-678, 0800-123-456. */
export const TAIWAN_PHONE_RE = /^(\(0\d{1,3}\)|0\d{1,3})[- ]?\d{3,4}[- ]?\d{3,4}(#\d{1,5})?$/;
const twPhone = z
  .string()
  .trim()
  .refine((v) => TAIWAN_PHONE_RE.test(v) && /^\d{9,10}$/.test(v.replace(/#\d+$/, '').replace(/\D/g, '')), {
    message: '電話格式不正確，例如 02-2345-6789 或 0912-345-678',
  });

export const StoreSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, '門市代碼只能用小寫英文、數字或 -（最多 32 字）'),
  name: z.string().trim().min(1, '請輸入門市名稱').max(40, '門市名稱最多 40 字'),
  address: z.string().trim().min(1, '請輸入門市地址').max(120, '地址最多 120 字'),
  hours: z.string().trim().min(1, '請輸入營業時間').max(80, '營業時間最多 80 字'),
  mapUrl: httpsUrl('地圖連結').or(z.literal('')).default(''),
});
export type Store = z.infer<typeof StoreSchema>;

/** The demo brand (what `npm start` shows); a real brand replaces it in the console. */
export const DEFAULT_BRAND = {
  name: '好日選物',
  logoUrl: '/liff/brand-logo.svg',
  primaryColor: '#0f766e',
  accentColor: '#f59e0b',
  phone: '02-2700-1688',
  lineId: '@huigo',
  termsUrl: 'https://haori.example.com/terms',
  privacyUrl: 'https://haori.example.com/privacy',
  stores: [
    {
      id: 'taipei-daan',
      name: '台北大安店',
      address: '台北市大安區復興南路一段 219 巷 12 號',
      hours: '每日 11:00–21:30',
      mapUrl: 'https://maps.google.com/?q=台北市大安區復興南路一段219巷12號',
    },
    {
      id: 'taichung-xitun',
      name: '台中西屯店',
      address: '台中市西屯區市政北二路 238 號 1 樓',
      hours: '週一至週五 12:00–21:00，週末 11:00–22:00',
      mapUrl: 'https://maps.google.com/?q=台中市西屯區市政北二路238號',
    },
  ],
};

export const BrandSchema = z
  .object({
    name: z.string().trim().min(1, '請輸入品牌名稱').max(30, '品牌名稱最多 30 字'),
    logoUrl: logoUrl.default(''),
    primaryColor: hexColor,
    accentColor: hexColor,
    phone: twPhone,
    lineId: z
      .string()
      .trim()
      .regex(/^@?[a-z0-9._-]{2,20}$/i, 'LINE ID 格式不正確，例如 @huigo-tea'),
    termsUrl: httpsUrl('會員條款連結'),
    privacyUrl: httpsUrl('隱私權政策連結'),
    stores: z
      .array(StoreSchema)
      .max(200, '門市最多 200 間')
      .default([])
      .superRefine((stores, ctx) => {
        const seen = new Set<string>();
        stores.forEach((st, i) => {
          if (seen.has(st.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: '門市代碼重複' });
          seen.add(st.id);
        });
      }),
  })
  .strict();
export type Brand = z.infer<typeof BrandSchema>;

/**
 * The member program as a marketer configures it. Every field has a default, so a brand new install runs a
 * sensible program (NT$100 = 1 point, 一般/銀卡/金卡, points expire at the end of the year after earning).
 */
export const ProgramSettingsSchema = z.object({
  brand: BrandSchema.default(DEFAULT_BRAND),
  earn: z
    .object({
      /** NT$ per point before the tier multiplier. */
      spendPerPoint: z.number().int().min(1).max(100000).default(100),
    })
    .default({ spendPerPoint: 100 }),
  tiers: z
    .array(TierSchema)
    .min(1)
    .max(8)
    .default([
      {
        code: 'basic',
        label: '一般',
        minSpend: 0,
        multiplier: 1,
        birthdayMultiplier: 1,
        couponTemplateIds: [],
        ...NO_GIFT,
      },
      {
        code: 'silver',
        label: '銀卡',
        minSpend: 10000,
        multiplier: 1.5,
        birthdayMultiplier: 1,
        couponTemplateIds: [],
        ...NO_GIFT,
      },
      {
        code: 'gold',
        label: '金卡',
        minSpend: 30000,
        multiplier: 2,
        birthdayMultiplier: 1,
        couponTemplateIds: [],
        ...NO_GIFT,
      },
    ])
    .superRefine(checkTiers),
  /**
   * The yearly tier review (#16.4): a member is reviewed 12 months after reaching or renewing a tier; the members
   * whose spend would not keep it are told `warnDaysBefore` days before (0 = no warning).
   */
  tierReview: z
    .object({
      warnDaysBefore: z
        .number()
        .int('降級提醒天數必須是整數')
        .min(0, '降級提醒天數不可為負')
        .max(90, '降級提醒最多提前 90 天')
        .default(30),
    })
    .default({ warnDaysBefore: 30 }),
  expiry: z
    .object({
      /** `end_of_next_year`: points earned in 2025 expire 2026-12-31 23:59 (local); `months`: N months after earning. */
      mode: z.enum(['end_of_next_year', 'months', 'never']).default('end_of_next_year'),
      months: z.number().int().min(1).max(120).default(12),
      /** Members are told this many days before points expire. */
      warnDaysBefore: z.number().int().min(1).max(90).default(30),
    })
    .default({ mode: 'end_of_next_year', months: 12, warnDaysBefore: 30 }),
  referral: z
    .object({
      enabled: z.boolean().default(true),
      /** For the member who shared the code ("購物金"). */
      referrerReward: RewardSchema.default({ points: 100, couponTemplateId: null }),
      /** Welcome reward for the new member. */
      refereeReward: RewardSchema.default({ points: 50, couponTemplateId: null }),
      /** A first purchase of at least this amount completes the referral. */
      minPurchaseAmount: z.number().int().min(0).default(0),
      /** A code can be entered only this many days after following (abuse guard). */
      entryWindowDays: z.number().int().min(1).max(365).default(30),
      /** Rewards one referrer can earn in total (abuse guard). */
      maxRewardsPerReferrer: z.number().int().min(1).max(10000).default(50),
    })
    .default({
      enabled: true,
      referrerReward: { points: 100, couponTemplateId: null },
      refereeReward: { points: 50, couponTemplateId: null },
      minPurchaseAmount: 0,
      entryWindowDays: 30,
      maxRewardsPerReferrer: 50,
    }),
  personaCompletionPoints: z.number().int().min(0).max(100000).default(50),
  birthday: z
    .object({
      enabled: z.boolean().default(true),
      points: z.number().int().min(0).max(100000).default(100),
      couponTemplateId: objectId.nullable().default(null),
      /** `day`: on the birthday; `month-first`: on the 1st of the birth month. */
      mode: z.enum(['day', 'month-first']).default('day'),
      sendTime: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '請用 HH:mm 格式')
        .default('10:00'),
    })
    .default({ enabled: true, points: 100, couponTemplateId: null, mode: 'day', sendTime: '10:00' }),
  survey: z
    .object({
      enabled: z.boolean().default(true),
      delayHours: z
        .number()
        .min(0)
        .max(24 * 30)
        .default(24),
      /** Sent as a LINE text message with five quick replies: checked by the one LINE validator. */
      question: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .superRefine((text, ctx) => {
          for (const issue of checkLineMessage({ type: 'text', text }))
            ctx.addIssue({ code: 'custom', message: issue.message });
        })
        .default('感謝您的光臨！請問您對這次的購物體驗滿意嗎？'),
      /** No more than one survey per member within this many days (avoid survey fatigue). */
      minDaysBetween: z.number().int().min(0).max(365).default(30),
    })
    .default({
      enabled: true,
      delayHours: 24,
      question: '感謝您的光臨！請問您對這次的購物體驗滿意嗎？',
      minDaysBetween: 30,
    }),
  journeys: z
    .object({
      /**
       * Transactional journey steps (points expiring, a coupon issued) reach members without marketing consent;
       * false: every journey step needs marketing consent.
       */
      transactionalWithoutConsent: z.boolean().default(true),
    })
    .default({ transactionalWithoutConsent: true }),
  retention: z
    .object({
      /**
       * Months of member timeline (interactions) kept; null = 永久保留 (the default). Older rows are archived and
       * then deleted by the nightly interactions-retention job (docs/deployment.md).
       */
      interactionsMonths: z
        .union(
          INTERACTION_RETENTION_MONTHS.map((m) => z.literal(m)),
          {
            error: '保留期間只能選 12、24 或 36 個月，或永久保留',
          },
        )
        .nullable()
        .default(null),
    })
    .default({ interactionsMonths: null }),
  /** The 1:1 inbox: opening hours and the bot's automatic resume (#13.5). */
  inbox: InboxSettingsSchema,
  /** The counter: unusual amounts and manual points caps (#16.5). */
  counter: CounterSettingsSchema,
  /** Shopping credit (#16.2) and paying with points (#16.3). */
  credit: CreditSettingsSchema,
  pointsPayment: PointsPaymentSettingsSchema,
});
export type ProgramSettings = z.infer<typeof ProgramSettingsSchema>;
/** A partial update: any top-level section, itself partial except `tiers` (replaced whole). */
export type ProgramSettingsPatch = {
  [K in keyof ProgramSettings]?: ProgramSettings[K] extends unknown[]
    ? ProgramSettings[K]
    : Partial<ProgramSettings[K]> | ProgramSettings[K];
};

function checkTiers(tiers: Tier[], ctx: z.RefinementCtx): void {
  tiers.forEach((t, i) => {
    if (t.keepSpend !== null && t.keepSpend > t.minSpend)
      ctx.addIssue({ code: 'custom', path: [i, 'keepSpend'], message: '保級門檻不可高於升等門檻' });
  });
  if (tiers.length && tiers[0].minSpend !== 0)
    ctx.addIssue({ code: 'custom', path: [0, 'minSpend'], message: '第一個等級的門檻必須是 0' });
  const codes = new Set<string>();
  tiers.forEach((t, i) => {
    if (codes.has(t.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: '等級代碼重複' });
    codes.add(t.code);
    if (i > 0 && t.minSpend <= tiers[i - 1].minSpend)
      ctx.addIssue({ code: 'custom', path: [i, 'minSpend'], message: '門檻必須比上一個等級高' });
  });
}

export const DEFAULT_PROGRAM_SETTINGS: ProgramSettings = ProgramSettingsSchema.parse({});
