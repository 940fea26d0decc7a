/**
 * The ordered keys of one index: every document contributes one entry per
 * key (multikey: one per array element), kept sorted by the index's key
 * pattern, ties broken by the document's insertion sequence (natural order).
 *
 * Ordering: values are compared the way the query engine (mingo) compares
 * them, which is MongoDB's BSON order within a type (numbers numerically,
 * strings by code unit, dates by time, ObjectIds by bytes, booleans false <
 * true) and a fixed type-bracket order across types (missing < null <
 * numbers < strings < objects < arrays < binary < booleans < dates < regexes,
 * then other BSON types by name). Using the engine's own order is what makes
 * an index-served sort or range give exactly the answer a scan gives.
 *
 * Storage: a list of sorted chunks (at most CHUNK entries each), so an insert
 * or delete costs a binary search plus a splice in one small array, and a
 * range scan is a seek plus a walk.
 */
import { ObjectId } from 'bson';
import type * as MingoUtil from 'mingo/types/util';
import type { Doc } from './values';

// Resolved through mingo's package "exports" at run time (see engine.ts for why the types point at .d.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compare: mingoCompare, typeOf } = require('mingo/util') as typeof MingoUtil;
/** A probe value below/above every value (or every value of one type) in comparisons. */
export class Bound {
  private constructor(
    readonly side: -1 | 1,
    readonly type?: string,
  ) {}
  static readonly MIN = new Bound(-1);
  static readonly MAX = new Bound(1);
  static typeMin(type: string): Bound {
    return new Bound(-1, type);
  }
  static typeMax(type: string): Bound {
    return new Bound(1, type);
  }
}

const RANK: Record<string, number> = {
  undefined: 1,
  null: 2,
  number: 3,
  string: 4,
  symbol: 5,
  object: 6,
  array: 7,
  arraybuffer: 8,
  boolean: 9,
  date: 10,
  regexp: 11,
  function: 12,
};
const rank = (t: string) => RANK[t] ?? Number.MAX_SAFE_INTEGER;

/** Type bracket order: by rank, then (for BSON classes mingo doesn't rank) by type name. */
function cmpTypes(a: string, b: string): number {
  if (a === b) return 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a < b ? -1 : 1;
}

export const valueType = (v: unknown): string => typeOf(v);

/** Total order over index key values (and Bound probes). */
export function cmpValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // Fast paths for the common same-type keys, giving exactly what mingo's compare gives.
  const t = typeof a;
  if (t === typeof b) {
    if (t === 'string' || t === 'number' || t === 'boolean')
      return (a as any) < (b as any) ? -1 : (a as any) > (b as any) ? 1 : 0;
    if (t === 'object' && a !== null && b !== null) {
      if (a instanceof Date && b instanceof Date) {
        const x = a.getTime();
        const y = b.getTime();
        return x < y ? -1 : x > y ? 1 : 0;
      }
      if ((a as any)._bsontype === 'ObjectId' && (a as any).constructor === (b as any).constructor)
        return cmpObjectId(a, b);
    }
  }
  if (a instanceof Bound) return cmpBound(a, b);
  if (b instanceof Bound) return -cmpBound(b, a);
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return cmpTypes(ta, tb);
  return mingoCompare(a, b);
}

/** bson 7 keeps an ObjectId as four 24-bit integers (i0..i3), big-endian: comparing them is comparing the bytes. */
function cmpObjectId(a: any, b: any): number {
  if (typeof a.i0 !== 'number' || typeof b.i0 !== 'number') return mingoCompare(a, b);
  return cmpInt(a.i0, b.i0) || cmpInt(a.i1, b.i1) || cmpInt(a.i2, b.i2) || cmpInt(a.i3, b.i3);
}

const cmpInt = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);

function cmpBound(a: Bound, b: unknown): number {
  if (b instanceof Bound) {
    if (a.type === b.type) return a.side === b.side ? 0 : a.side;
    if (!a.type) return a.side;
    if (!b.type) return -b.side;
    return cmpTypes(a.type, b.type) || a.side;
  }
  if (!a.type) return a.side;
  const c = cmpTypes(a.type, typeOf(b));
  return c === 0 ? a.side : c;
}

/**
 * Values whose equality in index order is exactly MongoDB's index key equality (so a unique index can find an
 * equal key by binary search): null, an empty array's undefined, booleans, strings, numbers other than NaN, valid
 * Dates and ObjectIds. Others (objects, arrays, binary, Decimal128, NaN, ...) are compared by canonical key.
 */
export function plainKeyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object':
      return v instanceof Date ? !Number.isNaN(v.getTime()) : isPackableOid(v);
  }
  return false;
}

