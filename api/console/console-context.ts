import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { recordAudit } from '../../domain/staff/audit.service';
import { can, type Permission } from '../../domain/staff/roles';
import { csrfMatches, resolveSession, type ResolvedSession } from '../../domain/staff/session.service';
import { forbidden, unauthorized } from '../../domain/shared/errors';
import type { AppDeps } from '../../server/deps';

export const SESSION_COOKIE = 'huigo_console';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the console routes know about the request once the session middleware ran. */
export interface ConsoleLocals {
  session: ResolvedSession;
  requestId: string;
  audited: boolean;
}

export function consoleLocals(res: Response): ConsoleLocals {
  return res.locals.console as ConsoleLocals;
}

/** Cookies without a dependency: `name=value; name2=value2`. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** httpOnly (no script can read it), SameSite=Strict (never sent by another site), Secure in production. */
export function sessionCookie(deps: AppDeps, token: string, maxAgeMs: number): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/api/console',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`,
  ];
  if (deps.config.console.cookieSecure) parts.push('Secure');
  return parts.join('; ');
}

/** The session-token pepper: SESSION_SECRET in production (rotating it signs everyone out), none in local mode. */
export function sessionPepper(deps: AppDeps): string | undefined {
  return deps.config.mode === 'production' ? deps.config.console.sessionSecret : undefined;
}

/** 401 without a valid session; attaches the session (user, CSRF token) to res.locals. */
export function requireSession(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const session = await resolveSession(readCookie(req, SESSION_COOKIE), deps.clock(), sessionPepper(deps));
    if (!session) throw unauthorized('請先登入主控台。');
    res.locals.console = { session, requestId: requestIdOf(req), audited: false } satisfies ConsoleLocals;
    next();
  };
}

/** The caller's `X-Request-Id` when it looks like one (it lands in the audit log), else a fresh id. */
function requestIdOf(req: Request): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** Synchronizer-token CSRF: every state-changing request carries the session's token in `X-CSRF-Token`. */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const { session } = consoleLocals(res);
  if (!csrfMatches(session.csrfToken, req.headers['x-csrf-token']))
    throw forbidden('安全驗證失敗，請重新整理頁面後再試。', 'csrf_failed');
  next();
};

/** A permission guard, tagged with the permission it checks so a test can list what every route asks for. */
export type PermissionGuard = RequestHandler & { readonly permission: Permission };

/** 403 unless the signed-in user's role grants the permission. */
export function requirePermission(permission: Permission): PermissionGuard {
  const guard: RequestHandler = (_req, res, next) => {
    const { session } = consoleLocals(res);
    if (!can(session.user.role, permission)) throw forbidden('您的角色沒有權限使用這項功能。');
    next();
  };
  return Object.assign(guard, { permission });
}

export function hasPermission(res: Response, permission: Permission): boolean {
  return can(consoleLocals(res).session.user.role, permission);
}

export interface AuditInput {
  action: string;
  target?: { type: string; id?: string; label?: string };
  details?: Record<string, unknown>;
}

/** Records the audit entry of a console write (call it after the write succeeded, before responding). */
export async function audit(deps: AppDeps, req: Request, res: Response, input: AuditInput): Promise<void> {
  const locals = consoleLocals(res);
  const { user } = locals.session;
  await recordAudit({
    actor: { id: user.id, name: user.displayName, role: user.role },
    action: input.action,
    target: input.target,
    details: input.details,
    ip: req.ip,
    requestId: locals.requestId,
    at: deps.clock(),
  });
  locals.audited = true;
}

/** A POST that only reads (a live count, an estimate) leaves no audit entry. */
export function readOnlyRequest(res: Response): void {
  consoleLocals(res).audited = true;
}

/**
 * Safety net so that every write is audited: a successful state-changing request whose route did not record a
 * specific entry gets a generic one (method + path) when the response finishes.
 */
export function auditFallback(deps: AppDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    res.on('finish', () => {
      const locals = res.locals.console as ConsoleLocals | undefined;
      if (!locals || locals.audited || res.statusCode >= 400) return;
      const { user } = locals.session;
      recordAudit({
        actor: { id: user.id, name: user.displayName, role: user.role },
        action: `http.${req.method.toLowerCase()}`,
        target: { type: 'route', id: req.originalUrl.split('?')[0].slice(0, 200) },
        ip: req.ip,
        requestId: locals.requestId,
        at: deps.clock(),
      }).catch((err) => deps.logger.error({ err }, 'audit fallback failed'));
    });
    next();
  };
}
