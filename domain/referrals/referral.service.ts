import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { syncMemberCounters } from '../reports/member-counters.service';
import { PointsEntry } from '../../models/points-entry.model';
import type { ProgramContext } from '../shared/context';
import type { Links } from '../shared/links';
import { recordInteraction } from '../interactions/interaction.service';
import {
  releaseAttempt,
  reserveAttempt,
  type AttemptLimit,
  type AttemptReservation,
} from '../shared/attempt-limit.service';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { generateShortCode, normalizeShortCode } from '../coupons/short-code';
import { getProgramSettings } from '../program/settings.service';
import { programText } from '../program/program-messages';
import { referrerChainReaches } from './referral-chain.service';

export { completeReferralOnPurchase } from './referral-reward.service';

export const REFERRAL_CODE_LENGTH = 6;
export const REFERRAL_RETURNING_TEXT = '推薦碼限新朋友使用，您之前已經使用過推薦碼了喔。';
type MemberRef = Types.ObjectId | string;

/** The member's referral code, created on first use (short, no 0/O/1/I, unique by index). */
export async function ensureReferralCode(memberId: MemberRef): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const m = await Member.findById(memberId, { referral: 1, erasedAt: 1 }).lean();
    if (!m || m.erasedAt) throw notFound('找不到這位會員。', 'member_not_found');
    if (m.referral?.code) return m.referral.code;
    try {
      const code = generateShortCode(REFERRAL_CODE_LENGTH);
      // Conditional on "no code yet", so two concurrent first calls agree on one code.
      await Member.updateOne({ _id: memberId, 'referral.code': null }, { $set: { 'referral.code': code } });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  throw new Error('could not allocate a unique referral code');
}

/**
 * The link a member shares: it opens a chat with the brand's LINE account with "推薦碼 XXXXXX" typed in, so the
 * friend adds the account and sends the code in one tap (the chat understands that message).
 */
export function referralShareLink(links: Pick<Links, 'oaMessage'>, code: string): string {
  return links.oaMessage(`推薦碼 ${code}`);
}

/**
 * Wrong referral codes allowed per member and per client IP (the card; the chat has no IP) before guessing pauses:
 * at most this many in any half hour plus the one before it. A hit, or a refusal for another reason, does not count.
 */
export const REFERRAL_GUESS_LIMITS = {
  member: { scope: 'referral-guess-member', limit: 5, windowMs: 30 * 60_000 },
  ip: { scope: 'referral-guess-ip', limit: 20, windowMs: 30 * 60_000 },
} satisfies Record<string, AttemptLimit>;

/**
 * How a referrer is named to the friend who entered the code: the first character of the LINE display name only
 * (王** for 王小明), so that a guessed code does not reveal who owns it.
 */
export function maskReferrerName(displayName: string | null | undefined): string {
  const first = [...(displayName ?? '').trim()][0];
  return first ? `${first}**` : '';
}

/** What the referee is told, and whom they were referred by (masked: `maskReferrerName`). */
export interface ApplyReferralResult {
  referrerId: string;
  referrerName: string;
  message: string;
}

/**
 * A new member enters a friend's code (chat "推薦碼 XXXX", LIFF, or the share link). Refused: unknown code
 * (`referral_not_found`), own code (`referral_self`), a second code (`referral_already_set`), a code entered by
 * someone who already bought or followed long ago (`referral_not_eligible`), or a friend whose chain of referrers
 * leads back to this member, directly or through others (`referral_circular`), or someone returning after deleting a
 * membership that had used a code (the erasure registry, `referral_not_eligible`). Binding is one conditional update,
 * so two concurrent codes → one wins.
 */
