import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { ImportJob } from '../../models/import-job.model';
import { recordInteraction } from '../interactions/interaction.service';
import { AppError, badRequest, conflict, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { decodeCsv, readCsv } from './csv-reader';
import { deleteImportFile, loadImportFile, storeImportFile } from './import-file.service';
import { FIELD_BY_KEY, suggestMapping } from './import-fields';
import { mappingProblems, parseRows, type ImportMapping, type ParsedRow, type RowError } from './import-rows';
import { applyPlan, loadExisting, planRow, type ExistingIndex, type RowPlan } from './member-upsert.service';
import { presentImportJob, type ImportJobView, type ImportPreviewRow } from './import-job.presenter';
import { isObjectId } from '../../shared/ids';
import { announceTagsAdded, tagJourneys } from '../members/member-tags.service';
import type { JourneyLean } from '../journeys/journey-enter.service';

const log = moduleLogger('member-import');

/** Stored row errors (the count is always exact; the list is capped to keep the job document small). */
const MAX_STORED_ERRORS = 2000;
const CHUNK = 100;
const LEASE_MS = 60_000;

export interface ImportActor {
  id: string;
  name?: string;
}

export interface ImportContext {
  actor: ImportActor;
  clock: () => Date;
  /** The brand's time zone, for the "tag added" journeys imported tags enter. */
  timeZone: string;
}

/**
 * Step 1: read the upload (size, encoding, CSV structure: refused with a zh-TW reason before anything is stored),
 * store its text in pieces, then the job with its header, a sample and a suggested column mapping. The job is
 * written last: if anything fails, the pieces are removed and no job exists.
 */
export async function createImportJob(input: {
  fileName: string;
  data: Buffer;
  actor: ImportActor;
  now: Date;
}): Promise<ImportJobView> {
  const { text, encoding } = decodeCsv(input.data);
  const table = readCsv(text);
  const jobId = new Types.ObjectId();
  const file = await storeImportFile(jobId, text, input.now);
  try {
    const job = await ImportJob.create({
      _id: jobId,
      fileName: input.fileName.slice(0, 200) || 'import.csv',
      createdBy: input.actor.id,
      createdByName: input.actor.name,
      status: 'uploaded',
      encoding,
      file,
      headers: table.headers,
      sampleRows: table.rows.slice(0, 5).map((r) => r.cells.map(sampleCell)),
      rowCount: table.rows.length,
      mapping: suggestMapping(table.headers),
      progress: { processed: 0, total: table.rows.length },
    });
    return presentImportJob(job.toObject());
  } catch (err) {
    await deleteImportFile(jobId).catch(() => undefined);
    throw err;
  }
}

/** What the mapping screen shows of a cell: enough to recognise the column (a 5 MB cell must not be copied into the job). */
const SAMPLE_CELL_MAX = 200;
const sampleCell = (cell: string) => (cell.length > SAMPLE_CELL_MAX ? `${cell.slice(0, SAMPLE_CELL_MAX)}…` : cell);

export async function getImportJob(id: string): Promise<ImportJobView> {
  return presentImportJob(await loadJob(id));
}

export async function listImportJobs(limit = 20): Promise<ImportJobView[]> {
  const jobs = await ImportJob.find({}).sort({ createdAt: -1 }).limit(limit).lean();
  return jobs.map(presentImportJob);
}

async function loadJob(id: string, withText = false) {
  if (!isObjectId(id)) throw notFound('找不到這個匯入工作。', 'import_not_found');
  const job = await ImportJob.findById(id)
    .select(withText ? '+csvText' : '')
    .lean();
  if (!job) throw notFound('找不到這個匯入工作。', 'import_not_found');
  return job;
}

/**
 * Step 2: apply a column mapping and validate every row (fields, identifiers, duplicates, conflicts with existing
 * members). Writes nothing to members; stores the row-level report and the planned counts on the job.
 */
export async function validateImport(
  id: string,
  input: { mapping: ImportMapping; onError: 'skip' | 'abort' },
): Promise<{ job: ImportJobView; preview: ImportPreviewRow[] }> {
  const job = await loadJob(id, true);
  if (job.status === 'running' || job.status === 'done')
    throw conflict('import_locked', '這個匯入已經執行，不能再修改對應。');
  const problems = mappingProblems(job.headers, input.mapping);
  if (problems.length) throw badRequest('import_mapping_invalid', problems.join(' '), { problems });
  const { rows, plans, errors, warnings } = await planAll(await loadImportFile(job), input.mapping);
  const count = (a: RowPlan['action']) => plans.filter((p) => p.action === a).length;
  const invalidLines = new Set(errors.map((e) => e.line));
  const updated = await ImportJob.findOneAndUpdate(
    { _id: id, status: { $in: ['uploaded', 'validated', 'failed'] } },
    {
      $set: {
        status: 'validated',
        mapping: input.mapping,
        onError: input.onError,
        rowErrors: errors.slice(0, MAX_STORED_ERRORS),
        errorCount: errors.length,
        rowWarnings: warnings.slice(0, MAX_STORED_ERRORS),
        warningCount: warnings.length,
        counts: {
          valid: rows.length - count('error'),
          invalid: invalidLines.size,
          created: 0,
          updated: 0,
          unchanged: 0,
        },
        progress: { processed: 0, total: rows.length },
        failure: null,
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw conflict('import_locked', '這個匯入已經執行，不能再修改對應。');
  const preview = plans.slice(0, 20).map((p) => previewOf(p, rows));
  return {
    job: {
      ...presentImportJob(updated),
      planned: { create: count('create'), update: count('update'), unchanged: count('unchanged') },
    },
    preview,
  };
}

async function planAll(
  csvText: string,
  mapping: ImportMapping,
): Promise<{ rows: ParsedRow[]; plans: RowPlan[]; errors: RowError[]; warnings: RowError[] }> {
  const { rows, errors, warnings } = parseRows(readCsv(csvText), mapping);
  const plans: RowPlan[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const existing = await loadExisting(chunk);
    for (const row of chunk) plans.push(planRow(row, existing));
  }
  for (const p of plans) if (p.action === 'error') errors.push(p.error);
  errors.sort((a, b) => a.line - b.line);
  return { rows, plans, errors, warnings };
}

function previewOf(plan: RowPlan, rows: ParsedRow[]): ImportPreviewRow {
  const row = rows.find((r) => r.line === plan.line)!;
  const warnings = row.warnings?.length ? { warnings: row.warnings.map((w) => `${w.field}：${w.reason}`) } : {};
  const values = Object.fromEntries(
    Object.entries(row.values).map(([k, v]) => [
      FIELD_BY_KEY.get(k as never)!.label,
      Array.isArray(v) ? v.join('、') : typeof v === 'boolean' ? (v ? '是' : '否') : v,
    ]),
  );
  if (plan.action === 'update')
    return {
      line: plan.line,
      action: 'update',
      memberCode: plan.member.memberCode,
      values,
      changed: plan.changed,
      ...warnings,
    };
  if (plan.action === 'unchanged')
    return {
      line: plan.line,
      action: 'unchanged',
      memberCode: plan.member.memberCode,
      values,
      changed: [],
      ...warnings,
    };
  if (plan.action === 'error')
    return { line: plan.line, action: 'error', values, changed: [], reason: plan.error.reason, ...warnings };
  return { line: plan.line, action: 'create', values, changed: [], ...warnings };
}

/**
 * Step 3: claims the job (a lease, so a double click or a second instance cannot run it twice) and writes in the
 * background; poll getImportJob for progress. A job whose lease ran out (the server died mid-run) can be started
 * again and resumes where it stopped; every row write is idempotent, so re-written rows change nothing.
 */
export async function startImport(
  id: string,
  ctx: ImportContext,
): Promise<{ job: ImportJobView; done: Promise<void> }> {
  const now = ctx.clock();
  const current = await loadJob(id);
  if (current.status === 'uploaded') throw conflict('import_not_validated', '請先完成欄位對應與檢查。');
  if (current.status === 'done') throw conflict('import_done', '這個匯入已經完成。');
  if (current.onError === 'abort' && (current.errorCount ?? 0) > 0) {
    throw conflict(
      'import_has_errors',
      `有 ${current.errorCount} 個錯誤；「全部正確才匯入」模式下不會寫入任何資料。請修正檔案後重新上傳。`,
    );
  }
  const lease = randomBytes(8).toString('hex');
  const claimed = await ImportJob.findOneAndUpdate(
    { _id: id, $or: [{ status: { $in: ['validated', 'failed'] } }, { status: 'running', leaseUntil: { $lt: now } }] },
    {
      $set: {
        status: 'running',
        leaseToken: lease,
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        startedAt: current.startedAt ?? now,
        failure: null,
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) throw conflict('import_running', '這個匯入正在執行中。');
  const done = runClaimed(id, lease, ctx).catch(async (err) => {
    log.error({ err, importJobId: id }, 'import failed');
    const failure = err instanceof AppError ? err.userMessage : '匯入中斷，請重新執行（已寫入的資料不會重複）。';
    await ImportJob.updateOne(
      { _id: id, leaseToken: lease },
      { $set: { status: 'failed', failure, leaseUntil: null } },
    );
  });
  return { job: presentImportJob(claimed), done };
}

/** Runs an import to the end (scripts and tests); the console uses startImport and polls. */
export async function runImport(id: string, ctx: ImportContext): Promise<ImportJobView> {
  const { done } = await startImport(id, ctx);
  await done;
  return getImportJob(id);
}

async function runClaimed(id: string, lease: string, ctx: ImportContext): Promise<void> {
  const job = await loadJob(id, true);
  const { rows } = parseRows(readCsv(await loadImportFile(job)), job.mapping as ImportMapping);
  for (let start = job.progress?.processed ?? 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const tally = { created: 0, updated: 0, unchanged: 0 };
    const lateErrors: RowError[] = [];
    const existing = await loadExisting(chunk);
    // The tag journeys are read once per chunk, and only when its rows carry tags: a row's new tags then enter
    // the journeys listening to them without a read per row (a tag nobody listens to costs nothing).
    const journeys = chunk.some((r) => Array.isArray(r.values.tags) && r.values.tags.length) ? await tagJourneys() : [];
    for (const row of chunk) {
      const outcome = await writeRow(row, existing, id, ctx, journeys);
      if ('error' in outcome) lateErrors.push(outcome.error);
      else tally[outcome.result] += 1;
    }
    const now = ctx.clock();
    const res = await ImportJob.updateOne(
      { _id: id, leaseToken: lease },
      {
        $set: {
          'progress.processed': Math.min(start + CHUNK, rows.length),
          leaseUntil: new Date(now.getTime() + LEASE_MS),
        },
        $inc: {
          'counts.created': tally.created,
          'counts.updated': tally.updated,
          'counts.unchanged': tally.unchanged,
          'counts.invalid': lateErrors.length,
          'counts.valid': -lateErrors.length,
          errorCount: lateErrors.length,
        },
        ...(lateErrors.length ? { $push: { rowErrors: { $each: lateErrors, $slice: MAX_STORED_ERRORS } } } : {}),
      },
    );
    if (res.matchedCount === 0) return; // lease lost: another run took over
  }
  // The file holds personal data (phones, birthdays); once written it is not kept. The row report stays.
  const finished = await ImportJob.updateOne(
    { _id: id, leaseToken: lease },
    {
      $set: { status: 'done', finishedAt: ctx.clock(), leaseUntil: null, sampleRows: [] },
      $unset: { csvText: 1, file: 1 },
    },
  );
  if (finished.matchedCount === 1) await deleteImportFile(job._id);
}

/** Plans and writes one row against the database as it is now; a lost race is re-planned (bounded). */
async function writeRow(
  row: ParsedRow,
  preloaded: ExistingIndex,
  jobId: string,
  ctx: ImportContext,
  journeys: JourneyLean[],
): Promise<{ result: 'created' | 'updated' | 'unchanged' } | { error: RowError }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Rows of one file never share an identifier, so the chunk's snapshot holds unless someone else wrote meanwhile.
    const plan = planRow(row, attempt === 0 ? preloaded : await loadExisting([row]));
    if (plan.action === 'error') return { error: plan.error };
    const now = ctx.clock();
    const tagged = async (memberId: Types.ObjectId, tags: string[]) =>
      journeys.length ? announceTagsAdded({ now, timeZone: ctx.timeZone }, memberId, tags, journeys) : undefined;
    const result = await applyPlan(plan, { actor: ctx.actor.id, now, tagged });
    if (result === 'retry') continue;
    if (result !== 'unchanged') await noteOnTimeline(plan, result, jobId, now);
    return { result };
  }
  return { error: { line: row.line, field: '整列', reason: '資料同時被其他操作修改，請重新匯入這一列' } };
}

async function noteOnTimeline(plan: RowPlan, result: 'created' | 'updated', jobId: string, at: Date): Promise<void> {
  const memberId = plan.action === 'update' ? plan.member._id : undefined;
  if (!memberId) return; // created members start their timeline with the member itself
  const summary = plan.action === 'update' ? `CSV 匯入更新：${plan.changed.join('、')}` : 'CSV 匯入';
  await recordInteraction({
    memberId,
    type: 'event',
    channel: 'console',
    summary,
    refs: { importJobId: jobId },
    key: `import:${jobId}:${plan.line}`,
    at,
  });
}
