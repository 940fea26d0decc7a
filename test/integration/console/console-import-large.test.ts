import { calculateObjectSize } from 'bson';
import mongoose from 'mongoose';
import { MAX_IMPORT_BYTES } from '../../../domain/imports/csv-reader';
import { IMPORT_CHUNK_CHARS, IMPORT_FILE_TTL_DAYS, splitText } from '../../../domain/imports/import-file.service';
import { ImportChunk } from '../../../models/import-chunk.model';
import { ImportJob } from '../../../models/import-job.model';
import { Member } from '../../../models/member.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let marketer: ConsoleLogin;
// Near wall time: console sessions expire by a TTL index, swept on wall time.
const now = new Date();
const MiB = 1024 * 1024;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env.close());
beforeEach(async () => {
  await Member.deleteMany({});
  await ImportJob.deleteMany({});
  await ImportChunk.deleteMany({});
});

function upload(data: Buffer) {
  return marketer.agent
    .post('/api/console/imports')
    .query({ fileName: 'big.csv' })
    .set('X-CSRF-Token', marketer.csrf)
    .set('Content-Type', 'text/csv')
    .send(data);
}

/** Big5 bytes of a text, from the WHATWG Big5 decoder's own table (Node has no Big5 encoder). */
function big5Encoder(): (text: string) => Buffer {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('big5');
  for (let lead = 0xa4; lead <= 0xf9; lead++)
    for (const trail of [...range(0x40, 0x7e), ...range(0xa1, 0xfe)]) {
      const ch = dec.decode(Uint8Array.from([lead, trail]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  return (text) =>
    Buffer.from(
      [...text].flatMap((ch) => {
        if (ch.charCodeAt(0) < 0x80) return [ch.charCodeAt(0)];
        const bytes = table.get(ch);
        if (!bytes) throw new Error(`no Big5 for ${ch}`);
        return bytes;
      }),
    );
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** The largest stored document (BSON bytes) of the import's collections. */
async function largestImportDocument(): Promise<number> {
  const db = mongoose.connection.db!;
  let max = 0;
  for (const name of ['importjobs', 'importchunks'])
    for await (const doc of db.collection(name).find({})) max = Math.max(max, calculateObjectSize(doc));
  return max;
}

async function runToEnd(jobId: string) {
  await marketer.agent.post(`/api/console/imports/${jobId}/run`).set('X-CSRF-Token', marketer.csrf).expect(202);
  for (let i = 0; i < 2000; i++) {
    const { body } = await marketer.agent.get(`/api/console/imports/${jobId}`).expect(200);
    if (body.job.status === 'done' || body.job.status === 'failed') return body.job;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('import did not finish');
}

describe('#11.4 CSV import never stored in one document', () => {
  it('a 12 MiB Big5 CSV (≈ 18 MB of text) uploads, previews, dry-runs and imports end to end; no document over 1 MiB', async () => {
    const encode = big5Encoder();
    const filler = '會員資料說明測試台北市大安區'.repeat(1050); // 14,700 characters → 29,400 Big5 bytes
    const rows = ['姓名,手機,說明'];
    for (let i = 0; i < 430; i++) rows.push(`王小明${i},09${String(10_000_000 + i).padStart(8, '0')},`);
    const fillerBytes = encode(filler);
    const data = Buffer.concat([
      encode(`${rows[0]}\n`),
      ...rows.slice(1).flatMap((r) => [encode(r), fillerBytes, Buffer.from('\n')]),
    ]);
    expect(data.length).toBeGreaterThanOrEqual(12 * MiB);
    const members = rows.length - 1;

    const up = await upload(data).expect(201);
    const job = up.body.job;
    expect(job).toMatchObject({
      status: 'uploaded',
      encoding: 'big5',
      rowCount: members,
      headers: ['姓名', '手機', '說明'],
    });
    expect(job.sampleRows[0][0]).toBe('王小明0');
    const text = new TextDecoder('big5').decode(data);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(17 * MiB); // more than MongoDB's 16 MiB in one document
    expect(await ImportChunk.countDocuments({ jobId: job.id })).toBe(Math.ceil(text.length / IMPORT_CHUNK_CHARS));
    expect(await largestImportDocument()).toBeLessThan(1 * MiB);
    const chunk = await ImportChunk.findOne({ jobId: job.id }).lean();
    expect(chunk!.expireAt).toEqual(new Date(now.getTime() + IMPORT_FILE_TTL_DAYS * 86_400_000));

    // Preview + dry run (validation writes no member), then the commit.
    const validated = await marketer.agent
      .put(`/api/console/imports/${job.id}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: { 姓名: 'name', 手機: 'phone', 說明: '' }, onError: 'abort' })
      .expect(200);
    expect(validated.body.job).toMatchObject({ status: 'validated', errorCount: 0, planned: { create: members } });
    expect(validated.body.preview[0]).toMatchObject({ line: 2, action: 'create' });
    expect(await Member.countDocuments({})).toBe(0);

    const done = await runToEnd(job.id);
    expect(done).toMatchObject({ status: 'done', counts: { created: members } });
    expect(await Member.countDocuments({})).toBe(members);
    expect(await Member.findOne({ phone: '0910000007' }).lean()).toMatchObject({ name: '王小明7' });
    // The file holds personal data: once imported, its pieces are gone.
    expect(await ImportChunk.countDocuments({})).toBe(0);
    expect(await largestImportDocument()).toBeLessThan(1 * MiB);
  }, 240_000);

  it(`over the limit (${MAX_IMPORT_BYTES / MiB} MiB) → 400 with a zh-TW size message, nothing stored`, async () => {
    const data = Buffer.alloc(MAX_IMPORT_BYTES + 1, 'a');
    data.write('姓名,手機\n', 'utf8');
    const res = await upload(data).expect(400);
    expect(res.body.error).toMatchObject({
      code: 'import_too_large',
      message: expect.stringContaining('檔案超過 20 MB'),
    });
    expect(await ImportJob.countDocuments({})).toBe(0);
    expect(await ImportChunk.countDocuments({})).toBe(0);
  }, 60_000);

  it('a failure while the pieces are written leaves neither pieces nor a job', async () => {
    // A real database refusal in the middle of the upload: a unique index on the piece text, and a file whose
    // second and third pieces are the same text (rows of 256 characters repeat with the piece size).
    const coll = mongoose.connection.db!.collection('importchunks');
    await coll.createIndex({ text: 1 }, { unique: true, name: 'test_unique_text' });
    try {
      const row = `,王小明,${'x'.repeat(256 - 6)}`;
      const csv = `姓名,手機,說明\n${`${row}\n`.repeat(Math.ceil((3.5 * IMPORT_CHUNK_CHARS) / 257))}`;
      const pieces = splitText(csv);
      expect(pieces[1]).not.toBe(pieces[0]);
      const res = await upload(Buffer.from(csv, 'utf8'));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await ImportJob.countDocuments({})).toBe(0);
      expect(await ImportChunk.countDocuments({})).toBe(0);
    } finally {
      await coll.dropIndex('test_unique_text');
    }
  });

  it('a job whose pieces expired (TTL) refuses validation with a zh-TW reason and writes nothing', async () => {
    const indexes = await ImportChunk.collection.indexes();
    expect(indexes.find((i) => i.key.expireAt === 1)).toMatchObject({ expireAfterSeconds: 0 });
    const up = await upload(Buffer.from('姓名,手機\n王小美,0912345678\n', 'utf8')).expect(201);
    await ImportChunk.deleteMany({ jobId: up.body.job.id }); // what the TTL monitor does after 7 days
    const res = await marketer.agent
      .put(`/api/console/imports/${up.body.job.id}/mapping`)
      .set('X-CSRF-Token', marketer.csrf)
      .send({ mapping: { 姓名: 'name', 手機: 'phone' }, onError: 'skip' })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'import_file_missing',
      message: expect.stringContaining('請重新上傳'),
    });
    expect(await Member.countDocuments({})).toBe(0);
    expect((await ImportJob.findById(up.body.job.id).lean())!.status).toBe('uploaded');
  });

  it('splitText never exceeds the piece size nor splits a surrogate pair, and joins back to the text', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}😀`;
    const pieces = splitText(text, 10);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.length <= 10 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });
});
