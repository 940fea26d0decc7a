import { Router } from 'express';
import { z } from 'zod';
import { voidPurchase } from '../../domain/purchases/purchase-void.service';
import { refundPurchaseById } from '../../domain/purchases/purchase-refund.service';
import { RefundPurchaseRequestSchema } from '../contracts/console';
import { presentPurchaseRefund } from './presenters/purchases.presenter';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';

export const VoidPurchaseRequestSchema = z.strictObject({
  reason: z.string({ error: '請填寫作廢原因' }).trim().min(2, '作廢原因至少 2 個字').max(200, '作廢原因最多 200 字'),
});

/**
 * /api/console/purchases/:id/void: undo a counter mistake (staff same day at their store, admins any time).
 * /api/console/purchases/:id/refund: refund a purchase in full or in part, with a reason (`purchases.refund`, #16).
 */
export function createPurchaseVoidRoutes(deps: AppDeps): Router {
  const router = Router();
  router.post('/:id/void', requirePermission('counter'), async (req, res) => {
    const { reason } = parseOrThrow(VoidPurchaseRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const result = await voidPurchase({
      purchaseId: String(req.params.id),
      reason,
      user: { id: user.id, role: user.role, storeId: user.storeId },
      now: deps.clock(),
      timeZone: deps.config.timeZone,
    });
    await audit(deps, req, res, {
      action: 'purchase.void',
      target: { type: 'purchase', id: result.purchaseId, label: result.orderId },
      details: { amount: result.amount, reason, replayed: result.replayed },
    });
    res.json({ purchase: result });
  });

  router.post('/:id/refund', requirePermission('purchases.refund'), async (req, res) => {
    const body = parseOrThrow(RefundPurchaseRequestSchema, req.body);
    const user = consoleLocals(res).session.user;
    const out = await refundPurchaseById(
      { purchaseId: String(req.params.id), ...body },
      { now: deps.clock(), actor: user.id },
    );
    await audit(deps, req, res, {
      action: 'purchase.refund',
      target: { type: 'purchase', id: String(out.purchase._id), label: out.purchase.orderId },
      details: {
        memberId: String(out.purchase.memberId),
        amount: out.refund.amount,
        reason: body.reason,
        refundAs: body.refundAs,
        creditReturned: out.refund.creditReturned,
        pointsReturned: out.refund.pointsReturned,
        pointsReversed: out.refund.pointsReversed,
        replayed: out.refund.replayed,
      },
    });
    res.status(out.refund.replayed ? 200 : 201).json(presentPurchaseRefund(out));
  });
  return router;
}
