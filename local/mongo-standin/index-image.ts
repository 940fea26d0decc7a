/**
 * Index images: a clean close writes every index's entries to `indexes.img` in the data directory, so the next start
 * reads them back instead of building every index from the documents (the index build was ~85% of opening 100k
 * members' data: 2.25M documents, ~15M index entries, 28 s).
 *
 * The image is a cache, never a source of truth:
 * - It names the data it was taken of: the snapshot and each journal by name, size and a checksum of their last
 *   64 KiB (not modification times, so a copied data directory keeps its image).
 * - It stays valid while the files only grow after it: the same snapshot, the same journals with those bytes, and any
 *   number of journal records after them. A start loads the files up to where the image was taken, adopts the image,
 *   then replays the records after it with their index entries maintained, as the writes that journalled them did
 *   (`Collection.reapply`). So a start after a crash reads the image of the last clean stop too, as long as no
 *   compaction replaced its snapshot since (a compaction deletes it) and the records after it are fewer than
 *   `IMAGE_TAIL_MAX_BYTES` (beyond that, building is cheaper than replaying them one by one).
 * - An image that does not fit the files (another snapshot, different bytes, a journal cut shorter than the image
 *   says, a collection whose documents differ) is deleted and the indexes are built as before.
 * - Frames carry checksums (journal-format.ts); an unreadable or inconsistent image is ignored, never half used.
 *
 * Documents are named by their ordinal in natural order. That order is the same in the process that wrote the image
 * and in the one reading it (snapshots keep natural order, the journal replays inserts in order), and so is the order
 * of insertion sequences, the tie-breaker of equal keys (an insert always gets the next sequence and goes last, an
 * update keeps both), so the entries come back in index order without a comparison.
 *
 * Frames: `H` (version, files), then per collection `C` (its number of documents and their layout hash), per index `X` (name, counts, the
 * unique keys kept outside the ordered entries) followed by its `K` chunks, and `E` last. A chunk's body is its
 * ordinals (int32 each), then per key field the times (float64 each), the ObjectIds (12 bytes each) or a BSON
 * document `{ v: [values] }` (with the positions of undefined values, an empty array's key, in the header).
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { deserialize, serialize } from 'bson';
import { DECODE } from './doc-heap';
import type { ChunkData, ColumnData, OrderedIndexCounts } from './index-data';
import { FrameReader, FrameWriter, journalName, snapshotName } from './journal-format';
import type { Collection, Store } from './store';

export const IMAGE_FILE = 'indexes.img';
const VERSION = 2;
/** Journal bytes after the image beyond which a start builds the indexes instead of replaying onto the image. */
export const IMAGE_TAIL_MAX_BYTES = 64 * 1024 * 1024;
/** How much of each file's end its checksum covers. */
const TAIL_CHECK_BYTES = 64 * 1024;

/** The data files an image was taken of: name, size and a checksum of the last 64 KiB of each. */
export type DataFingerprint = Array<[string, number, number]>;

/** The files a store is loaded from: the snapshot of `base` (if any) and the journals from it on. */
export function fingerprint(dir: string, base: number | undefined, journals: number[]): DataFingerprint {
  const names = [...(base === undefined ? [] : [snapshotName(base)]), ...journals.map(journalName)];
  return names.map((name) => {
    const file = path.join(dir, name);
    const size = statSync(file).size;
    return [name, size, tailChecksum(file, size)];
  });
}

/** crc32 of the `TAIL_CHECK_BYTES` of `file` before `size` (all of it when smaller). */
function tailChecksum(file: string, size: number): number {
  const n = Math.min(size, TAIL_CHECK_BYTES);
  const buf = Buffer.allocUnsafe(n);
  const fd = openSync(file, 'r');
  try {
    let got = 0;
    while (got < n) {
      const r = readSync(fd, buf, got, n - got, size - n + got);
      if (r <= 0) break;
      got += r;
    }
    return got === n ? crc32(buf) : -1;
  } finally {
    closeSync(fd);
  }
}

/**
 * How many bytes of each journal an image taken of `image` covers, given the files loaded now (the snapshot of
 * `base` and `journals`); undefined when the image does not fit them. It fits when it names the same snapshot with
 * the same bytes and the same first journals, each unchanged but the last, which may have grown (the bytes the image
 * saw still there); journals after those are not covered at all.
 */
