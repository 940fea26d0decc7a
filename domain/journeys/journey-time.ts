import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { zonedDate, zonedParts, zonedTimeToUtc } from '../shared/clock';
import type { JourneyStep } from './journey.schema';

type WaitStep = Extract<JourneyStep, { type: 'wait' }>;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * When a wait step that starts at `from` ends. Without `until`: after the duration. With `until`: the days are
 * calendar days in the program's zone ("day 2 at 10:00" is two dates later at 10:00, whatever time the member
 * entered), never earlier than `from` plus the hours and minutes, then on to the weekday if one is given.
 */
export function waitEnd(from: Date, step: WaitStep, timeZone: string): Date {
  const offset = (step.hours * 60 + step.minutes) * MINUTE_MS;
  if (!step.until) return new Date(from.getTime() + step.days * DAY_MS + offset);
  const earliest = new Date(from.getTime() + offset);
  let date = addDays(zonedDate(from, timeZone), step.days);
  let at = zonedTimeToUtc(date, step.until.time, timeZone);
  while (at < earliest) {
    date = addDays(date, 1);
    at = zonedTimeToUtc(date, step.until.time, timeZone);
  }
  if (step.until.weekday !== null) {
    const wd = zonedParts(at, timeZone).weekday;
    date = addDays(date, (step.until.weekday - wd + 7) % 7);
    at = zonedTimeToUtc(date, step.until.time, timeZone);
  }
  return at;
}

/** The journey's day a time falls on, counted in the program's calendar from the entry (entry day = 0). */
export function journeyDay(enteredAt: Date, at: Date, timeZone: string): number {
  const a = Date.parse(`${zonedDate(enteredAt, timeZone)}T00:00:00Z`);
  const b = Date.parse(`${zonedDate(at, timeZone)}T00:00:00Z`);
  return Math.round((b - a) / DAY_MS);
}

/** A unit name LINE accepts (`^[a-zA-Z0-9_]{1,30}$`) for one step of one journey: per-step figures from LINE. */
export function aggregationUnitOf(journeyId: string, stepId: string): string {
  return `j${journeyId.slice(-12)}_${stepId.replace(/-/g, '_')}`.slice(0, 30);
}

/** A stable ObjectId per (journey, step): the scope of the step's tracked links, so clicks are counted per step. */
export function linkScopeOf(journeyId: Types.ObjectId | string, stepId: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`${journeyId}:${stepId}`).digest('hex').slice(0, 24));
}
