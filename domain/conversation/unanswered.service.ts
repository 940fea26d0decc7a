import { UnansweredPhrase } from '../../models/unanswered-phrase.model';
import { zonedDate } from '../shared/clock';
import { normalizeForMatch } from './normalize';

/**
 * 「未回覆的問題」: what customers typed that hit the fallback, counted per normalised phrase and day (one upsert per
 * fallback), so the console's last-30-days list reads ≤ 30 days of buckets through the `day` index.
 */

export const UNANSWERED_DAYS = 30;
const MAX_SAMPLE = 200;

/** Counts one fallback hit. Empty or emoji-only texts are not questions and are not counted. */
export async function recordUnanswered(text: string, now: Date, timeZone: string): Promise<void> {
  const phrase = normalizeForMatch(text);
  if (!phrase) return;
  await UnansweredPhrase.updateOne(
    { phrase: [...phrase].slice(0, MAX_SAMPLE).join(''), day: zonedDate(now, timeZone) },
    { $inc: { count: 1 }, $set: { sample: [...text.trim()].slice(0, MAX_SAMPLE).join(''), lastAt: now } },
    { upsert: true },
  );
}

export interface UnansweredView {
  phrase: string;
  /** The latest text as typed. */
  text: string;
  count: number;
  lastAt: string;
}

/** The unanswered phrases of the last 30 days (Taipei days, today included), most asked first. */
export async function listUnanswered(now: Date, timeZone: string, limit = 200): Promise<UnansweredView[]> {
  const since = zonedDate(new Date(now.getTime() - (UNANSWERED_DAYS - 1) * 86_400_000), timeZone);
  const rows = await UnansweredPhrase.find({ day: { $gte: since } }).lean();
  const byPhrase = new Map<string, UnansweredView>();
  for (const r of rows) {
    const prev = byPhrase.get(r.phrase);
    if (!prev) {
      byPhrase.set(r.phrase, { phrase: r.phrase, text: r.sample, count: r.count, lastAt: r.lastAt.toISOString() });
      continue;
    }
    prev.count += r.count;
    if (r.lastAt.toISOString() > prev.lastAt) Object.assign(prev, { text: r.sample, lastAt: r.lastAt.toISOString() });
  }
  return [...byPhrase.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)).slice(0, limit);
}

/** After a marketer turned a phrase into an FAQ entry: it leaves the list (its buckets are removed). */
export async function dismissUnanswered(phrase: string): Promise<void> {
  await UnansweredPhrase.deleteMany({ phrase: normalizeForMatch(phrase) });
}
