/**
 * In-memory databases and collections.
 *
 * Stored documents are treated as immutable: every write builds a new object
 * and swaps it in. That lets reads (and open cursors) hand out references
 * without defensive copies, and guarantees that a write which fails half way
 * (e.g. on a unique index) never leaves a partially-modified document behind.
 */
import { ObjectId } from 'bson';
import { CommandError, Codes, badValue, duplicateKeyError } from './errors';
import { ID_INDEX, IndexState, sameIndex, type IndexKey, type IndexSpec } from './indexes';
import { canonicalKey, isPlainObject, type Doc } from './values';

export class Collection {
  /** _id key → document; Map iteration order doubles as natural (insertion) order. */
  readonly docs = new Map<string, Doc>();
  readonly indexes: IndexState[] = [new IndexState(ID_INDEX)];
  /** _id key → insertion sequence (natural order), the tie-breaker of ordered index keys. */
  readonly seqs = new Map<string, number>();
  private nextSeq = 0;

  constructor(
    readonly dbName: string,
    public name: string,
    readonly options: Doc = {},
  ) {}

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  all(): Doc[] {
    return [...this.docs.values()];
  }

  /** Insert a new document (ensuring it has an _id first). Throws E11000 on conflicts. */
  insert(input: Doc): Doc {
    const doc = withIdFirst(input);
    validateId(doc._id);
    const idKey = canonicalKey(doc._id);
    if (this.docs.has(idKey)) {
      throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    }
    const pending = this.checkUnique(doc, idKey);
    for (const [idx, keys] of pending) for (const k of keys) idx.entries!.set(k.key, idKey);
    this.docs.set(idKey, doc);
    const seq = this.nextSeq++;
    this.seqs.set(idKey, seq);
    for (const idx of this.indexes) idx.addKeys(doc, seq, idKey);
    return doc;
  }

  /** Swap a stored document for its new version (same _id). */
  replace(oldDoc: Doc, newDoc: Doc): void {
    const idKey = canonicalKey(oldDoc._id);
    if (canonicalKey(newDoc._id) !== idKey) {
      throw new CommandError(
        Codes.ImmutableField,
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    const pending = this.checkUnique(newDoc, idKey);
    this.unindex(oldDoc, idKey);
    for (const [idx, keys] of pending) for (const k of keys) idx.entries!.set(k.key, idKey);
    this.docs.set(idKey, newDoc);
    const seq = this.seqs.get(idKey)!;
    for (const idx of this.indexes) {
      idx.removeKeys(oldDoc, seq, idKey);
      idx.addKeys(newDoc, seq, idKey);
    }
  }

  remove(doc: Doc): void {
    const idKey = canonicalKey(doc._id);
    this.unindex(doc, idKey);
    this.docs.delete(idKey);
    const seq = this.seqs.get(idKey)!;
    this.seqs.delete(idKey);
    for (const idx of this.indexes) idx.removeKeys(doc, seq, idKey);
  }

  private unindex(doc: Doc, idKey: string): void {
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      for (const k of idx.keysFor(doc)) if (idx.entries.get(k.key) === idKey) idx.entries.delete(k.key);
    }
  }

  /** Compute every unique key for `doc`, throwing before anything is changed if one is taken. */
  private checkUnique(doc: Doc, idKey: string): Array<[IndexState, IndexKey[]]> {
    const out: Array<[IndexState, IndexKey[]]> = [];
    for (const idx of this.indexes) {
      if (!idx.entries) continue;
      const keys = idx.keysFor(doc);
      for (const k of keys) {
        const owner = idx.entries.get(k.key);
        if (owner !== undefined && owner !== idKey) {
          throw duplicateKeyError(this.ns, idx.name, idx.spec.key, k.values);
        }
      }
      out.push([idx, keys]);
    }
    return out;
  }

  findIndex(name: string): IndexState | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Returns false when an identical index already exists. */
  createIndex(spec: IndexSpec): boolean {
    const byName = this.findIndex(spec.name);
    if (byName) {
      if (sameIndex(byName.spec, spec)) return false;
      const code =
        canonicalKey(byName.spec.key) === canonicalKey(spec.key)
          ? Codes.IndexOptionsConflict
          : Codes.IndexKeySpecsConflict;
      throw new CommandError(
        code,
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
      );
    }
    const byKey = this.indexes.find(
      (i) =>
        canonicalKey(i.spec.key) === canonicalKey(spec.key) &&
        !i.spec.partialFilterExpression &&
        !spec.partialFilterExpression,
    );
    if (byKey) {
      throw new CommandError(Codes.IndexOptionsConflict, `Index already exists with a different name: ${byKey.name}`);
    }
    const idx = new IndexState(spec);
    if (idx.entries) {
      // Build first, so a duplicate in existing data leaves the collection untouched.
      for (const [idKey, doc] of this.docs) {
        for (const k of idx.keysFor(doc)) {
          const owner = idx.entries.get(k.key);
          if (owner !== undefined && owner !== idKey) throw duplicateKeyError(this.ns, spec.name, spec.key, k.values);
          idx.entries.set(k.key, idKey);
        }
      }
    }
    for (const [idKey, doc] of this.docs) idx.addKeys(doc, this.seqs.get(idKey)!, idKey);
    this.indexes.push(idx);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i < 0) throw new CommandError(Codes.IndexNotFound, `index not found with name [${name}]`);
    this.indexes.splice(i, 1);
  }

