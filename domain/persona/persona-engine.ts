import {
  dateLabel,
  fullCountyName,
  isDateInRange,
  isValidText,
  matchOptions,
  matchSingleAnswer,
  normalizeText,
  parseDateAnswer,
  parseNumberAnswer,
} from './answer-parsing';
import { maskPhone, normalizeTaiwanMobile } from '../shared/phone';
import type { PersonaQuestion, PersonaScript } from './persona-script.schema';

/**
 * The persona Q&A as a pure state machine: (script, state, input) → (new state, replies, profile updates).
 * Channel-neutral on purpose: it decides *what* happens (which question to ask next, why an answer was refused,
 * that the script is complete) as `PersonaReply` codes, never how it is shown. The chat (bot/persona/) renders
 * the replies as LINE messages with buttons; the member card (domain/persona/profile-form.ts) runs single answers
 * through the same rules, so neither can accept what the other refuses. No I/O: callers load and store the state.
 */

export interface PersonaAnswer {
  value: string | string[] | number;
  label: string;
  at: string;
}

export interface PersonaState {
  status: 'active' | 'completed';
  /** Id of the question waiting for an answer (null once completed). */
  current: string | null;
  /** Multi choice in progress: option ids picked so far. */
  picked: string[];
  /** The member picked an "其他" option and is asked to type the answer. */
  awaitingText: boolean;
  answers: Record<string, PersonaAnswer>;
  skipped: string[];
}

/** Member paths to set (`birthday`, `preferences.contactTime` …) and preference tags to add/remove (source persona). */
export interface ProfileUpdate {
  set: Record<string, string | number>;
  addTags: string[];
  removeTags: string[];
}

/** What a button does; the chat encodes it in postback data, the card in form values. */
export type PersonaOp = 'pick' | 'toggle' | 'done' | 'skip' | 'date';

export type PersonaInput =
  | { kind: 'text'; text: string }
  /** A tapped button of one question; `date` is what a date picker returned. */
  | { kind: 'button'; questionId: string; op: PersonaOp; optionId?: string; date?: string }
  /** A button the channel could not read (old or altered): treated like one of an earlier question. */
  | { kind: 'unknown_button' };

/**
 * Why the waiting question is shown again. `invalid`: the answer does not fit (the question's `invalidMessage`, or
 * a default per question type); `ask_other`: type the "其他" answer; the multi-choice codes report progress.
 */
export type RepromptReason =
  | 'invalid'
  | 'cannot_skip'
  | 'ask_other'
  | 'none_picked'
  | 'picked'
  | 'unpicked_all'
  | 'max_reached'
  /** The phone is another LINE member's (decided by the caller with I/O, see `refusePersonaAnswer`). */
  | 'phone_taken';

/** What to tell the member, in order. Questions are shown with the step's `state.picked`. */
export type PersonaReply =
  | { kind: 'intro' }
  | { kind: 'question'; questionId: string; lead?: 'resume' | 'restarted' | 'stale' }
  | { kind: 'reprompt'; questionId: string; reason: RepromptReason }
  | { kind: 'completion' };

export interface PersonaStep {
  state: PersonaState;
  replies: PersonaReply[];
  updates: ProfileUpdate;
  /** What the member answered in this step, for the timeline (`label` is empty when skipped). */
  answered: { questionId: string; title: string; label: string; skipped: boolean } | null;
  /** True only in the step that answered the last question. */
  completedNow: boolean;
}

export interface EngineContext {
  script: PersonaScript;
  today: string;
  now: Date;
}

const SKIP_WORDS = new Set(['略過', '跳過', '下一題', 'skip', 'pass'].map(normalizeText));
const DONE_WORDS = new Set(['完成', '好了', '選好了', 'done', 'ok'].map(normalizeText));
const noUpdates = (): ProfileUpdate => ({ set: {}, addTags: [], removeTags: [] });

/** A state waiting at `questionId` with nothing answered (also what the card judges one answer against). */
export function freshPersonaState(questionId: string): PersonaState {
  return { status: 'active', current: questionId, picked: [], awaitingText: false, answers: {}, skipped: [] };
}