export interface Entry {
  /** One value per key field ("missing" is indexed as null, an empty array as undefined). */
  readonly k: unknown[];
  /** Insertion sequence of the document (natural order), the tie-breaker. */
  readonly s: number;
  /** The document's slot in the collection's heap (see IdSlots): what the planner collects and fetches by. */
  readonly slot: number;
  /** The document's _id key in the collection (built on demand: for an ObjectId, a hex string). */
  readonly id: string;
}

/** An entry handed out by `range`: the `_id` key string is only built when asked for. */
class RangeEntry implements Entry {
  constructor(
    readonly k: unknown[],
    readonly s: number,
    readonly slot: number,
    private readonly ids: IdSlots,
  ) {}
  get id(): string {
    return this.ids.keyOf(this.slot);
  }
}

/**
 * Index key values of a document at a dotted path, as MongoDB builds them: an
 * array contributes each element (an empty array: undefined), a missing field
 * (also inside an array element) is null. `flags.unsafe` is set for values the
 * engine matches differently from an index (nested arrays, NaN), which makes
 * the planner stop using the index for predicates.
 */
export function indexValues(doc: Doc, path: string, flags: { unsafe: boolean }): unknown[] {
  const out: unknown[] = [];
  walkPath(doc, path.indexOf('.') < 0 ? [path] : path.split('.'), 0, flags, out);
  return out;
}

// Module-level helpers (not closures): indexValues runs for every index of every written document.
function pushLeaf(v: unknown, flags: { unsafe: boolean }, out: unknown[]): void {
  if (typeof v === 'number' && Number.isNaN(v)) flags.unsafe = true;
  out.push(v === undefined ? null : v);
}

function walkPath(cur: any, parts: string[], i: number, flags: { unsafe: boolean }, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      if (cur.length === 0) out.push(undefined);
      for (const el of cur) {
        if (Array.isArray(el)) flags.unsafe = true;
        pushLeaf(el, flags, out);
      }
    } else pushLeaf(cur, flags, out);
    return;
  }
  if (Array.isArray(cur)) {
    if (cur.length === 0) out.push(null);
    for (const el of cur) {
      if (Array.isArray(el)) flags.unsafe = true;
      if (el !== null && typeof el === 'object' && !Array.isArray(el)) walkObject(el, parts, i, flags, out);
      else out.push(null);
    }
    return;
  }
  if (cur === null || typeof cur !== 'object') {
    out.push(null);
    return;
  }
  walkObject(cur, parts, i, flags, out);
}

function walkObject(cur: any, parts: string[], i: number, flags: { unsafe: boolean }, out: unknown[]): void {
  if (!(parts[i] in cur)) out.push(null);
  else walkPath(cur[parts[i]], parts, i + 1, flags, out);
}

const CHUNK = 512;

/**
 * One sorted run of entries, kept by column: `keys[f][i]` is the i-th entry's value of key field f, `seqs[i]` its
 * document's insertion sequence, `ids[i]` its document's slot (IdSlots). There is no object per entry: a brand's data holds
 * millions of entries, and an entry object plus an array of values for each was most of the stand-in's heap and
 * of its garbage-collection work (measured: README "Memory layout"). `range` hands out entries built on the fly.
 */
interface Chunk {
  keys: Column[];
  /** Room for more than `n` entries (grown by half again); an insertion sequence fits 31 bits in one run. */
  seqs: Int32Array;
  /** The documents' slots (see IdSlots), same room as `seqs`. */
  ids: Int32Array;
  /** Entries held. */
  n: number;
}

/** Entries being bulk-loaded, by column, unsorted. */
interface Staged {
  keys: unknown[][];
  seqs: number[];
  ids: number[];
}

/**
 * One key field's values of a chunk, as plain data (index images, index-image.ts): times as milliseconds, ObjectIds
 * as their 12 bytes each, anything else as the values.
 */
export type ColumnData = { d: Float64Array } | { o: Uint8Array } | { v: unknown[] };

/** A chunk as plain data: its entries' documents by slot (or, in an image, by natural-order ordinal). */
export interface ChunkData {
  n: number;
  ids: Int32Array;
  cols: ColumnData[];
}

/** The counts an index keeps beside its entries. */
export interface OrderedIndexCounts {
  size: number;
  unsafeKeys: number;
  multikeyDocs: number[];
}

/**
 * Where an index finds a document's `_id` key: entries hold the slot number of the document in the collection's
 * heap (doc-heap.ts), 4 bytes, instead of a key string, and hand the key out as `Entry.id`.
 */
export interface IdSlots {
  /** The slot of a stored document's key (undefined: not stored). */
  slotOf(key: string): number | undefined;
  keyOf(slot: number): string;
}

