import { z } from 'zod';
import { lineUserIdSchema, objectIdSchema } from '../../shared/ids';

/**
 * Request/response shapes of /api/member/* (the LIFF member card). The server validates requests with these
 * schemas; liff-app imports the inferred types (type-only, so zod stays out of the browser bundle).
 */

// ---- runtime config and local-mode login -------------------------------------------------------------------

export const LiffConfigSchema = z.object({
  liffId: z.string(),
  /** True only in local mode: the page uses @line/liff-mock with an emulator ID token. */
  mock: z.boolean(),
  /** Where "add friend" sends someone who has not followed the account yet. */
  addFriendUrl: z.string(),
  botBasicId: z.string(),
  /** The program's time zone (IANA, e.g. Asia/Taipei): the card shows every date and time in it. */
  timeZone: z.string(),
});
export type LiffConfig = z.infer<typeof LiffConfigSchema>;

export const DevUserSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  pictureUrl: z.string().optional(),
  following: z.boolean(),
});
export type DevUser = z.infer<typeof DevUserSchema>;

export const DevTokenRequestSchema = z.object({ userId: lineUserIdSchema });
export const DevTokenResponseSchema = z.object({
  idToken: z.string(),
  exp: z.number(),
  profile: z.object({ userId: z.string(), displayName: z.string(), pictureUrl: z.string().optional() }),
});
export type DevTokenResponse = z.infer<typeof DevTokenResponseSchema>;

// ---- card ----------------------------------------------------------------------------------------------------

/** What a tier gives (shared/vocabulary `TierBenefitFacts`, worded by `tierBenefitLines`). */
export const TierBenefitFactsSchema = z.object({
  multiplier: z.number(),
  birthdayMultiplier: z.number(),
  gift: z.object({ coupons: z.array(z.string()), points: z.number(), credit: z.number() }),
  /** 12-month spend that keeps the tier at the yearly review; null for the first tier. */
  keepSpend: z.number().nullable(),
});

export const TierSchema = z.object({
  code: z.string(),
  label: z.string(),
  multiplier: z.number(),
  next: z.object({ code: z.string(), label: z.string(), spendNeeded: z.number() }).nullable(),
  /** 0..1 progress towards `next` (1 at the top tier). */
  progress: z.number(),
  /** The member's tier benefits (會員權益 on the card); absent on a card cached by an older version. */
  benefits: TierBenefitFactsSchema.optional(),
  /** ISO instant of the yearly tier review (tiers above the first), if dated. */
  reviewAt: z.string().nullable().optional(),
});

export const StoreViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  hours: z.string(),
  mapUrl: z.string(),
});

/** The brand as the card shows it: logo, name, colours (#RRGGBB), contact, terms and privacy links, stores. */
export const CardBrandSchema = z.object({
  name: z.string(),
  logoUrl: z.string(),
  primaryColor: z.string(),
  accentColor: z.string(),
  phone: z.string(),
  lineId: z.string(),
  termsUrl: z.string(),
  privacyUrl: z.string(),
  stores: z.array(StoreViewSchema),
});
export type CardBrand = z.infer<typeof CardBrandSchema>;

/** One stamp card (集點卡, #16.1) as the card draws it: a grid of `stampsNeeded` stamps, `stamps` of them filled. */
export const StampCardViewSchema = z.object({
  /** null: no card yet (an empty card invites the first stamp). */
  id: z.string().nullable(),
  templateId: z.string(),
  name: z.string(),
  stampsNeeded: z.number(),
  stamps: z.number(),
  status: z.enum(['active', 'completed', 'not_started']),
  expiresAt: z.string().nullable(),
  validityDays: z.number().nullable(),
  /** Milestone rewards and the completion reward (`completion`), by stamp count; `given` on this card. */
  rewards: z.array(z.object({ at: z.number(), label: z.string(), given: z.boolean(), completion: z.boolean() })),
});
export type StampCardView = z.infer<typeof StampCardViewSchema>;

