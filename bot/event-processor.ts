import type { AppDeps } from '../server/deps';
import {
  claimEvent,
  failEvent,
  findUnfinishedEvents,
  finishEvent,
  MAX_ATTEMPTS,
  parseEvent,
  type StoredEventRef,
} from './event-store';
import { apologizeForFailure, handleEvent } from './handlers';

/*
 * Processing of stored webhook events, apart from the ack. The webhook stores the events and answers 200; only
 * then does it offer their ids here. Work is taken from a queue in memory with bounded concurrency, fed by those
 * offers and by a poll of the store (events left unfinished by a crash, a restart, another instance, or an offer
 * this instance had no room for). Every event is claimed with a lease on its stored document before it is
 * handled, so several instances can share one store and each event is handled once; one user's events are handled
 * in arrival order (the claim refuses an event while an earlier one of its user is unfinished anywhere).
 *
 * Backpressure: when the queue is full, offers are not queued (the events are stored: the poll takes them when
 * there is room again) and no more than `concurrency` events are claimed at once. Nothing here ever slows the
 * ack: the webhook does not wait for any of it, and processing gives way to it. The webhook reports each ack's
 * latency; the number of events handled at once adapts to it (AIMD, like TCP's window): an ack slower than
 * ACK_TARGET_MS halves it (down to one, so a sustained burst still makes progress), each ack within it adds one
 * back (up to `concurrency`). Between two events the processor yields to the event loop, so requests that arrived
 * meanwhile are read (and their inserts sent) before the next claim.
 */

export interface EventProcessorOptions {
  /** Events handled at once by this instance. */
  concurrency: number;
  /** Ids waiting in memory; offers beyond this are left in the store for the poll. */
  maxQueued: number;
  /** A timer poll leaves pending events younger than this to the instance that stored them (it has them queued). */
  pollGraceMs: number;
}

/** An ack slower than this (first byte to the answer) makes processing take fewer events at once. */
export const ACK_TARGET_MS = 50;

/** The pause before polling for work left in the store (queue was full, or an event waited for its user's previous one). */
const CATCH_UP_DELAY_MS = 50;

export const DEFAULT_PROCESSOR_OPTIONS: EventProcessorOptions = { concurrency: 4, maxQueued: 1000, pollGraceMs: 5000 };

export interface EventProcessorStats {
  queued: number;
  inFlight: number;
  /** Events this instance finished handling (done, ignored or failed). */
  processed: number;
  /** Offers not queued because the queue was full (left to the poll). */
  deferred: number;
  /** Claims refused because an earlier event of the same user was unfinished (left to the poll). */
  blocked: number;
  /** Events this instance takes at once now (adapted to the ack latency, 1…concurrency). */
  limit: number;
}

export interface EventProcessor {
  /**
   * The webhook tells when an ack starts and how long it took when it ends: processing takes fewer events at once
   * while acks are slow (see ACK_TARGET_MS), so a burst's acks do not queue behind processing for the CPU and the
   * database they share.
   */
  ackStarted(): void;
  ackFinished(latencyMs?: number): void;
  /** Queues stored events for processing (the webhook, after its 200). Never waits and never throws. */
  offer(events: StoredEventRef[]): void;
  /** Reads unfinished events from the store into the queue; returns how many were queued. */
  poll(opts?: { graceMs?: number }): Promise<number>;
  /** Starts polling every `intervalMs` (and at once). */
  startPolling(intervalMs: number): void;
  /** Waits until nothing is queued or in flight (or `timeoutMs` passes). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops polling and taking work, then waits (up to `timeoutMs`) for what is in flight; the rest stays stored. */
  stop(timeoutMs?: number): Promise<void>;
  stats(): EventProcessorStats;
}