/** For an index without a heap (tests, tools): numbers its keys itself. */
class OwnSlots implements IdSlots {
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  slotOf(key: string): number {
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.keys.push(key) - 1;
      this.slots.set(key, s);
    }
    return s;
  }
  keyOf(slot: number): string {
    return this.keys[slot];
  }
}

export class OrderedIndex {
  private chunks: Chunk[] = [];
  /** Bulk loading: entries staged by column, sorted into chunks by `build()`. */
  private staged: Staged;
  size = 0;
  /** Entries whose values the engine matches differently from the index (see indexValues). */
  unsafeKeys = 0;
  /** Per key field: how many documents contribute more than one value there. */
  readonly multikeyDocs: number[];
  private readonly paths: string[][];

  private readonly ids: IdSlots;

  constructor(
    readonly fields: string[],
    readonly dirs: number[],
    ids?: IdSlots,
  ) {
    this.ids = ids ?? new OwnSlots();
    this.multikeyDocs = fields.map(() => 0);
    this.paths = fields.map((f) => f.split('.'));
    this.staged = this.emptyStaged();
  }

  get multikey(): boolean {
    return this.multikeyDocs.some((n) => n > 0);
  }

  private emptyStaged(): Staged {
    return { keys: this.fields.map(() => []), seqs: [], ids: [] };
  }

