/**
 * The marketer-authored documents the console edits and the server validates: segment rules, campaigns, the
 * persona script and the program settings. Plain types (the console imports them type-only); the server's zod
 * schemas in domain/ are checked to produce exactly these in api/console/presenters/contract-checks.ts.
 */

// ---- segment rules -----------------------------------------------------------------------------------------

export type NumericOp = 'gte' | 'lte' | 'eq' | 'between';
interface NumericCondition<F extends string> {
  field: F;
  op: NumericOp;
  value?: number;
  min?: number;
  max?: number;
}
interface RecencyCondition<F extends string> {
  field: F;
  op: 'withinDays' | 'notWithinDays';
  days: number;
}

export type Gender = 'female' | 'male' | 'other' | 'undisclosed';
export type AgeBand = '<18' | '18-24' | '25-34' | '35-44' | '45-54' | '55-64' | '65+';
export type RfmSegmentName =
  '冠軍顧客' | '忠誠顧客' | '潛力顧客' | '新顧客' | '需要關注' | '流失風險' | '沉睡顧客' | '一般顧客';

/** One condition of a segment rule over a closed list of member attributes. */
export type SegmentCondition =
  | { field: 'gender'; op: 'in'; values: Gender[] }
  | { field: 'ageBand'; op: 'in'; values: AgeBand[] }
  | NumericCondition<'age'>
  | { field: 'city'; op: 'in' | 'notIn'; values: string[] }
  | { field: 'birthMonth'; op: 'in'; values: number[] }
  | { field: 'tags'; op: 'hasAny' | 'hasAll' | 'hasNone'; values: string[] }
  | { field: 'rfmSegment'; op: 'in' | 'notIn'; values: RfmSegmentName[] }
  | NumericCondition<'rfmR'>
  | NumericCondition<'rfmF'>
  | NumericCondition<'rfmM'>
  | NumericCondition<'purchaseCount'>
  | NumericCondition<'totalSpend'>
  | NumericCondition<'pointsBalance'>
  | { field: 'lastPurchase'; op: 'withinDays' | 'notWithinDays' | 'never' | 'ever'; days?: number }
  | RecencyCondition<'lastInteraction'>
  | RecencyCondition<'joined'>
  | { field: 'personaCompleted'; op: 'is'; value: boolean }
  | { field: 'tier'; op: 'in' | 'notIn'; values: string[] }
  | {
      field: 'bought';
      kind: BoughtKind;
      op: 'bought' | 'notBought';
      values: string[];
      days?: number;
    }
  | { field: 'crossSell'; kind: BoughtKind; bought: string[]; notBought: string[]; days?: number }
  | NumericCondition<'orders'>
  | NumericCondition<'aov'>
  | NumericCondition<'ltv'>
  | {
      field: 'firstPurchase';
      op: 'withinDays' | 'notWithinDays' | 'between';
      days?: number;
      from?: string;
      to?: string;
    }
  | NumericCondition<'daysSinceLastPurchase'>
  | NumericCondition<'satisfaction'>
  | {
      field: 'message';
      source: 'campaign' | 'journey';
      id: string;
      stepId?: string;
      op: 'received' | 'notReceived' | 'clicked' | 'notClicked';
    }
  | { field: 'coupon'; op: 'hasActive' | 'hasUsed' | 'hasExpired' | 'hasNone' | 'neverUsed'; templateId?: string };

/** What a purchase condition looks at: a product category, a SKU or a store. */
export type BoughtKind = 'category' | 'sku' | 'store';

/** A tree of AND/OR groups; the root group is the whole rule. */
export interface SegmentGroup {
  op: 'and' | 'or';
  conditions: Array<SegmentCondition | SegmentGroup>;
}

// ---- campaigns ---------------------------------------------------------------------------------------------

/** A flex bubble in outline (LINE's own validator checks the rest). */
export type FlexBubble = { type: 'bubble'; [key: string]: unknown };