  /**
   * Narrow the documents a filter can match using the _id map and unique
   * indexes: top-level equality (or single-index `$in` on _id). Everything
   * else scans. The caller still applies the full filter.
   */
  candidates(filter: Doc | undefined): Doc[] {
    if (!filter) return this.all();
    const eq = new Map<string, unknown>();
    for (const [k, v] of Object.entries(filter)) {
      if (k.startsWith('$')) continue;
      if (isScalarEquality(v)) eq.set(k, v);
      else if (isPlainObject(v) && Object.keys(v).length === 1 && isScalarEquality(v.$eq)) eq.set(k, v.$eq);
    }
    if (eq.has('_id')) {
      const d = this.docs.get(canonicalKey(eq.get('_id')));
      return d ? [d] : [];
    }
    const idIn = filter._id?.$in;
    if (Array.isArray(idIn) && Object.keys(filter._id).length === 1 && idIn.every(isScalarEquality)) {
      const seen = new Set<string>();
      const out: Doc[] = [];
      for (const v of idIn) {
        const key = canonicalKey(v);
        const d = this.docs.get(key);
        if (d && !seen.has(key)) {
          out.push(d);
          seen.add(key);
        }
      }
      return out;
    }
    for (const idx of this.indexes) {
      const key = idx.lookupKey(eq);
      if (key === undefined) continue;
      const owner = idx.entries!.get(key);
      const d = owner === undefined ? undefined : this.docs.get(owner);
      return d ? [d] : [];
    }
    return this.all();
  }
}

/** Values whose equality match is exactly "index key equals" (no null/array/regex/object subtleties). */
function isScalarEquality(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return true;
  if (v instanceof Date) return true;
  const t = (v as any)?._bsontype;
  return t === 'ObjectId' || t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128' || t === 'Binary';
}

function validateId(id: unknown): void {
  if (Array.isArray(id)) throw badValue(`The '_id' value cannot be of type array`);
  if (id instanceof RegExp) throw badValue(`can't use a regex for _id`);
  if (id === undefined) throw badValue('_id is required');
}

/** MongoDB always stores _id as the first field; generate one when missing. */
export function withIdFirst(doc: Doc): Doc {
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}

  get(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  getOrCreate(name: string, options: Doc = {}): Collection {
    let c = this.collections.get(name);
    if (!c) {
      validateCollectionName(name);
      c = new Collection(this.name, name, options);
      this.collections.set(name, c);
    }
    return c;
  }
}

function validateCollectionName(name: string): void {
  if (typeof name !== 'string' || !name || name.includes('$') || name.includes('\0') || name.startsWith('system.')) {
    throw new CommandError(Codes.InvalidNamespace, `Invalid collection name: ${String(name)}`);
  }
}

export class Store {
  readonly dbs = new Map<string, Database>();
  /** Plan queries with indexes (planner.ts); false = scan everything except _id lookups. */
  planner = true;

  db(name: string): Database {
    let d = this.dbs.get(name);
    if (!d) {
      if (!name || /[/\\. "$\0]/.test(name))
        throw new CommandError(Codes.InvalidNamespace, `Invalid database name: '${name}'`);
      d = new Database(name);
      this.dbs.set(name, d);
    }
    return d;
  }

  /** Databases without collections don't exist on a real server either. */
  existingDb(name: string): Database | undefined {
    const d = this.dbs.get(name);
    return d && d.collections.size > 0 ? d : undefined;
  }
}
