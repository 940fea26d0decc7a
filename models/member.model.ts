import mongoose, { type InferSchemaType, Schema, type Types } from 'mongoose';
import { priorRewardsSchema } from './erasure-record.model';
import { normalizeCityValue } from './member-city';

/** Where a tag came from: the persona chat, a keyword the member typed, staff, or a CSV import. */
export const TAG_SOURCES = ['persona', 'keyword', 'staff', 'import', 'journey'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

const tagSchema = new Schema(
  {
    tag: { type: String, required: true },
    source: { type: String, enum: TAG_SOURCES, required: true },
    addedAt: { type: Date, required: true },
    addedBy: String,
  },
  { _id: false },
);

/**
 * A member: static data (who they are: gender, birthday, city), dynamic data (what they do: purchases,
 * interactions, RFM), preferences as tags, and the cached points balance whose truth is the ledger.
 */
/** One thing a member bought (a category `c`, a SKU or a store `s`): when they last bought it and in how many orders. */
function lastBoughtSchema(key: 'c' | 's') {
  return new Schema({ [key]: { type: String, required: true }, last: Date, n: Number }, { _id: false });
}

const memberSchema = new Schema(
  {
    /** LINE userId; absent for members imported before they followed. */
    lineUserId: { type: String },
    /** Short public member code shown on the card (QR/barcode), unique. */
    memberCode: { type: String, required: true },
    displayName: { type: String, default: '' },
    pictureUrl: String,
    name: String,
    /** Taiwan mobile `09XXXXXXXX`, unique: written only through domain/members/member-phone.service.ts. */
    phone: String,
    /**
     * A phone this member gave (chat or card) that is already on an imported record (#16.6). It is kept here,
     * unverified, and not in `phone` (the unique index stays intact): staff decide in the console whether the two
     * are one person (合併: the existing merge moves the imported phone over) or not (不是同一人: dismissed).
     */
    phoneClaim: {
      phone: String,
      /** The imported member that has the phone. */
      importedId: { type: Schema.Types.ObjectId, ref: 'Member' },
      status: { type: String, enum: ['proposed', 'dismissed'] },
      at: Date,
      decidedAt: Date,
      decidedBy: String,
    },
    email: String,
    status: { type: String, enum: ['active', 'blocked', 'imported', 'merged'], default: 'active' },
    /** Set on an imported member whose data was merged into a LINE member (domain/members/member-merge.service.ts). */
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Member' },
    /** Progress of that merge: the steps done so far, so an interrupted merge resumes by running it again. */
    merge: {
      targetId: { type: Schema.Types.ObjectId, ref: 'Member' },
      startedAt: Date,
      completedAt: Date,
      actor: String,
      /** Field names whose source value the marketer chose over the target's. */
      fieldChoices: { type: [String], default: undefined },
      stepsDone: { type: [String], default: undefined },
      /** The source's balance and its latest lot expiry, planned before the points move through the ledger. */
      points: Number,
      pointsExpiresAt: Date,
      /** The source's phone when the merge started (it moves to the target only if the target has none). */
      phone: String,
    },
    followedAt: Date,
    blockedAt: Date,
    /** Static data from the persona script. */
    gender: { type: String, enum: ['female', 'male', 'other', 'undisclosed'] },
    /** `YYYY-MM-DD` as the member entered it (a calendar date, not an instant). */
    birthday: String,
    birthMonth: Number,
    /**
     * `MM-DD` of the birthday, kept in step with `birthday` by the hooks below (every write path: card, chat,
     * console, import, merge, erasure), so the birthday job reads one day's members through an index.
     * Members stored before it existed: `npm run backfill:birthday-keys`.
     */
    birthdayKey: String,
    /** When the birthday was last set or changed (a gift needs it to be older than 30 days; see birthday.service). */
    birthdaySetAt: Date,
    city: String,
    preferences: {
      priceSensitivity: String,
      promotionType: String,
      contactTime: String,
    },
    tags: { type: [tagSchema], default: [] },
    consent: {
      status: { type: String, enum: ['pending', 'accepted', 'declined'], default: 'pending' },
      version: String,
      at: Date,
      /** Marketing pushes are only sent to members who accepted. */
      marketing: { type: Boolean, default: false },
    },
    /** A yes/no question the bot asked and waits for (e.g. `unsubscribe`: 「確定不再收到優惠訊息嗎？」), #13.3. */
    conversation: {
      pending: String,
      pendingAt: Date,
    },
    persona: {
      /** Engine state (current question, answers so far); see domain/persona/persona-engine.ts. */
      state: { type: Schema.Types.Mixed },
      startedAt: Date,
      completedAt: Date,
    },
    /** Cached balance; the points ledger is the truth (`npm run points:verify`). */
    pointsBalance: { type: Number, default: 0 },
    /** Keys of the most recent balance changes, applied in the same atomic update as the $inc (idempotency). */
    pointKeys: { type: [String], default: [], select: false },
    /** Cached shopping-credit balance (NT$); the credit ledger is the truth (`npm run credit:verify`). */
    creditBalance: { type: Number, default: 0 },
    /** Keys of the most recent credit changes, applied in the same atomic update as the $inc (idempotency). */
    creditKeys: { type: [String], default: [], select: false },
    /** Keys of the most recent purchase/refund stats updates, applied in the same atomic update (idempotency). */
    statsKeys: { type: [String], default: [], select: false },
    /**
     * `reviewAt`: the yearly review of a tier above the first (12 months after reaching or renewing it);
     * `warnPending`: the downgrade-warning job has not looked at this review yet (domain/tiers/tier-review.service.ts).
     */
    tier: { code: { type: String, default: 'basic' }, since: Date, reviewAt: Date, warnPending: Boolean },
    stats: {
      purchaseCount: { type: Number, default: 0 },
      totalSpend: { type: Number, default: 0 },
      averageOrder: { type: Number, default: 0 },
      firstPurchaseAt: Date,
      lastPurchaseAt: Date,
    },
    rfm: { r: Number, f: Number, m: Number, segment: String, rule: String, scoredAt: Date },
    /**
     * Purchase aggregates for segments (#17.1), recomputed from this member's own purchases on every purchase,
     * refund and void (domain/purchases/purchase-stats.service.ts; `npm run purchases:rebuild-stats`): orders and
     * net totals of the purchases that still count, and when each category / SKU / store was last bought.
     * `v` is the time the purchases were read: a slower concurrent recompute never overwrites a newer one.
     */
    buys: {
      type: new Schema(
        {
          orders: { type: Number, default: 0 },
          total: { type: Number, default: 0 },
          aov: { type: Number, default: 0 },
          first: Date,
          last: Date,
          cats: { type: [lastBoughtSchema('c')], default: [] },
          skus: { type: [lastBoughtSchema('s')], default: [] },
          stores: { type: [lastBoughtSchema('s')], default: [] },
          v: Date,
        },
        { _id: false },
      ),
      default: undefined,
    },
    referral: {
      code: { type: String },
      referredBy: { type: Schema.Types.ObjectId, ref: 'Member' },
      referredAt: Date,
      rewardedAt: Date,
      /** The order (`<source>:<orderId>`) that completed the referral; a void of it reverses the rewards (#16.5). */
      rewardedOrderKey: String,
      /** How many times the rewards were reversed by a void: the next completion's keys carry this round. */
      rewardVoids: Number,
      /** Referees whose first purchase earned this member (the referrer) a reward: the atomic reward cap. */
      rewardedReferees: { type: [Schema.Types.ObjectId], default: undefined },
    },
    satisfaction: { lastScore: Number, lastComment: String, at: Date },
    lastInteractionAt: Date,
    notes: { type: String, default: '' },
    /** Set when the member deleted their personal data; the document stays for anonymous totals. */
    erasedAt: Date,
    /**
     * What this member currently adds to the dashboard counters (`statcounters`), and its compare-and-set version:
     * domain/reports/member-counters.service.ts moves the difference into the counters exactly once per change.
     */
    countedAs: { type: Schema.Types.Mixed, select: false },
    countedV: { type: Number, select: false },
    /**
     * One-time rewards this person already had in a membership they erased (found by the keyed hash of their LINE
     * userId or phone in the erasure registry): a returning person starts empty but does not earn them again.
     */
    priorRewards: { type: priorRewardsSchema, default: undefined },
  },
  { timestamps: true },
);

memberSchema.index({ lineUserId: 1 }, { unique: true, sparse: true });
memberSchema.index({ memberCode: 1 }, { unique: true });
memberSchema.index({ phone: 1 }, { unique: true, sparse: true });
// The console's 「可能是同一人」 list and badge: open proposals, newest first.
memberSchema.index({ 'phoneClaim.status': 1, 'phoneClaim.at': -1 }, { sparse: true });
memberSchema.index({ 'referral.code': 1 }, { unique: true, sparse: true });
memberSchema.index({ status: 1 });
// Not sparse: the list, funnel and segment filters ask for `mergedInto: null`, which a sparse index cannot answer.
memberSchema.index({ mergedInto: 1 });
memberSchema.index({ 'tags.tag': 1 });
memberSchema.index({ birthdayKey: 1 }, { sparse: true });

/** `MM-DD` of a `YYYY-MM-DD` birthday; undefined for anything else. */
export function birthdayKeyOf(birthday: unknown): string | undefined {
  const m = typeof birthday === 'string' ? /^\d{4}-(\d{2}-\d{2})$/.exec(birthday) : null;
  return m ? m[1] : undefined;
}

// Saved and inserted documents (insertMany validates each one).
memberSchema.pre('validate', function () {
  // Only when the birthday itself is written: a document loaded without it (a projection) keeps its key.
  if (!this.isNew && !this.isModified('birthday')) return;
  const key = birthdayKeyOf(this.birthday);
  if (key !== this.birthdayKey) this.birthdayKey = key;
});
memberSchema.pre('validate', function () {
  if (typeof this.city === 'string' && (this.isNew || this.isModified('city'))) {
    const city = normalizeCityValue(this.city) as string;
    if (city !== this.city) this.city = city;
  }
});

type UpdateDoc = Record<string, unknown> & { $set?: Record<string, unknown>; $unset?: Record<string, unknown> };

/** Adds the `birthdayKey` write that goes with a `birthday` write in an update (plain or `$set`/`$unset`). */
export function withBirthdayKey(update: UpdateDoc): UpdateDoc {
  const set = update.$set ?? {};
  const value = 'birthday' in set ? set.birthday : 'birthday' in update ? update.birthday : undefined;
  const unsets = update.$unset && 'birthday' in update.$unset;
  if (value === undefined && !unsets) return update;
  const key = birthdayKeyOf(value);
  if (key) return { ...update, $set: { ...set, birthdayKey: key } };
  return { ...update, $unset: { ...(update.$unset ?? {}), birthdayKey: 1 } };
}

/** The stored spelling of a `city` write in an update (plain or `$set`), see models/member-city.ts. */
export function withCitySpelling(update: UpdateDoc): UpdateDoc {
  if (update.$set && 'city' in update.$set)
    return { ...update, $set: { ...update.$set, city: normalizeCityValue(update.$set.city) } };
  if ('city' in update) return { ...update, city: normalizeCityValue(update.city) };
  return update;
}

memberSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate'], function () {
  const update = this.getUpdate();
  if (update && !Array.isArray(update)) this.setUpdate(withCitySpelling(withBirthdayKey(update as UpdateDoc)));
});
// The referral view counts and lists a member's referees.
memberSchema.index({ 'referral.referredBy': 1 });
memberSchema.index({ createdAt: -1 });
// Journeys' inactive-for-N-days triggers read the members whose last purchase / interaction fell on one day.
memberSchema.index({ 'stats.lastPurchaseAt': 1 });
// The downgrade warning reads only the reviews coming up that it has not looked at yet (#16.4).
memberSchema.index({ 'tier.warnPending': 1, 'tier.reviewAt': 1 }, { sparse: true });
// The nightly tier review reads only the members whose review is due, and those with a tier but no review date.
memberSchema.index({ 'tier.reviewAt': 1, 'tier.code': 1 });
memberSchema.index({ lastInteractionAt: 1 });
// Every listed/counted member is `erasedAt: null, mergedInto: null` (console list, funnel, segments, audiences);
// the trailing keys serve the list's default sort (newest first) without a sort stage.
memberSchema.index({ erasedAt: 1, mergedInto: 1, createdAt: -1, _id: -1 });
// Purchase segment conditions (#17.1): bought a category / SKU / at a store (multikey on the name, then the date),
// then the ranges: order count, AOV, LTV, first and last purchase, satisfaction. A range index leads with
// `erasedAt` because every audience query carries `erasedAt: null` (REACHABLE_FILTER): equality first, then the
// range (the planner prefers an equality-bounded key, so a bare range index would lose to the member-list index
// and the count would read every member). test/integration/segments/purchase-conditions.explain.test.ts.
memberSchema.index({ 'buys.cats.c': 1, 'buys.cats.last': -1 });
// SKUs: the name alone. A member holds dozens of SKUs, and a compound multikey index keeps every (name, date)
// pair of the array (n² keys per member); the buyers of one SKU are few, so the date is checked on them.
memberSchema.index({ 'buys.skus.s': 1 });
memberSchema.index({ 'buys.stores.s': 1, 'buys.stores.last': -1 });
memberSchema.index({ erasedAt: 1, 'buys.aov': 1 });
memberSchema.index({ erasedAt: 1, 'buys.total': 1 });
memberSchema.index({ erasedAt: 1, 'buys.orders': 1 });
memberSchema.index({ erasedAt: 1, 'buys.first': 1 });
memberSchema.index({ erasedAt: 1, 'buys.last': 1 });
memberSchema.index({ erasedAt: 1, 'satisfaction.lastScore': 1 });
// City conditions and the city suggestions (#17.5); the stored spelling is one per city (models/member-city.ts).
memberSchema.index({ city: 1 });
// The console search (#18): every clause of its `$or` has an index (memberCode, phone, tags.tag and these two), so
// it runs as an OR of index scans; the name clauses' case-insensitive regex is matched against the index keys, and
// only the members whose name matches are read.
memberSchema.index({ name: 1 });
memberSchema.index({ displayName: 1 });

export type MemberFields = InferSchemaType<typeof memberSchema>;
export type MemberDoc = mongoose.HydratedDocument<MemberFields>;
export type MemberId = Types.ObjectId;
export const Member = mongoose.model('Member', memberSchema);
