import mongoose from 'mongoose';
import { parse } from 'csv-parse/sync';
import { Member } from '../../../models/member.model';
import { exportMembersCsv } from '../../../domain/imports/member-export.service';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(() => Member.deleteMany({}));

async function seed(n: number): Promise<void> {
  await Member.insertMany(
    Array.from({ length: n }, (_, i) => ({
      memberCode: `E${String(i).padStart(7, '0')}`,
      name: `王${i}`,
      city: i % 2 ? '台北市' : '高雄市',
      status: 'active',
      ...(i === 3 ? { erasedAt: new Date() } : {}),
    })),
  );
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** How many `members.find` pages `fn` asks for. */
async function pages(fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  mongoose.set('debug', (coll: string, method: string) => {
    if (coll === 'members' && method === 'find') n += 1;
  });
  try {
    await fn();
  } finally {
    mongoose.set('debug', false);
  }
  return n;
}

describe('#18.8 export streams every member, no cap', () => {
  it('exports all 50 members with the page size lowered to 7: eight pages, _id order, none twice, erased left out', async () => {
    await seed(50);
    let body: Buffer = Buffer.alloc(0);
    const n = await pages(async () => {
      body = await read(
        exportMembersCsv({ filter: {}, fields: ['memberCode', 'name'], timeZone: 'Asia/Taipei', pageSize: 7 }),
      );
    });
    // 49 exported members = 7 full pages and an empty last one.
    expect(n).toBe(8);
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(body.subarray(3).toString('utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(49);
    expect(rows.map((r) => r['會員編號'])).toEqual(
      Array.from({ length: 50 }, (_, i) => `E${String(i).padStart(7, '0')}`).filter((c) => c !== 'E0000003'),
    );
    expect(rows[0]).toEqual({ 會員編號: 'E0000000', 姓名: '王0' });
    expect(body.toString('utf8')).toContain('\r\n');
  });

  it('keeps the filter on every page and reads a page only as the consumer drains the last (memory stays flat)', async () => {
    await seed(50);
    const filtered = await read(
      exportMembersCsv({
        filter: { city: '台北市' },
        fields: ['memberCode', 'city'],
        timeZone: 'Asia/Taipei',
        pageSize: 4,
      }),
    );
    const rows = parse(filtered.subarray(3).toString('utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(24); // 25 in 台北市, one of them erased
    expect(rows.every((r) => r['居住城市'] === '台北市')).toBe(true);
    // A consumer that reads only the first chunk. The streams between the pages and the consumer hold a bounded
    // amount whatever the timing (64 rows, the CSV writer's 16, 16 KiB of ~10-byte rows: about 1,700 rows, ~18
    // pages of 100), so with 5,050 members (51 pages) it reads far fewer pages than the whole export needs.
    await Member.insertMany(
      Array.from({ length: 5000 }, (_, i) => ({ memberCode: `F${String(i).padStart(7, '0')}`, status: 'active' })),
    );
    const n = await pages(async () => {
      const stream = exportMembersCsv({ filter: {}, fields: ['memberCode'], timeZone: 'Asia/Taipei', pageSize: 100 });
      for await (const chunk of stream) {
        void chunk;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    });
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(30);
  });

  it('the console download carries every row as UTF-8 CSV', async () => {
    await seed(12);
    const marketer = await loginAs(env, 'marketer');
    const res = await marketer.agent
      .get('/api/console/members/export.csv')
      .query({ fields: 'memberCode' })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parse((res.body as Buffer).subarray(3).toString('utf8'), { columns: true });
    expect(rows).toHaveLength(11);
  });
});
