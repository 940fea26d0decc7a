import type { messagingApi } from '@line/bot-sdk';
import type { RichMenuApi } from '../richmenus/richmenu-api';

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
  push(to: string, messages: LineMessage[], opts?: SendOptions): Promise<SendResult>;
  multicast(to: string[], messages: LineMessage[], opts?: SendOptions): Promise<SendResult>;
  /**
   * LINE's statistics of the sends tagged with one aggregation unit between two dates (`yyyyMMdd`, LINE's
   * calendar): users who opened them and who opened a link (GET /v2/bot/insight/message/event/aggregation).
   */
  getUnitStatistics(unit: string, from: string, to: string): Promise<UnitStatistics>;
  getProfile(userId: string): Promise<LineProfile | null>;
  /** Monthly quota: `limit` null when unlimited. */
  getQuota(): Promise<{ limit: number | null; used: number }>;
  /**
   * Asks LINE whether it would accept `messages` for that kind of send (`POST /v2/bot/message/validate/<kind>`),
   * without sending anything. A 400 comes back as `{ ok: false }` with LINE's reason; anything else that fails
   * (unreachable, 5xx) throws MessengerError.
   */
  validate(kind: SendKind, messages: LineMessage[]): Promise<LineVerdict>;
  /**
   * LINE's loading animation in the user's 1:1 chat (`POST /v2/bot/chat/loading/start`) for `seconds` (5–60, a
   * multiple of 5), gone earlier when our next message arrives. Throws MessengerError when LINE refuses.
   */
  showLoading(chatId: string, seconds: LoadingSeconds): Promise<void>;
  /**
   * Marks the customer's message that carried `markAsReadToken` (a webhook message event's), and every earlier
   * one of that chat, as read (`POST /v2/bot/chat/markAsRead`). Throws MessengerError when LINE refuses.
   */
  markAsRead(markAsReadToken: string): Promise<void>;
  /** Rich menus: create, image, aliases, per-user and bulk links (domain/richmenus/). */
  richMenus: RichMenuApi;
}

/** What LINE accepts as `loadingSeconds`. */
export type LoadingSeconds = 5 | 10 | 15 | 20 | 25 | 30 | 35 | 40 | 45 | 50 | 55 | 60;
export interface SendOptions {
  retryKey?: string;
  /** LINE's per-unit statistics: at most one unit name (`^[a-zA-Z0-9_]{1,30}$`) per send. */
  customAggregationUnits?: string[];
}

export interface UnitStatistics {
  uniqueImpression: number | null;
  uniqueClick: number | null;
  clicks: Array<{ url: string; click: number | null; uniqueClick: number | null }>;
}

export type SendKind = 'reply' | 'push' | 'multicast' | 'narrowcast' | 'broadcast';

/** LINE's own answer to "would you accept this?": its message and per-property details on a 400. */
export type LineVerdict = { ok: true } | ({ ok: false } & LineRejection);

export interface LineRejection {
  message: string;
  details: Array<{ property: string; message: string }>;
}

/** LINE's 400 body (`{ message, details: [{ message, property }] }`) as a rejection; unparsable bodies kept as text. */
export function parseLineRejection(body: string): LineRejection {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; details?: unknown };
    const details = Array.isArray(parsed.details)
      ? parsed.details
          .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
          .map((d) => ({ property: String(d.property ?? ''), message: String(d.message ?? '') }))
      : [];
    return { message: String(parsed.message ?? body).slice(0, 500), details: details.slice(0, 20) };
  } catch {
    return { message: body.slice(0, 500), details: [] };
  }
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
