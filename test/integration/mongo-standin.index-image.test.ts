/**
 * Index images (local/mongo-standin/index-image.ts): a clean close writes every index's entries, a later start on
 * those files (copied elsewhere too) reads them instead of building the indexes, and the indexes it ends up with
 * are entry for entry the ones a build gives (keys, documents, tie order, counts, unique keys kept aside), and keep
 * working for writes. After a crash the image of the last clean stop is read too, and the journal records written
 * after it are replayed onto it, with the same result as a build. An image that does not fit the files (another
 * snapshot after a compaction, other bytes, a journal shorter than it says, a damaged image, too many records after
 * it) is deleted and the indexes are built.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Decimal128, EJSON, ObjectId } from 'bson';
import { Bound } from '../../local/mongo-standin/index-data';
import { IMAGE_FILE } from '../../local/mongo-standin/index-image';
import { Journal } from '../../local/mongo-standin/journal';
import { Store } from '../../local/mongo-standin/store';
import { canonicalKey, type Doc } from '../../local/mongo-standin/values';

const root = mkdtempSync(path.join(os.tmpdir(), 'huigo-index-image-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(root, `d${++n}`);

function open(dir: string, opts: { compactBytes?: number } = {}) {
  const store = new Store();
  const journal = new Journal(dir, opts);
  const report = journal.open(store);
  store.sink = journal;
  return { store, journal, report };
}

const INDEXES = [
  { v: 2, key: { lineUserId: 1 }, name: 'lineUserId_1', unique: true },
  { v: 2, key: { tags: 1 }, name: 'tags_1' },
  { v: 2, key: { a: 1, b: -1 }, name: 'a_1_b_-1' },
  { v: 2, key: { phone: 1 }, name: 'phone_1', unique: true, sparse: true },
  { v: 2, key: { status: 1, at: -1 }, name: 'status_1_at_-1', partialFilterExpression: { status: { $exists: true } } },
  { v: 2, key: { at: -1 }, name: 'at_-1' },
  { v: 2, key: { ref: 1 }, name: 'ref_1' },
  { v: 2, key: { mixed: 1 }, name: 'mixed_1' },
  { v: 2, key: { 'nested.k': 1 }, name: 'nested.k_1' },
  { v: 2, key: { code: 1 }, name: 'code_1', unique: true, partialFilterExpression: { code: { $type: 'object' } } },
];

const MIXED = (i: number): unknown =>
  [null, i, `s${i % 7}`, true, new Date(1_700_000_000_000 + i), [i, i + 1], [], { x: i % 3 }, i / 3, undefined][i % 10];

function member(i: number, _id: unknown = new ObjectId()): Doc {
  const doc: Doc = {
    _id,
    lineUserId: `U${String(i).padStart(6, '0')}`,
    tags: i % 4 === 0 ? [] : [`t${i % 5}`, `t${(i * 7) % 5}`],
    a: i % 13,
    b: i % 3 === 0 ? `b${i % 11}` : i % 11,
    at: new Date(1_700_000_000_000 + ((i * 7919) % 100_000) * 1000),
    ref: i % 6 === 0 ? null : new ObjectId(String(i % 50).padStart(24, '0')),
    nested: i % 5 === 0 ? [{ k: i % 9 }, { k: 'x' }] : { k: i % 9 },
  };
  if (i % 2 === 0) doc.phone = `09${String(i).padStart(8, '0')}`;
  if (i % 3 !== 1) doc.status = ['active', 'pending', 'erased'][i % 3];
  const mixed = MIXED(i);
  if (mixed !== undefined) doc.mixed = mixed;
  if (i % 97 === 0) doc.code = { c: i, d: Decimal128.fromString(`${i}.5`) };
  return doc;
}

/** The history the indexes come from: inserts, updates that move keys, deletes, a delete and re-insert, odd _ids. */
async function writeHistory(dir: string, compact: boolean) {
  const { store, journal } = open(dir, { compactBytes: 1 << 30 });
  const db = store.db('huigo');
  const coll = db.getOrCreate('members');
  for (const spec of INDEXES) coll.createIndex(spec);
  const other = db.getOrCreate('events');
  other.createIndex({ v: 2, key: { userId: 1, seq: 1 }, name: 'userId_1_seq_1' });
  db.getOrCreate('empty').createIndex({ v: 2, key: { x: 1 }, name: 'x_1' });
  for (let i = 0; i < 1500; i++) coll.insert(member(i, i % 50 === 0 ? `str-${i}` : i % 51 === 0 ? i : new ObjectId()));
  for (let i = 0; i < 800; i++) other.insert({ userId: `U${i % 37}`, seq: (i * 31) % 200 });
  if (compact) await journal.compactNow();
  const docs = coll.all();
  for (let i = 0; i < docs.length; i += 7) {
    const d = docs[i];
    coll.replace(d, { ...d, a: (d.a as number) + 100, at: new Date(0), tags: ['moved'] });
  }
  for (let i = 3; i < docs.length; i += 11) coll.remove(coll.docs.get(keyOf(docs[i]))!);
  // Deleted and inserted again: it goes last in natural order with a new insertion sequence.
  const again = docs[5];
  coll.remove(coll.docs.get(keyOf(again))!);
  coll.insert({ ...again, a: 0, b: 0 });
  for (let i = 1500; i < 1600; i++) coll.insert(member(i));
  await journal.close();
}

