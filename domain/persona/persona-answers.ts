import { maskPhone } from '../shared/phone';
import { dateLabel } from './answer-parsing';
import type { PersonaState } from './persona-engine';
import type { PersonaQuestion, PersonaScript } from './persona-script.schema';

/**
 * What the member has told us, question by question, whatever the channel. The member document is the truth
 * (staff, an import or the card may have changed a field since the chat asked), so answers are read from its fields
 * and persona tags first, and from the answers kept in the Q&A state only for questions that fill neither.
 */

/** The member as these rules read it: fields by path (`preferences.contactTime`) and tags with their source. */
export interface PersonaMemberView {
  tags?: ReadonlyArray<{ tag: string; source: string }> | null;
}

/** The member's answer to one question as people read it (an option label, a date, a typed text), or null. */
export function answerLabelOf(
  q: PersonaQuestion,
  member: PersonaMemberView,
  state: Pick<PersonaState, 'answers'> | null | undefined,
): string | null {
  const field = 'field' in q ? q.field : undefined;
  if (field) {
    // A phone waiting for the staff's merge decision (member-phone.service.ts) is an answer given all the same.
    const value = readPath(member, field) ?? (field === 'phone' ? readPath(member, 'phoneClaim.phone') : undefined);
    if (value === undefined || value === null || value === '') return null;
    const option = 'options' in q ? q.options.find((o) => (o.value ?? o.label) === value) : undefined;
    if (q.type === 'date') return dateLabel(String(value));
    // Summaries are read by staff too (the member page): a phone is shown masked wherever it is listed.
    if (field === 'phone') return maskPhone(String(value));
    return option?.label ?? String(value);
  }
  if (q.type === 'multi') {
    const tags = new Set((member.tags ?? []).filter((x) => x.source === 'persona').map((x) => x.tag));
    const picked = q.options.filter((o) => o.tags.length && o.tags.every((tag) => tags.has(tag))).map((o) => o.label);
    if (picked.length) return picked.join('、');
  }
  return state?.answers?.[q.id]?.label ?? null;
}

/**
 * Questions the chat would still have to ask: neither answered (see `answerLabelOf`) nor skipped in the chat.
 * Empty means the persona is complete, wherever the last answer was given.
 */
export function openPersonaQuestions(
  script: PersonaScript,
  member: PersonaMemberView,
  state: Pick<PersonaState, 'answers' | 'skipped'> | null | undefined,
): PersonaQuestion[] {
  const skipped = new Set(state?.skipped ?? []);
  return script.questions.filter((q) => !skipped.has(q.id) && answerLabelOf(q, member, state) === null);
}

function readPath(doc: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
}
