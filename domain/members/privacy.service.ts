import { randomBytes } from 'node:crypto';
import type { Model, Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { Interaction } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { WebhookEvent } from '../../models/webhook-event.model';
import { countDeliveries, uncountMemberClicks } from '../campaigns/campaign-counters.service';
import { countActiveCoupon } from '../coupons/coupon-counters';
import { changePoints } from '../points/points.service';
import { syncMemberCounters } from '../reports/member-counters.service';
import { AppError, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { recordErasedRewards } from './erasure-registry.service';
import { memberLinkedModels } from './member-linked-models';

const log = moduleLogger('privacy');

type Scrub = (model: Model<unknown>, memberId: Types.ObjectId) => Promise<unknown>;

/**
 * What erasure does to other collections that reference the member (found by their `memberId` path). Timelines
 * and staff notes are personal as a whole and go; elsewhere only free text goes, while amounts, dates and statuses
 * stay (they are the anonymous totals). Collections not listed keep their rows: they hold only the opaque id.
 */
const ERASURE: Record<string, Scrub> = {
  Interaction: (m, memberId) => m.deleteMany({ memberId }),
  MemberNote: (m, memberId) => m.deleteMany({ memberId }),
  // The member's short link codes: their links stop naming anyone (the link itself keeps its anonymous count).
  LinkCode: (m, memberId) => m.deleteMany({ memberId }),
  SurveyResponse: (m, memberId) => m.updateMany({ memberId }, { $unset: { comment: 1, commentAt: 1 } }),
  PointsEntry: (m, memberId) => m.updateMany({ memberId, reason: 'manual' }, { $unset: { note: 1 } }),
  Delivery: async (m, memberId) => {
    // Nothing more is sent to an erased member; past deliveries keep their counts without the LINE userId.
    const pending = await m
      .find({ memberId, status: 'pending' }, { campaignId: 1 })
      .lean<{ campaignId: Types.ObjectId }[]>();
    for (const campaignId of new Set(pending.map((d) => String(d.campaignId)))) {
      const res = await m.updateMany(
        { memberId, campaignId, status: 'pending' },
        { $set: { status: 'cancelled', reason: 'member_erased' } },
      );
      await countDeliveries(campaignId, 'pending', 'cancelled', res.modifiedCount);
    }
    await m.updateMany({ memberId }, { $set: { lineUserId: 'erased' } });
  },
};

/**
 * Deletes a member's personal data and keeps the anonymous rest: the member document stays (purchase statistics,
 * the ledger and coupons by opaque id) so totals and the ledger still add up, but name, contact data, persona
 * answers, tags, notes, the LINE userId and the chat timeline are gone. The old member code and referral code
 * stop working, the active coupons are void and the points balance is voided through the ledger (nothing of value
 * outlives the membership). First, the erasure registry records the one-time rewards this person had under the
 * keyed hash of their LINE userId and phone, so coming back does not earn them again. Safe to call twice: every
 * step is idempotent, and the personal data goes last, after the registry no longer needs it.
 */
export async function eraseMemberData(
  memberId: Types.ObjectId | string,
  now: Date,
  keys: { erasureSecret: string },
): Promise<{ erasedAt: Date }> {
  const member = await Member.findById(memberId, { lineUserId: 1, erasedAt: 1 }).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  if (member.erasedAt) {
    // A retry after a crash: the counters catch up (both calls are no-ops when they already have).
    await syncMemberCounters(member._id);
    await uncountMemberClicks(member._id);
    return { erasedAt: member.erasedAt };
  }
  const lineUserId = member.lineUserId;

  await recordErasedRewards(keys.erasureSecret, member._id);
  const voided = await voidCoupons(member._id);
  const points = await voidPoints(member._id, now);

  await Member.updateOne(
    { _id: member._id },
    {
      $set: {
        erasedAt: now,
        displayName: '',
        tags: [],
        notes: '',
        memberCode: `X${randomBytes(6).toString('hex').toUpperCase()}`,
        'consent.marketing': false,
      },
      $unset: {
        lineUserId: 1,
        pictureUrl: 1,
        name: 1,
        phone: 1,
        phoneClaim: 1,
        email: 1,
        gender: 1,
        birthday: 1,
        birthMonth: 1,
        city: 1,
        preferences: 1,
        'persona.state': 1,
        'referral.code': 1,
        'satisfaction.lastComment': 1,
        rfm: 1,
        birthdaySetAt: 1,
        priorRewards: 1,
      },
    },
  );
  if (lineUserId) {
    await Interaction.deleteMany({ lineUserId });
    // Keep the webhook de-duplication record (a late redelivery must not be processed again), drop its content.
    await WebhookEvent.updateMany(
      { userId: lineUserId },
      { $set: { payload: { erased: true } }, $unset: { userId: 1 } },
    );
  }
  await syncMemberCounters(member._id);
  await scrubLinkedRecords(member._id);
  await uncountMemberClicks(member._id);
  log.info({ memberId: String(member._id), couponsVoided: voided, pointsVoided: points }, 'member data erased');
  return { erasedAt: now };
}

/** Voids the member's active coupons one by one, so each leaves the active-coupon counters exactly once. */
async function voidCoupons(memberId: Types.ObjectId): Promise<number> {
  const active = await Coupon.find({ memberId, status: 'active' }, { templateId: 1, validUntil: 1 }).lean();
  let voided = 0;
  for (const c of active) {
    const res = await Coupon.updateOne({ _id: c._id, status: 'active' }, { $set: { status: 'void' } });
    if (res.modifiedCount !== 1) continue;
    voided++;
    await countActiveCoupon(c, -1);
  }
  return voided;
}

/**
 * Takes the whole positive balance away with an `erasure` ledger entry (key `erasure:<memberId>`, so a retry is a
 * no-op). A balance that moves meanwhile (a purchase being booked) is read again. A negative balance (a refund
 * debt, see purchase-refund.service) stays as it is: it is owed by the erased membership, not forgiven into a new one.
 */
async function voidPoints(memberId: Types.ObjectId, now: Date): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const m = await Member.findById(memberId, { pointsBalance: 1 }).lean();
    const balance = m?.pointsBalance ?? 0;
    if (balance <= 0) return 0;
    try {
      const r = await changePoints({
        memberId,
        delta: -balance,
        reason: 'erasure',
        key: `erasure:${memberId}`,
        now,
        expectedBalance: balance,
        note: '刪除個人資料，點數作廢',
      });
      return r.duplicate ? 0 : balance;
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'points_balance_changed' && err.code !== 'insufficient_points'))
        throw err;
    }
  }
  throw new AppError('member_busy', 409, '會員點數正在異動，請稍後再試一次。');
}

async function scrubLinkedRecords(memberId: Types.ObjectId): Promise<void> {
  for (const model of memberLinkedModels()) await ERASURE[model.modelName]?.(model, memberId);
}