const keyOf = (d: Doc) => canonicalKey(d._id);

/** Every index of every collection, entry by entry in index order, with its counts and aside keys. */
function dump(store: Store): unknown {
  const out: Record<string, unknown> = {};
  for (const [d, db] of store.dbs)
    for (const [c, coll] of db.collections)
      for (const idx of coll.indexes) {
        const width = idx.fields.length;
        const entries = [...idx.ordered.range(Array(width).fill(Bound.MIN), Array(width).fill(Bound.MAX), true)].map(
          (e) => [EJSON.stringify(e.k.map((v) => (v === undefined ? '$undefined' : v))), e.id, e.s],
        );
        out[`${d}.${c}.${idx.name}`] = {
          entries,
          counts: idx.ordered.counts,
          others: [...(idx.otherKeys ?? [])].sort(),
        };
      }
  return out;
}

describe('index image', () => {
  it.each([
    ['journal only', false],
    ['a snapshot and a journal after it', true],
  ])(
    'a start after a clean close reads the indexes from the image, entry for entry a build (%s)',
    async (_, compact) => {
      const dir = freshDir();
      await writeHistory(dir, compact);
      expect(existsSync(path.join(dir, IMAGE_FILE))).toBe(true);
      const built = `${dir}-built`;
      cpSync(dir, built, { recursive: true });
      rmSync(path.join(built, IMAGE_FILE));

      // A copy of the directory (other modification times) keeps its image.
      const copied = `${dir}-copied`;
      cpSync(dir, copied, { recursive: true });

      const a = open(dir);
      const b = open(built);
      const c = open(copied);
      expect(a.report.indexesFromImage).toBe(3);
      expect(a.report.recordsAfterImage).toBe(0);
      expect(b.report.indexesFromImage).toBe(0);
      expect(c.report.indexesFromImage).toBe(3);
      // Kept: it fits these files until a compaction replaces their snapshot (records after it are replayed onto it).
      expect(existsSync(path.join(dir, IMAGE_FILE))).toBe(true);
      expect(dump(a.store)).toEqual(dump(b.store));
      expect(dump(c.store)).toEqual(dump(b.store));
      await c.journal.close();
      const members = dump(a.store) as Record<string, { entries: unknown[] }>;
      expect(members['huigo.members.tags_1'].entries.length).toBeGreaterThan(1600);
      // The unique keys kept aside by canonical form (object keys) came back too.
      expect((members['huigo.members.code_1'] as unknown as { others: unknown[] }).others.length).toBeGreaterThan(10);

      // Both keep working the same way: unique checks, updates and deletes through the adopted entries.
      for (const s of [a.store, b.store]) {
        const coll = s.db('huigo').get('members')!;
        expect(() => coll.insert({ lineUserId: 'U000010' })).toThrow(/E11000.*lineUserId_1/);
        expect(() => coll.insert({ lineUserId: 'Unew', code: { c: 194, d: Decimal128.fromString('194.5') } })).toThrow(
          /E11000.*code_1/,
        );
        const d = coll.all()[10];
        coll.replace(d, { ...d, tags: ['after'], a: -1 });
        coll.remove(coll.all()[20]);
        coll.insert({ _id: 'late', lineUserId: 'Ulate', a: -1, b: 'z', tags: ['after'] });
      }
      expect(dump(a.store)).toEqual(dump(b.store));
      await a.journal.close();
      await b.journal.close();
    },
  );

  it('after a crash, the image of the last clean stop is read and the records written after it are replayed onto it', async () => {
    const dir = freshDir();
    await writeHistory(dir, true);
    const image = path.join(dir, IMAGE_FILE);

    // Started from the image, then every kind of write, and killed (the journal has the records, no close).
    const live = open(dir);
    expect(live.report.indexesFromImage).toBe(3);
    writeAfterImage(live.store);
    live.journal.commit();

    const reference = `${dir}-ref`;
    cpSync(dir, reference, { recursive: true });
    rmSync(path.join(reference, IMAGE_FILE));
    const a = open(dir);
    const b = open(reference);
    expect(a.report.indexesFromImage).toBe(3);
    expect(a.report.recordsAfterImage).toBeGreaterThan(300);
    expect(b.report.indexesFromImage).toBe(0);
    expect(dump(a.store)).toEqual(dump(b.store));
    expect(dump(a.store)).toEqual(dump(live.store));
    expect([...a.store.dbs.get('huigo')!.collections.keys()].sort()).toEqual(['archive', 'coupons', 'members']);
    expect(a.store.db('huigo').get('members')!.findIndex('a_1_b_-1')).toBeUndefined();
    expect(a.store.db('huigo').get('members')!.findIndex('late_1')).toBeDefined();

    // They keep working the same way, and a second crash replays the longer tail onto the same image.
    for (const s of [a.store, b.store]) {
      const coll = s.db('huigo').get('members')!;
      expect(() => coll.insert({ lineUserId: 'U002005' })).toThrow(/E11000.*lineUserId_1/);
      const d = coll.all()[42];
      coll.replace(d, { ...d, tags: ['second'], lineUserId: 'Usecond' });
      coll.insert({ _id: 'third', lineUserId: 'Uthird', tags: ['second'], late: 3 });
    }
    expect(dump(a.store)).toEqual(dump(b.store));
    a.journal.commit();
    const again = open(dir);
    expect(again.report.indexesFromImage).toBe(3);
    expect(again.report.recordsAfterImage).toBe(a.report.recordsAfterImage + 2);
    expect(dump(again.store)).toEqual(dump(b.store));

    // A clean close writes the image of now: the next start replays nothing.
    await again.journal.close();
    expect(existsSync(image)).toBe(true);
    const clean = open(dir);
    expect(clean.report.indexesFromImage).toBe(3);
    expect(clean.report.recordsAfterImage).toBe(0);
    expect(dump(clean.store)).toEqual(dump(b.store));
    await clean.journal.close();
    await b.journal.close();
  });

  it('an image that does not fit the files is deleted and the indexes are built', async () => {
    const dir = freshDir();
    await writeHistory(dir, false);
    const image = path.join(dir, IMAGE_FILE);
    const kept = readFileSync(image);
    const journal = path.join(dir, 'journal-00000001.log');
    const bytes = readFileSync(journal);

    /** Opens `dir` as it is now and a copy without the image, expects a build and the same indexes, closes both. */
    async function expectBuilt(label: string, opts: { imageTailMaxBytes?: number } = {}) {
      const reference = `${dir}-${label}`;
      cpSync(dir, reference, { recursive: true });
      rmSync(path.join(reference, IMAGE_FILE), { force: true });
      const store = new Store();
      const j = new Journal(dir, opts);
      const report = j.open(store);
      store.sink = j;
      expect([label, report.indexesFromImage]).toEqual([label, 0]);
      expect([label, existsSync(image)]).toEqual([label, false]);
      const ref = open(reference);
      expect(dump(store)).toEqual(dump(ref.store));
      // A crash, not a close: the next case starts from the files as they are.
      j.commit();
      await ref.journal.close();
    }

    // Other bytes where the image saw its journal's end (same size): the checksum differs.
    const altered = Buffer.from(bytes);
    const other = `${dir}-other`;
    await writeHistory(other, false);
    writeFileSync(journal, readFileSync(path.join(other, 'journal-00000001.log')));
    writeFileSync(image, kept);
    await expectBuilt('other-bytes');
    // A journal shorter than the image says (cut by hand after it was taken).
    writeFileSync(journal, altered.subarray(0, altered.length - 100));
    writeFileSync(image, kept);
    await expectBuilt('cut-short');
    // A damaged image (one byte flipped in the middle): its checksum fails.
    writeFileSync(journal, bytes);
    const damaged = Buffer.from(kept);
    damaged[damaged.length >> 1] ^= 0xff;
    writeFileSync(image, damaged);
    await expectBuilt('damaged');
    // More journal after the image than replaying is worth.
    writeFileSync(journal, bytes);
    writeFileSync(image, kept);
    const more = open(dir);
    writeAfterImage(more.store);
    more.journal.commit();
    await expectBuilt('long-tail', { imageTailMaxBytes: 1000 });

    // A compaction replaces the snapshot the image was of: it is deleted, and an old copy put back does not fit.
    const compacting = open(dir);
    await compacting.journal.compactNow();
    expect(existsSync(image)).toBe(false);
    writeFileSync(image, kept);
    compacting.journal.commit();
    await expectBuilt('compacted');
  });
});

