/**
 * The stand-in at a real brand's size (#18 scale goals): start reads only the indexed fields of each stored
 * document and sorts each index once; bulk updates skip mingo's updater for plain $set/$inc/$unset and leave
 * indexes whose keys did not change alone. Each of these must give exactly the answers of the slow path.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Binary, BSONRegExp, Decimal128, EJSON, Long, ObjectId, Timestamp, serialize, deserialize } from 'bson';
import { MongoClient, type Db, type Document } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../../local/mongo-standin';
import { FieldPicker } from '../../local/mongo-standin/bson-fields';
import { DECODE } from '../../local/mongo-standin/doc-heap';
import { applyOperators } from '../../local/mongo-standin/engine';
import { Collection } from '../../local/mongo-standin/store';
import { applyUpdate, parseUpdate } from '../../local/mongo-standin/update';
import { checkOperatorTargets } from '../../local/mongo-standin/update-checks';
import { clone } from '../../local/mongo-standin/values';

const root = mkdtempSync(path.join(os.tmpdir(), 'standin-scale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ejson = (d: unknown) => EJSON.stringify(d as Document, { relaxed: false });

// A small deterministic PRNG so a failure reproduces.
let seed = 1812;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

describe('#18.start the stand-in starts by reading only the indexed fields', () => {
  const sample = {
    _id: new ObjectId(),
    name: '王小明',
    n: 42,
    big: Long.fromString('9007199254740993'),
    price: Decimal128.fromString('12.50'),
    at: new Date('2026-01-02T03:04:05.006Z'),
    none: null,
    tags: ['a', 'b', { c: 1 }],
    nested: { deep: { x: [1, 2], bin: new Binary(Buffer.from('hi')) } },
    bin: new Binary(Buffer.from([1, 2, 3]), 4),
    re: new BSONRegExp('^ab', 'i'),
    ts: new Timestamp({ t: 5, i: 6 }),
    ok: true,
    ratio: 0.25,
  };
  const bytes = serialize(sample);

  it('decodes the chosen fields exactly as decoding the whole document gives them', () => {
    const whole = deserialize(bytes, DECODE);
    for (const fields of [
      ['name'],
      ['_id', 'at', 'nested'],
      ['big', 'price', 'bin', 're', 'ts', 'none', 'tags'],
      ['ok', 'ratio', 'n'],
    ]) {
      const got = new FieldPicker(fields).pick(bytes)!;
      const want: Document = {};
      for (const k of Object.keys(whole)) if (fields.includes(k)) want[k] = whole[k];
      expect(ejson(got)).toBe(ejson(want));
    }
    expect(new FieldPicker(['missing']).pick(bytes)).toEqual({});
  });

  it('keeps picked binary values intact after picking other documents (no shared scratch bytes)', () => {
    const p = new FieldPicker(['bin', 'nested', 'name']);
    const first = p.pick(bytes)!;
    for (let i = 0; i < 20; i++)
      p.pick(serialize({ name: 'x'.repeat(i * 50), bin: new Binary(Buffer.alloc(i + 1, 9)) }));
    expect(Buffer.from(first.bin.buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(first.nested.deep.bin.buffer).toString()).toBe('hi');
  });

  it('gives up on bytes it cannot walk, and the collection then decodes the whole document', () => {
    const p = new FieldPicker(['name']);
    expect(p.pick(bytes.subarray(0, bytes.length - 3))).toBeUndefined(); // truncated
    const unknownType = Buffer.from(bytes);
    unknownType[4] = 0x42; // first element's type byte
    expect(p.pick(unknownType)).toBeUndefined();
    const coll = new Collection('db', 'c');
    coll.createIndex({ v: 2, key: { name: 1 }, name: 'name_1' });
    const fallback = serialize({ _id: 1, name: 'a', other: 'b' });
    expect(coll.keysDoc(fallback)).toEqual({ _id: 1, name: 'a' });
    // An index whose partial filter reads something the picker cannot tell: the whole document.
    coll.createIndex({ v: 2, key: { n: 1 }, name: 'n_1', partialFilterExpression: { $expr: { $gt: ['$n', 1] } } });
    expect(coll.keysDoc(fallback)).toEqual({ _id: 1, name: 'a', other: 'b' });
  });

  describe('after a restart from a snapshot and a journal', () => {
    const dir = path.join(root, 'restart');
    const scanDir = path.join(root, 'restart-scan');
    const scalars: unknown[] = [
      0,
      1,
      2,
      -3,
      'a',
      'b',
      'ab',
      '',
      true,
      null,
      new Date(Date.UTC(2026, 0, 3)),
      new ObjectId(),
    ];
    const doc = (i: number): Document => {
      const d: Document = { i, u: `code-${i}`, a: pick(scalars), note: 'x'.repeat(Math.floor(rnd() * 40)) };
      if (rnd() < 0.7) d.b = pick(scalars);
      if (rnd() < 0.3) d.tags = [pick(scalars), pick(scalars)];
      if (rnd() < 0.5) d.e = { f: pick(scalars) };
      if (rnd() < 0.4) d.s = pick(['active', 'blocked', 'left']);
      return d;
    };
    const open = async (dataDir: string, planner = true) => {
      const standin = await startMongoStandin({ dbName: 'scale', dataDir, planner });
      const client = new MongoClient(standin.uri);
      await client.connect();
      return { standin, client, db: client.db() };
    };
    let restarted: { standin: MongoStandin; client: MongoClient; db: Db };
    let scanned: { standin: MongoStandin; client: MongoClient; db: Db };

    beforeAll(async () => {
      const first = await open(dir);
      const c = first.db.collection('things');
      await c.createIndexes([
        { key: { u: 1 }, name: 'u', unique: true },
        { key: { a: 1, b: -1 }, name: 'a_b' },
        { key: { tags: 1 }, name: 'tags' },
        { key: { 'e.f': 1 }, name: 'e_f', sparse: true },
        { key: { b: 1 }, name: 'b_active', partialFilterExpression: { s: 'active' } },
      ]);
      await c.insertMany(Array.from({ length: 400 }, (_, i) => doc(i)));
      await c.updateMany({ i: { $mod: [3, 0] } }, { $set: { s: 'active', a: 'b' } });
      await c.deleteMany({ i: { $mod: [7, 0] } });
      await first.standin.snapshot(); // the documents above now come from the snapshot
      await c.updateMany({ i: { $mod: [5, 0] } }, { $inc: { i: 1000 }, $unset: { b: '' } }); // and these from the journal
      await c.insertMany(Array.from({ length: 50 }, (_, i) => doc(2000 + i)));
      await first.client.close();
      await first.standin.close();
      cpSync(dir, scanDir, { recursive: true });
      restarted = await open(dir);
      scanned = await open(scanDir, false);
    });
    afterAll(async () => {
      for (const s of [restarted, scanned]) {
        await s.client.close();
        await s.standin.close();
      }
    });

    it('answers every indexed query exactly as a scan of the same data does', async () => {
      const filters: Document[] = [
        { u: 'code-12' },
        { a: 'b' },
        { a: { $gte: 0, $lt: 2 }, b: { $ne: null } },
        { tags: 'ab' },
        { tags: { $in: [1, null] } },
        { 'e.f': { $exists: true } },
        { 'e.f': 'a' },
        { b: 1, s: 'active' },
        { b: { $gt: 'a' }, s: 'active' },
        { i: { $gte: 1000 } },
      ];
      for (const f of filters) {
        for (const sort of [undefined, { a: 1, b: -1 }, { 'e.f': -1, i: 1 }] as Array<Document | undefined>) {
          const got = await restarted.db.collection('things').find(f, { sort }).toArray();
          const want = await scanned.db.collection('things').find(f, { sort }).toArray();
          expect(ejson(got)).toBe(ejson(want));
        }
      }
      const plan = await restarted.db.collection('things').find({ u: 'code-12' }).explain();
      expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('"indexName":"u"');
    });

    it('still refuses a duplicate unique key, and serves writes made after the restart', async () => {
      const c = restarted.db.collection('things');
      await expect(c.insertOne({ u: 'code-1' })).rejects.toMatchObject({ code: 11000 });
      await c.updateOne({ u: 'code-1' }, { $set: { a: 'new' } });
      expect(await c.find({ a: 'new' }).toArray()).toEqual([expect.objectContaining({ u: 'code-1' })]);
      expect(await c.countDocuments({ a: 'new' })).toBe(1);
    });
  });
});

describe('#18.fanout bulk updates are cheap and give the same documents', () => {
  const values: unknown[] = [
    0,
    1,
    2.5,
    -4,
    'a',
    '',
    null,
    true,
    new Date(Date.UTC(2026, 1, 1)),
    new ObjectId(),
    [1, 2],
    { x: 1 },
  ];
  const paths = ['a', 'b', 'c', 'n', 'o.p', 'o.q', 'o.r.s', 'arr', 'arr.x', 'm.0', 'str.x'];
  const baseDoc = (): Document => {
    const d: Document = { _id: new ObjectId(), n: Math.floor(rnd() * 10) };
    if (rnd() < 0.6) d.a = pick(values);
    if (rnd() < 0.5) d.o = rnd() < 0.5 ? { p: pick(values) } : { p: 1, r: { s: 2 } };
    if (rnd() < 0.3) d.arr = [{ x: 1 }, { x: 2 }];
    if (rnd() < 0.3) d.m = [1, 2];
    if (rnd() < 0.3) d.str = 'text';
    return d;
  };
  const randomOps = (): Document => {
    const ops: Document = {};
    const used: string[] = [];
    for (const op of ['$set', '$inc', '$unset']) {
      if (rnd() < 0.5) continue;
      const fields: Document = {};
      for (let k = 0; k < 3; k++) {
        const p = pick(paths);
        if (used.some((u) => u === p || u.startsWith(`${p}.`) || p.startsWith(`${u}.`))) continue;
        used.push(p);
        fields[p] = op === '$inc' ? pick([1, -2, 0.5]) : op === '$unset' ? '' : pick(values);
      }
      if (Object.keys(fields).length) ops[op] = fields;
    }
    return Object.keys(ops).length ? ops : { $set: { a: 1 } };
  };

  it('applies $set/$inc/$unset exactly as mingo does (randomized, including the cases mingo must handle)', () => {
    const outcome = (fn: () => Document) => {
      try {
        return ejson(fn());
      } catch (err) {
        return `error ${(err as { code?: number }).code ?? (err as Error).message}`;
      }
    };
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const doc = baseDoc();
      const ops = randomOps();
      const mine = outcome(() => applyUpdate(doc, parseUpdate(ops), { isInsert: false }));
      // The path every update took before: the same checks, then mingo's updater.
      const theirs = outcome(() => {
        const copy = clone(doc);
        checkOperatorTargets(copy, ops);
        applyOperators(copy, ops, undefined, undefined);
        return copy;
      });
      expect(mine).toBe(theirs);
      if (!mine.startsWith('error')) fast++;
    }
    expect(fast).toBeGreaterThan(1000);
  });

  describe('through the driver, with indexes on the updated fields', () => {
    let standin: MongoStandin;
    let client: MongoClient;
    let db: Db;
    beforeAll(async () => {
      standin = await startMongoStandin({ dbName: 'fanout' });
      client = new MongoClient(standin.uri);
      await client.connect();
      db = client.db();
      await db.collection('indexed').createIndexes([
        { key: { campaign: 1, status: 1, batch: 1 }, name: 'c_s_b' },
        { key: { at: -1, status: 1 }, name: 'at_status' },
        { key: { member: 1 }, name: 'member', unique: true },
        { key: { tags: 1 }, name: 'tags' },
      ]);
    });
    afterAll(async () => {
      await client.close();
      await standin.close();
    });

    it('leaves indexed answers equal to a scan after updates that change, keep or drop indexed fields', async () => {
      const rows = Array.from({ length: 600 }, (_, i) => ({
        campaign: i % 3,
        status: 'pending',
        batch: Math.floor(i / 50),
        member: `m${i}`,
        at: new Date(Date.UTC(2026, 0, 1 + (i % 9))),
        ...(i % 4 === 0 ? { tags: ['x', i % 8 === 0 ? 'y' : 'z'] } : {}),
      }));
      await db.collection('indexed').insertMany(rows.map((r) => ({ ...r })));
      await db.collection('scanned').insertMany(rows.map((r) => ({ ...r })));
      const updates: Array<[Document, Document]> = [
        [
          { campaign: 1, status: 'pending', batch: 2 },
          { $set: { status: 'sent', at: new Date(Date.UTC(2026, 5, 1)) } },
        ],
        [{ campaign: 0, status: 'pending' }, { $set: { status: 'pending', note: 'same keys' } }],
        [{ batch: { $gte: 8 } }, { $inc: { batch: 100 } }],
        [{ tags: 'y' }, { $unset: { tags: '' }, $set: { status: 'failed' } }],
        [{ member: 'm5' }, { $set: { 'meta.seen': true } }],
        [{ campaign: 2 }, { $set: { tags: ['z', 'w'] } }],
      ];
      for (const [q, u] of updates) {
        const a = await db.collection('indexed').updateMany(q, u);
        const b = await db.collection('scanned').updateMany(q, u);
        expect([a.matchedCount, a.modifiedCount]).toEqual([b.matchedCount, b.modifiedCount]);
      }
      const probes: Document[] = [
        { campaign: 1, status: 'sent' },
        { campaign: 1, status: 'pending', batch: 2 },
        { campaign: 0, status: 'pending' },
        { batch: { $gte: 100 } },
        { at: { $gte: new Date(Date.UTC(2026, 4, 1)) } },
        { tags: 'y' },
        { tags: 'w' },
        { status: 'failed' },
        { member: 'm5' },
      ];
      const strip = (docs: Document[]) => docs.map(({ _id, ...rest }) => rest);
      for (const f of probes) {
        const got = await db.collection('indexed').find(f).sort({ member: 1 }).toArray();
        const want = await db.collection('scanned').find(f).sort({ member: 1 }).toArray();
        expect(ejson(strip(got))).toBe(ejson(strip(want)));
      }
      await expect(
        db.collection('indexed').updateOne({ member: 'm6' }, { $set: { member: 'm5' } }),
      ).rejects.toMatchObject({
        code: 11000,
      });
    });
  });
});
