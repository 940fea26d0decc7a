import { Member } from '../../models/member.model';
import { normalizeCity } from '../../models/member-city';

/** The stored spelling of a typed city (臺北 → 台北市), the one the member model's hooks write. */
export { normalizeCity };

/**
 * Rewrites the city of members stored before one spelling per city existed (臺北 → 台北市, see
 * models/member-city.ts), so city conditions and suggestions see one city. Walks the members that have a city in
 * `_id` order, one bulk write per page; safe to run again (a member already spelled right is not touched) and while
 * the server runs (each write is conditional on the city it read).
 */
export async function backfillCitySpelling(opts: { pageSize?: number } = {}): Promise<{ updated: number }> {
  const pageSize = opts.pageSize ?? 1000;
  let updated = 0;
  let ops: Parameters<typeof Member.bulkWrite>[0] = [];
  const flush = async () => {
    if (!ops.length) return;
    const res = await Member.bulkWrite(ops, { ordered: false });
    updated += res.modifiedCount;
    ops = [];
  };
  const cursor = Member.find({ city: { $gt: '' } }, { city: 1 })
    .lean()
    .cursor({ batchSize: pageSize });
  for await (const m of cursor) {
    const city = typeof m.city === 'string' ? normalizeCity(m.city) : null;
    if (city === null || city === m.city) continue;
    ops.push({ updateOne: { filter: { _id: m._id, city: m.city }, update: { $set: { city } } } });
    if (ops.length >= pageSize) await flush();
  }
  await flush();
  return { updated };
}

/** The cities members live in (stored spelling, code point order), read from the `city` index: the suggestions. */
export async function listCities(): Promise<string[]> {
  const cities = (await Member.distinct('city', { city: { $gt: '' } })) as unknown[];
  return cities.filter((c): c is string => typeof c === 'string').sort();
}
