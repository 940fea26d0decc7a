import type { LineMessage } from '../../domain/messaging/messenger';
import * as engine from '../../domain/persona/persona-engine';
import type {
  EngineContext,
  PersonaInput,
  PersonaReply,
  PersonaState,
  PersonaStep,
} from '../../domain/persona/persona-engine';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { type PromptContext, parsePersonaData, questionMessage, repromptMessage, repromptText } from './prompt';

/**
 * The persona engine (domain/persona/persona-engine.ts) spoken as LINE chat: postback data and date-picker
 * params become engine input, and the engine's replies become text messages with quick replies. The rules
 * themselves live in the domain so the member card applies exactly the same ones.
 */

export type { EngineContext, PersonaState };

/** What arrives from LINE: typed text, or a tapped persona button (postback data, date-picker params). */
export type PersonaChatInput =
  { kind: 'text'; text: string } | { kind: 'postback'; data: string; params?: Record<string, unknown> };

export interface PersonaChatStep extends Omit<PersonaStep, 'replies'> {
  messages: LineMessage[];
}

/** Starts the script, or resumes it where the member stopped when a run is in progress. */
export function startPersona(ctx: EngineContext, prev: PersonaState | null): PersonaChatStep {
  return renderPersonaStep(ctx, engine.startPersona(ctx, prev));
}

/** 重新填寫: from the first question again. */
export function restartPersona(ctx: EngineContext): PersonaChatStep {
  return renderPersonaStep(ctx, engine.restartPersona(ctx));
}

/** Re-sends the waiting question. */
export function resumePersona(ctx: EngineContext, state: PersonaState): PersonaChatStep {
  return renderPersonaStep(ctx, engine.resumePersona(ctx, state));
}

/** One answer, typed or tapped. */
export function answerPersona(ctx: EngineContext, state: PersonaState, input: PersonaChatInput): PersonaChatStep {
  return renderPersonaStep(ctx, engine.answerPersona(ctx, state, personaInputOf(input)));
}

/** What a LINE input means to the engine (postback data and date-picker params decoded). */
export function personaInputOf(input: PersonaChatInput): PersonaInput {
  if (input.kind === 'text') return input;
  const p = parsePersonaData(input.data);
  if (!p) return { kind: 'unknown_button' };
  const date = typeof input.params?.date === 'string' ? input.params.date : undefined;
  return { kind: 'button', questionId: p.questionId, op: p.op, optionId: p.optionId, date };
}

/** An engine step (from the persona session use case, or one computed here) as chat messages. */
export function renderPersonaStep(ctx: EngineContext, s: PersonaStep): PersonaChatStep {
  const { replies, ...rest } = s;
  // The timeline reads "生日：略過" for a skipped question, in the chat's words.
  const answered = s.answered?.skipped ? { ...s.answered, label: t.persona.skip } : s.answered;
  return { ...rest, answered, messages: replies.map((r) => render(ctx, s.state, r)) };
}

function render(ctx: EngineContext, state: PersonaState, reply: PersonaReply): LineMessage {
  if (reply.kind === 'intro') return textMessage(ctx.script.intro);
  if (reply.kind === 'completion') return textMessage(ctx.script.completion);
  const index = ctx.script.questions.findIndex((q) => q.id === reply.questionId);
  const q = ctx.script.questions[index];
  const prompt: PromptContext = {
    position: index + 1,
    total: ctx.script.questions.length,
    today: ctx.today,
    picked: state.picked,
  };
  if (reply.kind === 'reprompt') return repromptMessage(q, prompt, repromptText(q, reply.reason, state.picked));
  return questionMessage(q, prompt, reply.lead ? t.persona[reply.lead] : undefined);
}
