import { readYesNo } from '../conversation/intents';
import { normalizeTaiwanMobile } from '../shared/phone';
import type { PersonaOption } from './persona-script.schema';

/**
 * How typed answers are read (in the chat and on the member card alike): full-width characters folded to
 * half-width, 臺 read as 台, case and spaces ignored, so "ＡＢＣ", "臺北" and " 台北 " all match what the member meant.
 */
export function normalizeText(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/臺/g, '台')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[。！!？?～~]+$/u, '')
    .toLowerCase();
}

/** A stored date (YYYY-MM-DD) as people in Taiwan write it: 1990/05/20, as the member card shows it. */
export function dateLabel(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.replace(/-/g, '/') : date;
}

/** Counties people name without 縣/市 ("宜蘭", "花蓮"); 嘉義 and 新竹 stay as typed, they are both a county and a city. */
const COUNTY_BY_SHORT_NAME: Record<string, string> = {
  基隆: '基隆市',
  苗栗: '苗栗縣',
  彰化: '彰化縣',
  南投: '南投縣',
  雲林: '雲林縣',
  屏東: '屏東縣',
  宜蘭: '宜蘭縣',
  花蓮: '花蓮縣',
  台東: '台東縣',
  澎湖: '澎湖縣',
  金門: '金門縣',
  連江: '連江縣',
  馬祖: '連江縣',
};

/** A typed place as its county's full name when it is a known short name ("宜蘭" → "宜蘭縣"); otherwise as typed. */
export function fullCountyName(text: string): string {
  const short = normalizeText(text);
  const full = COUNTY_BY_SHORT_NAME[short];
  if (!full) return text;
  return text.trim().startsWith('臺') ? full.replace('台', '臺') : full;
}

/** The option a typed answer names (label, id, stored value or an alias), or null. */
export function matchOption(options: PersonaOption[], text: string): PersonaOption | null {
  const t = normalizeText(text);
  if (!t) return null;
  return (
    options.find((o) => [o.label, o.id, o.value ?? '', ...o.aliases].some((s) => s && normalizeText(s) === t)) ?? null
  );
}

/**
 * A natural yes or no (好喔, 可以, OK, 嗯, 沒問題 / 先不用, 不用了, 不了, 沒有) to a question whose two options are a
 * yes/no pair (是/否, 有/沒有, 要/不要, 好/不用): the option it means, or null. The same reading as every other
 * yes/no question in the chat (`readYesNo`), so all of them accept the same words.
 */
export function matchYesNoOption(options: PersonaOption[], text: string): PersonaOption | null {
  if (options.length !== 2) return null;
  const sides = options.map((o) => readYesNo(o.value ?? o.label) ?? readYesNo(o.label));
  if (!sides.includes('yes') || !sides.includes('no')) return null;
  const answer = readYesNo(text);
  return answer ? options[sides.indexOf(answer)] : null;
}

/** The option a typed answer to a single-choice question picks: by name, or a natural yes/no to a yes/no pair. */
export function matchSingleAnswer(options: PersonaOption[], text: string): PersonaOption | null {
  return matchOption(options, text) ?? matchYesNoOption(options, text);
}

/** Every option named in a typed multi-choice answer such as "3C、美妝 運動"; null when any part names none. */
export function matchOptions(options: PersonaOption[], text: string): PersonaOption[] | null {
  const parts = text.split(/[,，、/／;；+＋&\s\u3000]+/u).filter(Boolean);
  if (!parts.length) return null;
  const found: PersonaOption[] = [];
  for (const part of parts) {
    const o = matchOption(options, part);
    if (!o) return null;
    if (!found.includes(o)) found.push(o);
  }
  return found;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads a typed date: 1990-05-20, 1990/5/20, 1990.5.20, 19900520, 1990年5月20日, and the Taiwan (民國)
 * calendar: 民國79年5月20日, 79/5/20, 079.05.20 (a 2–3 digit year is a 民國 year, as on Taiwanese forms).
 * Returns `YYYY-MM-DD` for a real calendar day, or null.
 */
export function parseDateAnswer(input: string): string | null {
  const t = input.normalize('NFKC').replace(/[\s\u3000]+/g, '');
  const m = /^(民國)?(\d{2,4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(t) ?? /^()(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const rocYear = Boolean(m[1]) || m[2].length <= 3;
  const year = Number(m[2]) + (rocYear ? 1911 : 0);
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (!isCalendarDay(year, month, day)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A `YYYY-MM-DD` string that is a real day between `min` and (when given) `max`, inclusive. */
export function isDateInRange(date: string, min: string, max: string | null): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return date >= min && (max === null || date <= max);
}

/** A typed number with full-width digits and thousands separators allowed; null when not a number. */
export function parseNumberAnswer(input: string): number | null {
  const t = input
    .normalize('NFKC')
    .replace(/[\s,]/g, '')
    .replace(/[歲個人元次]+$/u, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const URL_LIKE = /https?:\/\/|www\./i;

/** Free-text answer rules: length, no links, and the question's kind (email or a pattern). */
export function isValidText(
  text: string,
  rule: { kind: 'any' | 'email' | 'pattern' | 'phone'; pattern?: string; minLength: number; maxLength: number },
): boolean {
  const t = text.trim();
  if (rule.kind === 'phone') return normalizeTaiwanMobile(t.normalize('NFKC')) !== null;
  const length = [...t].length;
  if (length < rule.minLength || length > rule.maxLength) return false;
  if (rule.kind === 'email') return EMAIL.test(t);
  if (URL_LIKE.test(t)) return false;
  if (rule.kind === 'pattern' && rule.pattern) return new RegExp(rule.pattern, 'u').test(t);
  return true;
}
