/**
 * Server-side cursors. Results are materialized when the cursor is opened
 * (the command runs atomically), and handed out in batches via getMore.
 */
import { calculateObjectSize, Long } from 'bson';
import { CommandError, Codes, badValue } from './errors';
import type { Doc } from './values';

const DEFAULT_FIRST_BATCH = 101;
/** Keep every reply comfortably under the 16MiB document limit. */
const MAX_BATCH_BYTES = 15 * 1024 * 1024;
/** Same idle timeout as the real server (cursorTimeoutMillis). */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
  noTimeout: boolean;
}

export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 1e9);
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.open.clear();
  }

  /** Build the `cursor` sub-document for find/aggregate/list* replies. */
  firstBatch(
    ns: string,
    docs: Doc[],
    batchSize: unknown,
    opts: { singleBatch?: boolean; noTimeout?: boolean } = {},
  ): Doc {
    const size = parseBatchSize(batchSize, DEFAULT_FIRST_BATCH);
    const cur: OpenCursor = { ns, docs, pos: 0, lastUsed: Date.now(), noTimeout: !!opts.noTimeout };
    const batch = take(cur, size);
    let id = 0;
    if (cur.pos < docs.length && !opts.singleBatch) {
      id = this.nextId++;
      this.open.set(id, cur);
    }
    return { id: Long.fromNumber(id), ns, firstBatch: batch };
  }

  getMore(cmd: Doc): Doc {
    const id = toNumber(cmd.getMore);
    const cur = this.open.get(id);
    if (!cur) throw new CommandError(Codes.CursorNotFound, `cursor id ${id} not found`);
    const ns = `${cur.ns.split('.')[0]}.${cmd.collection}`;
    if (typeof cmd.collection === 'string' && ns !== cur.ns) {
      throw new CommandError(
        Codes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cur.ns}`,
      );
    }
    cur.lastUsed = Date.now();
    const batch = take(cur, parseBatchSize(cmd.batchSize, Infinity));
    let outId = id;
    if (cur.pos >= cur.docs.length) {
      this.open.delete(id);
      outId = 0;
    }
    return { cursor: { id: Long.fromNumber(outId), ns: cur.ns, nextBatch: batch }, ok: 1 };
  }

  kill(ids: unknown[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = toNumber(raw);
      (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Drop cursors of a dropped collection/database so getMore fails loudly. */
  forgetNamespace(prefix: string): void {
    for (const [id, c] of this.open) if (c.ns === prefix || c.ns.startsWith(`${prefix}.`)) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, c] of this.open) if (!c.noTimeout && c.lastUsed < cutoff) this.open.delete(id);
  }
}

function take(cur: OpenCursor, size: number): Doc[] {
  const batch: Doc[] = [];
  let bytes = 0;
  while (cur.pos < cur.docs.length && batch.length < size) {
    const doc = cur.docs[cur.pos];
    const s = calculateObjectSize(doc, { ignoreUndefined: true });
    if (batch.length > 0 && bytes + s > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += s;
    cur.pos++;
  }
  return batch;
}

function parseBatchSize(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = toNumber(v);
  if (!Number.isInteger(n) || n < 0)
    throw badValue(`BSON field 'batchSize' value must be >= 0, actual value '${String(v)}'`);
  // batchSize 0 on getMore means "server default"; on the first batch it means "open but empty".
  return n === 0 && dflt === Infinity ? Infinity : n;
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && typeof (v as any).toNumber === 'function') return (v as any).toNumber();
  if (v && typeof v === 'object' && typeof (v as any).valueOf === 'function') return Number((v as any).valueOf());
  return NaN;
}
