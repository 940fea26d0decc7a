import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../shared/format';

/**
 * The only reader of process.env. Validates everything at once (every problem listed, then exit 1) and maps it
 * into a typed, nested config. Two modes:
 * - local (default unless NODE_ENV=production): missing MONGODB_URI → in-process MongoDB stand-in; missing LINE
 *   credentials → in-process LINE emulator.
 * - production: MONGODB_URI, LINE credentials, LIFF and console secrets are required; no stand-in ever starts.
 */
export interface AppConfig {
  mode: 'local' | 'production';
  port: number;
  /** Interface the HTTP server binds: 127.0.0.1 in local mode unless HOST says otherwise; null = all (production). */
  host: string | null;
  /** Bearer token that shows /healthz details (database, LINE mode and origin) outside local mode; null = nobody. */
  operatorToken: string | null;
  /** Public origin of this server (links in chat messages, LIFF endpoint). */
  publicBaseUrl: string;
  timeZone: string;
  logLevel: string;
  /**
   * Which peers may tell us the client's address in `X-Forwarded-For` (Express `trust proxy`): false = none (the
   * socket's address is the client), a hop count, or the proxies' addresses/CIDRs.
   */
  trustProxy: TrustProxySetting;
  mongo: { uri: string | null; persist: boolean; dataDir: string };
  line: {
    mode: 'emulator' | 'line';
    channelSecret: string;
    channelAccessToken: string;
    /** Messaging API origin; null = the SDK's default (real LINE). Filled with the emulator's URL in local mode. */
    apiBaseURL: string | null;
    /** Origin serving POST /oauth2/v2.1/verify. */
    loginBaseURL: string;
    liffId: string;
    /** The LINE Login channel id the LIFF app belongs to (ID token audience). */
    liffChannelId: string;
    botBasicId: string;
    /** Per client IP and instance: LIFF ID tokens checked per minute that no cached verification answered. */
    idTokenChecksPerMinute: number;
  };
  console: { sessionSecret: string; cookieSecure: boolean };
  /**
   * Key of the erasure registry's HMAC (domain/members/erasure-registry.service.ts). Required in production; in
   * local mode '' here, and the runtime generates one kept in `<LOCAL_DATA_DIR>/erasure-hmac-secret`.
   */
  privacy: { erasureHmacSecret: string };
  scheduler: { enabled: boolean };
  /** Local mode: seed the demo brand on start (HUIGO_SKIP_DEMO=true turns it off). */
  demo: { seed: boolean };
  /**
   * `eventRetentionDays`: how long a handled (done/ignored) webhook event is kept before the TTL index removes it.
   * Its id is the redelivery dedupe key, so this must outlast LINE's redelivery window (hence at least 7 days).
   * Pending and failed events carry no expiry and stay until handled.
   */
  webhook: { sweepIntervalMs: number; eventRetentionDays: number; concurrency: number; maxQueued: number };
  /**
   * `loadingAfterMs`: a message whose answer is not ready this long after its handling started gets LINE's loading
   * animation ("…" in the chat) until the answer arrives; a quicker answer needs none (0 = always show it at once).
   */
  chat: { loadingAfterMs: number };
  /**
   * The marketer's chat texts (domain/replies): each instance keeps a copy and reads the store again after
   * `cacheTtlMs`, so an edit made on another instance reaches this one's customers within that time.
   */
  replies: { cacheTtlMs: number };
  /**
   * Where the interactions-retention job writes the rows it removes (one NDJSON.gz file per month and run, see
   * docs/deployment.md). null (production without INTERACTIONS_ARCHIVE_DIR) = the job archives and deletes nothing.
   */
  archive: { interactionsDir: string | null };
  /** Campaign fan-out: LINE's documented rate limits by default; retries of 429/5xx back off exponentially. */
  sending: {
    multicastPerSecond: number;
    pushPerSecond: number;
    concurrency: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxAttempts: number;
  };
}

const optional = z.string().trim().min(1).optional();

export type TrustProxySetting = false | number | string[];
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset/`false`/`0` → false; `1`–`10` → that many hops; else a comma list of proxy addresses, CIDRs
 * or `loopback`/`linklocal`/`uniquelocal`. `true` (trust everybody) is refused: any client could then pick its IP.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxySetting } | { problem: string } {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '' || text === 'false' || text === 'off' || text === '0') return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 10 ? { value: hops } : { problem: 'a hop count must be 1–10' };
  }
  if (text === 'true' || text === '*')
    return { problem: "trusting every peer lets any client choose its IP; give a hop count or the proxies' addresses" };
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((item) => !isProxyAddress(item));
  if (bad.length || !items.length)
    return { problem: `not an IP address, CIDR or loopback/linklocal/uniquelocal: ${bad.join(', ') || '(empty)'}` };
  return { value: items };
}

