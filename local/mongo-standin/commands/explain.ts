/**
 * `explain` of find / count / distinct / aggregate / update / delete /
 * findAndModify: the plan the planner chooses, in MongoDB's shape
 * (`queryPlanner.winningPlan`: IXSCAN under FETCH, OR, IDHACK or COLLSCAN),
 * plus `executionStats` for the "executionStats"/"allPlansExecution"
 * verbosities. Nothing is written: update and delete only count matches.
 */
import type { Document } from 'bson';
import { badValue, failedToParse } from '../errors';
import { compileFilter, runAggregate, runFind } from '../engine';
import { countFromIndex, countScanPlan, isIdLookup, planAndFetch, winningPlan, type ExplainInput } from '../planner';
import type { Doc } from '../values';
import { collectionName, existing, optionalDoc, toInt, type CommandContext, type Handler } from './context';
import { countsOnly, leadingStages } from './fetch';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

interface Target {
  name: string;
  input: ExplainInput;
  variables?: Doc;
  /** Documents returned/affected, computed from the candidates. */
  returned: (candidates: Doc[], ctx: CommandContext) => number;
  pipelineRest?: Doc[];
}

function target(cmd: Doc): Target {
  const op = Object.keys(cmd)[0];
  switch (op) {
    case 'find': {
      const filter = optionalDoc(cmd.filter, 'filter');
      const sort = optionalDoc(cmd.sort, 'sort');
      const limit = Math.abs(toInt(cmd.limit, 'limit') ?? 0);
      const skip = toInt(cmd.skip, 'skip') ?? 0;
      return {
        name: collectionName(cmd, 'find'),
        input: { filter, sort, limit, skip },
        variables: cmd.let,
        returned: (docs) => runFind(docs, { filter, sort, skip, limit, variables: cmd.let }).length,
      };
    }
    case 'count':
    case 'distinct': {
      const filter = optionalDoc(cmd.query, 'query');
      return {
        name: collectionName(cmd, op),
        input: { filter },
        returned: (docs) => docs.filter(compileFilter(filter)).length,
      };
    }
    case 'aggregate': {
      if (!Array.isArray(cmd.pipeline)) throw badValue("'pipeline' option must be specified as an array");
      const lead = leadingStages(cmd.pipeline);
      return {
        name: collectionName(cmd, 'aggregate'),
        input: { filter: lead.filter, sort: lead.sort },
        variables: cmd.let,
        returned: (docs, ctx) =>
          runAggregate(docs, cmd.pipeline, {
            variables: cmd.let,
            collectionResolver: (n) => existing(ctx, n)?.all() ?? [],
          }).length,
        pipelineRest: cmd.pipeline,
      };
    }
    case 'update':
    case 'delete': {
      const list = cmd[op === 'update' ? 'updates' : 'deletes'];
      if (!Array.isArray(list) || list.length !== 1)
        throw badValue(`explain of ${op} takes exactly one statement in '${op === 'update' ? 'updates' : 'deletes'}'`);
      const stmt = list[0] as Doc;
      const filter = optionalDoc(stmt.q, 'q') ?? {};
      const many = op === 'update' ? !!stmt.multi : stmt.limit !== 1;
      const sort = optionalDoc(stmt.sort, 'sort');
      return {
        name: collectionName(cmd, op),
        input: { filter, sort },
        returned: (docs) => Math.min(many ? Infinity : 1, docs.filter(compileFilter(filter)).length),
      };
    }
    case 'findAndModify':
    case 'findandmodify': {
      const filter = optionalDoc(cmd.query, 'query') ?? {};
      return {
        name: collectionName(cmd, op),
        input: { filter, sort: optionalDoc(cmd.sort, 'sort') },
        returned: (docs) => Math.min(1, docs.filter(compileFilter(filter)).length),
      };
    }
  }
  throw failedToParse(`Explain failed due to unknown command: ${op}`);
}

