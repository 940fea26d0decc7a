import { zhTW } from '../bot/messages/catalogue';
import type { LineLogin } from '../domain/auth/line-login';
import { campaignText } from '../domain/campaigns/campaign-text';
import { inboxText } from '../domain/inbox/inbox-text';
import { programText } from '../domain/program/program-messages';
import { setPersonaScriptTtl } from '../domain/persona/persona-script.service';
import { setAmbientReplyTexts } from '../domain/replies/reply-registry';
import { ReplyTexts } from '../domain/replies/reply-texts.service';
import { setCounterTimeZone } from '../domain/reports/stat-counters.service';
import type { Clock } from '../domain/shared/clock';
import type { Links } from '../domain/shared/links';
import type { Logger } from '../domain/shared/logger';
import type { Messenger } from '../domain/messaging/messenger';
import type { AppConfig } from './config';
import { createLineLogin } from './line-login';
import { createLinks } from './links';

/** What every edge (bot, api, jobs) is built from. Assembled by createAppDeps (server/runtime.ts; tests the same). */
export interface AppDeps {
  config: AppConfig;
  messenger: Messenger;
  /** LINE Login's ID-token check (server/line-login.ts). */
  lineLogin: LineLogin;
  /** The addresses members are sent to (server/links.ts). */
  links: Links;
  clock: Clock;
  logger: Logger;
  /**
   * This instance's copy of the marketer's edited texts (domain/replies): the bot, the API and the job runner run
   * their work inside it, so `t.welcome.title` and `programText.tierUp(…)` read the current wording.
   */
  replies: ReplyTexts;
  /** Local mode only: the emulator's base URL, for the dev chat page and LIFF mock tokens. */
  emulatorBaseURL?: string;
}

/**
 * The deps over a configuration: the LINE Login and Links adapters are derived from it (after the runtime has
 * filled in the emulator's URLs), the messenger, clock and logger are given.
 */
export function createAppDeps(
  config: AppConfig,
  parts: Pick<AppDeps, 'messenger' | 'clock' | 'logger' | 'emulatorBaseURL'>,
): AppDeps {
  // The dashboard's day buckets are days in the program's zone (domain/reports/stat-counters.service.ts).
  setCounterTimeZone(config.timeZone);
  // The chat's copy of the persona script is trusted as long as the marketer's texts are.
  setPersonaScriptTtl(config.replies.cacheTtlMs);
  const lineLogin = createLineLogin({ baseURL: config.line.loginBaseURL, channelId: config.line.liffChannelId });
  // The dev chat page is served exactly when this process runs the emulator in local mode (server/runtime.ts).
  const links = createLinks(config, { devChat: Boolean(parts.emulatorBaseURL) && config.mode === 'local' });
  const replies = new ReplyTexts({
    catalogues: [zhTW, programText, campaignText, inboxText],
    ttlMs: config.replies.cacheTtlMs,
    cardUrl: () => links.card(),
  });
  // Work outside any instance's scope (scripts, a seed) reads the latest instance's texts.
  setAmbientReplyTexts(replies);
  return { config, lineLogin, links, replies, ...parts };
}
