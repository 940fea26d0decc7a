/**
 * Child process for the SIGKILL test (test/integration/mongo-standin.crash.test.ts): a stand-in on the data
 * directory given as argv[2], members with points through the product's points use case, then an import of
 * IMPORT_ROWS CSV rows through the product's import use case. Prints one JSON line `{ uri, jobId, pid }` before the
 * import starts; the test kills the process somewhere in the middle.
 */
import mongoose from 'mongoose';
import { rootLogger } from '../../domain/shared/logger';
import { changePoints } from '../../domain/points/points.service';
import { createImportJob, runImport, validateImport } from '../../domain/imports/member-import.service';
import { Member } from '../../models/member.model';
import { startMongoStandin } from '../../local/mongo-standin';

export const IMPORT_ROWS = 5000;
export const SEEDED = 100;
export const importCode = (i: number) => String(4_000_000_000 + i);

export function importCsv(): Buffer {
  const lines = ['會員編號,姓名,手機,居住城市,同意行銷訊息'];
  for (let i = 0; i < IMPORT_ROWS; i++)
    lines.push(
      [importCode(i), `會員${i}`, `09${String(20_000_000 + i).padStart(8, '0')}`, '臺北市', i % 2 ? '是' : '否'].join(
        ',',
      ),
    );
  return Buffer.from(lines.join('\n'), 'utf8');
}

async function main(): Promise<void> {
  rootLogger.level = 'silent';
  const standin = await startMongoStandin({ dataDir: process.argv[2] });
  await mongoose.connect(standin.uri);
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  // Members the import will update, each with a points history that points:verify checks after the crash.
  const seeded = await Member.insertMany(
    Array.from({ length: SEEDED }, (_, i) => ({
      memberCode: importCode(i),
      displayName: `舊會員${i}`,
      status: 'active',
    })),
  );
  for (const m of seeded) {
    const now = new Date();
    await changePoints({ memberId: m._id, delta: 50, reason: 'manual', key: `seed:${m._id}:1`, actor: 'test', now });
    await changePoints({ memberId: m._id, delta: -20, reason: 'manual', key: `seed:${m._id}:2`, actor: 'test', now });
  }
  const actor = { id: 'crash-test', name: 'crash test' };
  const job = await createImportJob({ fileName: 'crash.csv', data: importCsv(), actor, now: new Date() });
  await validateImport(job.id, { mapping: job.mapping, onError: 'skip' });
  process.stdout.write(`${JSON.stringify({ uri: standin.uri, jobId: job.id, pid: process.pid })}\n`);
  await runImport(job.id, { actor, clock: () => new Date(), timeZone: 'Asia/Taipei' });
  process.stdout.write('{"done":true}\n');
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
