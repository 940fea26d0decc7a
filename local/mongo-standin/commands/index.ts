/** Command dispatch: name → handler, with the cross-cutting refusals applied first. */
import type { Document } from 'bson';
import { CommandError, Codes, notImplemented, translateEngineError } from '../errors';
import * as admin from './admin';
import * as ddl from './ddl';
import { explain } from './explain';
import * as read from './read';
import * as write from './write';
import type { CommandContext, Handler } from './context';

export type { CommandContext } from './context';

const refuse =
  (what: string): Handler =>
  () => {
    throw notImplemented(what);
  };

const HANDLERS: Record<string, Handler> = {
  hello: admin.hello,
  isMaster: admin.hello,
  ismaster: admin.hello,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  hostInfo: admin.hostInfo,
  getParameter: admin.getParameter,
  getCmdLineOpts: admin.getCmdLineOpts,
  serverStatus: admin.serverStatus,
  whatsmyuri: admin.whatsmyuri,
  connectionStatus: admin.connectionStatus,
  endSessions: admin.endSessions,

  insert: write.insert,
  update: write.update,
  delete: write.del,
  findAndModify: write.findAndModify,
  findandmodify: write.findAndModify,
  commitTransaction: write.unsupportedTxn,
  abortTransaction: write.unsupportedTxn,

  find: read.find,
  getMore: read.getMore,
  killCursors: read.killCursors,
  aggregate: read.aggregate,
  count: read.count,
  distinct: read.distinct,

  create: ddl.create,
  drop: ddl.drop,
  dropDatabase: ddl.dropDatabase,
  createIndexes: ddl.createIndexes,
  listIndexes: ddl.listIndexes,
  dropIndexes: ddl.dropIndexes,
  deleteIndexes: ddl.dropIndexes,
  listCollections: ddl.listCollections,
  listDatabases: ddl.listDatabases,
  renameCollection: ddl.renameCollection,
  collStats: ddl.collStats,
  dbStats: ddl.dbStats,

  saslStart: refuse('authentication (omit credentials from the URI)'),
  authenticate: refuse('authentication (omit credentials from the URI)'),
  explain,
  mapReduce: refuse('mapReduce (use aggregate)'),
  collMod: refuse('collMod'),
  bulkWrite: refuse('the bulkWrite command (driver bulkWrite on a collection works)'),
};

/** Run one command to completion. Never async: atomicity relies on it. */
export function runCommand(ctx: CommandContext, cmd: Document): Document {
  const name = Object.keys(cmd)[0];
  try {
    if (!name) throw new CommandError(Codes.FailedToParse, 'empty command object');
    if ('startTransaction' in cmd || 'autocommit' in cmd) {
      throw new CommandError(
        Codes.IllegalOperation,
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError(Codes.CommandNotFound, `no such command: '${name}'`);
    return handler(ctx, cmd);
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    // Engine errors escape from helpers that don't wrap; anything else is a stand-in bug.
    if (err instanceof Error && err.constructor.name === 'MingoError') return translateEngineError(err).toReply();
    const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `mongo-standin internal error in '${name}': ${msg}` };
  }
}
