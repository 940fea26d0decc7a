/**
 * The query/aggregation engine: mingo, configured with a private operator
 * context. We build the context from mingo's base modules (instead of using
 * the default `mingo` entry) because the default context cannot be
 * overridden, and its `$type` silently matches nothing for BSON aliases such
 * as 'objectId' — a silent wrong answer we refuse to give.
 */
import { Context } from 'mingo';
import type { Doc } from './values';
import { bsonTypeAliases, TYPE_NUMBERS } from './values';
import { badValue, notImplemented, translateEngineError } from './errors';
import { cmpValue } from './index-data';
import { addPath, filterPaths, type PathTree } from './bson-fields';

/* eslint-disable @typescript-eslint/no-require-imports */
import type * as MingoQuery from 'mingo/types/query';
import type * as MingoAggregator from 'mingo/types/aggregator';
import type * as MingoUpdater from 'mingo/types/updater';
// Runtime resolves these through mingo's package "exports"; the type-only
// imports point at the .d.ts files because tsconfig uses node10 resolution.
const { Query } = require('mingo/query') as typeof MingoQuery;
const { Aggregator } = require('mingo/aggregator') as typeof MingoAggregator;
const updater = require('mingo/updater') as typeof MingoUpdater;
const { isEqual } = require('mingo/util') as { isEqual: (a: unknown, b: unknown) => boolean };
const queryOps = require('mingo/operators/query');
const pipelineOps = require('mingo/operators/pipeline');
/* eslint-enable @typescript-eslint/no-require-imports */

const VALID_TYPE_ALIASES = new Set([...Object.values(TYPE_NUMBERS), 'number', 'undefined']);

function normalizeTypeAlias(t: unknown): string {
  if (typeof t === 'number' && TYPE_NUMBERS[t]) return TYPE_NUMBERS[t];
  if (typeof t === 'string' && VALID_TYPE_ALIASES.has(t)) return t;
  throw badValue(`Unknown type name alias: ${String(t)}`);
}

/** Values at a dotted path including the arrays themselves, for `$type` ('array' must match). */
function typeCandidates(doc: any, parts: string[], i: number, out: any[]): void {
  if (i === parts.length) {
    out.push(doc);
    if (Array.isArray(doc)) out.push(...doc);
    return;
  }
  if (doc === null || typeof doc !== 'object') return;
  if (Array.isArray(doc)) {
    const k = parts[i];
    if (/^\d+$/.test(k)) typeCandidates(doc[Number(k)], parts, i + 1, out);
    for (const el of doc)
      if (el !== null && typeof el === 'object' && !Array.isArray(el)) typeCandidates(el, parts, i, out);
    return;
  }
  if (parts[i] in doc) typeCandidates(doc[parts[i]], parts, i + 1, out);
}

const $type = (selector: string, value: unknown) => {
  const wanted = (Array.isArray(value) ? value : [value]).map(normalizeTypeAlias);
  const parts = selector.split('.');
  return (obj: unknown): boolean => {
    const found: any[] = [];
    typeCandidates(obj, parts, 0, found);
    return found.some((v) => v !== undefined && bsonTypeAliases(v).some((a) => wanted.includes(a)));
  };
};

/* eslint-disable @typescript-eslint/no-require-imports */
const context = Context.init({
  accumulator: require('mingo/operators/accumulator'),
  expression: require('mingo/operators/expression'),
  pipeline: pipelineOps,
  projection: require('mingo/operators/projection'),
  query: { ...queryOps, $type },
  window: require('mingo/operators/window'),
});
/* eslint-enable @typescript-eslint/no-require-imports */

export interface EngineOptions {
  variables?: Doc;
  /** Resolves `$lookup`/`$unionWith`/`$graphLookup` collection names in the same database. */
  collectionResolver?: (name: string) => Doc[];
  /**
   * The input documents are the caller's own fresh copies (decoded from the heap for this command): the stages may
   * mutate them, so mingo need not deep-clone each one first (in a CPU profile of a count over many candidates the
   * clone was among the largest costs).
   */
  inputIsCopy?: boolean;
}

/**
 * mingo copies every operator table of the context (hundreds of entries) into each query or pipeline it is given
 * plain options for: in a CPU profile of the chat's stand-in, 7% of its time. Given an instance of its own options
 * class, it copies only the per-query locals and shares the context (which nothing changes after it is built). The
 * class is not among mingo's exports, so it is taken from the options a query operator is called with, once.
 */
const OptionsClass: new (options: object) => object = (() => {
  let found: (new (options: object) => object) | undefined;
  const probe = Context.init({
    query: {
      $probe: (_field: string, _value: unknown, options: object) => {
        found = options.constructor as typeof found;
        return () => true;
      },
    },
  });
  new Query({ a: { $probe: 1 } }, { context: probe } as any);
  if (!found) throw new Error('mongo-standin: mingo did not pass its options to a query operator');
  return found;
})();

/** Prepared options for the calls without variables or a resolver (nearly all), per processing mode. */
const prepared = new Map<number, object>();

