/**
 * Compact document storage for one collection: every document is kept as its BSON bytes inside large shared
 * buffers ("slabs"), located by a slot number, so a stored document costs its BSON size plus a few dozen bytes of
 * bookkeeping in typed arrays instead of a tree of JS objects (measured ~5× smaller; see README "Memory layout").
 *
 * Keys: an ObjectId `_id` (canonical key `o:<24 hex>`, nearly every document) is found through an open-addressing
 * hash table of slots keyed by its 12 bytes, kept per slot; no key string or Map entry per document. Other keys
 * sit in a Map. Natural order is an array of slots in insertion order (a deleted document leaves a hole until the
 * array is compacted), like the Map's iteration order it replaces.
 *
 * Slabs are append-only: a replaced or deleted document leaves dead bytes behind. When a slab that is no longer the
 * one being filled drops below a quarter live, its live documents are copied forward and the slab is released, so
 * dead space stays bounded without a stop-the-world pass.
 *
 * With a slab file (`spillTo`, persistent stand-ins: slab-file.ts), a slab that fills up is written there and let go,
 * so memory holds the slab being filled and the bookkeeping, not the documents: a point read is a positioned read of
 * the document's bytes, a scan (and a fetch of many documents of one slab) reads whole slabs.
 *
 * Reads decode a private copy (`get`), so nothing handed to the query engine, update code or a cursor can alias
 * stored bytes, and stored state only changes through `set`/`delete`.
 */
import { deserialize } from 'bson';
import type { SlabFile } from './slab-file';
import type { Doc } from './values';

/** Same value shapes as documents arriving over the wire (see wire.ts). */
export const DECODE = { promoteValues: true, promoteLongs: true, promoteBuffers: false, bsonRegExp: false } as const;

export const SLAB_BYTES = 1 << 20;
/** Documents at least this big get a buffer of their own (and give it back when they go). */
const OWN_BUFFER_BYTES = SLAB_BYTES >> 2;
const RECLAIM_BELOW = SLAB_BYTES >> 2;

const EMPTY = -1;
const GONE = -2;
/** Whole spilled slabs a scan keeps read at once (each SLAB_BYTES). */
const SCAN_CACHE_SLABS = 8;
/** A fetch of many documents reads a spilled slab whole when it needs at least this many of its documents. */
const WHOLE_SLAB_AT = 16;

/** Spilled slabs read whole during one scan (slab → bytes), oldest first. */
type ScanCache = Map<number, Buffer>;

/** Scratch for the 12 bytes of a key being looked up. */
const PROBE = new Uint8Array(12);

/** Parse `o:<24 lowercase hex>` (canonicalKey of an ObjectId) into PROBE; false for any other key. */
function parseOidKey(key: string): boolean {
  if (key.length !== 26 || key.charCodeAt(0) !== 111 || key.charCodeAt(1) !== 58) return false;
  for (let i = 0; i < 12; i++) {
    const hi = hexVal(key.charCodeAt(2 + 2 * i));
    const lo = hexVal(key.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) return false;
    PROBE[i] = (hi << 4) | lo;
  }
  return true;
}

const hexVal = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);

