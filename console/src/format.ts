import { t } from './i18n';

/** Dates, money and numbers the way Taiwan reads them, always in Asia/Taipei. */
const TZ = 'Asia/Taipei';

const dateFmt = new Intl.DateTimeFormat('zh-TW', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('zh-TW', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const toDate = (v: string | Date | null | undefined) => (v ? new Date(v) : null);

export function fmtDate(v: string | Date | null | undefined): string {
  const d = toDate(v);
  return d ? dateFmt.format(d) : '—';
}

export function fmtDateTime(v: string | Date | null | undefined): string {
  const d = toDate(v);
  return d ? dateTimeFmt.format(d) : '—';
}

export const fmtNumber = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-TW'));
export const fmtMoney = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `NT$${Math.round(n).toLocaleString('zh-TW')}`);
export const fmtPercent = (r: number) => (r === 0 ? '0%' : `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`);

/** `YYYY-MM-DDTHH:mm` in Taipei, for <input type="datetime-local">. */
export function toLocalInput(v: string | Date): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(v)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The instant of a Taipei wall-clock `YYYY-MM-DDTHH:mm` (Taiwan has no DST: a fixed +08:00). */
export function fromLocalInput(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString();
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
