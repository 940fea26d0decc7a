import { createHash } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import { z } from 'zod';
import { arrivalSeq, storeEventBatch, type StoredEventRef } from '../domain/inbound/webhook-event.service';

/*
 * What is about LINE events lives here: their ids, the copy that can be stored, and the typed event the handlers
 * read. The stored record itself (de-duplication, claim with lease, done/failed, the sweeper's query) is kept by
 * `domain/inbound/webhook-event.service.ts`; the processor reaches it through this module, so the pipeline stays
 * webhook.routes → event-store → event-processor → responder.
 */
export {
  MAX_ATTEMPTS,
  claimEvent,
  failEvent,
  findUnfinishedEvents,
  finishEvent,
  type StoredEventRef,
} from '../domain/inbound/webhook-event.service';

/** A webhook event as it arrives, before any check: a JSON object (LINE's, one newer than our SDK, or a forged one). */
export type IncomingEvent = { [k: string]: unknown };

/** A message whose type LINE added after SDK 11.0.0 (or one the bot cannot read): answered like any unknown input. */
export interface UnrecognizedMessageContent {
  type: 'unrecognized';
  lineType: string;
  id: string;
}
export type InboundMessage = webhook.MessageContent | UnrecognizedMessageContent;
export type InboundMessageEvent = Omit<webhook.MessageEvent, 'message'> & { message: InboundMessage };

/** An event type LINE added after SDK 11.0.0 (or a body whose type is not a string): stored and recorded, never answered. */
export interface UnrecognizedEvent extends Omit<webhook.EventBase, 'type'> {
  type: 'unrecognized';
  lineType: string;
  replyToken?: string;
}

/** What handlers receive: the SDK's event union (messages open to newer types), or an event it does not know. */
export type LineEvent = Exclude<webhook.Event, webhook.MessageEvent> | InboundMessageEvent | UnrecognizedEvent;

/** LINE always sends `webhookEventId` (a 26-character ULID); a body without a usable one gets a stable id from its content. */
export function eventIdOf(event: IncomingEvent): string {
  if (typeof event.webhookEventId === 'string' && /^[\w-]{1,128}$/.test(event.webhookEventId))
    return event.webhookEventId;
  return `sha256:${createHash('sha256').update(JSON.stringify(event)).digest('hex')}`;
}

const MAX_DEPTH = 20;

const unsafeKey = (key: string) => key === '__proto__' || key.charCodeAt(0) === 36 /* $ */ || key.includes('.');

/** True when `value` can be stored as it is: no `$`/`.`/`__proto__` key and nothing deeper than storableEvent keeps. */
function isStorable(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object') return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (!isStorable(v, depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (unsafeKey(key) || !isStorable((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  // JSON.parse makes `__proto__` an own key that `for…in` does not list.
  return !Object.hasOwn(value, '__proto__');
}

/**
 * A copy of an event that MongoDB will store whatever a sender put in it: keys starting with `$` or containing
 * `.` are not allowed in stored documents, and `__proto__` must not become a prototype. LINE never sends such
 * keys, so for real events this is the identity (the event itself, not a copy: the ack path copies nothing).
 */
export function storableEvent(value: unknown, depth = 0): unknown {
  if (depth === 0 && isStorable(value)) return value;
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? '[too deep]' : value.map((v) => storableEvent(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const safe = key === '__proto__' ? '_proto_' : key.replace(/^\$/, '＄').replace(/\./g, '．');
    out[safe] = storableEvent(v, depth + 1);
  }
  return out;
}

/** A string column as sent, or absent when it is not a string or longer than `max` (only a forged body). */
const column = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length <= max ? value : undefined;

/** The columns stored beside the payload, read as sent (a source that is not an object has none). */
function eventHead(event: IncomingEvent): { type?: string; sourceType?: string; userId?: string } {
  const source = event.source;
  const src =
    source && typeof source === 'object' && !Array.isArray(source) ? (source as Record<string, unknown>) : undefined;
  return {
    type: column(event.type, 64),
    sourceType: src && column(src.type, 32),
    userId: src && column(src.userId, 64),
  };
}

/**
 * Stores each event under its id before the webhook acknowledges: every event of the request in one unordered
 * insert (see storeEventBatch). Returns the events that are new (with the user and arrival order the processor
 * keeps); a redelivered event (same id) is counted on the stored copy and not returned, so it is never processed
 * twice.
 */
export async function storeEvents(events: IncomingEvent[], now: Date): Promise<StoredEventRef[]> {
  const records = events.map((event, index) => {
    const head = eventHead(event);
    return {
      webhookEventId: eventIdOf(event),
      type: head.type || 'unknown',
      sourceType: head.sourceType,
      userId: head.userId,
      payload: storableEvent(event),
      seq: arrivalSeq(now, index),
    };
  });
  const isNew = await storeEventBatch(records, now);
  const fresh: StoredEventRef[] = [];
  records.forEach((r, i) => {
    if (isNew[i]) fresh.push({ webhookEventId: r.webhookEventId, userId: r.userId ?? null, seq: r.seq });
  });
  return fresh;
}

const optionalString = z.string().optional().catch(undefined);
const SourceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('user'), userId: optionalString }),
  z.looseObject({ type: z.literal('group'), groupId: z.string().catch(''), userId: optionalString }),
  z.looseObject({ type: z.literal('room'), roomId: z.string().catch(''), userId: optionalString }),
]);

