import { Router, type Request } from 'express';
import { permissionsOf } from '../../domain/staff/roles';
import { getProgramSettings } from '../../domain/program/settings.service';
import { destroySession, destroyUserSessions, SESSION_IDLE_MS } from '../../domain/staff/session.service';
import { signIn } from '../../domain/staff/sign-in';
import { changeOwnPassword, updateConsoleUser } from '../../domain/staff/user.service';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import {
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  UpdateMeRequestSchema,
  type LineLinkCodeResponse,
} from '../contracts/console';
import { createLineLinkCode, unlinkOwnLine } from '../../domain/campaigns/test-recipients.service';
import { audit, consoleLocals, requireCsrf, requireSession, sessionCookie, sessionPepper } from './console-context';
import { presentSession, presentUser } from './presenters/staff.presenter';

const userAgent = (req: Request) => (req.headers['user-agent'] ?? '').slice(0, 300);

/** /api/console/auth: sign in (the one route without a session), sign out, the current session, own password and LINE link. */
export function createAuthRoutes(deps: AppDeps): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const body = parseOrThrow(LoginRequestSchema, req.body);
    const { user, token, csrfToken } = await signIn({
      ...body,
      ip: req.ip,
      userAgent: userAgent(req),
      now: deps.clock(),
      pepper: sessionPepper(deps),
    });
    res.setHeader('Set-Cookie', sessionCookie(deps, token, SESSION_IDLE_MS));
    res.setHeader('Cache-Control', 'no-store');
    res.json(presentSession(user, permissionsOf(user.role), csrfToken, deps.config.mode, deps.config.timeZone));
  });

  router.get('/session', requireSession(deps), async (_req, res) => {
    const { session } = consoleLocals(res);
    const { name, logoUrl, primaryColor, accentColor } = (await getProgramSettings()).brand;
    res.setHeader('Cache-Control', 'no-store');
    res.json(
      presentSession(
        session.user,
        permissionsOf(session.user.role),
        session.csrfToken,
        deps.config.mode,
        deps.config.timeZone,
        { name, logoUrl, primaryColor, accentColor },
      ),
    );
  });

  router.post('/logout', requireSession(deps), requireCsrf, async (req, res) => {
    const { session } = consoleLocals(res);
    await destroySession(session.sessionId);
    await audit(deps, req, res, {
      action: 'auth.logout',
      target: { type: 'user', id: session.user.id, label: session.user.username },
    });
    res.setHeader('Set-Cookie', sessionCookie(deps, '', 0));
    res.json({ ok: true });
  });

  router.post('/password', requireSession(deps), requireCsrf, async (req, res) => {
    const body = parseOrThrow(ChangePasswordRequestSchema, req.body);
    const { session } = consoleLocals(res);
    await changeOwnPassword(session.user.id, body.currentPassword, body.newPassword, deps.clock());
    // Other devices signed in with the old password are signed out; this one stays.
    const signedOut = await destroyUserSessions(session.user.id, session.sessionId);
    await audit(deps, req, res, {
      action: 'auth.password.change',
      target: { type: 'user', id: session.user.id, label: session.user.username },
      details: { otherSessionsEnded: signedOut },
    });
    res.json({ ok: true });
  });

  /** My own account: the name others see in the audit log. */
  router.patch('/me', requireSession(deps), requireCsrf, async (req, res) => {
    const body = parseOrThrow(UpdateMeRequestSchema, req.body);
    const { session } = consoleLocals(res);
    const { before, after } = await updateConsoleUser(session.user.id, { displayName: body.displayName });
    await audit(deps, req, res, {
      action: 'auth.profile.update',
      target: { type: 'user', id: after.id, label: after.username },
      details: { displayName: { from: before.displayName, to: after.displayName } },
    });
    res.json({ user: presentUser(after) });
  });

  /** A one-time code to type in the LINE chat: it links that LINE account to me as a campaign test recipient. */
  router.post('/line-link', requireSession(deps), requireCsrf, async (req, res) => {
    const { session } = consoleLocals(res);
    const link = await createLineLinkCode(session.user.id, deps.clock());
    await audit(deps, req, res, {
      action: 'auth.line_link.code',
      target: { type: 'user', id: session.user.id, label: session.user.username },
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      code: link.code,
      message: link.message,
      expiresAt: link.expiresAt.toISOString(),
    } satisfies LineLinkCodeResponse);
  });

  router.delete('/line-link', requireSession(deps), requireCsrf, async (req, res) => {
    const { session } = consoleLocals(res);
    const { lineUserId } = await unlinkOwnLine(session.user.id);
    await audit(deps, req, res, {
      action: 'auth.line_link.remove',
      target: { type: 'user', id: session.user.id, label: session.user.username },
      details: { lineUserId },
    });
    res.json({ ok: true });
  });

  return router;
}
