/** find / getMore / killCursors / aggregate / count / distinct. */
import type { Document } from 'bson';
import { failedToParse, notImplemented, badValue } from '../errors';
import { compileFilter, findPaths, runAggregate, runFind } from '../engine';
import { countByIndex, countsOnly, distinctByIndex, fetchCandidates, leadingStages } from './fetch';
import { cmpValue } from '../index-data';
import { filterPaths } from '../bson-fields';
import { explainCommand } from './explain';
import { canonicalKey, clone, valuesAtPath, type Doc } from '../values';
import {
  checkCollation,
  checkFields,
  collectionName,
  existing,
  optionalDoc,
  toInt,
  type CommandContext,
  type Handler,
} from './context';

const FIND_FIELDS = [
  'find',
  'filter',
  'sort',
  'projection',
  'skip',
  'limit',
  'batchSize',
  'singleBatch',
  'noCursorTimeout',
  'collation',
  'allowPartialResults',
  'returnKey',
  'showRecordId',
  'tailable',
  'awaitData',
  'oplogReplay',
  'min',
  'max',
];

export const find: Handler = (ctx, cmd) => {
  checkFields(cmd, 'find', FIND_FIELDS);
  checkCollation(cmd.collation);
  for (const f of ['returnKey', 'showRecordId', 'tailable', 'awaitData', 'oplogReplay'] as const) {
    if (cmd[f]) throw notImplemented(`find option '${f}'`);
  }
  if (cmd.min !== undefined || cmd.max !== undefined) throw notImplemented("find options 'min'/'max'");
  const name = collectionName(cmd, 'find');
  const filter = optionalDoc(cmd.filter, 'filter');
  let limit = toInt(cmd.limit, 'limit') ?? 0;
  let singleBatch = !!cmd.singleBatch;
  if (limit < 0) {
    // Legacy negative limit: return at most |limit| documents in one batch.
    limit = -limit;
    singleBatch = true;
  }
  const skip = toInt(cmd.skip, 'skip') ?? 0;
  if (skip < 0) throw badValue('skip value must be non-negative');
  const coll = existing(ctx, name);
  const sort = optionalDoc(cmd.sort, 'sort');
  const projection = optionalDoc(cmd.projection, 'projection');
  const docs = coll
    ? runFind(
        fetchCandidates(ctx, coll, 'find', filter, {
          sort,
          need: sort && limit ? skip + limit : undefined,
          variables: cmd.let,
          comment: cmd.comment,
          // A projection to a few top-level fields: each candidate is decoded cut down to what the find reads.
          paths: findPaths(filter, sort, projection),
        }).docs,
        {
          filter,
          sort,
          projection,
          skip,
          limit,
          variables: cmd.let,
        },
      )
    : // Still validate the filter so typos fail even against a missing collection.
      (compileFilter(filter), []);
  const cursor = ctx.cursors.firstBatch(`${ctx.dbName}.${name}`, docs, cmd.batchSize, {
    singleBatch,
    noTimeout: !!cmd.noCursorTimeout,
  });
  return { cursor, ok: 1 };
};

export const getMore: Handler = (ctx, cmd) => {
  checkFields(cmd, 'getMore', ['getMore', 'collection', 'batchSize', 'term', 'lastKnownCommittedOpTime']);
  return ctx.cursors.getMore(cmd);
};

export const killCursors: Handler = (ctx, cmd) => {
  checkFields(cmd, 'killCursors', ['killCursors', 'cursors']);
  if (!Array.isArray(cmd.cursors))
    throw failedToParse("BSON field 'killCursors.cursors' is missing but a required field");
  return ctx.cursors.kill(cmd.cursors);
};

function resolver(ctx: CommandContext) {
  // Foreign collections get copies: mingo's $lookup embeds them into output documents.
  return (name: string) => existing(ctx, name)?.all().map(clone) ?? [];
}