export function imageCoverage(
  dir: string,
  image: DataFingerprint,
  base: number | undefined,
  journals: number[],
): number[] | undefined {
  const files = [...(base === undefined ? [] : [snapshotName(base)]), ...journals.map(journalName)];
  if (image.length > files.length || image.some((f, i) => f[0] !== files[i])) return undefined;
  const covered = journals.map(() => 0);
  for (let i = 0; i < image.length; i++) {
    const [name, size, sum] = image[i];
    const file = path.join(dir, name);
    const now = statSync(file).size;
    const j = i - (base === undefined ? 0 : 1);
    // The snapshot, and every journal but the image's last, exactly as they were; the last one at least as long.
    const mayGrow = j >= 0 && i === image.length - 1;
    if (now < size || (now !== size && !mayGrow)) return undefined;
    if (tailChecksum(file, size) !== sum) return undefined;
    if (j >= 0) covered[j] = size;
  }
  return covered;
}

/** The files named by the image in `dir`, or undefined when there is none or its first frame cannot be read. */
export function readImageFiles(dir: string): DataFingerprint | undefined {
  const file = path.join(dir, IMAGE_FILE);
  if (!existsSync(file)) return undefined;
  let reader: FrameReader | undefined;
  try {
    reader = new FrameReader(file, 64 * 1024);
    for (const { header: h } of reader.frames())
      return h.t === 'H' && h.v === VERSION ? (h.files as DataFingerprint) : undefined;
    return undefined;
  } catch {
    return undefined;
  } finally {
    reader?.close();
  }
}

export function removeIndexImage(dir: string): void {
  rmSync(path.join(dir, IMAGE_FILE), { force: true });
}

const sameFingerprint = (a: DataFingerprint, b: DataFingerprint) =>
  a.length === b.length && a.every((f, i) => f[0] === b[i][0] && f[1] === b[i][1] && f[2] === b[i][2]);

interface IndexImage {
  name: string;
  counts: OrderedIndexCounts;
  /** A unique index's keys kept by canonical form: [canonical key, _id key]. */
  others: Array<[string, string]>;
  chunks: ChunkData[];
}

export interface CollectionImage {
  documents: number;
  /** DocHeap.layoutHash() of the documents the image was taken of. */
  layout: number;
  indexes: IndexImage[];
}

