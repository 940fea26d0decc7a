import { mulberry32 } from './ids';

export interface FaultConfig {
  /** Probability (0..1) that a send API call answers 429 Too Many Requests. */
  rate429: number;
  /** Probability (0..1) that a send API call answers 500. */
  rate500: number;
  /** Added delay before a send API call answers. */
  latencyMs: number;
  /** Real token-bucket rate limit shared by all send APIs; null = unlimited. */
  rateLimit: { perSecond: number } | null;
  /** Forces the monthly-limit 429 on every send regardless of usage. */
  quota429: boolean;
  /**
   * Token bucket over the rich-menu link endpoints (per-user and bulk link/unlink; LINE: 2,000 requests/s per
   * channel); null = unlimited. Separate from `rateLimit`: LINE limits each endpoint on its own.
   */
  richMenuRateLimit: { perSecond: number } | null;
}

export const TOO_MANY_REQUESTS = { message: 'Too Many Requests' };
export const MONTHLY_LIMIT = { message: 'You have reached your monthly limit.' };

export type FaultOutcome = { status: 429 | 500; body: { message: string }; reason: string } | null;

const DEFAULTS: FaultConfig = {
  rate429: 0,
  rate500: 0,
  latencyMs: 0,
  rateLimit: null,
  quota429: false,
  richMenuRateLimit: null,
};

/** Decides, per send-API call, whether to inject a failure. Randomness is seeded so runs are reproducible. */
export class FaultGate {
  config: FaultConfig = { ...DEFAULTS };
  private random: () => number;
  private tokens = 0;
  private lastRefill = Date.now();
  private menuTokens = 0;
  private menuRefill = Date.now();
  private pendingDelays = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  constructor(private seed: number) {
    this.random = mulberry32(seed);
  }

  /** Validates and merges a partial config; returns an error string for bad input. */
  update(patch: Record<string, unknown>): string | null {
    const next: FaultConfig = { ...this.config };
    for (const key of ['rate429', 'rate500'] as const) {
      if (patch[key] === undefined) continue;
      const v = patch[key];
      if (typeof v !== 'number' || v < 0 || v > 1) return `${key} must be a number between 0 and 1`;
      next[key] = v;
    }
    if (patch.latencyMs !== undefined) {
      if (typeof patch.latencyMs !== 'number' || patch.latencyMs < 0) return 'latencyMs must be a number >= 0';
      next.latencyMs = patch.latencyMs;
    }
    if (patch.rateLimit !== undefined) {
      const rl = patch.rateLimit as { perSecond?: unknown } | null;
      if (rl === null) next.rateLimit = null;
      else if (typeof rl !== 'object' || typeof rl.perSecond !== 'number' || rl.perSecond <= 0) {
        return 'rateLimit must be null or {perSecond: number > 0}';
      } else next.rateLimit = { perSecond: rl.perSecond };
    }
    if (patch.richMenuRateLimit !== undefined) {
      const rl = patch.richMenuRateLimit as { perSecond?: unknown } | null;
      if (rl === null) next.richMenuRateLimit = null;
      else if (typeof rl !== 'object' || typeof rl.perSecond !== 'number' || rl.perSecond <= 0) {
        return 'richMenuRateLimit must be null or {perSecond: number > 0}';
      } else next.richMenuRateLimit = { perSecond: rl.perSecond };
      this.menuTokens = next.richMenuRateLimit ? next.richMenuRateLimit.perSecond : 0;
      this.menuRefill = Date.now();
    }
    if (patch.quota429 !== undefined) {
      if (typeof patch.quota429 !== 'boolean') return 'quota429 must be a boolean';
      next.quota429 = patch.quota429;
    }
    if (patch.seed !== undefined) {
      if (typeof patch.seed !== 'number') return 'seed must be a number';
      this.seed = patch.seed;
      this.random = mulberry32(patch.seed);
    }
    // A new limit starts with a full bucket so the first burst after configuring is predictable.
    if (patch.rateLimit !== undefined) this.refillFull(next.rateLimit);
    this.config = next;
    return null;
  }

  reset(): void {
    this.config = { ...DEFAULTS };
    this.random = mulberry32(this.seed);
  }

  private refillFull(rl: FaultConfig['rateLimit']): void {
    this.tokens = rl ? rl.perSecond : 0;
    this.lastRefill = Date.now();
  }

  /** Rate limit first (it is deterministic), then the random faults, then the forced quota failure. */
  check(): FaultOutcome {
    const rl = this.config.rateLimit;
    if (rl) {
      const now = Date.now();
      this.tokens = Math.min(rl.perSecond, this.tokens + ((now - this.lastRefill) / 1000) * rl.perSecond);
      this.lastRefill = now;
      if (this.tokens < 1) return { status: 429, body: TOO_MANY_REQUESTS, reason: 'rateLimit' };
      this.tokens -= 1;
    }
    if (this.config.rate429 > 0 && this.random() < this.config.rate429) {
      return { status: 429, body: TOO_MANY_REQUESTS, reason: 'rate429' };
    }
    if (this.config.rate500 > 0 && this.random() < this.config.rate500) {
      return { status: 500, body: { message: 'Internal Server Error' }, reason: 'rate500' };
    }
    if (this.config.quota429) return { status: 429, body: MONTHLY_LIMIT, reason: 'quota429' };
    return null;
  }

  /** The rich-menu link bucket: true when this call may go through, false = answer 429. */
  takeRichMenuToken(): boolean {
    const rl = this.config.richMenuRateLimit;
    if (!rl) return true;
    const now = Date.now();
    this.menuTokens = Math.min(rl.perSecond, this.menuTokens + ((now - this.menuRefill) / 1000) * rl.perSecond);
    this.menuRefill = now;
    if (this.menuTokens < 1) return false;
    this.menuTokens -= 1;
    return true;
  }

  /** Injected latency; tracked so close() can cut it short instead of leaving a timer behind. */
  delay(): Promise<void> {
    const ms = this.config.latencyMs;
    if (!ms) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => entry.done(), ms),
        done: () => {
          clearTimeout(entry.timer);
          this.pendingDelays.delete(entry);
          resolve();
        },
      };
      this.pendingDelays.add(entry);
    });
  }

  cancelDelays(): void {
    for (const d of [...this.pendingDelays]) d.done();
  }
}
