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

/** MongoDB's duplicate-key error code: the unique `webhookEventId` index refused a second copy. */
const DUPLICATE_KEY = 11000;

interface BulkWriteErrorLike {
  code?: number;
  writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number };
  result?: { insertedCount?: number };
}

type EventDoc = Record<string, unknown>;

/** The stored shape of a new event, field by field as the model declares it (its defaults written out). */
function newEventDoc(r: WebhookEventRecord & { seq: number }, now: Date): EventDoc {
  // Nothing undefined reaches the driver: a missing column is absent, as mongoose would leave it.
  const doc: EventDoc = { webhookEventId: r.webhookEventId, type: r.type };
  if (typeof r.sourceType === 'string') doc.sourceType = r.sourceType;
  if (typeof r.userId === 'string') doc.userId = r.userId;
  doc.payload = r.payload;
  doc.receivedAt = now;
  doc.seq = r.seq;
  doc.redeliveries = 0;
  doc.status = 'pending';
  doc.attempts = 0;
  return doc;
}

/**
 * Inserts `docs` with one unordered write, acknowledged by the server. Returns, per doc, true when it was stored
 * and false when the unique `webhookEventId` index refused it (that id is stored already: those are counted as
 * redeliveries on the stored copy). Any other write error throws.
 */
async function insertNew(docs: EventDoc[]): Promise<boolean[]> {
  const fresh = docs.map(() => true);
  try {
    // One event per request is LINE's usual delivery: insertOne is the driver's shortest path for it.
    if (docs.length === 1) await WebhookEvent.collection.insertOne(docs[0]);
    else await WebhookEvent.collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const e = err as BulkWriteErrorLike;
    const writeErrors =
      e.writeErrors === undefined ? [] : Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    if (!writeErrors.length) {
      // A single-document insert's duplicate comes back as a plain error with its code.
      if (e.code === DUPLICATE_KEY && docs.length === 1) writeErrors.push({ index: 0, code: DUPLICATE_KEY });
      else throw err;
    }
    if (writeErrors.some((w) => w.code !== DUPLICATE_KEY)) throw err;
    const redelivered = new Map<string, number>();
    for (const w of writeErrors) {
      fresh[w.index] = false;
      const id = docs[w.index].webhookEventId as string;
      redelivered.set(id, (redelivered.get(id) ?? 0) + 1);
    }
    await WebhookEvent.collection.bulkWrite(
      [...redelivered].map(([webhookEventId, n]) => ({
        updateOne: { filter: { webhookEventId }, update: { $inc: { redeliveries: n } } },
      })),
      { ordered: false },
    );
  }
  return fresh;
}

/** Events of concurrent requests waiting for the next group insert, each request's slice with its answer. */
interface PendingSlice {
  docs: EventDoc[];
  resolve: (fresh: boolean[]) => void;
  reject: (err: unknown) => void;
}
/** A group insert carries at most this many events; more wait for the next one. */
const GROUP_MAX_EVENTS = 1000;
const waiting: PendingSlice[] = [];
let inserting = false;
let scheduled = false;

/** Sends the waiting slices (up to GROUP_MAX_EVENTS events) as one insert; the next group forms meanwhile. */
function flushGroup(): void {
  if (inserting || !waiting.length) return;
  const group: PendingSlice[] = [];
  let count = 0;
  while (waiting.length && (!group.length || count + waiting[0].docs.length <= GROUP_MAX_EVENTS)) {
    const slice = waiting.shift()!;
    group.push(slice);
    count += slice.docs.length;
  }
  inserting = true;
  const docs = group.length === 1 ? group[0].docs : group.flatMap((g) => g.docs);
  insertNew(docs)
    .then(
      (fresh) => {
        let at = 0;
        for (const g of group) {
          g.resolve(fresh.slice(at, at + g.docs.length));
          at += g.docs.length;
        }
      },
      (err) => {
        for (const g of group) g.reject(err);
      },
    )
    .finally(() => {
      inserting = false;
      if (waiting.length) flushGroup();
    });
}

/**
 * The webhook's ack path: stores the events of one request durably and returns, per record, true when it was new.
 * The write is the shortest there is: an unordered insert of plain documents (no read, no update operators, no
 * mongoose document), acknowledged by the server before this resolves. Requests that arrive while an insert is in
 * flight are stored together by the next one (group commit: one round trip for many acks under a burst). A lone
 * request's insert goes at the end of the event loop's current turn (setImmediate, no timer), so the requests whose
 * bodies were read in the same turn join it: in the webhook bench that halved the inserts (409 → 170 for 2,500
 * acks). A record whose id is already stored (a redelivery, the same id twice in one body, or
 * another instance storing it at the same moment) is refused by the unique index, counted as a redelivery on the
 * stored copy, and returns false — so each id is processed once. Any other write error rejects every request of
 * that insert (the webhook answers 500 and LINE redelivers; what was inserted is recognised as a redelivery then,
 * and processed from the store by the poll).
 */
export function storeEventBatch(records: Array<WebhookEventRecord & { seq: number }>, now: Date): Promise<boolean[]> {
  if (!records.length) return Promise.resolve([]);
  const docs = records.map((r) => newEventDoc(r, now));
  return new Promise<boolean[]>((resolve, reject) => {
    waiting.push({ docs, resolve, reject });
    // Nothing in flight: this request's insert goes at the end of this turn, with whatever else arrived in it;
    // requests arriving while it is in flight join the next one.
    if (!inserting && !scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flushGroup();
      });
    }
  });
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