function hashOid(b: Uint8Array, o: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 12; i++) h = Math.imul(h ^ b[o + i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

export class DocHeap {
  /** Slots of documents whose key is not an ObjectId's, and back. */
  private readonly otherSlots = new Map<string, number>();
  private readonly otherKeys = new Map<number, string>();
  /** Open addressing, linear probing: slots of ObjectId-keyed documents (EMPTY, GONE = deleted). */
  private table = new Int32Array(2048).fill(EMPTY);
  /** Table cells not EMPTY (live and GONE). */
  private tableUsed = 0;
  /** Per slot: the ObjectId key's 12 bytes. */
  private oids = new Uint8Array(1024 * 12);
  /** Per slot: 1 = ObjectId key, 2 = other key, 0 = free. */
  private kind = new Uint8Array(1024);
  /** Slots in natural order (-1: deleted), and each slot's position there. */
  private order = new Int32Array(1024);
  private orderLen = 0;
  private orderHoles = 0;
  private posOf = new Int32Array(1024);
  private count = 0;
  private slabs: Array<Buffer | null> = [];
  private live: number[] = [];
  /** Per slab: its page in the slab file once spilled (-1: in memory or gone), and the bytes it was filled with. */
  private pageOf: number[] = [];
  private filledOf: number[] = [];
  /** Where sealed slabs go (see slab-file.ts); undefined: every slab stays in memory. */
  private spill?: SlabFile;
  private current = -1;
  private used = 0;
  private slabOf = new Int32Array(1024);
  private offsetOf = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);
  /** Per slot: the document's insertion sequence (natural order), -1 until set; replaces a Map per collection. */
  private seqOf = new Int32Array(1024).fill(-1);
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  /** Sum of the BSON sizes of the stored documents. */
  bytes = 0;

  get size(): number {
    return this.count;
  }

  /** Bytes of slabs held, in memory and in the slab file (live documents plus dead space not yet reclaimed). */
  get allocated(): number {
    let n = 0;
    for (let s = 0; s < this.slabs.length; s++) n += this.slabs[s]?.length ?? (this.pageOf[s] >= 0 ? SLAB_BYTES : 0);
    return n;
  }

  /** Bytes of slabs held in memory. */
  get resident(): number {
    let n = 0;
    for (const s of this.slabs) if (s) n += s.length;
    return n;
  }

  /**
   * From now on, write every slab that fills up (and every full one held now) to `file` and keep only the slab being
   * filled in memory; reads of a spilled document are positioned reads of its bytes (scans read whole slabs).
   */
  spillTo(file: SlabFile): void {
    this.spill = file;
    for (let s = 0; s < this.slabs.length; s++) if (s !== this.current) this.spillSlab(s);
  }

  has(key: string): boolean {
    return this.slotOf(key) !== undefined;
  }

  /** The slot of the document under `key` (stable while it is stored), or undefined. */
  slotOf(key: string): number | undefined {
    if (!parseOidKey(key)) return this.otherSlots.get(key);
    const t = this.table;
    const mask = t.length - 1;
    const oids = this.oids;
    for (let i = hashOid(PROBE, 0) & mask; ; i = (i + 1) & mask) {
      const s = t[i];
      if (s === EMPTY) return undefined;
      if (s >= 0) {
        const o = s * 12;
        let same = true;
        for (let j = 0; j < 12; j++)
          if (oids[o + j] !== PROBE[j]) {
            same = false;
            break;
          }
        if (same) return s;
      }
    }
  }

  /** The key of the document in `slot` (a stored document's). */
  keyOf(slot: number): string {
    if (this.kind[slot] === 1) return `o:${Buffer.from(this.oids.buffer, slot * 12, 12).toString('hex')}`;
    return this.otherKeys.get(slot)!;
  }

  /** A fresh decoded copy of the document, or undefined. */
  get(key: string): Doc | undefined {
    const slot = this.slotOf(key);
    return slot === undefined ? undefined : this.decode(slot);
  }

  /** A decoded copy through `read` (e.g. only some paths: bson-fields.ts), or whole when `read` cannot. */
  getWith(key: string, read: (bytes: Uint8Array) => Doc | undefined): Doc | undefined {
    const slot = this.slotOf(key);
    return slot === undefined ? undefined : (read(this.view(slot)) ?? this.decode(slot));
  }

  /** A fresh decoded copy of the document in `slot` (from an index entry), or undefined if none is stored there. */
  getAt(slot: number, read?: (bytes: Uint8Array) => Doc | undefined): Doc | undefined {
    if (!(slot >= 0 && slot < this.nextSlot) || this.kind[slot] === 0) return undefined;
    return read ? (read(this.view(slot)) ?? this.decode(slot)) : this.decode(slot);
  }

  /**
   * Decoded copies of the documents in `slots`, in that order (slots holding nothing are left out), through `read`
   * like `getAt`. A spilled slab many of them live in is read whole once instead of document by document.
   */
  getMany(slots: Iterable<number>, read?: (bytes: Uint8Array) => Doc | undefined): Doc[] {
    const wanted: number[] = [];
    for (const slot of slots) if (slot >= 0 && slot < this.nextSlot && this.kind[slot] !== 0) wanted.push(slot);
    let whole: Set<number> | undefined;
    if (this.spill && wanted.length >= WHOLE_SLAB_AT) {
      const perSlab = new Map<number, number>();
      for (const slot of wanted) {
        const s = this.slabOf[slot];
        if (!this.slabs[s]) perSlab.set(s, (perSlab.get(s) ?? 0) + 1);
      }
      whole = new Set([...perSlab].filter(([, n]) => n >= WHOLE_SLAB_AT).map(([s]) => s));
    }
    const cache: ScanCache = new Map();
    const docs = wanted.map((slot) => this.read(slot, whole?.has(this.slabOf[slot]) ? cache : undefined, read));
    if (cache.size) this.keepForTurn(cache);
    return docs;
  }

  /**
   * Whole slabs a fetch read stay at hand until the current command batch ends (a microtask clears them): an
   * update that fetched its documents this way then compares and rewrites them without reading each one's bytes
   * from the slab file again (sameBytes). Sealed slabs never change, so the copy is what the file holds.
   */
  private keepForTurn(cache: ScanCache): void {
    if (!this.turnSlabs) queueMicrotask(() => (this.turnSlabs = undefined));
    this.turnSlabs = cache;
  }
  private turnSlabs: ScanCache | undefined;

  /** Decoded copies in natural order through `read` (whole when `read` cannot), like `getWith` for each. */
  *valuesWith(read: (bytes: Uint8Array) => Doc | undefined): IterableIterator<Doc> {
    const cache: ScanCache = new Map();
    for (const slot of this.liveSlots()) yield this.read(slot, cache, read);
  }

  /** The stored BSON bytes (a copy), for the journal and snapshots. */
  raw(key: string): Buffer | undefined {
    const slot = this.slotOf(key);
    return slot === undefined ? undefined : Buffer.from(this.view(slot));
  }

  /** Whether `bson` is exactly the stored document's bytes (no copy made). */
  sameBytes(key: string, bson: Uint8Array): boolean {
    const slot = this.slotOf(key);
    return slot !== undefined && Buffer.from(bson.buffer, bson.byteOffset, bson.byteLength).equals(this.view(slot));
  }

  /** The insertion sequence recorded for the document under `key` (see `setSeq`). */
  seq(key: string): number | undefined {
    const slot = this.slotOf(key);
    if (slot === undefined) return undefined;
    const n = this.seqOf[slot];
    return n < 0 ? undefined : n;
  }

  /** The insertion sequence of the document in `slot` (-1 if none recorded). */
  seqAt(slot: number): number {
    return this.seqOf[slot];
  }

  /**
   * A hash of the stored documents' keys and sizes in natural order, without reading any document: what an index
   * image checks the loaded data against besides the files it was taken of.
   */
  layoutHash(): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.orderLen; i++) {
      const s = this.order[i];
      if (s < 0) continue;
      h = Math.imul(h ^ this.lengthOf[s], 0x01000193);
      if (this.kind[s] === 1) h = Math.imul(h ^ hashOid(this.oids, s * 12), 0x01000193);
      else h = Math.imul(h ^ this.otherKeys.get(s)!.length, 0x01000193);
    }
    return h >>> 0;
  }

  /** The slots of the stored documents in natural order (ordinal i → slot): how index images name documents. */
  slotsInOrder(): Int32Array {
    const out = new Int32Array(this.count);
    let j = 0;
    for (let i = 0; i < this.orderLen; i++) {
      const s = this.order[i];
      if (s >= 0) out[j++] = s;
    }
    return out;
  }

  /** Record the insertion sequence of the (stored) document under `key`. */
  setSeq(key: string, seq: number): void {
    const slot = this.slotOf(key);
    if (slot !== undefined) this.seqOf[slot] = seq;
  }

  /** Store `bson` under `key` (replacing keeps the document's place in natural order, like the Map it replaces). */
  set(key: string, bson: Uint8Array): void {
    let slot = this.slotOf(key);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.grow();
      this.addKey(key, slot);
      this.seqOf[slot] = -1;
    } else this.release(slot);
    this.place(slot, bson);
  }

  /**
   * `set`, and when the key was not stored yet, record `seqIfNew` as its insertion sequence; true if it was new.
   * One key lookup where `has` + `set` + `setSeq` take three (opening the data).
   */
  put(key: string, bson: Uint8Array, seqIfNew: number): boolean {
    let slot = this.slotOf(key);
    const fresh = slot === undefined;
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.grow();
      this.addKey(key, slot);
      this.seqOf[slot] = seqIfNew;
    } else this.release(slot);
    this.place(slot, bson);
    return fresh;
  }

  private addKey(key: string, slot: number): void {
    if (parseOidKey(key)) {
      if ((this.tableUsed + 1) * 2 > this.table.length) this.rehash();
      this.oids.set(PROBE, slot * 12);
      const t = this.table;
      const mask = t.length - 1;
      let i = hashOid(PROBE, 0) & mask;
      while (t[i] >= 0) i = (i + 1) & mask;
      if (t[i] === EMPTY) this.tableUsed++;
      t[i] = slot;
      this.kind[slot] = 1;
    } else {
      this.otherSlots.set(key, slot);
      this.otherKeys.set(slot, key);
      this.kind[slot] = 2;
    }
    if (this.orderLen === this.order.length) this.compactOrder();
    this.order[this.orderLen] = slot;
    this.posOf[slot] = this.orderLen++;
    this.count++;
  }

  private removeKey(slot: number): void {
    if (this.kind[slot] === 1) {
      const t = this.table;
      const mask = t.length - 1;
      let i = hashOid(this.oids, slot * 12) & mask;
      while (t[i] !== slot) i = (i + 1) & mask;
      t[i] = GONE;
    } else {
      this.otherSlots.delete(this.otherKeys.get(slot)!);
      this.otherKeys.delete(slot);
    }
    this.kind[slot] = 0;
    this.order[this.posOf[slot]] = -1;
    this.orderHoles++;
    this.count--;
  }

  /** A table twice the live ObjectId keys' size at least, without the GONE cells. */
  private rehash(): void {
    const live = this.tableUsed; // upper bound
    let n = this.table.length;
    while (live * 4 > n) n *= 2;
    const t = new Int32Array(n).fill(EMPTY);
    const mask = n - 1;
    let used = 0;
    for (const s of this.table) {
      if (s < 0) continue;
      let i = hashOid(this.oids, s * 12) & mask;
      while (t[i] !== EMPTY) i = (i + 1) & mask;
      t[i] = s;
      used++;
    }
    this.table = t;
    this.tableUsed = used;
  }

  /** Drop the holes from the natural order when they are many, else make room (before appending). */
  private compactOrder(): void {
    if (this.orderHoles * 4 >= this.orderLen) {
      let j = 0;
      for (let i = 0; i < this.orderLen; i++) {
        const s = this.order[i];
        if (s < 0) continue;
        this.order[j] = s;
        this.posOf[s] = j++;
      }
      this.orderLen = j;
      this.orderHoles = 0;
    }
    if (this.orderLen === this.order.length) {
      const o = new Int32Array(this.order.length * 2);
      o.set(this.order);
      this.order = o;
    }
  }

  /** Slots in natural order. */
  private *liveSlots(): IterableIterator<number> {
    for (let i = 0; i < this.orderLen; i++) {
      const s = this.order[i];
      if (s >= 0) yield s;
    }
  }

  delete(key: string): boolean {
    const slot = this.slotOf(key);
    if (slot === undefined) return false;
    this.removeKey(slot);
    this.release(slot);
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.otherSlots.clear();
    this.otherKeys.clear();
    this.table = new Int32Array(2048).fill(EMPTY);
    this.tableUsed = 0;
    this.kind.fill(0);
    this.orderLen = 0;
    this.orderHoles = 0;
    this.count = 0;
    for (const page of this.pageOf) if (page >= 0) this.spill!.release(page);
    this.slabs = [];
    this.live = [];
    this.pageOf = [];
    this.filledOf = [];
    this.current = -1;
    this.used = 0;
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    this.bytes = 0;
  }

  *keys(): IterableIterator<string> {
    for (const slot of this.liveSlots()) yield this.keyOf(slot);
  }

  /** Decoded copies in natural order. */
  *values(): IterableIterator<Doc> {
    const cache: ScanCache = new Map();
    for (const slot of this.liveSlots()) yield this.decode(slot, cache);
  }

  /** Iterates like the `Map<string, Doc>` it replaces. */
  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }

  *entries(): IterableIterator<[string, Doc]> {
    const cache: ScanCache = new Map();
    for (const slot of this.liveSlots()) yield [this.keyOf(slot), this.decode(slot, cache)];
  }

  /** [key, bytes] in natural order; the bytes are views, valid until the next write. */
  *rawEntries(): IterableIterator<[string, Uint8Array]> {
    const cache: ScanCache = new Map();
    for (const slot of this.liveSlots()) yield [this.keyOf(slot), this.view(slot, cache)];
  }

  private read(slot: number, cache: ScanCache | undefined, read?: (bytes: Uint8Array) => Doc | undefined): Doc {
    if (!read) return this.decode(slot, cache);
    const bytes = this.view(slot, cache);
    // What `read` returns may hold views into the bytes (Binary values): never into a scan's shared slab buffer.
    return read(cache && !this.slabs[this.slabOf[slot]] ? Buffer.from(bytes) : bytes) ?? this.decode(slot, cache);
  }

  private decode(slot: number, cache?: ScanCache): Doc {
    const spilled = !this.slabs[this.slabOf[slot]];
    const bytes = this.view(slot, cache);
    // Decode from a private copy: bson's Binary values are views into the bytes they were decoded from (a point
    // read of a spilled document already is a fresh buffer of its own).
    return deserialize(spilled && !cache ? bytes : Buffer.from(bytes), DECODE);
  }

  /**
   * The document's bytes: a view into its slab in memory; for a spilled slab, a fresh buffer read from the slab file
   * (or a view into the whole slab read once into `cache`, during a scan).
   */
  private view(slot: number, cache?: ScanCache): Uint8Array {
    const s = this.slabOf[slot];
    const off = this.offsetOf[slot];
    const len = this.lengthOf[slot];
    const mem = this.slabs[s];
    if (mem) return mem.subarray(off, off + len);
    if (!cache) {
      // A fresh buffer either way (point reads of spilled documents hand out buffers of their own).
      const kept = this.turnSlabs?.get(s);
      return kept ? Buffer.from(kept.subarray(off, off + len)) : this.spill!.read(this.pageOf[s], off, len);
    }
    let whole = cache.get(s);
    if (!whole) {
      whole = this.spill!.read(this.pageOf[s], 0, this.filledOf[s]);
      cache.set(s, whole);
      if (cache.size > SCAN_CACHE_SLABS) cache.delete(cache.keys().next().value!);
    }
    return whole.subarray(off, off + len);
  }

  /** Move a full slab (not the one being filled, not a document's own buffer) to the slab file. */
  private spillSlab(s: number): void {
    const mem = this.slabs[s];
    if (!this.spill || !mem || mem.length !== SLAB_BYTES || s === this.current) return;
    if (this.live[s] > 0) this.pageOf[s] = this.spill.write(mem, this.filledOf[s]);
    this.slabs[s] = null;
  }

  /** Whether slab `s` is a shared slab (in memory or spilled), not a large document's own buffer. */
  private shared(s: number): boolean {
    return this.pageOf[s] >= 0 || this.slabs[s]?.length === SLAB_BYTES;
  }

  /** Slab `s` holds nothing live any more: let go of its memory or its page. */
  private dropSlab(s: number): void {
    this.slabs[s] = null;
    if (this.pageOf[s] >= 0) this.spill!.release(this.pageOf[s]);
    this.pageOf[s] = -1;
    this.live[s] = 0;
  }

  private grow(): number {
    const slot = this.nextSlot++;
    if (slot >= this.slabOf.length) {
      const n = this.slabOf.length * 2;
      const widen = (a: Int32Array) => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      this.slabOf = widen(this.slabOf);
      this.offsetOf = widen(this.offsetOf);
      this.lengthOf = widen(this.lengthOf);
      const seqs = new Int32Array(n).fill(-1);
      seqs.set(this.seqOf);
      this.seqOf = seqs;
      this.posOf = widen(this.posOf);
      const kind = new Uint8Array(n);
      kind.set(this.kind);
      this.kind = kind;
      const oids = new Uint8Array(n * 12);
      oids.set(this.oids);
      this.oids = oids;
    }
    return slot;
  }

  private place(slot: number, bson: Uint8Array): void {
    const len = bson.length;
    let s: number;
    let off: number;
    if (len >= OWN_BUFFER_BYTES) {
      s = this.slabs.length;
      this.slabs.push(Buffer.from(bson));
      this.live.push(0);
      this.pageOf.push(-1);
      this.filledOf.push(len);
      off = 0;
    } else {
      if (this.current < 0 || this.used + len > SLAB_BYTES) {
        const sealed = this.current;
        this.current = this.slabs.length;
        this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
        this.live.push(0);
        this.pageOf.push(-1);
        this.filledOf.push(0);
        this.used = 0;
        if (sealed >= 0) {
          if (this.live[sealed] === 0) this.dropSlab(sealed);
          else this.spillSlab(sealed);
        }
      }
      s = this.current;
      off = this.used;
      this.slabs[s]!.set(bson, off);
      this.used += len;
      this.filledOf[s] = this.used;
    }
    this.slabOf[slot] = s;
    this.offsetOf[slot] = off;
    this.lengthOf[slot] = len;
    this.live[s] += len;
    this.bytes += len;
  }

  private release(slot: number): void {
    const s = this.slabOf[slot];
    const len = this.lengthOf[slot];
    this.live[s] -= len;
    this.bytes -= len;
    if (s === this.current) return;
    if (this.live[s] === 0) this.dropSlab(s);
    else if (this.shared(s) && this.live[s] < RECLAIM_BELOW) this.evacuate(s, slot);
  }

  /** Copy the live documents of slab `s` into the current slab and drop it (`except` is being rewritten anyway). */
  private evacuate(s: number, except: number): void {
    const from = this.slabs[s] ?? this.spill!.read(this.pageOf[s], 0, this.filledOf[s]);
    for (const slot of this.liveSlots()) {
      if (slot === except || this.slabOf[slot] !== s) continue;
      const off = this.offsetOf[slot];
      const bytes = from.subarray(off, off + this.lengthOf[slot]);
      this.live[s] -= bytes.length;
      this.bytes -= bytes.length;
      this.place(slot, bytes);
    }
    this.dropSlab(s);
  }
}
