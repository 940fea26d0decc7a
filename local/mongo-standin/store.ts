/**
 * In-memory databases and collections.
 *
 * Documents are kept as BSON bytes (see doc-heap.ts) and decoded into a fresh copy on every read, so reads and
 * open cursors never share objects with stored state, and a write which fails half way (e.g. on a unique index)
 * never leaves a partially-modified document behind: a write serialises the new version first, checks every
 * constraint, and only then swaps the bytes in.
 *
 * Every committed change is reported to the store's `ChangeSink` (the journal, when persistence is on) after it
 * succeeded, in the order it happened, so the journal never needs to know about commands.
 */
import { ObjectId, calculateObjectSize, deserialize, serialize } from 'bson';
import { FieldPicker } from './bson-fields';
import {
  CommandError,
  Codes,
  MAX_USER_DOC_BYTES,
  badValue,
  documentTooLarge,
  duplicateKeyError,
  type DocumentOrigin,
} from './errors';
import { DECODE, DocHeap } from './doc-heap';
import type { SlabFile } from './slab-file';
import type { CollectionImage } from './index-image';
import { ID_INDEX, IndexState, sameIndex, type IndexSpec } from './indexes';
import { canonicalKey, type Doc } from './values';

/** What the journal hears: committed changes only, already validated. */
export interface ChangeSink {
  put(db: string, coll: string, key: string, bson: Uint8Array): void;
  delete(db: string, coll: string, key: string): void;
  createCollection(db: string, coll: string, options: Doc): void;
  dropCollection(db: string, coll: string): void;
  dropDatabase(db: string): void;
  createIndex(db: string, coll: string, spec: IndexSpec): void;
  dropIndex(db: string, coll: string, name: string): void;
  renameCollection(db: string, from: string, to: string): void;
}

/** Shared by a store and everything in it, so the sink can be attached after loading. */
interface SinkHolder {
  sink?: ChangeSink;
  /** Where full slabs of document bytes go (persistent stand-ins); undefined keeps them in memory. */
  slabFile?: SlabFile;
}

/** Stored like replies are sent: undefined fields are dropped, keys are not checked. */
const STORE_BSON = { ignoreUndefined: true, checkKeys: false } as const;

/** Serialise a document for storage, refusing what MongoDB refuses (documents over 16 MiB). */
export function encodeDocument(doc: Doc, origin: DocumentOrigin): Uint8Array {
  // One pass: bson serializes into its own 17 MB buffer (MAXSIZE), so anything at or over the limit comes out at
  // least that long (what does not fit is cut off, never wrapped around); only then is the exact size counted.
  const bson = serialize(doc, STORE_BSON);
  if (bson.length >= MAX_USER_DOC_BYTES) {
    const size = calculateObjectSize(doc, STORE_BSON);
    if (size > MAX_USER_DOC_BYTES) throw documentTooLarge(origin, size);
  }
  return bson;
}

export class Collection {
  /** _id key → BSON bytes, decoded per read; iteration order doubles as natural (insertion) order. */
  readonly docs = new DocHeap();
  readonly indexes: IndexState[] = [new IndexState(ID_INDEX, this.docs)];
  /** _id key → insertion sequence (natural order), the tie-breaker of ordered index keys; kept by the heap. */
  readonly seqs = {
    get: (idKey: string): number | undefined => this.docs.seq(idKey),
    set: (idKey: string, seq: number): void => this.docs.setSeq(idKey, seq),
  };
  private nextSeq = 0;
  /** Between the first `load()` and `finishLoad()`: documents are stored, indexes not yet built. */
  private loading = false;
  /** Picks the indexed fields out of stored bytes (null: decode whole documents); reset when indexes change. */
  private picker?: FieldPicker | null;

  constructor(
    readonly dbName: string,
    public name: string,
    readonly options: Doc = {},
    private readonly holder: SinkHolder = {},
  ) {
    if (holder.slabFile) this.docs.spillTo(holder.slabFile);
  }

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  /** Decoded copies of every document, in natural order. */
  all(): Doc[] {
    return [...this.docs.values()];
  }

  /** Total BSON size of the stored documents. */
  get dataSize(): number {
    return this.docs.bytes;
  }

  /** Insert a new document (ensuring it has an _id first). Throws E11000 on conflicts, 16 MiB refusals first. */
  insert(input: Doc, origin: DocumentOrigin = 'insert'): Doc {
    const doc = withIdFirst(input);
    validateId(doc._id);
    const bson = encodeDocument(doc, origin);
    const idKey = canonicalKey(doc._id);
    if (this.docs.has(idKey)) {
      throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    }
    this.checkUnique(doc, idKey);
    this.docs.set(idKey, bson);
    this.holder.sink?.put(this.dbName, this.name, idKey, bson);
    // Index chunks keep sequences as int32 (index-data.ts): 2^31 inserts in one run of the process.
    if (this.nextSeq > 0x7fffffff)
      throw new CommandError(Codes.NotImplemented, 'mongo-standin does not support more than 2^31 inserts in one run');
    const seq = this.nextSeq++;
    this.seqs.set(idKey, seq);
    for (const idx of this.indexes) idx.addKeys(doc, seq, idKey);
    return doc;
  }

