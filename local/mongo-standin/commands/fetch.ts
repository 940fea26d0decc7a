/** Candidate documents for a command's filter, through the planner, recorded in the query log. */
import { planAndFetch, planIndexes, type Planned } from '../planner';
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
