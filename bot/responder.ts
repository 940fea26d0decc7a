import type { Types } from 'mongoose';
import { hasInteraction, type InteractionInput, recordInteractions } from '../domain/interactions/interaction.service';
import { type LineMessage, MAX_MESSAGES_PER_SEND, type Messenger, MessengerError } from '../domain/messaging/messenger';
import { summarize } from '../domain/messaging/notify.service';
import { retryKeyFor } from '../domain/messaging/retry-key';
import type { Logger } from '../domain/shared/logger';

/**
 * LINE reply tokens live about a minute; replying later fails. Past this age (from the event's own timestamp,
 * e.g. an event resumed by the sweeper after a restart) we push straight away instead of wasting a call.
 */
export const REPLY_TOKEN_FRESH_MS = 50_000;

export interface ResponseTarget {
  webhookEventId: string;
  lineUserId: string;
  memberId?: Types.ObjectId | string | null;
  replyToken?: string;
  /** Event timestamp (ms since epoch) as LINE sent it. */
  eventTimestamp?: number;
}

export type ResponseOutcome = 'replied' | 'pushed' | 'already_sent' | 'nothing';

export interface RespondOptions {
  /**
   * The event's first processing attempt: nothing can have been sent for it, so the "already sent" marker is not
   * looked up (one round trip less per event). Retries and the apology always look.
   */
  firstAttempt?: boolean;
  /** Other timeline entries of the event (its inbound line), written in the same round trip as the answer's. */
  alsoRecord?: InteractionInput[];
  /** The member as the caller read it (see `recordInteractions`). */
  known?: { lastInteractionAt?: Date | null };
  /** What answered (FAQ entry, rule, intent, fallback): stored in the reply's refs and named in its summary. */
  answeredBy?: { label: string; [ref: string]: unknown };
}

/**
 * Sends the bot's answer to one event: a reply while the token is fresh, a push when it is stale or the reply
 * fails. Exactly once per event: the timeline entry `reply:<webhookEventId>` marks it sent, so a retried event
 * (handler crashed after replying) does not answer twice, and the push carries a retry key derived from the event
 * so LINE drops a duplicate push too. More than five messages go out as reply + push.
 */
export async function respond(
  messenger: Messenger,
  target: ResponseTarget,
  messages: LineMessage[],
  now: Date,
  log: Logger,
  opts: RespondOptions = {},
): Promise<ResponseOutcome> {
  const also = opts.alsoRecord ?? [];
  if (!messages.length) {
    await recordInteractions(also, opts.known);
    return 'nothing';
  }
  const key = `reply:${target.webhookEventId}`;
  if (!opts.firstAttempt && (await hasInteraction(key))) {
    await recordInteractions(also, opts.known);
    return 'already_sent';
  }
  const batches = chunk(messages, MAX_MESSAGES_PER_SEND);
  const fresh =
    Boolean(target.replyToken) && now.getTime() - (target.eventTimestamp ?? now.getTime()) <= REPLY_TOKEN_FRESH_MS;
  let via: 'reply' | 'push' = 'push';
  let fallbackReason: string | undefined = target.replyToken ? 'reply_token_stale' : 'no_reply_token';
  if (fresh) {
    try {
      await messenger.reply(target.replyToken!, batches[0]);
      via = 'reply';
      fallbackReason = undefined;
    } catch (err) {
      fallbackReason = err instanceof MessengerError ? `reply_failed_${err.status}` : 'reply_failed';
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reply failed; pushing instead');
    }
  }
  for (let i = via === 'reply' ? 1 : 0; i < batches.length; i++) {
    await messenger.push(target.lineUserId, batches[i], { retryKey: retryKeyFor(`${key}:${i}`) });
  }
  const answer: InteractionInput = {
    memberId: target.memberId ?? undefined,
    lineUserId: target.lineUserId,
    type: via,
    channel: 'line',
    key,
    at: now,
    summary: opts.answeredBy ? `${summarize(messages)}（${opts.answeredBy.label}）` : summarize(messages),
    refs: {
      webhookEventId: target.webhookEventId,
      messages: messages.length,
      ...(fallbackReason ? { fallback: fallbackReason } : {}),
      ...(opts.answeredBy ? { answeredBy: opts.answeredBy } : {}),
    },
  };
  await recordInteractions([...also, answer], opts.known);
  return via === 'reply' ? 'replied' : 'pushed';
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
