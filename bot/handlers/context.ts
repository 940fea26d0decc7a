import type { findMemberByLineUserId } from '../../domain/members/member.service';
import type { Logger } from '../../domain/shared/logger';
import type { AppDeps } from '../../server/deps';
import type { IncomingEvent } from '../event-store';

/** The member as handlers read it (a lean document). */
export type BotMember = NonNullable<Awaited<ReturnType<typeof findMemberByLineUserId>>>;

/** Everything one event's handling needs; `now` is read once so a whole event sees one instant. */
export interface BotContext {
  deps: AppDeps;
  event: IncomingEvent;
  webhookEventId: string;
  now: Date;
  log: Logger;
  /** Set only for 1:1 chats (`source.type === 'user'`); groups and rooms never create members. */
  lineUserId: string | null;
}

/** LINE user ids are `U` + 32 hex characters; anything else is not a LINE user (a forged or test body). */
const LINE_USER_ID = /^U[0-9a-f]{32}$/;

export function lineUserIdOf(event: IncomingEvent): string | null {
  const source = event.source;
  return source?.type === 'user' && typeof source.userId === 'string' && LINE_USER_ID.test(source.userId) ? source.userId : null;
}
