import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';

/**
 * How far up a chain of referrers is followed. Every binding is checked, so no ring can form through the API and a
 * real chain this long does not happen; the bound only keeps a corrupted chain from looping the check forever.
 */
const MAX_CHAIN = 100;

/**
 * True when `memberId` is `startId` or one of its referrers, however far up (`startId` was referred by X, X by Y, …).
 * Binding a referee to a referrer whose chain reaches the referee would close a ring (A→B→C→A) in which every
 * member's first purchase pays another member of the same ring.
 */
export async function referrerChainReaches(
  startId: Types.ObjectId | string,
  memberId: Types.ObjectId | string,
): Promise<boolean> {
  const target = String(memberId);
  const seen = new Set<string>();
  let current: Types.ObjectId | string | null | undefined = startId;
  while (current && seen.size < MAX_CHAIN) {
    const id = String(current);
    if (id === target) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    const m: { referral?: { referredBy?: Types.ObjectId | null } | null } | null = await Member.findById(current, {
      'referral.referredBy': 1,
    }).lean();
    current = m?.referral?.referredBy;
  }
  return false;
}
