import {
  DEFAULT_TIME_ZONE,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  fromDateTimeInput,
  toDateTimeInput,
} from '../../shared/format';
import { t } from './i18n';

/**
 * Dates, money and numbers the way Taiwan reads them, through the shared formatters; '—' where a value is missing.
 * Dates and times are in the program's time zone, which the server sends with the session (`GET /api/console/auth/
 * session` and the login response); until then, the program's default.
 */
let timeZone = DEFAULT_TIME_ZONE;

/** Called when a session is adopted: every date and time is shown (and read from inputs) in the server's zone. */
export function setDisplayTimeZone(zone: string): void {
  timeZone = zone;
}

const toDate = (v: string | Date | null | undefined) => (v ? new Date(v) : null);

export function fmtDate(v: string | Date | null | undefined): string {
  const d = toDate(v);
  return d ? formatDate(d, timeZone) : '—';
}

export function fmtDateTime(v: string | Date | null | undefined): string {
  const d = toDate(v);
  return d ? formatDateTime(d, timeZone) : '—';
}

export const fmtNumber = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatNumber(n));
export const fmtMoney = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatMoney(n));
export const fmtPercent = (r: number) => (r === 0 ? '0%' : `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`);

/** `YYYY-MM-DDTHH:mm` in the program's zone, for <input type="datetime-local">. */
export function toLocalInput(v: string | Date): string {
  return toDateTimeInput(v, timeZone);
}

/** The instant of a wall-clock `YYYY-MM-DDTHH:mm` in the program's zone. */
export function fromLocalInput(value: string): string {
  return fromDateTimeInput(value, timeZone);
}

/** "3 分鐘前" style, for timelines. */
export function fmtAgo(v: string | Date | null | undefined, now = new Date()): string {
  const d = toDate(v);
  if (!d) return '—';
  const s = Math.round((now.getTime() - d.getTime()) / 1000);
  if (s < 60) return t.ago.now;
  if (s < 3600) return t.ago.minutes(Math.floor(s / 60));
  if (s < 86400) return t.ago.hours(Math.floor(s / 3600));
  if (s < 86400 * 30) return t.ago.days(Math.floor(s / 86400));
  return fmtDate(d);
}
