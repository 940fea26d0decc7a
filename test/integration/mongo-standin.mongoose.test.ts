/** The stand-in through mongoose: model init, indexes, CRUD, errors, populate. */
import mongoose, { Schema, type Connection } from 'mongoose';
import { MongoServerError } from 'mongodb';
import { startTestMongo, type TestMongo } from '../helpers/mongo-standin';

/** The stand-in, or TEST_MONGODB_URI's server: the same assertions hold on both. */
let standin: TestMongo;
let conn: Connection;

const memberSchema = new Schema(
  {
    shopId: { type: String, required: true },
    lineUserId: { type: String, required: true },
    name: String,
    points: { type: Number, default: 0 },
    tags: [String],
    visits: [{ at: Date, amount: Number }],
  },
  { timestamps: true },
);
memberSchema.index({ shopId: 1, lineUserId: 1 }, { unique: true });

const shopSchema = new Schema({ slug: { type: String, unique: true }, title: String });
const couponSchema = new Schema({
  code: { type: String, unique: true, sparse: true },
  shop: { type: Schema.Types.ObjectId, ref: 'Shop' },
});

beforeAll(async () => {
  standin = await startTestMongo('mongoose_test');
  conn = await mongoose.createConnection(standin.uri).asPromise();
});

afterAll(async () => {
  await conn.close();
  await standin.close();
});

const Member = () => conn.models.Member ?? conn.model('Member', memberSchema);
const Shop = () => conn.models.Shop ?? conn.model('Shop', shopSchema);
const Coupon = () => conn.models.Coupon ?? conn.model('Coupon', couponSchema);

it('Model.init creates the collection and indexes', async () => {
  await Promise.all([Member().init(), Shop().init(), Coupon().init()]);
  const names = (await Member().listIndexes()).map((i: any) => i.name);
  expect(names).toEqual(['_id_', 'shopId_1_lineUserId_1']);
  const collections = (await conn.db!.listCollections().toArray()).map((c) => c.name).sort();
  expect(collections).toEqual(['coupons', 'members', 'shops']);
});

it('syncIndexes drops stale indexes and keeps schema ones', async () => {
  await Member().collection.createIndex({ name: 1 });
  const dropped = await Member().syncIndexes();
  expect(dropped).toEqual(['name_1']);
  expect((await Member().listIndexes()).map((i: any) => i.name)).toEqual(['_id_', 'shopId_1_lineUserId_1']);
});

it('creates, reads and updates documents with timestamps', async () => {
  const m = await Member().create({ shopId: 's1', lineUserId: 'U1', name: 'Ann', tags: ['vip'] });
  expect(m.createdAt).toBeInstanceOf(Date);
  m.points = 10;
  m.visits.push({ at: new Date(), amount: 120 });
  await m.save();
  const fresh = await Member().findById(m._id).lean();
  expect(fresh).toMatchObject({ name: 'Ann', points: 10, tags: ['vip'] });
  expect(fresh!.visits).toHaveLength(1);
  expect(await Member().countDocuments({ shopId: 's1' })).toBe(1);
  expect(await Member().exists({ lineUserId: 'U1' })).toBeTruthy();
});

it('raises E11000 through mongoose on a compound unique index', async () => {
  await expect(Member().create({ shopId: 's1', lineUserId: 'U1' })).rejects.toMatchObject({
    code: 11000,
    keyValue: { shopId: 's1', lineUserId: 'U1' },
  });
  await expect(Member().create({ shopId: 's2', lineUserId: 'U1' })).resolves.toBeTruthy();
  const err = await Member()
    .insertMany([
      { shopId: 's3', lineUserId: 'U9' },
      { shopId: 's3', lineUserId: 'U9' },
    ])
    .catch((e) => e);
  expect(err.code).toBe(11000);
  // Ordered insertMany keeps the documents before the failing one, like the real server.
  expect(await Member().countDocuments({ shopId: 's3' })).toBe(1);
});

