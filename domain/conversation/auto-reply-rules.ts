import { zonedParts } from '../shared/clock';
import { normalizeForMatch } from './normalize';

/** A keyword auto-reply rule as the matcher reads it (the cached, stored shape). Pure. */
export interface RuleView {
  id: string;
  name: string;
  mode: 'exact' | 'contains' | 'any';
  words: string[];
  priority: number;
  days: number[];
  from?: string | null;
  to?: string | null;
  active: boolean;
}

/** Whether a message meets a rule's trigger: `exact` one of the words; `contains` every word; `any` one of them. */
export function triggerMatches(rule: Pick<RuleView, 'mode' | 'words'>, text: string): boolean {
  const norm = normalizeForMatch(text);
  const words = rule.words.map(normalizeForMatch).filter(Boolean);
  if (!norm || !words.length) return false;
  if (rule.mode === 'exact') return words.includes(norm);
  if (rule.mode === 'contains') return words.every((w) => norm.includes(w));
  return words.some((w) => norm.includes(w));
}

/** Whether a rule is on at `now` (its days and hours in the program's time zone; from > to wraps past midnight). */
export function isRuleOnAt(
  rule: Pick<RuleView, 'active' | 'days' | 'from' | 'to'>,
  now: Date,
  timeZone: string,
): boolean {
  if (!rule.active) return false;
  const p = zonedParts(now, timeZone);
  const minute = p.hour * 60 + p.minute;
  if (!rule.from || !rule.to) return !rule.days.length || rule.days.includes(p.weekday);
  const from = minutesOf(rule.from);
  const to = minutesOf(rule.to);
  if (from < to) return (!rule.days.length || rule.days.includes(p.weekday)) && minute >= from && minute < to;
  // Wrapping window (21:00–09:00): the early hours belong to the day the window started.
  const startDay = minute >= from ? p.weekday : (p.weekday + 6) % 7;
  return (!rule.days.length || rule.days.includes(startDay)) && (minute >= from || minute < to);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The rule that answers a message now: the highest priority among those on and triggered (ties: the first). */
export function pickRule<R extends RuleView>(rules: R[], text: string, now: Date, timeZone: string): R | null {
  let best: R | null = null;
  for (const r of rules) {
    if (!isRuleOnAt(r, now, timeZone) || !triggerMatches(r, text)) continue;
    if (!best || r.priority > best.priority) best = r;
  }
  return best;
}
