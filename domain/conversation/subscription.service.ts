import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { setMarketingConsent } from '../members/profile-edit.service';

/**
 * 取消訂閱 / 訂閱 from the chat (#13.3): the same switch as the card's 「接收優惠訊息」. Turning marketing off needs a
 * confirmation, so the question the bot asked is remembered on the member (`conversation.pending`) for a while and a
 * natural yes/no answers it. Transactional messages (points, coupons, birthday) are not affected.
 */

export type PendingQuestion = 'unsubscribe';
/** A confirmation older than this is forgotten: a later 好 is not read as an answer to it. */
export const PENDING_TTL_MS = 15 * 60_000;

/** The yes/no question waiting for this member's answer, if it is still fresh. */
export function pendingQuestionOf(
  member: { conversation?: { pending?: string | null; pendingAt?: Date | null } | null },
  now: Date,
): PendingQuestion | null {
  const c = member.conversation;
  if (c?.pending !== 'unsubscribe' || !c.pendingAt) return null;
  return now.getTime() - new Date(c.pendingAt).getTime() <= PENDING_TTL_MS ? 'unsubscribe' : null;
}

export async function setPendingQuestion(
  memberId: Types.ObjectId | string,
  pending: PendingQuestion | null,
  now: Date,
): Promise<void> {
  await Member.updateOne(
    { _id: memberId },
    pending
      ? { $set: { 'conversation.pending': pending, 'conversation.pendingAt': now } }
      : { $unset: { conversation: 1 } },
  );
}

/** Marketing messages off (confirmed in the chat); the pending question is cleared in the same call. */
export async function unsubscribeFromChat(memberId: Types.ObjectId | string, now: Date): Promise<void> {
  await setMarketingConsent(memberId, false, now, '', 'line');
  await setPendingQuestion(memberId, null, now);
}

/**
 * Marketing messages back on. Needs the personal-data notice accepted (false otherwise: the caller shows the
 * notice instead).
 */
export async function resubscribeFromChat(memberId: Types.ObjectId | string, now: Date): Promise<boolean> {
  try {
    await setMarketingConsent(memberId, true, now, '需要先同意個資告知', 'line');
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'consent_required') return false;
    throw err;
  }
}
