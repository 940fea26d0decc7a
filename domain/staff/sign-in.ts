import { recordAudit } from './audit.service';
import { lockCausedBy, recordLoginSuccess, reserveLoginAttempt, unlockAccount } from './login-throttle.service';
import { createSession } from './session.service';
import { markLoggedIn, verifyCredentials, type ConsoleUserView } from './user.service';
import { AppError } from '../shared/errors';

export interface SignInInput {
  username: string;
  password: string;
  ip?: string;
  userAgent?: string;
  now: Date;
  pepper?: string;
}

/**
 * The console sign-in use case: throttle (per account and IP, per IP), check the password, audit, start a session.
 * Wrong passwords and unknown accounts answer alike (401 `invalid_credentials`); a failure that locks its
 * (account, IP) pair is audited as `auth.login.locked`.
 */
export async function signIn(input: SignInInput): Promise<{ user: ConsoleUserView; token: string; csrfToken: string }> {
  const attempt = await reserveLoginAttempt(input.username, input.ip, input.now);
  const user = await verifyCredentials(input.username, input.password);
  const username = input.username.slice(0, 60);
  if (!user) {
    await recordAudit({
      actor: { id: 'anonymous' },
      action: 'auth.login.failed',
      details: { username },
      ip: input.ip,
      at: input.now,
    });
    const lock = lockCausedBy(attempt);
    if (lock) {
      await recordAudit({
        actor: { id: 'anonymous' },
        action: 'auth.login.locked',
        target: { type: 'account', label: attempt.account },
        details: {
          username,
          failures: lock.failures,
          lockedUntil: lock.lockedUntil,
          lockedForSeconds: Math.round((lock.lockedUntil.getTime() - input.now.getTime()) / 1000),
        },
        ip: input.ip,
        at: input.now,
      });
    }
    throw new AppError('invalid_credentials', 401, '帳號或密碼不正確。');
  }
  await recordLoginSuccess(attempt);
  const session = await createSession(user.id, { ip: input.ip, userAgent: input.userAgent }, input.now, input.pepper);
  await markLoggedIn(user.id, input.now);
  await recordAudit({
    actor: { id: user.id, name: user.displayName, role: user.role },
    action: 'auth.login',
    target: { type: 'user', id: user.id, label: user.username },
    ip: input.ip,
    at: input.now,
  });
  return { user, token: session.token, csrfToken: session.csrfToken };
}

/** An admin lifts the sign-in locks of an account (every IP). */
export async function unlockConsoleUser(user: Pick<ConsoleUserView, 'username'>): Promise<{ pairsCleared: number }> {
  return unlockAccount(user.username);
}
