import type { Types } from 'mongoose';
import { type InteractionInput, recordInteraction } from '../interactions/interaction.service';
import { inheritPriorRewards } from '../members/erasure-registry.service';
import { type PhonePlan, planPhoneWrite } from '../members/member-phone.service';
import { zonedDate } from '../shared/clock';
import type { ProgramContext } from '../shared/context';
import {
  type EngineContext,
  type PersonaInput,
  type PersonaState,
  type PersonaStep,
  answerPersona,
  refusePersonaAnswer,
  restartPersona,
  startPersona,
} from './persona-engine';
import {
  awardPersonaCompletion,
  loadPersonaState,
  type PersonaProgress,
  type PersonaReward,
  savePersonaProgress,
  splitPersonaState,
} from './persona-progress.service';
import type { PersonaScript } from './persona-script.schema';
import { getPersonaScript } from './persona-script.service';

type MemberRef = Types.ObjectId | string;
type StoredState = PersonaState & { lastEvent?: string };

/** What the member did: open the questions (or resume them), start over, or answer the waiting question. */
export type PersonaCommand = { kind: 'start' } | { kind: 'restart' } | { kind: 'answer'; input: PersonaInput };

export interface PersonaSessionInput {
  memberId: MemberRef;
  lineUserId?: string;
  /**
   * The delivery carrying this input (the webhook event id): a redelivered event re-asks the waiting question
   * instead of applying the answer twice. Stored on the state and in the timeline entry's key.
   */
  eventId: string;
  channel: 'line' | 'liff';
  command: PersonaCommand;
  /** How the timeline names a skipped answer, in the channel's own words ("生日：略過"). */
  skippedLabel: string;
  /**
   * The stored `persona.state` as the caller just read it with the member (null: none yet): the first step is
   * computed from it instead of reading the member again; a lost compare-and-set reloads as usual.
   */
  knownState?: unknown;
  /**
   * The erasure registry's HMAC key: a phone given here that belonged to an erased membership brings its one-time
   * rewards along before the completion reward is decided (as the merge does).
   */
  erasureSecret?: string;
  /**
   * Where the answer's timeline entry goes when the caller writes its event's entries itself (the chat: with the
   * reply's, in one round trip). Without it the entry is written here.
   */
  timeline?: InteractionInput[];
}

export interface PersonaSessionOutcome {
  /** The script and day the step was computed with (a channel needs them to render the replies). */
  engine: EngineContext;
  /** The engine's step: its replies are what the channel shows. */
  step: PersonaStep;
  /** True when this input completed the script and the completion was stored (not on a redelivery). */
  completed: boolean;
  /** The completion points granted by this input (`duplicate` when the member had them already); null otherwise. */
  reward: PersonaReward | null;
}

const STEP_ATTEMPTS = 3;

/**
 * One persona input, channel-neutral: load the member's state → run one pure engine step → store it with a
 * compare-and-set on its revision (a concurrent step makes us reload and recompute) → timeline entry → completion
 * reward. Returns the engine's outcome; the chat renders it as LINE messages. Callers have already checked consent.
 */
