import type { messagingApi } from '@line/bot-sdk';

/** A LINE message object (text, flex, image, …) exactly as the Messaging API takes it. */
export type LineMessage = messagingApi.Message;

export interface LineProfile {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  language?: string;
}

/**
 * The one door to LINE for domain code, jobs and the bot. Implemented once over `@line/bot-sdk`
 * (server/line-messenger.ts); tests point that implementation at the LINE emulator and count what arrived.
 */
export interface Messenger {
  /** Throws MessengerError (e.g. expired reply token: status 400). */
  reply(replyToken: string, messages: LineMessage[]): Promise<void>;
  /** With a retry key, a repeat of an accepted request resolves as `alreadyAccepted` and LINE does not deliver it twice. */
  push(to: string, messages: LineMessage[], opts?: { retryKey?: string }): Promise<SendResult>;
  multicast(to: string[], messages: LineMessage[], opts?: { retryKey?: string }): Promise<SendResult>;
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Monthly quota: `limit` null when unlimited. */
  getQuota(): Promise<{ limit: number | null; used: number }>;
}

export interface SendResult {
  alreadyAccepted: boolean;
  requestId?: string;
}

/** A failed LINE call, classified so callers can decide to retry. */
export class MessengerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
    /** 429 or 5xx or network: worth retrying with the same retry key. */
    readonly retryable: boolean,
    /** 429 because the monthly quota is used up: retrying will not help this month. */
    readonly quotaExceeded = false,
  ) {
    super(message);
    this.name = 'MessengerError';
  }
}

/** Maximum messages per send, and recipients per multicast, as LINE enforces them. */
export const MAX_MESSAGES_PER_SEND = 5;
export const MAX_MULTICAST_RECIPIENTS = 500;
