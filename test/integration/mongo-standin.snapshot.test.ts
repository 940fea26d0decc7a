/** Snapshot persistence: data, types and indexes survive a restart from the same file. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Binary, Decimal128, Long, MongoClient, ObjectId } from 'mongodb';
import { startMongoStandin } from '../../local/mongo-standin';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mongo-standin-'));
const file = path.join(dir, 'nested', 'mongo.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The stand-in's own persistence: runs on the stand-in in every CI job, whatever TEST_MONGODB_URI says.

async function withClient<T>(
  snapshotPath: string,
  fn: (client: MongoClient) => Promise<T>,
  debounceMs?: number,
): Promise<T> {
  const standin = await startMongoStandin({ dbName: 'snap', snapshotPath, snapshotDebounceMs: debounceMs });
  const client = new MongoClient(standin.uri);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close();
    await standin.close();
  }
}

it('round-trips documents, BSON types, indexes and several databases', async () => {
  const id = new ObjectId();
  const when = new Date('2024-05-06T07:08:09.010Z');
  await withClient(file, async (client) => {
    const db = client.db();
    await db.collection('members').createIndex({ email: 1 }, { unique: true });
    await db.collection('members').createIndex({ seen: 1 }, { expireAfterSeconds: 3600 });
    await db.collection('members').insertOne({
      _id: id,
      email: 'a@x',
      when,
      big: Long.fromString('9007199254740993'),
      price: Decimal128.fromString('12.50'),
      bin: new Binary(Buffer.from('hello')),
      nested: { list: [1, 2.5, 'three', null], re: /ab+c/i },
    });
    await client.db('other').collection('things').insertOne({ n: 1 });
  });

  expect(existsSync(file)).toBe(true);
  expect(readdirSync(path.dirname(file))).toEqual(['mongo.json']); // no stray tmp files

  await withClient(file, async (client) => {
    const doc = await client.db().collection('members').findOne({ _id: id });
    expect(doc!.when).toEqual(when);
    expect(doc!.big.toString()).toBe('9007199254740993');
    expect(doc!.price.toString()).toBe('12.50');
    expect(Buffer.from(doc!.bin.buffer).toString()).toBe('hello');
    expect(doc!.nested).toEqual({ list: [1, 2.5, 'three', null], re: /ab+c/i });
    const indexes = await client.db().collection('members').listIndexes().toArray();
    expect(indexes.map((i) => i.name)).toEqual(['_id_', 'email_1', 'seen_1']);
    expect(indexes[2].expireAfterSeconds).toBe(3600);
    await expect(client.db().collection('members').insertOne({ email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
    expect(await client.db('other').collection('things').countDocuments()).toBe(1);
  });
});

it('saves after writes (debounced) without waiting for close', async () => {
  const early = path.join(dir, 'early.json');
  await withClient(
    early,
    async (client) => {
      await client.db().collection('c').insertOne({ marker: 'saved-early' });
      const deadline = Date.now() + 3000;
      while (!(existsSync(early) && readFileSync(early, 'utf8').includes('saved-early')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(readFileSync(early, 'utf8')).toContain('saved-early');
    },
    20,
  );
});

it('snapshot() forces a save and deletes are persisted', async () => {
  const forced = path.join(dir, 'forced.json');
  await withClient(
    forced,
    async (client) => {
      await client
        .db()
        .collection('c')
        .insertMany([{ k: 1 }, { k: 2 }]);
      await client.db().collection('c').deleteOne({ k: 1 });
    },
    60_000,
  );
  await withClient(forced, async (client) => {
    expect(
      await client
        .db()
        .collection('c')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ k: 2 }]);
  });
  const standin = await startMongoStandin({ snapshotPath: forced });
  await standin.snapshot();
  expect(JSON.parse(readFileSync(forced, 'utf8')).format).toBe('mongo-standin/1');
  await standin.close();
});
