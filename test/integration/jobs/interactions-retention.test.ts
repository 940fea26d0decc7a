import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EJSON } from 'bson';
import {
  archiveOldInteractions,
  listArchiveFiles,
  retentionCutoff,
} from '../../../domain/interactions/interaction-retention.service';
import { zonedDate } from '../../../domain/shared/clock';
import { runJobOnce } from '../../../jobs/runner';
import { Interaction } from '../../../models/interaction.model';
import { Settings } from '../../../models/settings.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let admin: ConsoleLogin;
let archiveDir: string;
// Near wall time: console sessions expire by a TTL index swept on wall time.
const now = new Date();
const DAY = 86_400_000;

beforeAll(async () => {
  archiveDir = mkdtempSync(path.join(tmpdir(), 'huigo-archive-'));
  env = await startTestEnv({ clock: () => now, env: { INTERACTIONS_ARCHIVE_DIR: archiveDir } });
  admin = await loginAs(env, 'admin');
});
afterAll(async () => {
  await env.close();
  rmSync(archiveDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await Interaction.deleteMany({});
  await Settings.deleteMany({});
  rmSync(archiveDir, { recursive: true, force: true });
});

const putProgram = (body: object) =>
  admin.agent.put('/api/console/settings/program').set('X-CSRF-Token', admin.csrf).send(body);

/** Every row of these archive files, decoded. */
function readArchive(names: string[] = files): Array<Record<string, unknown>> {
  return names.flatMap((f) =>
    gunzipSync(readFileSync(path.join(archiveDir, f)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => EJSON.parse(line, { relaxed: false }) as Record<string, unknown>),
  );
}
let files: string[] = [];

async function seed(memberId: unknown) {
  const cutoff = retentionCutoff(now, 12);
  // 1,100 rows older than 12 months, spread over two months; 40 inside the window; 5 exactly at the cutoff.
  const old = Array.from({ length: 1100 }, (_, i) => ({
    memberId,
    type: 'event',
    channel: 'system',
    summary: `舊紀錄 ${i}`,
    at: new Date(cutoff.getTime() - (1 + (i % 45)) * DAY),
    key: `old:${i}`,
  }));
  const recent = Array.from({ length: 40 }, (_, i) => ({
    memberId,
    type: 'message_in',
    channel: 'line',
    summary: `近期 ${i}`,
    at: new Date(now.getTime() - i * DAY),
  }));
  const boundary = Array.from({ length: 5 }, () => ({ memberId, type: 'tag', channel: 'console', at: cutoff }));
  const inserted = await Interaction.insertMany([...old, ...recent, ...boundary]);
  return { old: inserted.slice(0, 1100), kept: inserted.slice(1100) };
}

describe('#11.4 interactions retention setting', () => {
  it('defaults to 永久保留 (null); accepts 12/24/36 months; anything else → 400 zh-TW and nothing stored', async () => {
    const initial = await admin.agent.get('/api/console/settings/program').expect(200);
    expect(initial.body.settings.retention).toEqual({ interactionsMonths: null });

    for (const bad of [18, 0, -12, '12', 12.5, 'forever']) {
      const res = await putProgram({ retention: { interactionsMonths: bad } }).expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields).toEqual([
        { path: 'retention.interactionsMonths', message: '保留期間只能選 12、24 或 36 個月，或永久保留' },
      ]);
    }
    expect(await Settings.countDocuments({})).toBe(0);

    const ok = await putProgram({ retention: { interactionsMonths: 24 } }).expect(200);
    expect(ok.body.settings.retention).toEqual({ interactionsMonths: 24 });
    await putProgram({ retention: { interactionsMonths: null } }).expect(200);
    const back = await admin.agent.get('/api/console/settings/program').expect(200);
    expect(back.body.settings.retention).toEqual({ interactionsMonths: null });
  });

  it('is an admin setting: a marketer cannot change it', async () => {
    const marketer = await loginAs(env, 'marketer');
    await marketer.agent
      .put('/api/console/settings/program')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ retention: { interactionsMonths: 12 } })
      .expect(403);
  });
});

