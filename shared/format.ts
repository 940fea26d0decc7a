/**
 * Numbers, money and dates the way Taiwan reads them — 1,280 · NT$1,280 · 1990/05/20 · 1990/05/20 14:05 — for the
 * chat, the card, the console and the server alike. Browser-safe: no Node APIs, nothing of ours outside `shared/`.
 *
 * Every date function takes the time zone to show it in: the server passes the program's configured zone, and the
 * front ends the zone the server sent them. Dates are built from `formatToParts`, so the output does not depend on
 * how a browser's ICU data spells `zh-TW` dates.
 */

/**
 * The program's default time zone (server/config.ts `TZ_APP` defaults to it). The server always passes the zone it is
 * configured with; the front ends fall back to this only until the server has sent theirs.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Taipei';

/** What the date functions accept: a Date, an ISO string as it travels over the wire, or epoch milliseconds. */
export type Instant = Date | string | number;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached `Intl.DateTimeFormat` per (zone, options): building one costs far more than formatting with it. */
export function dateTimeFormat(
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
  locale = 'en-US',
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

const WALL_CLOCK: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

/** The zero-padded calendar date and time of an instant in a zone. */
function wallClock(at: Instant, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of dateTimeFormat(timeZone, WALL_CLOCK).formatToParts(toDate(at))) parts[p.type] = p.value;
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

const toDate = (at: Instant): Date => (at instanceof Date ? at : new Date(at));

const numberFormat = new Intl.NumberFormat('en-US');

/** `1,280` (digits grouped by thousands; fractions kept as they are). */
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** `NT$1,280`: whole New Taiwan dollars, rounded. */
export function formatMoney(n: number): string {
  return `NT$${formatNumber(Math.round(n))}`;
}

/** `1990/05/20`: the calendar date of the instant in `timeZone`. */
export function formatDate(at: Instant, timeZone: string): string {
  const c = wallClock(at, timeZone);
  return `${c.year}/${c.month}/${c.day}`;
}

/** `14:05` (24-hour clock) in `timeZone`. */
export function formatTime(at: Instant, timeZone: string): string {
  const c = wallClock(at, timeZone);
  return `${c.hour}:${c.minute}`;
}

/** `1990/05/20 14:05` in `timeZone`. */
export function formatDateTime(at: Instant, timeZone: string): string {
  const c = wallClock(at, timeZone);
  return `${c.year}/${c.month}/${c.day} ${c.hour}:${c.minute}`;
}

/** `1990-05-20T14:05`: the wall-clock value an `<input type="datetime-local">` shows for the instant in `timeZone`. */
export function toDateTimeInput(at: Instant, timeZone: string): string {
  const c = wallClock(at, timeZone);
  return `${c.year}-${c.month}-${c.day}T${c.hour}:${c.minute}`;
}

/**
 * The ISO instant of a `YYYY-MM-DDTHH:mm` wall-clock value in `timeZone` (the inverse of `toDateTimeInput`).
 * The zone's offset is read at the first guess and corrected once, which is exact away from a DST change.
 */
export function fromDateTimeInput(value: string, timeZone: string): string {
  const asUtc = new Date(`${value}:00Z`).getTime();
  const offsetAt = (t: number) => {
    const c = wallClock(t, timeZone);
    return Date.UTC(+c.year, +c.month - 1, +c.day, +c.hour, +c.minute) - t;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first)).toISOString();
}