/** Starts the script, or resumes it where the member stopped when a run is in progress. */
export function startPersona(ctx: EngineContext, prev: PersonaState | null): PersonaStep {
  if (prev?.status === 'active') return resumePersona(ctx, prev);
  const first = ctx.script.questions[0];
  return step(freshPersonaState(first.id), [{ kind: 'intro' }, { kind: 'question', questionId: first.id }]);
}

/** 重新填寫: from the first question again; earlier answers stay on the member until overwritten. */
export function restartPersona(ctx: EngineContext): PersonaStep {
  const first = ctx.script.questions[0];
  return step(freshPersonaState(first.id), [{ kind: 'question', questionId: first.id, lead: 'restarted' }]);
}

/** Re-sends the waiting question (the member came back after a break). */
export function resumePersona(ctx: EngineContext, state: PersonaState): PersonaStep {
  if (state.status !== 'active') return step(state, []);
  const at = currentQuestion(ctx.script, state);
  if (!at) return complete(state);
  return step({ ...state, current: at.q.id }, [{ kind: 'question', questionId: at.q.id, lead: 'resume' }]);
}

/** One answer (typed text or a button) to the waiting question. Invalid answers re-prompt and change nothing. */
export function answerPersona(ctx: EngineContext, state: PersonaState, input: PersonaInput): PersonaStep {
  if (state.status !== 'active') return step(state, []);
  const at = currentQuestion(ctx.script, state);
  if (!at) return complete(state);
  const live = { ...state, current: at.q.id };
  const act = toAct(input, at.q);
  if (act.op === 'stale') return step(live, [{ kind: 'question', questionId: at.q.id, lead: 'stale' }]);
  if (act.op === 'skip') {
    if (!at.q.skippable) return step(live, [reprompt(at.q, 'cannot_skip')]);
    return advance(ctx, live, at.index, null);
  }
  const outcome = decide(at.q, live, act, ctx.today);
  if (outcome.kind === 'answer') return advance(ctx, live, at.index, outcome);
  return step({ ...live, ...outcome.patch }, [reprompt(at.q, outcome.reason)]);
}

/**
 * The answer just given cannot be kept for a reason only storage knows (the phone is another LINE member's): the
 * waiting question is asked again with `reason`, and nothing changes.
 */
export function refusePersonaAnswer(ctx: EngineContext, state: PersonaState, reason: RepromptReason): PersonaStep {
  const at = currentQuestion(ctx.script, state);
  if (!at) return step(state, []);
  return step({ ...state, current: at.q.id, picked: [], awaitingText: false }, [reprompt(at.q, reason)]);
}

// ---- internals -------------------------------------------------------------------------------------------------

type Act =
  | { op: 'stale' }
  | { op: 'skip' }
  | { op: 'done' }
  | { op: 'pick' | 'toggle'; optionId: string }
  | { op: 'date'; date: string }
  | { op: 'text'; text: string };

type Outcome =
  | { kind: 'answer'; value: PersonaAnswer['value']; label: string; updates: ProfileUpdate }
  | { kind: 'stay'; reason: RepromptReason; patch?: Partial<PersonaState> };

function toAct(input: PersonaInput, q: PersonaQuestion): Act {
  if (input.kind === 'unknown_button') return { op: 'stale' };
  if (input.kind === 'button') {
    if (input.questionId !== q.id) return { op: 'stale' };
    if (input.op === 'date') return { op: 'date', date: input.date ?? '' };
    if (input.op === 'pick' || input.op === 'toggle') return { op: input.op, optionId: input.optionId ?? '' };
    return { op: input.op };
  }
  const norm = normalizeText(input.text);
  if (SKIP_WORDS.has(norm)) return { op: 'skip' };
  if (q.type === 'multi' && DONE_WORDS.has(norm)) return { op: 'done' };
  return { op: 'text', text: input.text };
}

function decide(q: PersonaQuestion, state: PersonaState, act: Act, today: string): Outcome {
  switch (q.type) {
    case 'single':
      return decideSingle(q, state, act);
    case 'multi':
      return decideMulti(q, state, act);
    case 'date':
      return decideDate(q, act, today);
    case 'text':
      return decideText(q, act);
    case 'number':
      return decideNumber(q, act);
  }
}

