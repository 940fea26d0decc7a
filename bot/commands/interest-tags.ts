import type { PersonaScript } from '../../domain/persona/persona-script.schema';
import { normalizeText } from '../../domain/persona/answer-parsing';

export interface InterestMention {
  label: string;
  tags: string[];
}

/**
 * Preference tags a chat message hints at ("最近在找跑步鞋" → 興趣:運動). The vocabulary is the persona script's
 * option keywords, so the console's script editor controls both the questions and these mentions.
 */
export function detectInterestMentions(script: PersonaScript, text: string): InterestMention[] {
  const norm = normalizeText(text);
  if (!norm) return [];
  const found: InterestMention[] = [];
  for (const q of script.questions) {
    if (!('options' in q)) continue;
    for (const o of q.options) {
      if (!o.tags.length || !o.keywords.length) continue;
      if (o.keywords.some((k) => norm.includes(normalizeText(k)))) found.push({ label: o.label, tags: o.tags });
    }
  }
  return found;
}