export async function applyPersonaInput(
  ctx: Pick<ProgramContext, 'now' | 'timeZone'>,
  input: PersonaSessionInput,
  /** The script when the caller has read it already for this input. */
  script?: PersonaScript,
): Promise<PersonaSessionOutcome> {
  const engine: EngineContext = {
    script: script ?? (await getPersonaScript()),
    today: zonedDate(ctx.now, ctx.timeZone),
    now: ctx.now,
  };
  let known = input.knownState === undefined ? null : splitPersonaState(input.knownState);
  /** The number the stored step put into `phone` (not a proposal), for the erasure registry. */
  const written: { phone?: string } = {};
  const outcome = await stepPersonaState(
    input.memberId,
    STEP_ATTEMPTS,
    async () => {
      const first = known;
      known = null;
      const loaded = first ?? (await loadPersonaState(input.memberId));
      return { ...loaded, phone: await phonePlanOf(engine, loaded.state as StoredState | null, input, ctx.now) };
    },
    (loaded) => {
      const state = loaded.state as StoredState | null;
      // The same event run again (its handler failed after storing): do not apply the answer twice, just re-ask.
      if (state?.lastEvent === input.eventId) return { result: startPersona(engine, state) };
      if (loaded.phone?.kind === 'taken' && state)
        return { result: refusePersonaAnswer(engine, state as PersonaState, 'phone_taken') };
      const step = compute(engine, state, input.command);
      const unchanged = state !== null && JSON.stringify(step.state) === JSON.stringify(state) && !step.completedNow;
      if (unchanged) return { result: step };
      return {
        result: step,
        save: {
          state: { ...step.state, lastEvent: input.eventId },
          set: step.updates.set,
          phone: rememberPhone(written, loaded.phone),
          addTags: step.updates.addTags,
          removeTags: step.updates.removeTags,
          startedNow: !state || (state.status !== 'active' && step.state.status === 'active'),
          completedNow: step.completedNow,
          now: ctx.now,
          timeZone: ctx.timeZone,
        },
      };
    },
  );
  if (!outcome) throw new Error('persona state changed concurrently too many times');
  const { result: step, saved } = outcome;
  if (!saved) return { engine, step, completed: false, reward: null };
  await recordAnswer(input, step, ctx.now);
  if (input.erasureSecret && written.phone)
    await inheritPriorRewards(input.erasureSecret, input.memberId, { phone: written.phone });
  const completed = step.completedNow;
  const reward = completed ? await awardPersonaCompletion(input.memberId, ctx.now, ctx.timeZone, input.channel) : null;
  return { engine, step, completed, reward };
}

/**
 * Where the phone this input would answer goes (member-phone.service.ts), read before the pure step so the step
 * can refuse a number another LINE member has; null when the input sets no phone.
 */
async function phonePlanOf(
  engine: EngineContext,
  state: StoredState | null,
  input: PersonaSessionInput,
  now: Date,
): Promise<PhonePlan | null> {
  if (state?.lastEvent === input.eventId) return null;
  const phone = compute(engine, state, input.command).updates.set.phone;
  return typeof phone === 'string' ? planPhoneWrite(input.memberId, phone, now) : null;
}

/** The plan's write for the save, noting the number it stores in `phone` (the last decision is the saved one). */
function rememberPhone(
  written: { phone?: string },
  plan: PhonePlan | null,
): Extract<PhonePlan, { kind: 'write' }> | undefined {
  const write = plan?.kind === 'write' ? plan : undefined;
  written.phone = typeof write?.$set.phone === 'string' ? write.$set.phone : undefined;
  return write;
}

function compute(engine: EngineContext, state: StoredState | null, command: PersonaCommand): PersonaStep {
  if (command.kind === 'restart') return restartPersona(engine);
  if (command.kind === 'start' || !state) return startPersona(engine, state);
  return answerPersona(engine, state, command.input);
}

async function recordAnswer(input: PersonaSessionInput, step: PersonaStep, now: Date): Promise<void> {
  if (!step.answered) return;
  const a = step.answered;
  const line: InteractionInput = {
    memberId: input.memberId,
    lineUserId: input.lineUserId,
    type: 'persona_answer',
    channel: input.channel,
    at: now,
    key: `persona:${input.eventId}`,
    summary: `${a.title}：${a.skipped ? input.skippedLabel : a.label}`,
    refs: { questionId: a.questionId, skipped: a.skipped, webhookEventId: input.eventId },
  };
  if (input.timeline) input.timeline.push(line);
  else await recordInteraction(line);
}

/** A decision on a loaded persona state: the result to hand back, and what to store (nothing when absent). */
export interface PersonaStateDecision<T> {
  result: T;
  save?: Omit<PersonaProgress, 'memberId' | 'expectedRev'>;
}

/**
 * The persona state's compare-and-set loop, the one both the chat and the card use: load → decide → store on the
 * loaded revision; when another writer moved the state meanwhile, load and decide again, up to `attempts` times.
 * Returns the decision's result and whether it was stored, or null when every attempt lost the race.
 */
export async function stepPersonaState<L extends { rev: number | null }, T>(
  memberId: MemberRef,
  attempts: number,
  load: () => Promise<L>,
  decide: (loaded: L) => PersonaStateDecision<T>,
): Promise<{ result: T; saved: boolean } | null> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const loaded = await load();
    const decision = decide(loaded);
    if (!decision.save) return { result: decision.result, saved: false };
    if (await savePersonaProgress({ memberId, expectedRev: loaded.rev, ...decision.save }))
      return { result: decision.result, saved: true };
  }
  return null;
}