  cmpKeys(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < a.length; i++) {
      const c = cmpValue(a[i], b[i]);
      if (c !== 0) return c * this.dirs[i];
    }
    return 0;
  }

  /** The key at position i of chunk c against a probe (keys only; probes may hold Bound values). */
  private cmpKeyAt(c: Chunk, i: number, probe: unknown[]): number {
    for (let f = 0; f < this.dirs.length; f++) {
      const x = c.keys[f].cmp(i, probe[f]);
      if (x !== 0) return x * this.dirs[f];
    }
    return 0;
  }

  /** Entry order: the key at position i of chunk c against key k of the document with sequence s. */
  private cmpAt(c: Chunk, i: number, k: unknown[], s: number): number {
    return this.cmpKeyAt(c, i, k) || c.seqs[i] - s;
  }

  private keyAt(c: Chunk, i: number): unknown[] {
    const out = new Array<unknown>(this.dirs.length);
    for (let f = 0; f < out.length; f++) out[f] = c.keys[f].get(i);
    return out;
  }

  /** The keys a document contributes (cartesian product over multikey fields). */
  private keysOf(doc: Doc): { keys: unknown[][]; unsafe: boolean; multi: boolean[] | null } {
    const flags = { unsafe: false };
    const perField = this.valuesOf(doc, flags);
    let single = true;
    for (const v of perField) if (v.length !== 1) single = false;
    if (single) {
      const k = new Array<unknown>(perField.length);
      for (let i = 0; i < k.length; i++) k[i] = perField[i][0];
      return { keys: [k], unsafe: flags.unsafe, multi: null };
    }
    let combos: unknown[][] = [[]];
    for (const vals of perField) combos = combos.flatMap((c) => vals.map((v) => [...c, v]));
    return { keys: combos, unsafe: flags.unsafe, multi: perField.map((v) => v.length > 1) };
  }

  private valuesOf(doc: Doc, flags: { unsafe: boolean }): unknown[][] {
    const out: unknown[][] = new Array(this.fields.length);
    for (let i = 0; i < this.fields.length; i++) {
      const vals: unknown[] = [];
      walkPath(doc, this.paths[i], 0, flags, vals);
      out[i] = dedupe(vals);
    }
    return out;
  }

  /**
   * Whether two versions of a document contribute the same entries, so an update can leave this index alone
   * (values equal in index order, same multikey shape; any NaN or nested array on either side counts as a change).
   */
  sameEntries(a: Doc, b: Doc): boolean {
    const fa = { unsafe: false };
    const fb = { unsafe: false };
    const va = this.valuesOf(a, fa);
    const vb = this.valuesOf(b, fb);
    if (fa.unsafe || fb.unsafe) return false;
    for (let i = 0; i < va.length; i++) {
      if (va[i].length !== vb[i].length) return false;
      for (let j = 0; j < va[i].length; j++) if (cmpValue(va[i][j], vb[i][j]) !== 0) return false;
    }
    return true;
  }

  /** Add a document's entries; returns its keys. */
  add(doc: Doc, seq: number, id: string): unknown[][] {
    const { keys, unsafe, multi } = this.keysOf(doc);
    const slot = this.slot(id);
    for (const k of keys) this.insertEntry(k, seq, slot);
    if (unsafe) this.unsafeKeys++;
    multi?.forEach((m, i) => m && this.multikeyDocs[i]++);
    return keys;
  }

  /**
   * Bulk loading: record a document's entries now, sort them all at once in `build()` (see Collection.load); returns
   * its keys.
   */
  stage(doc: Doc, seq: number, id: string | number): unknown[][] {
    const { keys, unsafe, multi } = this.keysOf(doc);
    // Opening the data passes the slot it already has, saving a lookup of the _id key per index.
    const slot = typeof id === 'number' ? id : this.slot(id);
    for (const k of keys) stageEntry(this.staged, k, seq, slot);
    if (unsafe) this.unsafeKeys++;
    multi?.forEach((m, i) => m && this.multikeyDocs[i]++);
    return keys;
  }

  /** The keys a document contributes, and per key field whether it contributes several (null: one key). */
  docKeys(doc: Doc): { keys: unknown[][]; multi: boolean[] | null } {
    const { keys, multi } = this.keysOf(doc);
    return { keys, multi };
  }

  /**
   * The _id key of a document other than `exceptId` holding an entry equal to `k` in index order, if any: a unique
   * index's check, a binary search instead of a map of canonical keys (see IndexState.checkUnique).
   */
  findOther(k: unknown[], exceptId: string): string | undefined {
    if (this.staged.seqs.length) throw new Error('findOther on an index being loaded');
    const except = this.ids.slotOf(exceptId) ?? -1;
    let [ci, pos] = this.seek((c, i) => this.cmpKeyAt(c, i, k) < 0);
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const c = this.chunks[ci];
      for (; pos < c.n; pos++) {
        if (this.cmpKeyAt(c, pos, k) !== 0) return undefined;
        if (c.ids[pos] !== except) return this.ids.keyOf(c.ids[pos]);
      }
    }
    return undefined;
  }

  /** Sort the staged entries (with any already present) into chunks: one sort of positions, no entry objects. */
  build(): void {
    if (!this.staged.seqs.length) return;
    let all = this.staged;
    if (this.chunks.length) {
      all = this.emptyStaged();
      for (const c of this.chunks) for (let i = 0; i < c.n; i++) stageEntry(all, this.keyAt(c, i), c.seqs[i], c.ids[i]);
      const st = this.staged;
      for (let i = 0; i < st.seqs.length; i++)
        stageEntry(
          all,
          st.keys.map((col) => col[i]),
          st.seqs[i],
          st.ids[i],
        );
    }
    this.staged = this.emptyStaged();
    const n = all.seqs.length;
    const width = this.dirs.length;
    const order = sortedPositions(n, sortComparator(all, this.dirs));
    this.chunks = [];
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      // Sized up front: arrays grown by push keep up to half their length again as spare capacity.
      const len = end - start;
      const vals = this.fields.map(() => new Array<unknown>(len));
      const c: Chunk = { keys: [], seqs: new Int32Array(len), ids: new Int32Array(len), n: len };
      for (let p = start; p < end; p++) {
        const r = order[p];
        const i = p - start;
        for (let f = 0; f < width; f++) vals[f][i] = all.keys[f][r];
        c.seqs[i] = all.seqs[r];
        c.ids[i] = all.ids[r];
      }
      c.keys = vals.map(columnOf);
      this.chunks.push(c);
    }
    this.size = n;
  }

  /** Entries, chunk by chunk in index order, as plain data (the arrays are views: copy or write them at once). */
  *exportChunks(): Generator<ChunkData> {
    if (this.staged.seqs.length) throw new Error('exportChunks on an index being loaded');
    for (const c of this.chunks) {
      yield { n: c.n, ids: c.ids.subarray(0, c.n), cols: c.keys.map((col) => exportColumn(col, c.n)) };
    }
  }

  get counts(): OrderedIndexCounts {
    return { size: this.size, unsafeKeys: this.unsafeKeys, multikeyDocs: [...this.multikeyDocs] };
  }

  /**
   * Replace every entry with chunks read back from an index image, already in index order: `ids` hold slots, and
   * `seqOf(slot)` gives each document's insertion sequence. Nothing is compared or sorted.
   */
  importChunks(chunks: ChunkData[], counts: OrderedIndexCounts, seqOf: (slot: number) => number): void {
    if (counts.multikeyDocs.length !== this.fields.length) throw new Error('index image: key fields differ');
    this.clear();
    for (const d of chunks) {
      if (d.cols.length !== this.fields.length) throw new Error('index image: key fields differ');
      const seqs = new Int32Array(d.n);
      for (let i = 0; i < d.n; i++) seqs[i] = seqOf(d.ids[i]);
      this.chunks.push({ keys: d.cols.map((col) => importColumn(col, d.n)), seqs, ids: d.ids, n: d.n });
    }
    this.size = counts.size;
    this.unsafeKeys = counts.unsafeKeys;
    counts.multikeyDocs.forEach((n, i) => (this.multikeyDocs[i] = n));
  }

  delete(doc: Doc, seq: number, id: string): void {
    const { keys, unsafe, multi } = this.keysOf(doc);
    for (const k of keys) this.removeEntry(k, seq);
    if (unsafe) this.unsafeKeys--;
    multi?.forEach((m, i) => m && this.multikeyDocs[i]--);
    void id;
  }

  clear(): void {
    this.chunks = [];
    this.staged = this.emptyStaged();
    this.size = 0;
    this.unsafeKeys = 0;
    this.multikeyDocs.fill(0);
  }

  private slot(id: string): number {
    const slot = this.ids.slotOf(id);
    if (slot === undefined) throw new Error(`mongo-standin: indexing a document that is not stored (${id})`);
    return slot;
  }

  private insertEntry(k: unknown[], s: number, id: number): void {
    this.size++;
    if (this.chunks.length === 0) {
      const c: Chunk = { keys: k.map(columnFor), seqs: new Int32Array(8), ids: new Int32Array(8), n: 0 };
      pushEntry(c, 0, k, s, id);
      this.chunks.push(c);
      return;
    }
    // Keys that grow (ids, times) land after the last entry: append without searching.
    const li = this.chunks.length - 1;
    const last = this.chunks[li];
    if (this.cmpAt(last, last.n - 1, k, s) < 0) {
      pushEntry(last, last.n, k, s, id);
      this.splitIfFull(li);
      return;
    }
    const ci = this.chunkFor(k, s);
    const c = this.chunks[ci];
    pushEntry(
      c,
      lowerBound(c.n, (i) => this.cmpAt(c, i, k, s) < 0),
      k,
      s,
      id,
    );
    this.splitIfFull(ci);
  }

  private splitIfFull(ci: number): void {
    const c = this.chunks[ci];
    if (c.n <= CHUNK * 2) return;
    const half = (from: number, to = c.n): Chunk => ({
      keys: c.keys.map((col) => col.slice(from, to)),
      seqs: c.seqs.slice(from, to),
      ids: c.ids.slice(from, to),
      n: to - from,
    });
    this.chunks.splice(ci, 1, half(0, CHUNK), half(CHUNK));
  }

  private removeEntry(k: unknown[], s: number): void {
    if (this.chunks.length === 0) return;
    const ci = this.chunkFor(k, s);
    const c = this.chunks[ci];
    const pos = lowerBound(c.n, (i) => this.cmpAt(c, i, k, s) < 0);
    if (pos < c.n && this.cmpAt(c, pos, k, s) === 0) {
      for (const col of c.keys) col.remove(pos);
      c.seqs.copyWithin(pos, pos + 1, c.n);
      c.ids.copyWithin(pos, pos + 1, c.n);
      c.n--;
      this.size--;
      if (c.n === 0) this.chunks.splice(ci, 1);
    }
  }

  /** First chunk whose last entry is >= (k, s) (the last chunk when it is beyond everything). */
  private chunkFor(k: unknown[], s: number): number {
    const i = lowerBound(this.chunks.length, (j) => {
      const c = this.chunks[j];
      return this.cmpAt(c, c.n - 1, k, s) < 0;
    });
    return Math.min(i, this.chunks.length - 1);
  }

  /** Position of the first entry for which `before(chunk, i)` is false (keys are partitioned by it). */
  private seek(before: (c: Chunk, i: number) => boolean): [number, number] {
    const ci = lowerBound(this.chunks.length, (j) => before(this.chunks[j], this.chunks[j].n - 1));
    if (ci >= this.chunks.length) return [this.chunks.length, 0];
    const c = this.chunks[ci];
    return [ci, lowerBound(c.n, (i) => before(c, i))];
  }

  /** Number of entries with start <= key <= end (in index order). */
  countBetween(start: unknown[], end: unknown[]): number {
    const a = this.rank(this.seek((c, i) => this.cmpKeyAt(c, i, start) < 0));
    const b = this.rank(this.seek((c, i) => this.cmpKeyAt(c, i, end) <= 0));
    return Math.max(0, b - a);
  }

  private rank([ci, pos]: [number, number]): number {
    let n = pos;
    for (let i = 0; i < ci && i < this.chunks.length; i++) n += this.chunks[i].n;
    return n;
  }

  /**
   * Entries with start <= key <= end in index order (forward) or reverse
   * index order (backward). Probes may hold Bound values.
   */
  *range(start: unknown[], end: unknown[], forward: boolean): Generator<Entry> {
    if (forward) {
      let [ci, pos] = this.seek((c, i) => this.cmpKeyAt(c, i, start) < 0);
      for (; ci < this.chunks.length; ci++, pos = 0) {
        const c = this.chunks[ci];
        for (; pos < c.n; pos++) {
          if (this.cmpKeyAt(c, pos, end) > 0) return;
          yield new RangeEntry(this.keyAt(c, pos), c.seqs[pos], c.ids[pos], this.ids);
        }
      }
    } else {
      const [ci0, pos0] = this.seek((c, i) => this.cmpKeyAt(c, i, end) <= 0);
      let pos: number | undefined = pos0;
      let ci = ci0;
      if (ci >= this.chunks.length) {
        ci = this.chunks.length - 1;
        pos = undefined;
      }
      for (; ci >= 0; ci--, pos = undefined) {
        const c = this.chunks[ci];
        for (let p = (pos ?? c.n) - 1; p >= 0; p--) {
          if (this.cmpKeyAt(c, p, start) < 0) return;
          yield new RangeEntry(this.keyAt(c, p), c.seqs[p], c.ids[p], this.ids);
        }
      }
    }
  }
}

