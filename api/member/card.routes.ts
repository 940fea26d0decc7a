import { Router } from 'express';
import type { Card, PointsHistory } from '../contracts/member';
import { PageQuerySchema } from '../contracts/member';
import { listWallet } from '../../domain/coupons';
import { getSoonestExpiring, listPointsHistory } from '../../domain/points/points.service';
import { getPersonaScript } from '../../domain/persona/persona-script.service';
import { getProgramSettings } from '../../domain/program/settings.service';
import { getTierStatus } from '../../domain/tiers/tier.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';
import { describeProfileFields } from './profile-answers';

/** GET /me (the card) and GET /points (the ledger, newest first, paged). */
export function createCardRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const member = memberOf(res);
    const now = deps.clock();
    const [tier, expiring, wallet, settings, script] = await Promise.all([
      getTierStatus(member, now), getSoonestExpiring(member._id, now), listWallet(member._id, now), getProgramSettings(), getPersonaScript(),
    ]);
    const currentMin = settings.tiers.find((t) => t.code === tier.code)?.minSpend ?? 0;
    const body: Card = {
      displayName: member.displayName ?? '',
      pictureUrl: member.pictureUrl ?? null,
      memberCode: member.memberCode,
      pointsBalance: member.pointsBalance ?? 0,
      soonestExpiring: expiring ? { points: expiring.points, expiresAt: expiring.expiresAt.toISOString() } : null,
      tier: { code: tier.code, label: tier.label, multiplier: tier.multiplier, next: tier.next, progress: tierProgress(tier.rollingSpend, currentMin, tier.next?.spendNeeded ?? null) },
      activeCoupons: wallet.active.length,
      // Invite to fill in the profile while any persona field is still empty (on the card or in the chat).
      profileIncomplete: describeProfileFields(script, member, {}).some((f) => !f.value),
    };
    res.json(body);
  });

  router.get('/points', async (req, res) => {
    const q = parseOrThrow(PageQuerySchema, req.query);
    const page = await listPointsHistory(memberOf(res)._id, q);
    const body: PointsHistory = {
      items: page.items.map((e) => ({ id: e.id, delta: e.delta, reason: e.reason, reasonLabel: e.reasonLabel, note: e.note, at: e.at, expiresAt: e.expiresAt, balanceAfter: e.balanceAfter })),
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
      hasMore: page.page * page.pageSize < page.total,
    };
    res.json(body);
  });
  return router;
}

/** Share of the way from the current tier's threshold to the next one (1 at the top tier). */
export function tierProgress(spend: number, currentMin: number, spendNeeded: number | null): number {
  if (spendNeeded === null) return 1;
  const span = spend + spendNeeded - currentMin;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (spend - currentMin) / span));
}
