import { createHash } from 'node:crypto';
import { WebhookEvent } from '../models/webhook-event.model';

/** How long a processing claim holds before another instance may take the event over. */
export const CLAIM_MS = 60_000;
export const MAX_ATTEMPTS = 3;

export interface IncomingEvent { webhookEventId?: string; type?: string; source?: { type?: string; userId?: string }; deliveryContext?: { isRedelivery?: boolean }; [k: string]: unknown }

/** LINE always sends `webhookEventId` (a 26-character ULID); a body without a usable one gets a stable id from its content. */
export function eventIdOf(event: IncomingEvent): string {
  if (typeof event.webhookEventId === 'string' && /^[\w-]{1,128}$/.test(event.webhookEventId)) return event.webhookEventId;
  return `sha256:${createHash('sha256').update(JSON.stringify(event)).digest('hex')}`;
}

const MAX_DEPTH = 20;

/**
 * A copy of an event that MongoDB will store whatever a sender put in it: keys starting with `$` or containing
 * `.` are not allowed in stored documents, and `__proto__` must not become a prototype. LINE never sends such
 * keys, so for real events this is the identity.
 */
export function storableEvent(value: unknown, depth = 0): unknown {
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

const stringOrUndefined = (v: unknown, max: number) => (typeof v === 'string' && v.length <= max ? v : undefined);

/**
 * Stores each event under its id before the webhook acknowledges. Returns the ids that are new; a redelivered
 * event (same id) is counted on the stored copy and not returned, so it is never processed twice.
 */
export async function storeEvents(events: IncomingEvent[], now: Date): Promise<string[]> {
  const fresh: string[] = [];
  for (const event of events) {
    const webhookEventId = eventIdOf(event);
    const res = await WebhookEvent.updateOne(
      { webhookEventId },
      {
        $setOnInsert: {
          webhookEventId, type: stringOrUndefined(event.type, 64) || 'unknown',
          sourceType: stringOrUndefined(event.source?.type, 32), userId: stringOrUndefined(event.source?.userId, 64),
          payload: storableEvent(event), receivedAt: now, status: 'pending', attempts: 0,
        },
      },
      { upsert: true },
    );
    if (res.upsertedCount === 1) fresh.push(webhookEventId);
    else await WebhookEvent.updateOne({ webhookEventId }, { $inc: { redeliveries: 1 } });
  }
  return fresh;
}

/** Atomically claims an event for processing; null when another instance holds it or it is finished. */
export async function claimEvent(webhookEventId: string, now: Date) {
  return WebhookEvent.findOneAndUpdate(
    {
      webhookEventId,
      $or: [{ status: 'pending' }, { status: 'processing', lockedUntil: { $lt: now } }],
      attempts: { $lt: MAX_ATTEMPTS },
    },
    { $set: { status: 'processing', lockedUntil: new Date(now.getTime() + CLAIM_MS) }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean();
}

export async function finishEvent(webhookEventId: string, status: 'done' | 'ignored', now: Date): Promise<void> {
  await WebhookEvent.updateOne({ webhookEventId }, { $set: { status, processedAt: now }, $unset: { lockedUntil: 1, error: 1 } });
}

/** A failed attempt goes back to pending until MAX_ATTEMPTS, then stays failed for an operator to see. */
export async function failEvent(webhookEventId: string, attempts: number, error: string): Promise<void> {
  await WebhookEvent.updateOne(
    { webhookEventId },
    { $set: { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', error: error.slice(0, 500) }, $unset: { lockedUntil: 1 } },
  );
}

/** Events stored but never finished (crash, restart): pending ones, and processing ones whose claim expired. */
export async function findUnfinishedEventIds(now: Date, olderThanMs: number, limit = 200): Promise<string[]> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const docs = await WebhookEvent.find(
    {
      $or: [{ status: 'pending', receivedAt: { $lte: cutoff } }, { status: 'processing', lockedUntil: { $lt: now } }],
      attempts: { $lt: MAX_ATTEMPTS },
    },
    { webhookEventId: 1 },
  ).sort({ receivedAt: 1 }).limit(limit).lean();
  return docs.map((d) => d.webhookEventId);
}
