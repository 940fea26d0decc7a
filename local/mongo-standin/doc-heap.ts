/**
 * Compact document storage for one collection: every document is kept as its BSON bytes inside large shared
 * buffers ("slabs"), located by a slot number, so a stored document costs its BSON size plus about 100 bytes of
 * bookkeeping (a Map entry from the canonical `_id` key to the slot, and three int32s) instead of a tree of JS
 * objects (measured ~5× smaller; see README "Memory layout").
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

export class DocHeap {
  private readonly slots = new Map<string, number>();
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
    return this.slots.size;
  }

  /** Bytes of buffers held (live documents plus dead space not yet reclaimed). */
  get allocated(): number {
    let n = 0;
    for (const s of this.slabs) if (s) n += s.length;
    return n;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** A fresh decoded copy of the document, or undefined. */
  get(key: string): Doc | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.decode(slot);
  }

  /** A decoded copy through `read` (e.g. only some paths: bson-fields.ts), or whole when `read` cannot. */
  getWith(key: string, read: (bytes: Uint8Array) => Doc | undefined): Doc | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : (read(this.view(slot)) ?? this.decode(slot));
  }

  /** The stored BSON bytes (a copy), for the journal and snapshots. */
  raw(key: string): Buffer | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : Buffer.from(this.view(slot));
  }

  /** Whether `bson` is exactly the stored document's bytes (no copy made). */
  sameBytes(key: string, bson: Uint8Array): boolean {
    const slot = this.slots.get(key);
    return slot !== undefined && Buffer.from(bson.buffer, bson.byteOffset, bson.byteLength).equals(this.view(slot));
  }

  /** The insertion sequence recorded for the document under `key` (see `setSeq`). */
  seq(key: string): number | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    const n = this.seqOf[slot];
    return n < 0 ? undefined : n;
  }

  /** Record the insertion sequence of the (stored) document under `key`. */
  setSeq(key: string, seq: number): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) this.seqOf[slot] = seq;
  }

  /** Store `bson` under `key` (replacing keeps the document's place in natural order, like the Map it replaces). */
  set(key: string, bson: Uint8Array): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.grow();
      this.slots.set(key, slot);
      this.seqOf[slot] = -1;
    } else this.release(slot);
    this.place(slot, bson);
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.release(slot);
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.slabs = [];
    this.live = [];
    this.current = -1;
    this.used = 0;
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    this.bytes = 0;
  }

  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  /** Decoded copies in natural order. */
  *values(): IterableIterator<Doc> {
    for (const slot of this.slots.values()) yield this.decode(slot);
  }

  /** Iterates like the `Map<string, Doc>` it replaces. */
  [Symbol.iterator](): IterableIterator<[string, Doc]> {
    return this.entries();
  }

  *entries(): IterableIterator<[string, Doc]> {
    for (const [key, slot] of this.slots) yield [key, this.decode(slot)];
  }

  /** [key, bytes] in natural order; the bytes are views, valid until the next write. */
  *rawEntries(): IterableIterator<[string, Uint8Array]> {
    for (const [key, slot] of this.slots) yield [key, this.view(slot)];
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
    for (const slot of this.slots.values()) {
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