/** A safe subset of LINE message objects. */
export type CampaignMessage =
  | { type: 'text'; text: string }
  | { type: 'image'; originalContentUrl: string; previewImageUrl: string }
  | {
      type: 'flex';
      altText: string;
      contents: FlexBubble | { type: 'carousel'; contents: FlexBubble[]; [key: string]: unknown };
    };

export type CampaignAudience =
  { type: 'segment'; segmentId: string } | { type: 'rule'; rule: SegmentGroup } | { type: 'all' };

/** `at` and `startAt` are ISO instants. */
export type CampaignSchedule = { type: 'once'; at: string } | { type: 'recurring'; cron: string; startAt?: string };

export interface CampaignOptions {
  frequencyCap: { maxPerWindow: number; windowDays: number } | null;
  quietHours: { enabled: boolean; start: string; end: string };
  endAt: string | null;
  onQuotaShortfall: 'hold' | 'send_partial';
  attributionDays: number;
  linkTracking: 'link' | 'member';
  /** UTM parameters on outbound links; `campaign` empty: a slug from the name. */
  utm: { enabled: boolean; campaign: string };
}

/** An A/B test: 2–4 variants (A, B, …) with their share in percent (summing to 100) and the winner's metric. */
export interface CampaignAbTest {
  metric: 'click_rate' | 'purchase_rate';
  variants: Array<{ share: number; messages: CampaignMessage[] }>;
}

/** The body of POST/PUT /campaigns and POST /campaigns/estimate (omitted fields take the server's defaults). */
export interface CampaignRequest {
  name: string;
  description?: string;
  audience: CampaignAudience;
  /** With `ab`, ignored: the stored messages are variant A's. */
  messages: CampaignMessage[];
  ab?: CampaignAbTest | null;
  coupon?: { templateId: string } | null;
  schedule: CampaignSchedule;
  options?: Partial<CampaignOptions>;
  /** Save without scheduling (a draft is never sent). */
  draft?: boolean;
}

// ---- persona script ----------------------------------------------------------------------------------------

export type PersonaField =
  | 'gender'
  | 'birthday'
  | 'city'
  | 'name'
  | 'email'
  | 'phone'
  | 'preferences.priceSensitivity'
  | 'preferences.promotionType'
  | 'preferences.contactTime';

export interface PersonaOption {
  id: string;
  label: string;
  value?: string;
  aliases: string[];
  keywords: string[];
  tags: string[];
  askText: boolean;
  textPattern?: string;
  textPrompt?: string;
}

interface PersonaQuestionBase {
  id: string;
  title?: string;
  prompt: string;
  skippable: boolean;
  invalidMessage?: string;
}

export type PersonaQuestion =
  | (PersonaQuestionBase & { type: 'single'; field?: PersonaField; options: PersonaOption[] })
  | (PersonaQuestionBase & { type: 'multi'; options: PersonaOption[]; maxSelections?: number })
  | (PersonaQuestionBase & {
      type: 'date';
      field?: PersonaField;
      notFuture: boolean;
      minDate: string;
      maxDate?: string;
      initial: string;
    })
  | (PersonaQuestionBase & {
      type: 'text';
      field?: PersonaField;
      validator: {
        kind: 'any' | 'email' | 'pattern' | 'phone';
        pattern?: string;
        minLength: number;
        maxLength: number;
      };
    })
  | (PersonaQuestionBase & { type: 'number'; min: number; max: number; integer: boolean; unit?: string });

export interface PersonaScript {
  intro: string;
  completion: string;
  questions: PersonaQuestion[];
}

// ---- program settings --------------------------------------------------------------------------------------

export interface ProgramTier {
  code: string;
  label: string;
  minSpend: number;
  multiplier: number;
  /** Multiplier on the birthday gift points and credit for this tier (1 = the plain gift). */
  birthdayMultiplier: number;
  /** Coupons of the upgrade gift (升等禮), once per tier per member per calendar year. */
  couponTemplateIds: string[];
  /** The rest of the upgrade gift: points and 購物金 (NT$, valid `creditValidDays` days). */
  gift: { points: number; credit: number; creditValidDays: number };
  /** Renewal (保級): the 12-month spend that keeps the tier at the yearly review; null = the tier's threshold. */
  keepSpend: number | null;
}
export interface ProgramReward {
  points: number;
  couponTemplateId: string | null;
}

