/**
 * find's sort and projection (engine.ts `runFind`): scalar sort keys and top-level inclusion projections are done
 * by the stand-in's own code, everything else by mingo. Both must give the same documents, in the same order, with
 * the same fields in the same order: checked here against mingo's own pipeline ($match, $sort, $skip, $limit,
 * $project) over documents mixing every scalar type, missing fields, nulls, ties, dotted paths, and (for the
 * fallback) arrays and sub-documents as sort keys.
 */
import { ObjectId } from 'bson';
import { runAggregate, runFind } from '../../../local/mongo-standin/engine';
import type { Doc } from '../../../local/mongo-standin/values';

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SCALARS: unknown[] = [
  null,
  undefined,
  0,
  -1,
  2.5,
  7,
  '',
  'a',
  'B',
  '點數',
  'ab',
  true,
  false,
  new Date(Date.UTC(2025, 0, 1)),
  new Date(Date.UTC(2024, 5, 1)),
  new ObjectId('65a000000000000000000001'),
  new ObjectId('65a000000000000000000002'),
];

function docs(random: () => number, n: number, withArrays: boolean): Doc[] {
  const pick = () => SCALARS[Math.floor(random() * SCALARS.length)];
  const out: Doc[] = [];
  for (let i = 0; i < n; i++) {
    const d: Doc = { _id: i };
    // Few distinct values per field, so ties are common and their order is tested.
    if (random() < 0.85) d.a = random() < 0.5 ? Math.floor(random() * 3) : pick();
    if (random() < 0.85) d.b = pick();
    if (random() < 0.7) d.s = { t: random() < 0.5 ? Math.floor(random() * 2) : pick(), u: pick() };
    if (withArrays && random() < 0.2) d.b = [pick(), pick()];
    if (withArrays && random() < 0.1) d.a = { x: pick() };
    d.c = `c${i % 4}`;
    out.push(d);
  }
  return out;
}

const clean = (d: Doc) => JSON.parse(JSON.stringify(d, (_k, v) => (v === undefined ? '<undefined>' : v)));

/** Documents as values and field order, so a reordered field or document shows. */
const shape = (list: Doc[]) => list.map((d) => [Object.keys(d), clean(d)]);

const SORTS: Doc[] = [
  { a: 1 },
  { a: -1 },
  { b: 1, a: -1 },
  { 's.t': 1, _id: -1 },
  { 's.t': -1, b: 1 },
  { c: 1, 's.u': -1, a: 1 },
  { _id: -1 },
];
const PROJECTIONS: Array<Doc | undefined> = [
  undefined,
  { a: 1, c: 1 },
  { c: 1, a: 1, _id: 0 },
  { b: true },
  { s: 1 },
  { 's.t': 1 },
  { a: 0 },
  { a: 1, missing: 1 },
];
const FILTERS: Doc[] = [{}, { c: { $ne: 'c1' } }, { a: { $gte: 1 } }];

describe('stand-in find: sort and projection', () => {
  for (const withArrays of [false, true]) {
    it(`gives what mingo gives, ${withArrays ? 'with arrays and documents as sort keys (mingo sorts)' : 'scalar keys'}`, () => {
      let compared = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const input = docs(rng(seed), 60, withArrays);
        for (const sort of SORTS)
          for (const projection of PROJECTIONS)
            for (const filter of FILTERS)
              for (const [skip, limit] of [
                [0, 0],
                [3, 10],
                [0, 5],
              ]) {
                const pipeline: Doc[] = [{ $match: filter }, { $sort: sort }];
                if (skip) pipeline.push({ $skip: skip });
                if (limit) pipeline.push({ $limit: limit });
                if (projection) pipeline.push({ $project: projection });
                const expected = runAggregate(
                  input.map((d) => ({ ...d })),
                  pipeline,
                  {},
                );
                const got = runFind(
                  input.map((d) => ({ ...d })),
                  { filter, sort, projection, skip, limit },
                );
                const where = JSON.stringify({ seed, sort, projection, filter, skip, limit });
                expect([where, shape(got)]).toEqual([where, shape(expected)]);
                compared++;
              }
      }
      expect(compared).toBe(4 * SORTS.length * PROJECTIONS.length * FILTERS.length * 3);
    });
  }

  it('projects without a sort as mingo does (document order, _id last, undefined is missing)', () => {
    const input: Doc[] = [
      { _id: 1, b: 2, a: 1, c: undefined },
      { c: 3, _id: 2 },
    ];
    expect(shape(runFind(input, { projection: { a: 1, c: 1 } }))).toEqual([
      [['a', '_id'], { a: 1, _id: 1 }],
      [['c', '_id'], { c: 3, _id: 2 }],
    ]);
  });
});
