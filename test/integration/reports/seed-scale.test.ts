import mongoose from 'mongoose';
import { birthdayKeyOf } from '../../../models/member.model';
import { StatCounter, StatMarker } from '../../../models/stat-counter.model';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { parseSize, seedScale } from '../../../scripts/seed-scale';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());

async function countersAndMarkers(): Promise<string> {
  const prune = (v: unknown): unknown => {
    if (typeof v === 'number') return v === 0 ? undefined : v;
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    // Field order inside a counter is the order $inc first created each field, which says nothing: compare sorted.
    for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const p = prune(x);
      if (p !== undefined && !(typeof p === 'object' && p && !Object.keys(p).length)) out[k] = p;
    }
    return out;
  };
  const counters = await StatCounter.find().sort({ _id: 1 }).lean();
  const markers = await StatMarker.find().sort({ _id: 1 }).lean();
  return JSON.stringify([counters.map((d) => [d._id, prune(d.n)]), markers.map((d) => [d._id, d.v, d.c])]);
}

describe('#18.9 seed:scale', () => {
  it('seeds the issue proportions per member and the counters a rebuild computes from those records', async () => {
    const r = await seedScale(100);
    const db = mongoose.connection.db!;
    const per = async (c: string) => (await db.collection(c).countDocuments()) / 100;
    expect(await per('members')).toBe(1);
    expect(await per('purchases')).toBe(2);
    expect(await per('pointsentries')).toBeCloseTo(2.6, 0);
    expect(await per('interactions')).toBeCloseTo(7.5, 0);
    expect(await per('coupons')).toBeCloseTo(0.8, 0);
    expect(await per('webhookevents')).toBeCloseTo(2.9, 0);
    expect(await db.collection('campaigns').countDocuments({ status: 'completed' })).toBe(10);
    expect(r.sample.lineUserId).toMatch(/^U[0-9a-f]{32}$/);
    // Bulk inserts skip the model's hook: the seed writes the birthday key the birthday job reads by itself.
    const people = await db
      .collection('members')
      .find({}, { projection: { birthday: 1, birthdayKey: 1 } })
      .toArray();
    expect(people.filter((m) => m.birthday).length).toBe(100);
    for (const m of people) expect(m.birthdayKey).toBe(birthdayKeyOf(m.birthday));
    const seeded = await countersAndMarkers();
    await rebuildStatCounters();
    expect(await countersAndMarkers()).toBe(seeded);
  }, 180_000);

  it('reads sizes as the bench takes them and refuses anything else', () => {
    expect(['1k', '10k', '100k', '2500', '1.5k'].map(parseSize)).toEqual([1000, 10_000, 100_000, 2500, 1500]);
    for (const bad of ['', 'ten', '10m', '-1k']) expect(() => parseSize(bad)).toThrow(/not a size/);
  });
});
