import { Router } from 'express';
import type { Card, PointsHistory } from '../contracts/member';
import { PageQuerySchema } from '../contracts/member';
import { getMemberSummary } from '../../domain/members/member-summary';
import { listPointsHistory } from '../../domain/points/points.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';

/** GET /me (the card) and GET /points (the ledger, newest first, paged). */
export function createCardRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const member = memberOf(res);
    const {
      tier,
      soonestExpiring: expiring,
      activeCoupons,
      pointsBalance,
      profileComplete,
    } = await getMemberSummary(member, deps.clock());
    const body: Card = {
      displayName: member.displayName ?? '',
      pictureUrl: member.pictureUrl ?? null,
      memberCode: member.memberCode,
      pointsBalance,
      soonestExpiring: expiring ? { points: expiring.points, expiresAt: expiring.expiresAt.toISOString() } : null,
      tier: {
        code: tier.code,
        label: tier.label,
        multiplier: tier.multiplier,
        next: tier.next,
        progress: tier.progress,
      },
      activeCoupons,
      // Invite to the profile form until the persona is complete (the one definition: domain/members/profile-complete.ts).
      profileIncomplete: !profileComplete,
    };
    res.json(body);
  });

  router.get('/points', async (req, res) => {
    const q = parseOrThrow(PageQuerySchema, req.query);
    const page = await listPointsHistory(memberOf(res)._id, q);
    const body: PointsHistory = {
      items: page.items.map((e) => ({
        id: e.id,
        delta: e.delta,
        reason: e.reason,
        reasonLabel: e.reasonLabel,
        note: e.note,
        at: e.at,
        expiresAt: e.expiresAt,
        balanceAfter: e.balanceAfter,
      })),
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
      hasMore: page.page * page.pageSize < page.total,
    };
    res.json(body);
  });
  return router;
}