export async function applyReferralCode(input: {
  refereeId: MemberRef;
  code: string;
  now: Date;
  ip?: string;
}): Promise<ApplyReferralResult> {
  const settings = (await getProgramSettings()).referral;
  if (!settings.enabled) throw conflict('referral_disabled', '目前沒有推薦好友活動。');
  const code = typeof input.code === 'string' ? normalizeShortCode(input.code) : null;
  if (!code) throw badRequest('referral_not_found', '推薦碼格式不正確，請確認後再輸入。');
  const guesses = await reserveGuess(String(input.refereeId), input.ip, input.now);
  const [referee, referrer] = await Promise.all([
    Member.findById(input.refereeId, {
      referral: 1,
      stats: 1,
      followedAt: 1,
      createdAt: 1,
      erasedAt: 1,
      'priorRewards.referee': 1,
    }).lean(),
    Member.findOne({ 'referral.code': code, erasedAt: null }, { displayName: 1, referral: 1, status: 1 }).lean(),
  ]);
  // Only a wrong code counts as a guess.
  if (referrer || !referee) await Promise.all(guesses.map(releaseAttempt));
  if (!referee || referee.erasedAt) throw notFound('找不到這位會員。', 'member_not_found');
  if (!referrer) throw notFound('找不到這個推薦碼，請確認後再輸入。', 'referral_not_found');
  if (String(referrer._id) === String(referee._id)) throw badRequest('referral_self', '不能輸入自己的推薦碼喔！');
  if (referee.referral?.referredBy)
    throw conflict('referral_already_set', '您已經輸入過推薦碼了，每位會員只能輸入一次。');
  if (await referrerChainReaches(referrer._id, referee._id))
    throw conflict('referral_circular', '不能輸入您推薦的好友（或好友再推薦的朋友）的推薦碼。');
  // Came back after deleting a membership in which they had entered a code: not a new friend (erasure registry).
  if (referee.priorRewards?.referee) throw new AppError('referral_not_eligible', 409, REFERRAL_RETURNING_TEXT);
  assertNewMember(referee, input.now, settings.entryWindowDays);

  const res = await Member.updateOne(
    { _id: referee._id, 'referral.referredBy': null },
    { $set: { 'referral.referredBy': referrer._id, 'referral.referredAt': input.now } },
  );
  if (res.modifiedCount !== 1) throw conflict('referral_already_set', '您已經輸入過推薦碼了，每位會員只能輸入一次。');
  await syncMemberCounters(referrer._id, { referred: true });
  const referrerName = maskReferrerName(referrer.displayName);
  await recordInteraction({
    memberId: referee._id,
    type: 'event',
    channel: 'line',
    at: input.now,
    key: `referral-applied:${referee._id}`,
    summary: `輸入推薦碼 ${code}`,
    refs: { referrerId: String(referrer._id), code },
  });
  return { referrerId: String(referrer._id), referrerName, message: programText.referralApplied(referrerName) };
}

/** Counts a code attempt against the member and the IP before the lookup (so a burst cannot slip past the limit). */
async function reserveGuess(memberId: string, ip: string | undefined, now: Date): Promise<AttemptReservation[]> {
  const byMember = await reserveAttempt(REFERRAL_GUESS_LIMITS.member, memberId, now);
  if (!byMember.ok) throw guessThrottled(byMember.retryAfterSeconds);
  if (!ip) return [byMember.reservation];
  const byIp = await reserveAttempt(REFERRAL_GUESS_LIMITS.ip, ip, now);
  if (!byIp.ok) {
    await releaseAttempt(byMember.reservation);
    throw guessThrottled(byIp.retryAfterSeconds);
  }
  return [byMember.reservation, byIp.reservation];
}

function guessThrottled(retryAfterSeconds: number): AppError {
  return new AppError(
    'referral_throttled',
    429,
    `推薦碼輸入錯誤太多次了，請 ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} 分鐘後再試。`,
    { retryAfterSeconds },
  );
}

function assertNewMember(
  referee: { stats?: { purchaseCount?: number | null } | null; followedAt?: Date | null; createdAt?: Date | null },
  now: Date,
  windowDays: number,
): void {
  if ((referee.stats?.purchaseCount ?? 0) > 0)
    throw new AppError('referral_not_eligible', 409, '推薦碼限新朋友在第一次消費前輸入喔。');
  const joined = referee.followedAt ?? referee.createdAt;
  if (joined && now.getTime() - joined.getTime() > windowDays * 86_400_000) {
    throw new AppError('referral_not_eligible', 409, `推薦碼需在加入後 ${windowDays} 天內輸入。`);
  }
}

export interface ReferralSummary {
  code: string;
  link: string;
  /** Friends who entered this member's code. */
  friendsJoined: number;
  /** Friends whose first purchase earned this member a reward. */
  rewardsEarned: number;
  pointsEarned: number;
  /** `maskedName` is what the member themself is shown (`maskReferrerName`); `displayName` is for staff. */
  referredBy: { id: string; displayName: string; maskedName: string } | null;
}

/** The card's "推薦好友" section. */
export async function getReferralSummary(
  memberId: MemberRef,
  ctx: Pick<ProgramContext, 'links'>,
): Promise<ReferralSummary> {
  const code = await ensureReferralCode(memberId);
  const me = await Member.findById(memberId, { referral: 1 }).lean();
  const [friendsJoined, rewardsEarned, points, referrer] = await Promise.all([
    Member.countDocuments({ 'referral.referredBy': me!._id }),
    Member.countDocuments({ 'referral.referredBy': me!._id, 'referral.rewardedAt': { $ne: null } }),
    PointsEntry.aggregate<{ total: number }>([
      { $match: { memberId: me!._id, reason: 'referral' } },
      { $group: { _id: null, total: { $sum: '$delta' } } },
    ]),
    me!.referral?.referredBy ? Member.findById(me!.referral.referredBy, { displayName: 1, name: 1 }).lean() : null,
  ]);
  return {
    code,
    link: referralShareLink(ctx.links, code),
    friendsJoined,
    rewardsEarned,
    pointsEarned: points[0]?.total ?? 0,
    referredBy: referrer
      ? {
          id: String(referrer._id),
          displayName: referrer.name || referrer.displayName || '',
          maskedName: maskReferrerName(referrer.displayName),
        }
      : null,
  };
}
