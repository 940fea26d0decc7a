import type { MemberDoc } from '../../models/member.model';
import { BIRTHDAY_LOCKED_TEXT, BIRTHDAY_SET_ONCE_TEXT } from '../members/birthday-rules';
import { PHONE_PENDING_TEXT } from '../members/member-phone.service';
import type { ProfileEdit } from '../members/profile-edit.service';
import { maskPhone } from '../shared/phone';
import { answerPersona, freshPersonaState, type PersonaStep } from './persona-engine';
import type { PersonaQuestion, PersonaScript } from './persona-script.schema';

/**
 * The profile form of the card is the persona script seen as a form. Answers are judged by the persona engine the
 * chat runs (persona-engine.ts: the same parsing of dates, 民國 years, aliases, patterns), so the card can never
 * accept what the chat would refuse, or the other way round. Problems are returned as reasons; the wording is the
 * card's (api/member/profile.routes.ts renders them).
 */

/** One editable field of the form (the card's wire type `ProfileField` has this shape). */
export interface ProfileFormField {
  /** The persona question id; answers are sent under this key. */
  key: string;
  label: string;
  kind: 'text' | 'date' | 'choice' | 'multi' | 'email' | 'phone';
  options?: Array<{ value: string; label: string }>;
  suggestions?: string[];
  placeholder?: string;
  /** The current answer in the form's terms (option id(s) for choices, the text or YYYY-MM-DD otherwise). */
  value: string;
  /** The current answer as the member reads it (option labels). */
  display: string;
  /** Shown but not editable by the member (a birthday once set: only staff change it); `hint` says why. */
  locked?: boolean;
  hint?: string;
}

/** Why a submitted answer was refused. `ask_text`: the script's own prompt for a typed "other" answer. */
export type ProfileAnswerProblem =
  | { kind: 'not_editable' }
  | { kind: 'invalid_choice' }
  | { kind: 'invalid_date' }
  | { kind: 'invalid_email' }
  | { kind: 'invalid_phone' }
  | { kind: 'invalid_text'; minLength: number; maxLength: number }
  | { kind: 'ask_text'; prompt: string };

export interface ProfileAnswerError {
  path: string;
  problem: ProfileAnswerProblem;
}

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
export function describeProfileFields(
  script: PersonaScript,
  member: MemberDoc,
  answers: Record<string, { value?: unknown }>,
  words: { datePlaceholder: string },
): ProfileFormField[] {
  const tags = new Set((member.tags ?? []).filter((t) => t.source === 'persona').map((t) => t.tag));
  return editableQuestions(script).map((q) => {
    const base = { key: q.id, label: q.title ?? q.id };
    if (q.type === 'date') {
      const value = fieldOf(member, q.field);
      const locked = q.field === 'birthday' && Boolean(value);
      const birthday =
        q.field === 'birthday' ? { locked, hint: locked ? BIRTHDAY_LOCKED_TEXT : BIRTHDAY_SET_ONCE_TEXT } : {};
      return {
        ...base,
        kind: 'date',
        placeholder: words.datePlaceholder,
        value,
        display: value.replace(/-/g, '/'),
        ...birthday,
      };
    }
    if (q.type === 'text' && q.validator.kind === 'phone') return phoneField(base, member, q.field);
    if (q.type === 'text')
      return { ...base, kind: q.validator.kind === 'email' ? 'email' : 'text', ...plain(fieldOf(member, q.field)) };
    const options = q.options.filter((o) => !o.askText).map((o) => ({ value: o.id, label: o.label }));
    if (q.type === 'multi') {
      const picked = q.options.filter((o) => o.tags.length && o.tags.every((t) => tags.has(t)));
      return {
        ...base,
        kind: 'multi',
        options,
        value: picked.map((o) => o.id).join(','),
        display: picked.map((o) => o.label).join('、'),
      };
    }
    const current = q.field ? fieldOf(member, q.field) : String(answers[q.id]?.value ?? '');
    const option =
      q.options.find((o) => !o.askText && (o.value ?? o.label) === current) ??
      (q.field ? undefined : q.options.find((o) => o.tags.length && o.tags.every((t) => tags.has(t))));
    if (q.options.some((o) => o.askText)) {
      // "其他（自行輸入）": a text box with the options as suggestions, read like a typed chat answer.
      return {
        ...base,
        kind: 'text',
        suggestions: options.map((o) => o.label),
        placeholder: options[0]?.label,
        value: option?.label ?? current,
        display: option?.label ?? current,
      };
    }
    return { ...base, kind: 'choice', options, value: option?.id ?? '', display: option?.label ?? '' };
  });
}

