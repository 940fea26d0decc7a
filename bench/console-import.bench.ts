/**
 * CSV member import and export at size: a file of BENCH_IMPORT_ROWS rows (a quarter of them updating members that
 * already exist, 2% with errors) goes through upload → mapping/validation → write, then the same file again (every
 * row unchanged), then the whole member list is exported. Prints rows/s of each phase.
 * `npx tsx bench/console-import.bench.ts` (BENCH_IMPORT_ROWS to change the size).
 */
import { Member } from '../models/member.model';
import { exportMembersCsv, DEFAULT_EXPORT_FIELDS } from '../domain/imports/member-export.service';
import { createImportJob, runImport, validateImport } from '../domain/imports/member-import.service';
import { startTestEnv } from '../test/helpers/test-env';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 5000);
const CITIES = ['臺北市', '新北市', '桃園市', '臺中市', '臺南市', '高雄市'];

function buildCsv(): string {
  const lines = ['會員編號,姓名,手機,Email,性別,生日,居住城市,標籤,同意行銷訊息'];
  for (let i = 0; i < ROWS; i++) {
    const phone = i % 50 === 7 ? '12345' : `09${String(10_000_000 + i).padStart(8, '0')}`;
    const birthday = `${1960 + (i % 45)}/${1 + (i % 12)}/${1 + (i % 28)}`;
    lines.push(
      [
        i % 4 === 0 ? String(4_000_000_000 + i) : '',
        `會員${i}`,
        phone,
        `m${i}@example.com`,
        i % 2 ? '女' : '男',
        birthday,
        CITIES[i % 6],
        i % 3 ? '咖啡;甜點' : '茶',
        i % 5 ? '是' : '否',
      ].join(','),
    );
  }
  return lines.join('\n');
}

const perSecond = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} rows/s`;

export async function run(): Promise<void> {
  const env = await startTestEnv();
  try {
    // Members that a quarter of the rows update (matched by member code).
    await Member.insertMany(
      Array.from({ length: Math.ceil(ROWS / 4) }, (_, k) => ({
        memberCode: String(4_000_000_000 + k * 4),
        displayName: `舊會員${k}`,
        status: 'active',
      })),
    );
    const data = Buffer.from(buildCsv(), 'utf8');
    const actor = { id: 'bench', name: 'bench' };
    for (const label of ['first import', 're-import (no changes)']) {
      let t = performance.now();
      const job = await createImportJob({ fileName: 'bench.csv', data, actor, now: new Date() });
      const { job: validated } = await validateImport(job.id, { mapping: job.mapping, onError: 'skip' });
      const validateMs = performance.now() - t;
      t = performance.now();
      const done = await runImport(job.id, { actor, clock: () => new Date(), timeZone: 'Asia/Taipei' });
      const writeMs = performance.now() - t;
      console.log(`${label}: ${ROWS} rows (${(data.length / 1024).toFixed(0)} KB), ${validated.errorCount} errors`);
      console.log(`  upload + validate  ${validateMs.toFixed(0)} ms  (${perSecond(ROWS, validateMs)})`);
      console.log(
        `  write              ${writeMs.toFixed(0)} ms  (${perSecond(done.progress.total, writeMs)}); created ${done.counts.created}, updated ${done.counts.updated}, unchanged ${done.counts.unchanged}`,
      );
    }
    const t = performance.now();
    let bytes = 0;
    for await (const chunk of exportMembersCsv({ filter: {}, fields: DEFAULT_EXPORT_FIELDS, timeZone: 'Asia/Taipei' }))
      bytes += (chunk as Buffer).length;
    const members = await Member.countDocuments();
    const ms = performance.now() - t;
    console.log(
      `export: ${members} members, ${(bytes / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms (${perSecond(members, ms)})`,
    );
  } finally {
    await env.close();
  }
}

if (require.main === module)
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
