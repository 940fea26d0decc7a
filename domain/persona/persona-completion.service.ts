import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { programText } from '../program/program-messages';
import type { ProgramContext } from '../shared/context';
import { moduleLogger } from '../shared/logger';
import { openPersonaQuestions } from './persona-answers';
import type { PersonaState } from './persona-engine';
import { awardPersonaCompletion, type PersonaReward, splitPersonaState } from './persona-progress.service';
import type { PersonaScript } from './persona-script.schema';
import { stepPersonaState } from './persona-session';

const log = moduleLogger('persona-completion');
const MARK_ATTEMPTS = 5;

type MemberRef = Types.ObjectId | string;

export type CardCompletionDeps = Pick<ProgramContext, 'messenger' | 'timeZone'>;

/**
 * Run after the member card saved answers: when the persona was never completed and the card's answers leave
 * nothing for the chat to ask (every question answered on the member, or skipped in the chat), the card completed
 * it. Then, as when the chat's last answer completes it: the completion points (same key as the chat, so once per
 * member whichever channel finishes first), the thanks pushed to the chat, and the Q&A state marked completed so
 * the chat does not ask again.
 *
 * Order matters for crashes: the reward is keyed, so it goes first and a retry (or the next card save) finishes the
 * marking; marking first could lose the reward for good. A member who completed before (and maybe restarted the
 * chat to redo it) is left to the chat: the reward was already theirs. Returns the reward granted now, else null.
 */
export async function completePersonaFromCard(
  deps: CardCompletionDeps,
  memberId: MemberRef,
  script: PersonaScript,
  now: Date,
): Promise<PersonaReward | null> {
  if (!(await readCompletion(memberId, script)).due) return null;
  const reward = await awardPersonaCompletion(memberId, now, deps.timeZone, 'liff');
  const granted = reward && !reward.duplicate ? reward : null;
  if (granted) await tellInChat(deps.messenger, memberId, script, granted, now);
  await markCompleted(memberId, script, now, deps.timeZone);
  return granted;
}

async function readCompletion(
  memberId: MemberRef,
  script: PersonaScript,
): Promise<{ due: boolean; state: PersonaState | null; rev: number | null }> {
  const member = await Member.findById(memberId).lean();
  if (!member) return { due: false, state: null, rev: null };
  const { state, rev } = splitPersonaState(member.persona?.state);
  const engineState = state as PersonaState | null;
  const done = Boolean(member.persona?.completedAt) || engineState?.status === 'completed';
  return { due: !done && openPersonaQuestions(script, member, engineState).length === 0, state: engineState, rev };
}

/** The same compare-and-set as a chat step, so a chat answer arriving meanwhile is never overwritten. */
async function markCompleted(memberId: MemberRef, script: PersonaScript, now: Date, timeZone: string): Promise<void> {
  const outcome = await stepPersonaState(
    memberId,
    MARK_ATTEMPTS,
    () => readCompletion(memberId, script),
    ({ due, state }) => {
      if (!due) return { result: null };
      const completed: PersonaState = {
        status: 'completed',
        current: null,
        picked: [],
        awaitingText: false,
        answers: state?.answers ?? {},
        skipped: state?.skipped ?? [],
      };
      return {
        result: null,
        save: {
          state: { ...completed },
          set: {},
          addTags: [],
          removeTags: [],
          startedNow: !state,
          completedNow: true,
          now,
          timeZone,
        },
      };
    },
  );
  if (outcome) return;
  // The chat kept moving the state: its next step finds nothing open and completes it (the reward is already keyed).
  log.warn({ memberId: String(memberId) }, 'persona completed on the card, but the Q&A state could not be marked');
}

/** The chat's own completion words (the script's) and the reward line, pushed under a key of their own. */
async function tellInChat(
  messenger: Messenger,
  memberId: MemberRef,
  script: PersonaScript,
  reward: PersonaReward,
  now: Date,
): Promise<void> {
  const messages = [
    { type: 'text' as const, text: script.completion },
    { type: 'text' as const, text: programText.personaReward(reward.points, reward.balance) },
  ];
  try {
    await notifyMember(messenger, memberId, messages, {
      key: `persona-complete:${memberId}`,
      now,
      refs: { program: 'persona', channel: 'liff' },
    });
  } catch (err) {
    // The points are granted and shown on the card; a failed chat notice must not fail the member's save.
    log.warn({ err, memberId: String(memberId) }, 'persona reward granted on the card but the chat notice failed');
  }
}
