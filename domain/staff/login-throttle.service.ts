import { LoginThrottle } from '../../models/login-throttle.model';
import { AppError } from '../shared/errors';

/**
 * Login rate limiting, stored in MongoDB so it holds across instances. Failures are counted in fixed windows;
 * the current and the previous window are summed, so a burst at a window edge is still caught.
 * Per account: 5 failures in a window → locked. Per IP: 30 (an office shares one address).
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
const LIMITS = { account: 5, ip: 30 } as const;
type Kind = keyof typeof LIMITS;

function windowIndex(now: Date): number {
  return Math.floor(now.getTime() / THROTTLE_WINDOW_MS);
}

const keyOf = (kind: Kind, id: string, window: number) => `${kind}:${id}:${window}`;

function subjects(username: string, ip: string | undefined): Array<[Kind, string]> {
  const list: Array<[Kind, string]> = [['account', username.trim().toLowerCase().slice(0, 100)]];
  if (ip) list.push(['ip', ip]);
  return list;
}

/**
 * Counts this sign-in attempt before the password is checked, and throws 429 `login_throttled` (with
 * retryAfterSeconds) when the account or the IP is over its limit. Counting first is what makes the limit hold
 * under concurrency: a check-then-count lets a burst of simultaneous guesses all pass the check before any of them
 * is counted. Each attempt gets its own position from one atomic $inc; a refused attempt takes its count back, so
 * waiting out the lock is enough. The attempt stays counted as a failure unless `recordLoginSuccess` follows.
 */
export async function reserveLoginAttempt(username: string, ip: string | undefined, now: Date): Promise<void> {
  const w = windowIndex(now);
  const taken: string[] = [];
  for (const [kind, id] of subjects(username, ip)) {
    const key = keyOf(kind, id, w);
    const after = await LoginThrottle.findOneAndUpdate(
      { key },
      { $inc: { failures: 1 }, $setOnInsert: windowFields(w) },
      { upsert: true, returnDocument: 'after', projection: { failures: 1 } },
    ).lean();
    taken.push(key);
    const previous = await LoginThrottle.findOne({ key: keyOf(kind, id, w - 1) }, { failures: 1 }).lean();
    const before = (after?.failures ?? 1) - 1;
    if (before + (previous?.failures ?? 0) >= LIMITS[kind]) {
      await LoginThrottle.updateMany({ key: { $in: taken } }, { $inc: { failures: -1 } });
      // Failures of this window keep counting through the next one; the previous window's drop out at this one's end.
      const until = (before >= LIMITS[kind] ? w + 2 : w + 1) * THROTTLE_WINDOW_MS;
      const retryAfterSeconds = Math.ceil((until - now.getTime()) / 1000);
      throw new AppError('login_throttled', 429, `登入失敗次數過多，請 ${Math.ceil(retryAfterSeconds / 60)} 分鐘後再試。`, { retryAfterSeconds });
    }
  }
}

function windowFields(w: number) {
  return { windowStart: new Date(w * THROTTLE_WINDOW_MS), expiresAt: new Date((w + 2) * THROTTLE_WINDOW_MS) };
}

/**
 * A successful sign-in (after reserveLoginAttempt with the same `now`): clears the account's failures, and takes
 * back this attempt's count on the IP (not the IP's other failures: one success must not unlock a spray).
 */
export async function recordLoginSuccess(username: string, ip: string | undefined, now: Date): Promise<void> {
  const w = windowIndex(now);
  const [kind, id] = subjects(username, undefined)[0];
  await LoginThrottle.deleteMany({ key: { $in: [keyOf(kind, id, w), keyOf(kind, id, w - 1)] } });
  if (ip) await LoginThrottle.updateOne({ key: keyOf('ip', ip, w), failures: { $gt: 0 } }, { $inc: { failures: -1 } });
}
