import type { Types } from 'mongoose';
import { Coupon, type CouponDoc, type CouponSource } from '../../models/coupon.model';
import { CouponTemplate, type CouponTemplateDoc } from '../../models/coupon-template.model';
import { countCampaignCoupon } from '../campaigns/campaign-counters.service';
import { countActiveCoupon } from './coupon-counters';
import { recordInteraction } from '../interactions/interaction.service';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { conflict } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { formatDate } from '../../shared/format';
import { programText, couponErrorText } from '../program/program-messages';
import { couponRefusal, loadCouponHolder, validityFor } from './coupon-eligibility.service';
import { getTemplateDoc } from './coupon-template.service';
import { priorCouponCount } from '../members/erasure-registry.service';
import { toCouponView, type CouponView } from './coupon-view';
import { generateShortCode } from './short-code';

const log = moduleLogger('coupons');
export const COUPON_CODE_LENGTH = 8;

export interface IssueCouponInput {
  templateId: string | Types.ObjectId;
  memberId: string | Types.ObjectId;
  /** Idempotency key: the same key always yields the same single coupon. */
  key: string;
  now: Date;
  actor?: string;
  source?: CouponSource;
  timeZone: string;
  /** Also tell the member in chat (keyed by the issuance, so never twice). */
  notify?: { messenger: Messenger };
}
export interface IssueCouponResult {
  coupon: CouponView;
  duplicate: boolean;
}

/**
 * Puts one coupon in a member's wallet, idempotently. Limits hold under concurrency without transactions: the
 * total quota is reserved by a conditional $inc, the per-member limit by a unique (template, member, slot) index,
 * and the issuance itself by a unique key; whatever fails after the reservation gives the quota back.
 */
export async function issueCoupon(input: IssueCouponInput): Promise<IssueCouponResult> {
  const existing = await Coupon.findOne({ key: input.key }).lean();
  if (existing) return { coupon: toCouponView(existing as CouponDoc, input.now), duplicate: true };
  const template = await getTemplateDoc(input.templateId);
  const member = await loadCouponHolder(input.memberId);
  const refusal = await couponRefusal(template, member, input.now, input.timeZone);
  if (refusal) throw refusal;
  // The template as the reservation found it: its quota mode may have changed since it was read.
  const reserved = await reserveQuota(template);
  let inserted: { doc: CouponDoc; duplicate: boolean };
  try {
    inserted = await insertCoupon(template, input, priorCouponCount(member.priorRewards, template._id));
  } catch (err) {
    await releaseQuota(reserved);
    throw err;
  }
  // A concurrent twin with the same key won the insert: it holds the quota, ours goes back.
  if (inserted.duplicate) await releaseQuota(reserved);
  const view = toCouponView(inserted.doc, input.now);
  if (!inserted.duplicate) await afterIssue(view, input);
  return { coupon: view, duplicate: inserted.duplicate };
}

async function reserveQuota(t: CouponTemplateDoc): Promise<CouponTemplateDoc> {
  const filter =
    t.quotaRemaining == null ? { _id: t._id, quotaRemaining: null } : { _id: t._id, quotaRemaining: { $gt: 0 } };
  const inc = t.quotaRemaining == null ? { issuedCount: 1 } : { issuedCount: 1, quotaRemaining: -1 };
  const res = await CouponTemplate.updateOne({ ...filter, status: 'active' }, { $inc: inc });
  if (res.modifiedCount === 1) return t;
  // The quota mode may have been switched by an edit in between; retry once against the fresh template.
  const fresh = await getTemplateDoc(t._id);
  if ((fresh.quotaRemaining == null) !== (t.quotaRemaining == null)) return reserveQuota(fresh);
  throw conflict('coupon_quota_exhausted', couponErrorText.quotaExhausted);
}

async function releaseQuota(t: CouponTemplateDoc): Promise<void> {
  const inc = t.quotaRemaining == null ? { issuedCount: -1 } : { issuedCount: -1, quotaRemaining: 1 };
  await CouponTemplate.updateOne({ _id: t._id }, { $inc: inc });
}

