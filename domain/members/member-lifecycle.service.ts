import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import type { LineProfile } from '../messaging/messenger';
import { syncMemberCounters } from '../reports/member-counters.service';
import { notFound } from '../shared/errors';
import { findPriorRewards } from './erasure-registry.service';
import { generateMemberCode, isDuplicateMemberCode } from './member.service';

/**
 * How a LINE friend becomes a member and what happens when they block or unblock the account. Members are
 * never deleted here: blocking only marks them, so a re-follow finds their history, points and coupons intact.
 * Someone who erased their membership and comes back gets a fresh, empty one that carries only the flags of the
 * one-time rewards already given (`priorRewards`, from the erasure registry keyed by the HMAC of the LINE userId).
 */

/** The key of the erasure registry's HMAC (config `privacy.erasureHmacSecret`). */
export interface LifecycleKeys {
  erasureSecret: string;
}

export interface FollowResult {
  member: NonNullable<Awaited<ReturnType<typeof loadMember>>>;
  created: boolean;
  /** Was blocked before this follow (a returning member). */
  reactivated: boolean;
}

const CODE_ATTEMPTS = 5;

/**
 * `follow`: creates the member on first follow, or re-activates a blocked one, keeping everything else.
 * The profile (display name, picture) is refreshed when LINE returned one.
 */
export async function registerFollow(
  input: { lineUserId: string; profile: LineProfile | null; now: Date } & LifecycleKeys,
): Promise<FollowResult> {
  const profileSet = profileFields(input.profile);
  // One round trip for a known member: update, and read the document as it was (the update's effect is applied here).
  const set = { status: 'active' as const, followedAt: input.now, ...profileSet };
  const before = await Member.findOneAndUpdate(
    { lineUserId: input.lineUserId },
    { $set: set, $unset: { blockedAt: 1 } },
    { returnDocument: 'before' },
  ).lean();
  if (before) {
    await syncMemberCounters(before._id);
    const { blockedAt: _unset, ...kept } = before;
    return { member: { ...kept, ...set }, created: false, reactivated: before.status === 'blocked' };
  }
  const { member, created } = await createForLineUser(input, profileSet);
  await syncMemberCounters(member._id);
  return { member, created, reactivated: false };
}

/**
 * A 1:1 chat from a LINE user we have no member for (they followed before the bot was connected, or the follow
 * event was lost): creates the member so the conversation can go on. Group and room events never come here.
 */
export async function ensureMemberForLineUser(
  input: { lineUserId: string; profile: () => Promise<LineProfile | null>; now: Date } & LifecycleKeys,
) {
  const existing = await loadMemberByLineUserId(input.lineUserId);
  if (existing?.status === 'blocked') {
    // LINE lets nobody who blocks the account chat with it: a message means they unblocked (the follow was lost).
    await Member.updateOne(
      { _id: existing._id, status: 'blocked' },
      { $set: { status: 'active' }, $unset: { blockedAt: 1 } },
    );
    await syncMemberCounters(existing._id);
    return { member: (await loadMember(existing._id))!, created: false };
  }
  if (existing) return { member: existing, created: false };
  const profile = await input.profile().catch(() => null);
  const made = await createForLineUser(input, profileFields(profile));
  await syncMemberCounters(made.member._id);
  return made;
}

/** `unfollow`: marks the member blocked (excluded from every push); nothing is deleted. Null when unknown. */
export async function markUnfollowed(lineUserId: string, now: Date) {
  const member = await Member.findOneAndUpdate(
    { lineUserId },
    { $set: { status: 'blocked', blockedAt: now } },
    { returnDocument: 'after', projection: { _id: 1, status: 1, blockedAt: 1 } },
  ).lean();
  await syncMemberCounters(member?._id);
  return member;
}

/**
 * The member's answer to the personal-data notice. Accepting also allows marketing pushes; declining withdraws
 * it. The notice version is stored so a changed notice can be asked again.
 */
export async function recordConsent(
  memberId: Types.ObjectId | string,
  decision: 'accepted' | 'declined',
  version: string,
  now: Date,
) {
  const updated = await Member.findOneAndUpdate(
    { _id: memberId },
    {
      $set: {
        'consent.status': decision,
        'consent.version': version,
        'consent.at': now,
        'consent.marketing': decision === 'accepted',
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw notFound('找不到這位會員。', 'member_not_found');
  await syncMemberCounters(updated._id);
  return updated;
}

function profileFields(profile: LineProfile | null): Record<string, string> {
  if (!profile) return {};
  return { displayName: profile.displayName ?? '', ...(profile.pictureUrl ? { pictureUrl: profile.pictureUrl } : {}) };
}

/**
 * Inserts via upsert on the LINE userId so two events racing for a new user (follow and a message) end with one
 * member: the loser of the race sees a duplicate on `lineUserId` and reads the winner's document. The prior
 * rewards of an erased membership are part of the insert, so no reward can slip in before they are known.
 */
async function createForLineUser(
  input: { lineUserId: string; now: Date } & LifecycleKeys,
  profileSet: Record<string, string>,
) {
  const { lineUserId, now } = input;
  const prior = await findPriorRewards(input.erasureSecret, { lineUserId });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await Member.updateOne(
        { lineUserId },
        {
          $setOnInsert: {
            lineUserId,
            memberCode: generateMemberCode(),
            status: 'active',
            followedAt: now,
            // The follow or first message that creates the member is their latest interaction: set here, the
            // timeline line written with the answer needs no write of its own to move it (and the member's first
            // counters below already count the day).
            lastInteractionAt: now,
            ...profileSet,
            consent: { status: 'pending', marketing: false },
            pointsBalance: 0,
            tags: [],
            ...(prior ? { priorRewards: prior } : {}),
          },
        },
        { upsert: true },
      );
      const member = await loadMemberByLineUserId(lineUserId);
      if (!member) throw new Error('member vanished right after its upsert');
      return { member, created: res.upsertedCount === 1 };
    } catch (err) {
      if (isDuplicateMemberCode(err) && attempt < CODE_ATTEMPTS) continue;
      if ((err as { code?: number }).code === 11000) {
        const winner = await loadMemberByLineUserId(lineUserId);
        if (winner) return { member: winner, created: false };
      }
      throw err;
    }
  }
}

async function loadMember(id: Types.ObjectId) {
  return Member.findById(id).lean();
}

async function loadMemberByLineUserId(lineUserId: string) {
  return Member.findOne({ lineUserId }).lean();
}
