/**
 * TTL indexes: like mongod's TTL monitor, a periodic sweep (not an exact
 * deadline) removes documents whose indexed date is older than
 * expireAfterSeconds. Arrays of dates expire on their earliest date.
 */
import type { Store } from './store';
import { canonicalKey, valuesAtPath } from './values';

export function sweepExpired(store: Store, now = Date.now()): number {
  let removed = 0;
  for (const db of store.dbs.values()) {
    for (const coll of db.collections.values()) {
      for (const idx of coll.indexes) {
        const ttl = idx.spec.expireAfterSeconds;
        if (typeof ttl !== 'number' || idx.fields.length !== 1) continue;
        const cutoff = now - ttl * 1000;
        for (const doc of coll.all()) {
          const dates = valuesAtPath(doc, idx.fields[0]).filter((v): v is Date => v instanceof Date);
          // coll.all() is a snapshot; a document may already be gone via another TTL index.
          if (
            dates.length &&
            Math.min(...dates.map((d) => d.getTime())) <= cutoff &&
            coll.docs.has(canonicalKey(doc._id))
          ) {
            coll.remove(doc);
            removed++;
          }
        }
      }
    }
  }
  return removed;
}