type Single = Extract<PersonaQuestion, { type: 'single' }>;
type Multi = Extract<PersonaQuestion, { type: 'multi' }>;

function decideSingle(q: Single, state: PersonaState, act: Act): Outcome {
  const other = q.options.find((o) => o.askText);
  const invalid: Outcome = { kind: 'stay', reason: 'invalid', patch: { awaitingText: false } };
  const option =
    act.op === 'pick'
      ? q.options.find((o) => o.id === act.optionId)
      : act.op === 'text'
        ? matchSingleAnswer(q.options, act.text)
        : null;
  if (option?.askText) return { kind: 'stay', reason: 'ask_other', patch: { awaitingText: true } };
  if (option) {
    const value = option.value ?? option.label;
    return { kind: 'answer', value, label: option.label, updates: choiceUpdates(q, [option.id], q.field, value) };
  }
  if (act.op !== 'text' || !other) return invalid;
  // "宜蘭" means 宜蘭縣: a city question takes the short names people type and stores the full one.
  const typed = q.field === 'city' ? fullCountyName(act.text.trim()) : act.text.trim();
  const ok = isValidText(typed, {
    kind: other.textPattern ? 'pattern' : 'any',
    pattern: other.textPattern,
    minLength: 1,
    maxLength: 20,
  });
  if (!ok) return state.awaitingText ? { kind: 'stay', reason: 'ask_other', patch: { awaitingText: true } } : invalid;
  return { kind: 'answer', value: typed, label: typed, updates: choiceUpdates(q, [other.id], q.field, typed) };
}

function decideMulti(q: Multi, state: PersonaState, act: Act): Outcome {
  const max = q.maxSelections ?? q.options.length;
  if (act.op === 'done') {
    if (!state.picked.length) return { kind: 'stay', reason: 'none_picked' };
    const chosen = q.options.filter((o) => state.picked.includes(o.id));
    return {
      kind: 'answer',
      value: chosen.map((o) => o.id),
      label: chosen.map((o) => o.label).join('、'),
      updates: choiceUpdates(
        q,
        chosen.map((o) => o.id),
      ),
    };
  }
  let wanted: string[] | null = null;
  if (act.op === 'pick' || act.op === 'toggle')
    wanted = q.options.some((o) => o.id === act.optionId) ? [act.optionId] : null;
  if (act.op === 'text') wanted = matchOptions(q.options, act.text)?.map((o) => o.id) ?? null;
  if (!wanted) return { kind: 'stay', reason: 'invalid' };
  let picked = [...state.picked];
  // A tapped button toggles; typed options only add (typing "3C" twice should not remove it).
  if (act.op !== 'text' && picked.includes(wanted[0])) picked = picked.filter((id) => id !== wanted[0]);
  else for (const id of wanted) if (!picked.includes(id) && picked.length < max) picked.push(id);
  const full = picked.length >= max && wanted.some((id) => !picked.includes(id));
  return { kind: 'stay', reason: full ? 'max_reached' : picked.length ? 'picked' : 'unpicked_all', patch: { picked } };
}

/** The latest date a date question takes: its `maxDate`, and today when it refuses the future (the earlier). */
export function latestDate(q: Extract<PersonaQuestion, { type: 'date' }>, today: string): string | null {
  const limits = [q.maxDate, q.notFuture ? today : undefined].filter((d): d is string => Boolean(d));
  return limits.length ? limits.sort()[0] : null;
}

function decideDate(q: Extract<PersonaQuestion, { type: 'date' }>, act: Act, today: string): Outcome {
  const raw = act.op === 'date' ? act.date : act.op === 'text' ? parseDateAnswer(act.text) : null;
  if (!raw || !isDateInRange(raw, q.minDate, latestDate(q, today))) return { kind: 'stay', reason: 'invalid' };
  return {
    kind: 'answer',
    value: raw,
    label: dateLabel(raw),
    updates: { ...noUpdates(), set: fieldValues(q.field, raw) },
  };
}

