/** Worker thread entry: runs one compaction (see compaction.ts) and posts its result or error. */
import { parentPort, workerData } from 'node:worker_threads';
import { compact, type CompactionJob } from './compaction';

try {
  parentPort!.postMessage({ ok: true, result: compact(workerData as CompactionJob) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
