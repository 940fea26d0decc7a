import { parse } from 'csv-parse/sync';
import { ImportJob } from '../../../models/import-job.model';
import { Member } from '../../../models/member.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let marketer: ConsoleLogin;
const now = new Date('2025-06-01T02:00:00Z');

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());
beforeEach(async () => {
  await Member.deleteMany({});
  await ImportJob.deleteMany({});
});

const HEADER = '會員編號,姓名,手機,Email,性別,生日,居住城市,標籤,同意行銷訊息';

function upload(csv: string | Buffer, fileName = 'members.csv') {
  return marketer.agent
    .post('/api/console/imports')
    .query({ fileName })
    .set('X-CSRF-Token', marketer.csrf)
    .set('Content-Type', 'text/csv')
    .send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'));
}

function mapAndValidate(jobId: string, mapping: Record<string, string>, onError: 'skip' | 'abort' = 'skip') {
  return marketer.agent
    .put(`/api/console/imports/${jobId}/mapping`)
    .set('X-CSRF-Token', marketer.csrf)
    .send({ mapping, onError });
}

/** Starts the write and polls the job until it finishes, as the console's progress bar does. */
async function runToEnd(jobId: string) {
  await marketer.agent
    .post(`/api/console/imports/${jobId}/run`)
    .set('X-CSRF-Token', marketer.csrf)
    .send({})
    .expect(202);
  for (let i = 0; i < 400; i++) {
    const { body } = await marketer.agent.get(`/api/console/imports/${jobId}`).expect(200);
    if (body.job.status === 'done' || body.job.status === 'failed') return body.job;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('import did not finish');
}

describe('CSV import', () => {
  it('reports bad rows by line, field and reason, writes the good rows, and a re-import changes nothing', async () => {
    const existing = await buildMember({
      memberCode: '1234567897',
      phone: '0911111111',
      name: '舊名字',
      tags: [{ tag: '老客', source: 'staff', addedAt: now }],
    });
    const csv = [
      HEADER,
      ',王小美,0912-345-678,MEI@example.com,女,1990/3/12,臺北市,咖啡;甜點,是', // 2: new member
      '1234567897,林大明,0911111111,,男,79/7/1,新北市,老客、早鳥,否', // 3: updates the existing member
      ',錯手機,12345,,,,,,', // 4: bad phone
      ',壞生日,0922222222,,,1990-02-30,,,', // 5: bad birthday
      ',重複,0912345678,,,,,,', // 6: same phone as line 2
      ',沒有識別,,,,,,,', // 7: no identifier
      ',性別錯,0933333333,,火星人,,,,', // 8: bad gender
      ',"陳, 阿寶",0944444444,,,,,"多行\n標籤",', // 9-10: quoted comma and a line break inside a cell
    ].join('\n');
    const up = await upload(csv).expect(201);
    const job = up.body.job;
    expect(job).toMatchObject({ status: 'uploaded', rowCount: 8, encoding: 'utf-8' });
    expect(job.mapping).toEqual({
      會員編號: 'memberCode',
      姓名: 'name',
      手機: 'phone',
      Email: 'email',
      性別: 'gender',
      生日: 'birthday',
      居住城市: 'city',
      標籤: 'tags',
      同意行銷訊息: 'marketingConsent',
    });

    const validated = await mapAndValidate(job.id, job.mapping).expect(200);
    const report = validated.body.job.errors.map((e: { line: number; field: string; reason: string }) => [
      e.line,
      e.field,
      e.reason,
    ]);
    expect(report).toEqual([
      [4, '手機', expect.stringContaining('09 開頭')],
      [6, '手機', '與第 2 行重複'],
      [7, '識別欄位', expect.stringContaining('缺少會員編號、手機或 LINE userId')],
    ]);
    // Bad optional fields (birthday, gender) drop the field with a warning; the member is kept (#17.6).
    const warned = validated.body.job.warnings.map((e: { line: number; field: string; reason: string }) => [
      e.line,
      e.field,
      e.reason,
    ]);
    expect(warned).toEqual([
      [5, '生日', expect.stringContaining('不是有效的日期')],
      [8, '性別', expect.stringContaining('男、女')],
    ]);
    expect(validated.body.job.planned).toEqual({ create: 4, update: 1, unchanged: 0 });
    expect(validated.body.job.counts).toMatchObject({ valid: 5, invalid: 3 });
    expect(await Member.countDocuments()).toBe(1); // validation writes nothing

    const done = await runToEnd(job.id);
    expect(done).toMatchObject({
      status: 'done',
      counts: { created: 4, updated: 1, unchanged: 0 },
      progress: { processed: 5, total: 5 },
    });

    const mei = await Member.findOne({ phone: '0912345678' }).lean();
    expect(mei).toMatchObject({
      name: '王小美',
      email: 'mei@example.com',
      gender: 'female',
      birthday: '1990-03-12',
      birthMonth: 3,
      // One spelling per city (models/member-city.ts): the file's 臺北市 is stored as 台北市.
      city: '台北市',
      status: 'imported',
      consent: { marketing: true, status: 'accepted' },
    });
    expect(mei!.tags.map((t) => [t.tag, t.source])).toEqual([
      ['咖啡', 'import'],
      ['甜點', 'import'],
    ]);
    expect(mei!.memberCode).toMatch(/^\d{10}$/);
    const updated = await Member.findById(existing._id).lean();
    expect(updated).toMatchObject({ name: '林大明', gender: 'male', birthday: '1990-07-01', city: '新北市' });
    expect(updated!.tags.map((t) => `${t.tag}/${t.source}`)).toEqual(['老客/staff', '早鳥/import']);
    const abao = await Member.findOne({ phone: '0944444444' }).lean();
    expect(abao!.name).toBe('陳, 阿寶');
    // The rows with a bad birthday / gender are kept without that field.
    const kept = await Member.find({ phone: { $in: ['0922222222', '0933333333'] } })
      .sort({ phone: 1 })
      .lean();
    expect(kept.map((m) => [m.name, m.birthday ?? null, m.gender ?? null])).toEqual([
      ['壞生日', null, null],
      ['性別錯', null, null],
    ]);
    const stored = await ImportJob.findById(job.id).select('+csvText').lean();
    expect(stored!.csvText).toBeUndefined(); // the uploaded file (personal data) is not kept after the write

    const snapshot = JSON.stringify(await Member.find().sort({ _id: 1 }).lean());
    const again = await upload(csv, 'members-again.csv').expect(201);
    const revalidated = await mapAndValidate(again.body.job.id, again.body.job.mapping).expect(200);
    expect(revalidated.body.job.planned).toEqual({ create: 0, update: 0, unchanged: 5 });
    const rerun = await runToEnd(again.body.job.id);
    expect(rerun.counts).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    expect(JSON.stringify(await Member.find().sort({ _id: 1 }).lean())).toBe(snapshot);
  });

  it('all-or-nothing mode refuses to write anything when a row is bad', async () => {
    const up = await upload([HEADER, ',好人,0955555555,,,,,,', ',壞人,0000,,,,,,'].join('\n')).expect(201);
    await mapAndValidate(up.body.job.id, up.body.job.mapping, 'abort').expect(200);
    const refused = await marketer.agent
      .post(`/api/console/imports/${up.body.job.id}/run`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({})
      .expect(409);
    expect(refused.body.error.code).toBe('import_has_errors');
    expect(await Member.countDocuments()).toBe(0);
  });

  it('refuses a mapping without an identifier column, and unreadable files, storing nothing', async () => {
    const up = await upload('姓名,備註\n王小美,hi\n').expect(201);
    expect(up.body.job.mapping).toEqual({ 姓名: 'name' });
    const bad = await mapAndValidate(up.body.job.id, { 姓名: 'name' }).expect(400);
    expect(bad.body.error.code).toBe('import_mapping_invalid');
    const twice = await mapAndValidate(up.body.job.id, { 姓名: 'phone', 備註: 'phone' }).expect(400);
    expect(twice.body.error.message).toContain('只能對應一次');

    const jobsBefore = await ImportJob.countDocuments();
    const broken = await upload('手機,姓名\n"0912345678,王\n').expect(400);
    expect(broken.body.error.code).toBe('import_unreadable');
    await upload('').expect(400);
    expect(await ImportJob.countDocuments()).toBe(jobsBefore);
  });

  it('reads Big5 files saved by Excel on zh-TW Windows', async () => {
    const big5 = Buffer.from(
      new Uint8Array([
        ...Buffer.from('phone,'),
        0xa9,
        0x6d,
        0xa6,
        0x57,
        0x0a, // 姓名
        ...Buffer.from('0966666666,'),
        0xa4,
        0xfd,
        0xa4,
        0x70,
        0xac,
        0xfc,
        0x0a, // 王小美
      ]),
    );
    const up = await upload(big5, 'excel.csv').expect(201);
    expect(up.body.job.encoding).toBe('big5');
    expect(up.body.job.headers).toEqual(['phone', '姓名']);
    expect(up.body.job.sampleRows[0]).toEqual(['0966666666', '王小美']);
  });

  it('resumes a run that was interrupted (server died mid-file) without writing any row twice', async () => {
    const rows = Array.from(
      { length: 250 },
      (_, i) => `,會員${i},09${String(30_000_000 + i).padStart(8, '0')},,,,,咖啡,`,
    );
    // The first chunk was written before the "crash": import those 100 rows on their own.
    const head = await upload([HEADER, ...rows.slice(0, 100)].join('\n')).expect(201);
    await mapAndValidate(head.body.job.id, head.body.job.mapping).expect(200);
    await runToEnd(head.body.job.id);
    const full = await upload([HEADER, ...rows].join('\n')).expect(201);
    await mapAndValidate(full.body.job.id, full.body.job.mapping).expect(200);
    // ...and the full job was left running at row 100 by an instance that is gone (its lease ran out).
    await ImportJob.updateOne(
      { _id: full.body.job.id },
      {
        $set: {
          status: 'running',
          leaseToken: 'dead',
          leaseUntil: new Date(now.getTime() - 1000),
          'progress.processed': 100,
          'counts.created': 100,
        },
      },
    );
    await ImportJob.updateOne({ _id: full.body.job.id }, { $set: { leaseUntil: new Date(now.getTime() + 60_000) } });
    await marketer.agent
      .post(`/api/console/imports/${full.body.job.id}/run`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({})
      .expect(409); // still claimed
    await ImportJob.updateOne({ _id: full.body.job.id }, { $set: { leaseUntil: new Date(now.getTime() - 1000) } });

    const done = await runToEnd(full.body.job.id);
    expect(done).toMatchObject({
      status: 'done',
      counts: { created: 250, updated: 0 },
      progress: { processed: 250, total: 250 },
    });
    expect(await Member.countDocuments()).toBe(250);
    expect(await Member.countDocuments({ 'tags.1': { $exists: true } })).toBe(0);
  });

  it('needs the import permission; staff get 403', async () => {
    const staff = await loginAs(env, 'staff');
    await staff.agent
      .post('/api/console/imports')
      .set('X-CSRF-Token', staff.csrf)
      .set('Content-Type', 'text/csv')
      .send(Buffer.from('a\n1'))
      .expect(403);
  });
});

describe('CSV export', () => {
  it('exports a filtered list as UTF-8 with BOM that re-imports with no changes (round trip)', async () => {
    await buildMember({
      memberCode: '2000000001',
      name: '王小美',
      phone: '0912345678',
      gender: 'female',
      birthday: '1990-03-12',
      city: '臺北市',
      tags: [
        { tag: '咖啡', source: 'persona', addedAt: now },
        { tag: '=HYPERLINK()', source: 'staff', addedAt: now },
      ],
    });
    await buildMember({
      memberCode: '2000000002',
      name: '@Lin',
      phone: '0922333444',
      email: 'lin@example.com',
      consent: { status: 'declined', marketing: false },
    });
    await buildMember({ memberCode: '2000000003', name: '不在篩選', status: 'blocked' });

    const res = await marketer.agent
      .get('/api/console/members/export.csv')
      .query({
        status: 'active',
        fields: 'memberCode,name,phone,email,gender,birthday,city,tags,marketingConsent,pointsBalance',
      })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="members-2025-06-01\.csv"/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8'), { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      '會員編號',
      '姓名',
      '手機',
      'Email',
      '性別',
      '生日',
      '居住城市',
      '標籤',
      '同意行銷訊息',
      '點數餘額',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['2000000001', '2000000002']);
    const mei = rows.find((r) => r[0] === '2000000001')!;
    expect(mei.slice(1, 9)).toEqual([
      '王小美',
      // Written so Excel keeps the leading 0 (read back by the importer).
      '="0912345678"',
      '',
      '女',
      '1990-03-12',
      '台北市',
      '咖啡、=HYPERLINK()',
      '是',
    ]);
    // A cell Excel would run as a formula is written as text (leading apostrophe), and read back without it.
    expect(rows.find((r) => r[0] === '2000000002')![1]).toBe("'@Lin");

    const before = JSON.stringify(await Member.find().sort({ _id: 1 }).lean());
    const up = await upload(bytes, 'export.csv').expect(201);
    expect(up.body.job.mapping['點數餘額']).toBeUndefined();
    const v = await mapAndValidate(up.body.job.id, up.body.job.mapping).expect(200);
    expect(v.body.job.errorCount).toBe(0);
    expect(v.body.job.planned).toEqual({ create: 0, update: 0, unchanged: 2 });
    await runToEnd(up.body.job.id);
    expect(JSON.stringify(await Member.find().sort({ _id: 1 }).lean())).toBe(before);
  });

  it('is audited and refuses unknown fields', async () => {
    await marketer.agent
      .get('/api/console/members/export.csv')
      .query({ fields: 'memberCode,passwordHash' })
      .expect(400);
    const admin = await loginAs(env, 'admin');
    const count = async () =>
      (
        await admin.agent
          .get('/api/console/audit')
          .query({ action: 'member.export', actorId: marketer.userId })
          .expect(200)
      ).body.entries.length;
    const before = await count();
    await marketer.agent.get('/api/console/members/export.csv').query({ tags: '咖啡' }).expect(200);
    expect(await count()).toBe(before + 1);
    const latest = (await admin.agent.get('/api/console/audit').query({ action: 'member.export' }).expect(200)).body
      .entries[0];
    expect(latest).toMatchObject({ actorId: marketer.userId, details: { filters: { tags: ['咖啡'] } } });
  });
});