  /**
   * Swap a stored document for its new version (same _id). Returns false, changing nothing, when the new version's
   * BSON is byte-for-byte the stored one (an update that modifies nothing: `nModified` does not count it).
   */
  replace(oldDoc: Doc, newDoc: Doc): boolean {
    const idKey = canonicalKey(oldDoc._id);
    if (canonicalKey(newDoc._id) !== idKey) {
      throw new CommandError(
        Codes.ImmutableField,
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    const bson = encodeDocument(newDoc, 'update');
    if (this.docs.sameBytes(idKey, bson)) return false;
    for (const idx of this.indexes) idx.checkUniqueChange(oldDoc, newDoc, idKey, this.ns);
    this.docs.set(idKey, bson);
    this.holder.sink?.put(this.dbName, this.name, idKey, bson);
    const seq = this.seqs.get(idKey)!;
    for (const idx of this.indexes) idx.updateKeys(oldDoc, newDoc, seq, idKey);
    return true;
  }

  remove(doc: Doc): void {
    const idKey = canonicalKey(doc._id);
    const seq = this.seqs.get(idKey)!;
    this.docs.delete(idKey);
    for (const idx of this.indexes) idx.removeKeys(doc, seq, idKey);
    this.holder.sink?.delete(this.dbName, this.name, idKey);
  }

  /**
   * Opening the data (snapshot, then journal replay): store `bson` under `idKey`, as an insert or a replacement,
   * bytes only. No index work happens until `finishLoad()`, which builds every index once from the final documents
   * (one sort per index instead of one sorted insert per key, and nothing done twice for a document the journal
   * rewrote). The files hold only committed, validated changes, so nothing is re-checked here.
   */
  load(idKey: string, bson: Uint8Array): void {
    this.loading = true;
    if (this.docs.put(idKey, bson, this.nextSeq)) this.nextSeq++;
  }

  /**
   * Opening the data, after the indexes were adopted from an image (index-image.ts): a journal record written after
   * the image becomes the stored version with its index entries maintained, the way the write that journalled it
   * maintained them (an insert takes the next insertion sequence, a replacement keeps its own). Nothing is checked
   * again: the journal holds only committed, validated changes.
   */
  reapply(idKey: string, bson: Uint8Array): void {
    if (this.loading) return this.load(idKey, bson);
    const read = (b: Uint8Array) => this.keysDoc(b);
    const old = this.docs.getWith(idKey, read);
    const keys = read(bson);
    this.docs.set(idKey, bson);
    if (!old) {
      const seq = this.nextSeq++;
      this.seqs.set(idKey, seq);
      for (const idx of this.indexes) idx.addKeys(keys, seq, idKey);
      return;
    }
    const seq = this.seqs.get(idKey)!;
    for (const idx of this.indexes) idx.updateKeys(old, keys, seq, idKey);
  }

  /** Opening the data: a delete replayed before `finishLoad()`. */
  private unload(idKey: string): void {
    this.docs.delete(idKey);
  }

  /**
   * After the last `load()`, instead of `finishLoad()`: take the indexes from an image written at the last clean close
   * (index-image.ts). False, changing nothing, when the image does not fit this collection (other documents or
   * indexes); then `finishLoad()` builds them.
   */
  adoptImage(image: CollectionImage): boolean {
    if (image.documents !== this.docs.size || image.layout !== this.docs.layoutHash()) return false;
    if (image.indexes.length !== this.indexes.length) return false;
    if (image.indexes.some((ix, i) => ix.name !== this.indexes[i].name)) return false;
    const slots = this.docs.slotsInOrder();
    // Ordinals become slots in place (the image is this call's to keep or throw away).
    for (const ix of image.indexes)
      for (const c of ix.chunks)
        for (let i = 0; i < c.n; i++) {
          const o = c.ids[i];
          if (!(o >= 0 && o < slots.length)) return false;
          c.ids[i] = slots[o];
        }
    try {
      this.indexes.forEach((idx, i) => {
        const ix = image.indexes[i];
        idx.clearKeys();
        idx.ordered.importChunks(ix.chunks, ix.counts, (slot) => this.docs.seqAt(slot));
        for (const [key, id] of ix.others) idx.otherKeys?.set(key, id);
      });
    } catch {
      // A chunk that does not fit its index: finishLoad() clears and builds them all.
      return false;
    }
    this.loading = false;
    return true;
  }

  /** After the last `load()`: build every index from the stored documents, decoding only the indexed fields. */
  finishLoad(): void {
    if (!this.loading) return;
    this.loading = false;
    for (const idx of this.indexes) idx.clearKeys();
    for (const [idKey, bson] of this.docs.rawEntries()) {
      const keys = this.keysDoc(bson);
      const slot = this.docs.slotOf(idKey)!;
      const seq = this.seqs.get(idKey)!;
      for (const idx of this.indexes) idx.stageKeys(keys, seq, idKey, slot);
    }
    for (const idx of this.indexes) idx.ordered.build();
  }

  /**
   * What index maintenance needs of a stored document: its indexed top-level fields only (bson-fields.ts), or the
   * whole document when the indexes cannot say which fields they read or the bytes cannot be walked.
   */
  keysDoc(bson: Uint8Array): Doc {
    if (this.picker === undefined) {
      const fields: string[] = [];
      let known = true;
      for (const idx of this.indexes) {
        const f = idx.topLevelFields();
        if (!f) known = false;
        else fields.push(...f);
      }
      this.picker = known ? new FieldPicker(fields) : null;
    }
    return this.picker?.pick(bson) ?? deserialize(bson, DECODE);
  }

  /** Replay of a delete. */
  forget(idKey: string): void {
    if (this.loading) return this.unload(idKey);
    const old = this.docs.get(idKey);
    if (old) this.remove(old);
  }

  /** Throw E11000 before anything is changed if one of `doc`'s unique keys is taken by another document. */
  private checkUnique(doc: Doc, idKey: string): void {
    for (const idx of this.indexes) idx.checkUnique(doc, idKey, this.ns);
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
    const idx = new IndexState(spec, this.docs);
    if (this.loading) {
      // Opening the data: built with the others by finishLoad().
      this.indexes.push(idx);
      this.picker = undefined;
      return true;
    }
    // Built before it joins the collection, so a duplicate in existing data leaves the collection untouched.
    for (const [idKey, doc] of this.docs) {
      idx.checkUnique(doc, idKey, this.ns);
      idx.addKeys(doc, this.seqs.get(idKey)!, idKey);
    }
    this.indexes.push(idx);
    this.picker = undefined;
    this.holder.sink?.createIndex(this.dbName, this.name, spec);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i < 0) throw new CommandError(Codes.IndexNotFound, `index not found with name [${name}]`);
    this.indexes.splice(i, 1);
    this.picker = undefined;
    this.holder.sink?.dropIndex(this.dbName, this.name, name);
  }
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
  constructor(
    readonly name: string,
    private readonly holder: SinkHolder = {},
  ) {}

  get(name: string): Collection | undefined {
    return this.collections.get(name);
  }

  getOrCreate(name: string, options: Doc = {}): Collection {
    let c = this.collections.get(name);
    if (!c) {
      validateCollectionName(name);
      c = new Collection(this.name, name, options, this.holder);
      this.collections.set(name, c);
      this.holder.sink?.createCollection(this.name, name, options);
    }
    return c;
  }

  drop(name: string): Collection | undefined {
    const c = this.collections.get(name);
    if (!c) return undefined;
    this.collections.delete(name);
    this.holder.sink?.dropCollection(this.name, name);
    c.docs.clear(); // gives its slab file pages back
    return c;
  }

  /** Same-database rename; the caller has checked the source exists and dropped (or refused) the target. */
  rename(from: string, to: string): void {
    const c = this.collections.get(from);
    if (!c) throw new CommandError(Codes.NamespaceNotFound, 'Source collection does not exist');
    validateCollectionName(to);
    this.collections.delete(from);
    c.name = to;
    this.collections.set(to, c);
    this.holder.sink?.renameCollection(this.name, from, to);
  }
}

function validateCollectionName(name: string): void {
  if (typeof name !== 'string' || !name || name.includes('$') || name.includes('\0') || name.startsWith('system.')) {
    throw new CommandError(Codes.InvalidNamespace, `Invalid collection name: ${String(name)}`);
  }
}

export class Store {
  readonly dbs = new Map<string, Database>();
  private readonly holder: SinkHolder = {};
  /** Plan queries with indexes (planner.ts); false = scan everything except _id lookups. */
  planner = true;