/** Validates every submitted answer; returns the edits to store, or the field errors (then nothing is stored). */
export function readProfileAnswers(
  script: PersonaScript,
  input: Record<string, string>,
  today: string,
  now: Date,
): { edits: ProfileEdit[]; errors: ProfileAnswerError[] } {
  const byId = new Map(editableQuestions(script).map((q) => [q.id, q]));
  const edits: ProfileEdit[] = [];
  const errors: ProfileAnswerError[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const q = byId.get(key);
    const path = `answers.${key}`;
    if (!q) {
      errors.push({ path, problem: { kind: 'not_editable' } });
      continue;
    }
    const result = raw.trim() === '' ? cleared(q) : answer(q, raw.trim(), { script, today, now });
    if ('kind' in result) errors.push({ path, problem: result });
    else edits.push(result);
  }
  return { edits, errors };
}

function answer(
  q: Editable,
  raw: string,
  ctx: { script: PersonaScript; today: string; now: Date },
): ProfileEdit | ProfileAnswerProblem {
  const fresh = freshPersonaState(q.id);
  let step: PersonaStep;
  if (q.type === 'multi') {
    // The form sends every ticked option at once: as if each button was tapped, then 完成.
    const ids = [
      ...new Set(
        raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.some((id) => !q.options.some((o) => o.id === id))) return { kind: 'invalid_choice' };
    let state = fresh;
    for (const id of ids)
      state = answerPersona(ctx, state, { kind: 'button', questionId: q.id, op: 'toggle', optionId: id }).state;
    step = answerPersona(ctx, state, { kind: 'button', questionId: q.id, op: 'done' });
  } else if (q.type === 'single' && !q.options.some((o) => o.askText)) {
    if (!q.options.some((o) => o.id === raw)) return { kind: 'invalid_choice' };
    step = answerPersona(ctx, fresh, { kind: 'button', questionId: q.id, op: 'pick', optionId: raw });
  } else {
    step = answerPersona(ctx, fresh, { kind: 'text', text: raw });
  }
  const given = step.answered && !step.answered.skipped ? step.state.answers[q.id] : undefined;
  if (!given) return invalidAnswer(q);
  return {
    questionId: q.id,
    title: q.title ?? q.id,
    label: given.label,
    value: given.value,
    set: step.updates.set,
    unset: [],
    addTags: step.updates.addTags,
    removeTags: step.updates.removeTags,
  };
}

/** An emptied field removes the answer: the member field and the question's persona tags. */
function cleared(q: Editable): ProfileEdit {
  const field = 'field' in q ? q.field : undefined;
  const unset = field ? [field, ...(field === 'birthday' ? ['birthMonth'] : [])] : [];
  const removeTags = 'options' in q ? [...new Set(q.options.flatMap((o) => o.tags))] : [];
  return { questionId: q.id, title: q.title ?? q.id, label: '', value: null, set: {}, unset, addTags: [], removeTags };
}

function invalidAnswer(q: Editable): ProfileAnswerProblem {
  switch (q.type) {
    case 'date':
      return { kind: 'invalid_date' };
    case 'text':
      if (q.validator.kind === 'phone') return { kind: 'invalid_phone' };
      return q.validator.kind === 'email'
        ? { kind: 'invalid_email' }
        : { kind: 'invalid_text', minLength: q.validator.minLength, maxLength: q.validator.maxLength };
    case 'multi':
      return { kind: 'invalid_choice' };
    case 'single': {
      const prompt = q.options.find((o) => o.askText)?.textPrompt;
      return prompt ? { kind: 'ask_text', prompt } : { kind: 'invalid_choice' };
    }
  }
}

function fieldOf(member: MemberDoc, field: string | undefined): string {
  if (!field) return '';
  const value = field
    .split('.')
    .reduce<unknown>(
      (obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined),
      member.toObject(),
    );
  return value === undefined || value === null ? '' : String(value);
}

/** The member's own number (or the one waiting for the staff's merge decision, with a note saying so). */
function phoneField(
  base: { key: string; label: string },
  member: MemberDoc,
  field: string | undefined,
): ProfileFormField {
  const stored = fieldOf(member, field);
  const claim = member.phoneClaim?.phone ?? '';
  const value = stored || claim;
  return {
    ...base,
    kind: 'phone',
    placeholder: '0912-345-678',
    value,
    display: value ? maskPhone(value) : '',
    ...(!stored && claim ? { hint: PHONE_PENDING_TEXT } : {}),
  };
}

function plain(value: string): { value: string; display: string } {
  return { value, display: value };
}
