import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The short-lived link that opens a member's data export. LINE's in-app browser on iOS may not save a blob download,
 * so the card asks for a link and opens it like any page (`liff.openWindow` or a plain link). The link carries no
 * login: it is an HMAC over (member, expiry) with a key the server derives from its secret, good for one member
 * and a few minutes; anyone holding it in that time sees the export, so it is never logged or sent anywhere.
 */
export const DATA_LINK_TTL_MS = 5 * 60_000;
const PURPOSE = 'huigo member data export link v1';

export interface DataLink {
  token: string;
  expiresAt: Date;
}

/** A key for these links only, so a token never doubles as a session or a tracked-link signature. */
export function dataLinkKey(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update(PURPOSE).digest();
}

export function signDataLink(memberId: string, now: Date, key: Buffer): DataLink {
  const exp = Math.floor((now.getTime() + DATA_LINK_TTL_MS) / 1000);
  return { token: `${memberId}.${exp}.${mac(memberId, exp, key)}`, expiresAt: new Date(exp * 1000) };
}

/** The member a valid, unexpired token was made for; null for anything else (forged, altered, expired, malformed). */
export function verifyDataLink(token: unknown, now: Date, key: Buffer): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const m = /^([0-9a-f]{24})\.(\d{1,12})\.([\w-]{43})$/.exec(token);
  if (!m) return null;
  const [, memberId, expText, sig] = m;
  const exp = Number(expText);
  const expected = Buffer.from(mac(memberId, exp, key));
  if (!timingSafeEqual(Buffer.from(sig), expected)) return null;
  return exp * 1000 > now.getTime() ? memberId : null;
}

function mac(memberId: string, exp: number, key: Buffer): string {
  return createHmac('sha256', key).update(`${memberId}.${exp}`).digest('base64url');
}
