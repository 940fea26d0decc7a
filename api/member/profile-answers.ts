import type { ProfileEdit } from '../../domain/members/profile-edit.service';
import { answerPersona, freshPersonaState, type PersonaStep } from '../../domain/persona/persona-engine';
import type { PersonaQuestion, PersonaScript } from '../../domain/persona/persona-script.schema';
import type { FieldError } from '../../domain/shared/errors';
import type { MemberDoc } from '../../models/member.model';
import type { ProfileField } from '../contracts/member';
import { memberText } from './member-messages';

/**
 * The profile form of the card is the persona script seen as a form. Answers are judged by the persona engine the
 * chat runs (domain/persona/persona-engine.ts: the same parsing of dates, 民國 years, aliases, patterns), so the
 * card can never accept what the chat would refuse, or the other way round. Only the error wording is the card's.
 */

type Editable = Exclude<PersonaQuestion, { type: 'number' }>;

/** Questions a member can edit on the card: those that fill a member field or set preference tags. */
export function editableQuestions(script: PersonaScript): Editable[] {
  return script.questions.filter((q): q is Editable => {
    if (q.type === 'number') return false;
    if (q.type === 'multi') return q.options.some((o) => o.tags.length);
    if (q.type === 'single') return Boolean(q.field) || q.options.some((o) => o.tags.length);
    return Boolean(q.field);
  });
}

/** The form: one field per editable question, with the member's current answer. */
export function describeProfileFields(script: PersonaScript, member: MemberDoc, answers: Record<string, { value?: unknown }>): ProfileField[] {
  const tags = new Set((member.tags ?? []).filter((t) => t.source === 'persona').map((t) => t.tag));
  return editableQuestions(script).map((q) => {
    const base = { key: q.id, label: q.title ?? q.id };
    if (q.type === 'date') {
      const value = fieldOf(member, q.field);
      return { ...base, kind: 'date', placeholder: memberText.datePlaceholder, value, display: value.replace(/-/g, '/') };
    }
    if (q.type === 'text') return { ...base, kind: q.validator.kind === 'email' ? 'email' : 'text', ...plain(fieldOf(member, q.field)) };
    const options = q.options.filter((o) => !o.askText).map((o) => ({ value: o.id, label: o.label }));
    if (q.type === 'multi') {
      const picked = q.options.filter((o) => o.tags.length && o.tags.every((t) => tags.has(t)));
      return { ...base, kind: 'multi', options, value: picked.map((o) => o.id).join(','), display: picked.map((o) => o.label).join('、') };
    }
    const current = q.field ? fieldOf(member, q.field) : String(answers[q.id]?.value ?? '');
    const option = q.options.find((o) => !o.askText && (o.value ?? o.label) === current)
      ?? (q.field ? undefined : q.options.find((o) => o.tags.length && o.tags.every((t) => tags.has(t))));
    if (q.options.some((o) => o.askText)) {
      // "其他（自行輸入）": a text box with the options as suggestions, read like a typed chat answer.
      return { ...base, kind: 'text', suggestions: options.map((o) => o.label), placeholder: options[0]?.label, value: option?.label ?? current, display: option?.label ?? current };
    }
    return { ...base, kind: 'choice', options, value: option?.id ?? '', display: option?.label ?? '' };
  });
}

/** Validates every submitted answer; returns the edits to store, or the field errors (then nothing is stored). */
export function readProfileAnswers(script: PersonaScript, input: Record<string, string>, today: string, now: Date): { edits: ProfileEdit[]; errors: FieldError[] } {
  const byId = new Map(editableQuestions(script).map((q) => [q.id, q]));
  const edits: ProfileEdit[] = [];
  const errors: FieldError[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const q = byId.get(key);
    const path = `answers.${key}`;
    if (!q) {
      errors.push({ path, message: memberText.notEditable });
      continue;
    }
    const result = raw.trim() === '' ? cleared(q) : answer(q, raw.trim(), { script, today, now });
    if (typeof result === 'string') errors.push({ path, message: result });
    else edits.push(result);
  }
  return { edits, errors };
}

function answer(q: Editable, raw: string, ctx: { script: PersonaScript; today: string; now: Date }): ProfileEdit | string {
  const fresh = freshPersonaState(q.id);
  let step: PersonaStep;
  if (q.type === 'multi') {
    // The form sends every ticked option at once: as if each button was tapped, then 完成.
    const ids = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.some((id) => !q.options.some((o) => o.id === id))) return memberText.invalidChoice;
    let state = fresh;
    for (const id of ids) state = answerPersona(ctx, state, { kind: 'button', questionId: q.id, op: 'toggle', optionId: id }).state;
    step = answerPersona(ctx, state, { kind: 'button', questionId: q.id, op: 'done' });
  } else if (q.type === 'single' && !q.options.some((o) => o.askText)) {
    if (!q.options.some((o) => o.id === raw)) return memberText.invalidChoice;
    step = answerPersona(ctx, fresh, { kind: 'button', questionId: q.id, op: 'pick', optionId: raw });
  } else {
    step = answerPersona(ctx, fresh, { kind: 'text', text: raw });
  }
  const given = step.answered && !step.answered.skipped ? step.state.answers[q.id] : undefined;
  if (!given) return invalidMessage(q);
  return {
    questionId: q.id, title: q.title ?? q.id, label: given.label, value: given.value,
    set: step.updates.set, unset: [], addTags: step.updates.addTags, removeTags: step.updates.removeTags,
  };
}

/** An emptied field removes the answer: the member field and the question's persona tags. */
function cleared(q: Editable): ProfileEdit {
  const field = 'field' in q ? q.field : undefined;
  const unset = field ? [field, ...(field === 'birthday' ? ['birthMonth'] : [])] : [];
  const removeTags = 'options' in q ? [...new Set(q.options.flatMap((o) => o.tags))] : [];
  return { questionId: q.id, title: q.title ?? q.id, label: '', value: null, set: {}, unset, addTags: [], removeTags };
}

function invalidMessage(q: Editable): string {
  switch (q.type) {
    case 'date': return memberText.invalidDate;
    case 'text': return q.validator.kind === 'email' ? memberText.invalidEmail : memberText.invalidText(q.validator.minLength, q.validator.maxLength);
    case 'multi': return memberText.invalidChoice;
    case 'single': return q.options.find((o) => o.askText)?.textPrompt ?? memberText.invalidChoice;
  }
}

function fieldOf(member: MemberDoc, field: string | undefined): string {
  if (!field) return '';
  const value = field.split('.').reduce<unknown>((obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined), member.toObject());
  return value === undefined || value === null ? '' : String(value);
}

function plain(value: string): { value: string; display: string } {
  return { value, display: value };
}
