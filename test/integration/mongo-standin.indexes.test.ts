/** Unique/sparse/partial/TTL indexes and collection/database management. */
import { MongoBulkWriteError, MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../../local/mongo-standin';

let standin: MongoStandin;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  standin = await startMongoStandin({ dbName: 'indexes_test', ttlSweepIntervalMs: 50 });
  client = new MongoClient(standin.uri);
  await client.connect();
  db = client.db();
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

async function fails(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to fail');
}

describe('unique indexes', () => {
  const users = () => db.collection('users');

  beforeAll(async () => {
    await users().createIndex({ email: 1 }, { unique: true });
    await users().insertMany([
      { email: 'a@x', n: 1 },
      { email: 'b@x', n: 2 },
    ]);
  });

  it('rejects duplicate inserts with E11000 details', async () => {
    const err = await fails(users().insertOne({ email: 'a@x' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      'E11000 duplicate key error collection: indexes_test.users index: email_1 dup key: { email: "a@x" }',
    );
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x' });
  });

  it('reports duplicate _id', async () => {
    const id = new ObjectId();
    await users().insertOne({ _id: id, email: 'id@x' });
    const err = await fails(users().insertOne({ _id: id, email: 'other@x' }));
    expect(err.code).toBe(11000);
    expect(err.message).toContain('index: _id_ dup key: { _id: ObjectId(');
    await users().deleteOne({ _id: id });
  });

  it('insertMany raises MongoBulkWriteError; ordered stops, unordered continues', async () => {
    const ordered = await fails(users().insertMany([{ email: 'c@x' }, { email: 'a@x' }, { email: 'd@x' }]));
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect(ordered.code).toBe(11000);
    expect(ordered.writeErrors[0].index).toBe(1);
    expect(await users().countDocuments({ email: { $in: ['c@x', 'd@x'] } })).toBe(1);

    const unordered = await fails(users().insertMany([{ email: 'a@x' }, { email: 'e@x' }], { ordered: false }));
    expect(unordered).toBeInstanceOf(MongoBulkWriteError);
    expect(unordered.insertedCount).toBe(1);
    expect(await users().countDocuments({ email: 'e@x' })).toBe(1);
  });

  it('rejects updates that would duplicate and leaves the document untouched', async () => {
    const err = await fails(users().updateOne({ email: 'b@x' }, { $set: { email: 'a@x', n: 99 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(await users().findOne({ email: 'b@x' })).toMatchObject({ n: 2 });
  });

  it('rejects upserts and findAndModify that would duplicate (top-level DuplicateKey)', async () => {
    const up = await fails(users().updateOne({ n: 12345 }, { $set: { email: 'a@x' } }, { upsert: true }));
    expect(up.code).toBe(11000);
    const fam = await fails(users().findOneAndUpdate({ email: 'b@x' }, { $set: { email: 'a@x' } }));
    expect(fam).toBeInstanceOf(MongoServerError);
    expect(fam.code).toBe(11000);
    expect(fam.codeName).toBe('DuplicateKey');
    expect(fam.keyValue).toEqual({ email: 'a@x' });
    const famUpsert = await fails(users().findOneAndUpdate({ n: 777 }, { $set: { email: 'a@x' } }, { upsert: true }));
    expect(famUpsert.code).toBe(11000);
  });

  it('frees keys on update and delete', async () => {
    await users().updateOne({ email: 'b@x' }, { $set: { email: 'b2@x' } });
    await users().insertOne({ email: 'b@x', n: 3 });
    await users().deleteOne({ email: 'b@x' });
    await users().insertOne({ email: 'b@x', n: 4 });
    expect(await users().countDocuments({ email: 'b@x' })).toBe(1);
  });

  it('treats a missing field as null (only one document may omit it)', async () => {
    await users().insertOne({ n: 'no-email-1' });
    const err = await fails(users().insertOne({ n: 'no-email-2' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: null });
  });

  it('enforces compound unique keys', async () => {
    const c = db.collection('compound');
    await c.createIndex({ shop: 1, code: 1 }, { unique: true });
    await c.insertMany([
      { shop: 's1', code: 'A' },
      { shop: 's2', code: 'A' },
    ]);
    const err = await fails(c.insertOne({ shop: 's1', code: 'A' }));
    expect(err.keyValue).toEqual({ shop: 's1', code: 'A' });
    expect(err.message).toContain('index: shop_1_code_1 dup key: { shop: "s1", code: "A" }');
  });

  it('sparse and partial unique indexes skip documents', async () => {
    const c = db.collection('sparse');
    await c.createIndex({ lineId: 1 }, { unique: true, sparse: true });
    await c.createIndex({ phone: 1 }, { unique: true, partialFilterExpression: { phone: { $type: 'string' } } });
    await c.insertMany([{}, {}, { phone: null }, { phone: null }]);
    await c.insertOne({ lineId: 'L1', phone: '0912' });
    expect((await fails(c.insertOne({ lineId: 'L1' }))).code).toBe(11000);
    expect((await fails(c.insertOne({ phone: '0912' }))).code).toBe(11000);
  });

  it('multikey unique indexes compare array elements', async () => {
    const c = db.collection('multikey');
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['a', 'b'] });
    expect((await fails(c.insertOne({ tags: ['c', 'b'] }))).code).toBe(11000);
    await c.insertOne({ tags: ['c', 'c'] });
  });

  it('a unique key on a.b is null for an array element without b, and an empty array is its own key', async () => {
    const c = db.collection<{ _id: number; [k: string]: unknown }>('nested_unique');
    await c.createIndex({ 'a.b': 1 }, { unique: true });
    await c.insertOne({ _id: 1, a: [{ b: 1 }, { c: 2 }] });
    const err = await fails(c.insertOne({ _id: 2 }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ 'a.b': null });
    expect(err.message).toBe(
      'E11000 duplicate key error collection: indexes_test.nested_unique index: a.b_1 dup key: { a.b: null }',
    );
    await c.insertOne({ _id: 3, a: { b: [] } });
    expect((await fails(c.insertOne({ _id: 4, a: { b: [] } }))).code).toBe(11000);
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3]);
  });

  it('unique keys of dates, ObjectIds and objects conflict by value, and a document may keep its own key', async () => {
    const c = db.collection<{ _id: number; [k: string]: unknown }>('typed_unique');
    await c.createIndex({ at: 1 }, { unique: true });
    await c.createIndex({ ref: 1 }, { unique: true });
    await c.createIndex({ shape: 1 }, { unique: true });
    const ref = new ObjectId();
    await c.insertOne({ _id: 1, at: new Date(1000), ref, shape: { x: 1, y: 2 } });
    const date = await fails(c.insertOne({ _id: 2, at: new Date(1000) }));
    expect(date.code).toBe(11000);
    expect(date.keyValue).toEqual({ at: new Date(1000) });
    const oid = await fails(c.insertOne({ _id: 2, at: new Date(2000), ref: new ObjectId(ref.toHexString()) }));
    expect(oid.keyValue).toEqual({ ref });
    const obj = await fails(c.insertOne({ _id: 2, at: new Date(2000), ref: new ObjectId(), shape: { x: 1, y: 2 } }));
    expect(obj.code).toBe(11000);
    expect(obj.keyValue).toEqual({ shape: { x: 1, y: 2 } });
    // Field order makes another object key (as in MongoDB).
    await c.insertOne({ _id: 2, at: new Date(2000), ref: new ObjectId(), shape: { y: 2, x: 1 } });
    await c.updateOne({ _id: 1 }, { $set: { n: 1 } });
    expect(await c.countDocuments()).toBe(2);
    // Freed object keys can be taken again.
    await c.updateOne({ _id: 1 }, { $set: { shape: 'gone' } });
    await c.insertOne({ _id: 3, at: new Date(3000), ref: new ObjectId(), shape: { x: 1, y: 2 } });
    expect((await fails(c.updateOne({ _id: 3 }, { $set: { at: new Date(2000) } }))).code).toBe(11000);
    expect(await c.findOne({ _id: 3 })).toMatchObject({ at: new Date(3000) });
  });

  it('cannot build a unique index over existing duplicates', async () => {
    const c = db.collection('dups');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await fails(c.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('unique-key equality lookups find documents', async () => {
    const doc = await users().findOne({ email: 'a@x' });
    expect(doc).toMatchObject({ n: 1 });
    expect(await users().findOne({ email: 'nobody@x' })).toBeNull();
    expect(await users().findOne({ email: 'a@x', n: 2 })).toBeNull();
  });
});

describe('index and collection management', () => {
  it('lists, recreates idempotently, and drops indexes', async () => {
    const c = db.collection('managed');
    await c.createIndex({ a: 1 });
    await c.createIndex({ a: 1 }); // same spec: no-op
    await c.createIndex({ b: -1 }, { name: 'b_desc', sparse: true });
    const conflict = await fails(c.createIndex({ a: 1 }, { unique: true }));
    expect(conflict.code).toBe(85);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'a_1', 'b_desc']);
    expect(await c.indexExists('b_desc')).toBe(true);
    await c.dropIndex('b_desc');
    expect((await fails(c.dropIndex('nope'))).code).toBe(27);
    expect((await fails(c.dropIndex('_id_'))).code).toBe(72);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('listIndexes on a missing collection is NamespaceNotFound', async () => {
    expect((await fails(db.collection('missing').listIndexes().toArray())).code).toBe(26);
  });

  it('creates, lists, renames and drops collections', async () => {
    await db.createCollection('made');
    expect((await fails(db.createCollection('made'))).code).toBe(48);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('made');
    expect(await db.listCollections({ name: 'made' }).toArray()).toEqual([
      expect.objectContaining({ name: 'made', type: 'collection' }),
    ]);
    await db.collection('made').insertOne({ x: 1 });
    await db.renameCollection('made', 'renamed');
    expect(await db.collection('renamed').countDocuments()).toBe(1);
    expect(await db.collection('renamed').drop()).toBe(true);
    expect(await db.listCollections({ name: 'renamed' }).toArray()).toHaveLength(0);
  });

  it('supports several databases and dropDatabase', async () => {
    const other = client.db('indexes_other');
    await other.collection('x').insertOne({ a: 1 });
    expect(await db.collection('x').countDocuments()).toBe(0);
    const list = await client.db().admin().listDatabases();
    expect(list.databases.map((d) => d.name)).toEqual(expect.arrayContaining(['indexes_test', 'indexes_other']));
    await other.dropDatabase();
    expect((await client.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain('indexes_other');
  });

  it('collStats / dbStats answer', async () => {
    expect(await db.command({ dbStats: 1 })).toMatchObject({ ok: 1, db: 'indexes_test' });
    expect(await db.command({ collStats: 'users' })).toMatchObject({ ok: 1, nindexes: 2 });
  });
});

describe('TTL indexes', () => {
  it('sweeps expired documents periodically', async () => {
    const c = db.collection('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    await c.insertMany([
      { at: new Date(Date.now() - 5000) },
      { at: new Date(Date.now() + 60_000) },
      { at: 'not a date' },
    ]);
    const deadline = Date.now() + 3000;
    while ((await c.countDocuments()) > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(await c.countDocuments()).toBe(2);
  });
});