/** Insert an entry at position `at` of a chunk (at = length appends). */
function pushEntry(c: Chunk, at: number, k: unknown[], s: number, id: number): void {
  const n = c.n;
  for (let f = 0; f < c.keys.length; f++) {
    if (c.keys[f].insert(at, k[f])) continue;
    const col = ValueColumn.of(c.keys[f]);
    col.insert(at, k[f]);
    c.keys[f] = col;
  }
  c.seqs = grown(c.seqs, n + 1, 1, (size) => new Int32Array(size));
  if (at < n) c.seqs.copyWithin(at + 1, at, n);
  c.seqs[at] = s;
  c.n++;
  c.ids = grown(c.ids, n + 1, 1, (size) => new Int32Array(size));
  if (at < n) c.ids.copyWithin(at + 1, at, n);
  c.ids[at] = id;
}

/**
 * A column's values prepared for the bulk sort: when every value has one type whose order is plain `<` on a number
 * or string (strings, numbers, booleans; Dates by their time; ObjectIds as two 48-bit halves of their 96 bits), the
 * comparison skips cmpValue's type dispatch and the objects, giving exactly cmpValue's answer. Null: mixed or other
 * types, compared by cmpValue.
 */
type SortColumn = { a: ArrayLike<unknown> } | { hi: Float64Array; lo: Float64Array };

