import { Types } from 'mongoose';
import { decodeTimeCursor, encodeTimeCursor } from '../../../domain/shared/time-cursor';
import { AuditLog } from '../../../models/audit-log.model';
import { Interaction } from '../../../models/interaction.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let admin: ConsoleLogin;
// Near wall time: console sessions expire by a TTL index, swept on wall time.
const now = new Date();

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
});
afterAll(() => env.close());

/** Follows `nextCursor` to the end; returns every id in the order pages gave them, and the page count. */
async function readAll(path: string, key: 'items' | 'entries', query: Record<string, string | number>) {
  const ids: string[] = [];
  const ats: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q: Record<string, string | number> = cursor ? { ...query, cursor } : query;
    const res = await admin.agent.get(path).query(q).expect(200);
    pages++;
    for (const row of res.body[key] as Array<{ id: string; at: string }>) {
      ids.push(row.id);
      ats.push(row.at);
    }
    cursor = res.body.nextCursor;
    if (pages > 100) throw new Error('paging does not end');
  } while (cursor);
  return { ids, ats, pages };
}

/** Newest first by (at, _id), as the server promises. */
const expectedOrder = (rows: Array<{ _id: unknown; at: Date }>) =>
  [...rows]
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (String(b._id) < String(a._id) ? -1 : 1))
    .map((r) => String(r._id));

describe('#11.5 exact time paging', () => {
  it('timeline: 95 entries of which 70 share one timestamp, read 30 at a time — none skipped, none repeated', async () => {
    const member = await buildMember();
    const shared = new Date('2026-01-15T03:00:00Z');
    const docs = [
      ...Array.from({ length: 70 }, (_, i) => ({ at: shared, summary: `同時 ${i}` })),
      ...Array.from({ length: 25 }, (_, i) => ({
        at: new Date(shared.getTime() - (i + 1) * 1000),
        summary: `早 ${i}`,
      })),
    ].map((d) => ({ ...d, memberId: member._id, type: 'event', channel: 'console' }));
    // Shuffled insert order, so `_id` order is not the order of `at`.
    const inserted = await Interaction.insertMany(docs.sort(() => Math.random() - 0.5));
    const { ids, pages } = await readAll(`/api/console/members/${member._id}/timeline`, 'items', { limit: 30 });
    expect(pages).toBe(4);
    expect(new Set(ids).size).toBe(95);
    expect(ids).toEqual(expectedOrder(inserted));
  });

  it('timeline: the page size equal to the group sharing a timestamp, with a type filter', async () => {
    const member = await buildMember();
    const t = new Date('2026-01-20T03:00:00Z');
    const inserted = await Interaction.insertMany([
      ...Array.from({ length: 40 }, () => ({ memberId: member._id, type: 'push', channel: 'line', at: t })),
      ...Array.from({ length: 40 }, () => ({ memberId: member._id, type: 'tag', channel: 'console', at: t })),
    ]);
    const { ids } = await readAll(`/api/console/members/${member._id}/timeline`, 'items', {
      limit: 20,
      types: 'push',
    });
    expect(ids).toEqual(expectedOrder(inserted.filter((d) => d.type === 'push')));
  });

  it('audit log: 120 entries on two timestamps, read 50 at a time — exact; the last page says there is no next', async () => {
    await AuditLog.deleteMany({});
    const a = new Date('2026-01-10T01:00:00Z');
    const b = new Date('2026-01-10T01:00:01Z');
    const inserted = await AuditLog.insertMany(
      Array.from({ length: 120 }, (_, i) => ({
        at: i % 3 ? a : b,
        actorId: 'u1',
        action: 'member.tag.add',
        targetType: 'member',
        targetId: `m${i}`,
      })),
    );
    const { ids, pages } = await readAll('/api/console/audit', 'entries', { limit: 50, action: 'member.' });
    expect(pages).toBe(3);
    expect(ids).toEqual(expectedOrder(inserted));
  });

  it('a malformed cursor → 400 with a zh-TW message, on both lists', async () => {
    const member = await buildMember();
    const bad = [
      'not a cursor',
      'AAAA',
      Buffer.from('12345.nothex').toString('base64url'),
      Buffer.from(`${Date.now()}.${new Types.ObjectId()}x`).toString('base64url'),
      'A'.repeat(150),
    ];
    for (const cursor of bad) {
      for (const path of [`/api/console/members/${member._id}/timeline`, '/api/console/audit']) {
        const res = await admin.agent.get(path).query({ cursor }).expect(400);
        expect(res.body.error).toMatchObject({
          code: 'invalid_cursor',
          message: expect.stringContaining('分頁位置無效'),
        });
      }
    }
    const tooLong = await admin.agent.get('/api/console/audit').query({ cursor: 'A'.repeat(300) });
    expect(tooLong.status).toBe(400);
  });

  it('the cursor round-trips (at, _id) exactly', () => {
    const row = { at: new Date('2026-01-01T00:00:00.123Z'), _id: new Types.ObjectId() };
    const c = decodeTimeCursor(encodeTimeCursor(row));
    expect(c.at).toEqual(row.at);
    expect(String(c.id)).toBe(String(row._id));
  });
});
