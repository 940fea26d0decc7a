import { zonedDate, zonedParts, zonedTimeToUtc } from '../shared/clock';
import type { OpeningDay } from './inbox-settings.schema';

const DAY_MS = 86_400_000;
const WEEKDAY_WORDS = ['日', '一', '二', '三', '四', '五', '六'];

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export interface OpeningState {
  open: boolean;
  /** When agents are next on duty (null: never, every day is closed); `now` itself when open. */
  next: Date | null;
}

/**
 * Whether the inbox is staffed at `now`, by the weekly hours in the program's zone (Sunday first), and if not,
 * when it next is. Pure: the caller passes the hours and the zone.
 */
export function openingState(now: Date, hours: OpeningDay[], timeZone: string): OpeningState {
  const p = zonedParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  for (let offset = 0; offset <= 7; offset++) {
    const day = hours[(p.weekday + offset) % 7];
    if (!day) continue;
    const open = minutesOf(day.open);
    const close = minutesOf(day.close);
    if (offset === 0 && minute >= open && minute < close) return { open: true, next: now };
    if (offset === 0 && minute >= open) continue;
    const date = zonedDate(new Date(now.getTime() + offset * DAY_MS), timeZone);
    return { open: false, next: zonedTimeToUtc(date, day.open, timeZone) };
  }
  return { open: false, next: null };
}

/** The next opening as a customer reads it: 「今天 14:00」, 「明天（週四）10:00」, 「週六（12/5）10:00」. */
export function describeOpening(next: Date, now: Date, timeZone: string): string {
  const p = zonedParts(next, timeZone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  const today = zonedDate(now, timeZone);
  const tomorrow = zonedDate(new Date(now.getTime() + DAY_MS), timeZone);
  const date = zonedDate(next, timeZone);
  const weekday = `週${WEEKDAY_WORDS[p.weekday]}`;
  if (date === today) return `今天 ${time}`;
  if (date === tomorrow) return `明天（${weekday}）${time}`;
  return `${weekday}（${p.month}/${p.day}）${time}`;
}
