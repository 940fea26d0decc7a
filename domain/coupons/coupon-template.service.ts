import type { Types } from 'mongoose';
import { readTemplateCouponFigures } from './coupon-counters';
import { z } from 'zod';
import { Coupon } from '../../models/coupon.model';
import { CouponTemplate, type CouponTemplateDoc } from '../../models/coupon-template.model';
import { badRequest, conflict, notFound } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import { couponErrorText } from '../program/program-messages';
import { toTemplateView, type CouponTemplateView } from './coupon-view';
import { isObjectId, objectIdSchema } from '../../shared/ids';

const objectId = objectIdSchema();
const dateInput = z
  .union([z.date(), z.iso.datetime({ offset: true, message: '請用 ISO 8601 日期時間' })])
  .transform((v) => new Date(v));

const ValiditySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fixed'), from: dateInput.optional(), until: dateInput }),
  z.object({ mode: z.literal('relative'), days: z.number().int().min(1, '至少 1 天').max(3650) }),
]);

const TemplateFields = z.object({
  title: z.string().trim().min(1, '請輸入優惠券名稱').max(40, '名稱請在 40 字以內'),
  terms: z.string().trim().max(1000).default(''),
  kind: z.enum(['amount', 'percent', 'gift']),
  value: z.number().min(0).default(0),
  giftName: z.string().trim().max(60).optional(),
  validity: ValiditySchema,
  totalQuota: z.number().int().min(1).nullable().default(null),
  perMemberLimit: z.number().int().min(1).max(100).default(1),
  minSpend: z.number().int().min(0).default(0),
  tierCodes: z.array(z.string().trim().min(1)).max(8).default([]),
  segmentId: objectId.nullable().optional(),
  storeIds: z.array(z.string().trim().min(1).max(40)).max(200).default([]),
  pointsCost: z.number().int().min(1).max(10_000_000).nullable().default(null),
});

export const CouponTemplateInputSchema = TemplateFields.superRefine(checkOffer);
export type CouponTemplateInput = z.input<typeof CouponTemplateInputSchema>;

function checkOffer(t: Partial<z.infer<typeof TemplateFields>>, ctx: z.RefinementCtx): void {
  if (t.kind === 'amount' && !(t.value && t.value >= 1))
    ctx.addIssue({ code: 'custom', path: ['value'], message: '折抵金額至少 NT$1' });
  if (t.kind === 'percent' && !(t.value && t.value >= 1 && t.value <= 99))
    ctx.addIssue({ code: 'custom', path: ['value'], message: '折扣百分比需在 1 到 99 之間' });
  if (t.kind === 'gift' && !t.giftName) ctx.addIssue({ code: 'custom', path: ['giftName'], message: '請輸入贈品名稱' });
  if (t.validity?.mode === 'fixed' && t.validity.from && t.validity.from >= t.validity.until) {
    ctx.addIssue({ code: 'custom', path: ['validity', 'until'], message: '結束時間必須晚於開始時間' });
  }
}

/** Creates a coupon template (validated; bad input → 400 with field errors, nothing stored). */
export async function createCouponTemplate(
  input: CouponTemplateInput | unknown,
  actor: string,
): Promise<CouponTemplateView> {
  const v = parseOrThrow(CouponTemplateInputSchema, input);
  const doc = await CouponTemplate.create({ ...v, quotaRemaining: v.totalQuota, createdBy: actor, updatedBy: actor });
  return toTemplateView(doc.toObject() as CouponTemplateDoc);
}

/**
 * Edits a template. Issued coupons keep the offer they were issued with. Changing the total quota moves the
 * remaining quota by the same difference atomically; a total below what was already issued is refused.
 * The write is conditional on the quota counters the decision was computed from, because coupons keep being
 * issued while a marketer edits: a stale `issuedCount` would otherwise hand out more coupons than the new total.
 * A lost race is recomputed against the fresh template.
 */