/** mingo options for `opts` with `processingMode`: a shared prepared instance when nothing per call is set. */
function preparedOptions(opts: EngineOptions, processingMode: number): any {
  if (opts.variables !== undefined || opts.collectionResolver !== undefined)
    return { ...mingoOptions(opts), processingMode };
  let ready = prepared.get(processingMode);
  if (!ready) {
    // Our options name every one of mingo's defaults; the context is copied once, as mingo would per query.
    ready = new OptionsClass({ ...mingoOptions(opts), processingMode, context: Context.from(context) });
    prepared.set(processingMode, ready);
  }
  return ready;
}

function mingoOptions(opts: EngineOptions = {}): any {
  return {
    context,
    idKey: '_id',
    useStrictMode: true,
    // BSON Code cannot run in-process; make $where/$function fail loudly instead of oddly.
    scriptEnabled: false,
    failOnError: true,
    variables: opts.variables,
    collectionResolver: opts.collectionResolver,
    processingMode: opts.inputIsCopy ? 0 /* CLONE_OFF */ : 1 /* CLONE_INPUT: stages may mutate their input */,
  };
}

/** Wrap engine calls so every mingo failure becomes a proper server error. */
export function engine<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateEngineError(err);
  }
}

export type Predicate = (doc: Doc) => boolean;

export function compileFilter(filter: Doc | undefined, opts?: EngineOptions): Predicate {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badValue('filter must be an object');
  const q = engine(() => new Query(filter, preparedOptions(opts ?? {}, 0)));
  return (doc) => engine(() => q.test(doc));
}

export interface FindSpec {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  limit?: number;
  projection?: Doc;
  variables?: Doc;
}

function validateSort(sort: Doc): void {
  for (const [k, v] of Object.entries(sort)) {
    if (v !== null && typeof v === 'object') throw notImplemented(`sort by ${JSON.stringify(v)} on '${k}'`);
    if (v !== 1 && v !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
  }
}

/** find semantics: filter → sort → skip → limit → projection. */
export function runFind(candidates: Doc[], spec: FindSpec): Doc[] {
  let source = candidates;
  let sort = spec.sort && Object.keys(spec.sort).length ? spec.sort : undefined;
  if (sort && '$natural' in sort) {
    // Natural order is insertion order, which is how candidates arrive.
    if (Object.keys(sort).length > 1) throw badValue('$natural sort cannot be combined with other fields');
    if (sort.$natural === -1) source = [...candidates].reverse();
    sort = undefined;
  }
  if (sort) validateSort(sort);
  const fields = spec.projection ? simpleInclusion(spec.projection) : undefined;
  return engine(() => {
    const q = new Query(spec.filter ?? {}, preparedOptions({ variables: spec.variables }, 0));
    // Sorting and projecting after the filter: by our own code when every sort key is a scalar and the projection
    // only names top-level fields (the common case: what the product sends); else all of it by mingo.
    const matched = sort || fields ? source.filter((d) => q.test(d)) : undefined;
    const sorted = matched && (sort ? scalarSort(matched, sort) : matched);
    if (!sorted || (spec.projection && !fields)) {
      // What was already filtered goes on filtered (mingo filters again: a positional projection needs the query).
      const cursor = q.find<Doc>(sorted ?? matched ?? source, spec.projection ?? {});
      if (sort && !sorted) cursor.sort(sort as any);
      if (spec.skip) cursor.skip(spec.skip);
      if (spec.limit) cursor.limit(spec.limit);
      return cursor.all();
    }
    const end = spec.limit ? (spec.skip ?? 0) + spec.limit : undefined;
    const page = spec.skip || end !== undefined ? sorted.slice(spec.skip ?? 0, end) : sorted;
    return fields ? page.map((d) => project(d, fields)) : page;
  });
}

/**
 * The paths a find needs of each candidate when it projects to top-level fields (`simpleInclusion`): the filter's,
 * the sort's and the projected fields (whole). Candidates can then be decoded cut down to them (bson-fields.ts
 * `pickPaths`): the filter, the sort and the projection give the same answer on the copy. Undefined otherwise.
 */
export function findPaths(
  filter: Doc | undefined,
  sort: Doc | undefined,
  projection: Doc | undefined,
): PathTree | undefined {
  const fields = projection ? simpleInclusion(projection) : undefined;
  if (!fields) return undefined;
  const tree = filterPaths(filter ?? {});
  if (!tree) return undefined;
  for (const key of Object.keys(sort ?? {})) if (key !== '$natural') addPath(tree, key);
  for (const name of fields.names) tree[name] = true;
  tree._id = true;
  return tree;
}

/** A value the fast sort orders exactly as mingo's $sort does (no arrays, no documents, nothing mingo hashes apart). */
function sortScalar(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const t = typeof v;
  if (t === 'string' || t === 'boolean') return true;
  if (t === 'number') return !Number.isNaN(v) && !Object.is(v, -0);
  return v instanceof Date || (t === 'object' && (v as { _bsontype?: string })._bsontype === 'ObjectId');
}

const NOT_SCALAR = Symbol('not scalar');

/**
 * The value at a dotted path through plain sub-documents only, missing read as null (mingo groups them as one, as
 * MongoDB sorts them); NOT_SCALAR when the path crosses an array or ends on something else than a scalar.
 */
function scalarAt(doc: Doc, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || cur === undefined) return null;
    if (typeof cur !== 'object' || Array.isArray(cur)) return Array.isArray(cur) ? NOT_SCALAR : null;
    if ((cur as { _bsontype?: string })._bsontype || cur instanceof Date) return null;
    cur = (cur as Doc)[part];
  }
  return sortScalar(cur) ? (cur ?? null) : NOT_SCALAR;
}