  /** Keep full slabs of document bytes in `file` from now on, for every collection (see doc-heap.ts). */
  set slabFile(file: SlabFile) {
    this.holder.slabFile = file;
    for (const d of this.dbs.values()) for (const c of d.collections.values()) c.docs.spillTo(file);
  }

  /** Where committed changes go from now on (undefined: nowhere, e.g. while replaying the journal). */
  set sink(sink: ChangeSink | undefined) {
    this.holder.sink = sink;
  }

  db(name: string): Database {
    let d = this.dbs.get(name);
    if (!d) {
      if (!name || /[/\\. "$\0]/.test(name))
        throw new CommandError(Codes.InvalidNamespace, `Invalid database name: '${name}'`);
      d = new Database(name, this.holder);
      this.dbs.set(name, d);
    }
    return d;
  }

  dropDatabase(name: string): void {
    const d = this.dbs.get(name);
    if (!d || !this.dbs.delete(name)) return;
    this.holder.sink?.dropDatabase(name);
    for (const c of d.collections.values()) c.docs.clear(); // gives its slab file pages back
  }

  /** Databases without collections don't exist on a real server either. */
  existingDb(name: string): Database | undefined {
    const d = this.dbs.get(name);
    return d && d.collections.size > 0 ? d : undefined;
  }
}