export interface BrandStore {
  id: string;
  name: string;
  address: string;
  hours: string;
  mapUrl: string;
}
/** Brand settings (admin): the card, the console header, flex templates and rich menus show them. */
export interface BrandSettings {
  name: string;
  /** An uploaded logo (`/brand/logo/<id>.png`, served by us) or an https URL; '' = none. */
  logoUrl: string;
  primaryColor: string;
  accentColor: string;
  phone: string;
  lineId: string;
  termsUrl: string;
  privacyUrl: string;
  stores: BrandStore[];
}

/** The card's names for the same shapes. */
export type ProgramBrand = BrandSettings;
export type ProgramStore = BrandStore;

export interface ProgramSettings {
  brand: BrandSettings;
  earn: { spendPerPoint: number };
  tiers: ProgramTier[];
  /** The yearly tier review: days before it that members who would drop are warned (0 = no warning). */
  tierReview: { warnDaysBefore: number };
  expiry: { mode: 'end_of_next_year' | 'months' | 'never'; months: number; warnDaysBefore: number };
  referral: {
    enabled: boolean;
    referrerReward: ProgramReward;
    refereeReward: ProgramReward;
    minPurchaseAmount: number;
    entryWindowDays: number;
    maxRewardsPerReferrer: number;
  };
  personaCompletionPoints: number;
  birthday: {
    enabled: boolean;
    points: number;
    couponTemplateId: string | null;
    mode: 'day' | 'month-first';
    sendTime: string;
  };
  survey: { enabled: boolean; delayHours: number; question: string; minDaysBetween: number };
  /** Months of member timeline kept (older rows archived, then deleted nightly); null = 永久保留. */
  journeys: { transactionalWithoutConsent: boolean };
  retention: { interactionsMonths: 12 | 24 | 36 | null };
  /** The 1:1 inbox: opening hours Sunday first (null = closed that day) and the bot's automatic resume. */
  inbox: { openingHours: Array<{ open: string; close: string } | null>; autoResumeHours: number };
  /** The counter (#16.5): manual points caps per role, and when an amount counts as unusual. */
  counter: { staffPointsCap: number; marketerPointsCap: number; unusualMultiplier: number; unusualFloor: number };
  /** Shopping credit (購物金, #16.2): gifts, validity days, per-order caps, manual-grant caps by role. */
  credit: {
    birthdayAmount: number;
    birthdayValidDays: number;
    referralAmount: number;
    referralValidDays: number;
    refundAsCredit: boolean;
    refundValidDays: number;
    maxPerOrder: number | null;
    maxPercentOfOrder: number;
    manualGrantCap: { staff: number; marketer: number; admin: number };
    manualValidDays: number;
  };
  /** Paying with points (點數折抵, #16.3): points per NT$1, the per-order cap (% of the order), what counts as spend. */
  pointsPayment: { enabled: boolean; pointsPerNtd: number; maxPercentOfOrder: number; spendBasis: 'net' | 'gross' };
}

/**
 * GET /settings/tier-journey-gifts: active tier-upgrade journeys that give something of their own besides the tier's
 * upgrade gift (a double gift the settings page points out).
 */
export interface TierJourneyGiftsResponse {
  journeys: Array<{ journeyId: string; name: string; tier: string | null; gifts: string[] }>;
}

/** PUT /settings/program: any top-level section, itself partial except `tiers` (replaced whole). */
export type ProgramSettingsPatch = {
  [K in keyof ProgramSettings]?: ProgramSettings[K] extends unknown[]
    ? ProgramSettings[K]
    : Partial<ProgramSettings[K]>;
};
