import { Router } from 'express';
import { z } from 'zod';
import { approveAdjustment, listApprovals, rejectAdjustment } from '../../domain/points/points-approval.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';

export const ApprovalListQuerySchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).default('pending'),
});
export const ApprovalDecisionSchema = z.strictObject({
  note: z.string().trim().max(200, '備註最多 200 字').optional(),
});

/** /api/console/approvals: manual points adjustments held over a role's cap, decided by an admin (#16.5). */
export function createApprovalRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('points.approve'));

  router.get('/', async (req, res) => {
    const { status } = parseOrThrow(ApprovalListQuerySchema, req.query);
    res.json({ approvals: await listApprovals(status) });
  });

  router.post('/:id/approve', async (req, res) => {
    const { note } = parseOrThrow(ApprovalDecisionSchema, req.body ?? {});
    const user = consoleLocals(res).session.user;
    const out = await approveAdjustment({
      approvalId: String(req.params.id),
      actor: { id: user.id, name: user.displayName, role: user.role },
      note,
      now: deps.clock(),
      timeZone: deps.config.timeZone,
    });
    await audit(deps, req, res, {
      action: `${out.approval.kind}.approval.approve`,
      target: { type: 'member', id: out.approval.memberId },
      details: { approvalId: out.approval.id, delta: out.approval.delta, balance: out.balance, replayed: out.replayed },
    });
    res.json(out);
  });

  router.post('/:id/reject', async (req, res) => {
    const { note } = parseOrThrow(ApprovalDecisionSchema, req.body ?? {});
    const user = consoleLocals(res).session.user;
    const out = await rejectAdjustment({
      approvalId: String(req.params.id),
      actor: { id: user.id, name: user.displayName, role: user.role },
      note,
      now: deps.clock(),
    });
    await audit(deps, req, res, {
      action: `${out.approval.kind}.approval.reject`,
      target: { type: 'member', id: out.approval.memberId },
      details: { approvalId: out.approval.id, delta: out.approval.delta, note, replayed: out.replayed },
    });
    res.json(out);
  });
  return router;
}
