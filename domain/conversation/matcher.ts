import { normalizeForMatch } from './normalize';

/**
 * Matching a customer's question to an FAQ entry by weighted character n-grams. Pure; the index is built once
 * per change of the FAQ (see conversation-cache.service.ts) and a match reads only the postings of the query's
 * grams, so its cost grows with the length of the message, not with the number of entries.
 *
 * Why n-grams rather than a word segmenter: customer messages are short, written without spaces, full of
 * particles and brand words no dictionary knows (「生日禮」, 「金卡」); two-character grams catch Chinese words
 * without a dictionary, single characters rescue one-character keywords (「退」), and a run of Latin letters or
 * digits is one token (「3c」, 「ok」). Each gram weighs its IDF over the entries (a gram every entry shares tells
 * nothing), and filler characters (我 的 請 問 …) weigh little. See bench/matcher.bench.ts for the comparison with
 * plain bigram Dice (what string-similarity does) and fuse.js-style edit distance.
 *
 * Score of a phrasing = containment^0.6 × coverage^0.4, where containment is the share of the phrasing's weight
 * found in the message (the message says what the entry is about) and coverage the share of the message's weight
 * found in the phrasing (the message says little else). An entry scores its best phrasing; below
 * MATCH_THRESHOLD the honest answer is "no match".
 */

export interface MatchDoc {
  id: string;
  /** The question and its alternative phrasings. */
  phrases: string[];
}

export interface MatchResult {
  id: string;
  score: number;
  /** The phrasing that matched best. */
  phrase: string;
}

export const MATCH_THRESHOLD = 0.5;

const UNIGRAM_WEIGHT = 0.35;
const BIGRAM_WEIGHT = 1;
const FILLER_WEIGHT = 0.25;
const FILLER = new Set([
  ...'我你妳您他她們的請問是有嗎要可以怎麼了在什哪會一個這那想能就還和跟把被給都也很再多少嗯啊呢喔吧啦哈欸ㄚ下',
]);
const FILLER_BIGRAMS = new Set([
  '請問',
  '你們',
  '我們',
  '可以',
  '怎麼',
  '什麼',
  '一下',
  '想問',
  '我想',
  '我要',
  '是否',
  '有沒',
  '沒有',
  '的話',
  '一個',
  '要怎',
  '麼用',
  '如何',
]);

interface Phrase {
  docId: string;
  text: string;
  grams: Map<string, number>;
  weight: number;
}

export interface MatchIndex {
  phrases: Phrase[];
  postings: Map<string, number[]>;
  idf: Map<string, number>;
  maxIdf: number;
  exact: Map<string, number>;
}

/** The grams of a normalised text with their base weights (before IDF). */
export function gramsOf(norm: string): Map<string, number> {
  const out = new Map<string, number>();
  const tokens = norm.match(/[a-z0-9]+|[^a-z0-9]/gu) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const latin = tok.length > 1 || /[a-z0-9]/.test(tok);
    const uni = latin ? BIGRAM_WEIGHT : FILLER.has(tok) ? UNIGRAM_WEIGHT * FILLER_WEIGHT : UNIGRAM_WEIGHT;
    out.set(`1:${tok}`, Math.max(out.get(`1:${tok}`) ?? 0, uni));
    if (i + 1 < tokens.length) {
      const bi = tok + tokens[i + 1];
      const fill = FILLER_BIGRAMS.has(bi) || (FILLER.has(tok) && FILLER.has(tokens[i + 1]));
      out.set(`2:${bi}`, fill ? BIGRAM_WEIGHT * FILLER_WEIGHT : BIGRAM_WEIGHT);
    }
  }
  return out;
}

/** Builds the index of FAQ entries (each with its phrasings). */
export function buildMatchIndex(docs: MatchDoc[]): MatchIndex {
  const docFreq = new Map<string, number>();
  const raw: Array<{ docId: string; text: string; grams: Map<string, number> }> = [];
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const phrase of doc.phrases) {
      const norm = normalizeForMatch(phrase);
      if (!norm) continue;
      const grams = gramsOf(norm);
      raw.push({ docId: doc.id, text: phrase, grams });
      for (const g of grams.keys()) seen.add(g);
    }
    for (const g of seen) docFreq.set(g, (docFreq.get(g) ?? 0) + 1);
  }
  const n = Math.max(docs.length, 1);
  const idf = new Map<string, number>();
  for (const [g, df] of docFreq) idf.set(g, Math.log(1 + n / df));
  const maxIdf = Math.log(1 + n);
  const phrases: Phrase[] = [];
  const postings = new Map<string, number[]>();
  const exact = new Map<string, number>();
  for (const r of raw) {
    const grams = new Map<string, number>();
    let weight = 0;
    for (const [g, base] of r.grams) {
      const w = base * (idf.get(g) ?? maxIdf);
      grams.set(g, w);
      weight += w;
    }
    const i = phrases.push({ docId: r.docId, text: r.text, grams, weight }) - 1;
    for (const g of grams.keys()) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
    const norm = normalizeForMatch(r.text);
    if (!exact.has(norm)) exact.set(norm, i);
  }
  return { phrases, postings, idf, maxIdf, exact };
}

/** The best FAQ entry for a message, or null when nothing scores MATCH_THRESHOLD (an honest "no match"). */
export function matchText(index: MatchIndex, text: string, threshold = MATCH_THRESHOLD): MatchResult | null {
  const best = rankMatches(index, text, 1)[0];
  return best && best.score >= threshold ? best : null;
}

/** The `limit` best entries for a message, best first, whatever their score (the console's "試試看" and the bench). */
export function rankMatches(index: MatchIndex, text: string, limit = 3): MatchResult[] {
  const norm = normalizeForMatch(text);
  if (!norm) return [];
  const exact = index.exact.get(norm);
  if (exact !== undefined) {
    const p = index.phrases[exact];
    return [{ id: p.docId, score: 1, phrase: p.text }];
  }
  const query = new Map<string, number>();
  let queryWeight = 0;
  for (const [g, base] of gramsOf(norm)) {
    const w = base * (index.idf.get(g) ?? index.maxIdf);
    query.set(g, w);
    queryWeight += w;
  }
  const overlap = new Map<number, number>();
  for (const [g, w] of query) {
    const list = index.postings.get(g);
    if (!list) continue;
    for (const i of list) overlap.set(i, (overlap.get(i) ?? 0) + w);
  }
  const byDoc = new Map<string, MatchResult>();
  for (const [i, shared] of overlap) {
    const p = index.phrases[i];
    const containment = Math.min(1, shared / p.weight);
    const coverage = Math.min(1, shared / queryWeight);
    const score = containment ** 0.6 * coverage ** 0.4;
    const prev = byDoc.get(p.docId);
    if (!prev || score > prev.score) byDoc.set(p.docId, { id: p.docId, score, phrase: p.text });
  }
  return [...byDoc.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}