it('findOneAndUpdate with upsert, $inc and $setOnInsert', async () => {
  const upserted = await Member()
    .findOneAndUpdate(
      { shopId: 's9', lineUserId: 'U9' },
      { $inc: { points: 3 }, $setOnInsert: { name: 'New' } },
      { upsert: true, returnDocument: 'after' },
    )
    .lean();
  expect(upserted).toMatchObject({ shopId: 's9', lineUserId: 'U9', points: 3, name: 'New' });
  const again = await Member()
    .findOneAndUpdate(
      { shopId: 's9', lineUserId: 'U9' },
      { $inc: { points: 3 }, $setOnInsert: { name: 'Other' } },
      { upsert: true, returnDocument: 'after' },
    )
    .lean();
  expect(again).toMatchObject({ points: 6, name: 'New' });
});

it('unique violation on update surfaces as MongoServerError 11000', async () => {
  await Shop().create([
    { slug: 'tea', title: 'Tea' },
    { slug: 'cake', title: 'Cake' },
  ]);
  const err = await Shop()
    .updateOne({ slug: 'cake' }, { $set: { slug: 'tea' } })
    .catch((e) => e);
  expect(err).toBeInstanceOf(MongoServerError);
  expect(err.code).toBe(11000);
  expect(await Shop().countDocuments({ slug: 'cake' })).toBe(1);
});

it('sparse unique allows many missing values', async () => {
  const shop = await Shop().findOne({ slug: 'tea' });
  await Coupon().create([{ shop: shop!._id }, { shop: shop!._id }, { code: 'X1', shop: shop!._id }]);
  await expect(Coupon().create({ code: 'X1' })).rejects.toMatchObject({ code: 11000 });
});

it('populate, sort/skip/limit/select, distinct and aggregate', async () => {
  const coupons = await Coupon().find({ code: 'X1' }).populate('shop').lean();
  expect((coupons[0].shop as any).title).toBe('Tea');
  const page = await Member()
    .find({})
    .sort({ lineUserId: 1, shopId: -1 })
    .skip(1)
    .limit(2)
    .select('shopId lineUserId -_id')
    .lean();
  expect(page).toEqual([
    { shopId: 's1', lineUserId: 'U1' },
    { shopId: 's9', lineUserId: 'U9' },
  ]);
  expect((await Member().distinct('shopId')).sort()).toEqual(['s1', 's2', 's3', 's9']);
  const agg = await Member().aggregate([{ $group: { _id: null, pts: { $sum: '$points' } } }]);
  expect(agg).toEqual([{ _id: null, pts: 16 }]);
});

it('updateMany, deleteMany and $pull on subdocuments', async () => {
  const res = await Member().updateMany({ points: { $lt: 5 } }, { $addToSet: { tags: 'low' } });
  expect(res.modifiedCount).toBe(2);
  await Member().updateOne({ lineUserId: 'U1', shopId: 's1' }, { $pull: { visits: { amount: { $gt: 100 } } } });
  expect((await Member().findOne({ lineUserId: 'U1', shopId: 's1' }).lean())!.visits).toHaveLength(0);
  expect((await Member().deleteMany({ shopId: 's2' })).deletedCount).toBe(1);
});

it('queries by ObjectId and Date work through casting', async () => {
  const shop = await Shop().findOne({ slug: 'tea' }).lean();
  expect(await Coupon().countDocuments({ shop: String(shop!._id) })).toBe(3);
  const since = new Date(Date.now() - 60_000);
  expect(await Member().countDocuments({ createdAt: { $gte: since } })).toBeGreaterThan(0);
  expect(await Member().countDocuments({ createdAt: { $lt: since } })).toBe(0);
});

it('transactions fail loudly', async () => {
  const session = await conn.startSession();
  try {
    await expect(
      session.withTransaction(async () => {
        await Shop().create([{ slug: 'txn' }], { session });
      }),
    ).rejects.toThrow(/Transaction numbers|retryable writes/);
  } finally {
    await session.endSession();
  }
  expect(await Shop().countDocuments({ slug: 'txn' })).toBe(0);
});
