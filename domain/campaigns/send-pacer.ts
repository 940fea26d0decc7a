import { MessengerError } from '../messaging/messenger';

/**
 * Client-side pacing for fan-out: a token bucket at LINE's documented rate (multicast 200 req/s, push 2,000
 * req/s) so we do not provoke 429s, and retries of 429/5xx with exponential backoff and jitter, always with the
 * same retry key so LINE drops a repeat of a request it had in fact accepted.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.ceil(perSecond / 10)),
  ) {
    this.tokens = this.burst;
  }

  /** Resolves when a request may go out; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export type SendAttempt<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: MessengerError; attempts: number };

/**
 * Calls `send` until it succeeds, fails for good (4xx other than 429, or the monthly quota), or runs out of
 * attempts. Backoff: base·2^(n−1), ±50% jitter, capped.
 */
export async function sendWithRetry<T>(
  send: () => Promise<T>,
  policy: RetryPolicy,
  beforeEach?: () => Promise<void>,
): Promise<SendAttempt<T>> {
  let attempt = 0;
  for (;;) {
    attempt += 1;
    await beforeEach?.();
    try {
      return { ok: true, value: await send(), attempts: attempt };
    } catch (err) {
      // Anything but a MessengerError is a bug or a dying process: let it through, the lease/lock recovery resumes.
      if (!(err instanceof MessengerError)) throw err;
      const error = err;
      if (!error.retryable || error.quotaExceeded || attempt >= policy.maxAttempts)
        return { ok: false, error, attempts: attempt };
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await sleep(Math.round(backoff * (0.5 + Math.random())));
    }
  }
}

/** Runs `worker` over `items` with at most `limit` in flight; stops handing out work once `shouldStop()` is true. */
export async function runPool<T>(
  items: T[],
  limit: number,
  worker: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++];
      await worker(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * `runPool` over an async source (a cursor): `limit` lanes pull the next item as they free up, so the source is
 * read while earlier items are still being worked on, and never more than `limit` items are held at once.
 */
export async function runPoolFrom<T>(
  source: AsyncIterable<T>,
  limit: number,
  worker: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  let done = false;
  let failure: { error: unknown } | null = null;
  const lanes = Array.from({ length: limit }, async () => {
    while (!done && !failure && !shouldStop()) {
      // Concurrent next() calls on one async generator are queued by the generator itself, in order.
      const r = await it.next();
      if (r.done) {
        done = true;
        return;
      }
      await worker(r.value);
    }
  });
  // A failing lane stops the others from taking more, and we return only once none is still working.
  await Promise.all(
    lanes.map((l) =>
      l.catch((error: unknown) => {
        failure ??= { error };
      }),
    ),
  );
  if (!done) await it.return?.();
  const failed = failure as { error: unknown } | null;
  if (failed) throw failed.error;
}

/**
 * Database writes that follow a LINE call, run behind it: `add` starts the write and returns at once unless
 * `limit` writes are already in flight (then it waits for the oldest), so the next call goes out while the last
 * one is recorded. `drain` waits for every write; the first failure is re-thrown there (and by later `add`s).
 */
export class WriteBehind {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async add(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    const p: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for every write started so far; re-throws the first that failed. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
