/**
 * The planner's exclusions (planner.ts `exclusions`): a `$nin` / `$ne` on the first key of an index drops the
 * documents holding those keys before they are read, so "bought 保養 but never 彩妝" decodes only the members without
 * a 彩妝 key, and the answer stays the filter's.
 */
import { compileFilter } from '../../../local/mongo-standin/engine';
import { planAndFetch } from '../../../local/mongo-standin/planner';
import { Collection } from '../../../local/mongo-standin/store';

function members(): Collection {
  const c = new Collection('t', 'members');
  c.createIndex({ v: 2, key: { 'buys.cats.c': 1, 'buys.cats.last': -1 }, name: 'cats' } as never);
  const at = (d: number) => new Date(Date.UTC(2025, 5, d));
  for (let i = 0; i < 60; i++) {
    const cats = [];
    if (i % 2 === 0) cats.push({ c: '保養', last: at(1 + (i % 20)) });
    if (i % 3 === 0) cats.push({ c: '彩妝', last: at(5) });
    if (i % 5 === 0) cats.push({ c: '香氛', last: at(2) }, { c: '彩妝', last: at(3) });
    c.insert({ _id: i, buys: { cats, aov: i * 100 } });
  }
  c.insert({ _id: 'no-buys' });
  return c;
}

const filter = {
  'buys.cats.c': { $in: ['保養'] },
  $and: [{ 'buys.cats.c': { $nin: ['彩妝'] } }, { 'buys.aov': { $gte: 1000 } }],
};

describe('#17 planner exclusions by index keys', () => {
  it('reads only the candidates without an excluded key, and the count is the filter’s', () => {
    const c = members();
    const planned = planAndFetch(c, filter);
    expect(planned.plan.kind).toBe('IXSCAN');
    const expected = c.all().filter(compileFilter(filter));
    // Bought 保養 (even i) without 彩妝 (not a multiple of 3, nor of 5): i ≡ 2, 4, 8, 14, 16, 22, 26, 28 … (mod 30).
    const fetchedIds = planned.docs.map((d) => d._id);
    expect(fetchedIds).toEqual(
      Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 2 === 0 && i % 3 !== 0 && i % 5 !== 0),
    );
    expect(planned.docs.filter(compileFilter(filter))).toEqual(expected);
    expect(expected.map((d) => d._id)).toEqual(fetchedIds.filter((i) => (i as number) >= 10));
  });

  it('excludes by $ne too, and leaves null, regex and unindexed conditions to the filter', () => {
    const c = members();
    const ne = {
      'buys.cats.c': '保養',
      'buys.cats.last': { $gte: new Date(0) },
      $and: [{ 'buys.cats.c': { $ne: '彩妝' } }],
    };
    expect(planAndFetch(c, ne).docs.map((d) => d._id)).toEqual(
      c
        .all()
        .filter(compileFilter(ne))
        .map((d) => d._id),
    );
    for (const f of [
      { 'buys.cats.c': { $in: ['保養'], $nin: [null] } },
      { 'buys.cats.c': { $in: ['保養'], $nin: [/彩/] } },
      { 'buys.cats.c': { $in: ['保養'] }, 'buys.aov': { $ne: 1200 } },
    ]) {
      const planned = planAndFetch(c, f);
      // Nothing is excluded: all 30 保養 buyers are read, and the filter decides.
      expect(planned.docs).toHaveLength(30);
      expect(planned.docs.filter(compileFilter(f))).toEqual(c.all().filter(compileFilter(f)));
    }
  });
});