/**
 * A stable sort by the sort keys, each read once per document, compared with the index order (`cmpValue`, which
 * gives what mingo's compare gives): what mingo's $sort returns (its groups keep input order, a descending key
 * reverses the groups, not their members), without hashing every key. Undefined when a key is an array or a
 * document in some document (mingo sorts those).
 */
function scalarSort(docs: Doc[], sort: Doc): Doc[] | undefined {
  const keys = Object.entries(sort).map(([k, dir]) => ({ parts: k.split('.'), dir: dir as number }));
  const rows: Array<{ v: unknown[]; d: Doc }> = new Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const v = new Array(keys.length);
    for (let j = 0; j < keys.length; j++) {
      const x = scalarAt(docs[i], keys[j].parts);
      if (x === NOT_SCALAR) return undefined;
      v[j] = x;
    }
    rows[i] = { v, d: docs[i] };
  }
  rows.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const c = cmpValue(a.v[j], b.v[j]);
      if (c) return c * keys[j].dir;
    }
    return 0;
  });
  return rows.map((r) => r.d);
}

/**
 * The fields of an inclusion projection that names only top-level fields with 1/true (and perhaps `_id: 0`), in
 * its order; undefined for anything else (dotted paths, operators, exclusions, expressions: mingo projects those).
 */
function simpleInclusion(projection: Doc): { names: Set<string>; id: boolean } | undefined {
  const names = new Set<string>();
  let id = true;
  for (const [k, v] of Object.entries(projection)) {
    if (k === '_id' && (v === 0 || v === false)) {
      id = false;
      continue;
    }
    if (v !== 1 && v !== true) return undefined;
    if (k.includes('.') || k.startsWith('$')) return undefined;
    if (k !== '_id') names.add(k);
  }
  if (!names.size) return undefined;
  return { names, id };
}

/** The included fields in the document's order (as mingo gives them), `_id` last unless excluded; undefined is missing. */
function project(doc: Doc, fields: { names: Set<string>; id: boolean }): Doc {
  const out: Doc = {};
  for (const k in doc) if (fields.names.has(k) && doc[k] !== undefined) out[k] = doc[k];
  if (fields.id && doc._id !== undefined) out._id = doc._id;
  return out;
}

const REFUSED_STAGES: Record<string, string> = {
  $out: '$out (write the results with insertMany instead)',
  $merge: '$merge (write the results with bulkWrite instead)',
};

/** Refuse write stages anywhere in a pipeline, including nested sub-pipelines. */
function validatePipeline(pipeline: unknown): asserts pipeline is Doc[] {
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (stage === null || typeof stage !== 'object' || Array.isArray(stage)) {
      throw badValue("Each element of the 'pipeline' array must be an object");
    }
    const names = Object.keys(stage);
    if (names.length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
    const name = names[0];
    if (REFUSED_STAGES[name]) throw notImplemented(REFUSED_STAGES[name]);
    if (!(name in pipelineOps)) {
      throw engine(() => {
        throw new Error(`unregistered pipeline operator ${name}.`);
      });
    }
    const body = stage[name];
    if (name === '$facet' && body && typeof body === 'object') Object.values(body).forEach(validatePipeline);
    if ((name === '$lookup' || name === '$unionWith') && body && typeof body === 'object' && body.pipeline) {
      validatePipeline(body.pipeline);
    }
  }
}

export function runAggregate(source: Doc[], pipeline: unknown, opts: EngineOptions): Doc[] {
  validatePipeline(pipeline);
  return engine(() => new Aggregator(pipeline, mingoOptions(opts)).run<Doc>(source));
}

/** mingo's own equality (what its `$set` uses to leave an equal value alone). */
export const isEqualValue = (a: unknown, b: unknown): boolean => isEqual(a, b);

/** Apply operator-style update in place (positional `$` resolved against `condition`). */
export function applyOperators(doc: Doc, ops: Doc, arrayFilters: Doc[] | undefined, condition: Doc | undefined): void {
  engine(() =>
    updater.update(doc, ops as any, arrayFilters ?? [], condition as any, {
      cloneMode: 'deep',
      // Plain options: the updater spreads them and adds its own operators to the context it builds from them.
      queryOptions: { ...mingoOptions(), processingMode: 0 },
    }),
  );
}

/** Pipeline-style update: run the stages on a single document. */
export function applyPipelineUpdate(doc: Doc, stages: Doc[], variables?: Doc): Doc {
  const out = runAggregate([doc], stages, { variables });
  if (out.length !== 1) throw badValue('pipeline update must produce exactly one document');
  return out[0];
}
