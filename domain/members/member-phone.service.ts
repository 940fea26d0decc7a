import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';

/**
 * How a phone a LINE member gives (the persona chat or the card's profile, #16.6) is stored. The `phone` index is
 * unique and a match is never merged silently:
 * - nobody else has it (or this member already does): it goes into `phone`, where the counter finds it;
 * - an **imported** member (CSV, no LINE userId) has it: it is kept in `phoneClaim` as *proposed*, unverified and
 *   not in `phone`, and staff see 「可能是同一人」 in the console (member-phone-proposals.service.ts): 合併 runs the
 *   existing merge (the imported phone moves over), 不是同一人 dismisses it (the claim stays, and is not proposed
 *   again for the same record);
 * - another **LINE** member has it: refused (`taken`); the member is told politely to ask the store.
 * Proving ownership by a one-time SMS code is the `PhoneVerifier` port (phone-verification.ts), not wired yet.
 */
export type PhonePlan =
  | { kind: 'taken' }
  | { kind: 'write'; $set: Record<string, unknown>; $unset: Record<string, 1>; proposedWith?: string };

type MemberRef = Types.ObjectId | string;

/** The card's note beside a phone waiting for the staff's decision (a proposal, see above). */
export const PHONE_PENDING_TEXT = '這個號碼也在門市的會員資料中，門市人員確認是同一人後會幫您合併資料與點數。';

/** The card's words when the number is another LINE member's (the chat's are the editable `persona.phoneTaken`). */
export const PHONE_TAKEN_TEXT =
  '這支手機號碼已經登記在其他會員帳號，無法重複使用。如果是您本人的號碼，請到門市或聯絡客服協助處理。';

/** Decides where `phone` (already normalised `09XXXXXXXX`, or null to clear) goes for this member. */
export async function planPhoneWrite(memberId: MemberRef, phone: string | null, now: Date): Promise<PhonePlan> {
  if (phone === null) return { kind: 'write', $set: {}, $unset: { phone: 1, phoneClaim: 1 } };
  const owner = await Member.findOne({ phone, _id: { $ne: memberId } }, { lineUserId: 1, mergedInto: 1 }).lean();
  if (!owner) return { kind: 'write', $set: { phone }, $unset: { phoneClaim: 1 } };
  if (owner.lineUserId || owner.mergedInto) return { kind: 'taken' };
  const importedId = String(owner._id);
  const me = await Member.findById(memberId, { phoneClaim: 1 }).lean();
  const prev = me?.phoneClaim;
  // Staff already said these two are different people: keep their decision rather than asking again.
  if (prev?.phone === phone && String(prev.importedId) === importedId && prev.status === 'dismissed')
    return { kind: 'write', $set: {}, $unset: { phone: 1 } };
  if (prev?.phone === phone && String(prev.importedId) === importedId && prev.status === 'proposed')
    return { kind: 'write', $set: {}, $unset: { phone: 1 }, proposedWith: importedId };
  return {
    kind: 'write',
    $set: { phoneClaim: { phone, importedId: owner._id, status: 'proposed', at: now } },
    $unset: { phone: 1 },
    proposedWith: importedId,
  };
}

/** A write that lost the race for the unique phone index (someone took the number meanwhile): plan again. */
export function isPhoneDuplicate(err: unknown): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown> };
  return e?.code === 11000 && Boolean(e.keyPattern && 'phone' in e.keyPattern);
}
