/** #11.4: documents over 16 MiB are refused as MongoDB 7 refuses them, through the real driver; nothing changes. */
import { MongoClient, type Collection, type Db } from 'mongodb';
import { startMongoStandin, type MongoStandin } from '../../local/mongo-standin';

const MiB = 1024 * 1024;
/** A string that makes a `{ _id: ObjectId, s }` document `size` bytes of BSON. */
const filler = (size: number) => 'x'.repeat(size - 30);

let standin: MongoStandin;
let client: MongoClient;
let db: Db;
let coll: Collection;

beforeAll(async () => {
  standin = await startMongoStandin({ dbName: 'limits' });
  client = new MongoClient(standin.uri);
  await client.connect();
  db = client.db();
  coll = db.collection('big');
});

afterAll(async () => {
  await client.close();
  await standin.close();
});

beforeEach(async () => {
  await coll.deleteMany({});
  await coll.insertOne({ _id: 'small', s: 'a' } as any);
});

const stored = async () => ({
  count: await coll.countDocuments(),
  small: await coll.findOne({ _id: 'small' } as any),
});
const before = { count: 1, small: { _id: 'small', s: 'a' } };

describe('#11.4 16 MiB documents', () => {
  it('stores a document of exactly 16 MiB', async () => {
    await coll.insertOne({ s: filler(16 * MiB) });
    expect(await coll.countDocuments()).toBe(2);
  });

  it('refuses an insert just over 16 MiB with "object to insert too large" (code 2), inserting nothing', async () => {
    const err = await coll.insertOne({ s: filler(16 * MiB + 1) }).catch((e) => e);
    expect(err).toMatchObject({ code: 2 });
    expect(err.message).toBe(`object to insert too large. size in bytes: ${16 * MiB + 1}, max size: 16777216`);
    expect(await stored()).toEqual(before);
  });

  it('refuses a 17 MB document before looking at the command (10334 BSONObjectTooLarge)', async () => {
    const err = await coll.insertOne({ s: filler(17_000_000) }).catch((e) => e);
    expect(err).toMatchObject({ code: 10334, codeName: 'BSONObjectTooLarge' });
    // The driver sends a single insert's document inside the command body, so the body is what is too big.
    expect(err.message).toMatch(
      /^BSONObj size: 170001\d\d \(0x[0-9A-F]+\) is invalid\. Size must be between 0 and 16793600\(16MB\) First element: insert: "big"$/,
    );
    // In one insert command with a small document: the whole command fails, the small one is not stored either.
    const batch = await db
      .command({ insert: 'big', documents: [{ _id: 'first', s: 'b' }, { s: filler(17_000_000) }] })
      .catch((e) => e);
    expect(batch).toMatchObject({ code: 10334 });
    expect(await stored()).toEqual(before);
  });

  it('refuses an update whose result exceeds 16 MiB (10334), leaving the document as it was', async () => {
    await coll.updateOne({ _id: 'small' } as any, { $set: { a: filler(9 * MiB) } });
    const err = await coll.updateOne({ _id: 'small' } as any, { $set: { b: filler(9 * MiB) } }).catch((e) => e);
    expect(err).toMatchObject({ code: 10334, message: 'Resulting document after update is larger than 16777216' });
    const doc = await coll.findOne({ _id: 'small' } as any);
    expect(Object.keys(doc!)).toEqual(['_id', 's', 'a']);
  });

  it('refuses a replacement over 16 MiB (10334)', async () => {
    const err = await coll.replaceOne({ _id: 'small' } as any, { s: filler(16 * MiB + 100) }).catch((e) => e);
    expect(err).toMatchObject({ code: 10334, message: 'Resulting document after update is larger than 16777216' });
    expect(await stored()).toEqual(before);
  });

  it('refuses an upsert that would insert over 16 MiB (17420), creating nothing', async () => {
    const err = await coll
      .updateOne({ _id: 'new' } as any, { $set: { s: filler(16 * MiB + 100) } }, { upsert: true })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 17420, message: 'Document to upsert is larger than 16777216' });
    expect(await stored()).toEqual(before);
  });

  it('refuses findAndModify updates and upserts over 16 MiB with the plan executor wording', async () => {
    await coll.updateOne({ _id: 'small' } as any, { $set: { a: filler(9 * MiB) } });
    const upd = await coll
      .findOneAndUpdate({ _id: 'small' } as any, { $set: { b: filler(9 * MiB) } }, { returnDocument: 'after' })
      .catch((e) => e);
    expect(upd).toMatchObject({
      code: 10334,
      message:
        'Plan executor error during findAndModify :: caused by :: Resulting document after update is larger than 16777216',
    });
    const ups = await coll
      .findOneAndUpdate({ _id: 'other' } as any, { $set: { s: filler(16 * MiB + 100) } }, { upsert: true })
      .catch((e) => e);
    expect(ups).toMatchObject({ code: 17420 });
    expect(await coll.countDocuments()).toBe(1);
    expect(Object.keys((await coll.findOne({ _id: 'small' } as any))!)).toEqual(['_id', 's', 'a']);
  });
});
