import { detectIntent } from '../../../domain/conversation/intents';
import { buildMatchIndex, matchText } from '../../../domain/conversation/matcher';
import { DEMO_FAQ } from '../../../server/demo-faq';
import { MATCHER_TABLE } from '../../fixtures/matcher-table';

/**
 * Accuracy of the real matcher (built-in intents, then the n-gram FAQ matcher over the demo brand's entries) on
 * the table of real-world zh-TW phrasings. Precision: of the answers given, the share that were the intended
 * one (a wrong entry or an answer where none was due counts against it); recall: of the phrasings that should
 * be answered, the share answered with the intended entry or intent.
 */
describe('#13.3 matcher table', () => {
  const index = buildMatchIndex(DEMO_FAQ.map((e) => ({ id: e.seedKey, phrases: [e.question, ...e.alternatives] })));
  const classify = (text: string): string | null => {
    const intent = detectIntent(text);
    if (intent) return `intent:${intent}`;
    return matchText(index, text)?.id ?? null;
  };

  it('holds at least 150 phrasings, every expected answer one the demo brand has', () => {
    expect(MATCHER_TABLE.length).toBeGreaterThanOrEqual(150);
    const keys = new Set(DEMO_FAQ.map((e) => e.seedKey));
    for (const [, want] of MATCHER_TABLE) if (want && !want.startsWith('intent:')) expect(keys).toContain(want);
  });

  it('answers with precision ≥ 0.9 and recall ≥ 0.9', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const misses: string[] = [];
    for (const [text, want] of MATCHER_TABLE) {
      const got = classify(text);
      if (got === want) {
        if (got) tp++;
        continue;
      }
      if (got) fp++;
      if (want) fn++;
      misses.push(`${text} → ${got ?? '(none)'}; wanted ${want ?? '(none)'}`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `matcher table: ${MATCHER_TABLE.length} phrasings, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}\n${misses.join('\n')}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
