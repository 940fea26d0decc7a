import { LoginThrottle } from '../../models/login-throttle.model';
import {
  releaseAttempt,
  reserveAttempt,
  type AttemptLimit,
  type AttemptReservation,
} from '../shared/attempt-limit.service';
import { AppError } from '../shared/errors';

/**
 * Console sign-in throttling, stored in MongoDB so it holds across instances.
 * - Per (account, client IP): the 5th failure locks that pair for 1 minute, every further failure doubles it (up to
 *   1 hour). Guessing from one address never locks the account for anybody else: an IP that has not failed always
 *   gets its password checked.
 * - Per IP across accounts: 30 failures in 15 minutes (an office shares one address; a sprayer tries many names).
 * A pair's failures are forgotten a day after its last attempt, on a correct password, or when an admin unlocks.
 */
export const PAIR_LOCK_AFTER = 5;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 60 * 60_000;
const FORGET_AFTER_MS = 24 * 60 * 60_000;
export const LOGIN_IP_LIMIT: AttemptLimit = { scope: 'login-ip', limit: 30, windowMs: 15 * 60_000 };
// A burst against one pair needs at most one round per request; more means something is badly wrong: refuse.
const MAX_CAS_ROUNDS = 40;

/** One sign-in attempt counted in advance; settle it with `recordLoginSuccess` or `recordLoginFailure`. */
export interface LoginAttempt {
  account: string;
  ip: string;
  /** The pair's failures including this attempt. */
  failures: number;
  /** Set when this attempt, if it fails, leaves the pair locked until then. */
  lockedUntil: Date | null;
  ipReservation: AttemptReservation;
}

export const normalizeAccount = (username: string) => username.trim().toLowerCase().slice(0, 100);
const pairKey = (account: string, ip: string) => `pair:${account}|${ip}`;

/** Lock length after `failures` failures of one pair (0 below the threshold). */
export function backoffMs(failures: number): number {
  if (failures < PAIR_LOCK_AFTER) return 0;
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - PAIR_LOCK_AFTER, 20), BACKOFF_MAX_MS);
}

function throttled(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError('login_throttled', 429, `登入失敗次數過多，請 ${minutes} 分鐘後再試。`, { retryAfterSeconds });
}

/**
 * Counts this sign-in attempt before the password is checked, and throws 429 `login_throttled` (with
 * retryAfterSeconds) when this IP is over its limit or this (account, IP) pair is locked. Counting first is what
 * makes the limit hold under concurrency: the pair's count only moves by a compare-and-set on `failures`, so each
 * attempt gets its own position, and the attempt that reaches the threshold sets the lock in the same write.
 * A refused attempt is not counted. The attempt stays counted as a failure unless `recordLoginSuccess` follows.
 */
export async function reserveLoginAttempt(username: string, ip: string | undefined, now: Date): Promise<LoginAttempt> {
  const account = normalizeAccount(username);
  const client = ip || 'unknown';
  const ipTry = await reserveAttempt(LOGIN_IP_LIMIT, client, now);
  if (!ipTry.ok) throw throttled(ipTry.retryAfterSeconds);
  try {
    const pair = await countPairAttempt(account, client, now);
    return { account, ip: client, ...pair, ipReservation: ipTry.reservation };
  } catch (err) {
    await releaseAttempt(ipTry.reservation);
    throw err;
  }
}

async function countPairAttempt(
  account: string,
  ip: string,
  now: Date,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const key = pairKey(account, ip);
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const doc = await ensurePair(key, account, ip, now);
    if (doc.lockedUntil && doc.lockedUntil.getTime() > now.getTime()) {
      throw throttled(Math.ceil((doc.lockedUntil.getTime() - now.getTime()) / 1000));
    }
    const stale = !doc.lastAttemptAt || now.getTime() - doc.lastAttemptAt.getTime() > FORGET_AFTER_MS;
    const failures = (stale ? 0 : doc.failures) + 1;
    const lockMs = backoffMs(failures);
    const lockedUntil = lockMs ? new Date(now.getTime() + lockMs) : null;
    const $set: Record<string, unknown> = {
      failures,
      lastAttemptAt: now,
      expiresAt: new Date(now.getTime() + lockMs + FORGET_AFTER_MS),
    };
    if (lockedUntil) $set.lockedUntil = lockedUntil;
    const res = await LoginThrottle.updateOne({ key, failures: doc.failures }, { $set });
    if (res.modifiedCount === 1) return { failures, lockedUntil };
  }
  throw throttled(60);
}

async function ensurePair(key: string, account: string, ip: string, now: Date) {
  try {
    const doc = await LoginThrottle.findOneAndUpdate(
      { key },
      { $setOnInsert: { account, ip, failures: 0, expiresAt: new Date(now.getTime() + FORGET_AFTER_MS) } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return doc!;
  } catch (err) {
    // Two first attempts of one pair at the same moment: one insert wins, the other reads it.
    if ((err as { code?: number }).code !== 11000) throw err;
    return (await LoginThrottle.findOne({ key }).lean())!;
  }
}

/**
 * The password was right: the pair's failures are forgotten and this attempt no longer counts against the IP (the
 * IP's other failures stay: one success must not unlock a spray).
 */
export async function recordLoginSuccess(attempt: LoginAttempt): Promise<void> {
  await LoginThrottle.deleteOne({ key: pairKey(attempt.account, attempt.ip) });
  await releaseAttempt(attempt.ipReservation);
}

/**
 * The password was wrong: the attempt stays counted. Returns the lock it caused, if any (for the audit log).
 */
export function lockCausedBy(attempt: LoginAttempt): { lockedUntil: Date; failures: number } | null {
  return attempt.lockedUntil ? { lockedUntil: attempt.lockedUntil, failures: attempt.failures } : null;
}

/** An admin unlocks an account: every (account, IP) pair's failures and locks are forgotten. */
export async function unlockAccount(username: string): Promise<{ pairsCleared: number }> {
  const res = await LoginThrottle.deleteMany({ account: normalizeAccount(username) });
  return { pairsCleared: res.deletedCount ?? 0 };
}

/** Accounts locked right now (from at least one IP): how many IPs, and until when at the latest. */
export async function currentLocks(usernames: string[], now: Date): Promise<Map<string, { ips: number; until: Date }>> {
  const rows = await LoginThrottle.find(
    { account: { $in: usernames.map(normalizeAccount) }, lockedUntil: { $gt: now } },
    { account: 1, lockedUntil: 1 },
  ).lean();
  const locks = new Map<string, { ips: number; until: Date }>();
  for (const r of rows) {
    const prev = locks.get(r.account);
    const until = r.lockedUntil!;
    locks.set(r.account, { ips: (prev?.ips ?? 0) + 1, until: prev && prev.until > until ? prev.until : until });
  }
  return locks;
}
