import { Router, type Response } from 'express';
import { addManualStamp } from '../../domain/stamps/stamp.service';
import {
  createStampTemplate,
  listStampTemplates,
  updateStampTemplate,
} from '../../domain/stamps/stamp-template.service';
import { listMemberStampCards } from '../../domain/stamps/stamp-view.service';
import { parseOrThrow } from '../../domain/shared/validation';
import { objectIdSchema } from '../../shared/ids';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';

/**
 * /api/console/stamps (#16.1): the 集點卡 page (templates: `stamps.manage`, marketers and admins) and the staff's stamp
 * panel on a member (their cards, and one manual stamp within the template's daily limit, audited by the domain).
 */
export function createStampRoutes(deps: AppDeps): Router {
  const router = Router();
  const user = (res: Response) => consoleLocals(res).session.user;
  const manage = requirePermission('stamps.manage');
  const counter = requirePermission('counter');

  router.get('/templates', manage, async (_req, res) => {
    res.json({ templates: await listStampTemplates() });
  });

  router.post('/templates', manage, async (req, res) => {
    const template = await createStampTemplate(req.body, user(res).id, deps.clock());
    await audit(deps, req, res, {
      action: 'stamp_template.create',
      target: { type: 'stamp_template', id: template.id, label: template.name },
    });
    res.status(201).json({ template });
  });

  router.put('/templates/:id', manage, async (req, res) => {
    const id = parseOrThrow(objectIdSchema(), String(req.params.id));
    const template = await updateStampTemplate(id, req.body, user(res).id, deps.clock());
    await audit(deps, req, res, {
      action: 'stamp_template.update',
      target: { type: 'stamp_template', id: template.id, label: template.name },
      details: { patch: req.body },
    });
    res.json({ template });
  });

  router.get('/members/:memberId', counter, async (req, res) => {
    const memberId = parseOrThrow(objectIdSchema(), String(req.params.memberId));
    res.json({ cards: await listMemberStampCards(memberId, deps.clock()) });
  });

  router.post('/manual', counter, async (req, res) => {
    const u = user(res);
    const now = deps.clock();
    const result = await addManualStamp(
      req.body,
      { id: u.id, name: u.displayName, role: u.role },
      { now, timeZone: deps.config.timeZone },
    );
    // addManualStamp wrote the specific audit entry (stamp.manual); no generic one on top.
    consoleLocals(res).audited = true;
    res.json({ ...result, cards: await listMemberStampCards(String(req.body.memberId), now) });
  });
  return router;
}