function isProxyAddress(item: string): boolean {
  if (PROXY_NAMES.has(item)) return true;
  const [address, prefix, extra] = item.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).optional(),
  OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_BASE_URL: z.url({ message: 'must be a URL like https://member.example.com' }).optional(),
  TZ_APP: z.string().default(DEFAULT_TIME_ZONE),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  LOCAL_PERSIST: z.enum(['true', 'false']).default('true'),
  LOCAL_DATA_DIR: z.string().default('.data'),
  LINE_CHANNEL_SECRET: optional,
  LINE_CHANNEL_ACCESS_TOKEN: optional,
  LINE_API_BASE_URL: z.url().optional(),
  LINE_LOGIN_BASE_URL: z.url().optional(),
  LIFF_ID: optional,
  LINE_LOGIN_CHANNEL_ID: optional,
  LINE_BOT_BASIC_ID: optional,
  LIFF_TOKEN_CHECKS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ERASURE_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SCHEDULER_ENABLED: z.enum(['true', 'false']).default('true'),
  HUIGO_SKIP_DEMO: z.enum(['true', 'false']).default('false'),
  WEBHOOK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(30000),
  REPLY_TEXTS_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(3000),
  WEBHOOK_EVENT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(7, 'must be at least 7 (LINE redelivers an event for a while; its id must still be known)')
    .max(3650)
    .default(30),
  INTERACTIONS_ARCHIVE_DIR: optional,
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WEBHOOK_MAX_QUEUED: z.coerce.number().int().min(1).max(100_000).default(1000),
  LOADING_ANIMATION_AFTER_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  SEND_MULTICAST_PER_SECOND: z.coerce.number().positive().default(200),
  SEND_PUSH_PER_SECOND: z.coerce.number().positive().default(2000),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SEND_RETRY_BASE_MS: z.coerce.number().int().min(0).default(500),
  SEND_RETRY_MAX_MS: z.coerce.number().int().min(0).default(30000),
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
});

/** Every variable this config reads (documented one by one in .env.example; a test keeps the two in step). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const PRODUCTION_REQUIRED = [
  'MONGODB_URI',
  'LINE_CHANNEL_SECRET',
  'LINE_CHANNEL_ACCESS_TOKEN',
  'LIFF_ID',
  'LINE_LOGIN_CHANNEL_ID',
  'PUBLIC_BASE_URL',
  'SESSION_SECRET',
  'ERASURE_HMAC_SECRET',
] as const;

/** Reads `.env` (quietly, if present) then validates `env`. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { dotenv?: boolean } = {}): AppConfig {
  if (opts.dotenv !== false) loadDotenv({ quiet: true });
  const parsed = envSchema.safeParse(env);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const production = env.NODE_ENV === 'production';
  if (production) {
    for (const name of PRODUCTION_REQUIRED)
      if (!env[name]?.trim()) problems.push(`${name}: required when NODE_ENV=production`);
  }
  const hasSecret = Boolean(env.LINE_CHANNEL_SECRET?.trim());
  const hasToken = Boolean(env.LINE_CHANNEL_ACCESS_TOKEN?.trim());
  if (!production && hasSecret !== hasToken) {
    problems.push('LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN: set both (real LINE) or neither (emulator)');
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if ('problem' in trustProxy) problems.push(`TRUST_PROXY: ${trustProxy.problem}`);
  if (problems.length || !parsed.success || 'problem' in trustProxy) throw new ConfigError(problems);
  const e = parsed.data;
  const useRealLine = hasSecret && hasToken;
  const port = e.PORT;
  return {
    mode: production ? 'production' : 'local',
    port,
    host: e.HOST ?? (production ? null : '127.0.0.1'),
    operatorToken: e.OPERATOR_TOKEN ?? null,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    timeZone: e.TZ_APP,
    logLevel: e.LOG_LEVEL,
    trustProxy: trustProxy.value,
    mongo: { uri: e.MONGODB_URI ?? null, persist: e.LOCAL_PERSIST === 'true', dataDir: e.LOCAL_DATA_DIR },
    line: {
      mode: useRealLine ? 'line' : 'emulator',
      // Emulator only: random here, replaced at start by the per-install values kept in LOCAL_DATA_DIR.
      channelSecret: e.LINE_CHANNEL_SECRET ?? randomBytes(16).toString('hex'),
      channelAccessToken: e.LINE_CHANNEL_ACCESS_TOKEN ?? randomBytes(24).toString('base64url'),
      apiBaseURL: e.LINE_API_BASE_URL ?? null,
      loginBaseURL: e.LINE_LOGIN_BASE_URL ?? 'https://api.line.me',
      liffId: e.LIFF_ID ?? 'local-liff-id',
      liffChannelId: e.LINE_LOGIN_CHANNEL_ID ?? '1234567890',
      botBasicId: e.LINE_BOT_BASIC_ID ?? '@huigo',
      idTokenChecksPerMinute: e.LIFF_TOKEN_CHECKS_PER_MINUTE,
    },
    console: {
      sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      cookieSecure: production,
    },
    privacy: { erasureHmacSecret: e.ERASURE_HMAC_SECRET ?? '' },
    scheduler: { enabled: e.SCHEDULER_ENABLED === 'true' },
    demo: { seed: e.HUIGO_SKIP_DEMO !== 'true' },
    webhook: {
      sweepIntervalMs: e.WEBHOOK_SWEEP_INTERVAL_MS,
      eventRetentionDays: e.WEBHOOK_EVENT_RETENTION_DAYS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      maxQueued: e.WEBHOOK_MAX_QUEUED,
    },
    chat: { loadingAfterMs: e.LOADING_ANIMATION_AFTER_MS },
    replies: { cacheTtlMs: e.REPLY_TEXTS_TTL_MS },
    archive: {
      interactionsDir:
        e.INTERACTIONS_ARCHIVE_DIR ?? (production ? null : path.join(e.LOCAL_DATA_DIR, 'archive', 'interactions')),
    },
    sending: {
      multicastPerSecond: e.SEND_MULTICAST_PER_SECOND,
      pushPerSecond: e.SEND_PUSH_PER_SECOND,
      concurrency: e.SEND_CONCURRENCY,
      retryBaseMs: e.SEND_RETRY_BASE_MS,
      retryMaxMs: e.SEND_RETRY_MAX_MS,
      maxAttempts: e.SEND_MAX_ATTEMPTS,
    },
  };
}