export const CardSchema = z.object({
  brand: CardBrandSchema,
  displayName: z.string(),
  pictureUrl: z.string().nullable(),
  memberCode: z.string(),
  pointsBalance: z.number(),
  soonestExpiring: z.object({ points: z.number(), expiresAt: z.string() }).nullable(),
  /** Shopping credit (購物金, NT$) and the soonest lot to expire (amount + ISO date). */
  credit: z.object({
    balance: z.number(),
    soonestExpiring: z.object({ amount: z.number(), expiresAt: z.string() }).nullable(),
  }),
  tier: TierSchema,
  activeCoupons: z.number(),
  /** The persona Q&A is not finished: the card invites the member to complete the profile. */
  profileIncomplete: z.boolean(),
  /** The member's stamp cards, one per active template (#16.1). */
  stampCards: z.array(StampCardViewSchema),
});
export type Card = z.infer<typeof CardSchema>;

// ---- 會員權益 (the program's rules, from the program settings) --------------------------------------------------

/** GET /benefits: what the member earns and how, as numbers; the page words them with shared/vocabulary. */
export const BenefitsSchema = z.object({
  brandName: z.string(),
  /** NT$ per point before the tier multiplier. */
  spendPerPoint: z.number(),
  expiry: z.object({ mode: z.enum(['end_of_next_year', 'months', 'never']), months: z.number() }),
  tiers: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      /** Rolling-12-month spend (NT$) that holds the tier. */
      minSpend: z.number(),
      multiplier: z.number(),
      /** Titles of the coupons given once a year on reaching the tier. */
      coupons: z.array(z.string()),
      /** Multipliers, the whole upgrade gift and the renewal rule, as the card lists them. */
      benefits: TierBenefitFactsSchema,
    }),
  ),
  birthday: z.object({
    enabled: z.boolean(),
    points: z.number(),
    coupon: z.string().nullable(),
    mode: z.enum(['day', 'month-first']),
  }),
  referral: z.object({
    enabled: z.boolean(),
    referrerPoints: z.number(),
    referrerCoupon: z.string().nullable(),
    refereePoints: z.number(),
    refereeCoupon: z.string().nullable(),
    minPurchaseAmount: z.number(),
  }),
  profileCompletionPoints: z.number(),
});
export type Benefits = z.infer<typeof BenefitsSchema>;

// ---- points history ----------------------------------------------------------------------------------------

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const PointsEntryViewSchema = z.object({
  id: z.string(),
  delta: z.number(),
  reason: z.string(),
  /** zh-TW words for the reason, e.g. 「消費回饋」. */
  reasonLabel: z.string(),
  note: z.string().nullable(),
  at: z.string(),
  expiresAt: z.string().nullable(),
  balanceAfter: z.number().nullable(),
});
export type PointsEntryView = z.infer<typeof PointsEntryViewSchema>;

export const PointsHistorySchema = z.object({
  items: z.array(PointsEntryViewSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  hasMore: z.boolean(),
});
export type PointsHistory = z.infer<typeof PointsHistorySchema>;

// ---- coupons -------------------------------------------------------------------------------------------------

export const CouponViewSchema = z.object({
  id: z.string(),
  /** What the QR/barcode encodes. */
  code: z.string(),
  /** The same code grouped for reading aloud or typing (K7QM-3XPA). */
  displayCode: z.string(),
  title: z.string(),
  terms: z.string(),
  /** e.g. 「折抵 NT$100」, 「9 折」 */
  valueLabel: z.string().nullable(),
  status: z.enum(['active', 'used', 'expired']),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  usedAt: z.string().nullable(),
  /** NT$ the order must reach for the coupon to apply (0: any order). */
  minSpend: z.number(),
  /** The stores where it can be used, by name (empty: every store). */
  stores: z.array(z.string()),
});
export type CouponView = z.infer<typeof CouponViewSchema>;

export const WalletSchema = z.object({
  active: z.array(CouponViewSchema),
  used: z.array(CouponViewSchema),
  expired: z.array(CouponViewSchema),
});
export type Wallet = z.infer<typeof WalletSchema>;

export const ExchangeOfferSchema = z.object({
  templateId: z.string(),
  title: z.string(),
  terms: z.string(),
  valueLabel: z.string().nullable(),
  pointsCost: z.number(),
  /** Days the coupon stays valid after the exchange, when the template says so. */
  validDays: z.number().nullable(),
  /** Fixed last day of validity, when the template has one. */
  validUntil: z.string().nullable(),
  affordable: z.boolean(),
  /** Why it cannot be exchanged now (zh-TW), null when it can. */
  unavailableReason: z.string().nullable(),
});
export type ExchangeOffer = z.infer<typeof ExchangeOfferSchema>;
export const ExchangeOffersSchema = z.object({ offers: z.array(ExchangeOfferSchema), pointsBalance: z.number() });
export type ExchangeOffers = z.infer<typeof ExchangeOffersSchema>;

export const ExchangeRequestSchema = z.object({
  templateId: objectIdSchema(),
  /** Generated by the page once per confirm dialog, so a double tap or a retry exchanges once. */
  requestId: z.string().regex(/^[\w-]{8,64}$/, '請重新操作一次'),
});
export type ExchangeRequest = z.infer<typeof ExchangeRequestSchema>;
export const ExchangeResultSchema = z.object({ coupon: CouponViewSchema, pointsBalance: z.number() });
export type ExchangeResult = z.infer<typeof ExchangeResultSchema>;

// ---- referral ------------------------------------------------------------------------------------------------

export const ReferralViewSchema = z.object({
  code: z.string(),
  link: z.string(),
  /** Ready-made zh-TW text for the share message. */
  shareText: z.string(),
  friendsJoined: z.number(),
  /** Friends whose first purchase earned this member a reward. */
  rewardsEarned: z.number(),
  pointsEarned: z.number(),
  /** Display name of whoever referred this member. */
  referredBy: z.string().nullable(),
  /** The member may still enter a friend's code. */
  canEnterCode: z.boolean(),
});
export type ReferralView = z.infer<typeof ReferralViewSchema>;

export const ApplyReferralRequestSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, '請輸入推薦碼')
    .max(32, '推薦碼太長')
    .transform((c) => c.toUpperCase()),
});
export type ApplyReferralRequest = z.input<typeof ApplyReferralRequestSchema>;

