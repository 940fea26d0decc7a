import type { CouponDoc } from '../../models/coupon.model';
import type { CouponKind, CouponTemplateDoc } from '../../models/coupon-template.model';
import { formatMoney } from '../../shared/format';
import { formatShortCode } from './short-code';

/** JSON-ready shapes (ISO dates, string ids) for the LIFF card and the console. */
export type CouponState = 'active' | 'used' | 'expired' | 'void';

export interface CouponView {
  id: string;
  templateId: string;
  /** One-time code (for the QR/barcode), e.g. `K7QM3XPA`; `displayCode` is `K7QM-3XPA`. */
  code: string;
  displayCode: string;
  title: string;
  terms: string;
  kind: CouponKind;
  value: number;
  giftName: string | null;
  /** `折抵 NT$100`, `85 折`, `贈品：帆布袋`. */
  valueLabel: string;
  minSpend: number;
  storeIds: string[];
  state: CouponState;
  source: string;
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  usedAt: string | null;
  usedStoreId: string | null;
}

export interface CouponTemplateView {
  id: string;
  title: string;
  terms: string;
  kind: CouponKind;
  value: number;
  giftName: string | null;
  valueLabel: string;
  validity: { mode: 'fixed'; from: string | null; until: string } | { mode: 'relative'; days: number };
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
  createdAt: string | null;
}

/** Taiwan discount wording: 15% off is "85 折", 10% off is "9 折". */
export function valueLabel(kind: CouponKind, value: number, giftName?: string | null): string {
  if (kind === 'amount') return `折抵 ${formatMoney(value)}`;
  if (kind === 'percent') {
    const pay = 100 - value;
    return `${pay % 10 === 0 ? pay / 10 : pay} 折`;
  }
  return `贈品：${giftName ?? ''}`;
}

export function couponState(c: Pick<CouponDoc, 'status' | 'validUntil'>, now: Date): CouponState {
  if (c.status === 'used') return 'used';
  if (c.status === 'void') return 'void';
  return c.validUntil < now ? 'expired' : 'active';
}

export function toCouponView(c: CouponDoc, now: Date): CouponView {
  return {
    id: String(c._id),
    templateId: String(c.templateId),
    code: c.code,
    displayCode: formatShortCode(c.code),
    title: c.title,
    terms: c.terms ?? '',
    kind: c.kind as CouponKind,
    value: c.value ?? 0,
    giftName: c.giftName ?? null,
    valueLabel: valueLabel(c.kind as CouponKind, c.value ?? 0, c.giftName),
    minSpend: c.minSpend ?? 0,
    storeIds: c.storeIds ?? [],
    state: couponState(c, now),
    source: c.source ?? 'manual',
    issuedAt: c.issuedAt.toISOString(),
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    usedAt: c.usedAt ? c.usedAt.toISOString() : null,
    usedStoreId: c.usedStoreId ?? null,
  };
}

export function toTemplateView(t: CouponTemplateDoc, usedCount = 0): CouponTemplateView {
  const validity =
    t.validity?.mode === 'fixed'
      ? {
          mode: 'fixed' as const,
          from: t.validity.from ? t.validity.from.toISOString() : null,
          until: (t.validity.until as Date).toISOString(),
        }
      : { mode: 'relative' as const, days: t.validity?.days ?? 0 };
  return {
    id: String(t._id),
    title: t.title,
    terms: t.terms ?? '',
    kind: t.kind as CouponKind,
    value: t.value ?? 0,
    giftName: t.giftName ?? null,
    valueLabel: valueLabel(t.kind as CouponKind, t.value ?? 0, t.giftName),
    validity,
    totalQuota: t.totalQuota ?? null,
    quotaRemaining: t.quotaRemaining ?? null,
    issuedCount: t.issuedCount ?? 0,
    usedCount,
    perMemberLimit: t.perMemberLimit ?? 1,
    minSpend: t.minSpend ?? 0,
    tierCodes: t.tierCodes ?? [],
    segmentId: t.segmentId ? String(t.segmentId) : null,
    storeIds: t.storeIds ?? [],
    pointsCost: t.pointsCost ?? null,
    status: (t.status as 'active' | 'archived') ?? 'active',
    createdAt: (t as { createdAt?: Date }).createdAt ? (t as { createdAt: Date }).createdAt.toISOString() : null,
  };
}
