/**
 * #17.6 an import that keeps good data: a malformed optional field is dropped with a warning (the member is still
 * imported), a future birthday is reported as such, the report lists both, and the export keeps a phone's leading 0.
 */
import { parse } from 'csv-parse/sync';
import { ImportJob } from '../../../models/import-job.model';
import { Member } from '../../../models/member.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
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

const csrf = () => marketer.csrf;

async function importFile(csv: string) {
  const up = await marketer.agent
    .post('/api/console/imports')
    .query({ fileName: 'nine.csv' })
    .set('X-CSRF-Token', csrf())
    .set('Content-Type', 'text/csv')
    .send(Buffer.from(csv, 'utf8'))
    .expect(201);
  const id = up.body.job.id as string;
  const validated = await marketer.agent
    .put(`/api/console/imports/${id}/mapping`)
    .set('X-CSRF-Token', csrf())
    .send({ mapping: up.body.job.mapping, onError: 'skip' })
    .expect(200);
  return { id, validated: validated.body };
}

async function runToEnd(id: string) {
  await marketer.agent.post(`/api/console/imports/${id}/run`).set('X-CSRF-Token', csrf()).send({}).expect(202);
  for (let i = 0; i < 400; i++) {
    const { body } = await marketer.agent.get(`/api/console/imports/${id}`).expect(200);
    if (body.job.status === 'done' || body.job.status === 'failed') return body.job;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('import did not finish');
}

const NINE = [
  '姓名,手機,Email,生日',
  ...Array.from({ length: 9 }, (_, i) => {
    const email = i === 3 ? 'mei@@example' : `m${i}@example.com`;
    const birthday = i === 6 ? '2999/01/01' : '1990/05/20';
    return `會員${i},091200000${i},${email},${birthday}`;
  }),
].join('\n');

describe('import keeps the member when an optional field is bad', () => {
  it('a 9-row file with one malformed email and one future birthday imports 9 members, each problem warned', async () => {
    const { id, validated } = await importFile(NINE);
    expect(validated.job.errorCount).toBe(0);
    expect(validated.job.warningCount).toBe(2);
    expect(
      validated.job.warnings.map((w: { line: number; field: string; reason: string }) => [w.line, w.field]),
    ).toEqual([
      [5, 'Email'],
      [8, '生日'],
    ]);
    expect(validated.job.warnings[1].reason).toContain('生日晚於今天');
    expect(validated.job.planned).toEqual({ create: 9, update: 0, unchanged: 0 });
    // The preview shows the row as it will be stored (no email) with its warning.
    const row5 = validated.preview.find((p: { line: number }) => p.line === 5);
    expect(row5.values).toEqual({ 姓名: '會員3', 手機: '0912000003', 生日: '1990-05-20' });
    expect(row5.warnings).toEqual(['Email：Email 格式不正確，此欄位不匯入']);
    expect(await Member.countDocuments()).toBe(0); // validation writes nothing

    const done = await runToEnd(id);
    expect(done.counts).toMatchObject({ created: 9, invalid: 0 });
    expect(await Member.countDocuments()).toBe(9);
    const mei = await Member.findOne({ phone: '0912000003' }).lean();
    expect(mei).toMatchObject({ name: '會員3', birthday: '1990-05-20' });
    expect(mei!.email).toBeUndefined();
    const future = await Member.findOne({ phone: '0912000006' }).lean();
    expect(future!.birthday).toBeUndefined();
    expect(future!.email).toBe('m6@example.com');

    // The downloadable report lists the warnings with what was done.
    const report = await marketer.agent.get(`/api/console/imports/${id}/errors.csv`).expect(200);
    const rows = parse(report.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r['行'], r['欄位'], r['處理']])).toEqual([
      ['5', 'Email', '已匯入，此欄位未匯入'],
      ['8', '生日', '已匯入，此欄位未匯入'],
    ]);
  });

  it('export writes the phone so Excel keeps the leading 0, and the file re-imports unchanged', async () => {
    await runToEnd((await importFile(NINE)).id);
    const res = await marketer.agent
      .get('/api/console/members/export.csv')
      .query({ fields: 'memberCode,phone' })
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (data += c));
        r.on('end', () => cb(null, data));
      })
      .expect(200);
    const text = res.body as string;
    expect(text).toContain('"=""0912000003"""');
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[1])).toContain('="0912000000"');
    const before = JSON.stringify(await Member.find().sort({ _id: 1 }).lean());
    const again = await importFile(text);
    expect(again.validated.job.planned).toEqual({ create: 0, update: 0, unchanged: 9 });
    expect(JSON.stringify(await Member.find().sort({ _id: 1 }).lean())).toBe(before);
  });

  it('a mapping without an identifier is refused in zh-TW and nothing is stored', async () => {
    const up = await marketer.agent
      .post('/api/console/imports')
      .query({ fileName: 'x.csv' })
      .set('X-CSRF-Token', csrf())
      .set('Content-Type', 'text/csv')
      .send(Buffer.from('Email\nbad@@x\n', 'utf8'))
      .expect(201);
    const res = await marketer.agent
      .put(`/api/console/imports/${up.body.job.id}/mapping`)
      .set('X-CSRF-Token', csrf())
      .send({ mapping: { Email: 'email' }, onError: 'skip' })
      .expect(400);
    expect(res.body.error.message).toContain('識別欄位');
    expect(await Member.countDocuments()).toBe(0);
  });
});
