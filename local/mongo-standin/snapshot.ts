/**
 * The old persistence format: one EJSON file (canonical mode) rewritten in full after writes. Only read now, once,
 * to migrate an existing install into the journal (journal.ts); nothing writes it any more.
 */
import { existsSync, readFileSync } from 'node:fs';
import { EJSON, deserialize, serialize, type Document } from 'bson';
import { normalizeIndexSpec } from './indexes';
import type { Store } from './store';

const FORMAT = 'mongo-standin/1';

interface SnapshotFile {
  format: string;
  savedAt: Date;
  databases: Record<string, Record<string, { options: Document; indexes: Document[]; documents: Document[] }>>;
}

/**
 * EJSON.parse yields Int32/Double/BSONRegExp wrappers; a BSON round trip
 * gives documents exactly the shape they have when they arrive over the wire.
 */
const normalize = (d: Document): Document =>
  deserialize(serialize(d), { promoteValues: true, promoteLongs: true, promoteBuffers: false, bsonRegExp: false });

export function loadSnapshot(file: string, store: Store): number {
  if (!existsSync(file)) return 0;
  const parsed = EJSON.parse(readFileSync(file, 'utf8'), { relaxed: false }) as SnapshotFile;
  if (parsed.format !== FORMAT)
    throw new Error(`${file}: not a mongo-standin snapshot (format ${String(parsed.format)})`);
  let count = 0;
  for (const [dbName, colls] of Object.entries(parsed.databases)) {
    const db = store.db(dbName);
    for (const [name, data] of Object.entries(colls)) {
      const coll = db.getOrCreate(name, normalize(data.options ?? {}));
      for (const raw of data.indexes) {
        const spec = normalize(raw);
        if (spec.name !== '_id_') coll.createIndex(normalizeIndexSpec(spec));
      }
      for (const doc of data.documents) coll.insert(normalize(doc));
      count += data.documents.length;
    }
  }
  return count;
}
