/** The planner: declared indexes serve queries, explain says how, and results equal a scan's. */
import { EJSON } from 'bson';
import { ObjectId, type Db, type Document } from 'mongodb';
import { startStandinWithClient, type StandinHarness } from '../helpers/mongo-standin';

let h: StandinHarness;
let db: Db;

beforeAll(async () => {
  h = await startStandinWithClient({ dbName: 'planner_test' });
  db = h.db;
});
afterAll(() => h.close());

/** The innermost access stage(s) of a winning plan. */
function access(plan: Document): Document[] {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK', 'COUNT_SCAN'].includes(plan.stage)) return [plan];
  if (plan.inputStages) return plan.inputStages.flatMap(access);
  return plan.inputStage ? access(plan.inputStage) : [];
}
const planOf = (e: Document) => access(e.queryPlanner.winningPlan);
const indexNames = (e: Document) => planOf(e).map((s) => s.indexName ?? s.stage);

describe('#18.1 planner', () => {
  const col = () => db.collection('orders');

  beforeAll(async () => {
    const docs = [];
    for (let i = 0; i < 500; i++) {
      docs.push({
        n: i,
        status: ['new', 'paid', 'shipped', 'void'][i % 4],
        at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
        tags: i % 10 === 0 ? ['vip', 'b2b'] : ['retail'],
        ...(i % 3 === 0 ? { ref: `R${i}` } : {}),
        amount: i % 7,
      });
    }
    await col().insertMany(docs);
    await col().createIndexes([
      { key: { status: 1, at: -1 }, name: 'status_at' },
      { key: { at: 1 }, name: 'at' },
      { key: { tags: 1 }, name: 'tags' },
      { key: { ref: 1 }, name: 'ref_sparse', sparse: true },
      { key: { amount: 1 }, name: 'amount_pos', partialFilterExpression: { amount: { $gt: 0 } } },
    ]);
  });

  it('serves equality on a compound prefix with an IXSCAN under FETCH, examining only matching keys', async () => {
    const e = await col().find({ status: 'paid' }).explain('executionStats');
    expect(e.queryPlanner.winningPlan.stage).toBe('FETCH');
    expect(e.queryPlanner.winningPlan.inputStage).toMatchObject({ stage: 'IXSCAN', indexName: 'status_at' });
    expect(e.executionStats).toMatchObject({ nReturned: 125, totalKeysExamined: 125, totalDocsExamined: 125 });
  });

  it('serves $in and a combined range', async () => {
    const e1 = await col()
      .find({ status: { $in: ['new', 'void'] } })
      .explain('executionStats');
    expect(indexNames(e1)).toEqual(['status_at']);
    expect(e1.executionStats.totalKeysExamined).toBe(250);
    const from = new Date(Date.UTC(2026, 0, 2));
    const to = new Date(Date.UTC(2026, 0, 3));
    const e2 = await col()
      .find({ at: { $gte: from, $lt: to } })
      .explain('executionStats');
    expect(indexNames(e2)).toEqual(['at']);
    // Like mongod, the scan reads the first key past the bound to know it is done.
    expect(e2.executionStats.nReturned).toBe(24);
    expect(e2.executionStats.totalKeysExamined).toBeLessThanOrEqual(25);
    expect(planOf(e2)[0].indexBounds.at[0]).toMatch(/^\[new Date\(\d+\), new Date\(\d+\)\)$/);
  });

  it('serves a sort with the filter on the prefix, walking only limit keys', async () => {
    const e = await col().find({ status: 'shipped' }).sort({ at: -1 }).limit(5).explain('executionStats');
    expect(indexNames(e)).toEqual(['status_at']);
    expect(JSON.stringify(e.queryPlanner.winningPlan)).not.toContain('"SORT"');
    expect(e.executionStats.nReturned).toBe(5);
    expect(e.executionStats.totalKeysExamined).toBeLessThanOrEqual(6);
    const rows = await col().find({ status: 'shipped' }).sort({ at: -1 }).limit(5).toArray();
    expect(rows.map((r) => r.n)).toEqual([498, 494, 490, 486, 482]);
    // The reverse direction walks the same index backward.
    const asc = await col().find({ status: 'shipped' }).sort({ at: 1 }).limit(2).explain();
    expect(planOf(asc)[0]).toMatchObject({ indexName: 'status_at', direction: 'backward' });
  });

  it('serves a sort alone (no filter) and an aggregate leading $match + $sort', async () => {
    const e = await col().find({}).sort({ at: 1 }).limit(3).explain('executionStats');
    expect(indexNames(e)).toEqual(['at']);
    expect(e.executionStats.totalKeysExamined).toBeLessThanOrEqual(4);
    const agg = await col()
      .aggregate([{ $match: { status: 'new' } }, { $group: { _id: null, total: { $sum: '$amount' } } }])
      .explain('executionStats');
    expect(indexNames(agg)).toEqual(['status_at']);
    expect(agg.executionStats.totalDocsExamined).toBe(125);
  });

  it('answers explain for count, distinct, update and delete without writing', async () => {
    const count = await db.command({
      explain: { count: 'orders', query: { status: 'void' } },
      verbosity: 'executionStats',
    });
    expect(indexNames(count)).toEqual(['status_at']);
    // The index's bounds are the whole filter: counted from its entries, no document read (MongoDB's COUNT_SCAN).
    expect(count.queryPlanner.winningPlan).toMatchObject({
      stage: 'COUNT',
      inputStage: { stage: 'COUNT_SCAN', indexName: 'status_at', indexBounds: { status: ['["void", "void"]'] } },
    });
    expect(count.executionStats).toMatchObject({ totalKeysExamined: 125, totalDocsExamined: 0 });
    // countDocuments (an aggregate) too; a filter the bounds do not cover still reads the documents.
    const agg = await col()
      .aggregate([{ $match: { status: { $in: ['void', 'new'] } } }, { $group: { _id: 1, n: { $sum: 1 } } }])
      .explain('executionStats');
    expect(agg.queryPlanner.winningPlan).toMatchObject({ stage: 'COUNT_SCAN', indexName: 'status_at' });
    expect(await col().countDocuments({ status: { $in: ['void', 'new'] } })).toBe(250);
    const partly = await db.command({
      explain: { count: 'orders', query: { status: 'void', n: { $lt: 100 } } },
      verbosity: 'executionStats',
    });
    expect(partly.queryPlanner.winningPlan.stage).toBe('FETCH');
    expect(partly.executionStats.totalDocsExamined).toBe(125);
    expect(await col().countDocuments({ status: 'void', n: { $lt: 100 } })).toBe(25);
    const distinct = await db.command({ explain: { distinct: 'orders', key: 'n', query: { tags: 'vip' } } });
    expect(indexNames(distinct)).toEqual(['tags']);
    const upd = await db.command({
      explain: { update: 'orders', updates: [{ q: { status: 'void' }, u: { $set: { x: 1 } }, multi: true }] },
      verbosity: 'executionStats',
    });
    expect(indexNames(upd)).toEqual(['status_at']);
    expect(upd.executionStats.nReturned).toBe(125);
    const del = await db.command({ explain: { delete: 'orders', deletes: [{ q: { status: 'void' }, limit: 0 }] } });
    expect(indexNames(del)).toEqual(['status_at']);
    expect(await col().countDocuments({ x: 1 })).toBe(0);
    expect(await col().countDocuments({ status: 'void' })).toBe(125);
  });

  it('uses a multikey index for array elements and reports it multikey', async () => {
    const e = await col().find({ tags: 'vip' }).explain('executionStats');
    expect(planOf(e)[0]).toMatchObject({ indexName: 'tags', isMultiKey: true });
    expect(e.executionStats.nReturned).toBe(50);
  });

  it('never lets a sparse index answer null or $exists: false, and a partial one only when the query implies its filter', async () => {
    expect(indexNames(await col().find({ ref: 'R3' }).explain())).toEqual(['ref_sparse']);
    expect(indexNames(await col().find({ ref: null }).explain())).toEqual(['COLLSCAN']);
    expect(
      indexNames(
        await col()
          .find({ ref: { $exists: false } })
          .explain(),
      ),
    ).toEqual(['COLLSCAN']);
    expect(await col().countDocuments({ ref: null })).toBe(333);
    expect(indexNames(await col().find({ amount: 3 }).explain())).toEqual(['amount_pos']);
    expect(
      indexNames(
        await col()
          .find({ amount: { $gte: 2 } })
          .explain(),
      ),
    ).toEqual(['amount_pos']);
    expect(indexNames(await col().find({ amount: 0 }).explain())).toEqual(['COLLSCAN']);
    expect(
      indexNames(
        await col()
          .find({ amount: { $gte: 0 } })
          .explain(),
      ),
    ).toEqual(['COLLSCAN']);
    expect(await col().countDocuments({ amount: { $gte: 0 } })).toBe(500);
  });

  it('unites index scans for an $or whose branches are all indexed', async () => {
    const e = await col()
      .find({ $or: [{ ref: 'R3' }, { status: 'new' }] })
      .explain('executionStats');
    expect(e.queryPlanner.winningPlan.inputStage.stage).toBe('OR');
    expect(indexNames(e).sort()).toEqual(['ref_sparse', 'status_at']);
    expect(e.executionStats.nReturned).toBe(126);
  });

  it('matches an unanchored or case-insensitive $regex against index keys, reading only the matching documents', async () => {
    const e = await col()
      .find({ ref: { $regex: 'r4', $options: 'i' } })
      .explain('executionStats');
    expect(planOf(e)[0]).toMatchObject({
      indexName: 'ref_sparse',
      indexBounds: { ref: ['["", {})', '[/r4/i, /r4/i]'] },
    });
    const refs = (await col().find({ ref: /r4/i }).toArray()).map((d) => d.ref);
    expect(refs.length).toBe(e.executionStats.nReturned);
    expect(refs.every((r) => /^R\d*4/.test(r))).toBe(true);
    expect(e.executionStats.totalDocsExamined).toBe(refs.length);
    expect(e.executionStats.totalKeysExamined).toBe(167); // every string key of the sparse index
    // An $or whose clauses are all indexed (one by a regex) is an OR even under a condition on an index covering
    // every document; a clause without an index makes it a scan of the other index.
    await col().createIndex({ amount: 1, at: 1 }, { name: 'amount_at' });
    const or = await col()
      .find({ amount: { $gte: 0 }, $or: [{ ref: /^R1/ }, { tags: 'vip' }, { ref: { $regex: '99$' } }] })
      .explain('executionStats');
    expect(or.queryPlanner.winningPlan.inputStage.stage).toBe('OR');
    expect(indexNames(or).sort()).toEqual(['ref_sparse', 'ref_sparse', 'tags']);
    const found = await col()
      .find({ amount: { $gte: 0 }, $or: [{ ref: /^R1/ }, { tags: 'vip' }, { ref: { $regex: '99$' } }] })
      .toArray();
    const expected = (await col().find({}).toArray()).filter(
      (d) => (typeof d.ref === 'string' && (/^R1/.test(d.ref) || /99$/.test(d.ref))) || d.tags.includes('vip'),
    );
    expect(found.map((d) => d.n)).toEqual(expected.map((d) => d.n));
    expect(or.executionStats.totalDocsExamined).toBeLessThan(500);
    const unindexed = await col()
      .find({ amount: { $gte: 0 }, $or: [{ ref: /^R1/ }, { n: 3 }] })
      .explain();
    expect(indexNames(unindexed)).toEqual(['amount_at']);
    await col().dropIndex('amount_at');
  });

  it('answers a distinct of an indexed key from its keys, keeping a real null and leaving out a missing one', async () => {
    const docs = [
      { t: ['b', null] },
      { t: [] },
      {},
      { t: 'c' },
      { t: ['a', 'c'] },
      { t: [{ x: 1 }, 'd'] },
      { t: null },
      { t: 5 },
    ];
    const ix = db.collection('distinct_indexed');
    await ix.createIndex({ t: 1 }, { name: 't' });
    await ix.insertMany(docs.map((d, k) => ({ ...d, k })));
    const sc = db.collection('distinct_scanned');
    await sc.insertMany(docs.map((d, k) => ({ ...d, k })));
    for (const q of [{ t: { $gte: '' } }, { t: { $in: ['a', 'd'] } }, { t: /c/ }, { t: 'b' }, { t: { $gt: 1 } }, {}])
      expect({ q, values: await ix.distinct('t', q) }).toEqual({ q, values: await sc.distinct('t', q) });
    expect(await ix.distinct('t', { t: { $gte: '' } })).toEqual([null, 'a', 'b', 'c', 'd', { x: 1 }]);
    await ix.deleteMany({ k: { $in: [5, 6, 7] } });
    await sc.deleteMany({ k: { $in: [5, 6, 7] } });
    // Now every key but the nulls (missing, [], the null in ['b', null]) is a string: the index keys answer, and
    // the real null of the matching ['b', null] is kept while the non-matching missing / [] add nothing.
    expect(await ix.distinct('t', { t: { $gte: '' } })).toEqual([null, 'a', 'b', 'c']);
    expect(await ix.distinct('t', { t: { $in: ['a'] } })).toEqual(['a', 'c']);
    expect(await sc.distinct('t', { t: { $in: ['a'] } })).toEqual(['a', 'c']);
  });

  it('answers _id lookups by IDHACK and unindexed filters by COLLSCAN', async () => {
    const one = await col().findOne({ n: 7 });
    expect((await col().find({ _id: one!._id }).explain()).queryPlanner.winningPlan.stage).toBe('IDHACK');
    const e = await col().find({ n: 7 }).explain('executionStats');
    expect(e.queryPlanner.winningPlan).toMatchObject({ stage: 'COLLSCAN', filter: { n: 7 } });
    expect(e.executionStats.totalDocsExamined).toBe(500);
  });

  it('keeps index keys in step with updates and deletes, and turns the plan into COLLSCAN when the index is dropped', async () => {
    await col().updateMany({ status: 'void' }, { $set: { status: 'cancelled' } });
    expect(await col().countDocuments({ status: 'void' })).toBe(0);
    expect(await col().countDocuments({ status: 'cancelled' })).toBe(125);
    await col().deleteMany({ status: 'cancelled', n: { $lt: 100 } });
    expect(await col().countDocuments({ status: 'cancelled' })).toBe(100);
    await col().dropIndex('status_at');
    const e = await col().find({ status: 'cancelled' }).explain();
    expect(e.queryPlanner.winningPlan.stage).toBe('COLLSCAN');
    expect(await col().countDocuments({ status: 'cancelled' })).toBe(100);
  });

  it('refuses an unknown explain verbosity or command', async () => {
    await expect(db.command({ explain: { find: 'orders' }, verbosity: 'everything' })).rejects.toThrow(/verbosity/);
    await expect(db.command({ explain: { insert: 'orders', documents: [{}] } })).rejects.toThrow(/unknown command/);
  });
});

