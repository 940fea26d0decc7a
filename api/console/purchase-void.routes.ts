import { Router } from 'express';
import { z } from 'zod';
import { voidPurchase } from '../../domain/purchases/purchase-void.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';

export const VoidPurchaseRequestSchema = z.strictObject({
  reason: z.string({ error: '請填寫作廢原因' }).trim().min(2, '作廢原因至少 2 個字').max(200, '作廢原因最多 200 字'),
});

/** /api/console/purchases/:id/void: undo a counter mistake (staff same day at their store, admins any time). */
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
  return router;
}
