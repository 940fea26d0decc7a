import { Types } from 'mongoose';
import { badRequest } from './errors';

/*
 * Exact paging by time (#11.5). Lists newest first are ordered by `(at, _id)` descending, which is a total order
 * even when many entries share one `at` (a CSV import, a campaign fan-out). A page ends at an entry; the next
 * page starts strictly after that `(at, _id)` pair, so an entry sharing the boundary timestamp is neither skipped
 * (as `at < before` did) nor repeated (as `at <= before` would). The cursor travels as an opaque string.
 */

export interface TimeCursor {
  at: Date;
  id: Types.ObjectId;
}

/** The longest cursor we ever hand out (13 digits, '.', 24 hex, base64url): anything longer is not ours. */
export const MAX_CURSOR_LENGTH = 64;

/** The cursor of the page after the one that ended at `last`. */
export function encodeTimeCursor(last: { at: Date; _id: unknown }): string {
  return Buffer.from(`${last.at.getTime()}.${String(last._id)}`, 'utf8').toString('base64url');
}

const invalidCursor = () =>
  badRequest('invalid_cursor', '分頁位置無效，請重新整理頁面後再試一次。', {
    fields: [{ path: 'cursor', message: '分頁位置無效' }],
  });

/** Reads a cursor handed out by encodeTimeCursor; anything else → 400 `invalid_cursor` (zh-TW). */
export function decodeTimeCursor(cursor: string): TimeCursor {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  const m = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalidCursor();
  const at = new Date(Number(m[1]));
  if (Number.isNaN(at.getTime())) throw invalidCursor();
  return { at, id: new Types.ObjectId(m[2]) };
}

/** The filter for entries strictly after `cursor` in `(at, _id)` descending order. */
export function afterCursorFilter(cursor: TimeCursor): Record<string, unknown> {
  return { $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] };
}

/** The sort that goes with afterCursorFilter (served by an index on `{ …equality, at: -1 }` plus `_id`). */
export const NEWEST_FIRST = { at: -1, _id: -1 } as const;

/**
 * A page from `limit + 1` rows fetched in NEWEST_FIRST order: the first `limit` rows and the cursor of the next
 * page (null when there is none, i.e. no extra row came back).
 */
export function pageOf<T extends { at: Date; _id: unknown }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeTimeCursor(items[items.length - 1]) : null };
}
