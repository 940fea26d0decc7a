import { dateTimeFormat } from '../../shared/format';

/** Injected time source: domain functions and jobs take `now` so tests control the clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const ZONED_PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
  weekday: 'short',
};
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Calendar parts of an instant in a time zone. The formatter is the cached one of `shared/format.ts` (one per
 * zone): building an `Intl.DateTimeFormat` costs several times more than formatting with it, and this runs for
 * every scheduled check, rule and points lot.
 */
export function zonedParts(
  at: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const parts: Record<string, string> = {};
  for (const p of dateTimeFormat(timeZone, ZONED_PARTS).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function zonedDate(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The UTC instant of a wall-clock time in a zone (zones without DST, like Asia/Taipei, are exact). */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const p = zonedParts(guess, timeZone);
  const asIfUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return new Date(guess.getTime() - (asIfUtc - guess.getTime()));
}
