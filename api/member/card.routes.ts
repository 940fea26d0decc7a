import { Router } from 'express';
import type { Card, PointsHistory } from '../contracts/member';
import { PageQuerySchema } from '../contracts/member';
import { getMemberSummary } from '../../domain/members/member-summary';
import { listMemberStampCards } from '../../domain/stamps/stamp-view.service';
import { listPointsHistory } from '../../domain/points/points.service';
import { getProgramSettings } from '../../domain/program/settings.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';

/** GET /me (the card) and GET /points (the ledger, newest first, paged). */
export function createCardRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const member = memberOf(res);
    const now = deps.clock();
    const [summary, { brand }, stampCards] = await Promise.all([
      getMemberSummary(member, now),
      getProgramSettings(),
      listMemberStampCards(member._id, now),
    ]);
    const { tier, soonestExpiring: expiring, activeCoupons, pointsBalance, profileComplete, credit } = summary;
    const body: Card = {
      brand: {
        name: brand.name,
        logoUrl: brand.logoUrl,
        primaryColor: brand.primaryColor,
        accentColor: brand.accentColor,
        phone: brand.phone,
        lineId: brand.lineId,
        termsUrl: brand.termsUrl,
        privacyUrl: brand.privacyUrl,
        stores: brand.stores.map((s) => ({
          id: s.id,
          name: s.name,
          address: s.address,
          hours: s.hours,
          mapUrl: s.mapUrl,
        })),
      },
      displayName: member.displayName ?? '',
      pictureUrl: member.pictureUrl ?? null,
      memberCode: member.memberCode,
      pointsBalance,
      soonestExpiring: expiring ? { points: expiring.points, expiresAt: expiring.expiresAt.toISOString() } : null,
      credit: {
        balance: credit.balance,
        soonestExpiring: credit.expiring
          ? { amount: credit.expiring.amount, expiresAt: credit.expiring.expiresAt.toISOString() }
          : null,
      },
      tier: {
        code: tier.code,
        label: tier.label,
        multiplier: tier.multiplier,
        next: tier.next,
        progress: tier.progress,
        benefits: tier.benefits,
        reviewAt: tier.reviewAt,
      },
      activeCoupons,
      // Invite to the profile form until the persona is complete (the one definition: domain/members/profile-complete.ts).
      profileIncomplete: !profileComplete,
      stampCards,
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