/** The fields every event has. Values a forged body gets wrong fall back to what their absence always meant. */
const BaseSchema = z.looseObject({
  source: SourceSchema.optional().catch(undefined),
  timestamp: z.number().optional().catch(undefined),
  mode: z.enum(['active', 'standby']).catch('active'),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean().catch(false) }).catch({ isRedelivery: false }),
  replyToken: optionalString,
});

/** What the handlers read of each event type; the other types carry nothing they read. */
const EVENT_CONTENT: Record<webhook.Event['type'], z.ZodType<Record<string, unknown>> | null> = {
  message: null, // read by MESSAGE_CONTENT below
  postback: z.looseObject({
    postback: z
      .looseObject({ data: z.string().catch(''), params: z.record(z.string(), z.string()).optional().catch(undefined) })
      .catch({ data: '' }),
  }),
  follow: z.looseObject({
    follow: z.looseObject({ isUnblocked: z.boolean().catch(false) }).catch({ isUnblocked: false }),
  }),
  unsend: z.looseObject({ unsend: z.looseObject({ messageId: z.string() }) }),
  beacon: z.looseObject({ beacon: z.looseObject({ hwid: z.string(), type: z.enum(['enter', 'banner', 'stay']) }) }),
  unfollow: null,
  join: null,
  leave: null,
  memberJoined: null,
  memberLeft: null,
  accountLink: null,
  membership: null,
  videoPlayComplete: null,
  activated: null,
  deactivated: null,
  botSuspended: null,
  botResumed: null,
  module: null,
  delivery: null,
};

const MESSAGE_CONTENT: Record<webhook.MessageContent['type'], z.ZodType<Record<string, unknown>> | null> = {
  text: z.looseObject({ text: z.string().catch('') }),
  file: z.looseObject({ fileName: z.string().catch('') }),
  location: z.looseObject({ title: optionalString, address: optionalString }),
  image: null,
  video: null,
  audio: null,
  sticker: null,
};

const isKnown = <K extends string>(table: Record<K, unknown>, type: unknown): type is K =>
  typeof type === 'string' && Object.hasOwn(table, type);
const asObject = z.record(z.string(), z.unknown()).catch({});

function parseMessage(value: unknown): InboundMessage {
  const message = asObject.parse(value);
  const id = typeof message.id === 'string' ? message.id : '';
  if (!isKnown(MESSAGE_CONTENT, message.type))
    return { type: 'unrecognized', lineType: typeof message.type === 'string' ? message.type : '', id };
  const content = MESSAGE_CONTENT[message.type]?.parse(message) ?? message;
  // The fields the bot reads are checked above; the rest is LINE's, as it sent it, which the SDK type describes.
  return { ...content, type: message.type, id } as webhook.MessageContent;
}

/**
 * Reads a stored webhook payload into a typed event, once, before any handler sees it. Everything LINE sends is
 * accepted: an event type newer than the SDK (or a body of a known type with unreadable content) becomes
 * `unrecognized` — recorded, never answered — and a message type newer than the SDK an `unrecognized` message.
 * A missing `timestamp` (never from LINE) reads as `now`, i.e. just sent.
 */
export function parseEvent(payload: unknown, at: { webhookEventId: string; now: Date }): LineEvent {
  const raw = asObject.parse(payload);
  const { source, mode, deliveryContext, replyToken, timestamp = at.now.getTime() } = BaseSchema.parse(raw);
  const base = { source, timestamp, mode, deliveryContext, webhookEventId: at.webhookEventId, replyToken };
  const unrecognized = (lineType: string): UnrecognizedEvent => ({ ...base, type: 'unrecognized', lineType });
  if (!isKnown(EVENT_CONTENT, raw.type)) return unrecognized(raw.type == null ? 'unknown' : String(raw.type));
  const type = raw.type;
  if (type === 'message') return { ...raw, ...base, type, message: parseMessage(raw.message) };
  const content = EVENT_CONTENT[type]?.safeParse(raw);
  if (content && !content.success) return unrecognized(type);
  // As for messages: what the handlers read is checked; the SDK type describes the rest as LINE sent it.
  return { ...raw, ...content?.data, ...base, type } as LineEvent;
}

/** The reply token, for the event types that carry one. */
export function replyTokenOf(event: LineEvent): string | undefined {
  return 'replyToken' in event ? event.replyToken : undefined;
}
