/**
 * Where full slabs of document bytes go when the stand-in keeps data on disk (doc-heap.ts): one file of fixed-size
 * pages, each holding one sealed slab, read back with positioned reads. It is a cache of what the snapshot and the
 * journal already hold durably, not a store of its own: it is created empty at every start (the documents are placed
 * in it while the snapshot is read) and unlinked as soon as it is open, so nothing is left behind by a crash and no
 * reader ever finds a stale one. The operating system's page cache keeps the pages that are read often in memory
 * (outside the process's RSS), the way MongoDB leans on the file system cache under WiredTiger's own.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

export class SlabFile {
  private fd: number;
  /** Pages written so far (the file's length in pages), and the ones given back for reuse. */
  private pages = 0;
  private readonly free: number[] = [];
  private readonly unlinked: boolean;

  constructor(
    readonly path: string,
    readonly pageBytes: number,
  ) {
    this.fd = openSync(path, 'w+');
    let unlinked = true;
    try {
      rmSync(path);
    } catch {
      // A platform that cannot remove an open file (Windows): removed on close instead.
      unlinked = false;
    }
    this.unlinked = unlinked;
  }

  /** Pages in use, as bytes. */
  get bytes(): number {
    return (this.pages - this.free.length) * this.pageBytes;
  }

  /** Bytes the file takes on disk (pages in use and pages free for reuse). */
  get fileBytes(): number {
    return this.fd < 0 ? 0 : fstatSync(this.fd).size;
  }

  /** Write the first `length` bytes of `slab` to a page; returns the page. */
  write(slab: Uint8Array, length: number): number {
    const page = this.free.pop() ?? this.pages++;
    let done = 0;
    while (done < length) done += writeSync(this.fd, slab, done, length - done, page * this.pageBytes + done);
    return page;
  }

  /** `length` bytes from `offset` within `page`, into a fresh buffer. */
  read(page: number, offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, page * this.pageBytes + offset + done);
      if (n === 0) throw new Error(`slab file ${this.path}: short read in page ${page}`);
      done += n;
    }
    return out;
  }

  release(page: number): void {
    this.free.push(page);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    if (!this.unlinked) rmSync(this.path, { force: true });
  }
}