function sortColumn(vals: unknown[]): SortColumn | null {
  const n = vals.length;
  if (n === 0) return null;
  const t = typeof vals[0];
  if (t === 'string' || t === 'number' || t === 'boolean') {
    for (let i = 1; i < n; i++) if (typeof vals[i] !== t) return null;
    return { a: vals };
  }
  if (vals[0] instanceof Date) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      if (!(v instanceof Date)) return null;
      out[i] = v.getTime();
    }
    return { a: out };
  }
  if (isPackableOid(vals[0])) {
    const hi = new Float64Array(n);
    const lo = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!isPackableOid(vals[i])) return null;
      const v = vals[i] as any;
      hi[i] = v.i0 * 0x1000000 + v.i1;
      lo[i] = v.i2 * 0x1000000 + v.i3;
    }
    return { hi, lo };
  }
  return null;
}

/**
 * Staged positions 0..n-1 in entry order. Entries are staged in natural order, which is often already index order
 * (the `_id` index of generated ObjectIds, times that grow with inserts): one pass checks that and skips the sort.
 * Otherwise a plain array is sorted (V8's TimSort keeps the ascending runs such data has; a typed array's sort with
 * a comparator does not).
 */
function sortedPositions(n: number, cmp: (a: number, b: number) => number): Int32Array {
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (sorted && i > 0 && cmp(i - 1, i) > 0) sorted = false;
  }
  if (sorted) return order;
  const plain = Array.from(order);
  plain.sort(cmp);
  order.set(plain);
  return order;
}

/** Entry order over staged positions (keys by the index's directions, then insertion sequence), for `build()`. */
function sortComparator(all: Staged, dirs: number[]): (a: number, b: number) => number {
  const seqs = all.seqs;
  const cols = all.keys.map(sortColumn);
  if (dirs.length === 1 && cols[0]) {
    // The common single-field index: one specialised comparison, no per-field loop.
    const d = dirs[0];
    const c = cols[0];
    if ('a' in c) {
      const v = c.a as any;
      return (a, b) => {
        const x = v[a];
        const y = v[b];
        return x < y ? -d : x > y ? d : seqs[a] - seqs[b];
      };
    }
    const { hi, lo } = c;
    return (a, b) => {
      const x = hi[a] - hi[b] || lo[a] - lo[b];
      return x < 0 ? -d : x > 0 ? d : seqs[a] - seqs[b];
    };
  }
  const width = dirs.length;
  const cmpField = cols.map((c, f): ((a: number, b: number) => number) => {
    if (!c) {
      const v = all.keys[f];
      return (a, b) => cmpValue(v[a], v[b]);
    }
    if ('a' in c) {
      const v = c.a as any;
      return (a, b) => (v[a] < v[b] ? -1 : v[a] > v[b] ? 1 : 0);
    }
    const { hi, lo } = c;
    return (a, b) => {
      const x = hi[a] - hi[b] || lo[a] - lo[b];
      return x < 0 ? -1 : x > 0 ? 1 : 0;
    };
  });
  return (a, b) => {
    for (let f = 0; f < width; f++) {
      const x = cmpField[f](a, b);
      if (x !== 0) return x * dirs[f];
    }
    return seqs[a] - seqs[b];
  };
}

