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
