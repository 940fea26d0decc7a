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
}

/** The LINE user of a 1:1 chat; a group, a room or an id that is not a LINE user id (a forged or test body) gives null. */
export function lineUserIdOf(event: { source?: { type: string; userId?: string } }): string | null {
  const userId = event.source?.type === 'user' ? event.source.userId : undefined;
  return isLineUserId(userId) ? userId : null;
}