function stageEntry(st: Staged, k: unknown[], s: number, id: number): void {
  for (let f = 0; f < st.keys.length; f++) st.keys[f].push(k[f]);
  st.seqs.push(s);
  st.ids.push(id);
}

/**
 * One key field's values in a chunk. Dates and ObjectIds, the bulk of a brand's index values (times, member and
 * campaign ids), are packed in typed arrays (8 bytes of milliseconds, 12 bytes of ObjectId) instead of one JS object
 * each (~90 B per Date, ~56 B per ObjectId); a value of another type turns the column into a plain array. Packed
 * values are handed out as fresh objects, compared without building one when the probe is of the same type.
 */
interface Column {
  readonly length: number;
  get(i: number): unknown;
  /** cmpValue(get(i), probe) */
  cmp(i: number, probe: unknown): number;
  /** Insert at `at` (= length appends); false, changing nothing, when this column cannot hold `v`. */
  insert(at: number, v: unknown): boolean;
  remove(at: number): void;
  slice(from: number, to?: number): Column;
}

class ValueColumn implements Column {
  constructor(private readonly a: unknown[]) {}
  get length(): number {
    return this.a.length;
  }
  get(i: number): unknown {
    return this.a[i];
  }
  cmp(i: number, probe: unknown): number {
    return cmpValue(this.a[i], probe);
  }
  insert(at: number, k: unknown): boolean {
    const col = this.a;
    const v = at > 0 ? shared(col[at - 1], k) : k;
    if (at === col.length) col.push(v);
    else col.splice(at, 0, v === k ? shared(col[at], v) : v);
    return true;
  }
  remove(at: number): void {
    this.a.splice(at, 1);
  }
  slice(from: number, to?: number): Column {
    return new ValueColumn(this.a.slice(from, to));
  }
  static of(col: Column): ValueColumn {
    const a = new Array<unknown>(col.length);
    for (let i = 0; i < a.length; i++) a[i] = col.get(i);
    return new ValueColumn(a);
  }
}

/** Room for `need` entries of `width` units: grown by half again (chunks stay at most 2 * CHUNK + 1 entries). */
function grown<T extends Float64Array | Uint8Array | Int32Array>(
  a: T,
  need: number,
  width: number,
  make: (n: number) => T,
): T {
  if (a.length >= need * width) return a;
  const b = make(Math.max(need, Math.min(CHUNK * 2 + 1, Math.ceil((a.length / width) * 1.5) + 8)) * width);
  b.set(a);
  return b;
}

