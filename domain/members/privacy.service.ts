import { randomBytes } from 'node:crypto';
import type { Model, Types } from 'mongoose';
import { Interaction } from '../../models/interaction.model';
import { Member } from '../../models/member.model';
import { WebhookEvent } from '../../models/webhook-event.model';
import { notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
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
  SurveyResponse: (m, memberId) => m.updateMany({ memberId }, { $unset: { comment: 1, commentAt: 1 } }),
  PointsEntry: (m, memberId) => m.updateMany({ memberId, reason: 'manual' }, { $unset: { note: 1 } }),
  Delivery: async (m, memberId) => {
    // Nothing more is sent to an erased member; past deliveries keep their counts without the LINE userId.
    await m.updateMany({ memberId, status: 'pending' }, { $set: { status: 'cancelled', reason: 'member_erased' } });
    await m.updateMany({ memberId }, { $set: { lineUserId: 'erased' } });
  },
};

/**
 * Deletes a member's personal data and keeps the anonymous rest: the member document stays (points balance,
 * tier, purchase statistics, the ledger and coupons by opaque id) so totals and the ledger still add up, but
 * name, contact data, persona answers, tags, notes, the LINE userId and the chat timeline are gone. The old member
 * code and referral code stop working. Safe to call twice.
 */
export async function eraseMemberData(memberId: Types.ObjectId | string, now: Date): Promise<{ erasedAt: Date }> {
  const member = await Member.findById(memberId, { lineUserId: 1, erasedAt: 1 }).lean();
  if (!member) throw notFound('找不到這位會員。', 'member_not_found');
  if (member.erasedAt) return { erasedAt: member.erasedAt };
  const lineUserId = member.lineUserId;

  await Member.updateOne(
    { _id: member._id },
    {
      $set: {
        erasedAt: now, displayName: '', tags: [], notes: '', memberCode: `X${randomBytes(6).toString('hex').toUpperCase()}`,
        'consent.marketing': false,
      },
      $unset: {
        lineUserId: 1, pictureUrl: 1, name: 1, phone: 1, email: 1, gender: 1, birthday: 1, birthMonth: 1, city: 1,
        preferences: 1, 'persona.state': 1, 'referral.code': 1, 'satisfaction.lastComment': 1, rfm: 1,
      },
    },
  );
  if (lineUserId) {
    await Interaction.deleteMany({ lineUserId });
    // Keep the webhook de-duplication record (a late redelivery must not be processed again), drop its content.
    await WebhookEvent.updateMany({ userId: lineUserId }, { $set: { payload: { erased: true } }, $unset: { userId: 1 } });
  }
  await scrubLinkedRecords(member._id);
  log.info({ memberId: String(member._id) }, 'member data erased');
  return { erasedAt: now };
}

async function scrubLinkedRecords(memberId: Types.ObjectId): Promise<void> {
  for (const model of memberLinkedModels()) await ERASURE[model.modelName]?.(model, memberId);
}
