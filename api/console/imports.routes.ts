import express, { Router, type RequestHandler } from 'express';
import { stringify } from 'csv-stringify/sync';
import { importTooLarge, MAX_IMPORT_BYTES } from '../../domain/imports/csv-reader';
import {
  createImportJob,
  getImportJob,
  listImportJobs,
  startImport,
  validateImport,
} from '../../domain/imports/member-import.service';
import { neutralizeFormula } from '../../domain/imports/member-export.service';
import { badRequest } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import type { AppDeps } from '../../server/deps';
import { ImportMappingRequestSchema, ImportUploadQuerySchema } from '../contracts/console';
import type { ImportMapping } from '../../domain/imports/import-rows';
import { audit, consoleLocals, requirePermission } from './console-context';
import { presentImportJob, presentImportJobs, presentImportValidation } from './presenters/members.presenter';

/**
 * /api/console/imports: upload (raw CSV bytes) → mapping + validation report → run in the background → poll.
 */
export function createImportRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use(requirePermission('members.import'));

  router.get('/', async (_req, res) => {
    res.json({ jobs: presentImportJobs(await listImportJobs()) });
  });

  router.post('/', readUpload, async (req, res) => {
    const { fileName } = parseOrThrow(ImportUploadQuerySchema, req.query);
    if (!Buffer.isBuffer(req.body)) {
      // An empty file arrives as no body at all: say so, rather than blame the Content-Type.
      if (req.headers['content-length'] === '0') throw badRequest('import_empty', '檔案是空的。');
      throw badRequest('import_no_file', '請上傳 CSV 檔（Content-Type: text/csv）。');
    }
    const user = consoleLocals(res).session.user;
    const job = await createImportJob({
      fileName,
      data: req.body,
      actor: { id: user.id, name: user.displayName },
      now: deps.clock(),
    });
    await audit(deps, req, res, {
      action: 'import.upload',
      target: { type: 'import', id: job.id, label: job.fileName },
      details: { rows: job.rowCount, encoding: job.encoding },
    });
    res.status(201).json({ job: presentImportJob(job) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ job: presentImportJob(await getImportJob(String(req.params.id))) });
  });

  router.put('/:id/mapping', async (req, res) => {
    const body = parseOrThrow(ImportMappingRequestSchema, req.body);
    const result = await validateImport(String(req.params.id), {
      mapping: body.mapping as ImportMapping,
      onError: body.onError,
    });
    await audit(deps, req, res, {
      action: 'import.validate',
      target: { type: 'import', id: result.job.id, label: result.job.fileName },
      details: {
        mapping: body.mapping,
        onError: body.onError,
        errors: result.job.errorCount,
        planned: result.job.planned,
      },
    });
    res.json(presentImportValidation(result));
  });

  router.post('/:id/run', async (req, res) => {
    const user = consoleLocals(res).session.user;
    const { job } = await startImport(String(req.params.id), {
      actor: { id: user.id, name: user.displayName },
      clock: deps.clock,
      timeZone: deps.config.timeZone,
    });
    await audit(deps, req, res, {
      action: 'import.run',
      target: { type: 'import', id: job.id, label: job.fileName },
      details: { rows: job.progress.total },
    });
    res.status(202).json({ job: presentImportJob(job) });
  });

  router.get('/:id/errors.csv', async (req, res) => {
    const job = await getImportJob(String(req.params.id));
    // The rejected values come from the uploaded file: neutralized like every export, so Excel never runs one as a formula.
    // Refused rows and the optional fields dropped from kept rows, by line: one list to fix and re-upload.
    const problems = [
      ...job.errors.map((e) => ({ ...e, outcome: '此列未匯入' })),
      ...job.warnings.map((e) => ({ ...e, outcome: '已匯入，此欄位未匯入' })),
    ].sort((a, b) => a.line - b.line);
    const rows = problems.map((e) => [
      e.line,
      neutralizeFormula(e.field),
      neutralizeFormula(e.value ?? ''),
      neutralizeFormula(e.reason),
      e.outcome,
    ]);
    const csv = stringify(rows, {
      bom: true,
      record_delimiter: 'windows',
      header: true,
      columns: ['行', '欄位', '內容', '原因', '處理'],
    });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${job.id}-errors.csv"`);
    res.send(csv);
  });

  return router;
}

const rawUpload = express.raw({
  type: ['text/csv', 'application/octet-stream', 'application/vnd.ms-excel', 'text/plain'],
  limit: MAX_IMPORT_BYTES,
});

/** The upload's bytes; a file over the limit is refused with the import's own words, not a generic 413. */
const readUpload: RequestHandler = (req, res, next) => {
  if (Number(req.headers['content-length']) > MAX_IMPORT_BYTES) return next(importTooLarge());
  rawUpload(req, res, (err?: unknown) =>
    next((err as { status?: number } | undefined)?.status === 413 ? importTooLarge() : err),
  );
};