class DateColumn implements Column {
  length = 0;
  constructor(private ms: Float64Array) {}
  /** The first `n` times (a view). */
  packed(n: number): Float64Array {
    return this.ms.subarray(0, n);
  }
  get(i: number): unknown {
    return new Date(this.ms[i]);
  }
  cmp(i: number, probe: unknown): number {
    if (probe instanceof Date) {
      const x = this.ms[i];
      const y = probe.getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return cmpValue(this.get(i), probe);
  }
  insert(at: number, v: unknown): boolean {
    if (!(v instanceof Date)) return false;
    this.ms = grown(this.ms, this.length + 1, 1, (n) => new Float64Array(n));
    if (at < this.length) this.ms.copyWithin(at + 1, at, this.length);
    this.ms[at] = v.getTime();
    this.length++;
    return true;
  }
  remove(at: number): void {
    this.ms.copyWithin(at, at + 1, this.length);
    this.length--;
  }
  slice(from: number, to = this.length): Column {
    const c = new DateColumn(this.ms.slice(from, to));
    c.length = to - from;
    return c;
  }
}

const isPackableOid = (v: unknown): v is ObjectId => v instanceof ObjectId && typeof (v as any).i0 === 'number';

/** ObjectIds as 12 bytes each; bson 7 keeps one as four 24-bit big-endian integers (i0..i3), read and built here. */
class ObjectIdColumn implements Column {
  length = 0;
  constructor(private b: Uint8Array) {}
  /** The first `n` ObjectIds' bytes (a view). */
  packed(n: number): Uint8Array {
    return this.b.subarray(0, n * 12);
  }
  get(i: number): unknown {
    return new ObjectId(this.b.subarray(i * 12, i * 12 + 12));
  }
  cmp(i: number, probe: unknown): number {
    if (!isPackableOid(probe)) return cmpValue(this.get(i), probe);
    const b = this.b;
    const p = probe as any;
    for (let g = 0, o = i * 12; g < 4; g++, o += 3) {
      const x = (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
      const y = g === 0 ? p.i0 : g === 1 ? p.i1 : g === 2 ? p.i2 : p.i3;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }
  insert(at: number, v: unknown): boolean {
    if (!isPackableOid(v)) return false;
    this.b = grown(this.b, this.length + 1, 12, (n) => new Uint8Array(n));
    if (at < this.length) this.b.copyWithin((at + 1) * 12, at * 12, this.length * 12);
    const p = v as any;
    const b = this.b;
    for (let g = 0, o = at * 12; g < 4; g++, o += 3) {
      const x = g === 0 ? p.i0 : g === 1 ? p.i1 : g === 2 ? p.i2 : p.i3;
      b[o] = (x >>> 16) & 255;
      b[o + 1] = (x >>> 8) & 255;
      b[o + 2] = x & 255;
    }
    this.length++;
    return true;
  }
  remove(at: number): void {
    this.b.copyWithin(at * 12, (at + 1) * 12, this.length * 12);
    this.length--;
  }
  slice(from: number, to = this.length): Column {
    const c = new ObjectIdColumn(this.b.slice(from * 12, to * 12));
    c.length = to - from;
    return c;
  }
}

function exportColumn(col: Column, n: number): ColumnData {
  if (col instanceof DateColumn) return { d: col.packed(n) };
  if (col instanceof ObjectIdColumn) return { o: col.packed(n) };
  const v = new Array<unknown>(n);
  for (let i = 0; i < n; i++) v[i] = col.get(i);
  return { v };
}

function importColumn(data: ColumnData, n: number): Column {
  if ('d' in data) {
    if (data.d.length !== n) throw new Error('index image: column length differs');
    const c = new DateColumn(data.d);
    c.length = n;
    return c;
  }
  if ('o' in data) {
    if (data.o.length !== n * 12) throw new Error('index image: column length differs');
    const c = new ObjectIdColumn(data.o);
    c.length = n;
    return c;
  }
  if (data.v.length !== n) throw new Error('index image: column length differs');
  return columnOf(data.v);
}

/** The column for these values: packed when they are all Dates or all ObjectIds, else a plain array. */
function columnOf(vals: unknown[]): Column {
  const n = vals.length;
  if (n > 0 && vals.every((v) => v instanceof Date)) {
    const c = new DateColumn(new Float64Array(n));
    for (const v of vals) c.insert(c.length, v);
    return c;
  }
  if (n > 0 && vals.every(isPackableOid)) {
    const c = new ObjectIdColumn(new Uint8Array(n * 12));
    for (const v of vals) c.insert(c.length, v);
    return c;
  }
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = i > 0 ? shared(out[i - 1], vals[i]) : vals[i];
  return new ValueColumn(out);
}

/** An empty column for a first value `v`. */
function columnFor(v: unknown): Column {
  if (v instanceof Date) return new DateColumn(new Float64Array(8));
  if (isPackableOid(v)) return new ObjectIdColumn(new Uint8Array(8 * 12));
  return new ValueColumn([]);
}

/**
 * `v`, or its neighbour in index order when that is the same value: equal keys sit next to each other, so a value
 * many documents share (a status, a campaign's ObjectId, a member's id in their history) is kept once per run of
 * entries instead of once per document. Only immutable-in-practice values (strings, ObjectIds, Dates) are shared.
 */
function shared(neighbour: unknown, v: unknown): unknown {
  // Equal strings are === but may be two copies: the neighbour's is the one kept.
  if (neighbour === v) return neighbour;
  if (typeof v !== 'object' || v === null || neighbour === null || typeof neighbour !== 'object') return v;
  if (v instanceof Date) return neighbour instanceof Date && neighbour.getTime() === v.getTime() ? neighbour : v;
  const a = v as { _bsontype?: string; constructor: unknown };
  const b = neighbour as { _bsontype?: string; constructor: unknown };
  return a._bsontype === 'ObjectId' && b.constructor === a.constructor && cmpValue(b, a) === 0 ? neighbour : v;
}

function dedupe(vals: unknown[]): unknown[] {
  if (vals.length < 2) return vals;
  const out: unknown[] = [];
  for (const v of vals) if (!out.some((o) => cmpValue(o, v) === 0)) out.push(v);
  return out;
}

/** First index i in [0, n] where `before(i)` is false (positions partitioned by `before`). */
function lowerBound(n: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
