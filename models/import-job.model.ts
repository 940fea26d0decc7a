import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const IMPORT_STATUSES = ['uploaded', 'validated', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

const rowErrorSchema = new Schema({ line: Number, field: String, value: String, reason: String }, { _id: false });

/**
 * A CSV member import: upload → column mapping → validation report → write. The decoded text is kept beside the
 * job in `importchunks` (never in this document: it can be larger than MongoDB's 16 MiB document limit), so
 * validation and the write read the very same rows; progress is updated as rows are written, and a run that died
 * can be resumed (every row write is an idempotent upsert).
 */
const importJobSchema = new Schema(
  {
    fileName: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdByName: String,
    status: { type: String, enum: IMPORT_STATUSES, default: 'uploaded' },
    encoding: String,
    /** Where the text is: `chunks` pieces in importchunks, `chars` UTF-16 units in all (checked when read back). */
    file: { chunks: Number, chars: Number, expiresAt: Date },
    /** Jobs stored before importchunks existed kept the text here; read when `file` is absent. */
    csvText: { type: String, select: false },
    headers: { type: [String], default: [] },
    sampleRows: { type: [[String]], default: [] },
    rowCount: { type: Number, default: 0 },
    /** CSV header → member field key (see domain/imports/import-fields.ts). */
    mapping: { type: Schema.Types.Mixed, default: {} },
    /** Rows with errors are skipped, or (all-or-nothing) the whole file is refused. */
    onError: { type: String, enum: ['skip', 'abort'], default: 'skip' },
    rowErrors: { type: [rowErrorSchema], default: [] },
    errorCount: { type: Number, default: 0 },
    /** Optional fields dropped from rows that were kept (a malformed email): the row is imported without them. */
    rowWarnings: { type: [rowErrorSchema], default: [] },
    warningCount: { type: Number, default: 0 },
    counts: {
      valid: { type: Number, default: 0 },
      invalid: { type: Number, default: 0 },
      created: { type: Number, default: 0 },
      updated: { type: Number, default: 0 },
      unchanged: { type: Number, default: 0 },
    },
    progress: { processed: { type: Number, default: 0 }, total: { type: Number, default: 0 } },
    /** A running write holds a lease, so two clicks (or two instances) never write the same job at once. */
    leaseUntil: Date,
    leaseToken: String,
    startedAt: Date,
    finishedAt: Date,
    failure: String,
  },
  { timestamps: true },
);
importJobSchema.index({ createdAt: -1 });

export type ImportJobFields = InferSchemaType<typeof importJobSchema>;
export const ImportJob = mongoose.model('ImportJob', importJobSchema);
