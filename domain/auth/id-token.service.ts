import { createHash } from 'node:crypto';
import type { AppConfig } from '../../server/config';
import { AppError, unauthorized } from '../shared/errors';
import { moduleLogger } from '../shared/logger';

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
const VERIFY_TIMEOUT_MS = 5000;

/** token hash → identity. A verified token is reused until its own `exp`, saving a LINE round trip per request. */
const cache = new Map<string, LiffIdentity & { aud: string }>();

const invalidToken = () => unauthorized('登入資訊已失效，請重新開啟會員卡。', 'invalid_token');

/**
 * Verifies a LIFF ID token with LINE Login (`POST /oauth2/v2.1/verify`, audience = the LIFF channel id; the
 * emulator in local mode). Expired, forged or foreign-channel tokens → 401 `invalid_token`; LINE unreachable → 503.
 * Verified tokens are cached until `exp`. Tokens are never logged.
 */
export async function verifyLiffIdToken(config: AppConfig, idToken: string, now: Date): Promise<LiffIdentity> {
  if (!looksLikeJwt(idToken)) throw invalidToken();
  const audience = config.line.liffChannelId;
  const cacheKey = `${config.line.loginBaseURL}|${audience}|${createHash('sha256').update(idToken).digest('base64url')}`;
  const cached = cache.get(cacheKey);
  if (cached) {
    if (cached.exp * 1000 > now.getTime() && cached.aud === audience) return strip(cached);
    cache.delete(cacheKey);
  }
  const claims = await callVerify(config.line.loginBaseURL, idToken, audience);
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

interface VerifyClaims { sub?: unknown; aud?: unknown; exp?: unknown; name?: unknown; picture?: unknown }

async function callVerify(baseURL: string, idToken: string, clientId: string): Promise<VerifyClaims & { aud: string }> {
  let res: Response;
  try {
    res = await fetch(`${baseURL.replace(/\/$/, '')}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token: idToken, client_id: clientId }).toString(),
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'LINE Login verify unreachable');
    throw new AppError('auth_unavailable', 503, '暫時無法確認登入狀態，請稍後再試。');
  }
  // LINE answers 400 for invalid/expired/wrong-audience tokens; anything else unexpected is an outage, not the user's fault.
  if (res.status === 400 || res.status === 401) {
    const body = (await res.json().catch(() => ({}))) as { error_description?: string };
    log.info({ reason: body.error_description }, 'ID token rejected');
    throw invalidToken();
  }
  if (!res.ok) {
    log.warn({ status: res.status }, 'LINE Login verify failed');
    throw new AppError('auth_unavailable', 503, '暫時無法確認登入狀態，請稍後再試。');
  }
  const claims = (await res.json()) as VerifyClaims;
  if (typeof claims.aud !== 'string') throw invalidToken();
  return claims as VerifyClaims & { aud: string };
}
