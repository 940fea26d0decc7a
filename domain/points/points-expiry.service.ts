import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import type { Messenger } from '../messaging/messenger';
import { AppError } from '../shared/errors';
import { zonedDate } from '../shared/clock';
import { moduleLogger } from '../shared/logger';
import { getProgramSettings } from '../program/settings.service';
import { formatDate } from '../../shared/format';
import { programText } from '../program/program-messages';
import { notifyOnce } from '../program/notify-once.service';
import { changePoints } from './points.service';
import { duePoints, remainingLots, type Lot } from './points-lots';

const log = moduleLogger('points-expiry');
/** Lots that expired up to this long ago are still looked at (covers a job that did not run for a while). */
const LOOKBACK_MS = 400 * 86_400_000;

/** Members with earned entries expiring in [from, to]. */
async function membersWithLotsBetween(from: Date, to: Date): Promise<Types.ObjectId[]> {
  const rows = await PointsEntry.aggregate<{ _id: Types.ObjectId }>([
    { $match: { delta: { $gt: 0 }, expiresAt: { $gte: from, $lte: to } } },
    { $group: { _id: '$memberId' } },
  ]);
  return rows.map((r) => r._id);
}

/** The member's lots and balance, but only when ledger and balance agree (no change is in flight). */
async function settledLots(memberId: Types.ObjectId): Promise<{ lots: Lot[]; balance: number } | null> {
  const member = await Member.findById(memberId, { pointsBalance: 1 }).lean();
  const entries = await PointsEntry.find({ memberId }, { delta: 1, at: 1, expiresAt: 1 }).lean();
  const sum = entries.reduce((s, e) => s + e.delta, 0);
  if (!member || sum !== (member.pointsBalance ?? 0)) return null;
  return {
    lots: remainingLots(entries.map((e) => ({ delta: e.delta, at: e.at, expiresAt: e.expiresAt ?? null }))),
    balance: sum,
  };
}

/**
 * Writes an `expire` entry for what remains of every lot due by `now` (FIFO). Safe to run twice: the second run
 * finds nothing remaining, and a concurrent twin writes under the same key. A member whose balance moves while
 * this runs is retried, then left for the next run (never expired from a stale view).
 */
export async function expireDuePoints(now: Date): Promise<{ members: number; points: number; deferred: number }> {
  const out = { members: 0, points: 0, deferred: 0 };
  for (const memberId of await membersWithLotsBetween(new Date(now.getTime() - LOOKBACK_MS), now)) {
    let done = false;
    for (let attempt = 0; attempt < 3 && !done; attempt++) {
      const state = await settledLots(memberId);
      if (!state) continue;
      const due = duePoints(state.lots, now);
      done = true;
      if (due.points <= 0) break;
      try {
        const r = await changePoints({
          memberId,
          delta: -due.points,
          reason: 'expire',
          key: `expire:${memberId}:${due.latestExpiry!.toISOString()}`,
          now,
          note: `點數到期（${due.latestExpiry!.toISOString().slice(0, 10)} 前獲得的點數）`,
          expectedBalance: state.balance,
        });
        if (!r.duplicate) {
          out.members++;
          out.points += due.points;
        }
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== 'points_balance_changed' && err.code !== 'insufficient_points'))
          throw err;
        done = false;
      }
    }
    if (!done) {
      out.deferred++;
      log.info({ memberId: String(memberId) }, 'balance kept changing; expiry deferred to the next run');
    }
  }
  return out;
}

/**
 * Tells members whose points expire within the warning window (default 30 days), once per expiry date.
 * Blocked members are skipped by notifyMember; the marker makes daily re-runs silent.
 */
export async function warnExpiringPoints(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string },
): Promise<{ warned: number }> {
  const tz = opts.timeZone;
  const { expiry } = await getProgramSettings();
  const until = new Date(now.getTime() + expiry.warnDaysBefore * 86_400_000);
  let warned = 0;
  for (const memberId of await membersWithLotsBetween(new Date(now.getTime() + 1), until)) {
    const state = await settledLots(memberId);
    if (!state) continue;
    const soon = state.lots.filter((l) => l.expiresAt && l.expiresAt > now && l.expiresAt <= until && l.remaining > 0);
    if (!soon.length) continue;
    const expiresAt = soon[0].expiresAt!;
    const points = soon
      .filter((l) => l.expiresAt!.getTime() === expiresAt.getTime())
      .reduce((s, l) => s + l.remaining, 0);
    try {
      const outcome = await notifyOnce(
        messenger,
        memberId,
        [{ type: 'text', text: programText.pointsExpiring(points, formatDate(expiresAt, tz), state.balance) }],
        {
          key: `points-expiry-warning:${memberId}:${zonedDate(expiresAt, tz)}`,
          now,
          refs: { points, expiresAt: expiresAt.toISOString() },
        },
      );
      if (outcome === 'sent') warned++;
    } catch (err) {
      log.warn({ err, memberId: String(memberId) }, 'expiry warning failed; the next run retries it');
    }
  }
  return { warned };
}
