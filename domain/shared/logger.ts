import pino, { type DestinationStream, type Logger } from 'pino';
import { TAIWAN_MOBILE_IN_TEXT } from './phone';

/**
 * One root logger; modules take a child (`logger.child({ module: 'points' })`).
 *
 * Tokens, secrets, signatures, cookies, passwords and phone numbers must never reach a log line, wherever they sit:
 * an SDK error carrying request headers (`err.config.headers.Authorization`), a MongoDB duplicate-key error naming
 * a phone (`keyValue.phone`, and the number inside `errmsg`), a `req` object, an ID token inside a body. Path-based
 * redaction only covers the shapes someone thought of, so every logged value is walked instead: a key that names a
 * secret is censored at any depth and in any letter case, and strings are scrubbed of bearer tokens, API keys, JWTs,
 * database credentials and Taiwan mobile numbers.
 */
const CENSOR = '[redacted]';

/** Keys whose value is censored whole (compared without case, `-` and `_`). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'xlinesignature',
  'signature',
  'token',
  'accesstoken',
  'refreshtoken',
  'channelaccesstoken',
  'channelsecret',
  'secret',
  'clientsecret',
  'sessionsecret',
  'idtoken',
  'replytoken',
  'csrftoken',
  'xcsrftoken',
  'password',
  'currentpassword',
  'newpassword',
  'passwordhash',
  'generatedpassword',
  'phone',
  'mobile',
]);
const isSensitiveKey = (key: string) => SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));

/** Secrets that can hide inside free text (an error message, a URL, a stored body). */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[\w\-.~+/=]+/gi, `$1 ${CENSOR}`],
  [/\bhgk_[\w-]+/g, `hgk_${CENSOR}`],
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]+/g, CENSOR],
  [/(mongodb(?:\+srv)?:\/\/)[^\s/@]+@/gi, `$1${CENSOR}@`],
  [TAIWAN_MOBILE_IN_TEXT, '[phone]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

/** A log-safe copy of any value: sensitive keys censored at every depth, strings scrubbed, errors serialized. */
export function scrubForLog(value: unknown, depth = 0, path = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (path.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => scrubForLog(v, depth + 1, path));
    if (value instanceof Error) return scrubForLog({ ...pino.stdSerializers.err(value) }, depth, path);
    // ObjectIds, mongoose documents, URLs: what JSON.stringify would have written.
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return scrubForLog(toJSON.call(value), depth + 1, path);
    // fetch's Headers (in SDK errors) keep their entries out of sight of JSON.stringify: read them, then censor.
    const entries = isHeaders(value) ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) out[key] = isSensitiveKey(key) ? CENSOR : scrubForLog(v, depth + 1, path);
    return out;
  } finally {
    path.delete(value);
  }
}

function isHeaders(value: object): value is Headers {
  return typeof Headers !== 'undefined' && value instanceof Headers;
}

function level(): string {
  // The root logger exists before the configuration is read (server/main.ts sets config.logLevel right after).
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.JEST_WORKER_ID ? 'silent' : 'info';
}

/** The logger configuration every process uses; `destination` lets a test read what would be written. */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? level(),
    formatters: {
      log: (obj) =>
        Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, isSensitiveKey(k) ? CENSOR : scrubForLog(v)])),
    },
    serializers: {
      err: (err: unknown) => scrubForLog(err),
      msg: (msg: unknown) => (typeof msg === 'string' ? scrubText(msg) : msg),
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export const rootLogger: Logger = createLogger();

export function moduleLogger(module: string): Logger {
  return rootLogger.child({ module });
}

export type { Logger };
