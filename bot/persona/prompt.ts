import type { LineMessage } from '../../domain/messaging/messenger';
import { latestDate, type PersonaOp, type RepromptReason } from '../../domain/persona/persona-engine';
import type { PersonaQuestion } from '../../domain/persona/persona-script.schema';
import { t } from '../messages/catalogue';
import { datePickerItem, postbackItem, type QuickReplyItem, textMessage } from '../messages/quick-reply';

/**
 * How the chat shows the persona engine's questions and re-prompts: text with quick-reply buttons whose postback
 * data names the question and the action, `persona:<questionId>:<op>[:<optionId>]` (ids are slugs, so no escaping).
 */
export const PERSONA_PREFIX = 'persona:';

export function personaData(questionId: string, op: PersonaOp, optionId?: string): string {
  return `${PERSONA_PREFIX}${questionId}:${op}${optionId ? `:${optionId}` : ''}`;
}

export function parsePersonaData(data: string): { questionId: string; op: PersonaOp; optionId?: string } | null {
  const m = /^persona:([a-z0-9_-]{1,30}):(pick|toggle|done|skip|date)(?::([a-z0-9_-]{1,30}))?$/.exec(data);
  return m ? { questionId: m[1], op: m[2] as PersonaOp, optionId: m[3] } : null;
}

export interface PromptContext {
  /** 1-based position and total, shown as (2/7). */
  position: number;
  total: number;
  /** Today in the brand's time zone (`YYYY-MM-DD`), the latest date a birthday picker allows. */
  today: string;
  /** Multi choice: option ids picked so far. */
  picked?: string[];
}

/** The buttons under a question: options, 完成 for multi choice, the date picker, 略過 when skippable. */
export function questionButtons(q: PersonaQuestion, ctx: PromptContext): QuickReplyItem[] {
  const items: QuickReplyItem[] = [];
  if (q.type === 'single') {
    for (const o of q.options) items.push(postbackItem(o.label, personaData(q.id, 'pick', o.id)));
  } else if (q.type === 'multi') {
    const picked = new Set(ctx.picked ?? []);
    for (const o of q.options)
      items.push(postbackItem(picked.has(o.id) ? `✓ ${o.label}` : o.label, personaData(q.id, 'toggle', o.id), o.label));
    items.push(postbackItem(t.persona.done, personaData(q.id, 'done')));
  } else if (q.type === 'date') {
    const max = latestDate(q, ctx.today) ?? undefined;
    items.push(
      datePickerItem(t.persona.pickDate, personaData(q.id, 'date'), {
        // LINE refuses a picker opening after its max (a script written years ago with notFuture).
        initial: max && q.initial > max ? max : q.initial,
        min: q.minDate,
        max,
      }),
    );
  }
  if (q.skippable) items.push(postbackItem(t.persona.skip, personaData(q.id, 'skip')));
  return items;
}

/** The question as a chat message: progress, prompt and its buttons. */
export function questionMessage(q: PersonaQuestion, ctx: PromptContext, lead?: string): LineMessage {
  const text = `${lead ? `${lead}\n\n` : ''}${t.persona.progress(ctx.position, ctx.total)}${q.prompt}`;
  return textMessage(text, questionButtons(q, ctx));
}

/** A short re-prompt that keeps the same buttons (the member only needs to pick again). */
export function repromptMessage(q: PersonaQuestion, ctx: PromptContext, text: string): LineMessage {
  return textMessage(text, questionButtons(q, ctx));
}

/** The words for a re-prompt: the script's own `invalidMessage` / `textPrompt` first, else the catalogue's. */
export function repromptText(q: PersonaQuestion, reason: RepromptReason, picked: string[]): string {
  const options = 'options' in q ? q.options : [];
  switch (reason) {
    case 'cannot_skip':
      return t.persona.cannotSkip;
    case 'ask_other':
      return options.find((o) => o.askText)?.textPrompt ?? t.persona.otherPrompt;
    case 'none_picked':
      return t.persona.nonePicked;
    case 'picked':
      return t.persona.picked(options.filter((o) => picked.includes(o.id)).map((o) => o.label));
    case 'unpicked_all':
      return t.persona.unpickedAll;
    case 'max_reached':
      return t.persona.maxReached(q.type === 'multi' ? (q.maxSelections ?? q.options.length) : options.length);
    case 'invalid':
      return q.invalidMessage ?? invalidDefault(q);
    case 'phone_taken':
      return t.persona.phoneTaken;
  }
}

function invalidDefault(q: PersonaQuestion): string {
  switch (q.type) {
    case 'single':
    case 'multi':
      return t.persona.invalidChoice;
    case 'date':
      return t.persona.invalidDate;
    case 'text':
      if (q.validator.kind === 'phone') return t.persona.invalidPhone;
      return q.validator.kind === 'email' ? t.persona.invalidEmail : t.persona.invalidText;
    case 'number':
      return t.persona.invalidNumber(q.min, q.max, q.unit);
  }
}
