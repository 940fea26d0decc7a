import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * The decoded text of an uploaded CSV, in pieces of at most IMPORT_CHUNK_CHARS UTF-16 units (≤ 768 KiB of UTF-8
 * each), so no document ever approaches MongoDB's 16 MiB limit (a 10 MiB Big5 file decodes to ~17 MB of text).
 * Written before the job that points to them (the job is the commit point of an upload); deleted when the job is
 * done, and by the TTL index when a job is left unfinished.
 */
const importChunkSchema = new Schema({
  jobId: { type: Schema.Types.ObjectId, required: true },
  seq: { type: Number, required: true },
  text: { type: String, required: true },
  expireAt: { type: Date, required: true },
});
importChunkSchema.index({ jobId: 1, seq: 1 }, { unique: true });
// TTL (#11.4): an upload never run (or a failed run never resumed) leaves no personal data behind for ever.
importChunkSchema.index({ expireAt: 1 }, { expireAfterSeconds: 0 });

export type ImportChunkFields = InferSchemaType<typeof importChunkSchema>;
export const ImportChunk = mongoose.model('ImportChunk', importChunkSchema);