/** Inserts with a fresh code and the next free slot; a concurrent twin with the same key wins and is returned. */
async function insertCoupon(
  t: CouponTemplateDoc,
  input: IssueCouponInput,
  priorHeld: number,
): Promise<{ doc: CouponDoc; duplicate: boolean }> {
  // Slots a returning person used up in an erased membership are gone for good.
  const limit = Math.max(0, (t.perMemberLimit ?? 1) - priorHeld);
  let slot = (await Coupon.countDocuments({ templateId: t._id, memberId: input.memberId })) + 1;
  const { validFrom, validUntil } = validityFor(t, input.now, input.timeZone);
  for (let attempt = 0; attempt < 30; attempt++) {
    if (slot > limit) throw conflict('coupon_member_limit', couponErrorText.memberLimit(t.perMemberLimit ?? 1));
    try {
      const doc = await Coupon.create({
        templateId: t._id,
        memberId: input.memberId,
        code: generateShortCode(COUPON_CODE_LENGTH),
        key: input.key,
        slot,
        source: input.source ?? 'manual',
        title: t.title,
        terms: t.terms,
        kind: t.kind,
        value: t.value,
        giftName: t.giftName,
        minSpend: t.minSpend,
        storeIds: t.storeIds,
        status: 'active',
        issuedAt: input.now,
        issuedBy: input.actor ?? 'system',
        validFrom,
        validUntil,
      });
      await countActiveCoupon({ templateId: t._id, validUntil }, 1);
      await countCampaignCoupon(input.key, 'issued');
      return { doc: doc.toObject() as CouponDoc, duplicate: false };
    } catch (err) {
      const field = duplicateField(err);
      if (field === 'key') {
        const twin = await Coupon.findOne({ key: input.key }).lean();
        if (twin) return { doc: twin as CouponDoc, duplicate: true };
      } else if (field === 'slot') {
        slot++;
      } else if (field !== 'code') {
        throw err;
      }
    }
  }
  throw new Error('could not allocate a unique coupon code');
}

/** Which unique index a duplicate-key error hit: 'key' | 'code' | 'slot' | null (not a duplicate). */
export function duplicateField(err: unknown): 'key' | 'code' | 'slot' | null {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  if (e?.code !== 11000) return null;
  const fields = Object.keys(e.keyPattern ?? {});
  if (fields.includes('slot')) return 'slot';
  if (fields.includes('code')) return 'code';
  if (fields.includes('key')) return 'key';
  const m = e.message ?? '';
  return m.includes('slot') ? 'slot' : m.includes('code_') ? 'code' : 'key';
}

async function afterIssue(view: CouponView, input: IssueCouponInput): Promise<void> {
  await recordInteraction({
    memberId: input.memberId,
    type: 'coupon_issued',
    channel: 'system',
    at: input.now,
    key: `coupon-issued:${input.key}`,
    summary: `獲得優惠券「${view.title}」`,
    refs: { couponId: view.id, templateId: view.templateId, source: view.source },
  });
  if (!input.notify) return;
  try {
    const until = formatDate(new Date(view.validUntil), input.timeZone);
    await notifyMember(
      input.notify.messenger,
      input.memberId,
      [{ type: 'text', text: programText.couponIssued(view.title, until) }],
      {
        key: `coupon-issued:${input.key}`,
        now: input.now,
        refs: { couponId: view.id },
      },
    );
  } catch (err) {
    log.warn({ err, couponId: view.id }, 'coupon issued but the chat notice failed');
  }
}

export interface BatchIssueResult {
  issued: number;
  duplicates: number;
  failed: Array<{ memberId: string; code: string; message: string }>;
}

/**
 * Issues one coupon to each member of a list (e.g. a campaign audience or a pasted list). Each member's coupon is
 * keyed `<batchKey>:<memberId>`, so re-running a batch after an interruption issues only what is missing.
 */
export async function issueCouponBatch(input: {
  templateId: string;
  memberIds: Array<string | Types.ObjectId>;
  batchKey: string;
  now: Date;
  actor?: string;
  source?: CouponSource;
  timeZone: string;
  notify?: { messenger: Messenger };
}): Promise<BatchIssueResult> {
  const out: BatchIssueResult = { issued: 0, duplicates: 0, failed: [] };
  const ids = [...new Set(input.memberIds.map(String))];
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const r = await issueCoupon({
          ...input,
          memberId: id,
          key: `${input.batchKey}:${id}`,
          source: input.source ?? 'batch',
        });
        if (r.duplicate) out.duplicates++;
        else out.issued++;
      } catch (err) {
        const e = err as { code?: string; userMessage?: string; message?: string };
        out.failed.push({
          memberId: id,
          code: typeof e.code === 'string' ? e.code : 'error',
          message: e.userMessage ?? String(e.message),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  return out;
}

export interface Wallet {
  active: CouponView[];
  used: CouponView[];
  expired: CouponView[];
}

/** A member's coupons grouped for the card: usable ones first by soonest expiry; used and expired, newest first. */
export async function listWallet(memberId: string | Types.ObjectId, now: Date): Promise<Wallet> {
  const coupons = await Coupon.find({ memberId, status: { $in: ['active', 'used'] } })
    .sort({ issuedAt: -1 })
    .limit(500)
    .lean();
  const views = coupons.map((c) => toCouponView(c as CouponDoc, now));
  const by = (state: string) => views.filter((v) => v.state === state);
  return {
    active: by('active').sort((a, b) => a.validUntil.localeCompare(b.validUntil)),
    used: by('used')
      .sort((a, b) => (b.usedAt ?? '').localeCompare(a.usedAt ?? ''))
      .slice(0, 50),
    expired: by('expired')
      .sort((a, b) => b.validUntil.localeCompare(a.validUntil))
      .slice(0, 50),
  };
}
