/** Each command is atomic: concurrent clients can't interleave inside one write. */
import mongoose, { Schema, type Connection } from 'mongoose';
import { MongoClient, type Db } from 'mongodb';
import { startTestMongo, type TestMongo } from '../helpers/mongo-standin';

/** The stand-in, or TEST_MONGODB_URI's server: the same assertions hold on both. */
let standin: TestMongo;
let client: MongoClient;
let db: Db;
let conn: Connection;

beforeAll(async () => {
  standin = await startTestMongo('concurrency_test');
  client = new MongoClient(standin.uri, { maxPoolSize: 100 });
  await client.connect();
  db = client.db();
  conn = await mongoose.createConnection(standin.uri, { maxPoolSize: 100 }).asPromise();
});

afterAll(async () => {
  await conn.close();
  await client.close();
  await standin.close();
});

it('100 concurrent conditional decrements on a balance of 50: exactly 50 succeed', async () => {
  const wallets = db.collection('wallets');
  const { insertedId } = await wallets.insertOne({ points: 50 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      wallets.findOneAndUpdate(
        { _id: insertedId, points: { $gte: 1 } },
        { $inc: { points: -1 } },
        { returnDocument: 'after' },
      ),
    ),
  );
  expect(results.filter((r) => r !== null)).toHaveLength(50);
  expect((await wallets.findOne({ _id: insertedId }))!.points).toBe(0);
  // Every successful redemption saw a distinct balance.
  expect(new Set(results.filter((r) => r).map((r) => r!.points)).size).toBe(50);
});

it('same through mongoose, spending 5 points at a time from 50 with 100 clients', async () => {
  const Wallet = conn.model('Wallet', new Schema({ owner: { type: String, unique: true }, points: Number }));
  await Wallet.init();
  await Wallet.create({ owner: 'u1', points: 50 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      Wallet.findOneAndUpdate(
        { owner: 'u1', points: { $gte: 5 } },
        { $inc: { points: -5 } },
        { returnDocument: 'after' },
      ).lean(),
    ),
  );
  expect(results.filter(Boolean)).toHaveLength(10);
  expect((await Wallet.findOne({ owner: 'u1' }).lean())!.points).toBe(0);
});

it('concurrent upserts on a unique key create one document', async () => {
  const counters = db.collection('counters');
  await counters.createIndex({ key: 1 }, { unique: true });
  await Promise.all(
    Array.from({ length: 50 }, () => counters.updateOne({ key: 'visits' }, { $inc: { n: 1 } }, { upsert: true })),
  );
  expect(await counters.find({ key: 'visits' }).toArray()).toEqual([expect.objectContaining({ n: 50 })]);
});
