/** The stand-in's TTL monitor pass (local/mongo-standin/ttl.ts): what expires, read through the TTL index, in batches. */
import { Store } from '../../../local/mongo-standin/store';
import { sweepExpired } from '../../../local/mongo-standin/ttl';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000);

function sessions(spec: Record<string, unknown> = {}) {
  const store = new Store();
  const coll = store.db('t').getOrCreate('sessions');
  coll.createIndex({ v: 2, key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60, ...spec });
  return { store, coll, ids: () => coll.all().map((d) => d._id) };
}

describe('sweepExpired', () => {
  it('removes documents whose date is at or past the cutoff, an array on its earliest date, and nothing else', () => {
    const { store, coll, ids } = sessions();
    coll.insert({ _id: 'old', at: ago(120) });
    coll.insert({ _id: 'edge', at: ago(60) });
    coll.insert({ _id: 'fresh', at: ago(30) });
    coll.insert({ _id: 'future', at: new Date(NOW + 3600_000) });
    coll.insert({ _id: 'array', at: [new Date(NOW + 3600_000), ago(600)] });
    coll.insert({ _id: 'text', at: '2020-01-01' });
    coll.insert({ _id: 'number', at: 0 });
    coll.insert({ _id: 'missing' });
    expect(sweepExpired(store, NOW)).toEqual({ removed: 3, more: false });
    expect(ids().sort()).toEqual(['fresh', 'future', 'missing', 'number', 'text']);
    // The index forgot them too: nothing is left to expire, and a second pass removes nothing.
    expect(sweepExpired(store, NOW)).toEqual({ removed: 0, more: false });
  });

  it('a partial TTL index expires only the documents it covers', () => {
    const { store, coll, ids } = sessions({ partialFilterExpression: { kind: 'guest' } });
    coll.insert({ _id: 'guest', kind: 'guest', at: ago(3600) });
    coll.insert({ _id: 'member', kind: 'member', at: ago(3600) });
    expect(sweepExpired(store, NOW).removed).toBe(1);
    expect(ids()).toEqual(['member']);
  });

  it('stops after maxDeletes and says more are due; later passes finish the backlog', () => {
    const { store, coll } = sessions();
    for (let i = 0; i < 25; i++) coll.insert({ _id: i, at: ago(3600 + i) });
    coll.insert({ _id: 'keep', at: ago(1) });
    expect(sweepExpired(store, NOW, 10)).toEqual({ removed: 10, more: true });
    expect(coll.docs.size).toBe(16);
    expect(sweepExpired(store, NOW, 10)).toEqual({ removed: 10, more: true });
    expect(sweepExpired(store, NOW, 10)).toEqual({ removed: 5, more: false });
    expect(coll.all().map((d) => d._id)).toEqual(['keep']);
  });

  it('costs what is due: documents that are not due are never read', () => {
    const { store, coll } = sessions();
    for (let i = 0; i < 50; i++) coll.insert({ _id: i, at: ago(i < 2 ? 3600 : 1) });
    const get = jest.spyOn(coll.docs, 'get');
    const values = jest.spyOn(coll.docs, 'values');
    expect(sweepExpired(store, NOW).removed).toBe(2);
    expect(values).not.toHaveBeenCalled();
    expect(get).toHaveBeenCalledTimes(2);
  });
});
