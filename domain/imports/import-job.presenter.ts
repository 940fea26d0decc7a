import type { ImportStatus } from '../../models/import-job.model';
import { IMPORT_FIELDS, type ImportFieldKey } from './import-fields';
import type { RowError } from './import-rows';

/** An import job as the console shows it. */
export interface ImportJobView {
  id: string;
  fileName: string;
  status: ImportStatus;
  encoding?: string;
  createdBy: string;
  createdByName?: string;
  createdAt?: Date;
  headers: string[];
  sampleRows: string[][];
  rowCount: number;
  mapping: Record<string, ImportFieldKey | ''>;
  onError: 'skip' | 'abort';
  errors: RowError[];
  errorCount: number;
  /** Fields dropped from kept rows (the row is imported without them). */
  warnings: RowError[];
  warningCount: number;
  counts: { valid: number; invalid: number; created: number; updated: number; unchanged: number };
  progress: { processed: number; total: number };
  planned?: { create: number; update: number; unchanged: number };
  startedAt?: Date;
  finishedAt?: Date;
  /** While running: the claim's expiry. A running job past it was interrupted and can be started again (resumes). */
  leaseUntil?: Date;
  failure?: string;
  /** The mappable fields (key + zh-TW label), so the mapping step needs no second request. */
  fields: Array<{ key: ImportFieldKey; label: string }>;
}

export interface ImportPreviewRow {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  memberCode?: string;
  values: Record<string, unknown>;
  changed: string[];
  reason?: string;
  /** `Email：Email 格式不正確，此欄位不匯入`: optional fields this row is imported without. */
  warnings?: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function presentImportJob(job: any): ImportJobView {
  return {
    id: String(job._id),
    fileName: job.fileName,
    status: job.status,
    encoding: job.encoding ?? undefined,
    createdBy: job.createdBy,
    createdByName: job.createdByName ?? undefined,
    createdAt: job.createdAt,
    headers: job.headers ?? [],
    sampleRows: job.sampleRows ?? [],
    rowCount: job.rowCount ?? 0,
    mapping: job.mapping ?? {},
    onError: job.onError ?? 'skip',
    errors: (job.rowErrors ?? []).map((e: RowError) => ({
      line: e.line,
      field: e.field,
      value: e.value ?? undefined,
      reason: e.reason,
    })),
    errorCount: job.errorCount ?? 0,
    warnings: (job.rowWarnings ?? []).map((e: RowError) => ({
      line: e.line,
      field: e.field,
      value: e.value ?? undefined,
      reason: e.reason,
    })),
    warningCount: job.warningCount ?? 0,
    counts: {
      valid: job.counts?.valid ?? 0,
      invalid: job.counts?.invalid ?? 0,
      created: job.counts?.created ?? 0,
      updated: job.counts?.updated ?? 0,
      unchanged: job.counts?.unchanged ?? 0,
    },
    progress: { processed: job.progress?.processed ?? 0, total: job.progress?.total ?? 0 },
    startedAt: job.startedAt ?? undefined,
    finishedAt: job.finishedAt ?? undefined,
    leaseUntil: job.leaseUntil ?? undefined,
    failure: job.failure ?? undefined,
    fields: IMPORT_FIELDS.map((f) => ({ key: f.key, label: f.label })),
  };
}
