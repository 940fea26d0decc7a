/** Candidate documents for a command's filter, through the planner, recorded in the query log. */
import { countFromIndex, distinctFromIndex, planAndFetch, planIndexes, type Planned } from '../planner';
import { filterPaths, pickPaths } from '../bson-fields';
import { recordQuery } from '../query-log';
import type { Collection } from '../store';
import type { PathTree } from '../bson-fields';
import type { Doc } from '../values';
import type { CommandContext } from './context';

export interface FetchOptions {
  sort?: Doc;
  /** skip + limit when a limit follows the sort. */
  need?: number;
  variables?: Doc;
  comment?: unknown;
  /** Only these paths of each document are needed (planner.ts `PlanOptions.paths`). */
  paths?: PathTree;
}

export function fetchCandidates(
  ctx: CommandContext,
  coll: Collection,
  op: string,
  filter: Doc | undefined,
  opts: FetchOptions = {},
): Planned {
  const planned = planAndFetch(coll, filter, { ...opts, disabled: !ctx.store.planner });
  const names = planIndexes(planned.plan);
  recordQuery({
    db: ctx.dbName,
    collection: coll.name,
    op,
    filter,
    sort: opts.sort,
    plan: names.length ? names.join('+') : 'COLLSCAN',
    comment: opts.comment,
  });
  return planned;
}

/**
 * How many documents match `filter`, counted from index entries alone (planner.ts `countFromIndex`, MongoDB's
 * COUNT_SCAN), recorded in the query log; undefined when no index answers the whole filter (or the planner is off).
 */
export function countByIndex(
  ctx: CommandContext,
  coll: Collection,
  op: string,
  filter: Doc | undefined,
  comment?: unknown,
): number | undefined {
  if (!ctx.store.planner) return undefined;
  const counted = countFromIndex(coll, filter);
  if (!counted) return undefined;
  recordQuery({ db: ctx.dbName, collection: coll.name, op, filter, plan: counted.choice.index.spec.name, comment });
  return counted.n;
}

/** distinct values from index keys (planner.ts `distinctFromIndex`, DISTINCT_SCAN), recorded in the query log. */
export function distinctByIndex(
  ctx: CommandContext,
  coll: Collection,
  key: string,
  filter: Doc | undefined,
  comment?: unknown,
): unknown[] | undefined {
  if (!ctx.store.planner) return undefined;
  const paths = filterPaths(filter);
  const read = (id: string) => (paths ? coll.docs.getWith(id, (b) => pickPaths(b, paths)) : coll.docs.get(id));
  const found = distinctFromIndex(coll, key, filter, read);
  if (!found) return undefined;
  recordQuery({ db: ctx.dbName, collection: coll.name, op: 'distinct', filter, plan: found.index, comment });
  return found.values;
}

/**
 * A pipeline that only filters and counts (what the driver's countDocuments sends: `$match`, `$skip`/`$limit`,
 * then `$group` by a constant with `$sum` of constants): its documents need only the paths the filter reads, and
 * nothing after the `$match` reads them at all.
 */
export function countsOnly(pipeline: unknown): boolean {
  if (!Array.isArray(pipeline) || pipeline.length < 2) return false;
  const [match, ...rest] = pipeline as Doc[];
  if (!match || typeof match !== 'object' || !('$match' in match) || Object.keys(match).length !== 1) return false;
  const group = rest.pop() as Doc | undefined;
  if (rest.some((s) => !s || typeof s !== 'object' || Object.keys(s).length !== 1 || !('$skip' in s || '$limit' in s)))
    return false;
  if (!group || typeof group !== 'object' || Object.keys(group).length !== 1 || !isPlainDoc(group.$group)) return false;
  const { _id, ...accumulators } = group.$group as Doc;
  const constant = (v: unknown) => v === null || typeof v === 'number' || typeof v === 'boolean';
  return (
    constant(_id) &&
    Object.values(accumulators).every(
      (a) => isPlainDoc(a) && Object.keys(a).length === 1 && typeof (a as Doc).$sum === 'number',
    )
  );
}

const isPlainDoc = (v: unknown): v is Doc => !!v && typeof v === 'object' && !Array.isArray(v);

/** The part of a pipeline the planner can serve: a leading $match, then $sort, then $skip/$limit. */
export function leadingStages(pipeline: unknown): { filter?: Doc; sort?: Doc; need?: number } {
  if (!Array.isArray(pipeline)) return {};
  let i = 0;
  const stage = (name: string) => {
    const s = pipeline[i];
    return s && typeof s === 'object' && name in s && Object.keys(s).length === 1 ? s[name] : undefined;
  };
  const match = stage('$match');
  const filter = match && typeof match === 'object' && !Array.isArray(match) ? (match as Doc) : undefined;
  if (filter) i++;
  const sortSpec = stage('$sort');
  const sort = sortSpec && typeof sortSpec === 'object' ? (sortSpec as Doc) : undefined;
  if (!sort) return { filter };
  i++;
  let skip = 0;
  for (;;) {
    const sk = stage('$skip');
    if (typeof sk === 'number') {
      skip += sk;
      i++;
      continue;
    }
    const lim = stage('$limit');
    if (typeof lim === 'number' && lim > 0) return { filter, sort, need: skip + lim };
    return { filter, sort };
  }
}
