import type { Clock } from '../domain/shared/clock';
import type { Logger } from '../domain/shared/logger';
import type { Messenger } from '../domain/messaging/messenger';
import type { AppConfig } from './config';

/** What every edge (bot, api, jobs) is built from. Assembled once in server/runtime.ts; tests build the same. */
export interface AppDeps {
  config: AppConfig;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** Local mode only: the emulator's base URL, for the dev chat page and LIFF mock tokens. */
  emulatorBaseURL?: string;
}
