/**
 * Query shape recorder. When switched on (the test suite does it, see
 * test/helpers/query-shapes.setup.ts), every planned read or write records its
 * shape: collection, operation, the filter with values replaced by their type
 * (one example kept, to judge partial indexes), the sort, and the plan the
 * stand-in chose. The index guard test judges the shapes against the indexes
 * the mongoose models declare, with the planner's own rule.
 */
import { EJSON } from 'bson';
import { isPlainObject, type Doc } from './values';
import { valueType } from './index-data';

export interface QueryShape {
  db: string;
  collection: string;
  op: string;
  /** Filter with values replaced by `<type>` placeholders; the identity of the shape. */
  shape: string;
  /** EJSON (canonical) of the first filter seen with this shape. */
  example: string;
  sort?: Doc;
  /** Index names (or COLLSCAN) the stand-in used, across occurrences. */
  plans: string[];
  count: number;
  /** Set by the test setup for queries a test file sends itself (to check results), not the product. */
  fromTest: boolean;
}

let recording: Map<string, QueryShape> | undefined;

export function startQueryLog(): void {
  recording = new Map();
}

export function stopQueryLog(): QueryShape[] {
  const out = [...(recording?.values() ?? [])];
  recording = undefined;
  return out;
}

export const queryLogActive = () => recording !== undefined;

/** The comment the test setup attaches to queries a test file issues itself. */
export const TEST_QUERY_COMMENT = 'huigo:test-assertion';

function shapeOf(v: unknown): unknown {
  // Clauses of $and/$or keep every element; a list of values keeps the first one's type.
  if (Array.isArray(v)) return v.every(isPlainObject) ? v.map(shapeOf) : v.length ? [shapeOf(v[0])] : [];
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v).sort()) out[k] = k === '$in' || k === '$nin' ? '<list>' : shapeOf(v[k]);
    return out;
  }
  return `<${v === null ? 'null' : valueType(v)}>`;
}

export interface QueryRecord {
  db: string;
  collection: string;
  op: string;
  filter?: Doc;
  sort?: Doc;
  plan: string;
  comment?: unknown;
}

export function recordQuery(r: QueryRecord): void {
  if (!recording) return;
  const filter = r.filter ?? {};
  const shape = JSON.stringify(shapeOf(filter));
  const sortKey = r.sort && Object.keys(r.sort).length ? JSON.stringify(r.sort) : '';
  const fromTest = r.comment === TEST_QUERY_COMMENT;
  const key = [r.db, r.collection, r.op, shape, sortKey, fromTest ? 't' : 'p'].join('|');
  const seen = recording.get(key);
  if (seen) {
    seen.count++;
    if (!seen.plans.includes(r.plan)) seen.plans.push(r.plan);
    return;
  }
  let example: string;
  try {
    example = EJSON.stringify(filter, { relaxed: false });
  } catch {
    example = '{}';
  }
  recording.set(key, {
    db: r.db,
    collection: r.collection,
    op: r.op,
    shape,
    example,
    ...(sortKey ? { sort: r.sort } : {}),
    plans: [r.plan],
    count: 1,
    fromTest,
  });
}
