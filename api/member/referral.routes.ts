import { Router } from 'express';
import { ApplyReferralRequestSchema, type ReferralView } from '../contracts/member';
import { getProgramSettings } from '../../domain/program/settings.service';
import { applyReferralCode, getReferralSummary } from '../../domain/referrals/referral.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { MemberDoc } from '../../models/member.model';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';
import { memberText } from './member-messages';

/** GET /referral (own code, share link, stats) and POST /referral (enter a friend's code once). */
export function createReferralRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/referral', async (_req, res) => {
    res.json(await referralView(deps, memberOf(res)));
  });

  router.post('/referral', async (req, res) => {
    const { code } = parseOrThrow(ApplyReferralRequestSchema, req.body);
    const member = memberOf(res);
    const applied = await applyReferralCode({ refereeId: member._id, code, now: deps.clock(), ip: req.ip });
    const view = await referralView(deps, member);
    res.json({ ...view, referredBy: view.referredBy ?? applied.referrerName, canEnterCode: false });
  });
  return router;
}

async function referralView(deps: AppDeps, member: MemberDoc): Promise<ReferralView> {
  const now = deps.clock();
  const [summary, settings] = await Promise.all([getReferralSummary(member._id, deps), getProgramSettings()]);
  // Only offered while applyReferralCode would accept it (new member, no purchase yet, inside the entry window).
  const joined = member.followedAt ?? (member as { createdAt?: Date }).createdAt ?? now;
  const inWindow = now.getTime() - joined.getTime() <= settings.referral.entryWindowDays * 86_400_000;
  return {
    code: summary.code,
    link: summary.link,
    shareText: memberText.shareText(summary.code),
    friendsJoined: summary.friendsJoined,
    rewardsEarned: summary.rewardsEarned,
    pointsEarned: summary.pointsEarned,
    referredBy: summary.referredBy ? summary.referredBy.maskedName || memberText.aFriend : null,
    canEnterCode:
      !summary.referredBy &&
      !member.priorRewards?.referee &&
      settings.referral.enabled &&
      inWindow &&
      (member.stats?.purchaseCount ?? 0) === 0,
  };
}
