/** Persistence by journal (#18.2): data, types and indexes survive restarts; crashes lose nothing acknowledged. */
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Binary, Decimal128, Long, MongoClient, ObjectId } from 'mongodb';
import { EJSON } from 'bson';
import { startMongoStandin, type MongoStandin, type MongoStandinOptions } from '../../local/mongo-standin';
import { encodeFrame } from '../../local/mongo-standin/journal-format';

const root = mkdtempSync(path.join(os.tmpdir(), 'mongo-standin-'));
let n = 0;
const freshDir = () => path.join(root, `data-${++n}`);

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withClient<T>(
  dataDir: string,
  fn: (client: MongoClient, standin: MongoStandin) => Promise<T>,
  opts: MongoStandinOptions = {},
): Promise<T> {
  const standin = await startMongoStandin({ dbName: 'snap', dataDir, ...opts });
  const client = new MongoClient(standin.uri);
  try {
    await client.connect();
    return await fn(client, standin);
  } finally {
    await client.close();
    await standin.close();
  }
}

const files = (dir: string) => readdirSync(dir).sort();
const journalOf = (dir: string) =>
  path.join(
    dir,
    files(dir)
      .filter((f) => f.startsWith('journal-'))
      .pop()!,
  );

describe('#18.2 journal', () => {
  it('round-trips documents, BSON types, indexes and several databases', async () => {
    const dir = freshDir();
    const id = new ObjectId();
    const when = new Date('2024-05-06T07:08:09.010Z');
    await withClient(dir, async (client) => {
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
    // The journal, and the index image of the clean close (index-image.ts).
    expect(files(dir)).toEqual(['indexes.img', 'journal-00000001.log']);

    await withClient(dir, async (client) => {
      const doc = await client.db().collection('members').findOne({ _id: id });
      expect(doc!.when).toEqual(when);
      expect(doc!.big.toString()).toBe('9007199254740993');
      expect(doc!.price.toString()).toBe('12.50');
      expect(Buffer.from(doc!.bin.buffer).toString()).toBe('hello');
      expect(doc!.nested).toEqual({ list: [1, 2.5, 'three', null], re: /ab+c/i });
      const indexes = await client.db().collection('members').listIndexes().toArray();
      expect(indexes.map((i) => i.name)).toEqual(['_id_', 'email_1', 'seen_1']);
      expect(indexes[2].expireAfterSeconds).toBe(3600);
      await expect(client.db().collection('members').insertOne({ email: 'a@x' })).rejects.toMatchObject({
        code: 11000,
      });
      expect(await client.db('other').collection('things').countDocuments()).toBe(1);
    });
  });

  it('an acknowledged write is already in the journal: a copy taken while running (as after SIGKILL) has it', async () => {
    const dir = freshDir();
    const copy = freshDir();
    await withClient(
      dir,
      async (client) => {
        await client.db().collection('c').insertOne({ marker: 'acknowledged' });
        await client
          .db()
          .collection('c')
          .updateOne({ marker: 'acknowledged' }, { $set: { v: 2 } });
        // No close(), no timer: the bytes are there the moment the reply arrives.
        cpSync(dir, copy, { recursive: true });
      },
      { journal: { syncIntervalMs: 60_000 } },
    );
    await withClient(copy, async (client) => {
      expect(
        await client
          .db()
          .collection('c')
          .find({}, { projection: { _id: 0 } })
          .toArray(),
      ).toEqual([{ marker: 'acknowledged', v: 2 }]);
    });
  });

  it('drops a torn last record (cut short, or with a bad checksum), keeps everything before it, and goes on', async () => {
    const dir = freshDir();
    await withClient(dir, async (client) => {
      await client
        .db()
        .collection('c')
        .insertMany([{ k: 1 }, { k: 2 }]);
    });
    const journal = journalOf(dir);
    const good = statSync(journal).size;
    const frame = encodeFrame({ t: 'p', d: 'snap', c: 'c', k: 'o:ffffffffffffffffffffffff' }, Buffer.alloc(20, 7));
    appendFileSync(journal, frame.subarray(0, frame.length - 5)); // a write cut short by the kill
    const logs: string[] = [];
    await withClient(
      dir,
      async (client) => {
        expect(await client.db().collection('c').countDocuments()).toBe(2);
        expect(statSync(journal).size).toBe(good); // truncated to the last intact record
        await client.db().collection('c').insertOne({ k: 3 });
      },
      { logger: (m) => logs.push(m) },
    );
    expect(logs.join('\n')).toMatch(/dropped a torn record \(\d+ bytes\)/);

    const bad = Buffer.from(frame);
    bad[bad.length - 1] ^= 0xff; // whole length, wrong checksum
    appendFileSync(journal, bad);
    await withClient(dir, async (client) => {
      expect((await client.db().collection('c').find().toArray()).map((d) => d.k)).toEqual([1, 2, 3]);
    });
  });

  it('replays every kind of change in order', async () => {
    const dir = freshDir();
    await withClient(dir, async (client) => {
      const db = client.db();
      await db.collection('a').insertMany([
        { _id: 1, v: 'one' },
        { _id: 2, v: 'two' },
        { _id: 3, v: 'three' },
      ] as any[]);
      await db.collection('a').updateOne({ _id: 1 } as any, { $set: { v: 'uno' } });
      await db.collection('a').deleteOne({ _id: 2 } as any);
      await db.collection('a').insertOne({ _id: 2, v: 'again' } as any); // back at the end of natural order
      await db.collection('a').createIndex({ v: 1 }, { unique: true });
      await db.collection('a').createIndex({ w: 1 });
      await db.collection('a').dropIndex('w_1');
      await db.collection('gone').insertOne({ x: 1 });
      await db.collection('gone').drop();
      await db.collection('tmp').insertOne({ y: 1 });
      await db.collection('tmp').rename('renamed');
      await db.createCollection('empty');
      await client.db('dropme').collection('z').insertOne({ z: 1 });
      await client.db('dropme').dropDatabase();
    });
    await withClient(dir, async (client) => {
      const db = client.db();
      expect(await db.collection('a').find().toArray()).toEqual([
        { _id: 1, v: 'uno' },
        { _id: 3, v: 'three' },
        { _id: 2, v: 'again' },
      ]);
      expect((await db.collection('a').listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'v_1']);
      expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()).toEqual([
        'a',
        'empty',
        'renamed',
      ]);
      expect(await db.collection('renamed').countDocuments()).toBe(1);
      expect((await client.db().admin().listDatabases()).databases.map((d) => d.name)).not.toContain('dropme');
    });
  });

  it('compacts in a worker while writes continue, and restarts from the snapshot plus the new journal', async () => {
    const dir = freshDir();
    const logs: string[] = [];
    const opts: MongoStandinOptions = { journal: { compactBytes: 16 * 1024 }, logger: (m) => logs.push(m) };
    await withClient(
      dir,
      async (client, standin) => {
        const c = client.db().collection('docs');
        for (let round = 0; round < 10; round++) {
          await c.insertMany(
            Array.from({ length: 50 }, (_, i) => ({ _id: round * 100 + i, round, pad: 'x'.repeat(200) })) as any[],
          );
          await c.updateMany({ round: { $lt: round } }, { $inc: { seen: 1 } });
          await c.deleteOne({ _id: round * 100 } as any);
        }
        // The count moves when a worker has finished its snapshot, which a loaded machine may not have done yet.
        for (let waited = 0; standin.storage().compactions < 1 && waited < 20_000; waited += 50)
          await new Promise((r) => setTimeout(r, 50));
        expect(standin.storage().compactions).toBeGreaterThanOrEqual(1);
      },
      opts,
    );
    expect(logs.join('\n')).toMatch(/compacted \d+ journal bytes into snapshot-\d+\.bson/);
    expect(files(dir).filter((f) => f.startsWith('snapshot-'))).toHaveLength(1);
    expect(files(dir).some((f) => f.endsWith('.tmp'))).toBe(false);

    const check = async (client: MongoClient) => {
      const c = client.db().collection('docs');
      expect(await c.countDocuments()).toBe(500 - 10);
      expect(await c.findOne({ _id: 120 } as any)).toMatchObject({ round: 1, seen: 8 });
      expect(await c.findOne({ _id: 100 } as any)).toBeNull();
      expect((await c.find().limit(2).toArray()).map((d) => d._id)).toEqual([1, 2]);
    };
    await withClient(dir, check, opts);
    // A forced compaction, more writes, and another restart.
    await withClient(
      dir,
      async (client, standin) => {
        await standin.snapshot();
        await client
          .db()
          .collection('docs')
          .insertOne({ _id: 'after' } as any);
      },
      opts,
    );
    await withClient(
      dir,
      async (client) => {
        expect(await client.db().collection('docs').countDocuments()).toBe(500 - 10 + 1);
        expect(
          await client
            .db()
            .collection('docs')
            .findOne({ _id: 'after' } as any),
        ).not.toBeNull();
      },
      opts,
    );
  }, 120_000);

  it('keeps full slabs of documents in an unlinked slab file, not in memory, and reads them through every path', async () => {
    const dir = freshDir();
    const pad = 'y'.repeat(900);
    const docs = Array.from({ length: 6000 }, (_, i) => ({ _id: i, k: i % 7, pad }));
    const check = async (client: MongoClient, standin: MongoStandin) => {
      const c = client.db().collection('big');
      const s = standin.storage();
      // ~5.5 MB of BSON: the slabs being filled stay in memory, the rest is in the file.
      expect(s.spilledBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
      expect(s.residentBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect(await c.countDocuments({ k: 3 })).toBe(docs.filter((d) => d.k === 3).length);
      expect(await c.find({ k: 3 }).sort({ _id: 1 }).toArray()).toEqual(docs.filter((d) => d.k === 3));
      expect(await c.findOne({ _id: 4321 } as any)).toEqual(docs[4321]);
      expect((await c.find({}, { projection: { pad: 0 } }).toArray()).map((d) => d._id)).toEqual(
        docs.map((d) => d._id),
      );
      // Nothing but the journal's own files (and the index image of the last clean stop) in the directory.
      expect(files(path.join(dir)).every((f) => /^((snapshot|journal)-\d+\.(bson|log)|indexes\.img)$/.test(f))).toBe(
        true,
      );
    };
    await withClient(dir, async (client, standin) => {
      const c = client.db().collection('big');
      await c.createIndex({ k: 1 });
      await c.insertMany(docs as any[]);
      await check(client, standin);
      await c.updateMany({ k: 1 }, { $set: { touched: true } });
      for (const d of docs) if (d.k === 1) Object.assign(d, { touched: true });
    });
    // Reopened: the snapshot and journal are read into a new slab file.
    await withClient(dir, check);
    // spill: false keeps everything in memory.
    await withClient(
      dir,
      async (_client, standin) => {
        expect(standin.storage().spilledBytes).toBe(0);
        expect(standin.storage().residentBytes).toBeGreaterThanOrEqual(5 * 1024 * 1024);
      },
      { spill: false },
    );
  }, 120_000);

  it('migrates an old one-file EJSON snapshot once', async () => {
    const dir = freshDir();
    const legacy = path.join(root, 'mongo-standin.json');
    const id = new ObjectId();
    writeFileSync(
      legacy,
      EJSON.stringify(
        {
          format: 'mongo-standin/1',
          savedAt: new Date(),
          databases: {
            snap: {
              members: {
                options: {},
                indexes: [
                  { v: 2, key: { _id: 1 }, name: '_id_' },
                  { v: 2, key: { code: 1 }, name: 'code_1', unique: true },
                ],
                documents: [{ _id: id, code: 'A1', at: new Date('2025-01-02T03:04:05Z') }],
              },
            },
          },
        },
        { relaxed: false },
      ),
    );
    const opts = { journal: { legacySnapshotPath: legacy } };
    await withClient(
      dir,
      async (client) => {
        expect(await client.db().collection('members').findOne({ _id: id })).toEqual({
          _id: id,
          code: 'A1',
          at: new Date('2025-01-02T03:04:05Z'),
        });
        await expect(client.db().collection('members').insertOne({ code: 'A1' })).rejects.toMatchObject({
          code: 11000,
        });
      },
      opts,
    );
    expect(readdirSync(root)).toContain('mongo-standin.json.migrated');
    await withClient(dir, async (client) => {
      expect(await client.db().collection('members').countDocuments()).toBe(1);
    });
    expect(readFileSync(journalOf(dir)).length).toBeGreaterThan(0);
  });
});
