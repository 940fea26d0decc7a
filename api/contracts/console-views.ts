import type {
  CampaignAbTest,
  CampaignAudience,
  CampaignMessage,
  CampaignOptions,
  CampaignSchedule,
  PersonaScript,
  ProgramSettings,
  SegmentGroup,
} from './console-programs';
import type { OrderPaymentRules } from '../../shared/order-payment';

/**
 * What /api/console/* answers, as it travels: instants are ISO 8601 strings, ids are strings. The presenters in
 * api/console/presenters/ map the domain's results to these types (the compiler checks each mapping).
 */

/** An ISO 8601 instant, e.g. `2025-05-20T02:00:00.000Z`. */
export type IsoInstant = string;

// ---- staff -------------------------------------------------------------------------------------------------

export const CONSOLE_ROLES = ['admin', 'marketer', 'staff'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export type Permission =
  | 'members.read'
  | 'members.write'
  | 'members.import'
  | 'members.export'
  | 'counter'
  | 'counter.any-store'
  | 'points.adjust'
  | 'points.approve'
  | 'segments'
  | 'campaigns'
  | 'coupons.manage'
  | 'coupons.reverse'
  | 'purchases.refund'
  | 'stamps.manage'
  | 'reports'
  | 'settings'
  | 'replies'
  | 'users'
  | 'api-keys'
  | 'audit.read'
  | 'inbox';

/** A console user as the console sees it (never the hash). */
export interface ConsoleUserView {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  status: 'active' | 'disabled';
  lineUserId?: string;
  storeId?: string;
  lastLoginAt?: IsoInstant;
  createdAt?: IsoInstant;
}

/** 帳號管理's list: each account with its sign-in lock (some IP locked out right now), if any. */
export interface ConsoleUserRow extends ConsoleUserView {
  signInLock: { ips: number; until: IsoInstant } | null;
}

export interface SessionResponse {
  user: ConsoleUserView;
  permissions: Permission[];
  csrfToken: string;
  mode: 'local' | 'production';
  /** The program's time zone (IANA, e.g. Asia/Taipei): the console shows every date and time in it. */
  timeZone: string;
  /** The brand the console header shows (name, logo, colour) and new flex cards wear (both colours). */
  brand?: { name: string; logoUrl: string; primaryColor: string; accentColor: string };
}

export interface AuditEntryView {
  id: string;
  at: IsoInstant;
  actorId: string;
  actorName?: string;
  actorRole?: string;
  action: string;
  target?: { type: string; id?: string; label?: string };
  details: Record<string, unknown>;
  ip?: string;
}

/** One page of the audit log, newest first; `nextCursor` asks for the next page (null: this is the last). */
export interface AuditPage {
  entries: AuditEntryView[];
  nextCursor: string | null;
}

/** POST /api-keys: the plaintext key, shown once. */
export interface CreatedApiKey {
  id: string;
  key: string;
  source: string;
}
export interface IntegrationKeyView {
  id: string;
  name: string;
  source: string;
  prefix: string;
  createdAt: IsoInstant | null;
  lastUsedAt: IsoInstant | null;
  revokedAt: IsoInstant | null;
}

// ---- members -----------------------------------------------------------------------------------------------

export interface MemberListRow {
  id: string;
  memberCode: string;
  displayName: string;
  name?: string;
  /** Masked (`0912***678`); only the CSV export carries full numbers. */
  phoneMasked?: string;
  pictureUrl?: string;
  status: string;
  tier: string;
  pointsBalance: number;
  tags: string[];
  marketingConsent: boolean;
  rfmSegment?: string;
  purchaseCount: number;
  totalSpend: number;
  lastInteractionAt?: IsoInstant;
  createdAt?: IsoInstant;
}

export interface MemberPage {
  rows: MemberListRow[];
  total: number;
  page: number;
  pageSize: number;
}
export interface ExportFields {
  fields: Array<{ key: string; label: string; importable: boolean }>;
  defaults: string[];
}

export interface MemberNoteView {
  id: string;
  body: string;
  authorId: string;
  authorName?: string;
  at: IsoInstant;
}

export interface TierStatus {
  code: string;
  label: string;
  multiplier: number;
  /** ISO date the member reached this tier, if known. */
  since: string | null;
  rollingSpend: number;
  next: { code: string; label: string; spendNeeded: number } | null;
}

export interface ReferralSummary {
  code: string;
  link: string;
  friendsJoined: number;
  rewardsEarned: number;
  pointsEarned: number;
  referredBy: { id: string; displayName: string } | null;
}

export type CouponState = 'active' | 'used' | 'expired' | 'void';
export type CouponKind = 'amount' | 'percent' | 'gift';

export interface CouponView {
  id: string;
  templateId: string;
  code: string;
  /** `K7QM-3XPA`. */
  displayCode: string;
  title: string;
  terms: string;
  kind: CouponKind;
  value: number;
  giftName: string | null;
  valueLabel: string;
  minSpend: number;
  storeIds: string[];
  state: CouponState;
  source: string;
  issuedAt: IsoInstant;
  validFrom: IsoInstant;
  validUntil: IsoInstant;
  usedAt: IsoInstant | null;
  usedStoreId: string | null;
}

export interface Wallet {
  active: CouponView[];
  used: CouponView[];
  expired: CouponView[];
}

/** Everything the member page shows at once (the timeline and the ledger are paged separately). */
export interface MemberDetail {
  id: string;
  memberCode: string;
  lineUserId?: string;
  displayName: string;
  pictureUrl?: string;
  status: string;
  profile: {
    name?: string;
    /** Masked (`0912***678`). */
    phoneMasked?: string;
    email?: string;
    gender?: string;
    birthday?: string;
    city?: string;
    preferences: Record<string, string>;
  };
  /** 「可能是同一人」 (#16.6): the phone this LINE member gave is on the imported record `importedId` (masked). */
  phoneProposal?: { status: 'proposed' | 'dismissed'; phoneMasked: string; importedId: string };
  consent: { status: string; marketing: boolean; at?: IsoInstant; version?: string };
  persona: { startedAt?: IsoInstant; completedAt?: IsoInstant };
  stats: {
    purchaseCount: number;
    totalSpend: number;
    averageOrder: number;
    firstPurchaseAt?: IsoInstant;
    lastPurchaseAt?: IsoInstant;
  };
  rfm?: { r?: number; f?: number; m?: number; segment?: string; rule?: string; scoredAt?: IsoInstant };
  satisfaction?: { lastScore?: number; lastComment?: string; at?: IsoInstant };
  points: { balance: number; soonestExpiring: { points: number; expiresAt: IsoInstant } | null };
  tier: TierStatus;
  referral: ReferralSummary;
  tags: Array<{ tag: string; source: string; addedAt: IsoInstant; addedBy?: string }>;
  wallet: Wallet;
  notes: MemberNoteView[];
  followedAt?: IsoInstant;
  blockedAt?: IsoInstant;
  lastInteractionAt?: IsoInstant;
  createdAt?: IsoInstant;
}

export interface TimelineItem {
  id: string;
  type: string;
  channel: string;
  summary: string;
  at: IsoInstant;
  refs: Record<string, unknown>;
}
/** One page of the timeline, newest first; `nextCursor` asks for the next page (null: this is the last). */
export interface TimelinePage {
  items: TimelineItem[];
  nextCursor: string | null;
}

export interface PointsHistoryItem {
  id: string;
  delta: number;
  reason: string;
  reasonLabel: string;
  note: string | null;
  balanceAfter: number | null;
  at: IsoInstant;
  expiresAt: IsoInstant | null;
  actor: string;
}
export interface PointsHistoryPage {
  items: PointsHistoryItem[];
  total: number;
  page: number;
  pageSize: number;
  balance: number;
}
/** The member page's 購物金 card (#16.2): balance, soonest expiry and the ledger, newest first. */
export interface CreditHistoryPage {
  balance: number;
  soonestExpiring: { amount: number; expiresAt: IsoInstant } | null;
  items: Array<{
    id: string;
    delta: number;
    reason: string;
    note: string | null;
    at: IsoInstant;
    expiresAt: IsoInstant | null;
  }>;
  total: number;
  page: number;
  pageSize: number;
}
export interface PointsAdjustResult {
  balance: number;
  duplicate: boolean;
  entryId: string;
  /** Set when the adjustment was over the requester's cap (#16.5): held for an admin, nothing changed (HTTP 202). */
  pendingApproval?: PointsApprovalView;
}
/** A manual adjustment over the requester's cap, waiting for (or decided by) an admin (#16.5). */
export interface PointsApprovalView {
  id: string;
  /** Which ledger the held adjustment moves: points, or 購物金 in NT$. */
  kind: 'points' | 'credit';
  expiresAt: IsoInstant | null;
  memberId: string;
  delta: number;
  reason: string;
  cap: number;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: { id: string; name: string | null; role: string | null };
  requestedAt: IsoInstant;
  decidedBy: { id: string; name: string | null } | null;
  decidedAt: IsoInstant | null;
  decisionNote: string | null;
}

/** 「可能是同一人」 (#16.6): a LINE member whose phone is on an imported record, waiting for staff. */
export interface PhoneProposalView {
  memberId: string;
  memberCode: string;
  displayName: string;
  /** Masked (`0912***678`). */
  phoneMasked: string;
  at: IsoInstant;
  imported: { id: string; memberCode: string; name: string | null; phoneMasked: string; pointsBalance: number } | null;
}
export interface PhoneProposalList {
  total: number;
  items: PhoneProposalView[];
}

export interface MergeMemberSummary {
  id: string;
  memberCode: string;
  displayName: string;
  name: string | null;
  /** Masked (`0912***678`). */
  phoneMasked: string | null;
  status: string;
  pointsBalance: number;
  purchaseCount: number;
}
/** Member fields whose conflicting value the marketer may take from the imported member. */
export const MERGE_FIELD_CHOICES = [
  'name',
  'email',
  'gender',
  'birthday',
  'city',
  'preferences.priceSensitivity',
  'preferences.promotionType',
  'preferences.contactTime',
  'notes',
] as const;
export type MergeFieldChoice = (typeof MERGE_FIELD_CHOICES)[number];
export interface MergeFieldRow {
  key: MergeFieldChoice;
  label: string;
  source: string | null;
  target: string | null;
  conflict: boolean;
  action: 'fill' | 'keep' | 'none';
}
export interface MergePreview {
  target: MergeMemberSummary;
  source: MergeMemberSummary;
  fields: MergeFieldRow[];
  tagsToAdd: string[];
  moves: { purchases: number; coupons: number; interactions: number; notes: number; surveys: number; points: number };
  phoneMoves: boolean;
}
export interface MergeResult {
  targetId: string;
  sourceId: string;
  alreadyMerged: boolean;
  pointsMoved: number;
  moved: MergePreview['moves'];
  tagsAdded: string[];
  fieldsSet: string[];
}

// ---- imports -----------------------------------------------------------------------------------------------

export type ImportStatus = 'uploaded' | 'validated' | 'running' | 'done' | 'failed';

export interface ImportJobView {
  id: string;
  fileName: string;
  status: ImportStatus;
  encoding?: string;
  createdBy: string;
  createdByName?: string;
  createdAt?: IsoInstant;
  headers: string[];
  sampleRows: string[][];
  rowCount: number;
  mapping: Record<string, string>;
  onError: 'skip' | 'abort';
  errors: Array<{ line: number; field: string; value?: string; reason: string }>;
  errorCount: number;
  /** Optional fields dropped from rows that are still imported (#17.6). */
  warnings?: Array<{ line: number; field: string; value?: string; reason: string }>;
  warningCount?: number;
  counts: { valid: number; invalid: number; created: number; updated: number; unchanged: number };
  progress: { processed: number; total: number };
  planned?: { create: number; update: number; unchanged: number };
  startedAt?: IsoInstant;
  finishedAt?: IsoInstant;
  /** While running: the claim's expiry. A running job past it was interrupted and can be started again (resumes). */
  leaseUntil?: IsoInstant;
  failure?: string;
  fields: Array<{ key: string; label: string }>;
}

export interface ImportPreviewRow {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  memberCode?: string;
  values: Record<string, unknown>;
  changed: string[];
  reason?: string;
  /** Optional fields this row is imported without. */
  warnings?: string[];
}

// ---- counter -----------------------------------------------------------------------------------------------

export interface CounterMember {
  id: string;
  memberCode: string;
  displayName: string;
  name?: string;
  phoneMasked?: string;
  status: string;
  pointsBalance: number;
  /** Shopping credit (NT$) and the per-order rules of paying with credit and points (the counter's form). */
  creditBalance: number;
  payment: OrderPaymentRules;
  tier: TierStatus;
  activeCoupons: CouponView[];
}

export type CounterLookup =
  { kind: 'member'; member: CounterMember } | { kind: 'coupon'; coupon: CouponView; member: CounterMember | null };
export interface RedemptionView {
  coupon: CouponView;
  member: { id: string; memberCode: string; displayName: string } | null;
}
/** GET /counter/today (#16.5): the store's transactions of the Taipei day, newest first. */
export interface CounterTodayRow {
  kind: 'purchase' | 'redemption' | 'adjustment';
  id: string;
  at: IsoInstant;
  member: { id: string; memberCode: string; name: string } | null;
  label: string;
  amount: number | null;
  points: number | null;
  status: 'done' | 'voided' | 'refunded' | 'pending' | 'rejected';
  canVoid: boolean;
  canUndo: boolean;
}
export interface CounterToday {
  storeId: string;
  date: string;
  rows: CounterTodayRow[];
}
/** POST /counter/redeem (#16.5): the redemption, the purchase recorded with it, and the staff's undo deadline. */
export interface CounterRedeemResult extends RedemptionView {
  purchase: PurchaseResult | null;
  undoUntil: IsoInstant | null;
}

/** GET /members/:id/purchases: one order on the member page, with what can still be refunded (#16). */
export interface MemberPurchaseRow {
  id: string;
  orderId: string;
  source: string;
  at: IsoInstant;
  storeId: string | null;
  grossAmount: number;
  creditUsed: number;
  pointsUsed: number;
  netPaid: number;
  pointsEarned: number;
  status: 'completed' | 'partially_refunded' | 'refunded';
  voided: boolean;
  /** NT$ of the order's total not yet refunded (0 when refunded in full or voided). */
  refundable: number;
  refunds: Array<{
    refundId: string;
    amount: number;
    creditReturned: number;
    pointsReturned: number;
    at: IsoInstant | null;
  }>;
}
export interface MemberPurchasePage {
  items: MemberPurchaseRow[];
  total: number;
  page: number;
  pageSize: number;
  /** The program lets a refund be given back as 購物金 (settings `credit.refundAsCredit`). */
  refundAsCredit: boolean;
}
/** POST /purchases/:id/refund: what the refund gave back and the order as it now stands. */
export interface PurchaseRefundResult {
  refund: {
    amount: number;
    status: 'completed' | 'partially_refunded' | 'refunded';
    pointsReversed: number;
    pointsShortfall: number;
    creditReturned: number;
    pointsReturned: number;
    creditGranted: number;
    pointsBalance: number;
    creditBalance: number;
    replayed: boolean;
  };
  purchase: MemberPurchaseRow;
}

export interface PurchaseResult {
  purchaseId: string;
  source: string;
  orderId: string;
  memberId: string;
  memberCode: string;
  amount: number;
  grossAmount: number;
  creditUsed: number;
  pointsUsed: number;
  pointsValue: number;
  netPaid: number;
  creditBalance: number;
  at: IsoInstant;
  pointsEarned: number;
  multiplier: number;
  pointsBalance: number;
  tier: { code: string; label: string; upgraded: boolean };
  referralCompleted: boolean;
  replayed: boolean;
}

// ---- reports -----------------------------------------------------------------------------------------------

export interface FunnelStage {
  key: string;
  label: string;
  count: number;
  reached: number;
  ofTop: number;
  ofPrevious: number;
}
export interface FunnelCohort {
  month: string;
  counts: Record<string, number>;
}
export interface FunnelReport {
  stages: FunnelStage[];
  cohorts: FunnelCohort[];
  from?: IsoInstant;
  to?: IsoInstant;
}

export interface RfmOverview {
  lastRun: {
    at: IsoInstant;
    windowDays: number;
    scored: number;
    unscored: number;
    cuts: { r: number[]; f: number[]; m: number[] };
    grid: number[][];
  } | null;
  segments: Array<{ name: string; rule: string; description: string; count: number; share: number }>;
}
export interface RfmRunSummary {
  at: IsoInstant;
  windowDays: number;
  scored: number;
  unscored: number;
  segments: Record<string, number>;
}

export interface ActiveCouponRow {
  templateId: string;
  title: string;
  valueLabel: string;
  active: number;
  expiringIn7Days: number;
  issued: number;
  used: number;
  redemptionRate: number;
}
export interface CampaignResultRow {
  id: string;
  name: string;
  status: string;
  statusLabel: string;
  lastRunAt: IsoInstant | null;
  nextRunAt: IsoInstant | null;
  audience: number;
  sent: number;
  failed: number;
  clicks: number;
  couponRedemptions: number;
  attributedRevenue: number;
  attributedPurchases: number;
}
export interface MemberKpis {
  members: number;
  following: number;
  blocked: number;
  consented: number;
  /** Imported people who consented to marketing but have not followed (not in the funnel). */
  consentedGuests: number;
  active30d: number;
  new30d: number;
}
export interface RevenueFigures {
  revenue: number;
  orders: number;
  aov: number;
  newRevenue: number;
  newOrders: number;
  returningRevenue: number;
  returningOrders: number;
}
/** The revenue dashboard (domain/reports/revenue.ts); every figure's label and definition in `definitions`. */
export interface RevenueReport {
  months: Array<RevenueFigures & { month: string }>;
  stores: Array<RevenueFigures & { month: string; storeId: string | null }>;
  totals: RevenueFigures;
  buyers: number;
  repeatBuyers: number;
  repeatRate: number;
  pointsLiability: number;
  creditLiability: number | null;
  coupons: Array<{
    templateId: string;
    title: string;
    used: number;
    cost: number | null;
    revenue: number;
    withOrder: number;
    returnRatio: number | null;
  }>;
  journeys: Array<{ id: string; name: string; goals: number; revenue: number }>;
  definitions: Record<string, { label: string; definition: string }>;
}
export interface DashboardResponse {
  kpis: MemberKpis;
  revenue: RevenueReport;
  funnel: FunnelReport;
  rfm: RfmOverview;
  campaigns: CampaignResultRow[];
  coupons: ActiveCouponRow[];
}

// ---- segments ----------------------------------------------------------------------------------------------

export interface SegmentView {
  id: string;
  name: string;
  description: string;
  rule: SegmentGroup;
  ruleText: string;
  lastCount: number | null;
  lastCountAt: IsoInstant | null;
  createdBy: string;
  updatedBy: string | null;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
}

/** What the rule builder offers: fields with zh-TW labels and the values to pick from. */
export interface RuleMeta {
  fields: Record<string, string>;
  genders: Array<{ value: string; label: string }>;
  ageBands: readonly string[];
  rfmSegments: readonly string[];
  tiers: Array<{ code: string; label: string }>;
  couponTemplates: Array<{ id: string; title: string }>;
  tags: string[];
  /** The cities members live in, in their stored spelling (台北市), for the city condition's suggestions. */
  cities?: string[];
  /** What a purchase condition looks at (商品類別 / 商品 / 門市), from the rule language's vocabulary. */
  boughtKinds?: Record<string, string>;
  /** Purchase and message conditions' suggestions (domain/segments/rule-suggestions.service.ts). */
  categories?: string[];
  products?: Array<{ sku: string; name: string; category: string | null }>;
  stores?: Array<{ id: string; name: string }>;
  campaigns?: Array<{ id: string; name: string }>;
  journeys?: Array<{ id: string; name: string; steps: Array<{ id: string; type: string }> }>;
}

export interface AudienceCount {
  count: number;
  ruleText: string;
}

// ---- campaigns ---------------------------------------------------------------------------------------------

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'held', 'completed', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CampaignRunView {
  occurrence: string;
  plannedAt: IsoInstant;
  status: string;
  matched: number;
  audience: number;
  sent: number;
  failed: number;
  skipped: Record<string, number>;
  heldReason: string | null;
  /** zh-TW summary of why batches failed. */
  error: string | null;
  /** LINE's own 400 answer when it refused the messages. */
  lineError: LineRejectionView | null;
  startedAt: IsoInstant | null;
  completedAt: IsoInstant | null;
}

/** LINE's 400 body: its message and, per property, what it refused. */
export interface LineRejectionView {
  message: string;
  details: Array<{ property: string; message: string }>;
}

export interface CampaignView {
  id: string;
  name: string;
  description: string;
  status: CampaignStatus;
  statusLabel: string;
  audience: CampaignAudience;
  messages: CampaignMessage[];
  ab: CampaignAbTest | null;
  coupon: { templateId: string } | null;
  schedule: CampaignSchedule;
  options: CampaignOptions;
  nextRunAt: IsoInstant | null;
  deferredUntil: IsoInstant | null;
  heldReason: string | null;
  /** Why the campaign failed (LINE refused its messages), in zh-TW; LINE's own answer in `lineError`. */
  failedReason: string | null;
  lineError: LineRejectionView | null;
  lastRunAt: IsoInstant | null;
  links: Array<{ id: string; url: string; variant?: string }>;
  createdBy: string;
  updatedBy: string | null;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
  cancelledAt: IsoInstant | null;
  runs: CampaignRunView[];
}

export interface CampaignPage {
  items: CampaignView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CampaignEstimate {
  audience: number;
  quota: { limit: number | null; used: number; remaining: number | null } | null;
  wouldExceed: boolean;
}
/** Who a campaign test may go to: the test-recipient list (settings); `mine` = the caller's own linked LINE. */
export interface TestRecipients {
  recipients: Array<{ lineUserId: string; label: string; mine: boolean }>;
}
export interface TestSendResponse {
  ok: true;
  lineUserId: string;
  label: string;
}
/** A test recipient as 設定 lists it. */
export interface TestRecipientWire {
  id: string;
  lineUserId: string;
  label: string;
  source: 'linked' | 'admin';
  consoleUserId?: string;
  createdAt?: IsoInstant;
}
/** A one-time LINE link code: `message` is what to type in the chat. */
export interface LineLinkCodeResponse {
  code: string;
  message: string;
  expiresAt: IsoInstant;
}

export interface CampaignStats {
  campaignId: string;
  matched: number;
  audience: number;
  sent: number;
  failed: number;
  pending: number;
  cancelled: number;
  skipped: Record<string, number>;
  clicks: number;
  uniqueClickers: number;
  links: Array<{ id: string; url: string; clicks: number; variant?: string }>;
  couponsIssued: number;
  couponRedemptions: number;
  attributionDays: number;
  attributedPurchases: { count: number; buyers: number; revenue: number };
  /** The A/B test per variant and its verdict (`winner` null: no clear difference yet, with why). */
  ab: {
    metric: 'click_rate' | 'purchase_rate';
    definition: string;
    rule: string;
    variants: Array<{
      variant: string;
      share: number;
      sent: number;
      clicks: number;
      uniqueClickers: number;
      clickRate: number;
      buyers: number;
      purchases: number;
      revenue: number;
      purchaseRate: number;
    }>;
    verdict:
      { winner: string; reason: 'significant' } | { winner: null; reason: 'too_few' | 'tied' | 'not_significant' };
  } | null;
  /**
   * LINE's figures (insight API, the campaign's aggregation unit): delivered = recipients LINE accepted; unique
   * impressions and clicks null when LINE gives none (fewer than 20 people); `available` false when LINE failed.
   */
  line: {
    unit: string;
    available: boolean;
    delivered: number;
    uniqueImpression: number | null;
    uniqueClick: number | null;
    period: { from: string; to: string };
  } | null;
}

/** GET /campaigns/:id/preview: the final LINE messages one recipient of the variant gets. */
export interface CampaignPreview {
  variant: string | null;
  messages: Array<Record<string, unknown>>;
}

// ---- coupons -----------------------------------------------------------------------------------------------

export interface CouponTemplateView {
  id: string;
  title: string;
  terms: string;
  kind: CouponKind;
  value: number;
  giftName: string | null;
  valueLabel: string;
  validity: { mode: 'fixed'; from: IsoInstant | null; until: IsoInstant } | { mode: 'relative'; days: number };
  totalQuota: number | null;
  quotaRemaining: number | null;
  issuedCount: number;
  usedCount: number;
  perMemberLimit: number;
  minSpend: number;
  tierCodes: string[];
  segmentId: string | null;
  storeIds: string[];
  pointsCost: number | null;
  status: 'active' | 'archived';
  createdAt: IsoInstant | null;
}

export interface IssueResult {
  issued: number;
  duplicates: number;
  failed: Array<{ memberId: string; code: string; message: string }>;
  coupon?: CouponView;
}

// ---- settings ----------------------------------------------------------------------------------------------

export interface StoredPersonaScript {
  script: PersonaScript;
  /** 0 = the built-in default (never saved). */
  revision: number;
  isDefault: boolean;
  updatedAt: IsoInstant | null;
  updatedBy: string | null;
}

export interface PersonaScriptResponse extends StoredPersonaScript {
  defaultScript: PersonaScript;
}
export interface ProgramSettingsResponse {
  settings: ProgramSettings;
}

// ---- small answers -----------------------------------------------------------------------------------------

export interface Ok {
  ok: true;
}
export interface TagCount {
  tag: string;
  count: number;
}
