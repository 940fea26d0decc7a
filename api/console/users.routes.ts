import { Router } from 'express';
import { destroyUserSessions } from '../../domain/staff/session.service';
import { currentLocks } from '../../domain/staff/login-throttle.service';
import { unlockConsoleUser } from '../../domain/staff/sign-in';
import {
  createConsoleUser,
  getConsoleUser,
  listConsoleUsers,
  setConsoleUserPassword,
  updateConsoleUser,
} from '../../domain/staff/user.service';
import { listAudit } from '../../domain/staff/audit.service';
import { notFound } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import {
  AuditQuerySchema,
  CreateUserRequestSchema,
  ResetPasswordRequestSchema,
  UpdateUserRequestSchema,
} from '../contracts/console';
import { audit, consoleLocals, requirePermission } from './console-context';
import { isObjectId } from '../../shared/ids';
import { presentAuditPage, presentUser, presentUserRow } from './presenters/staff.presenter';

/** /api/console/users (admin): accounts and roles. */
export function createUserRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('users'));
  router.param('id', (_req, _res, next, id) =>
    next(isObjectId(String(id)) ? undefined : notFound('找不到這個帳號。', 'user_not_found')),
  );

  router.get('/', async (_req, res) => {
    const users = await listConsoleUsers();
    const locks = await currentLocks(
      users.map((u) => u.username),
      deps.clock(),
    );
    res.json({ users: users.map((u) => presentUserRow(u, locks.get(u.username) ?? null)) });
  });

  router.post('/', async (req, res) => {
    const body = parseOrThrow(CreateUserRequestSchema, req.body);
    const actor = consoleLocals(res).session.user;
    const { user, generatedPassword } = await createConsoleUser({ ...body, createdBy: actor.id }, deps.clock());
    await audit(deps, req, res, {
      action: 'user.create',
      target: { type: 'user', id: user.id, label: user.username },
      details: { role: user.role, displayName: user.displayName },
    });
    res.status(201).json({ user: presentUser(user), generatedPassword });
  });

  router.patch('/:id', async (req, res) => {
    const body = parseOrThrow(UpdateUserRequestSchema, req.body);
    const id = String(req.params.id);
    const { before, after } = await updateConsoleUser(id, body);
    if (after.status === 'disabled') await destroyUserSessions(id);
    const changes = Object.fromEntries(
      Object.keys(body).map((k) => [
        k,
        { from: before[k as keyof typeof before] ?? null, to: after[k as keyof typeof after] ?? null },
      ]),
    );
    await audit(deps, req, res, {
      action: 'user.update',
      target: { type: 'user', id, label: after.username },
      details: changes,
    });
    res.json({ user: presentUser(after) });
  });

  router.post('/:id/reset-password', async (req, res) => {
    const body = parseOrThrow(ResetPasswordRequestSchema, req.body ?? {});
    const id = String(req.params.id);
    const result = await setConsoleUserPassword(id, deps.clock(), body.password);
    const ended = await destroyUserSessions(id);
    await audit(deps, req, res, {
      action: 'user.password.reset',
      target: { type: 'user', id },
      details: { sessionsEnded: ended },
    });
    res.json(result);
  });

  /** Lifts the sign-in locks of this account from every IP (after a lockout the person asked about). */
  router.post('/:id/unlock', async (req, res) => {
    const id = String(req.params.id);
    const user = await getConsoleUser(id);
    if (!user) throw notFound('找不到這個帳號。', 'user_not_found');
    const { pairsCleared } = await unlockConsoleUser(user);
    await audit(deps, req, res, {
      action: 'user.unlock',
      target: { type: 'user', id, label: user.username },
      details: { pairsCleared },
    });
    res.json({ ok: true, pairsCleared });
  });

  return router;
}

/** /api/console/audit (admin): the audit log, newest first. */
export function createAuditRoutes(): Router {
  const router = Router();
  router.use(requirePermission('audit.read'));
  router.get('/', async (req, res) => {
    const q = parseOrThrow(AuditQuerySchema, req.query);
    res.json(presentAuditPage(await listAudit(q)));
  });
  return router;
}