export function createEventProcessor(deps: AppDeps, options: Partial<EventProcessorOptions> = {}): EventProcessor {
  const opts = { ...DEFAULT_PROCESSOR_OPTIONS, ...options };
  const queue: StoredEventRef[] = [];
  /** Ids queued or in flight here, so neither an offer nor the poll queues one twice. */
  const known = new Set<string>();
  /** Users with an event in flight here: their next event waits for it (in-process half of per-user order). */
  const busyUsers = new Set<string>();
  const counts = { processed: 0, deferred: 0, blocked: 0 };
  let inFlight = 0;
  /** Events taken at once now: AIMD on the ack latency, within 1…concurrency. */
  let limit = opts.concurrency;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** Work was left in the store (queue full, or blocked): poll again as soon as the queue has room. */
  let catchUp = false;
  let polling: Promise<number> | null = null;
  let catchUpTimer: NodeJS.Timeout | undefined;
  const idleWaiters: Array<() => void> = [];

  const enqueue = (ref: StoredEventRef): boolean => {
    if (known.has(ref.webhookEventId)) return true;
    if (queue.length >= opts.maxQueued) return false;
    known.add(ref.webhookEventId);
    queue.push(ref);
    return true;
  };

  /** The first queued event whose user has nothing in flight here (FIFO per user). */
  const takeRunnable = (): StoredEventRef | undefined => {
    const i = queue.findIndex((ref) => !ref.userId || !busyUsers.has(ref.userId));
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };

  const pump = () => {
    while (!stopped && inFlight < limit) {
      const ref = takeRunnable();
      if (!ref) break;
      inFlight++;
      if (ref.userId) busyUsers.add(ref.userId);
      void run(ref).finally(() => {
        inFlight--;
        if (ref.userId) busyUsers.delete(ref.userId);
        known.delete(ref.webhookEventId);
        counts.processed++;
        // Yield between events: requests read meanwhile (acks) go first.
        setImmediate(pump);
      });
    }
    if (catchUp && !stopped && queue.length < opts.maxQueued / 2 && !polling && !catchUpTimer) {
      catchUp = false;
      // A short pause, so an event blocked behind one another instance is handling is not asked about in a loop.
      catchUpTimer = setTimeout(() => {
        catchUpTimer = undefined;
        void poll({ graceMs: 0 });
      }, CATCH_UP_DELAY_MS);
      catchUpTimer.unref();
    }
    if (!queue.length && !inFlight) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const run = async (ref: StoredEventRef) => {
    const outcome = await processOne(deps, ref).catch((err) => {
      deps.logger.error({ err, webhookEventId: ref.webhookEventId }, 'webhook processing failed');
      return 'failed' as const;
    });
    if (outcome === 'blocked') {
      counts.blocked++;
      catchUp = true;
    }
  };

  const poll = (pollOpts: { graceMs?: number } = {}): Promise<number> => {
    if (polling) return polling;
    polling = (async () => {
      const room = opts.maxQueued - queue.length;
      if (room <= 0 || stopped) return 0;
      const refs = await findUnfinishedEvents(deps.clock(), pollOpts.graceMs ?? opts.pollGraceMs, room);
      let added = 0;
      for (const ref of refs) {
        if (known.has(ref.webhookEventId)) continue;
        if (!enqueue(ref)) break;
        added++;
      }
      if (refs.length >= room) catchUp = true;
      if (added) deps.logger.info({ count: added }, 'resuming unfinished webhook events');
      return added;
    })()
      .catch((err) => {
        deps.logger.error({ err }, 'webhook poll failed');
        return 0;
      })
      .finally(() => {
        polling = null;
        setImmediate(pump);
      });
    return polling;
  };

  return {
    ackStarted() {},
    ackFinished(latencyMs = 0) {
      const before = limit;
      if (latencyMs > ACK_TARGET_MS) limit = Math.max(1, Math.floor(limit / 2));
      else limit = Math.min(opts.concurrency, limit + 1);
      if (limit > before) setImmediate(pump);
    },
    offer(events) {
      if (stopped) return;
      for (const ref of events) {
        if (!enqueue(ref)) {
          counts.deferred++;
          catchUp = true;
        }
      }
      // After the current tick: the webhook's 200 is written before any processing starts.
      setImmediate(pump);
    },
    poll,
    startPolling(intervalMs) {
      if (timer) return;
      timer = setInterval(() => void poll(), intervalMs);
      timer.unref();
      void poll();
    },
    drain(timeoutMs = 10_000) {
      if (!queue.length && !inFlight) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    async stop(timeoutMs = 10_000) {
      if (timer) clearInterval(timer);
      if (catchUpTimer) clearTimeout(catchUpTimer);
      timer = catchUpTimer = undefined;
      stopped = true;
      // What is queued stays pending in the store for the next start (or another instance's poll).
      for (const ref of queue.splice(0)) known.delete(ref.webhookEventId);
      const deadline = Date.now() + timeoutMs;
      while (inFlight && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (polling) await polling;
    },
    stats: () => ({ queued: queue.length, inFlight, ...counts, limit }),
  };
}

/**
 * Processes stored events now, one after another, each claimed first (the events of a test or a script that
 * stored them itself). Returns when all are handled.
 */
export async function processEvents(deps: AppDeps, refs: Array<StoredEventRef | string>): Promise<void> {
  for (const ref of refs) await processOne(deps, typeof ref === 'string' ? { webhookEventId: ref } : ref);
}

/** Claim → handle → done/ignored, or failed (retried by the poll until MAX_ATTEMPTS, then an apology). */
async function processOne(deps: AppDeps, ref: StoredEventRef): Promise<'handled' | 'blocked' | 'skipped'> {
  const { webhookEventId } = ref;
  const log = deps.logger.child({ webhookEventId });
  const claimed = await claimEvent(webhookEventId, deps.clock(), ref).catch((err) => {
    log.error({ err }, 'claim failed');
    return null;
  });
  if (claimed === 'blocked') return 'blocked';
  if (!claimed) return 'skipped';
  const event = parseEvent(claimed.payload, { webhookEventId, now: deps.clock() });
  const attempts = claimed.attempts ?? 1;
  try {
    const outcome = await handleEvent(deps, event, { webhookEventId, log, attempt: attempts });
    await finishEvent(
      webhookEventId,
      outcome === 'ignored' ? 'ignored' : 'done',
      deps.clock(),
      deps.config.webhook.eventRetentionDays,
    );
  } catch (err) {
    log.error({ err, type: claimed.type, attempts }, 'event handler failed');
    await failEvent(webhookEventId, attempts, err instanceof Error ? err.message : String(err)).catch(() => undefined);
    if (attempts >= MAX_ATTEMPTS) await apologizeForFailure(deps, event, { webhookEventId, log });
  }
  return 'handled';
}
