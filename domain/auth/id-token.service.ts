import { createHash } from 'node:crypto';
import { AppError, unauthorized } from '../shared/errors';
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

const MAX_TOKEN_LENGTH = 4096;
const CACHE_LIMIT = 5000;

/** token hash → identity. A verified token is reused until its own `exp`, saving a LINE round trip per request. */
const cache = new Map<string, LiffIdentity & { aud: string }>();

const invalidToken = () => unauthorized('登入資訊已失效，請重新開啟會員卡。', 'invalid_token');

/**
 * Verifies a LIFF ID token with LINE Login (the LineLogin port; audience = the LIFF channel id; the emulator in
 * local mode). Expired, forged or foreign-channel tokens → 401 `invalid_token`; LINE unreachable → 503.
 * Verified tokens are cached until `exp`. Tokens are never logged.
 */
export async function verifyLiffIdToken(deps: LineLogin, idToken: string, now: Date): Promise<LiffIdentity> {
  if (!looksLikeJwt(idToken)) throw invalidToken();
  const audience = deps.channelId;
  const cacheKey = `${deps.origin}|${audience}|${createHash('sha256').update(idToken).digest('base64url')}`;
  const cached = cache.get(cacheKey);
  if (cached) {
    if (cached.exp * 1000 > now.getTime() && cached.aud === audience) return strip(cached);
    cache.delete(cacheKey);
  }
  const claims = await callVerify(deps, idToken);
  // Defence in depth: do not rely on the remote check alone for audience and expiry.
  if (claims.aud !== audience || typeof claims.sub !== 'string' || !claims.sub) throw invalidToken();
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) throw invalidToken();
  const identity = {
    sub: claims.sub, exp: claims.exp, aud: claims.aud,
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.picture === 'string' ? { picture: claims.picture } : {}),
  };
  remember(cacheKey, identity, now);
  return strip(identity);
}

/** For tests: forget every cached verification. */
export function clearIdTokenCache(): void {
  cache.clear();
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
