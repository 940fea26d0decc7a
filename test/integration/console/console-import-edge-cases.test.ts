import { parse } from 'csv-parse/sync';
import { ImportJob } from '../../../models/import-job.model';
import { Member } from '../../../models/member.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** The import's edges as the console meets them: empty uploads, giant cells, and the error report it downloads. */
let env: TestEnv;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());
beforeEach(async () => {
  await Member.deleteMany({});
  await ImportJob.deleteMany({});
});

const upload = (csv: string) =>
  marketer.agent
    .post('/api/console/imports')
    .query({ fileName: 'members.csv' })
    .set('X-CSRF-Token', marketer.csrf)
    .set('Content-Type', 'text/csv')
    .send(Buffer.from(csv, 'utf8'));

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

describe('CSV import edge cases', () => {
  it('an empty file is "empty", and a header-only file is refused; neither stores a job', async () => {
    const empty = await marketer.agent
      .post('/api/console/imports')
      .query({ fileName: 'empty.csv' })
      .set('X-CSRF-Token', marketer.csrf)
      .set('Content-Type', 'text/csv')
      .send(Buffer.alloc(0))
      .expect(400);
    expect(empty.body.error).toEqual({ code: 'import_empty', message: '檔案是空的。' });
    const headerOnly = await upload('\uFEFF姓名,手機\r\n').expect(400);
    expect(headerOnly.body.error.code).toBe('import_no_rows');
    expect(await ImportJob.countDocuments()).toBe(0);
  });

  it('does not copy a giant cell into the job sample, and still imports the row', async () => {
    const note = '備'.repeat(50_000);
    const up = await upload(`手機,姓名,備註\n0912345678,王小美,${note}\n`).expect(201);
    const cell = up.body.job.sampleRows[0][2] as string;
    expect(cell.length).toBeLessThanOrEqual(201);
    expect(note.startsWith(cell.replace(/…$/, ''))).toBe(true);
    await marketer.agent
      .put(`/api/console/imports/${up.body.job.id}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: { 手機: 'phone', 姓名: 'name' } })
      .expect(200);
    const job = await runToEnd(up.body.job.id);
    expect(job.counts.created).toBe(1);
    expect(await Member.countDocuments({ phone: '0912345678', name: '王小美' })).toBe(1);
  });

  it('the downloadable error report cannot run a rejected value as a spreadsheet formula', async () => {
    const csv = [
      '姓名,手機,Email',
      '王小美,0912345678,mei@example.com',
      '壞人,"=HYPERLINK(""http://evil.example"",""點我"")",x@example.com',
      '@SUM(1+1),0922222222,-2+3',
    ].join('\n');
    const up = await upload(csv).expect(201);
    const validated = await marketer.agent
      .put(`/api/console/imports/${up.body.job.id}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: { 姓名: 'name', 手機: 'phone', Email: 'email' } })
      .expect(200);
    // The bad phone refuses its row; the bad email (an optional field) is dropped with a warning (#17.6).
    expect(validated.body.job.errorCount).toBe(1);
    expect(validated.body.job.warningCount).toBe(1);
    const report = await marketer.agent.get(`/api/console/imports/${up.body.job.id}/errors.csv`).expect(200);
    const rows = parse(report.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    const values = rows.map((r) => r['內容']);
    expect(values).toEqual(expect.arrayContaining([`'=HYPERLINK("http://evil.example","點我")`, "'-2+3"]));
    for (const row of rows) for (const v of Object.values(row)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('a column named "constructor" does not break validation', async () => {
    const up = await upload('constructor,手機\nx,0912345678\n').expect(201);
    const res = await marketer.agent
      .put(`/api/console/imports/${up.body.job.id}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: { 手機: 'phone' } })
      .expect(200);
    expect(res.body.job.errorCount).toBe(0);
    expect(res.body.job.planned).toEqual({ create: 1, update: 0, unchanged: 0 });
  });
});
