import type { Types } from 'mongoose';
import { ImportChunk } from '../../models/import-chunk.model';
import { conflict } from '../shared/errors';

/*
 * The uploaded CSV's decoded text, kept in `importchunks` pieces (#11.4): MongoDB refuses documents over 16 MiB,
 * and a 10 MiB Big5 file decodes to ~17 MB, so the text never goes into one document. Upload order: every piece,
 * then the job (the commit point); a job therefore exists only with all its pieces, and pieces without a job
 * (a failed upload) are deleted at once or, at the latest, by the TTL.
 */

/** UTF-16 units per piece: at most 3 bytes of UTF-8 each (a surrogate pair is 2 units → 4 bytes), so ≤ 768 KiB. */
export const IMPORT_CHUNK_CHARS = 256 * 1024;
/** How long an upload's text is kept when the import is not run to the end (personal data: not for ever). */
export const IMPORT_FILE_TTL_DAYS = 7;

export interface StoredImportFile {
  chunks: number;
  chars: number;
  expiresAt: Date;
}

/** Cuts `text` into pieces of at most `max` UTF-16 units, never between the two halves of a surrogate pair. */
export function splitText(text: string, max = IMPORT_CHUNK_CHARS): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Stores the text of job `jobId` in pieces; all or nothing: when a write fails, the pieces already written are
 * deleted before the error is thrown.
 */
export async function storeImportFile(jobId: Types.ObjectId, text: string, now: Date): Promise<StoredImportFile> {
  const expiresAt = new Date(now.getTime() + IMPORT_FILE_TTL_DAYS * 86_400_000);
  const pieces = splitText(text);
  try {
    // A few pieces per write keeps each insert message small (a 12 MiB Big5 file is ~80 pieces).
    for (let i = 0; i < pieces.length; i += 8) {
      await ImportChunk.insertMany(
        pieces.slice(i, i + 8).map((piece, j) => ({ jobId, seq: i + j, text: piece, expireAt: expiresAt })),
        { ordered: true },
      );
    }
  } catch (err) {
    await deleteImportFile(jobId).catch(() => undefined);
    throw err;
  }
  return { chunks: pieces.length, chars: text.length, expiresAt };
}

/** The text of a job, checked complete against what the upload recorded; gone or incomplete → 409 (zh-TW). */
export async function loadImportFile(job: {
  _id: Types.ObjectId;
  file?: { chunks?: number | null; chars?: number | null } | null;
  csvText?: string | null;
}): Promise<string> {
  if (!job.file?.chunks) {
    if (typeof job.csvText === 'string') return job.csvText;
    throw fileGone();
  }
  const parts = await ImportChunk.find({ jobId: job._id }, { _id: 0, seq: 1, text: 1 }).sort({ seq: 1 }).lean();
  const text = parts.map((p) => p.text).join('');
  if (parts.length !== job.file.chunks || parts.some((p, i) => p.seq !== i) || text.length !== job.file.chars)
    throw fileGone();
  return text;
}

/** Deletes a job's pieces (the import is done, or the upload failed). */
export async function deleteImportFile(jobId: Types.ObjectId): Promise<void> {
  await ImportChunk.deleteMany({ jobId });
}

const fileGone = () =>
  conflict(
    'import_file_missing',
    `匯入的檔案已不在系統中（上傳後 ${IMPORT_FILE_TTL_DAYS} 天未完成匯入會自動刪除），請重新上傳。`,
  );
