/**
 * #11.3 index guard. Every query the product sends during this test run was recorded by the
 * stand-ins (test/setup/query-shapes.setup.ts). Here each recorded shape on a large collection is
 * judged against the indexes the mongoose models declare, with the planner's own rule
 * (local/mongo-standin/planner.ts `choosePlan`): a shape passes when some declared index can serve
 * it (its first key bounded by an equality/range predicate of the query, or serving the sort;
 * sparse and partial indexes only where MongoDB may use them). The jest sequencer runs this file
 * after every other one, so `npm test` judges the whole suite's shapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import mongoose from 'mongoose';
import { choosePlan, type PlannableIndex } from '../../local/mongo-standin/planner';
import type { QueryShape } from '../../local/mongo-standin/query-log';
import { QUERY_SHAPES_DIR } from '../setup/query-shapes-dir';

const MODELS_DIR = path.resolve(__dirname, '../../models');

/** Collections that reach 100k-10M documents at a real brand's size. */
const LARGE = new Set([
  'members',
  'interactions',
  'pointsentries',
  'coupons',
  'purchases',
  'deliveries',
  'webhookevents',
  'surveyresponses',
  'trackedlinks',
  'auditlogs',
  'membernotes',
  'erasurerecords',
  // The 1:1 inbox (#13.5): a conversation per handoff, every customer/agent message, the shared change feed.
  'conversations',
  'inboxmessages',
  'inboxevents',
  'journeyruns',
]);

/**
 * Full scans by design: each entry is a collection, an operation and a filter shape (values
 * replaced by their types, as the query log records them), with the reason the scan is intended.
 */
const FULL_SCANS_BY_DESIGN: Array<{ collection: string; op: string; shape: string; why: string }> = [
  // points:verify / findPointsDrift (domain/points/points.service.ts): sums every ledger entry per member and
  // compares it with every member's cached balance; reading everything is the point.
  { collection: 'pointsentries', op: 'aggregate', shape: '{}', why: 'points:verify sums the whole ledger' },
  { collection: 'members', op: 'find', shape: '{}', why: 'points:verify reads every balance' },
  // scripts/points-verify.ts reports how many members it checked (countDocuments() is an aggregate over {}).
  { collection: 'members', op: 'aggregate', shape: '{}', why: 'points:verify counts the members it checked' },
  // stats:rebuild (domain/reports/stat-rebuild.service.ts) recomputes the dashboard and campaign counters from the
  // raw records (#18.8): a deliberate, occasional pass over each collection, never on a request path.
  ...['members', 'purchases', 'interactions', 'coupons', 'webhookevents', 'deliveries'].map((collection) => ({
    collection,
    op: 'aggregate',
    shape: '{}',
    why: 'stats:rebuild recomputes the counters from every record',
  })),
];

/** The indexes each collection's mongoose model declares (what syncIndexes would build), plus _id. */
export function declaredIndexes(): Map<string, PlannableIndex[]> {
  for (const f of readdirSync(MODELS_DIR)) {
    // Loading each model file registers it with mongoose (the same models the product uses).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (f.endsWith('.model.ts')) require(path.join(MODELS_DIR, f));
  }
  const out = new Map<string, PlannableIndex[]>();
  for (const model of Object.values(mongoose.models)) {
    const specs: PlannableIndex[] = [{ spec: { v: 2, key: { _id: 1 }, name: '_id_' } }];
    for (const [key, options] of model.schema.indexes()) {
      const name =
        (options.name as string) ??
        Object.entries(key)
          .map(([k, v]) => `${k}_${v}`)
          .join('_');
      specs.push({ spec: { v: 2, key, name, ...(options as Record<string, unknown>) } });
    }
    out.set(model.collection.collectionName, specs);
  }
  return out;
}

function recordedShapes(): QueryShape[] {
  let files: string[];
  try {
    files = readdirSync(QUERY_SHAPES_DIR);
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    (JSON.parse(readFileSync(path.join(QUERY_SHAPES_DIR, f), 'utf8')) as QueryShape[]).map((s) => ({
      ...s,
      file: f.replace(/__/g, '/').replace(/\.json$/, ''),
    })),
  );
}

export interface Violation {
  collection: string;
  op: string;
  shape: string;
  sort?: unknown;
  example: string;
  files: string[];
}