describe('#18.1 planner: indexed results equal scanned results on randomized data', () => {
  // A small deterministic PRNG so a failure reproduces.
  let seed = 20261202;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const oids = Array.from({ length: 6 }, () => new ObjectId());
  const dates = Array.from({ length: 6 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i * 3)));
  const scalars: unknown[] = [0, 1, 2, 2.5, -3, 10, 'a', 'b', 'ab', 'z', '', true, false, null, ...oids, ...dates];
  const value = (): unknown => {
    const r = rnd();
    if (r < 0.12) return undefined; // missing
    if (r < 0.22) return [pick(scalars), pick(scalars)];
    if (r < 0.25) return [];
    if (r < 0.3) return { x: pick(scalars) };
    return pick(scalars);
  };
  const makeDoc = (i: number) => {
    const d: Document = { i };
    for (const f of ['a', 'b', 'c']) {
      const v = value();
      if (v !== undefined) d[f] = v;
    }
    const dv = rnd();
    // d: never two values, so its index stays non-multikey and equality counts come from index entries alone.
    if (dv < 0.7) d.d = pick(scalars);
    else if (dv < 0.8) d.d = [pick(scalars)];
    else if (dv < 0.85) d.d = [];
    else if (dv < 0.9) d.d = { x: pick(scalars) };
    if (rnd() < 0.5) d.e = { f: pick(scalars) };
    if (rnd() < 0.2) d.e = [{ f: pick(scalars) }, { g: 1 }];
    return d;
  };
  const predicate = (): unknown => {
    const v = pick(scalars);
    switch (Math.floor(rnd() * 10)) {
      case 9:
        // Excluded through an index's keys before documents are read (planner.ts `exclusions`).
        return { $nin: [pick(scalars), pick(scalars)].slice(0, 1 + Math.floor(rnd() * 2)) };
      case 8:
        return pick([
          /^a/,
          { $regex: '^ab' },
          { $regex: '^a', $options: 'i' },
          /^z?/,
          /b/,
          /B/i,
          { $regex: 'a', $options: 'i' },
          { $regex: 'b$' },
          { $regex: '^$' },
          /^A.*b/i,
        ]);
      case 0:
        return v;
      case 1:
        return { $in: [pick(scalars), pick(scalars), null].slice(0, 1 + Math.floor(rnd() * 3)) };
      case 2:
        return { $gt: v === null ? 1 : v };
      case 3:
        return { $gte: pick([0, 'a', dates[1], oids[2]]), $lt: pick([10, 'z', dates[4], oids[4]]) };
      case 4:
        return { $lte: v === null ? 'b' : v };
      case 5:
        return { $exists: rnd() < 0.5 };
      case 6:
        return { $ne: v };
      default:
        return { $eq: v };
    }
  };
  const filter = (): Document => {
    const f: Document = {};
    for (const k of ['a', 'b', 'c', 'd', 'e.f']) if (rnd() < 0.4) f[k] = predicate();
    if (rnd() < 0.1) return { d: pick([pick(scalars), { $in: [pick(scalars), pick(scalars)] }]) };
    if (rnd() < 0.15) return { $or: [f, { a: predicate() }] };
    if (rnd() < 0.15) return { ...f, $or: [{ a: predicate() }, { c: predicate() }, { d: predicate() }] };
    if (rnd() < 0.15) return { $and: [f, { [pick(['a', 'b', 'c', 'e.f'])]: { $nin: [pick(scalars)] } }] };
    return f;
  };
  const sortSpec = (): Document | undefined => {
    const r = rnd();
    if (r < 0.3) return undefined;
    const s: Document = {};
    s[pick(['a', 'b', 'c', 'e.f', 'i'])] = pick([1, -1]);
    if (rnd() < 0.5) s.i = pick([1, -1]);
    return s;
  };
  const same = (x: unknown, y: unknown) => expect(EJSON.stringify(x as Document)).toBe(EJSON.stringify(y as Document));

  const idx = () => db.collection('rand_indexed');
  const scan = () => db.collection('rand_scanned');

  beforeAll(async () => {
    await idx().createIndexes([
      { key: { a: 1 }, name: 'a' },
      { key: { d: 1, i: 1 }, name: 'd_i' },
      { key: { b: -1, c: 1 }, name: 'b_c' },
      { key: { c: 1, i: -1 }, name: 'c_i' },
      { key: { 'e.f': 1 }, name: 'ef' },
      { key: { a: 1, i: 1 }, name: 'a_sparse', sparse: true },
      { key: { b: 1 }, name: 'b_partial', partialFilterExpression: { b: { $gt: 0 } } },
    ]);
    const docs = Array.from({ length: 400 }, (_, i) => makeDoc(i));
    await idx().insertMany(docs.map((d) => ({ ...d })));
    await scan().insertMany(docs.map((d) => ({ ...d })));
  });

  it('find (filter, sort, skip, limit), count and distinct agree over 150 random queries', async () => {
    let indexed = 0;
    let countScans = 0;
    let ors = 0;
    for (let q = 0; q < 150; q++) {
      const f = filter();
      const s = sortSpec();
      const limit = rnd() < 0.6 ? 1 + Math.floor(rnd() * 15) : 0;
      const skip = rnd() < 0.2 ? Math.floor(rnd() * 5) : 0;
      const run = (c: typeof idx, projection: Document = { _id: 0 }) => {
        let cur = c().find(f, { projection });
        if (s) cur = cur.sort(s);
        if (skip) cur = cur.skip(skip);
        if (limit) cur = cur.limit(limit);
        return cur.toArray();
      };
      const [a, b] = await Promise.all([run(idx), run(scan)]);
      // Without a sort the order is natural order in both; sorted ties are broken by natural order in both.
      try {
        same(a, b);
      } catch (err) {
        throw new Error(`query ${q}: ${EJSON.stringify({ f, s, skip, limit })}\n${(err as Error).message}`);
      }
      // A projection to top-level fields decodes each candidate cut down to the paths the find reads: the same
      // documents, with the same fields, as projecting the whole documents.
      for (const c of [idx, scan])
        same(
          await run(c, { d: 1, a: 1, _id: 0 }),
          b.map((doc) => Object.fromEntries(Object.entries(doc).filter(([k]) => k === 'a' || k === 'd'))),
        );
      expect(await idx().countDocuments(f)).toBe(await scan().countDocuments(f));
      // A count decodes only the paths its filter reads (bson-fields.ts pickPaths); find decodes whole documents.
      expect(await scan().countDocuments(f)).toBe(
        b.length === 0 || limit || skip ? (await scan().find(f).toArray()).length : b.length,
      );
      same(await idx().distinct('a', f), await scan().distinct('a', f));
      // A filter of one condition on the key itself: answered from index keys when exact (DISTINCT_SCAN).
      for (const k of ['d', 'a']) {
        const one = { [k]: predicate() };
        same(await idx().distinct(k, one), await scan().distinct(k, one));
      }
      const e = await idx().find(f).explain();
      if (planOf(e)[0].stage !== 'COLLSCAN') indexed++;
      if (e.queryPlanner.winningPlan.inputStage?.stage === 'OR') ors++;
      const c = await db.command({ explain: { count: 'rand_indexed', query: f } });
      if (c.queryPlanner.winningPlan.stage === 'COUNT') countScans++;
    }
    // ... including counts from index entries alone and unions of index scans.
    expect({ countScans: countScans > 5, ors: ors > 5 }).toEqual({ countScans: true, ors: true });
    // The generator must exercise the indexes, not only scans.
    expect(indexed).toBeGreaterThan(50);
  }, 120_000);

  it('aggregate, updateMany, updateOne with sort, findOneAndUpdate and deleteMany leave both collections identical', async () => {
    for (let q = 0; q < 120; q++) {
      const f = filter();
      const s = sortSpec() ?? { i: 1 };
      const pipeline = [{ $match: f }, { $sort: s }, { $limit: 1 + Math.floor(rnd() * 10) }, { $project: { _id: 0 } }];
      same(await idx().aggregate(pipeline).toArray(), await scan().aggregate(pipeline).toArray());
      const op = Math.floor(rnd() * 4);
      const change = { $set: { [pick(['a', 'b', 'c'])]: value() ?? null } };
      if (op === 0) {
        const [x, y] = [await idx().updateMany(f, change), await scan().updateMany(f, change)];
        expect(x.modifiedCount).toBe(y.modifiedCount);
      } else if (op === 1) {
        const [x, y] = [await idx().updateOne(f, change, { sort: s }), await scan().updateOne(f, change, { sort: s })];
        expect(x.matchedCount).toBe(y.matchedCount);
      } else if (op === 2) {
        const [x, y] = [
          await idx().findOneAndUpdate(f, change, { sort: s, projection: { _id: 0 } }),
          await scan().findOneAndUpdate(f, change, { sort: s, projection: { _id: 0 } }),
        ];
        same(x, y);
      } else if (q % 10 === 0) {
        const [x, y] = [await idx().deleteMany(f), await scan().deleteMany(f)];
        expect(x.deletedCount).toBe(y.deletedCount);
        const fresh = Array.from({ length: 10 }, (_, i) => makeDoc(1000 + q * 10 + i));
        await idx().insertMany(fresh.map((d) => ({ ...d })));
        await scan().insertMany(fresh.map((d) => ({ ...d })));
      }
    }
    same(
      await idx()
        .find({}, { projection: { _id: 0 } })
        .toArray(),
      await scan()
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    );
    // And index-served queries still agree after all those writes.
    for (const f of [{ a: 1 }, { b: { $gt: 0 } }, { c: null }, { 'e.f': 'a' }]) {
      same(
        await idx()
          .find(f)
          .sort({ i: 1 })
          .toArray()
          .then((r) => r.map((d) => d.i)),
        await scan()
          .find(f)
          .sort({ i: 1 })
          .toArray()
          .then((r) => r.map((d) => d.i)),
      );
    }
  }, 120_000);
});
