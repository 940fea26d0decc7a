/**
 * insert / update / delete / findAndModify. Each command runs synchronously
 * from start to finish, so concurrent clients can never interleave inside a
 * single write (e.g. a conditional $inc cannot overdraw).
 */
import type { Document } from 'bson';
import { CommandError, Codes, badValue, failedToParse } from '../errors';
import { compileFilter, runFind } from '../engine';
import { applyUpdate, buildUpsert, parseUpdate } from '../update';
import { isPlainObject, type Doc } from '../values';
import type { Collection } from '../store';
import { fetchCandidates } from './fetch';
import type { CommandContext } from './context';
import { checkCollation, checkFields, collectionName, db, existing, optionalDoc, toInt, type Handler } from './context';

function statements(cmd: Document, field: string): Doc[] {
  const list = cmd[field];
  if (!Array.isArray(list)) throw failedToParse(`BSON field '${field}' is missing but a required field`);
  return list;
}

/** Run per-statement work collecting writeErrors; ordered writes stop at the first error. */
function eachStatement(cmd: Document, list: Doc[], fn: (stmt: Doc, i: number) => void): Doc[] {
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      fn(list[i], i);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      writeErrors.push(err.toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

const withErrors = (reply: Doc, writeErrors: Doc[]) =>
  writeErrors.length ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };

export const insert: Handler = (ctx, cmd) => {
  checkFields(cmd, 'insert', ['insert', 'documents', 'ordered']);
  const coll = db(ctx).getOrCreate(collectionName(cmd, 'insert'));
  let n = 0;
  const writeErrors = eachStatement(cmd, statements(cmd, 'documents'), (doc) => {
    if (!isPlainObject(doc)) throw badValue('document to insert must be an object');
    const dollar = Object.keys(doc).find((k) => k.startsWith('$'));
    if (dollar) throw badValue(`Document can't have $ prefixed field names: ${dollar}`);
    coll.insert(doc);
    n++;
  });
  return withErrors({ n }, writeErrors);
};

/** First matching document honouring an optional sort (updateOne/findAndModify semantics). */
function firstMatch(
  ctx: CommandContext,
  op: string,
  coll: Collection | undefined,
  filter: Doc | undefined,
  sort: Doc | undefined,
  variables?: Doc,
  comment?: unknown,
): Doc | undefined {
  if (!coll) return undefined;
  const hasSort = !!sort && Object.keys(sort).length > 0;
  const { docs } = fetchCandidates(ctx, coll, op, filter, { sort, need: hasSort ? 1 : undefined, variables, comment });
  if (hasSort) return runFind(docs, { filter, sort, limit: 1, variables })[0];
  const pred = compileFilter(filter, { variables });
  return docs.find(pred);
}

export const update: Handler = (ctx, cmd) => {
  checkFields(cmd, 'update', ['update', 'updates', 'ordered']);
  const name = collectionName(cmd, 'update');
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = eachStatement(cmd, statements(cmd, 'updates'), (stmt, index) => {
    checkFields(stmt, 'update.updates', ['q', 'u', 'upsert', 'multi', 'arrayFilters', 'collation', 'c', 'sort']);
    checkCollation(stmt.collation);
    const filter = optionalDoc(stmt.q, 'q') ?? {};
    const spec = parseUpdate(stmt.u);
    if (spec.kind === 'replace' && stmt.multi)
      throw failedToParse('multi update is not supported for replacement-style update');
    const variables = { ...(cmd.let ?? {}), ...(stmt.c ?? {}) };
    const arrayFilters = stmt.arrayFilters as Doc[] | undefined;
    const coll = existing(ctx, name);
    let targets: Doc[];
    if (stmt.multi) {
      const pred = compileFilter(filter, { variables });
      targets = coll
        ? fetchCandidates(ctx, coll, 'update', filter, { variables, comment: cmd.comment }).docs.filter(pred)
        : [];
    } else {
      const one = firstMatch(ctx, 'update', coll, filter, optionalDoc(stmt.sort, 'sort'), variables, cmd.comment);
      targets = one ? [one] : [];
    }
    for (const doc of targets) {
      const next = applyUpdate(doc, spec, { filter, arrayFilters, variables, isInsert: false });
      n++;
      if (coll!.replace(doc, next)) nModified++;
    }
    if (targets.length === 0 && stmt.upsert) {
      const doc = buildUpsert(filter, spec, { filter, arrayFilters, variables });
      db(ctx).getOrCreate(name).insert(doc, 'upsert');
      upserted.push({ index, _id: doc._id });
      n++;
    }
  });
  return withErrors({ n, nModified, ...(upserted.length ? { upserted } : {}) }, writeErrors);
};

export const del: Handler = (ctx, cmd) => {
  checkFields(cmd, 'delete', ['delete', 'deletes', 'ordered']);
  const coll = existing(ctx, collectionName(cmd, 'delete'));
  let n = 0;
  const writeErrors = eachStatement(cmd, statements(cmd, 'deletes'), (stmt) => {
    checkFields(stmt, 'delete.deletes', ['q', 'limit', 'collation']);
    checkCollation(stmt.collation);
    const limit = toInt(stmt.limit, 'limit') ?? 0;
    if (limit !== 0 && limit !== 1) throw failedToParse('The limit field in delete objects must be 0 or 1');
    if (!coll) return;
    const filter = optionalDoc(stmt.q, 'q') ?? {};
    const pred = compileFilter(filter, { variables: cmd.let });
    let victims = fetchCandidates(ctx, coll, 'delete', filter, {
      variables: cmd.let,
      comment: cmd.comment,
    }).docs.filter(pred);
    if (limit === 1) victims = victims.slice(0, 1);
    for (const d of victims) coll.remove(d);
    n += victims.length;
  });
  return withErrors({ n }, writeErrors);
};

/** findAndModify reports a too-large result the way the server's plan executor words it. */
function asPlanExecutor<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CommandError && (err.code === Codes.BSONObjectTooLarge || err.code === 17420)) {
      throw new CommandError(err.code, `Plan executor error during findAndModify :: caused by :: ${err.message}`);
    }
    throw err;
  }
}

