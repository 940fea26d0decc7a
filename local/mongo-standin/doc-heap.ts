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
 * Reads decode a private copy (`get`), so nothing handed to the query engine, update code or a cursor can alias
 * stored bytes, and stored state only changes through `set`/`delete`.
 */
import { deserialize } from 'bson';
import type { Doc } from './values';

/** Same value shapes as documents arriving over the wire (see wire.ts). */
export const DECODE = { promoteValues: true, promoteLongs: true, promoteBuffers: false, bsonRegExp: false } as const;

const SLAB_BYTES = 1 << 20;
/** Documents at least this big get a buffer of their own (and give it back when they go). */
const OWN_BUFFER_BYTES = SLAB_BYTES >> 2;
const RECLAIM_BELOW = SLAB_BYTES >> 2;

const EMPTY = -1;
const GONE = -2;
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

  /** Bytes of buffers held (live documents plus dead space not yet reclaimed). */
  get allocated(): number {
    let n = 0;
    for (const s of this.slabs) if (s) n += s.length;
    return n;
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
    this.slabs = [];
    this.live = [];
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
    for (const slot of this.liveSlots()) yield this.decode(slot);
  }

  /** Iterates like the `Map<string, Doc>` it replaces. */
  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const slot of this.liveSlots()) yield [this.keyOf(slot), this.decode(slot)];
  }

  /** [key, bytes] in natural order; the bytes are views, valid until the next write. */
  *rawEntries(): IterableIterator<[string, Uint8Array]> {
    for (const slot of this.liveSlots()) yield [this.keyOf(slot), this.view(slot)];
  }

  private decode(slot: number): Doc {
    // Decode from a copy: bson's Binary values are views into the bytes they were decoded from.
    return deserialize(Buffer.from(this.view(slot)), DECODE);
  }

  private view(slot: number): Uint8Array {
    const off = this.offsetOf[slot];
    return this.slabs[this.slabOf[slot]]!.subarray(off, off + this.lengthOf[slot]);
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
      off = 0;
    } else {
      if (this.current < 0 || this.used + len > SLAB_BYTES) {
        this.current = this.slabs.length;
        this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
        this.live.push(0);
        this.used = 0;
      }
      s = this.current;
      off = this.used;
      this.slabs[s]!.set(bson, off);
      this.used += len;
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
    if (this.live[s] === 0) this.slabs[s] = null;
    else if (this.slabs[s]!.length === SLAB_BYTES && this.live[s] < RECLAIM_BELOW) this.evacuate(s, slot);
  }

  /** Copy the live documents of slab `s` into the current slab and drop it (`except` is being rewritten anyway). */
  private evacuate(s: number, except: number): void {
    const from = this.slabs[s]!;
    for (const slot of this.liveSlots()) {
      if (slot === except || this.slabOf[slot] !== s) continue;
      const off = this.offsetOf[slot];
      const bytes = from.subarray(off, off + this.lengthOf[slot]);
      this.live[s] -= bytes.length;
      this.bytes -= bytes.length;
      this.place(slot, bytes);
    }
    this.slabs[s] = null;
    this.live[s] = 0;
  }
}
