import { Router } from 'express';
import type { LiffConfig } from '../contracts/member';
import type { AppDeps } from '../../server/deps';
import { requireMember } from './auth';
import { createBenefitsRouter } from './benefits.routes';
import { createCardRouter } from './card.routes';
import { createCouponsRouter } from './coupons.routes';
import { createDevLoginRouter } from './dev-login.routes';
import { createPrivacyDocumentRouter, createPrivacyRouter } from './privacy.routes';
import { createProfileRouter } from './profile.routes';
import { createReferralRouter } from './referral.routes';

/**
 * /api/member: the LIFF member card's API. Every route below `requireMember` acts only on the member proven by
 * the LIFF ID token; nothing takes a member or user id from the page.
 */
export function createMemberApi(deps: AppDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/config', (_req, res) => {
    const body: LiffConfig = {
      liffId: deps.config.line.liffId,
      mock: isLocalEmulator(deps),
      addFriendUrl: deps.links.addFriend(),
      botBasicId: deps.config.line.botBasicId,
      timeZone: deps.config.timeZone,
    };
    res.json(body);
  });
  if (isLocalEmulator(deps)) {
    router.use(
      '/dev',
      createDevLoginRouter({ emulatorBaseURL: deps.emulatorBaseURL!, liffChannelId: deps.config.line.liffChannelId }),
    );
  }

  // A data link opens in a browser without an ID token; the signed link is its authentication.
  router.use('/privacy', createPrivacyDocumentRouter(deps));
  router.use(createBenefitsRouter());

  router.use(requireMember(deps));
  router.use(createCardRouter(deps));
  router.use(createCouponsRouter(deps));
  router.use(createProfileRouter(deps));
  router.use(createReferralRouter(deps));
  router.use('/privacy', createPrivacyRouter(deps));
  return router;
}

/** Mock LIFF and dev login exist only when this server itself runs the LINE emulator (never in production). */
function isLocalEmulator(deps: AppDeps): boolean {
  return deps.config.mode === 'local' && Boolean(deps.emulatorBaseURL);
}
