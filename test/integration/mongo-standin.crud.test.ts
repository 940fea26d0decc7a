/** CRUD, cursors and aggregation through the real mongodb driver. */
import { Decimal128, Long, MongoClient, ObjectId, type CommandStartedEvent, type Db } from 'mongodb';
import { realMongoUri, startTestMongo, type TestMongo } from '../helpers/mongo-standin';

/** Tests of the stand-in's own handshake: skipped on a real server (it answers with its own version). */
const itStandinOnly = realMongoUri ? it.skip : it;

/** The stand-in, or TEST_MONGODB_URI's server: the same assertions hold on both. */
let standin: TestMongo;
let client: MongoClient;
let db: Db;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  standin = await startTestMongo('crud_test');
  client = new MongoClient(standin.uri, { monitorCommands: true });
  client.on('commandStarted', (e) => started.push(e));
  await client.connect();
  db = client.db();
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

describe('connection', () => {
  itStandinOnly('exposes a URI with db name and directConnection', () => {
    expect(standin.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/crud_test\?directConnection=true$/);
  });

  itStandinOnly('answers hello, ping and buildInfo', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({
      isWritablePrimary: true,
      minWireVersion: 0,
      logicalSessionTimeoutMinutes: 30,
      ok: 1,
    });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(17);
    expect(await db.admin().ping()).toMatchObject({ ok: 1 });
    expect((await db.admin().buildInfo()).version).toMatch(/^7\./);
  });
});

