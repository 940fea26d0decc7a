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

/**
 * The paths a filter reads, as a tree (`true`: the whole value at that path), or null when the filter can read
 * anything (`$expr`, `$where`, `$jsonSchema`, `$text`): then documents are decoded whole.
 */
export type PathTree = { [name: string]: PathTree | true };

export function filterPaths(filter: unknown, tree: PathTree = { _id: true }): PathTree | null {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return tree;
  for (const [k, v] of Object.entries(filter as Record<string, unknown>)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v)) return null;
      for (const clause of v) if (!filterPaths(clause, tree)) return null;
      continue;
    }
    if (k === '$comment') continue;
    if (k.startsWith('$')) return null;
    addPath(tree, k);
  }
  return tree;
}

/** Adds a dotted path to a tree (its whole value); a path under one already whole changes nothing. */
export function addPath(tree: PathTree, path: string): void {
  let node = tree;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const cur = node[parts[i]];
    if (cur === true) return;
    if (i === parts.length - 1) node[parts[i]] = true;
    else node = node[parts[i]] = cur ?? {};
  }
}

/**
 * A copy of a document holding only the paths of `tree` (an embedded document is cut down to the paths below it;
 * an array or any other value at a path is kept whole), decoded as a full read would decode those values; or
 * undefined when the bytes cannot be walked. A filter that reads only these paths gives the same answer on the
 * copy as on the whole document: the console's counts decode a member's `buys.cats` and `buys.aov`, not every SKU.
 */
export function pickPaths(bson: Uint8Array, tree: PathTree): Doc | undefined {
  let compiled = compiledTrees.get(tree);
  if (!compiled) compiledTrees.set(tree, (compiled = compile(tree)));
  const out = cutDocument(bson, 0, compiled);
  return out ? deserialize(out, DECODE) : undefined;
}

/** A path tree with its names as UTF-8 bytes, so elements are matched without decoding their names. */
interface CompiledTree {
  names: Buffer[];
  /** Per name: the tree below it, or null for the whole value. */
  below: Array<CompiledTree | null>;
}

/** Compiled once per tree (a command builds its tree once and reads every candidate with it). */
const compiledTrees = new WeakMap<PathTree, CompiledTree>();

function compile(tree: PathTree): CompiledTree {
  const entries = Object.entries(tree);
  return {
    names: entries.map(([k]) => Buffer.from(k, 'utf8')),
    below: entries.map(([, v]) => (v === true ? null : compile(v))),
  };
}

/** Which of the tree's names the element name at b[from, to) is, or -1. */
function nameIndex(tree: CompiledTree, b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  outer: for (let j = 0; j < tree.names.length; j++) {
    const name = tree.names[j];
    if (name.length !== n) continue;
    for (let i = 0; i < n; i++) if (name[i] !== b[from + i]) continue outer;
    return j;
  }
  return -1;
}

function cutDocument(b: Uint8Array, at: number, tree: CompiledTree): Buffer | undefined {
  const size = readInt32(b, at);
  const end = at + size;
  if (size < 5 || end > b.length || b[end - 1] !== 0) return undefined;
  const parts: Uint8Array[] = [];
  let total = 5;
  let p = at + 4;
  while (p < end - 1) {
    const start = p;
    const type = b[p++];
    const nameStart = p;
    while (p < end && b[p] !== 0) p++;
    if (p >= end) return undefined;
    const j = nameIndex(tree, b, nameStart, p);
    p++;
    const len = valueSize(b, type, p, end);
    if (len < 0 || p + len > end - 1) return undefined;
    if (j >= 0) {
      const below = tree.below[j];
      if (!below || type !== 0x03) {
        parts.push(b.subarray(start, p + len));
        total += p + len - start;
      } else {
        const sub = cutDocument(b, p, below);
        if (!sub) return undefined;
        const head = b.subarray(start, p);
        parts.push(head, sub);
        total += head.length + sub.length;
      }
    }
    p += len;
  }
  const out = Buffer.allocUnsafe(total);
  out.writeInt32LE(total, 0);
  let o = 4;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  out[o] = 0;
  return out;
}
