import type { Messenger } from '../messaging/messenger';
import type { Clock } from './clock';
import type { Links } from './links';
import type { Logger } from './logger';

/**
 * What a domain use case is handed about the program it runs in: one shape for every use case, built by the
 * composition root's deps (`programContext(deps)` below) for the chat, the card, the console and the jobs alike, and
 * by the tests the same way. A use case takes `ProgramContext` (or a `Pick` of what it reads) instead of the
 * server's configuration, so domain never imports `server/`.
 */
export interface ProgramContext {
  /** The instant this use case runs at, read once so a whole operation sees one time (tests set it). */
  readonly now: Date;
  /** IANA zone of the program's calendar (days, birthdays, quiet hours, expiry dates). Always set; no fallback. */
  readonly timeZone: string;
  /** Who acts, as stored in audit trails and ledgers: `system`, a staff user id, `pos:<name>`, `member`. */
  readonly actor: string;
  /** The one door to LINE. */
  readonly messenger: Messenger;
  /** The addresses members are sent to (card, add friend, share). */
  readonly links: Links;
  readonly logger: Logger;
}

/** What a program context is read from: the edges' deps (server/deps.ts `AppDeps` has this shape). */
export interface ContextSources {
  config: { timeZone: string };
  clock: Clock;
  messenger: Messenger;
  links: Links;
  logger: Logger;
}

/**
 * The ProgramContext a domain use case receives, read from the deps at call time (so a test that swaps the clock
 * or the messenger in a copy of the deps gets a context with them). `now` defaults to the clock, `actor` to `system`.
 */
export function programContext(from: ContextSources, opts: { now?: Date; actor?: string } = {}): ProgramContext {
  return {
    now: opts.now ?? from.clock(),
    timeZone: from.config.timeZone,
    actor: opts.actor ?? 'system',
    messenger: from.messenger,
    links: from.links,
    logger: from.logger,
  };
}