// ---- profile and privacy -------------------------------------------------------------------------------------

export const ProfileSchema = z.object({
  displayName: z.string(),
  name: z.string().nullable(),
  gender: z.string().nullable(),
  birthday: z.string().nullable(),
  city: z.string().nullable(),
  email: z.string().nullable(),
  /** Masked (e.g. 0912***678): the full number never travels back to the page. */
  phoneMasked: z.string().nullable(),
  preferences: z.record(z.string(), z.string()),
  consent: z.object({
    status: z.enum(['pending', 'accepted', 'declined']),
    marketing: z.boolean(),
    at: z.string().nullable(),
  }),
  personaCompleted: z.boolean(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** One editable field of the profile form, described by the server from the persona script. */
export const ProfileFieldSchema = z.object({
  /** The persona question id; answers are sent under this key. */
  key: z.string(),
  label: z.string(),
  /** `multi`: several options, sent as option ids joined by commas. `text` may come with `suggestions`. */
  /** `phone`: a Taiwan mobile, checked by the server (domain/shared/phone.ts) like the chat's answer. */
  kind: z.enum(['text', 'date', 'choice', 'multi', 'email', 'phone']),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  suggestions: z.array(z.string()).optional(),
  placeholder: z.string().optional(),
  /** The current answer in the form's terms (option id(s) for choices, the text or YYYY-MM-DD otherwise). */
  value: z.string(),
  /** The current answer as the member reads it (option labels). */
  display: z.string(),
  /** Shown but not editable by the member (a birthday once set: only staff change it); `hint` says why. */
  locked: z.boolean().optional(),
  hint: z.string().optional(),
});
export type ProfileField = z.infer<typeof ProfileFieldSchema>;
export const ProfileResponseSchema = z.object({ profile: ProfileSchema, fields: z.array(ProfileFieldSchema) });
export type ProfileResponse = z.infer<typeof ProfileResponseSchema>;

/** Keys → raw values as typed; each is validated by the persona script's own validator on the server. */
export const ProfileUpdateSchema = z.object({ answers: z.record(z.string(), z.string().max(200)) });
export type ProfileUpdate = z.infer<typeof ProfileUpdateSchema>;

export const ConsentUpdateSchema = z.object({ marketing: z.boolean() });
export type ConsentUpdate = z.infer<typeof ConsentUpdateSchema>;

/** POST /privacy/export-link: a page with my data (and its JSON), openable for a few minutes without logging in. */
export interface DataExportLink {
  url: string;
  expiresAt: string;
}

export const DeleteMyDataRequestSchema = z.object({ confirm: z.literal(true, { message: '請先確認要刪除資料' }) });

// ---- errors --------------------------------------------------------------------------------------------------

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: { fields?: Array<{ path: string; message: string }>; addFriendUrl?: string };
  };
}