export const aggregate: Handler = (ctx, cmd) => {
  checkFields(cmd, 'aggregate', ['aggregate', 'pipeline', 'cursor', 'explain', 'collation']);
  checkCollation(cmd.collation);
  if (cmd.explain) {
    // Legacy form ({aggregate, pipeline, explain: true}): same answer as the explain command.
    const { explain: _e, cursor: _c, ...inner } = cmd;
    return explainCommand(ctx, inner, 'queryPlanner');
  }
  const cursorOpts = optionalDoc(cmd.cursor, 'cursor');
  if (!cursorOpts)
    throw failedToParse("The 'cursor' option is required, except for aggregate with the explain argument");
  const dbLevel = cmd.aggregate === 1;
  const name = dbLevel ? undefined : collectionName(cmd, 'aggregate');
  const coll = name ? existing(ctx, name) : undefined;
  const pipeline = cmd.pipeline as Doc[];
  // A leading $match (+ $sort, + $skip/$limit) is planned like a find; mingo re-applies all of it.
  const lead = leadingStages(pipeline);
  // countDocuments: when an index answers the whole $match, the rest of the pipeline counts its entries' documents.
  const counted =
    coll && lead.filter && countsOnly(pipeline)
      ? countByIndex(ctx, coll, 'aggregate', lead.filter, cmd.comment)
      : undefined;
  if (counted !== undefined) {
    const rest = runAggregate(
      Array.from({ length: counted }, () => ({})),
      pipeline.slice(1),
      { variables: cmd.let, inputIsCopy: true },
    );
    return { cursor: ctx.cursors.firstBatch(`${ctx.dbName}.${name}`, rest, cursorOpts.batchSize), ok: 1 };
  }
  const source = coll
    ? fetchCandidates(ctx, coll, 'aggregate', lead.filter, {
        sort: lead.sort,
        need: lead.need,
        variables: cmd.let,
        comment: cmd.comment,
        paths: countsOnly(pipeline) ? (filterPaths(lead.filter) ?? undefined) : undefined,
      }).docs
    : [];
  // fetchCandidates decodes a fresh copy of every document, so the pipeline may work on them in place.
  const docs = runAggregate(source, pipeline, {
    variables: cmd.let,
    collectionResolver: resolver(ctx),
    inputIsCopy: true,
  });
  const ns = dbLevel ? `${ctx.dbName}.$cmd.aggregate` : `${ctx.dbName}.${name}`;
  return { cursor: ctx.cursors.firstBatch(ns, docs, cursorOpts.batchSize), ok: 1 };
};

export const count: Handler = (ctx, cmd) => {
  checkFields(cmd, 'count', ['count', 'query', 'limit', 'skip', 'collation', 'fields']);
  checkCollation(cmd.collation);
  const coll = existing(ctx, collectionName(cmd, 'count'));
  const filter = optionalDoc(cmd.query, 'query');
  const pred = compileFilter(filter);
  const byIndex =
    coll && filter && Object.keys(filter).length ? countByIndex(ctx, coll, 'count', filter, cmd.comment) : undefined;
  let n = coll
    ? byIndex !== undefined
      ? byIndex
      : filter && Object.keys(filter).length
        ? fetchCandidates(ctx, coll, 'count', filter, {
            comment: cmd.comment,
            paths: filterPaths(filter) ?? undefined,
          }).docs.filter(pred).length
        : coll.docs.size
    : 0;
  const skip = toInt(cmd.skip, 'skip') ?? 0;
  const limit = Math.abs(toInt(cmd.limit, 'limit') ?? 0);
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
};

export const distinct: Handler = (ctx, cmd) => {
  checkFields(cmd, 'distinct', ['distinct', 'key', 'query', 'collation']);
  checkCollation(cmd.collation);
  if (typeof cmd.key !== 'string' || !cmd.key)
    throw failedToParse("BSON field 'distinct.key' is missing but a required field");
  const coll = existing(ctx, collectionName(cmd, 'distinct'));
  const filter = optionalDoc(cmd.query, 'query');
  const pred = compileFilter(filter);
  const seen = new Map<string, unknown>();
  const add = (v: unknown) => {
    const k = canonicalKey(v);
    if (!seen.has(k)) seen.set(k, v);
  };
  const byIndex = coll ? distinctByIndex(ctx, coll, cmd.key, filter, cmd.comment) : undefined;
  if (byIndex) byIndex.forEach(add);
  else {
    const source = coll ? fetchCandidates(ctx, coll, 'distinct', filter, { comment: cmd.comment }).docs : [];
    for (const doc of source.filter(pred)) {
      for (const v of valuesAtPath(doc, cmd.key as string)) if (v !== undefined) add(v);
    }
  }
  // In value order (as MongoDB's DISTINCT_SCAN gives them; distinct promises no order), whichever way they were found.
  return { values: [...seen.values()].sort(cmpValue), ok: 1 } as Document;
};
