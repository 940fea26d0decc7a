import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * mulberry32: tiny deterministic PRNG. Fault injection uses it so a test that sets `seed` sees the same
 * sequence of injected failures on every run.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** ULID-shaped id (26 chars, time-ordered prefix) like LINE's webhookEventId. */
export function ulid(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[rnd[i] % 32];
  return time + tail;
}

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const newUserId = (): string => 'U' + hex(16);
export const newReplyToken = (): string => hex(16);
export const newQuoteToken = (): string => randomBytes(24).toString('base64url');
export const newRichMenuId = (): string => 'richmenu-' + hex(16);
export const newRequestId = (): string => randomUUID();

let messageSeq = 0;
/** LINE message ids are 18-digit numeric strings; a counter keeps them unique within the process. */
export function newMessageId(): string {
  messageSeq = (messageSeq + 1) % 100000;
  return `${Date.now()}${String(messageSeq).padStart(5, '0')}`;
}

/** The bot's own user id (webhook `destination`), derived from the secret so it is stable across restarts. */
export function botUserIdFor(channelSecret: string): string {
  return (
    'U' +
    createHash('md5')
      .update('huigo-emulator-bot:' + channelSecret)
      .digest('hex')
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_RE.test(s);
export const newMarkAsReadToken = (): string => randomBytes(18).toString('base64url');
