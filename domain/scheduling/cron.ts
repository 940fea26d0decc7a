import { validateDetailed } from 'node-cron';
import { zonedParts, zonedTimeToUtc } from '../shared/clock';

/**
 * Minute-resolution cron matching and "next time" search in a time zone, for job ticks and recurring campaigns.
 * Five fields (minute hour day-of-month month day-of-week); a six-field expression's seconds are ignored.
 * As in Vixie cron, when both day-of-month and day-of-week are restricted, either may match.
 */
export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  lastDom: boolean;
  month: Set<number>;
  dow: Set<number>;
  domAny: boolean;
  dowAny: boolean;
}

const FIELD_RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/** Problems with an expression in zh-TW, or null when it is valid. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return 'cron 排程需要 5 個欄位（分 時 日 月 星期）';
  const res = validateDetailed(expr.trim());
  if (!res.valid) return `cron 排程格式不正確：${res.errors.map((e) => e.message).join('; ')}`;
  try {
    parseCron(expr);
  } catch (err) {
    return `cron 排程格式不正確：${(err as Error).message}`;
  }
  return null;
}

export function parseCron(expr: string): CronSpec {
  let fields = expr.trim().split(/\s+/);
  if (fields.length === 6) fields = fields.slice(1);
  if (fields.length !== 5) throw new Error('expected 5 fields');
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, i));
  const dowSet = new Set([...dow.values].map((d) => (d === 7 ? 0 : d)));
  return {
    minute: minute.values,
    hour: hour.values,
    dom: dom.values,
    lastDom: dom.last,
    month: month.values,
    dow: dowSet,
    domAny: fields[2] === '*' || fields[2] === '?',
    dowAny: fields[4] === '*' || fields[4] === '?',
  };
}

function parseField(field: string, index: number): { values: Set<number>; last: boolean } {
  const [lo, hi] = FIELD_RANGES[index];
  const values = new Set<number>();
  let last = false;
  for (const part of field.toLowerCase().split(',')) {
    if (index === 2 && part === 'l') {
      last = true;
      continue;
    }
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let start = lo;
    let end = hi;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-').map((v) => (v in NAMES ? NAMES[v] : Number(v)));
      start = a;
      end = b ?? (stepText ? hi : a);
    }
    if (![start, end, step].every(Number.isInteger) || start < lo || end > hi || start > end || step < 1)
      throw new Error(`invalid field "${field}"`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, last };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(spec: CronSpec, year: number, month: number, day: number, weekday: number): boolean {
  const domHit = spec.dom.has(day) || (spec.lastDom && day === daysInMonth(year, month));
  const dowHit = spec.dow.has(weekday);
  if (spec.domAny && spec.dowAny) return true;
  if (spec.domAny) return dowHit;
  if (spec.dowAny) return domHit;
  return domHit || dowHit;
}

/** Whether the minute containing `at` matches the expression in `timeZone`. */
export function cronMatches(expr: string | CronSpec, at: Date, timeZone: string): boolean {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  const p = zonedParts(at, timeZone);
  return (
    spec.minute.has(p.minute) &&
    spec.hour.has(p.hour) &&
    spec.month.has(p.month) &&
    dayMatches(spec, p.year, p.month, p.day, p.weekday)
  );
}

/**
 * The first matching minute strictly after `after`, searching day by day (then hour, minute) in wall-clock time,
 * up to `horizonDays`; null when none (e.g. 31 February).
 */
export function nextCronTime(expr: string | CronSpec, after: Date, timeZone: string, horizonDays = 400): Date | null {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  const start = zonedParts(new Date(after.getTime() + 60_000), timeZone);
  const base = Date.UTC(start.year, start.month - 1, start.day);
  const hours = [...spec.hour].sort((a, b) => a - b);
  const minutes = [...spec.minute].sort((a, b) => a - b);
  for (let d = 0; d <= horizonDays; d++) {
    const day = new Date(base + d * 86_400_000);
    const [y, m, dd, wd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay()];
    if (!spec.month.has(m) || !dayMatches(spec, y, m, dd, wd)) continue;
    for (const h of hours) {
      if (d === 0 && h < start.hour) continue;
      for (const min of minutes) {
        if (d === 0 && h === start.hour && min < start.minute) continue;
        const date = `${y}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
        return zonedTimeToUtc(date, `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`, timeZone);
      }
    }
  }
  return null;
}

/** `YYYY-MM-DDTHH:mm` of an instant in a zone: the key of a minute-resolution occurrence. */
export function minuteKey(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
