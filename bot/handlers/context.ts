import type { PersonaScript } from '../../domain/persona/persona-script.schema';
import type { InteractionInput } from '../../domain/interactions/interaction.service';
import type { findMemberByLineUserId } from '../../domain/members/member.service';
import type { Logger } from '../../domain/shared/logger';
import type { AppDeps } from '../../server/deps';
import { isLineUserId } from '../../shared/ids';
import type { LineEvent } from '../event-store';

/** The member as handlers read it (a lean document). */
export type BotMember = NonNullable<Awaited<ReturnType<typeof findMemberByLineUserId>>>;

/** Everything one event's handling needs; `now` is read once so a whole event sees one instant. */
export interface BotContext {
  deps: AppDeps;
  event: LineEvent;
  webhookEventId: string;
  now: Date;
  log: Logger;
  /** Set only for 1:1 chats (`source.type === 'user'`); groups and rooms never create members. */
  lineUserId: string | null;
  /** The event's first processing attempt: no answer can have been sent for it yet, so none is looked for. */
  firstAttempt: boolean;
  /** Timeline entries of this event not written yet: they go in one round trip with the answer (or at the end). */
  timeline: InteractionInput[];
  /** The member as read at the start of the event, so a `lastInteractionAt` that would not move is not written. */
  known?: { lastInteractionAt?: Date | null };
  /** What answered this event's text (an intent, an FAQ entry, a rule, the fallback): recorded with the reply. */
  answeredBy?: {
    by: 'intent' | 'faq' | 'rule' | 'fallback' | 'command' | 'inbox';
    label: string;
    [ref: string]: unknown;
  };
  /** The persona script, read at most once per event (the inbound summary, the Q&A step and the replies share it). */
  personaScript(): Promise<PersonaScript>;
}

/** The LINE user of a 1:1 chat; a group, a room or an id that is not a LINE user id (a forged or test body) gives null. */
export function lineUserIdOf(event: { source?: { type: string; userId?: string } }): string | null {
  const userId = event.source?.type === 'user' ? event.source.userId : undefined;
  return isLineUserId(userId) ? userId : null;
}

/** What a journey entry needs from the bot's context (the event's time, the program's zone, this event's logger). */
export function journeyContext(bc: BotContext) {
  return { now: bc.now, timeZone: bc.deps.config.timeZone, logger: bc.log };
}
