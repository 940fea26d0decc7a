import { WebhookEvent } from '../../models/webhook-event.model';

/*
 * The stored copy of every inbound webhook event and its processing state: stored once under its id before the
 * webhook acknowledges, claimed with a lease by one instance at a time, marked done/ignored or failed, and found
 * again by the sweeper when a crash or restart left it unfinished. What an event means is the bot's business
 * (`bot/event-store.ts`); this module only keeps the record.
 */

/** How long a processing claim holds before another instance may take the event over. */
export const CLAIM_MS = 60_000;
/** Attempts at processing one event; after the last failure it stays `failed` for an operator to see. */
export const MAX_ATTEMPTS = 3;

/** One event as the webhook stores it: its id, the columns stored beside the payload, and the payload. */
export interface WebhookEventRecord {
  webhookEventId: string;
  type: string;
  sourceType?: string;
  userId?: string;
  /** The event as sent, already made storable (no `$`/`.` keys). */
  payload: unknown;
}

/** What the processor needs to queue a stored event: its id, and the user and arrival order it must respect. */
export interface StoredEventRef {
  webhookEventId: string;
  userId?: string | null;
  seq?: number | null;
}

/** The arrival order of the `index`-th event of a request received at `now` (a request holds at most 1,000). */
export function arrivalSeq(now: Date, index: number): number {
  return now.getTime() * 1000 + Math.min(index, 999);
}

/**
 * Stores an event under its id if it is new and returns true. A redelivery (same id) leaves the stored copy as it
 * was, counts one more redelivery on it and returns false, so it is never processed twice. The insert is one
 * upsert on the unique id: two instances receiving the same event at once store it once, and only one sees true.
 */
export async function storeEvent(record: WebhookEventRecord, now: Date, seq = arrivalSeq(now, 0)): Promise<boolean> {
  const { webhookEventId } = record;
  const res = await WebhookEvent.updateOne(
    { webhookEventId },
    { $setOnInsert: { ...record, receivedAt: now, seq, status: 'pending', attempts: 0 } },
    { upsert: true },
  );
  if (res.upsertedCount === 1) return true;
  await WebhookEvent.updateOne({ webhookEventId }, { $inc: { redeliveries: 1 } });
  return false;
}

const UNFINISHED: Array<'pending' | 'processing'> = ['pending', 'processing'];

/**
 * Atomically claims an event for processing; null when another instance holds it or it is finished, `'blocked'`
 * when an earlier event of the same user (by arrival order) is still unfinished: one user's events are handled in
 * order across every instance (a persona answer must not overtake the one before it). The check reads before the
 * claim; an earlier event can only become unfinished again by failing while claimed, i.e. while it already blocks.
 */
export async function claimEvent(webhookEventId: string, now: Date, order?: Omit<StoredEventRef, 'webhookEventId'>) {
  if (order?.userId && typeof order.seq === 'number') {
    const earlier = await WebhookEvent.exists({
      userId: order.userId,
      status: { $in: UNFINISHED },
      seq: { $lt: order.seq },
      attempts: { $lt: MAX_ATTEMPTS },
    });
    if (earlier) return 'blocked' as const;
  }
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

/** How long a handled event is kept when the caller does not say (WEBHOOK_EVENT_RETENTION_DAYS' default). */
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * Marks a claimed event finished (`done`, or `ignored` when nothing answered it), releases the claim, and sets
 * its expiry: the TTL index removes it `retentionDays` after it was handled. Until then a redelivery of the same
 * id is still recognised (LINE redelivers within a much shorter window).
 */
export async function finishEvent(
  webhookEventId: string,
  status: 'done' | 'ignored',
  now: Date,
  retentionDays = DEFAULT_RETENTION_DAYS,
): Promise<void> {
  const expireAt = new Date(now.getTime() + retentionDays * 86_400_000);
  await WebhookEvent.updateOne(
    { webhookEventId },
    { $set: { status, processedAt: now, expireAt }, $unset: { lockedUntil: 1, error: 1 } },
  );
}

/** A failed attempt goes back to pending until MAX_ATTEMPTS, then stays failed for an operator to see. */
export async function failEvent(webhookEventId: string, attempts: number, error: string): Promise<void> {
  await WebhookEvent.updateOne(
    { webhookEventId },
    {
      $set: { status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', error: error.slice(0, 500) },
      $unset: { lockedUntil: 1 },
    },
  );
}

/**
 * Events stored but never finished (crash, restart, or left to the poll by a busy instance): pending ones received
 * at least `olderThanMs` ago, and processing ones whose claim expired; oldest first.
 */
export async function findUnfinishedEvents(now: Date, olderThanMs: number, limit = 200): Promise<StoredEventRef[]> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const docs = await WebhookEvent.find(
    {
      $or: [
        { status: 'pending', receivedAt: { $lte: cutoff } },
        { status: 'processing', lockedUntil: { $lt: now } },
      ],
      attempts: { $lt: MAX_ATTEMPTS },
    },
    { webhookEventId: 1, userId: 1, seq: 1 },
  )
    .sort({ receivedAt: 1, seq: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => ({ webhookEventId: d.webhookEventId, userId: d.userId ?? null, seq: d.seq ?? null }));
}