export const explain: Handler = (ctx, cmd) => {
  const inner = optionalDoc(cmd.explain, 'explain');
  if (!inner || !Object.keys(inner).length) throw failedToParse("BSON field 'explain.explain' is missing");
  const verbosity = cmd.verbosity ?? 'allPlansExecution';
  if (!VERBOSITIES.has(verbosity))
    throw badValue(`verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
  return explainCommand(ctx, inner, verbosity);
};

/** explain of a count answered from index entries (COUNT_SCAN): no document examined. */
function explainCount(
  ctx: CommandContext,
  inner: Document,
  verbosity: string,
  counted: NonNullable<ReturnType<typeof countFromIndex>>,
  command: 'count' | 'aggregate',
  started: number,
): Document {
  const t = target(inner);
  const plan = countScanPlan(counted.choice, command);
  const queryPlanner = {
    plannerVersion: 1,
    namespace: `${ctx.dbName}.${t.name}`,
    indexFilterSet: false,
    parsedQuery: t.input.filter ?? {},
    winningPlan: plan,
    rejectedPlans: [],
  };
  const reply: Doc = { explainVersion: '1', queryPlanner };
  if (verbosity !== 'queryPlanner') {
    const nReturned = command === 'count' ? 0 : 1;
    reply.executionStats = {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: counted.n,
      totalDocsExamined: 0,
      executionStages: { ...plan, nReturned },
    };
  }
  if (command === 'aggregate')
    reply.stages = [{ $cursor: { queryPlanner } }, ...(inner.pipeline as Doc[]).filter((s) => !('$match' in s))];
  reply.command = { ...inner, $db: ctx.dbName };
  reply.serverInfo = { host: 'mongo-standin', port: 0, version: '7.0.0' };
  reply.ok = 1;
  return reply;
}

export function explainCommand(ctx: CommandContext, inner: Document, verbosity: string): Document {
  const t = target(inner);
  const coll = existing(ctx, t.name);
  const started = Date.now();
  const op = Object.keys(inner)[0];
  const counting = op === 'count' || (op === 'aggregate' && countsOnly(inner.pipeline));
  const counted =
    coll && counting && ctx.store.planner && t.input.filter && Object.keys(t.input.filter).length
      ? countFromIndex(coll, t.input.filter)
      : undefined;
  if (counted) return explainCount(ctx, inner, verbosity, counted, op === 'count' ? 'count' : 'aggregate', started);
  const need = t.input.sort && t.input.limit ? (t.input.skip ?? 0) + t.input.limit : undefined;
  const planned = coll
    ? planAndFetch(coll, t.input.filter, {
        sort: t.input.sort,
        need,
        variables: t.variables,
        disabled: !ctx.store.planner,
      })
    : { plan: { kind: 'COLLSCAN' as const }, docs: [], stats: { keysExamined: 0, docsExamined: 0 } };
  const idhack = !!coll && isIdLookup(t.input.filter) && planned.plan.kind === 'IXSCAN';
  const plan = winningPlan(planned.plan, t.input, idhack);
  const queryPlanner = {
    plannerVersion: 1,
    namespace: `${ctx.dbName}.${t.name}`,
    indexFilterSet: false,
    parsedQuery: t.input.filter ?? {},
    planCacheShapeHash: undefined,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: plan,
    rejectedPlans: [],
  };
  delete (queryPlanner as Doc).planCacheShapeHash;
  const reply: Doc = { explainVersion: '1', queryPlanner };
  if (verbosity !== 'queryPlanner') {
    const nReturned = t.returned(planned.docs, ctx);
    reply.executionStats = {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: planned.stats.keysExamined,
      totalDocsExamined: planned.stats.docsExamined,
      executionStages: { ...plan, nReturned },
    };
  }
  if (t.pipelineRest && t.pipelineRest.length) {
    reply.stages = [{ $cursor: { queryPlanner } }, ...t.pipelineRest.filter((s) => !('$match' in s))];
  }
  reply.command = { ...inner, $db: ctx.dbName };
  reply.serverInfo = { host: 'mongo-standin', port: 0, version: '7.0.0' };
  reply.ok = 1;
  return reply;
}
