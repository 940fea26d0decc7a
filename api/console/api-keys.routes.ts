import { Router, type Response } from 'express';
import {
  createIntegrationKey,
  listIntegrationKeys,
  revokeIntegrationKey,
} from '../../domain/integrations/api-key.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { audit, consoleLocals, requirePermission } from './console-context';
import { CreateApiKeyRequestSchema, type CreatedApiKey } from '../contracts/console';
import { presentIntegrationKeys } from './presenters/staff.presenter';

/** /api/console/api-keys (admin): keys for POS and e-commerce integrations; the plaintext key is shown once. */
export function createApiKeyRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('api-keys'));
  const actorId = (res: Response) => consoleLocals(res).session.user.id;

  router.get('/', async (_req, res) => {
    res.json({ keys: presentIntegrationKeys(await listIntegrationKeys()) });
  });

  router.post('/', async (req, res) => {
    const body = parseOrThrow(CreateApiKeyRequestSchema, req.body);
    const created = await createIntegrationKey(body.name, { source: body.source || undefined, actor: actorId(res) });
    await audit(deps, req, res, {
      action: 'api_key.create',
      target: { type: 'api_key', id: created.id, label: body.name },
      details: { source: created.source },
    });
    res.status(201).json(created satisfies CreatedApiKey);
  });

  router.delete('/:id', async (req, res) => {
    const id = String(req.params.id);
    await revokeIntegrationKey(id, { actor: actorId(res), now: deps.clock() });
    await audit(deps, req, res, { action: 'api_key.revoke', target: { type: 'api_key', id } });
    res.json({ ok: true });
  });

  return router;
}
