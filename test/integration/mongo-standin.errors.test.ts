/** Everything unsupported must fail loudly, with the driver's own error classes and the server's codes. */
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../../local/mongo-standin';
import { realMongoUri } from '../helpers/mongo-standin';

let standin: MongoStandin;
let client: MongoClient;
let db: Db;

// What the stand-in does not support fails loudly; a real MongoDB supports it, so this file is stand-in only.
if (realMongoUri) test.only('stand-in only (TEST_MONGODB_URI is set)', () => undefined);

beforeAll(async () => {
  standin = await startMongoStandin({ dbName: 'errors_test' });
  client = new MongoClient(standin.uri);
  await client.connect();
  db = client.db();
  await db.collection('c').insertMany([{ a: 1 }, { a: 2 }]);
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

async function serverError(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MongoServerError);
    return err as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

it('unknown command names the command (59 CommandNotFound)', async () => {
  const err = await serverError(db.command({ frobnicate: 1 }));
  expect(err.code).toBe(59);
  expect(err.codeName).toBe('CommandNotFound');
  expect(err.message).toBe("no such command: 'frobnicate'");
});

it('unknown query operator names the operator', async () => {
  const err = await serverError(
    db
      .collection('c')
      .find({ a: { $frob: 1 } })
      .toArray(),
  );
  expect(err.code).toBe(2);
  expect(err.message).toContain('$frob');
  const top = await serverError(
    db
      .collection('c')
      .find({ $frob: [] } as any)
      .toArray(),
  );
  expect(top.message).toContain('$frob');
});

it('unknown update operator names the operator', async () => {
  const err = await serverError(db.collection('c').updateOne({}, { $frob: { a: 1 } } as any));
  expect(err.message).toContain('$frob');
  expect(err.code).toBe(9);
  const fam = await serverError(db.collection('c').findOneAndUpdate({}, { $frob: { a: 1 } } as any));
  expect(fam.message).toContain('$frob');
});

it('unknown pipeline stage and expression name the operator', async () => {
  const stage = await serverError(
    db
      .collection('c')
      .aggregate([{ $frob: {} }])
      .toArray(),
  );
  expect(stage.code).toBe(40324);
  expect(stage.message).toBe("Unrecognized pipeline stage name: '$frob'");
  const expr = await serverError(
    db
      .collection('c')
      .aggregate([{ $project: { x: { $frob: 1 } } }])
      .toArray(),
  );
  expect(expr.message).toContain('$frob');
});

it('refuses $out and $merge instead of ignoring them', async () => {
  for (const stage of [{ $out: 'copy' }, { $merge: { into: 'copy' } }]) {
    const err = await serverError(db.collection('c').aggregate([stage]).toArray());
    expect(err.code).toBe(238);
    expect(err.message).toMatch(/\$out|\$merge/);
  }
  expect(await db.listCollections({ name: 'copy' }).toArray()).toHaveLength(0);
});

it('refuses transactions like a standalone server', async () => {
  const session = client.startSession();
  try {
    session.startTransaction();
    const err = await serverError(db.collection('c').insertOne({ a: 3 }, { session }));
    // The driver rewrites code 20 "Transaction numbers are only allowed..." into this hint.
    expect(err.message).toMatch(/Transaction numbers|retryable writes/);
    await session.abortTransaction().catch(() => undefined);
  } finally {
    await session.endSession();
  }
  const raw = await serverError(db.command({ find: 'c', startTransaction: true, autocommit: false, txnNumber: 1 }));
  expect(raw.code).toBe(20);
  expect(await db.collection('c').countDocuments({ a: 3 })).toBe(0);
});

it('refuses unknown command fields and unsupported options', async () => {
  const field = await serverError(db.command({ find: 'c', frobnicate: true }));
  expect(field.message).toContain('frobnicate');
  const coll = await serverError(
    db
      .collection('c')
      .find({}, { collation: { locale: 'fr' } })
      .toArray(),
  );
  expect(coll.code).toBe(238);
  const capped = await serverError(db.createCollection('capped', { capped: true, size: 1000 }));
  expect(capped.message).toContain('capped');
  const tail = await serverError(db.command({ find: 'c', tailable: true }));
  expect(tail.message).toContain('tailable');
});

it('refuses $where and unknown $type aliases', async () => {
  const type = await serverError(
    db
      .collection('c')
      .find({ a: { $type: 'frob' } })
      .toArray(),
  );
  expect(type.message).toContain('frob');
  const where = await serverError(db.collection('c').find({ $where: 'this.a > 1' }).toArray());
  expect(where.message).toContain('$where');
});

it('refuses mixing replacement and operators', async () => {
  const err = await serverError(
    db.command({ update: 'c', updates: [{ q: {}, u: { $set: { a: 1 }, b: 2 } }] }).then((r) => {
      if (r.writeErrors) throw new MongoServerError(r.writeErrors[0]);
      return r;
    }),
  );
  expect(err.message).toContain('Unknown modifier');
});

it('reports conflicting update paths', async () => {
  const err = await serverError(db.collection('c').updateOne({}, { $set: { a: 1 }, $inc: { a: 1 } }));
  expect(err.code).toBe(40);
});

it('missing cursor on getMore is CursorNotFound (43)', async () => {
  const err = await serverError(db.command({ getMore: 123456789, collection: 'c' }));
  expect(err.code).toBe(43);
});

it('aggregate requires the cursor option', async () => {
  const err = await serverError(db.command({ aggregate: 'c', pipeline: [] }));
  expect(err.code).toBe(9);
});

it('update operators that cannot apply fail instead of silently doing nothing', async () => {
  const c = db.collection('strict');
  await c.insertOne({ _id: 1 as any, s: 'text', n: 1, arr: [{ v: 1 }] });
  expect((await serverError(c.updateOne({ _id: 1 as any }, { $inc: { s: 1 } }))).code).toBe(14);
  expect((await serverError(c.updateOne({ _id: 1 as any }, { $inc: { n: 'x' as any } }))).code).toBe(14);
  expect((await serverError(c.updateOne({ _id: 1 as any }, { $set: { 'n.deep': 1 } }))).code).toBe(28);
  expect((await serverError(c.updateOne({ _id: 1 as any }, { $push: { s: 1 } } as any))).code).toBe(14);
  const af = await serverError(c.updateOne({ _id: 1 as any }, { $set: { 'arr.$[e].v': 2 } }));
  expect(af.message).toContain("identifier 'e'");
  const pos = await serverError(c.updateOne({ _id: 1 as any }, { $set: { 'arr.$.v': 2 } }));
  expect(pos.message).toContain('$');
  expect(await c.findOne({ _id: 1 as any })).toEqual({ _id: 1, s: 'text', n: 1, arr: [{ v: 1 }] });
});