/** Write the image of every collection's indexes (after the journal's last write), replacing any older one. */
export function writeIndexImage(dir: string, store: Store, files: DataFingerprint): { bytes: number } {
  const file = path.join(dir, IMAGE_FILE);
  const tmp = `${file}.tmp`;
  const out = new FrameWriter(tmp);
  try {
    out.write({ t: 'H', v: VERSION, files });
    for (const [d, db] of store.dbs)
      for (const [c, coll] of db.collections) {
        out.write({ t: 'C', d, c, docs: coll.docs.size, layout: coll.docs.layoutHash() });
        const ordinal = ordinalsBySlot(coll);
        for (const idx of coll.indexes) {
          const counts = idx.ordered.counts;
          const others = idx.otherKeys ? [...idx.otherKeys] : [];
          out.write({ t: 'X', n: idx.name, ...counts, others });
          for (const chunk of idx.ordered.exportChunks()) writeChunk(out, chunk, ordinal);
        }
      }
    out.write({ t: 'E' });
    out.finish();
  } catch (err) {
    try {
      out.finish();
    } catch {
      // already failing
    }
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  return { bytes: out.bytes };
}

function ordinalsBySlot(coll: Collection): Int32Array {
  const slots = coll.docs.slotsInOrder();
  let max = 0;
  for (const s of slots) if (s > max) max = s;
  const out = new Int32Array(max + 1).fill(-1);
  for (let i = 0; i < slots.length; i++) out[slots[i]] = i;
  return out;
}

function writeChunk(out: FrameWriter, chunk: ChunkData, ordinal: Int32Array): void {
  const parts: Uint8Array[] = [];
  const ids = new Int32Array(chunk.n);
  for (let i = 0; i < chunk.n; i++) {
    const o = ordinal[chunk.ids[i]];
    if (o === undefined || o < 0) throw new Error('index image: an entry names a document that is not stored');
    ids[i] = o;
  }
  parts.push(new Uint8Array(ids.buffer));
  const kinds: string[] = [];
  const undef: number[][] = [];
  for (const col of chunk.cols) {
    if ('d' in col) {
      kinds.push('d');
      parts.push(new Uint8Array(col.d.buffer, col.d.byteOffset, col.d.byteLength));
      undef.push([]);
    } else if ('o' in col) {
      kinds.push('o');
      parts.push(col.o);
      undef.push([]);
    } else {
      kinds.push('v');
      const u: number[] = [];
      col.v.forEach((v, i) => v === undefined && u.push(i));
      undef.push(u);
      parts.push(serialize({ v: col.v.map((v) => (v === undefined ? null : v)) }, { checkKeys: false }));
    }
  }
  out.write({ t: 'K', len: chunk.n, kinds, u: undef }, Buffer.concat(parts));
}

/**
 * Hand each collection of the image in `dir` to `adopt` as soon as its part has been read whole (so only one
 * collection's entries are held at a time), if the image names exactly `files` (see `readImageFiles`). Returns the
 * namespaces `adopt` took, and whether the image was read to its end; nothing when there is no image, it names other
 * files, or its first frames cannot be read (a damaged frame later ends the reading: the collections before it
 * stand, being whole and checked). The file is left in place: the caller keeps or deletes it.
 */
export function readIndexImage(
  dir: string,
  files: DataFingerprint,
  adopt: (db: string, coll: string, image: CollectionImage) => boolean,
): { adopted: Set<string>; rejected: number; whole: boolean } {
  const file = path.join(dir, IMAGE_FILE);
  const adopted = new Set<string>();
  let rejected = 0;
  let whole = false;
  if (!existsSync(file)) return { adopted, rejected, whole };
  try {
    whole = readImage(file, files, (d, c, img) => {
      if (adopt(d, c, img)) adopted.add(`${d}.${c}`);
      else rejected++;
    });
  } catch {
    // Unreadable from here on: the collections not adopted yet are built.
  }
  return { adopted, rejected, whole };
}

function readImage(
  file: string,
  files: DataFingerprint,
  done: (db: string, coll: string, image: CollectionImage) => void,
): boolean {
  const reader = new FrameReader(file);
  let current: { d: string; c: string; image: CollectionImage } | undefined;
  let idx: IndexImage | undefined;
  let first = true;
  const finish = () => {
    if (current) done(current.d, current.c, current.image);
    current = undefined;
    idx = undefined;
  };
  try {
    for (const { header: h, body } of reader.frames()) {
      if (first) {
        first = false;
        if (h.t !== 'H' || h.v !== VERSION || !sameFingerprint(h.files as DataFingerprint, files)) return false;
        continue;
      }
      switch (h.t) {
        case 'C':
          finish();
          current = {
            d: h.d!,
            c: h.c!,
            image: { documents: h.docs as number, layout: h.layout as number, indexes: [] },
          };
          break;
        case 'X':
          if (!current) return false;
          idx = {
            name: h.n!,
            counts: {
              size: h.size as number,
              unsafeKeys: h.unsafeKeys as number,
              multikeyDocs: h.multikeyDocs as number[],
            },
            others: h.others as Array<[string, string]>,
            chunks: [],
          };
          current.image.indexes.push(idx);
          break;
        case 'K':
          if (!idx || !body) return false;
          idx.chunks.push(readChunk(h.len as number, h.kinds as string[], h.u as number[][], body));
          break;
        case 'E':
          finish();
          return true;
        default:
          return false;
      }
    }
    // No end frame: the collection being read is cut short and is not handed on.
    return false;
  } finally {
    reader.close();
  }
}

function readChunk(n: number, kinds: string[], undef: number[][], body: Buffer): ChunkData {
  let off = 0;
  const take = (bytes: number): Uint8Array => {
    if (off + bytes > body.length) throw new Error('index image: chunk cut short');
    const b = new Uint8Array(bytes);
    b.set(body.subarray(off, off + bytes));
    off += bytes;
    return b;
  };
  const ids = new Int32Array(take(n * 4).buffer);
  const cols: ColumnData[] = kinds.map((k, f): ColumnData => {
    if (k === 'd') return { d: new Float64Array(take(n * 8).buffer) };
    if (k === 'o') return { o: take(n * 12) };
    const len = body.readInt32LE(off);
    const v = (deserialize(body.subarray(off, off + len), DECODE) as { v: unknown[] }).v;
    off += len;
    for (const i of undef[f] ?? []) v[i] = undefined;
    return { v };
  });
  if (off !== body.length) throw new Error('index image: chunk has trailing bytes');
  return { n, ids, cols };
}
