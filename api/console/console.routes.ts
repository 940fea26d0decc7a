import express, { Router } from 'express';
import type { AppDeps } from '../../server/deps';
import { createApiKeyRoutes } from './api-keys.routes';
import { createAuthRoutes } from './auth.routes';
import { createCampaignRoutes } from './campaigns.routes';
import { createJourneyRoutes } from './journeys.routes';
import { createCounterRoutes } from './counter.routes';
import { createApprovalRoutes } from './approvals.routes';
import { createPurchaseVoidRoutes } from './purchase-void.routes';
import { createFaqRoutes, createReplyRuleRoutes } from './conversation.routes';
import { createCouponRoutes } from './coupons.routes';
import { createStampRoutes } from './stamps.routes';
import { createSegmentRoutes } from './segments.routes';
import { createSettingsRoutes } from './settings.routes';
import { createReplyRoutes } from './replies.routes';
import { createRichMenuRoutes } from './richmenus.routes';
import { auditFallback, requireCsrf, requireSession } from './console-context';
import { createDashboardRoutes } from './dashboard.routes';
import { createImportRoutes } from './imports.routes';
import { createInboxRoutes } from './inbox.routes';
import { createMemberRoutes } from './members.routes';
import { createMemberMergeRoutes } from './member-merge.routes';
import { createPhoneProposalRoutes } from './phone-proposals.routes';
import { createAuditRoutes, createUserRoutes } from './users.routes';

/**
 * /api/console: the console's API. Mounted without a body parser by the composition root, so JSON (and the raw
 * CSV upload of imports) are parsed here. Order matters: sign-in is the only route without a session; then every
 * request needs a session (401), every write a CSRF token (403), every route a permission (403), and every
 * successful write leaves an audit entry.
 */
export function createConsoleApi(deps: AppDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(express.json({ limit: '1mb' }));
  // The marketer's edited texts (domain/replies) are current for anything a console action sends.
  router.use((_req, _res, next) => deps.replies.enter(next));
  router.use('/auth', createAuthRoutes(deps));
  router.use(requireSession(deps), requireCsrf, auditFallback(deps));
  router.use('/users', createUserRoutes(deps));
  router.use('/audit', createAuditRoutes());
  router.use('/members', createMemberRoutes(deps));
  router.use('/members', createMemberMergeRoutes(deps));
  router.use('/phone-proposals', createPhoneProposalRoutes(deps));
  router.use('/imports', createImportRoutes(deps));
  router.use('/dashboard', createDashboardRoutes(deps));
  router.use('/counter', createCounterRoutes(deps));
  router.use('/purchases', createPurchaseVoidRoutes(deps));
  router.use('/approvals', createApprovalRoutes(deps));
  router.use('/segments', createSegmentRoutes(deps));
  router.use('/campaigns', createCampaignRoutes(deps));
  router.use('/journeys', createJourneyRoutes(deps));
  router.use('/coupons', createCouponRoutes(deps));
  router.use('/stamps', createStampRoutes(deps));
  router.use('/settings', createSettingsRoutes(deps));
  // #13.2: before the texts' /replies router, so /replies/rules is the rules'.
  router.use('/replies/rules', createReplyRuleRoutes(deps));
  router.use('/replies', createReplyRoutes(deps));
  router.use('/richmenus', createRichMenuRoutes(deps));
  router.use('/api-keys', createApiKeyRoutes(deps));
  router.use('/inbox', createInboxRoutes(deps));
  router.use('/faq', createFaqRoutes(deps));
  return router;
}
