import { Router } from 'express';
import { getActiveCouponSummary, getRecentCampaignResults } from '../../domain/reports/dashboard';
import { getFunnelReport, getMemberKpis } from '../../domain/reports/funnel';
import { getRevenueReport } from '../../domain/reports/revenue';
import { getAffinityMeta, getItemAffinity, listAffinityItems } from '../../domain/purchases/affinity.service';
import {
  AffinityItemQuerySchema,
  type AffinityItemResponse,
  type AffinityListResponse,
} from '../contracts/console-affinity';
import { getRfmOverview } from '../../domain/segments/rfm.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { DashboardQuerySchema } from '../contracts/console';
import { requirePermission } from './console-context';
import { presentDashboard } from './presenters/program.presenter';

/** /api/console/dashboard: member KPIs, revenue (new vs returning, stores, liabilities), the funnel over time, RFM distribution, campaign results, active coupons. */
export function createDashboardRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('reports'));

  router.get('/', async (req, res) => {
    const q = parseOrThrow(DashboardQuerySchema, req.query);
    const now = deps.clock();
    const [kpis, revenue, funnel, rfm, campaigns, coupons] = await Promise.all([
      getMemberKpis(now),
      getRevenueReport({ from: q.from, to: q.to, now, timeZone: deps.config.timeZone }),
      getFunnelReport({ from: q.from, to: q.to, months: q.months, now, timeZone: deps.config.timeZone }),
      getRfmOverview(),
      getRecentCampaignResults(),
      getActiveCouponSummary(now),
    ]);
    res.json(presentDashboard({ kpis, revenue, funnel, rfm, campaigns, coupons }));
  });

  // 商品關聯 (#17.2): read from the materialised build (npm run affinity:rebuild, the nightly `affinity` job).
  router.get('/affinity', async (_req, res) => {
    const [meta, items] = await Promise.all([getAffinityMeta(), listAffinityItems()]);
    res.json({ meta, ...items } satisfies AffinityListResponse);
  });

  router.get('/affinity/item', async (req, res) => {
    const q = parseOrThrow(AffinityItemQuerySchema, req.query);
    res.json((await getItemAffinity(q.kind, q.key)) satisfies AffinityItemResponse);
  });

  return router;
}