export async function updateCouponTemplate(
  id: string,
  patch: Partial<CouponTemplateInput> | unknown,
  actor: string,
): Promise<CouponTemplateView> {
  const parsed = parseOrThrow(TemplateFields.partial(), patch);
  // Defaults of the full schema must not overwrite stored values: keep only what the patch actually names.
  const given = new Set(Object.keys(patch as object));
  const p = Object.fromEntries(Object.entries(parsed).filter(([k]) => given.has(k))) as typeof parsed;
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const current = await getTemplateDoc(id);
    const merged = parseOrThrow(CouponTemplateInputSchema, { ...stripForMerge(current), ...p });
    const set: Record<string, unknown> = { ...merged, updatedBy: actor };
    delete set.totalQuota;
    const inc: Record<string, number> = {};
    const filter: Record<string, unknown> = { _id: current._id };
    if ('totalQuota' in p && p.totalQuota !== current.totalQuota) {
      if (p.totalQuota != null && p.totalQuota < current.issuedCount) {
        throw badRequest('validation_failed', '輸入資料有誤，請檢查標示的欄位。', {
          fields: [{ path: 'totalQuota', message: `已發出 ${current.issuedCount} 張，總量不可少於此數` }],
        });
      }
      set.totalQuota = p.totalQuota ?? null;
      filter.totalQuota = current.totalQuota ?? null;
      if (p.totalQuota == null) {
        set.quotaRemaining = null;
      } else if (current.totalQuota == null) {
        set.quotaRemaining = p.totalQuota - current.issuedCount;
        filter.issuedCount = current.issuedCount;
      } else {
        inc.quotaRemaining = p.totalQuota - current.totalQuota;
        // Lowering the total: only while what is left covers the cut (issued ≤ new total).
        if (inc.quotaRemaining < 0) filter.quotaRemaining = { $gte: -inc.quotaRemaining };
      }
    }
    const updated = await CouponTemplate.findOneAndUpdate(
      filter,
      { $set: set, ...(Object.keys(inc).length ? { $inc: inc } : {}) },
      { returnDocument: 'after' },
    ).lean();
    if (updated) return toTemplateView(updated as CouponTemplateDoc);
  }
  throw conflict('coupon_template_busy', '優惠券正在大量發放中，請稍後再儲存一次。');
}

const UPDATE_ATTEMPTS = 5;

/** Stops new issuance; coupons already in wallets stay usable until they expire. */
export async function archiveCouponTemplate(id: string, actor: string): Promise<CouponTemplateView> {
  await getTemplateDoc(id);
  const updated = await CouponTemplate.findByIdAndUpdate(
    id,
    { $set: { status: 'archived', updatedBy: actor } },
    { returnDocument: 'after' },
  ).lean();
  return toTemplateView(updated as CouponTemplateDoc);
}

/** Templates, newest first, with issued and used counts for the console. */
export async function listCouponTemplates(
  opts: { status?: 'active' | 'archived' } = {},
): Promise<CouponTemplateView[]> {
  const templates = await CouponTemplate.find(opts.status ? { status: opts.status } : {})
    .sort({ createdAt: -1 })
    .limit(500)
    .lean();
  // Used counts from the template counters (coupon-counters.ts), not a scan of every used coupon.
  const figures = await readTemplateCouponFigures(
    templates.map((t) => String(t._id)),
    new Date(),
  );
  return templates.map((t) => toTemplateView(t as CouponTemplateDoc, figures.get(String(t._id))?.used ?? 0));
}

export async function getCouponTemplate(id: string): Promise<CouponTemplateView> {
  const t = await getTemplateDoc(id);
  const usedCount = await Coupon.countDocuments({ templateId: t._id, status: 'used' });
  return toTemplateView(t, usedCount);
}

export async function getTemplateDoc(id: string | Types.ObjectId): Promise<CouponTemplateDoc> {
  if (!isObjectId(String(id))) throw notFound(couponErrorText.templateNotFound, 'coupon_template_not_found');
  const t = await CouponTemplate.findById(id).lean();
  if (!t) throw notFound(couponErrorText.templateNotFound, 'coupon_template_not_found');
  return t as CouponTemplateDoc;
}

function stripForMerge(t: CouponTemplateDoc): Record<string, unknown> {
  return {
    title: t.title,
    terms: t.terms,
    kind: t.kind,
    value: t.value,
    giftName: t.giftName ?? undefined,
    validity:
      t.validity?.mode === 'fixed'
        ? { mode: 'fixed', from: t.validity.from ?? undefined, until: t.validity.until }
        : { mode: 'relative', days: t.validity?.days },
    totalQuota: t.totalQuota ?? null,
    perMemberLimit: t.perMemberLimit,
    minSpend: t.minSpend,
    tierCodes: t.tierCodes,
    segmentId: t.segmentId ? String(t.segmentId) : null,
    storeIds: t.storeIds,
    pointsCost: t.pointsCost ?? null,
  };
}
