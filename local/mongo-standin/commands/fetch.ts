/** Candidate documents for a command's filter, through the planner, recorded in the query log. */
import { planAndFetch, planIndexes, type Planned } from '../planner';
import { recordQuery } from '../query-log';
import type { Collection } from '../store';
import type { Doc } from '../values';
import type { CommandContext } from './context';

export interface FetchOptions {
  sort?: Doc;
  /** skip + limit when a limit follows the sort. */
  need?: number;
  variables?: Doc;
  comment?: unknown;
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
