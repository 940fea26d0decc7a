import { Router } from 'express';
import { z } from 'zod';
import { findCouponByCode, redeemCoupon } from '../../domain/coupons';
import { getPurchase, ingestPurchase, refundPurchase } from '../../domain/purchases/purchase.service';
import { parseOrThrow } from '../../domain/shared/validation';
import { programContext } from '../../domain/shared/context';
import type { AppDeps } from '../../server/deps';
import { integrationOf, requireApiKey } from './api-key.auth';

const RedeemSchema = z
  .object({
    code: z.string().trim().min(1, '請提供優惠券代碼').max(40),
    storeId: z.string().trim().min(1).max(40).optional(),
    orderAmount: z.number().min(0).optional(),
  })
  .strict();

/**
 * /api/ingest: for POS and e-commerce systems (API-key auth). Orders are idempotent per integration source:
 * the first POST of an order answers 201, a replay 200 with the same body and `Idempotent-Replayed: true`.
 */
export function createIngestApi(deps: AppDeps): Router {
  const router = Router();
  router.use(requireApiKey(deps));
  const ctx = (res: Parameters<typeof integrationOf>[0]) => {
    const i = integrationOf(res);
    return { ...programContext(deps, { actor: `pos:${i.name}` }), source: i.source };
  };

  router.post('/purchases', async (req, res) => {
    const result = await ingestPurchase(req.body, ctx(res));
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.replayed ? 200 : 201).json(result);
  });

  router.get('/purchases/:orderId', async (req, res) => {
    res.json(await getPurchase(integrationOf(res).source, req.params.orderId));
  });

  router.post('/purchases/:orderId/refunds', async (req, res) => {
    const body = typeof req.body === 'object' && req.body !== null ? req.body : {};
    const result = await refundPurchase({ ...body, orderId: req.params.orderId }, ctx(res));
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.replayed ? 200 : 201).json(result);
  });

  router.get('/coupons/:code', async (req, res) => {
    res.json(await findCouponByCode(req.params.code, deps.clock()));
  });

  router.post('/coupons/redeem', async (req, res) => {
    const v = parseOrThrow(RedeemSchema, req.body);
    const c = ctx(res);
    res.json(await redeemCoupon({ ...v, actor: c.actor, now: c.now, timeZone: c.timeZone }));
  });

  return router;
}
