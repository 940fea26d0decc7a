import type { LineMessage } from '../../domain/messaging/messenger';
import type { PersonaQuestion, PersonaScript } from '../../domain/persona/persona-script.schema';
import type { BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { messageItem, textMessage } from '../messages/quick-reply';
import type { PersonaState } from './engine';

/**
 * 資料: what the member told us, question by question. The member document is the truth (staff or an import may
 * have changed a field since), so answers are read from its fields and persona tags first, and from the answers
 * kept in the Q&A state only for questions that fill neither.
 */
export function profileSummaryMessage(script: PersonaScript, member: BotMember): LineMessage {
  const state = member.persona?.state as PersonaState | undefined;
  const lines = script.questions.map((q) => `${q.title ?? q.id}：${answerLabel(q, member, state) ?? t.persona.summaryUnanswered}`);
  const active = state?.status === 'active';
  const anyAnswered = script.questions.some((q) => answerLabel(q, member, state) !== null);
  const footer = active ? t.persona.summaryIncomplete : anyAnswered ? t.persona.summaryComplete : t.persona.summaryEmpty;
  const items = [messageItem(t.persona.restart)];
  if (active || !anyAnswered) items.unshift(messageItem(t.persona.continue));
  return textMessage(`${t.persona.summaryTitle}\n${lines.join('\n')}\n\n${footer}`, items);
}

function answerLabel(q: PersonaQuestion, member: BotMember, state: PersonaState | undefined): string | null {
  const field = 'field' in q ? q.field : undefined;
  if (field) {
    const value = readPath(member as unknown as Record<string, unknown>, field);
    if (value === undefined || value === null || value === '') return null;
    const option = 'options' in q ? q.options.find((o) => (o.value ?? o.label) === value) : undefined;
    return option?.label ?? String(value);
  }
  if (q.type === 'multi') {
    const tags = new Set((member.tags ?? []).filter((x) => x.source === 'persona').map((x) => x.tag));
    const picked = q.options.filter((o) => o.tags.length && o.tags.every((tag) => tags.has(tag))).map((o) => o.label);
    if (picked.length) return picked.join('、');
  }
  return state?.answers?.[q.id]?.label ?? null;
}

function readPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
}
