import { createHash } from 'node:crypto';

/**
 * LINE's X-Line-Retry-Key must be a UUID. Deriving it from our own idempotency key (name-based, v5-style)
 * means every retry of the same logical send, from any instance, carries the same key, so LINE delivers once.
 */
export function retryKeyFor(idempotencyKey: string): string {
  const h = createHash('sha256').update(`huigo:${idempotencyKey}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
