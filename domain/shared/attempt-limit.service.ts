import { AttemptCounter } from '../../models/attempt-counter.model';

/**
 * A limit of N attempts per sliding pair of fixed windows (this window + the previous one, so a burst at a window
 * edge is still caught), stored in MongoDB so it holds across instances.
 */
export interface AttemptLimit {
  scope: string;
  limit: number;
  windowMs: number;
}

/** What `reserveAttempt` took: hand it to `releaseAttempt` when the attempt should not count after all. */
export interface AttemptReservation {
  key: string;
}

export type ReserveResult = { ok: true; reservation: AttemptReservation } | { ok: false; retryAfterSeconds: number };

const keyOf = (scope: string, subject: string, w: number) => `${scope}:${subject}:${w}`;

/**
 * Counts one attempt before it is judged, refusing it when the subject is already at the limit. Counting first is
 * what makes the limit hold under concurrency (a check-then-count lets a burst all pass the check); each attempt
 * gets its own position from one atomic $inc, and a refused attempt takes its count back.
 */
export async function reserveAttempt(limit: AttemptLimit, subject: string, now: Date): Promise<ReserveResult> {
  const w = Math.floor(now.getTime() / limit.windowMs);
  const key = keyOf(limit.scope, subject, w);
  const after = await AttemptCounter.findOneAndUpdate(
    { key },
    {
      $inc: { count: 1 },
      $setOnInsert: { windowStart: new Date(w * limit.windowMs), expiresAt: new Date((w + 2) * limit.windowMs) },
    },
    { upsert: true, returnDocument: 'after', projection: { count: 1 } },
  ).lean();
  const previous = await AttemptCounter.findOne({ key: keyOf(limit.scope, subject, w - 1) }, { count: 1 }).lean();
  const before = (after?.count ?? 1) - 1;
  if (before + (previous?.count ?? 0) < limit.limit) return { ok: true, reservation: { key } };
  await AttemptCounter.updateOne({ key }, { $inc: { count: -1 } });
  // This window's attempts keep counting through the next one; the previous window's drop out at this one's end.
  const until = (before >= limit.limit ? w + 2 : w + 1) * limit.windowMs;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Takes a reserved attempt back (it succeeded, or it was not the kind of attempt the limit is about). */
export async function releaseAttempt(reservation: AttemptReservation): Promise<void> {
  await AttemptCounter.updateOne({ key: reservation.key, count: { $gt: 0 } }, { $inc: { count: -1 } });
}

/** Forgets every count of a scope for a subject (e.g. an admin unlocks). */
export async function clearAttempts(scope: string, subject: string): Promise<void> {
  await AttemptCounter.deleteMany({ key: { $regex: `^${escapeRegex(`${scope}:${subject}:`)}\\d+$` } });
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
