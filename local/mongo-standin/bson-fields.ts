/**
 * Partial BSON reads: decode only some top-level fields of a stored document. Loading the data at start needs a
 * document's index keys, not the document, and decoding the few indexed fields costs a fraction of decoding all
 * of them (a member has dozens of fields, a handful are indexed).
 *
 * The reader walks the top-level elements by their sizes (the BSON spec's element layout), copies the wanted
 * elements into a small document of their own and decodes that with the same options as a full read, so every
 * value comes out exactly as `deserialize` of the whole document would give it. A document it cannot walk (an
 * element type it does not know, a size that runs past the end) gets `undefined`, and the caller decodes it whole.
 */
import { deserialize } from 'bson';
import { DECODE } from './doc-heap';
import type { Doc } from './values';

/** The field names to pick, prepared once per set of indexes. */
export class FieldPicker {
  private readonly names: Buffer[];
  private scratch = Buffer.allocUnsafe(4096);

  constructor(fields: Iterable<string>) {
    this.names = [...new Set(fields)].map((f) => Buffer.from(f, 'utf8'));
  }

  /** The wanted top-level fields of `bson` as a document (in stored order), or undefined if it cannot be walked. */
  pick(bson: Uint8Array): Doc | undefined {
    const end = readInt32(bson, 0);
    if (end !== bson.length || bson[end - 1] !== 0) return undefined;
    const ranges: number[] = [];
    let size = 5;
    let p = 4;
    while (p < end - 1) {
      const start = p;
      const type = bson[p++];
      const nameStart = p;
      while (p < end && bson[p] !== 0) p++;
      if (p >= end) return undefined;
      const nameEnd = p++;
      const len = valueSize(bson, type, p, end);
      if (len < 0 || p + len > end - 1) return undefined;
      p += len;
      if (this.wanted(bson, nameStart, nameEnd)) {
        ranges.push(start, p);
        size += p - start;
      }
    }
    // Decoded from a reused buffer unless a picked value is or may hold binary data (bson's Binary values are
    // views of the bytes they were decoded from): a binary, a document, an array or code with scope.
    let binary = false;
    for (let i = 0; i < ranges.length; i += 2) if (MAY_HOLD_BINARY.has(bson[ranges[i]])) binary = true;
    if (!binary && this.scratch.length < size)
      this.scratch = Buffer.allocUnsafe(Math.max(size, 2 * this.scratch.length));
    const out = binary ? Buffer.allocUnsafe(size) : this.scratch;
    out.writeInt32LE(size, 0);
    let o = 4;
    for (let i = 0; i < ranges.length; i += 2) {
      out.set(bson.subarray(ranges[i], ranges[i + 1]), o);
      o += ranges[i + 1] - ranges[i];
    }
    out[o] = 0;
    return deserialize(binary ? out : out.subarray(0, size), DECODE);
  }

  private wanted(bson: Uint8Array, from: number, to: number): boolean {
    const n = to - from;
    outer: for (const name of this.names) {
      if (name.length !== n) continue;
      for (let i = 0; i < n; i++) if (name[i] !== bson[from + i]) continue outer;
      return true;
    }
    return false;
  }
}

const MAY_HOLD_BINARY = new Set([0x03, 0x04, 0x05, 0x0f]);

function readInt32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/** Bytes of an element's value starting at `p`, or -1 for a type this reader does not know. */
function valueSize(b: Uint8Array, type: number, p: number, end: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return p + 4 <= end ? 4 + readInt32(b, p) : -1;
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope (total length first)
      return p + 4 <= end ? readInt32(b, p) : -1;
    case 0x05: // binary: length, subtype, bytes
      return p + 4 <= end ? 5 + readInt32(b, p) : -1;
    case 0x06: // undefined
    case 0x0a: // null
    case 0xff: // min key
    case 0x7f: // max key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regex: two cstrings
      let q = p;
      for (let k = 0; k < 2; k++) {
        while (q < end && b[q] !== 0) q++;
        if (q >= end) return -1;
        q++;
      }
      return q - p;
    }
    case 0x0c: // DBPointer: string, then 12 bytes
      return p + 4 <= end ? 4 + readInt32(b, p) + 12 : -1;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      return -1;
  }
}
