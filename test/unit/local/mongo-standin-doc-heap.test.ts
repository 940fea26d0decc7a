/** #18.3: the stand-in keeps documents as BSON bytes, hands out private copies, and reclaims replaced space. */
import { Binary, ObjectId, calculateObjectSize } from 'bson';
import { Store } from '../../../local/mongo-standin/store';

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
