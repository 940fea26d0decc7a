/**
 * Persistence as one EJSON file (canonical mode, so every BSON type
 * survives). Written atomically (tmp file + rename) after writes, debounced,
 * and on close.
 */
import { promises as fsp, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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

function dump(store: Store): string {
  const out: SnapshotFile = { format: FORMAT, savedAt: new Date(), databases: {} };
  for (const [dbName, db] of store.dbs) {
    if (db.collections.size === 0) continue;
    const colls: SnapshotFile['databases'][string] = {};
    for (const [name, c] of db.collections) {
      colls[name] = { options: c.options, indexes: c.indexes.map((i) => i.spec), documents: c.all() };
    }
    out.databases[dbName] = colls;
  }
  return EJSON.stringify(out, { relaxed: false });
}

export class Snapshotter {
  private timer?: NodeJS.Timeout;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly store: Store,
    private readonly log: (msg: string) => void,
    private readonly debounceMs = 1000,
  ) {}

  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((err) => this.log(`snapshot save failed: ${String(err)}`));
    }, this.debounceMs);
    // A pending save must not keep the process alive; close() flushes explicitly.
    this.timer.unref();
  }

  /** Save now if anything changed (or if forced). Serializes synchronously so the snapshot is consistent. */
  flush(force = false): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty && !force) return this.writing;
    this.dirty = false;
    const text = dump(this.store);
    // A failed earlier save must not poison later ones.
    this.writing = this.writing.catch(() => undefined).then(() => this.write(text));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, this.file);
  }
}
