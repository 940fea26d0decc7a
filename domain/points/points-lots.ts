import { zonedParts, zonedTimeToUtc } from '../shared/clock';
import type { ProgramSettings } from '../program/program-settings.schema';

/**
 * Pure FIFO accounting of earned points ("lots") against spends. Every positive ledger entry is a lot that
 * expires at its `expiresAt` (or never); every negative entry (spend, expiry, reversal) consumes the lots that
 * expire soonest first. A take-back larger than the lots left (a refund of points already spent) is a debt: the
 * next earnings repay it before they become lots. So the remaining lots always add up to the balance when it is
 * positive (and are empty while it is negative), and expiring what remains of the due lots can never push a
 * balance below zero.
 */
export interface LedgerLine {
  delta: number;
  at: Date;
  expiresAt?: Date | null;
}
export interface Lot {
  remaining: number;
  expiresAt: Date | null;
}

export function remainingLots(entries: LedgerLine[]): Lot[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || b.delta - a.delta);
  const lots: Lot[] = [];
  let debt = 0;
  for (const e of sorted) {
    if (e.delta > 0) {
      const repaid = Math.min(debt, e.delta);
      debt -= repaid;
      if (e.delta > repaid) insertByExpiry(lots, { remaining: e.delta - repaid, expiresAt: e.expiresAt ?? null });
      continue;
    }
    let owed = -e.delta;
    for (const lot of lots) {
      if (owed === 0) break;
      const take = Math.min(lot.remaining, owed);
      lot.remaining -= take;
      owed -= take;
    }
    debt += owed;
    removeEmpty(lots);
  }
  return lots;
}

/** Points whose lots expire at or before `now`: what the expiry job takes away. */
export function duePoints(lots: Lot[], now: Date): { points: number; latestExpiry: Date | null } {
  let points = 0;
  let latest: Date | null = null;
  for (const lot of lots) {
    if (!lot.expiresAt || lot.expiresAt > now) continue;
    points += lot.remaining;
    if (!latest || lot.expiresAt > latest) latest = lot.expiresAt;
  }
  return { points, latestExpiry: latest };
}

/** The soonest future expiry and how many points it takes, or null. */
export function soonestExpiring(lots: Lot[], now: Date): { points: number; expiresAt: Date } | null {
  const future = lots.filter((l) => l.expiresAt && l.expiresAt > now && l.remaining > 0);
  if (!future.length) return null;
  const first = future[0].expiresAt!;
  const points = future.filter((l) => l.expiresAt!.getTime() === first.getTime()).reduce((s, l) => s + l.remaining, 0);
  return { points, expiresAt: first };
}

/**
 * When points earned at `earnedAt` expire under the program's horizon. `end_of_next_year`: the last instant of
 * 31 December of the following year in the program's time zone (NT$ earned in March 2025 → 2026-12-31 23:59:59).
 */
export function expiryFor(earnedAt: Date, expiry: ProgramSettings['expiry'], timeZone: string): Date | null {
  if (expiry.mode === 'never') return null;
  const p = zonedParts(earnedAt, timeZone);
  if (expiry.mode === 'end_of_next_year')
    return new Date(zonedTimeToUtc(`${p.year + 2}-01-01`, '00:00', timeZone).getTime() - 1);
  const monthIndex = p.month - 1 + expiry.months;
  const year = p.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(p.day, lastDay);
  // End of that calendar day, so "12 months" never expires in the middle of a member's day.
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  const iso = next.toISOString().slice(0, 10);
  return new Date(zonedTimeToUtc(iso, '00:00', timeZone).getTime() - 1);
}

function insertByExpiry(lots: Lot[], lot: Lot): void {
  const key = (l: Lot) => (l.expiresAt ? l.expiresAt.getTime() : Number.POSITIVE_INFINITY);
  let i = lots.length;
  while (i > 0 && key(lots[i - 1]) > key(lot)) i--;
  lots.splice(i, 0, lot);
}

function removeEmpty(lots: Lot[]): void {
  for (let i = lots.length - 1; i >= 0; i--) if (lots[i].remaining === 0) lots.splice(i, 1);
}
