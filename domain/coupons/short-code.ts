import { randomInt } from 'node:crypto';

/**
 * Codes people read aloud, type at a counter or copy from a chat: upper-case letters and digits without the
 * look-alikes 0/O and 1/I. Used for coupon codes and referral codes.
 */
export const SHORT_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A random code of `length` characters from the unambiguous alphabet (crypto-random). */
export function generateShortCode(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return out;
}

/**
 * What a person typed, as a code: trimmed, upper-cased, spaces and dashes removed. Returns null when it contains a
 * character the alphabet never uses (so "0" or "I" is reported as a typo rather than searched for).
 */
export function normalizeShortCode(input: string): string | null {
  const code = input
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  if (!code || code.length > 32) return null;
  for (const ch of code) if (!SHORT_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** `ABCD2345` → `ABCD-2345` for display (codes of 8 or more characters). */
export function formatShortCode(code: string): string {
  return code.length >= 8 ? code.replace(/(.{4})(?=.)/g, '$1-') : code;
}
