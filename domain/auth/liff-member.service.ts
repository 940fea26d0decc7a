import { Member, type MemberDoc } from '../../models/member.model';
import type { LiffIdentity } from './id-token.service';

/**
 * The member behind a verified LIFF identity, or null when this LINE user is not (or no longer) a member:
 * never followed, blocked the account, or erased their data. Keeps the LINE display name and picture fresh from
 * the token (one conditional update, only when they changed).
 */
export async function findLiffMember(identity: LiffIdentity): Promise<MemberDoc | null> {
  const member = await Member.findOne({ lineUserId: identity.sub, erasedAt: null });
  if (!member || member.status === 'blocked') return null;
  const patch: Record<string, string> = {};
  if (identity.name && identity.name !== member.displayName) patch.displayName = identity.name;
  if (identity.picture && identity.picture !== member.pictureUrl) patch.pictureUrl = identity.picture;
  if (Object.keys(patch).length) {
    await Member.updateOne({ _id: member._id }, { $set: patch });
    member.set(patch);
  }
  return member;
}
