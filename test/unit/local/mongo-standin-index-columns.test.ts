/**
 * Index entries by column (index-data.ts): Dates and ObjectIds packed in typed arrays must order, seek and hand out
 * values exactly as the plain arrays do, through inserts that split chunks, deletes, bulk builds, and a column that
 * turns plain when a value of another type arrives.
 */
import { ObjectId } from 'bson';
import { Bound, OrderedIndex } from '../../../local/mongo-standin/index-data';

let seed = 1806;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const oids = Array.from({ length: 40 }, (_, i) => new ObjectId(((i * 7919) % 65536).toString(16).padStart(24, '0')));
const dates = Array.from({ length: 50 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + ((i * 37) % 50) * 3_600_000));

interface Doc {
  _id: number;
  t: unknown;
  o: unknown;
}

const key = (v: unknown): string =>
  v instanceof Date
    ? `d${String(v.getTime()).padStart(15, '0')}`
    : v instanceof ObjectId
      ? `o${v.toHexString()}`
      : `s${v}`;
// Expected order: dates descending (the index says -1), then ObjectIds by bytes ascending, then insertion order.
// Across types the engine's brackets apply: strings < ObjectIds < dates (rankOf).
const rankOf = (v: unknown): number => (typeof v === 'string' ? 0 : v instanceof ObjectId ? 1 : 2);
function expected(docs: Doc[]): string[] {
  return [...docs]
    .sort((a, b) => {
      const ra = rankOf(a.t);
      const rb = rankOf(b.t);
      if (ra !== rb) return rb - ra; // descending field: higher type bracket first
      if (key(a.t) !== key(b.t)) return key(a.t) < key(b.t) ? 1 : -1;
      if (key(a.o) !== key(b.o)) return key(a.o) < key(b.o) ? -1 : 1;
      return a._id - b._id;
    })
    .map((d) => `${d._id}:${key(d.t)}:${key(d.o)}`);
}
const walk = (ix: OrderedIndex, forward = true): string[] =>
  [...ix.range([Bound.MAX, Bound.MIN], [Bound.MIN, Bound.MAX], forward)].map(
    (e) => `${e.s}:${key(e.k[0])}:${key(e.k[1])}`,
  );

function randomDoc(i: number, strings: boolean): Doc {
  return {
    _id: i,
    t: strings && rnd() < 0.01 ? 'text' : dates[Math.floor(rnd() * dates.length)],
    o: oids[Math.floor(rnd() * oids.length)],
  };
}

describe.each([false, true])('packed index columns (a string among the dates: %s)', (strings) => {
  it('insert, delete and bulk build keep the same order and values as a sort of the documents', () => {
    const ix = new OrderedIndex(['t', 'o'], [-1, 1]);
    const live = new Map<number, Doc>();
    for (let i = 0; i < 4000; i++) {
      const d = randomDoc(i, strings);
      ix.add(d as never, i, String(i));
      live.set(i, d);
      if (rnd() < 0.3) {
        const victim = live.get(Math.floor(rnd() * i));
        if (victim) {
          ix.delete(victim as never, victim._id, String(victim._id));
          live.delete(victim._id);
        }
      }
    }
    const want = expected([...live.values()]);
    expect(ix.size).toBe(live.size);
    expect(walk(ix)).toEqual(want);
    expect(walk(ix, false)).toEqual([...want].reverse());

    // A seek on a packed value, and the unique check's equal-key search.
    const d = [...live.values()][17];
    const hits = [...ix.range([d.t, Bound.MIN], [d.t, Bound.MAX], true)];
    expect(hits.length).toBe([...live.values()].filter((x) => key(x.t) === key(d.t)).length);
    expect(hits.every((e) => key(e.k[0]) === key(d.t))).toBe(true);
    // Packed values are handed out as fresh objects (nobody can alias or mutate what the index holds).
    if (!strings) expect(hits.some((e) => e.k[0] === d.t || e.k[1] === d.o)).toBe(false);
    expect(ix.findOther([d.t, d.o], String(d._id))).toBe(
      [...live.values()].find((x) => x !== d && key(x.t) === key(d.t) && key(x.o) === key(d.o))?._id.toString(),
    );
    expect(ix.countBetween([d.t, Bound.MIN], [d.t, Bound.MAX])).toBe(hits.length);

    const built = new OrderedIndex(['t', 'o'], [-1, 1]);
    for (const x of live.values()) built.stage(x as never, x._id, String(x._id));
    built.build();
    expect(walk(built)).toEqual(want);
  });
});

/**
 * The bulk build sorts single-type columns without cmpValue (strings, numbers, booleans, Dates by time, ObjectIds by
 * their two 48-bit halves) and skips the sort when the entries were staged already in order: the result must be
 * exactly the order of inserting the same documents one by one, for each type, both directions, ties by sequence.
 */
describe('bulk build of one-field indexes', () => {
  const bigOids = Array.from({ length: 30 }, (_, i) =>
    ObjectId.createFromTime(1_700_000_000 + ((i * 13) % 30) * 86_400),
  );
  const kinds: Record<string, (i: number) => unknown> = {
    strings: (i) => `m${(i * 31) % 97}`,
    numbers: (i) => ((i * 53) % 101) - 50 + (i % 3 === 0 ? 0.5 : 0),
    booleans: (i) => i % 3 === 0,
    dates: (i) => dates[(i * 7) % dates.length],
    objectIds: (i) => bigOids[(i * 11) % bigOids.length],
    mixed: (i) => (i % 5 === 0 ? `s${i % 7}` : i % 5 === 1 ? null : i % 5 === 2 ? i % 13 : dates[i % dates.length]),
  };
  // Bounds in index order: a descending index runs from the greatest value to the least.
  const walkOne = (ix: OrderedIndex, dir: number): string[] =>
    [...ix.range(dir === 1 ? [Bound.MIN] : [Bound.MAX], dir === 1 ? [Bound.MAX] : [Bound.MIN], true)].map(
      (e) => `${e.s}:${key(e.k[0])}`,
    );
  it.each(Object.keys(kinds).flatMap((k) => [1, -1].flatMap((dir) => [false, true].map((pre) => [k, dir, pre]))))(
    '%s, direction %d, staged in order: %s',
    (kind, dir, presorted) => {
      const docs = Array.from({ length: 3000 }, (_, i) => ({ _id: i, v: kinds[kind as string](i) }));
      const oneByOne = new OrderedIndex(['v'], [dir as number]);
      for (const d of docs) oneByOne.add(d as never, d._id, String(d._id));
      const want = walkOne(oneByOne, dir as number);
      expect(want.length).toBe(docs.length);
      // Staged in index order (the sortedness check's path) or in document order (the sort's path).
      const staged = presorted ? want.map((w) => docs[Number(w.split(':')[0])]) : docs;
      const built = new OrderedIndex(['v'], [dir as number]);
      for (const d of staged) built.stage(d as never, d._id, String(d._id));
      built.build();
      expect(walkOne(built, dir as number)).toEqual(want);
      expect(built.size).toBe(docs.length);
    },
  );
});
