import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { EmuContext } from './context';

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nonce?: string;
  amr: string[];
  name: string;
  picture?: string;
}

export interface IssueIdTokenOptions {
  channelId?: string;
  ttlSeconds?: number;
  nonce?: string;
}

const ISSUER = 'https://access.line.me';
const b64url = (s: Buffer | string): string => Buffer.from(s).toString('base64url');

function sign(payload: object, secret: Buffer): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' })) + '.' + b64url(JSON.stringify(payload));
  return head + '.' + createHmac('sha256', secret).update(head).digest('base64url');
}

/** Returns the claims when the signature is ours, else null. */
function decodeVerified(token: string, secret: Buffer): IdTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret)
    .update(parts[0] + '.' + parts[1])
    .digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'HS256') return null;
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as IdTokenClaims;
  } catch {
    return null;
  }
}

/** Issues an ID token for an emulated user, as LINE Login would hand to a LIFF app. */
export function issueIdToken(
  ctx: EmuContext,
  userId: string,
  opts: IssueIdTokenOptions = {},
): { idToken: string; exp: number } {
  const user = ctx.store.users.get(userId);
  if (!user) throw new Error(`unknown user ${userId}`);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + (opts.ttlSeconds ?? 3600);
  const claims: IdTokenClaims = {
    iss: ISSUER,
    sub: userId,
    aud: opts.channelId ?? ctx.liffChannelId,
    exp,
    iat,
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
    amr: ['linesso'],
    name: user.displayName,
    ...(user.pictureUrl ? { picture: user.pictureUrl } : {}),
  };
  return { idToken: sign(claims, ctx.idTokenSecret), exp };
}

type VerifyResult = { ok: true; claims: IdTokenClaims } | { ok: false; description: string };

export function verifyIdToken(
  ctx: EmuContext,
  input: { idToken?: string; clientId?: string; nonce?: string; userId?: string },
): VerifyResult {
  const claims = input.idToken ? decodeVerified(input.idToken, ctx.idTokenSecret) : null;
  if (!claims || claims.iss !== ISSUER) return { ok: false, description: 'Invalid IdToken.' };
  if (claims.exp * 1000 <= Date.now()) return { ok: false, description: 'IdToken expired.' };
  if (claims.aud !== input.clientId) return { ok: false, description: 'Invalid IdToken Audience.' };
  if (input.nonce !== undefined && claims.nonce !== input.nonce)
    return { ok: false, description: 'Invalid IdToken Nonce.' };
  if (input.userId !== undefined && claims.sub !== input.userId) {
    return { ok: false, description: 'Invalid IdToken Subject Identifier.' };
  }
  return { ok: true, claims };
}

/**
 * LINE Login `POST /oauth2/v2.1/verify` for ID tokens. LINE documents only `application/x-www-form-urlencoded`
 * (`id_token`, `client_id`, optional `nonce`, `user_id`); a JSON body is not parsed, so its fields are missing and
 * the request is refused with 400 `invalid_request`, as for any request without the required parameters.
 */
export function oauthRouter(ctx: EmuContext): Router {
  const r = Router();
  r.post('/oauth2/v2.1/verify', express.urlencoded({ extended: false }), (req, res) => {
    const b = (req.is('application/x-www-form-urlencoded') ? (req.body ?? {}) : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.length ? v : undefined);
    if (!str(b.id_token) || !str(b.client_id)) {
      res.status(400).json({
        error: 'invalid_request',
        error_description: !str(b.id_token) ? 'id_token is required' : 'client_id is required',
      });
      return;
    }
    const result = verifyIdToken(ctx, {
      idToken: str(b.id_token),
      clientId: str(b.client_id),
      nonce: str(b.nonce),
      userId: str(b.user_id),
    });
    if (!result.ok) res.status(400).json({ error: 'invalid_request', error_description: result.description });
    else res.json(result.claims);
  });
  return r;
}
