import { z } from 'zod';

/**
 * The two id formats that arrive from outside: MongoDB ObjectIds (24 hex characters, as the console, the card and
 * POS systems send them) and LINE user ids (`U` + 32 lowercase hex characters). Browser-safe: imports only zod.
 */

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/i;
export const LINE_USER_ID_PATTERN = /^U[0-9a-f]{32}$/;

const OBJECT_ID_MESSAGE = '編號格式不正確';
const LINE_USER_ID_MESSAGE = 'LINE userId 應為 U 開頭加 32 個十六進位字元';

/** Checked before a lookup, so a malformed id reads as "not found" instead of a database cast error. */
export function isObjectId(s: unknown): s is string {
  return typeof s === 'string' && OBJECT_ID_PATTERN.test(s);
}

/** Anything else is not a LINE user (a group, a forged or a test body). */
export function isLineUserId(s: unknown): s is string {
  return typeof s === 'string' && LINE_USER_ID_PATTERN.test(s);
}

/** An ObjectId string; `message` names the thing when the generic wording would leave the reader guessing. */
export function objectIdSchema(message: string = OBJECT_ID_MESSAGE) {
  return z.string().regex(OBJECT_ID_PATTERN, message);
}

export const lineUserIdSchema = z.string().regex(LINE_USER_ID_PATTERN, LINE_USER_ID_MESSAGE);
