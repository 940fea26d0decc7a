/**
 * On-disk format shared by the journal (main thread) and the compaction worker.
 *
 * Both files are a sequence of frames: `u32 length | u32 crc32(payload) | payload`, little-endian, where the
 * payload is a small BSON header (`t` = record type, plus names) optionally followed by one document's BSON bytes
 * (exactly the bytes stored in memory, so appending a write never re-serialises it). A frame whose length runs past
 * the end of the file or whose checksum does not match ends the readable part: that is the torn tail of a write
 * cut short by a crash, and everything before it is intact.
 *
 * Files in the data directory (`<gen>` is a generation number, zero-padded):
 * - `snapshot-<gen>.bson`: the whole store as of the start of `journal-<gen>.log`; `S` header frame, then per
 *   collection a `C` frame (options, index specs) followed by its documents as `p` frames without names, and an `E`
 *   frame last (a snapshot without it is ignored). Written by the worker to a `.tmp` file, fsynced, renamed.
 * - `journal-<gen>.log`: committed changes after that snapshot, in order.
 */
import { closeSync, fsyncSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { deserialize, serialize } from 'bson';
import type { Doc } from './values';

export const FRAME_HEAD = 8;
/** Far above any legal record (a 16 MiB document plus its names); a bigger length is garbage. */
const MAX_FRAME = 17 * 1024 * 1024;

/** Record types. */
export const T = {
  put: 'p',
  delete: 'x',
  create: 'c',
  drop: 'D',
  dropDatabase: 'B',
  createIndex: 'i',
  dropIndex: 'j',
  rename: 'r',
  snapshotStart: 'S',
  collection: 'C',
  snapshotEnd: 'E',
} as const;

export interface RecordHeader {
  t: string;
  /** database */
  d?: string;
  /** collection (for rename: the source) */
  c?: string;
  /** canonical _id key */
  k?: string;
  /** rename target */
  to?: string;
  /** collection options */
  o?: Doc;
  /** index spec(s) */
  s?: Doc;
  ix?: Doc[];
  /** dropped index name */
  n?: string;
  [extra: string]: unknown;
}

export interface Frame {
  header: RecordHeader;
  /** Document bytes of a put (a view into the reader's buffer: copy it to keep it). */
  body?: Buffer;
  /** Bytes this frame takes in the file. */
  size: number;
}

export function encodeFrame(header: RecordHeader, body?: Uint8Array): Buffer {
  const head = serialize(header, { ignoreUndefined: true, checkKeys: false });
  const len = head.length + (body?.length ?? 0);
  const frame = Buffer.allocUnsafe(FRAME_HEAD + len);
  frame.set(head, FRAME_HEAD);
  if (body) frame.set(body, FRAME_HEAD + head.length);
  frame.writeUInt32LE(len, 0);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEAD)), 4);
  return frame;
}

/**
 * Reads frames from a file in large chunks (synchronously: at start-up and in the worker). `goodBytes` is the
 * offset just past the last intact frame; `torn` says whether anything unreadable followed it.
 */
export class FrameReader {
  goodBytes = 0;
  torn = false;
  private buf = Buffer.allocUnsafe(0);
  private start = 0;
  private end = 0;
  private eof = false;
  private readonly fd: number;

  constructor(
    file: string,
    private readonly chunk = 8 * 1024 * 1024,
  ) {
    this.fd = openSync(file, 'r');
  }

  close(): void {
    closeSync(this.fd);
  }

  *frames(): Generator<Frame> {
    for (;;) {
      if (!this.fill(FRAME_HEAD)) break;
      const len = this.buf.readUInt32LE(this.start);
      const crc = this.buf.readUInt32LE(this.start + 4);
      if (len < 5 || len > MAX_FRAME || !this.fill(FRAME_HEAD + len)) {
        this.torn = true;
        break;
      }
      const payload = this.buf.subarray(this.start + FRAME_HEAD, this.start + FRAME_HEAD + len);
      if (crc32(payload) !== crc) {
        this.torn = true;
        break;
      }
      const headLen = payload.readInt32LE(0);
      if (headLen < 5 || headLen > len) {
        this.torn = true;
        break;
      }
      const header = deserialize(payload.subarray(0, headLen), { promoteValues: true }) as RecordHeader;
      const body = headLen < len ? payload.subarray(headLen) : undefined;
      this.start += FRAME_HEAD + len;
      this.goodBytes += FRAME_HEAD + len;
      yield { header, body, size: FRAME_HEAD + len };
    }
    // Bytes left over that do not form a whole frame are a torn tail too.
    if (!this.torn && this.end > this.start) this.torn = true;
  }

  /** Make at least `n` bytes available from `start`; false at end of file. */
  private fill(n: number): boolean {
    while (this.end - this.start < n) {
      if (this.eof) return false;
      const have = this.end - this.start;
      const size = Math.max(this.chunk, n);
      const next = this.buf.length >= size && this.start > 0 ? this.buf : Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = have;
      const read = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (read === 0) this.eof = true;
      this.end += read;
    }
    return true;
  }
}

/** Appends frames to a file with a write buffer (the worker's snapshot writer). */
export class FrameWriter {
  bytes = 0;
  private readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  write(header: RecordHeader, body?: Uint8Array): void {
    const frame = encodeFrame(header, body);
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    this.bytes += frame.length;
    if (this.pendingBytes >= 4 * 1024 * 1024) this.flush();
  }

  flush(): void {
    if (!this.pendingBytes) return;
    writeAll(this.fd, Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Flush, fsync and close. */
  finish(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

export function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

const pad = (gen: number) => String(gen).padStart(8, '0');
export const snapshotName = (gen: number) => `snapshot-${pad(gen)}.bson`;
export const journalName = (gen: number) => `journal-${pad(gen)}.log`;

export interface DataFiles {
  snapshots: number[];
  journals: number[];
  temporary: string[];
}

/** Generations present in a data directory, ascending. */
export function listDataFiles(dir: string): DataFiles {
  const out: DataFiles = { snapshots: [], journals: [], temporary: [] };
  for (const name of readdirSync(dir)) {
    const m = /^(snapshot|journal)-(\d+)\.(bson|log)$/.exec(name);
    if (m) (m[1] === 'snapshot' ? out.snapshots : out.journals).push(Number(m[2]));
    else if (name.endsWith('.tmp')) out.temporary.push(path.join(dir, name));
  }
  out.snapshots.sort((a, b) => a - b);
  out.journals.sort((a, b) => a - b);
  return out;
}
