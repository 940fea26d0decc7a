/** #18.3: the stand-in keeps documents as BSON bytes, hands out private copies, and reclaims replaced space. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Binary, ObjectId, calculateObjectSize } from 'bson';
import { SLAB_BYTES } from '../../../local/mongo-standin/doc-heap';
import { planAndFetch } from '../../../local/mongo-standin/planner';
import { SlabFile } from '../../../local/mongo-standin/slab-file';
import { Store } from '../../../local/mongo-standin/store';
import { canonicalKey } from '../../../local/mongo-standin/values';

const coll = () => new Store().db('t').getOrCreate('c');

describe('#18.3 compact documents', () => {
  it('stores each document as its BSON bytes, nothing more', () => {
    const c = coll();
    const docs = Array.from({ length: 500 }, (_, i) => ({ _id: new ObjectId(), i, name: `會員${i}`, at: new Date(i) }));
    for (const d of docs) c.insert(d);
    expect(c.dataSize).toBe(docs.reduce((n, d) => n + calculateObjectSize(d), 0));
    expect(c.docs.allocated).toBe(1024 * 1024); // one slab holds all 500
    expect(c.all()).toEqual(docs);
  });

  it('hands out private copies: changing what a read returned (even a Binary’s bytes) changes nothing stored', () => {
    const c = coll();
    c.insert({ _id: 1, tags: ['a'], nested: { n: 1 }, bin: new Binary(Buffer.from('abc')) });
    const read = c.docs.get('n:1')!;
    read.tags.push('b');
    read.nested.n = 2;
    read.bin.buffer[0] = 0x7a;
    const again = c.docs.get('n:1')!;
    expect(again.tags).toEqual(['a']);
    expect(again.nested).toEqual({ n: 1 });
    expect(Buffer.from(again.bin.buffer).toString()).toBe('abc');
    expect(c.docs.get('n:1')).not.toBe(again);
  });

  it('reclaims the space of replaced and deleted documents while keeping natural order and contents', () => {
    const c = coll();
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) c.insert({ _id: i, v: 0, pad });
    for (let v = 1; v <= 5; v++) {
      for (let i = 0; i < 3000; i++) c.replace(c.docs.get(`n:${i}`)!, { _id: i, v, pad });
    }
    for (let i = 0; i < 3000; i += 2) c.remove(c.docs.get(`n:${i}`)!);
    const all = c.all();
    expect(all.map((d) => d._id)).toEqual(Array.from({ length: 1500 }, (_, k) => 2 * k + 1));
    expect(all.every((d) => d.v === 5 && d.pad === pad)).toBe(true);
    // ~18 MiB were written in all; what is held stays within a small multiple of what is live.
    expect(c.docs.allocated).toBeLessThanOrEqual(c.dataSize * 4 + 2 * 1024 * 1024);
  });
});

describe('#18.3 document keys without a string per document', () => {
  it('finds ObjectId and other _ids through deletes, re-inserts and table growth, in natural order', () => {
    const c = coll();
    const ids: unknown[] = [];
    for (let i = 0; i < 6000; i++) {
      const _id = i % 7 === 0 ? `s${i}` : i % 11 === 0 ? i : new ObjectId();
      ids.push(_id);
      c.insert({ _id, i });
    }
    // Delete two of every three (the hash table keeps tombstones, natural order holes), then insert more.
    const kept = ids.filter((_, i) => i % 3 === 0);
    for (let i = 0; i < ids.length; i++) if (i % 3 !== 0) c.remove({ _id: ids[i] });
    const more = Array.from({ length: 3000 }, () => new ObjectId());
    for (const [k, _id] of more.entries()) c.insert({ _id, i: 6000 + k });
    // A deleted ObjectId comes back at the end of natural order.
    c.insert({ _id: ids[1], i: 9000 });

    const want = [...kept, ...more, ids[1]];
    expect(c.docs.size).toBe(want.length);
    expect(c.all().map((d) => d._id)).toEqual(want);
    expect([...c.docs.keys()]).toEqual(want.map((id) => canonicalKey(id)));
    expect(c.docs.get(canonicalKey(ids[2]))).toBeUndefined();
    expect(c.docs.get(canonicalKey(ids[3]))).toMatchObject({ i: 3 });
    expect(c.docs.get(canonicalKey(more[5]))).toMatchObject({ i: 6005 });
    // Keys that only look like an ObjectId's are other keys.
    expect(c.docs.has(`o:${'G'.repeat(24)}`)).toBe(false);
    // An index over the documents hands out their keys.
    c.createIndex({ v: 2, key: { i: 1 }, name: 'i_1' });
    const planned = planAndFetch(c, { i: { $gte: 6000 } }).docs.map((d) => d._id);
    expect(planned).toEqual([...more, ids[1]]);
  });
});

describe('#18.3 full slabs in a slab file', () => {
  let dir: string;
  let file: SlabFile;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'slabs-'));
    file = new SlabFile(path.join(dir, 'slabs.cache'), SLAB_BYTES);
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spilled = () => {
    const store = new Store();
    store.slabFile = file;
    return store.db('t').getOrCreate('c');
  };

  it('keeps only the slab being filled in memory, and reads every document back the same', () => {
    const c = spilled();
    const pad = 'x'.repeat(1000);
    const docs = Array.from({ length: 5000 }, (_, i) => ({
      _id: new ObjectId(),
      i,
      pad,
      bin: new Binary(Buffer.from([i & 255])),
    }));
    for (const d of docs) c.insert(d);
    expect(c.docs.resident).toBe(SLAB_BYTES);
    expect(file.bytes).toBeGreaterThanOrEqual(4 * SLAB_BYTES);
    // The file is not in the directory: it was unlinked as soon as it was open.
    expect(readdirSync(dir)).toEqual([]);
    expect(c.all()).toEqual(docs);
    expect(c.docs.get(canonicalKey(docs[17]._id))).toEqual(docs[17]);
    // A point read is a private copy too.
    const one = c.docs.get(canonicalKey(docs[3]._id))!;
    one.bin.buffer[0] = 0x7a;
    expect(c.docs.get(canonicalKey(docs[3]._id))!.bin.buffer[0]).toBe(3);
    // Fetches by index, few (read one by one) and many (whole slabs), come back in natural order.
    c.createIndex({ v: 2, key: { i: 1 }, name: 'i_1' });
    expect(planAndFetch(c, { i: { $in: [4999, 2, 2500] } }).docs.map((d) => d.i)).toEqual([2, 2500, 4999]);
    const many = planAndFetch(c, { i: { $gte: 1000, $lt: 4000 } });
    expect(many.plan).toEqual(expect.objectContaining({ kind: 'IXSCAN' }));
    expect(many.docs).toEqual(docs.slice(1000, 4000));
    // A full scan reading only some fields.
    expect([...c.docs.valuesWith(() => undefined)]).toEqual(docs);
  });

  it('an update of documents a fetch read whole compares them without reading each from the file again', async () => {
    const c = spilled();
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) c.insert({ _id: i, v: 0, pad });
    c.createIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
    const reads = jest.spyOn(file, 'read');
    try {
      // In one turn, as the update command runs: fetch (whole slabs), then compare and rewrite each document.
      const fetched = planAndFetch(c, { _id: { $gte: 100, $lt: 400 } }).docs;
      const whole = reads.mock.calls.length;
      expect(whole).toBeGreaterThan(0);
      expect(whole).toBeLessThan(10);
      for (const d of fetched) expect(c.replace(d, { ...d })).toBe(false); // unchanged: nothing written
      expect(reads.mock.calls.length).toBe(whole);
      for (const d of fetched.slice(0, 50)) expect(c.replace(d, { ...d, v: 1 })).toBe(true);
      expect(reads.mock.calls.length).toBe(whole);
      await Promise.resolve(); // the batch is over: the slabs it read are let go
      const before = reads.mock.calls.length;
      expect(c.replace(fetched[60], { ...fetched[60] })).toBe(false);
      expect(reads.mock.calls.length).toBe(before + 1);
      expect(
        c
          .all()
          .filter((d) => d.v === 1)
          .map((d) => d._id),
      ).toEqual(fetched.slice(0, 50).map((d) => d._id));
      // A point read from the kept slabs is a private copy, as a read from the file is.
      const again = planAndFetch(c, { _id: { $gte: 100, $lt: 400 } }).docs;
      expect(again).toHaveLength(300);
      const copy = c.docs.get('n:399')!;
      copy.pad = 'changed';
      expect(c.docs.get('n:399')!.pad).toBe(pad);
    } finally {
      reads.mockRestore();
    }
  });

  it('reclaims replaced and deleted space on file as in memory, giving pages back for reuse', () => {
    const c = spilled();
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) c.insert({ _id: i, v: 0, pad });
    for (let v = 1; v <= 5; v++) for (let i = 0; i < 3000; i++) c.replace(c.docs.get(`n:${i}`)!, { _id: i, v, pad });
    for (let i = 0; i < 3000; i += 2) c.remove(c.docs.get(`n:${i}`)!);
    const all = c.all();
    expect(all.map((d) => d._id)).toEqual(Array.from({ length: 1500 }, (_, k) => 2 * k + 1));
    expect(all.every((d) => d.v === 5 && d.pad === pad)).toBe(true);
    // ~18 MiB were written in all; pages in use stay within a small multiple of what is live, and freed pages
    // were reused (the file never grew to what was written).
    expect(c.docs.allocated).toBeLessThanOrEqual(c.dataSize * 4 + 2 * SLAB_BYTES);
    expect(file.fileBytes).toBeLessThan(12 * SLAB_BYTES);
    // Dropping the collection gives its pages back.
    c.docs.clear();
    expect(file.bytes).toBe(0);
  });
});
