/**
 * TTL indexes: like mongod's TTL monitor, a periodic sweep (not an exact deadline) removes documents whose indexed
 * date is older than expireAfterSeconds. Arrays of dates expire on their earliest date.
 *
 * Like mongod, the sweep reads the TTL index itself: the entries from the lowest date up to the cutoff, so a pass
 * costs what is due, not the collection (a pass used to decode every document of every TTL-indexed collection each
 * minute: about a second of stalled event loop with 270k webhook events). Documents whose field is not a date have
 * no date entry and never expire; a partial TTL index sees only the documents it covers, as in MongoDB.
 *
 * A pass deletes at most `maxDeletes` documents and says whether more are due, so the monitor can go on in batches
 * on later turns of the event loop instead of blocking it for one big backlog (index.ts).
 */
import { Bound } from './index-data';
import type { Collection, Store } from './store';
import { canonicalKey, valuesAtPath } from './values';

export interface SweepResult {
  removed: number;
  /** Stopped at `maxDeletes` with expired documents left. */
  more: boolean;
}

export function sweepExpired(store: Store, now = Date.now(), maxDeletes = Infinity): SweepResult {
  let removed = 0;
  for (const db of store.dbs.values()) {
    for (const coll of db.collections.values()) {
      for (const idx of coll.indexes) {
        const ttl = idx.spec.expireAfterSeconds;
        if (typeof ttl !== 'number' || idx.fields.length !== 1) continue;
        const cutoff = new Date(now - ttl * 1000);
        // Collected first: removing documents changes the index being walked.
        const due = new Set<string>();
        if (idx.orderable) {
          for (const e of idx.ordered.range([Bound.typeMin('date')], [cutoff], true)) {
            if (removed + due.size >= maxDeletes) return { removed: removed + removeAll(coll, due), more: true };
            due.add(e.id);
          }
        } else {
          // Not an ordered index (a hashed or text key pattern): no date order to read, so every document is checked.
          for (const doc of coll.all()) {
            const dates = valuesAtPath(doc, idx.fields[0]).filter((v): v is Date => v instanceof Date);
            if (dates.some((d) => d.getTime() <= cutoff.getTime())) {
              if (removed + due.size >= maxDeletes) return { removed: removed + removeAll(coll, due), more: true };
              due.add(canonicalKey(doc._id));
            }
          }
        }
        removed += removeAll(coll, due);
      }
    }
  }
  return { removed, more: false };
}

/** Remove the documents under these _id keys that are still stored (another TTL index may have removed one). */
function removeAll(coll: Collection, keys: Set<string>): number {
  let n = 0;
  for (const key of keys) {
    const doc = coll.docs.get(key);
    if (!doc) continue;
    coll.remove(doc);
    n++;
  }
  return n;
}