describe('#11.4 interactions retention job', () => {
  // The stand-in scans (no planner yet): a few thousand rows take seconds here, milliseconds on MongoDB.
  jest.setTimeout(120_000);
  it('archives then deletes only rows older than the retention, in batches, and a second run changes nothing', async () => {
    const member = await buildMember();
    const { old, kept } = await seed(member._id);
    await putProgram({ retention: { interactionsMonths: 12 } }).expect(200);

    const outcome = await runJobOnce(env.deps, 'interactions-retention', now, { trigger: 'test' });
    expect(outcome).toMatchObject({
      status: 'ran',
      result: { outcome: 'archived', archived: 1100, deleted: 1100, batches: 2 },
    });
    // Only the old rows are gone; the boundary rows (at == cutoff) and recent ones stay.
    expect(await Interaction.countDocuments({})).toBe(kept.length);
    expect((await Interaction.find({}, { _id: 1 }).lean()).map((d) => String(d._id)).sort()).toEqual(
      kept.map((d) => String(d._id)).sort(),
    );

    // The archive holds exactly the deleted rows, with their types intact (ObjectId, Date), one month per file.
    files = await listArchiveFiles(archiveDir);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const archived = readArchive();
    expect(archived.map((r) => String(r._id)).sort()).toEqual(old.map((d) => String(d._id)).sort());
    const sample = archived.find((r) => r.key === 'old:7')!;
    expect(sample.at).toBeInstanceOf(Date);
    expect(String(sample.memberId)).toBe(String(member._id));
    expect(sample.summary).toBe('舊紀錄 7');
    for (const f of files) {
      const month = /^interactions-(\d{4}-\d{2})-/.exec(f)![1];
      const months = readArchive([f]).map((r) => zonedDate(r.at as Date, 'Asia/Taipei').slice(0, 7));
      expect(new Set(months)).toEqual(new Set([month]));
      expect(statSync(path.join(archiveDir, f)).mode & 0o777).toBe(0o600); // personal data: owner only
    }

    // Idempotent: the same night again (a forced re-run) and the domain call again find nothing to do.
    const again = await archiveOldInteractions({
      months: 12,
      archiveDir,
      now,
      timeZone: env.deps.config.timeZone,
    });
    expect(again).toMatchObject({ archived: 0, deleted: 0, files: 0 });
    expect(await listArchiveFiles(archiveDir)).toEqual(files);
  });

  it('an interrupted batch (archived, not yet deleted) is redone in place: no row archived twice', async () => {
    const member = await buildMember();
    const { old } = await seed(member._id);
    // First run stops after one batch's archive write: maxRows bounds it, then we put the rows back as if the
    // delete never happened (the crash window between the durable write and the delete).
    await archiveOldInteractions({
      months: 12,
      archiveDir,
      now,
      timeZone: 'Asia/Taipei',
      batchSize: 500,
      maxRows: 500,
    });
    const firstFiles = await listArchiveFiles(archiveDir);
    files = firstFiles;
    const restored = readArchive();
    await Interaction.insertMany(restored);
    const full = await archiveOldInteractions({ months: 12, archiveDir, now, timeZone: 'Asia/Taipei', batchSize: 500 });
    expect(full.archived).toBe(1100);
    files = await listArchiveFiles(archiveDir);
    const ids = readArchive().map((r) => String(r._id));
    expect(ids).toHaveLength(1100);
    expect(new Set(ids).size).toBe(1100);
    expect(new Set(ids)).toEqual(new Set(old.map((d) => String(d._id))));
  });

  it('kept for ever by default, and nothing is deleted without an archive directory', async () => {
    const member = await buildMember();
    await seed(member._id);
    const total = await Interaction.countDocuments({});
    const byDefault = await runJobOnce(env.deps, 'interactions-retention', new Date(now.getTime() + DAY), {
      trigger: 'test',
    });
    expect(byDefault).toMatchObject({ status: 'ran', result: { outcome: 'keep_forever', deleted: 0 } });
    const noDir = await archiveOldInteractions({ months: 12, archiveDir: null, now, timeZone: 'Asia/Taipei' });
    expect(noDir).toMatchObject({ outcome: 'no_archive_dir', deleted: 0 });
    expect(await Interaction.countDocuments({})).toBe(total);
    expect(await listArchiveFiles(archiveDir)).toEqual([]);
  });
});