describe('insert and find', () => {
  const col = () => db.collection('people');

  beforeAll(async () => {
    await col().insertMany([
      { name: 'ann', age: 31, city: 'Taipei', joined: new Date('2024-01-05') },
      { name: 'bob', age: 25, city: 'Tainan', joined: new Date('2024-03-01') },
      { name: 'cat', age: 42, city: 'Taipei', joined: new Date('2023-07-20') },
      { name: 'dan', age: 25, city: 'Taichung', joined: new Date('2024-02-11') },
    ]);
  });

  it('generates ObjectIds and stores _id first', async () => {
    const res = await col().insertOne({ name: 'eve', _idLater: true });
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const raw = await col().findOne({ _id: res.insertedId });
    expect(Object.keys(raw!)[0]).toBe('_id');
    await col().deleteOne({ _id: res.insertedId });
  });

  it('filters with comparison operators, dates and ObjectIds', async () => {
    expect(await col().countDocuments({ age: { $gte: 30 } })).toBe(2);
    expect(await col().countDocuments({ joined: { $gt: new Date('2024-01-31') } })).toBe(2);
    const ann = await col().findOne({ name: 'ann' });
    const byId = await col().findOne({ _id: new ObjectId(ann!._id.toHexString()) });
    expect(byId!.name).toBe('ann');
    expect(await col().countDocuments({ _id: { $in: [ann!._id, new ObjectId()] } })).toBe(1);
    expect(await col().countDocuments({ _id: { $type: 'objectId' } })).toBe(4);
    expect(await col().countDocuments({ name: /^[ab]/ })).toBe(2);
    expect(await col().countDocuments({ $or: [{ city: 'Tainan' }, { age: 42 }] })).toBe(2);
  });

  it('sorts, skips, limits and projects', async () => {
    const names = await col()
      .find({}, { projection: { _id: 0, name: 1 } })
      .sort({ age: 1, name: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(names).toEqual([{ name: 'bob' }, { name: 'ann' }]);
    const excl = await col().findOne({ name: 'cat' }, { projection: { joined: 0, city: 0 } });
    expect(Object.keys(excl!).sort()).toEqual(['_id', 'age', 'name']);
    const byDate = await col().find().sort({ joined: -1 }).limit(1).toArray();
    expect(byDate[0].name).toBe('bob');
  });

  it('returns Dates as Dates and keeps numeric types usable', async () => {
    await db.collection('types').insertOne({
      _id: 'x' as any,
      d: new Date(0),
      big: Long.fromString('9007199254740993'),
      dec: Decimal128.fromString('1.25'),
    });
    const doc = await db.collection('types').findOne({ _id: 'x' as any });
    expect(doc!.d).toBeInstanceOf(Date);
    expect(String(doc!.big)).toBe('9007199254740993');
    expect(doc!.dec.toString()).toBe('1.25');
  });
});

describe('cursors', () => {
  const col = () => db.collection('many');

  beforeAll(async () => {
    await col().insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
  });

  it('uses a first batch of 101 and getMore for the rest', async () => {
    started.length = 0;
    const docs = await col().find().toArray();
    expect(docs).toHaveLength(250);
    expect(docs.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(started.filter((e) => e.commandName === 'getMore').length).toBeGreaterThanOrEqual(1);
  });

  it('respects batchSize', async () => {
    started.length = 0;
    const docs = await col()
      .find({ i: { $lt: 120 } })
      .batchSize(25)
      .toArray();
    expect(docs).toHaveLength(120);
    expect(started.filter((e) => e.commandName === 'getMore')).toHaveLength(4);
  });

  it('reports cursor ids as Long and closes exhausted cursors', async () => {
    // promoteLongs: false shows the wire type; by default the driver turns small Longs into numbers.
    const res = await db.command({ find: 'many', batchSize: 10 }, { promoteLongs: false });
    expect(res.cursor.id).toBeInstanceOf(Long);
    expect(res.cursor.firstBatch).toHaveLength(10);
    const more = await db.command({ getMore: res.cursor.id, collection: 'many', batchSize: 1000 });
    expect(more.cursor.nextBatch).toHaveLength(240);
    expect(Number(more.cursor.id)).toBe(0);
    await expect(db.command({ getMore: res.cursor.id, collection: 'many' })).rejects.toMatchObject({ code: 43 });
  });

  it('kills cursors', async () => {
    const cursor = col().find().batchSize(5);
    await cursor.next();
    await cursor.close();
    const res = await db.command({ find: 'many', batchSize: 1 });
    const killed = await db.command({ killCursors: 'many', cursors: [res.cursor.id] });
    expect(killed.cursorsKilled).toHaveLength(1);
  });

  it('honours singleBatch and negative limit', async () => {
    const res = await db.command({ find: 'many', limit: -3 });
    expect(res.cursor.firstBatch).toHaveLength(3);
    expect(Number(res.cursor.id)).toBe(0);
  });
});

describe('updates', () => {
  const col = () => db.collection('upd');

  beforeEach(async () => {
    await col().deleteMany({});
    await col().insertMany([
      {
        _id: 1,
        qty: 5,
        tags: ['a'],
        items: [
          { sku: 'x', n: 1 },
          { sku: 'y', n: 2 },
        ],
      },
      { _id: 2, qty: 7, tags: [], items: [] },
    ] as any[]);
  });

  it('updates one/many with counts', async () => {
    const one = await col().updateOne({ qty: { $gt: 0 } }, { $inc: { qty: 1 } });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    const many = await col().updateMany({}, { $set: { flag: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const noop = await col().updateMany({}, { $set: { flag: true } });
    expect(noop).toMatchObject({ matchedCount: 2, modifiedCount: 0 });
  });

  it('upserts with $setOnInsert and equality fields from the filter', async () => {
    const res = await col().updateOne(
      { code: 'new', kind: { $eq: 'k' }, qty: { $gt: 3 } },
      { $set: { seen: 1 }, $setOnInsert: { createdBy: 'test' } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    const doc = await col().findOne({ _id: res.upsertedId! });
    expect(doc).toMatchObject({ code: 'new', kind: 'k', seen: 1, createdBy: 'test' });
    expect(doc!.qty).toBeUndefined();
    expect(doc!._id).toBeInstanceOf(ObjectId);

    const again = await col().updateOne(
      { code: 'new' },
      { $set: { seen: 2 }, $setOnInsert: { createdBy: 'other' } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await col().findOne({ code: 'new' })).toMatchObject({ seen: 2, createdBy: 'test' });
  });

  it('upserts using the _id from the filter', async () => {
    await col().updateOne({ _id: 99 as any }, { $inc: { n: 1 } }, { upsert: true });
    expect(await col().findOne({ _id: 99 as any })).toEqual({ _id: 99, n: 1 });
  });

  it('supports arrayFilters, positional $ and $[]', async () => {
    await col().updateOne({ _id: 1 as any }, { $inc: { 'items.$[it].n': 10 } }, { arrayFilters: [{ 'it.sku': 'y' }] });
    await col().updateOne({ _id: 1 as any, 'items.sku': 'x' }, { $set: { 'items.$.hit': true } });
    await col().updateOne({ _id: 1 as any }, { $mul: { 'items.$[].n': 2 } });
    const doc = await col().findOne({ _id: 1 as any });
    expect(doc!.items).toEqual([
      { sku: 'x', n: 2, hit: true },
      { sku: 'y', n: 24 },
    ]);
  });

  it('supports array operators', async () => {
    await col().updateOne({ _id: 1 as any }, {
      $push: { tags: { $each: ['b', 'c'] } },
      $addToSet: { set: 'z' },
    } as any);
    await col().updateOne({ _id: 1 as any }, { $pull: { tags: 'a' }, $addToSet: { set: 'z' } } as any);
    expect(await col().findOne({ _id: 1 as any })).toMatchObject({ tags: ['b', 'c'], set: ['z'] });
  });

  it('replaces documents but keeps _id immutable', async () => {
    await col().replaceOne({ _id: 2 as any }, { replaced: true });
    expect(await col().findOne({ _id: 2 as any })).toEqual({ _id: 2, replaced: true });
    await expect(col().updateOne({ _id: 2 as any }, { $set: { _id: 3 } })).rejects.toMatchObject({ code: 66 });
    await expect(col().replaceOne({ _id: 2 as any }, { _id: 3, x: 1 })).rejects.toMatchObject({ code: 66 });
  });

  it('supports pipeline-style updates', async () => {
    await col().updateOne({ _id: 1 as any }, [{ $set: { total: { $sum: '$items.n' } } }]);
    expect((await col().findOne({ _id: 1 as any }))!.total).toBe(3);
  });
});

describe('deletes and findAndModify', () => {
  const col = () => db.collection('fam');

  beforeEach(async () => {
    await col().deleteMany({});
    await col().insertMany([
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
      { k: 'c', n: 3 },
    ]);
  });

  it('deleteOne / deleteMany', async () => {
    expect((await col().deleteOne({ n: { $gte: 2 } })).deletedCount).toBe(1);
    expect((await col().deleteMany({})).deletedCount).toBe(2);
  });

  it('findOneAndUpdate with sort, returnDocument and projection', async () => {
    const before = await col().findOneAndUpdate({}, { $inc: { n: 100 } }, { sort: { n: -1 }, projection: { _id: 0 } });
    expect(before).toEqual({ k: 'c', n: 3 });
    const after = await col().findOneAndUpdate({ k: 'c' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    expect(after!.n).toBe(104);
    expect(await col().findOneAndUpdate({ k: 'zzz' }, { $set: { n: 0 } })).toBeNull();
  });

  it('findOneAndUpdate upsert reports the new document', async () => {
    const res = await col().findOneAndUpdate(
      { k: 'd' },
      { $setOnInsert: { n: 4 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(res.value).toMatchObject({ k: 'd', n: 4 });
    expect(res.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(res.lastErrorObject!.upserted).toBeInstanceOf(ObjectId);
  });

  it('findOneAndDelete / findOneAndReplace', async () => {
    expect(await col().findOneAndDelete({ k: 'a' })).toMatchObject({ k: 'a' });
    expect(await col().countDocuments()).toBe(2);
    const rep = await col().findOneAndReplace({ k: 'b' }, { k: 'B' }, { returnDocument: 'after' });
    expect(rep).toMatchObject({ k: 'B' });
    expect(rep!.n).toBeUndefined();
  });
});

describe('count, distinct, aggregate', () => {
  const orders = () => db.collection('orders');
  const users = () => db.collection('users');

  beforeAll(async () => {
    await users().insertMany([
      { _id: 'u1', name: 'Ann' },
      { _id: 'u2', name: 'Bob' },
    ] as any[]);
    await orders().insertMany([
      { user: 'u1', amount: 10, items: ['tea', 'cake'] },
      { user: 'u1', amount: 30, items: ['tea'] },
      { user: 'u2', amount: 5, items: ['coffee'] },
    ]);
  });

  it('count and estimatedDocumentCount', async () => {
    expect(await orders().countDocuments({ user: 'u1' })).toBe(2);
    expect(await orders().estimatedDocumentCount()).toBe(3);
    expect(await orders().countDocuments({}, { skip: 1, limit: 1 })).toBe(1);
  });

  it('a pipeline that rewrites its documents leaves the stored ones as they were', async () => {
    const rewritten = await orders()
      .aggregate([
        { $match: { user: 'u1' } },
        { $set: { amount: 0, items: [] } },
        { $unset: 'user' },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rewritten.map((o) => [o.amount, o.items, o.user])).toEqual([
      [0, [], undefined],
      [0, [], undefined],
    ]);
    const stored = await orders()
      .find({ user: 'u1' }, { sort: { _id: 1 } })
      .toArray();
    expect(stored.map((o) => [o.amount, o.items])).toEqual([
      [10, ['tea', 'cake']],
      [30, ['tea']],
    ]);
  });

  it('distinct flattens arrays', async () => {
    expect((await orders().distinct('items')).sort()).toEqual(['cake', 'coffee', 'tea']);
    expect(await orders().distinct('user', { amount: { $gt: 20 } })).toEqual(['u1']);
  });

  it('runs $match/$group/$sort/$project/$limit/$skip', async () => {
    const res = await orders()
      .aggregate([
        { $match: { amount: { $gte: 5 } } },
        { $group: { _id: '$user', total: { $sum: '$amount' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $project: { _id: 0, user: '$_id', total: 1, n: 1 } },
        { $skip: 0 },
        { $limit: 5 },
      ])
      .toArray();
    expect(res).toEqual([
      { total: 40, n: 2, user: 'u1' },
      { total: 5, n: 1, user: 'u2' },
    ]);
  });

  it('runs $unwind/$lookup/$count/$facet/$addFields/$set', async () => {
    const unwound = await orders()
      .aggregate([{ $unwind: '$items' }, { $count: 'n' }])
      .toArray();
    expect(unwound).toEqual([{ n: 4 }]);
    const joined = await orders()
      .aggregate([
        { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'u' } },
        { $addFields: { name: { $first: '$u.name' } } },
        { $set: { big: { $gt: ['$amount', 20] } } },
        { $sort: { amount: 1 } },
        { $project: { _id: 0, name: 1, big: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { name: 'Bob', big: false },
      { name: 'Ann', big: false },
      { name: 'Ann', big: true },
    ]);
    const [facet] = await orders()
      .aggregate([
        {
          $facet: {
            total: [{ $count: 'n' }],
            top: [{ $sort: { amount: -1 } }, { $limit: 1 }, { $project: { _id: 0, amount: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facet).toEqual({ total: [{ n: 3 }], top: [{ amount: 30 }] });
  });

  it('aggregate results come back in batches', async () => {
    await db.collection('big').insertMany(Array.from({ length: 150 }, (_, i) => ({ i })));
    const out = await db
      .collection('big')
      .aggregate([{ $sort: { i: -1 } }], { batchSize: 20 })
      .toArray();
    expect(out).toHaveLength(150);
    expect(out[0].i).toBe(149);
  });
});