/** Shapes of the product on large collections that no declared index serves. */
export function judge(
  shapes: Array<QueryShape & { file?: string }>,
  indexes: Map<string, PlannableIndex[]>,
): Violation[] {
  const out = new Map<string, Violation>();
  for (const s of shapes) {
    if (s.db !== 'huigo' || s.fromTest || !LARGE.has(s.collection)) continue;
    if (FULL_SCANS_BY_DESIGN.some((a) => a.collection === s.collection && a.op === s.op && a.shape === s.shape))
      continue;
    const plan = choosePlan(indexes.get(s.collection) ?? [], EJSON.parse(s.example), s.sort);
    if (plan.kind !== 'COLLSCAN') continue;
    const key = [s.collection, s.op, s.shape, JSON.stringify(s.sort ?? null)].join('|');
    const seen = out.get(key);
    if (seen) {
      if (s.file && !seen.files.includes(s.file)) seen.files.push(s.file);
      continue;
    }
    out.set(key, {
      collection: s.collection,
      op: s.op,
      shape: s.shape,
      sort: s.sort,
      example: s.example,
      files: s.file ? [s.file] : [],
    });
  }
  return [...out.values()];
}

describe('#11.3 index guard', () => {
  it('every product query shape on a large collection has a declared index that serves it', () => {
    const shapes = recordedShapes();
    const judged = shapes.filter((s) => s.db === 'huigo' && !s.fromTest && LARGE.has(s.collection));
    if (!judged.length) {
      console.warn('index guard: no product query shapes recorded in this run (run it with the product suites)');
      return;
    }
    const violations = judge(shapes, declaredIndexes());
    const report = violations
      .map(
        (v) =>
          `  ${v.collection}.${v.op} ${v.shape}${v.sort ? ` sort ${JSON.stringify(v.sort)}` : ''}  (${v.files.slice(0, 2).join(', ')})`,
      )
      .join('\n');
    if (violations.length)
      throw new Error(
        `${violations.length} query shape(s) on large collections have no declared index (add one to models/, or an entry with a reason to FULL_SCANS_BY_DESIGN):\n${report}`,
      );
    expect(violations).toEqual([]);
  });

  it('flags a shape once the index serving it is removed from the declarations', () => {
    const indexes = declaredIndexes();
    const shape: QueryShape = {
      db: 'huigo',
      collection: 'interactions',
      op: 'find',
      shape: '{"lineUserId":"<string>"}',
      example: EJSON.stringify({ lineUserId: 'U1' }),
      plans: ['COLLSCAN'],
      count: 1,
      fromTest: false,
    };
    expect(judge([shape], indexes)).toEqual([]);
    const without = new Map(indexes);
    without.set(
      'interactions',
      indexes.get('interactions')!.filter((i) => Object.keys(i.spec.key)[0] !== 'lineUserId'),
    );
    expect(judge([shape], without)).toEqual([expect.objectContaining({ collection: 'interactions', op: 'find' })]);
    // Test-file queries and small collections are not judged.
    expect(judge([{ ...shape, fromTest: true }], without)).toEqual([]);
    expect(judge([{ ...shape, collection: 'settings' }], without)).toEqual([]);
  });

  it('judges a recorded $regex (which Extended JSON reads back as a BSON regular expression) by its index', () => {
    const indexes = declaredIndexes();
    const shape: QueryShape = {
      db: 'huigo',
      collection: 'coupons',
      op: 'find',
      shape: '{"key":{"$regex":"<string>"}}',
      example: EJSON.stringify({ key: { $regex: '^campaign:abc:' } }, { relaxed: false }),
      plans: ['IXSCAN key_1'],
      count: 1,
      fromTest: false,
    };
    expect(judge([shape], indexes)).toEqual([]);
    const plan = choosePlan(indexes.get('coupons')!, EJSON.parse(shape.example), undefined);
    expect(plan).toEqual(expect.objectContaining({ kind: 'IXSCAN' }));
    const without = new Map(indexes);
    without.set(
      'coupons',
      indexes.get('coupons')!.filter((i) => Object.keys(i.spec.key)[0] !== 'key'),
    );
    expect(judge([shape], without)).toEqual([expect.objectContaining({ collection: 'coupons' })]);
  });
});
