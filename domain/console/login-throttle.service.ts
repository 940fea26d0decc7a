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

/** Throws 429 `login_throttled` (with retryAfterSeconds) when the account or the IP is over its limit. */
export async function assertLoginAllowed(username: string, ip: string | undefined, now: Date): Promise<void> {
  const w = windowIndex(now);
  for (const [kind, id] of subjects(username, ip)) {
    const current = await LoginThrottle.findOne({ key: keyOf(kind, id, w) }, { failures: 1 }).lean();
    const previous = await LoginThrottle.findOne({ key: keyOf(kind, id, w - 1) }, { failures: 1 }).lean();
    const inCurrent = current?.failures ?? 0;
    if (inCurrent + (previous?.failures ?? 0) >= LIMITS[kind]) {
      // Failures of this window keep counting through the next one; the previous window's drop out at this one's end.
      const until = (inCurrent >= LIMITS[kind] ? w + 2 : w + 1) * THROTTLE_WINDOW_MS;
      const retryAfterSeconds = Math.ceil((until - now.getTime()) / 1000);
      throw new AppError('login_throttled', 429, `登入失敗次數過多，請 ${Math.ceil(retryAfterSeconds / 60)} 分鐘後再試。`, { retryAfterSeconds });
    }
  }
}

/** Counts one failed attempt (atomic upsert + $inc, safe under concurrency). */
export async function recordLoginFailure(username: string, ip: string | undefined, now: Date): Promise<void> {
  const w = windowIndex(now);
  const windowStart = new Date(w * THROTTLE_WINDOW_MS);
  const expiresAt = new Date((w + 2) * THROTTLE_WINDOW_MS);
  for (const [kind, id] of subjects(username, ip)) {
    await LoginThrottle.updateOne(
      { key: keyOf(kind, id, w) },
      { $inc: { failures: 1 }, $setOnInsert: { windowStart, expiresAt } },
      { upsert: true },
    );
  }
}

/** A successful sign-in clears the account's failures (not the IP's: one success must not unlock a spray). */
export async function clearAccountFailures(username: string, now: Date): Promise<void> {
  const w = windowIndex(now);
  const [kind, id] = subjects(username, undefined)[0];
  await LoginThrottle.deleteMany({ key: { $in: [keyOf(kind, id, w), keyOf(kind, id, w - 1)] } });
}
