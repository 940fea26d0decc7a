import type { Types } from 'mongoose';
import { Member, type MemberFields } from '../../models/member.model';
import { findCouponByCode, listWallet, normalizeShortCode, type CouponView } from '../coupons';
import { maskPhone, normalizeTaiwanMobile } from '../shared/phone';
import { AppError, badRequest } from '../shared/errors';
import { getTierStatus, type TierStatus } from '../tiers/tier.service';
import { isObjectId } from '../../shared/ids';
import type { OrderPaymentRules } from '../../shared/order-payment';
import { getProgramSettings } from '../program/settings.service';

/** The compact member card the counter shows: enough to serve, no more (the phone is masked). */
export interface CounterMember {
  id: string;
  memberCode: string;
  displayName: string;
  name?: string;
  phoneMasked?: string;
  status: string;
  pointsBalance: number;
  creditBalance: number;
  /** The per-order rules of paying with credit and points, so the counter shows the most it may use. */
  payment: OrderPaymentRules;
  tier: TierStatus;
  activeCoupons: CouponView[];
}

export type CounterLookup =
  { kind: 'member'; member: CounterMember } | { kind: 'coupon'; coupon: CouponView; member: CounterMember | null };

/**
 * What the staff scanned or typed: a member card (member code QR/barcode), a phone number, or a coupon code (its
 * QR). Member codes and phones are tried first because they are all digits; anything in the coupon alphabet is
 * then looked up as a coupon.
 */
export async function lookupCounterCode(raw: string, now: Date): Promise<CounterLookup> {
  const text = raw.normalize('NFKC').trim();
  const compact = text.replace(/[\s-]/g, '');
  const phone = normalizeTaiwanMobile(compact);
  const found = await Member.findOne({
    $or: [{ memberCode: compact.toUpperCase() }, ...(phone ? [{ phone }] : [])],
    erasedAt: null,
  }).lean();
  // A merged imported card (its old code or phone) opens the LINE member it was merged into.
  const byMember = found?.mergedInto ? await Member.findOne({ _id: found.mergedInto, erasedAt: null }).lean() : found;
  if (byMember) return { kind: 'member', member: await counterMember(byMember, now) };
  const couponCode = normalizeShortCode(compact);
  if (couponCode) {
    try {
      const found = await findCouponByCode(couponCode, now);
      const holder = found.member ? await Member.findById(found.member.id).lean() : null;
      return { kind: 'coupon', coupon: found.coupon, member: holder ? await counterMember(holder, now) : null };
    } catch (err) {
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
  }
  if (!compact) throw badRequest('validation_failed', '請輸入會員編號、手機或優惠券代碼。');
  throw new AppError('code_not_found', 404, `找不到「${text.slice(0, 40)}」：不是會員編號、手機號碼或優惠券代碼。`);
}

/** The counter card of one member (by id). */
export async function getCounterMember(memberId: string, now: Date): Promise<CounterMember> {
  const m = isObjectId(memberId) ? await Member.findOne({ _id: memberId, erasedAt: null }).lean() : null;
  if (!m) throw new AppError('member_not_found', 404, '找不到這位會員。');
  return counterMember(m, now);
}

/** The member as a lean read returns it. */
type MemberLean = MemberFields & { _id: Types.ObjectId };

async function counterMember(m: MemberLean, now: Date): Promise<CounterMember> {
  const [tier, wallet, settings] = await Promise.all([
    getTierStatus(m, now),
    listWallet(m._id, now),
    getProgramSettings(),
  ]);
  return {
    id: String(m._id),
    memberCode: m.memberCode,
    displayName: m.displayName ?? '',
    name: m.name ?? undefined,
    phoneMasked: m.phone ? maskPhone(m.phone) : undefined,
    status: m.status ?? 'active',
    pointsBalance: m.pointsBalance ?? 0,
    creditBalance: m.creditBalance ?? 0,
    payment: {
      credit: { maxPerOrder: settings.credit.maxPerOrder, maxPercentOfOrder: settings.credit.maxPercentOfOrder },
      pointsPayment: {
        enabled: settings.pointsPayment.enabled,
        pointsPerNtd: settings.pointsPayment.pointsPerNtd,
        maxPercentOfOrder: settings.pointsPayment.maxPercentOfOrder,
      },
    },
    tier,
    activeCoupons: wallet.active,
  };
}
