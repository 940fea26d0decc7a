import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConsoleSession } from '../../models/console-session.model';
import { ConsoleUser } from '../../models/console-user.model';
import { toUserView, type ConsoleUserView } from './user.service';

/** Idle timeout (sliding) and absolute lifetime of a console session. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, so browsing the console does not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * What is stored for a token: its SHA-256, or with a pepper (SESSION_SECRET in production) an HMAC, so rotating the
 * secret signs everybody out. Local mode has no stable secret, so it stores the plain hash and survives restarts.
 */
const tokenHash = (token: string, pepper?: string) =>
  pepper ? createHmac('sha256', pepper).update(token).digest('hex') : createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface ResolvedSession {
  sessionId: string;
  user: ConsoleUserView;
  csrfToken: string;
}

/** Starts a session; the returned token goes into the httpOnly cookie and nowhere else. */
export async function createSession(
  userId: string,
  meta: { ip?: string; userAgent?: string },
  now: Date,
  pepper?: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await ConsoleSession.create({
    tokenHash: tokenHash(token, pepper),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300),
  });
  return { token, csrfToken, expiresAt };
}

/**
 * The session behind a cookie token, with its (active) user; null when unknown, expired or the user was
 * disabled. Extends the idle timeout, capped by the absolute lifetime.
 */
export async function resolveSession(
  token: string | undefined,
  now: Date,
  pepper?: string,
): Promise<ResolvedSession | null> {
  if (!token || token.length > 200) return null;
  const session = await ConsoleSession.findOne({ tokenHash: tokenHash(token, pepper) }).lean();
  if (!session) return null;
  if (session.expiresAt <= now) {
    await ConsoleSession.deleteOne({ _id: session._id });
    return null;
  }
  const user = await ConsoleUser.findById(session.userId).lean();
  if (!user || user.status !== 'active') return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    const cap = session.createdAt.getTime() + SESSION_MAX_MS;
    const expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, cap));
    await ConsoleSession.updateOne({ _id: session._id }, { $set: { lastSeenAt: now, expiresAt } });
  }
  return { sessionId: String(session._id), user: toUserView(user), csrfToken: session.csrfToken };
}

/** Constant-time check of the CSRF header against the session's token. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  // Compared as bytes: a header of the right length in characters may still differ in bytes (non-ASCII).
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function destroySession(sessionId: string): Promise<void> {
  await ConsoleSession.deleteOne({ _id: sessionId });
}

/** Signs a user out everywhere (password reset, account disabled), optionally keeping the current session. */
export async function destroyUserSessions(userId: string, keepSessionId?: string): Promise<number> {
  const filter: Record<string, unknown> = { userId };
  if (keepSessionId) filter._id = { $ne: keepSessionId };
  const res = await ConsoleSession.deleteMany(filter);
  return res.deletedCount ?? 0;
}
