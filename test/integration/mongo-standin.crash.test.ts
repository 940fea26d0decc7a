import { TEST_QUERY_COMMENT } from '../../local/mongo-standin/query-log';
/**
 * #18 acceptance: SIGKILL in the middle of an import of 5,000 CSV rows (through the product's import use case, in a
 * child process running the stand-in on a data directory); after a restart on the same directory the store opens,
 * points:verify's check is clean, nothing acknowledged before the kill is lost, and it takes writes again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MongoClient, ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { findPointsDrift } from '../../domain/points/points.service';
import { startMongoStandin } from '../../local/mongo-standin';
import { IMPORT_ROWS, SEEDED } from '../helpers/import-crash-child';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'huigo-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('#18 SIGKILL mid-import', () => {
  it('reopens consistent (points:verify clean), keeps every acknowledged row, and takes writes', async () => {
    const child = spawn(
      process.execPath,
      // tsx as a loader of this very process (`--import tsx`), not its CLI: the CLI runs the script in a grandchild,
      // which a SIGKILL of the CLI would leave running, still writing to the data directory.
      ['--import', 'tsx', path.join(root, 'test/helpers/import-crash-child.ts'), dir],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const first = await new Promise<{ uri: string; jobId: string; pid: number }>((resolve, reject) => {
      const lines = readline.createInterface({ input: child.stdout! });
      lines.once('line', (l) => {
        lines.close();
        resolve(JSON.parse(l));
      });
      child.once('exit', () => reject(new Error('child exited before starting the import')));
    });

    // Watch the import through the child's stand-in and kill it once a fifth of the rows are written.
    const client = new MongoClient(first.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    const jobs = client.db().collection('importjobs');
    let seen = { processed: 0, members: 0 };
    for (;;) {
      const job = await jobs.findOne({ _id: new ObjectId(first.jobId) });
      const processed = job?.progress?.processed ?? 0;
      // What the child's stand-in acknowledged: the read reply comes after the journal commit of every prior write.
      const members = await client.db().collection('members').countDocuments();
      seen = { processed, members };
      if (processed >= IMPORT_ROWS / 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The process that ran the import is the one killed: nothing is left writing to the directory.
    expect(first.pid).toBe(child.pid);
    expect(() => process.kill(first.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    child.stdout!.destroy();
    await client.close().catch(() => undefined);
    expect(seen.processed).toBeLessThan(IMPORT_ROWS);

    const logs: string[] = [];
    const standin = await startMongoStandin({ dataDir: dir, logger: (m) => logs.push(m) });
    try {
      await mongoose.connect(standin.uri);
      expect(await findPointsDrift()).toEqual([]);
      const db = mongoose.connection.db!;
      const job = await db.collection('importjobs').findOne({ _id: new ObjectId(first.jobId) });
      expect(job!.progress.processed).toBeGreaterThanOrEqual(seen.processed);
      expect(await db.collection('members').countDocuments()).toBeGreaterThanOrEqual(seen.members);
      expect(await db.collection('pointsentries').countDocuments()).toBe(SEEDED * 2);

      // The reopened store takes writes, and its unique indexes came back with it.
      const codes = await db.collection('members').distinct('memberCode', {}, { comment: TEST_QUERY_COMMENT });
      expect(codes).toHaveLength(await db.collection('members').countDocuments());
      await expect(db.collection('members').insertOne({ memberCode: codes[0] })).rejects.toMatchObject({ code: 11000 });
      await db.collection('members').insertOne({ memberCode: 'after-restart' });
      expect(await db.collection('members').countDocuments({ memberCode: 'after-restart' })).toBe(1);
    } finally {
      await mongoose.disconnect();
      await standin.close();
    }
    expect(logs.join('\n')).toMatch(/loaded \d+ documents/);
  }, 240_000);
});
