/**
 * Index images (local/mongo-standin/index-image.ts): a clean close writes every index's entries, the next start on
 * exactly those files reads them instead of building the indexes, and the indexes it ends up with are entry for
 * entry the ones a build gives (keys, documents, tie order, counts, unique keys kept aside), and keep working for
 * writes. An image that does not match the files (a write after it, an older image, a damaged one) or a start after
 * a crash falls back to the build.
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

      const a = open(dir);
      const b = open(built);
      expect(a.report.indexesFromImage).toBe(3);
      expect(b.report.indexesFromImage).toBe(0);
      // Read once: a write would make it stale.
      expect(existsSync(path.join(dir, IMAGE_FILE))).toBe(false);
      expect(dump(a.store)).toEqual(dump(b.store));
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

  it('an image that does not match the files is not used: a later write, an older image, a damaged one', async () => {
    const dir = freshDir();
    await writeHistory(dir, false);
    const older = readFileSync(path.join(dir, IMAGE_FILE));

    // Open, write one document, close: the image now written is the current one; put the older one back.
    const first = open(dir);
    first.store.db('huigo').get('members')!.insert({ lineUserId: 'Uone-more', a: 1 });
    await first.journal.close();
    writeFileSync(path.join(dir, IMAGE_FILE), older);
    const reference = `${dir}-ref`;
    cpSync(dir, reference, { recursive: true });
    rmSync(path.join(reference, IMAGE_FILE));

    const stale = open(dir);
    expect(stale.report.indexesFromImage).toBe(0);
    const ref = open(reference);
    expect(dump(stale.store)).toEqual(dump(ref.store));
    await stale.journal.close();
    await ref.journal.close();

    // A damaged image (one byte flipped in the middle): its checksum fails, the indexes are built.
    const img = readFileSync(path.join(dir, IMAGE_FILE));
    img[img.length >> 1] ^= 0xff;
    writeFileSync(path.join(dir, IMAGE_FILE), img);
    const damaged = open(dir);
    expect(damaged.report.indexesFromImage).toBe(0);
    const ref2 = open(reference);
    expect(dump(damaged.store)).toEqual(dump(ref2.store));
    await ref2.journal.close();

    // A crash (no close): no image is written, the start after it builds.
    damaged.store.db('huigo').get('members')!.insert({ lineUserId: 'Ucrash', a: 2 });
    damaged.journal.commit();
    const afterCrash = open(dir);
    expect(afterCrash.report.indexesFromImage).toBe(0);
    expect(
      afterCrash.store
        .db('huigo')
        .get('members')!
        .all()
        .some((d) => d.lineUserId === 'Ucrash'),
    ).toBe(true);
    await afterCrash.journal.close();
  });
});
