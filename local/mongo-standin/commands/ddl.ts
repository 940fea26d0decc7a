/** Collections, databases and indexes. */
import type { Document } from 'bson';
import { CommandError, Codes, badValue, failedToParse, notImplemented } from '../errors';
import { compileFilter } from '../engine';
import { normalizeIndexSpec } from '../indexes';
import { canonicalKey, isPlainObject, type Doc } from '../values';
import type { Collection } from '../store';
import { checkFields, collectionName, db, existing, type CommandContext, type Handler } from './context';

const ID_INDEX_INFO = { v: 2, key: { _id: 1 }, name: '_id_' };

function mustExist(ctx: CommandContext, name: string, msg = 'ns does not exist'): Collection {
  const c = existing(ctx, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `${msg}: ${ctx.dbName}.${name}`);
  return c;
}

const REFUSED_CREATE_OPTIONS: Record<string, string> = {
  capped: 'capped collections',
  viewOn: 'views',
  pipeline: 'views',
  timeseries: 'time series collections',
  clusteredIndex: 'clustered collections',
  changeStreamPreAndPostImages: 'change streams',
  encryptedFields: 'queryable encryption',
  collation: 'collection default collation',
  expireAfterSeconds: 'collection-level TTL (use a TTL index)',
};

export const create: Handler = (ctx, cmd) => {
  checkFields(cmd, 'create', [
    'create',
    'size',
    'max',
    'validator',
    'validationLevel',
    'validationAction',
    'storageEngine',
    'indexOptionDefaults',
    'idIndex',
    'autoIndexId',
    ...Object.keys(REFUSED_CREATE_OPTIONS),
  ]);
  for (const [opt, what] of Object.entries(REFUSED_CREATE_OPTIONS)) {
    if (cmd[opt] !== undefined && cmd[opt] !== false) throw notImplemented(what);
  }
  if (cmd.validator && Object.keys(cmd.validator).length) throw notImplemented('collection validators');
  const name = collectionName(cmd, 'create');
  if (existing(ctx, name))
    throw new CommandError(Codes.NamespaceExists, `Collection ${ctx.dbName}.${name} already exists.`);
  db(ctx).getOrCreate(name);
  return { ok: 1 };
};

export const drop: Handler = (ctx, cmd) => {
  checkFields(cmd, 'drop', ['drop']);
  const name = collectionName(cmd, 'drop');
  const ns = `${ctx.dbName}.${name}`;
  const coll = existing(ctx, name);
  if (!coll) return { ok: 1 };
  db(ctx).drop(name);
  ctx.cursors.forgetNamespace(ns);
  return { ns, nIndexesWas: coll.indexes.length, ok: 1 };
};

export const dropDatabase: Handler = (ctx, cmd) => {
  checkFields(cmd, 'dropDatabase', ['dropDatabase']);
  ctx.store.dropDatabase(ctx.dbName);
  ctx.cursors.forgetNamespace(ctx.dbName);
  return { dropped: ctx.dbName, ok: 1 };
};

export const createIndexes: Handler = (ctx, cmd) => {
  checkFields(cmd, 'createIndexes', ['createIndexes', 'indexes', 'commitQuorum']);
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0)
    throw badValue('Must specify at least one index to create');
  const specs = cmd.indexes.map((raw: Doc) => normalizeIndexSpec(raw));
  const createdCollectionAutomatically = !existing(ctx, name);
  const coll = db(ctx).getOrCreate(name);
  const before = coll.indexes.length;
  const added: string[] = [];
  try {
    for (const spec of specs) if (coll.createIndex(spec)) added.push(spec.name);
  } catch (err) {
    // The command is all-or-nothing, like the server's.
    for (const n of added) coll.dropIndex(n);
    if (createdCollectionAutomatically) db(ctx).drop(name);
    throw err;
  }
  return {
    createdCollectionAutomatically,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length,
    ...(added.length ? {} : { note: 'all indexes already exist' }),
    ok: 1,
  };
};

export const listIndexes: Handler = (ctx, cmd) => {
  checkFields(cmd, 'listIndexes', ['listIndexes', 'cursor']);
  const name = collectionName(cmd, 'listIndexes');
  const coll = mustExist(ctx, name);
  const specs = coll.indexes.map((i) => ({ ...i.spec }));
  return { cursor: ctx.cursors.firstBatch(`${ctx.dbName}.${name}`, specs, cmd.cursor?.batchSize), ok: 1 };
};

