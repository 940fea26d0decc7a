import { createHash } from 'node:crypto';
import { AppError, unauthorized } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { type IdTokenClaims, type LineLogin, LineLoginError } from './line-login';

/** What the LIFF page proves about its user, from a verified LINE ID token. */
export interface LiffIdentity {
  /** LINE userId of the person holding the token: the only user identity the member API trusts. */
  sub: string;
  name?: string;
  picture?: string;
  /** Expiry, seconds since epoch. */
  exp: number;
}

const log = moduleLogger('id-token');
const MAX_TOKEN_LENGTH = 4096;
const CACHE_LIMIT = 5000;
/** A token LINE refused is refused again from memory for this long (a retry loop must not become LINE traffic). */
export const REJECTION_CACHE_MS = 60_000;
const CHECK_WINDOW_MS = 60_000;

/** token hash → identity. A verified token is reused until its own `exp`, saving a LINE round trip per request. */
const cache = new Map<string, LiffIdentity & { aud: string }>();
/** token hash → until when LINE's refusal is repeated without asking again. */
const rejected = new Map<string, number>();
/** client key → token checks in the current minute (per instance: it guards our channel's LINE Login budget). */
const checks = new Map<string, { window: number; count: number }>();

const invalidToken = () => unauthorized('登入資訊已失效，請重新開啟會員卡。', 'invalid_token');

/** Who is asking (the client IP) and how many unverified tokens they may present per minute. */
export interface TokenCheckClient {
  key: string;
  perMinute: number;
}

/**
 * Verifies a LIFF ID token with LINE Login (the LineLogin port; audience = the LIFF channel id; the emulator in
 * local mode). Expired, forged or foreign-channel tokens → 401 `invalid_token`; LINE unreachable → 503.
 * Verified tokens are cached until `exp`. Tokens that cannot be ours (shape, `aud`, `exp`) are refused without a
 * call, LINE's refusals are remembered for a minute, and a `client` gets at most `perMinute` checks that the cache
 * did not answer (429 `too_many_token_checks`). Tokens are never logged.
 */
export async function verifyLiffIdToken(
  deps: LineLogin,
  idToken: string,
  now: Date,
  client?: TokenCheckClient,
): Promise<LiffIdentity> {
  const audience = deps.channelId;
  const tokenHash = createHash('sha256')
    .update(String(idToken).slice(0, MAX_TOKEN_LENGTH + 1))
    .digest('base64url');
  const cacheKey = `${deps.origin}|${audience}|${tokenHash}`;
  const cached = cache.get(cacheKey);
  if (cached) {
    if (cached.exp * 1000 > now.getTime() && cached.aud === audience) return strip(cached);
    cache.delete(cacheKey);
  }
  // Everything below is an unauthenticated check: limited per client, so junk cannot become LINE Login traffic.
  if (client) takeCheck(client, now);
  const junk = junkReason(idToken, audience, now);
  if (junk) {
    log.debug({ reason: junk }, 'ID token refused without asking LINE');
    throw invalidToken();
  }
  const refusedUntil = rejected.get(cacheKey);
  if (refusedUntil !== undefined) {
    if (refusedUntil > now.getTime()) throw invalidToken();
    rejected.delete(cacheKey);
  }
  const claims = await callVerify(deps, idToken).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'invalid_token') rememberRejection(cacheKey, now);
    throw err;
  });
  // Defence in depth: do not rely on the remote check alone for audience and expiry.
  if (claims.aud !== audience || typeof claims.sub !== 'string' || !claims.sub) throw invalidToken();
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) throw invalidToken();
  const identity = {
    sub: claims.sub,
    exp: claims.exp,
    aud: claims.aud,
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.picture === 'string' ? { picture: claims.picture } : {}),
  };
  remember(cacheKey, identity, now);
  return strip(identity);
}

/**
 * Why a token cannot be a valid ID token for our channel, judged from what is readable without its key: the
 * JWT shape, a JSON header and payload, `aud` (string or list) naming our channel, `exp` not past. Null = ask LINE.
 */
export function junkReason(token: string, audience: string, now: Date): string | null {
  if (!looksLikeJwt(token)) return 'shape';
  const [head, body] = token.split('.');
  const header = decodePart(head);
  if (!header || typeof header.alg !== 'string') return 'header';
  const payload = decodePart(body);
  if (!payload) return 'payload';
  const aud = payload.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) return 'audience';
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= now.getTime()) return 'expired';
  if (typeof payload.sub !== 'string' || !payload.sub) return 'subject';
  return null;
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function takeCheck(client: TokenCheckClient, now: Date): void {
  const window = Math.floor(now.getTime() / CHECK_WINDOW_MS);
  const entry = checks.get(client.key);
  if (!entry || entry.window !== window) {
    if (checks.size >= CACHE_LIMIT) for (const [k, v] of checks) if (v.window !== window) checks.delete(k);
    checks.set(client.key, { window, count: 1 });
    return;
  }
  entry.count += 1;
  if (entry.count > client.perMinute) {
    const retryAfterSeconds = Math.ceil(((window + 1) * CHECK_WINDOW_MS - now.getTime()) / 1000);
    if (entry.count === client.perMinute + 1)
      log.info({ retryAfterSeconds }, 'too many ID token checks from one client');
    throw new AppError('too_many_token_checks', 429, '登入驗證太頻繁了，請稍等一分鐘再開啟會員卡。', {
      retryAfterSeconds,
    });
  }
}

function rememberRejection(key: string, now: Date): void {
  if (rejected.size >= CACHE_LIMIT) {
    for (const [k, until] of rejected) if (until <= now.getTime()) rejected.delete(k);
    if (rejected.size >= CACHE_LIMIT) rejected.delete(rejected.keys().next().value as string);
  }
  rejected.set(key, now.getTime() + REJECTION_CACHE_MS);
}

/** For tests: forget every cached verification. */
export function clearIdTokenCache(): void {
  cache.clear();
  rejected.clear();
  checks.clear();
}

function looksLikeJwt(token: string): boolean {
  return typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

function strip(entry: LiffIdentity & { aud: string }): LiffIdentity {
  const { aud: _aud, ...identity } = entry;
  return identity;
}

function remember(key: string, identity: LiffIdentity & { aud: string }, now: Date): void {
  if (cache.size >= CACHE_LIMIT) {
    // Drop expired entries first; if still full, the oldest insertion goes (Map keeps insertion order).
    for (const [k, v] of cache) if (v.exp * 1000 <= now.getTime()) cache.delete(k);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, identity);
}

const authUnavailable = () => new AppError('auth_unavailable', 503, '暫時無法確認登入狀態，請稍後再試。');

async function callVerify(deps: LineLogin, idToken: string): Promise<IdTokenClaims & { aud: string }> {
  let claims: IdTokenClaims;
  try {
    claims = await deps.verify(idToken);
  } catch (err) {
    if (err instanceof LineLoginError && err.kind === 'rejected') throw invalidToken();
    throw authUnavailable();
  }
  if (typeof claims.aud !== 'string') throw invalidToken();
  return claims as IdTokenClaims & { aud: string };
}