function decideText(q: Extract<PersonaQuestion, { type: 'text' }>, act: Act): Outcome {
  const text = act.op === 'text' ? act.text.trim() : '';
  if (!text || !isValidText(text, q.validator)) return { kind: 'stay', reason: 'invalid' };
  if (q.validator.kind === 'phone') {
    // The label goes to the timeline staff read: masked there, the number itself only in the member's field.
    const phone = normalizeTaiwanMobile(text.normalize('NFKC'))!;
    return {
      kind: 'answer',
      value: phone,
      label: maskPhone(phone),
      updates: { ...noUpdates(), set: fieldValues(q.field, phone) },
    };
  }
  const value = q.validator.kind === 'email' ? text.toLowerCase() : text;
  return { kind: 'answer', value, label: value, updates: { ...noUpdates(), set: fieldValues(q.field, value) } };
}

function decideNumber(q: Extract<PersonaQuestion, { type: 'number' }>, act: Act): Outcome {
  const num = act.op === 'text' ? parseNumberAnswer(act.text) : null;
  if (num === null || num < q.min || num > q.max || (q.integer && !Number.isInteger(num)))
    return { kind: 'stay', reason: 'invalid' };
  return { kind: 'answer', value: num, label: `${num}${q.unit ?? ''}`, updates: noUpdates() };
}

/** Choosing options replaces the question's earlier tags: the chosen options' tags in, the rest out. */
function choiceUpdates(q: Single | Multi, chosen: string[], field?: string, value?: string): ProfileUpdate {
  const add = new Set(q.options.filter((o) => chosen.includes(o.id)).flatMap((o) => o.tags));
  const remove = q.options.flatMap((o) => o.tags).filter((tag) => !add.has(tag));
  return {
    set: field && value !== undefined ? fieldValues(field, value) : {},
    addTags: [...add],
    removeTags: [...new Set(remove)],
  };
}

function fieldValues(field: string | undefined, value: string): Record<string, string | number> {
  if (!field) return {};
  if (field === 'birthday') return { birthday: value, birthMonth: Number(value.slice(5, 7)) };
  return { [field]: value };
}

function advance(
  ctx: EngineContext,
  state: PersonaState,
  index: number,
  outcome: Extract<Outcome, { kind: 'answer' }> | null,
): PersonaStep {
  const q = ctx.script.questions[index];
  const answers = { ...state.answers };
  if (outcome) answers[q.id] = { value: outcome.value, label: outcome.label, at: ctx.now.toISOString() };
  const skipped = outcome ? state.skipped.filter((id) => id !== q.id) : [...new Set([...state.skipped, q.id])];
  const answered = { questionId: q.id, title: q.title ?? q.id, label: outcome?.label ?? '', skipped: !outcome };
  const base: PersonaState = { ...state, answers, skipped, picked: [], awaitingText: false };
  const updates = outcome?.updates ?? noUpdates();
  const next = ctx.script.questions[index + 1];
  if (!next) return { ...complete(base), updates, answered };
  return { ...step({ ...base, current: next.id }, [{ kind: 'question', questionId: next.id }]), updates, answered };
}

function complete(state: PersonaState): PersonaStep {
  const done: PersonaState = { ...state, status: 'completed', current: null, picked: [], awaitingText: false };
  return { state: done, replies: [{ kind: 'completion' }], updates: noUpdates(), answered: null, completedNow: true };
}

function step(state: PersonaState, replies: PersonaReply[]): PersonaStep {
  return { state, replies, updates: noUpdates(), answered: null, completedNow: false };
}

function reprompt(q: PersonaQuestion, reason: RepromptReason): PersonaReply {
  return { kind: 'reprompt', questionId: q.id, reason };
}

/**
 * The waiting question. When it was answered meanwhile on the member card, the next open one after it; when the
 * script was edited and it is gone, the first open one. Null when nothing is left to ask.
 */
function currentQuestion(script: PersonaScript, state: PersonaState): { q: PersonaQuestion; index: number } | null {
  const isOpen = (q: PersonaQuestion) => !(q.id in state.answers) && !state.skipped.includes(q.id);
  const index = script.questions.findIndex((q) => q.id === state.current);
  if (index >= 0 && !(state.current! in state.answers)) return { q: script.questions[index], index };
  const from = Math.max(index, 0);
  const open = script.questions.findIndex((q, i) => i >= from && isOpen(q));
  return open >= 0 ? { q: script.questions[open], index: open } : null;
}
