/**
 * The chat's FAQ matcher (#13.3): accuracy on the table of real zh-TW phrasings (test/fixtures/matcher-table.ts)
 * and the time one message takes to match, with the demo brand's entries alone and among 500 entries (the demo's
 * plus generated product questions as distractors). Compared with two simpler ways to score the same n-grams:
 * plain character-bigram Dice (the algorithm of the `string-similarity` package) and unweighted bigram cosine.
 * Prints figures; asserts nothing. `npm run bench -- matcher`.
 */
import { detectIntent } from '../domain/conversation/intents';
import { buildMatchIndex, MATCH_THRESHOLD, type MatchDoc, matchText } from '../domain/conversation/matcher';
import { normalizeForMatch } from '../domain/conversation/normalize';
import { DEMO_FAQ } from '../server/demo-faq';
import { MATCHER_TABLE } from '../test/fixtures/matcher-table';

type Matcher = (text: string) => string | null;

const PRODUCTS = [
  '保溫瓶',
  '行李箱',
  '藍牙耳機',
  '空氣清淨機',
  '除濕機',
  '電風扇',
  '保養品',
  '防曬乳',
  '洗髮精',
  '沐浴乳',
  '運動鞋',
  '羽絨外套',
  '牛仔褲',
  '後背包',
  '床包',
  '枕頭',
  '棉被',
  '咖啡豆',
  '濾掛咖啡',
  '茶葉',
  '餅乾禮盒',
  '鳳梨酥',
  '牛軋糖',
  '寵物飼料',
  '貓砂',
  '玩具',
  '積木',
  '文具',
  '筆記本',
  '雨傘',
  '拖鞋',
  '毛巾',
  '電鍋',
  '氣炸鍋',
  '吹風機',
  '刮鬍刀',
  '電動牙刷',
  '行動電源',
  '手機殼',
  '充電線',
  '瑜珈墊',
  '啞鈴',
  '登山杖',
  '帳篷',
  '睡袋',
  '保冷袋',
  '便當盒',
  '水壺',
  '香氛蠟燭',
  '擴香瓶',
];
const TEMPLATES = [
  '有現貨嗎',
  '保固多久',
  '怎麼保養',
  '有哪些顏色',
  '尺寸怎麼選',
  '可以試用嗎',
  '有特價嗎',
  '哪裡買得到',
  '成分是什麼',
  '可以送禮包裝嗎',
];

/** The demo brand's entries plus generated product questions, `size` in all. */
function entries(size: number): MatchDoc[] {
  const docs: MatchDoc[] = DEMO_FAQ.map((e) => ({ id: e.seedKey, phrases: [e.question, ...e.alternatives] }));
  for (let i = 0; docs.length < size; i++) {
    const product = PRODUCTS[i % PRODUCTS.length];
    const template = TEMPLATES[Math.floor(i / PRODUCTS.length) % TEMPLATES.length];
    docs.push({ id: `gen:${i}`, phrases: [`${product}${template}`, `請問${product}${template}`] });
  }
  return docs;
}

function bigrams(norm: string): string[] {
  const chars = [...norm];
  if (chars.length < 2) return chars;
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

/** Dice over character bigrams, best phrasing per entry, the same threshold tuned on the table (0.5). */
function diceMatcher(docs: MatchDoc[], threshold = 0.5): Matcher {
  const phrases = docs.flatMap((d) => d.phrases.map((p) => ({ id: d.id, grams: bigrams(normalizeForMatch(p)) })));
  return (text) => {
    const q = bigrams(normalizeForMatch(text));
    if (!q.length) return null;
    let best: { id: string; score: number } | null = null;
    for (const p of phrases) {
      const pool = [...p.grams];
      let shared = 0;
      for (const g of q) {
        const i = pool.indexOf(g);
        if (i >= 0) {
          shared++;
          pool.splice(i, 1);
        }
      }
      const score = (2 * shared) / (q.length + p.grams.length);
      if (!best || score > best.score) best = { id: p.id, score };
    }
    return best && best.score >= threshold ? best.id : null;
  };
}

/** Cosine over sets of character bigrams, no weights. */
function cosineMatcher(docs: MatchDoc[], threshold = 0.45): Matcher {
  const phrases = docs.flatMap((d) =>
    d.phrases.map((p) => ({ id: d.id, grams: new Set(bigrams(normalizeForMatch(p))) })),
  );
  return (text) => {
    const q = new Set(bigrams(normalizeForMatch(text)));
    if (!q.size) return null;
    let best: { id: string; score: number } | null = null;
    for (const p of phrases) {
      let shared = 0;
      for (const g of q) if (p.grams.has(g)) shared++;
      const score = shared / Math.sqrt(q.size * p.grams.size || 1);
      if (!best || score > best.score) best = { id: p.id, score };
    }
    return best && best.score >= threshold ? best.id : null;
  };
}

function ngramMatcher(docs: MatchDoc[]): Matcher {
  const index = buildMatchIndex(docs);
  return (text) => matchText(index, text)?.id ?? null;
}

/** Precision and recall on the table, intents first as in the chat. */
function accuracy(match: Matcher): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [text, want] of MATCHER_TABLE) {
    const intent = detectIntent(text);
    const got = intent ? `intent:${intent}` : match(text);
    if (got === want) {
      if (got) tp++;
      continue;
    }
    if (got) fp++;
    if (want) fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

/** Mean time per message over the table's texts, repeated (a warm-up first). */
function timePerMessage(match: Matcher, rounds = 20): number {
  for (const [text] of MATCHER_TABLE) match(text);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const [text] of MATCHER_TABLE) match(text);
  return Number(process.hrtime.bigint() - start) / 1e6 / (rounds * MATCHER_TABLE.length);
}

export async function run(): Promise<void> {
  const lines: string[] = [];
  lines.push(`table: ${MATCHER_TABLE.length} phrasings; chosen matcher threshold ${MATCH_THRESHOLD}`);
  lines.push('matcher                     entries  precision  recall  ms/message  build ms');
  for (const size of [DEMO_FAQ.length, 500]) {
    const docs = entries(size);
    for (const [name, make] of [
      ['weighted n-grams (chosen)', ngramMatcher],
      ['bigram Dice', diceMatcher],
      ['bigram cosine', cosineMatcher],
    ] as Array<[string, (d: MatchDoc[]) => Matcher]>) {
      const t0 = process.hrtime.bigint();
      const match = make(docs);
      const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const { precision, recall } = accuracy(match);
      const ms = timePerMessage(match, size > 100 ? 5 : 20);
      lines.push(
        `${name.padEnd(27)} ${String(size).padStart(7)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${ms.toFixed(4).padStart(10)}  ${buildMs.toFixed(1).padStart(8)}`,
      );
    }
  }
  console.log(lines.join('\n'));
}

if (require.main === module) void run();