export const findAndModify: Handler = (ctx, cmd) => {
  const field = 'findAndModify' in cmd ? 'findAndModify' : 'findandmodify';
  checkFields(cmd, field, [
    field,
    'query',
    'sort',
    'remove',
    'update',
    'new',
    'fields',
    'upsert',
    'arrayFilters',
    'collation',
  ]);
  checkCollation(cmd.collation);
  const name = collectionName(cmd, field);
  if (cmd.remove && cmd.update !== undefined) throw failedToParse('Cannot specify both an update and remove=true');
  if (!cmd.remove && cmd.update === undefined) throw failedToParse('Either an update or remove=true must be specified');
  if (cmd.remove && cmd.upsert) throw failedToParse('Cannot specify both upsert=true and remove=true');
  if (cmd.remove && cmd.new)
    throw failedToParse("Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
  const filter = optionalDoc(cmd.query, 'query') ?? {};
  const fields = optionalDoc(cmd.fields, 'fields');
  const variables = cmd.let;
  const project = (d: Doc | undefined) =>
    (d && fields && Object.keys(fields).length ? runFind([d], { projection: fields })[0] : d) ?? null;
  const coll = existing(ctx, name);
  const doc = firstMatch(ctx, 'findAndModify', coll, filter, optionalDoc(cmd.sort, 'sort'), variables, cmd.comment);

  if (cmd.remove) {
    if (doc) {
      coll!.remove(doc);
    }
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: project(doc), ok: 1 };
  }

  const spec = parseUpdate(cmd.update);
  const arrayFilters = cmd.arrayFilters as Doc[] | undefined;
  if (doc) {
    const next = applyUpdate(doc, spec, { filter, arrayFilters, variables, isInsert: false });
    asPlanExecutor(() => coll!.replace(doc, next));
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(cmd.new ? next : doc), ok: 1 };
  }
  if (cmd.upsert) {
    const created = buildUpsert(filter, spec, { filter, arrayFilters, variables });
    asPlanExecutor(() => db(ctx).getOrCreate(name).insert(created, 'upsert'));
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id },
      value: cmd.new ? project(created) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const unsupportedTxn: Handler = () => {
  throw new CommandError(
    Codes.IllegalOperation,
    'Transaction numbers are only allowed on a replica set member or mongos',
  );
};