export const dropIndexes: Handler = (ctx, cmd) => {
  const field = 'dropIndexes' in cmd ? 'dropIndexes' : 'deleteIndexes';
  checkFields(cmd, field, [field, 'index']);
  const coll = mustExist(ctx, collectionName(cmd, field), 'ns not found');
  const nIndexesWas = coll.indexes.length;
  const which = cmd.index;
  let names: string[];
  if (which === '*') names = coll.indexes.filter((i) => !i.isId).map((i) => i.name);
  else if (typeof which === 'string') names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainObject(which)) {
    const match = coll.indexes.find((i) => canonicalKey(i.spec.key) === canonicalKey(which));
    if (!match) throw new CommandError(Codes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
    names = [match.name];
  } else throw failedToParse("BSON field 'dropIndexes.index' is missing but a required field");
  // Validate all names before dropping any, so a typo drops nothing.
  for (const n of names) {
    if (n === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    if (!coll.findIndex(n)) throw new CommandError(Codes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) coll.dropIndex(n);
  return { nIndexesWas, ok: 1 };
};

export const listCollections: Handler = (ctx, cmd) => {
  checkFields(cmd, 'listCollections', ['listCollections', 'filter', 'nameOnly', 'authorizedCollections', 'cursor']);
  const entries = [...(ctx.store.dbs.get(ctx.dbName)?.collections.values() ?? [])].map((c) =>
    cmd.nameOnly
      ? { name: c.name, type: 'collection' }
      : {
          name: c.name,
          type: 'collection',
          options: { ...c.options },
          info: { readOnly: false },
          idIndex: ID_INDEX_INFO,
        },
  );
  const pred = compileFilter(cmd.filter);
  return {
    cursor: ctx.cursors.firstBatch(`${ctx.dbName}.$cmd.listCollections`, entries.filter(pred), cmd.cursor?.batchSize),
    ok: 1,
  };
};

const collSize = (c: Collection): number => c.dataSize;

export const listDatabases: Handler = (ctx, cmd) => {
  checkFields(cmd, 'listDatabases', ['listDatabases', 'nameOnly', 'filter', 'authorizedDatabases']);
  const all = [...ctx.store.dbs.values()].filter((d) => d.collections.size > 0);
  const dbs = all.map((d) => {
    const sizeOnDisk = [...d.collections.values()].reduce((s, c) => s + collSize(c), 0);
    return cmd.nameOnly ? { name: d.name } : { name: d.name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const shown = dbs.filter(compileFilter(cmd.filter));
  const totalSize = shown.reduce((s, d: Doc) => s + (d.sizeOnDisk ?? 0), 0);
  return cmd.nameOnly
    ? { databases: shown, ok: 1 }
    : { databases: shown, totalSize, totalSizeMb: Math.floor(totalSize / 1048576), ok: 1 };
};

export const renameCollection: Handler = (ctx, cmd) => {
  checkFields(cmd, 'renameCollection', ['renameCollection', 'to', 'dropTarget', 'stayTemp']);
  const [fromDb, ...fromRest] = String(cmd.renameCollection).split('.');
  const [toDb, ...toRest] = String(cmd.to).split('.');
  if (fromDb !== toDb) throw notImplemented('renaming a collection across databases');
  const from = fromRest.join('.');
  const to = toRest.join('.');
  const database = ctx.store.dbs.get(fromDb);
  const coll = database?.get(from);
  if (!database || !coll) throw new CommandError(Codes.NamespaceNotFound, 'Source collection does not exist');
  if (database.get(to)) {
    if (!cmd.dropTarget) throw new CommandError(Codes.NamespaceExists, 'target namespace exists');
    database.drop(to);
  }
  ctx.cursors.forgetNamespace(`${fromDb}.${from}`);
  database.rename(from, to);
  return { ok: 1 };
};

export const collStats: Handler = (ctx, cmd) => {
  checkFields(cmd, 'collStats', ['collStats', 'scale']);
  const coll = mustExist(ctx, collectionName(cmd, 'collStats'), 'Collection');
  const size = collSize(coll);
  const count = coll.docs.size;
  const indexSizes = Object.fromEntries(coll.indexes.map((i) => [i.name, 0]));
  return {
    ns: coll.ns,
    count,
    size,
    avgObjSize: count ? Math.round(size / count) : 0,
    storageSize: size,
    nindexes: coll.indexes.length,
    totalIndexSize: 0,
    indexSizes,
    capped: false,
    ok: 1,
  };
};

export const dbStats: Handler = (ctx, cmd) => {
  checkFields(cmd, 'dbStats', ['dbStats', 'scale', 'freeStorage']);
  const colls = [...(ctx.store.dbs.get(ctx.dbName)?.collections.values() ?? [])];
  const dataSize = colls.reduce((s, c) => s + collSize(c), 0);
  const objects = colls.reduce((s, c) => s + c.docs.size, 0);
  return {
    db: ctx.dbName,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes: colls.reduce((s, c) => s + c.indexes.length, 0),
    indexSize: 0,
    ok: 1,
  } as Document;
};