/** Writes of every kind after an image: inserts, moved keys, deletes, a re-insert, index and collection changes. */
function writeAfterImage(store: Store): void {
  const db = store.db('huigo');
  const coll = db.get('members')!;
  const docs = coll.all();
  for (let i = 1; i < docs.length; i += 9) {
    const d = docs[i];
    coll.replace(d, { ...d, a: -5, b: `moved${i % 4}`, tags: [`t${i % 3}`, 'after'], at: new Date(i) });
  }
  for (let i = 2; i < docs.length; i += 13) coll.remove(coll.docs.get(keyOf(docs[i]))!);
  const again = docs[8];
  coll.remove(coll.docs.get(keyOf(again))!);
  coll.insert({ ...again, a: 1 });
  for (let i = 2000; i < 2100; i++) coll.insert({ ...member(i), late: i % 4 });
  coll.createIndex({ v: 2, key: { late: 1 }, name: 'late_1' });
  coll.dropIndex('a_1_b_-1');
  for (let i = 2100; i < 2120; i++) coll.insert({ ...member(i), late: i % 4 });
  const coupons = db.getOrCreate('coupons');
  coupons.createIndex({ v: 2, key: { code: 1 }, name: 'code_1', unique: true });
  for (let i = 0; i < 50; i++) coupons.insert({ code: `C${i}`, n: i });
  const events = db.get('events')!;
  events.replace(events.all()[0], { ...events.all()[0], seq: -1 });
  db.rename('events', 'archive');
  db.drop('empty');
}
