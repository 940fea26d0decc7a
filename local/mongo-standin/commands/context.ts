/** What every command handler gets, plus small argument-checking helpers. */
import type { Document } from 'bson';
import { CommandError, badValue, notImplemented } from '../errors';
import type { CursorRegistry } from '../cursors';
import type { Collection, Database, Store } from '../store';

export interface CommandContext {
  store: Store;
  cursors: CursorRegistry;
  /** Database the command runs against (`$db`). */
  dbName: string;
  connectionId: number;
}

export type Handler = (ctx: CommandContext, cmd: Document) => Document;

/** Fields drivers attach to many commands that carry no meaning for a single in-memory node. */
const HARMLESS = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  'txnNumber',
  'writeConcern',
  'readConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$readPreference',
  'readPreference',
  'bypassDocumentValidation',
  'allowDiskUse',
  'hint',
  'mayBypassWriteBlocking',
  'let',
]);

/** Refuse unknown fields instead of silently ignoring options the stand-in doesn't implement. */
export function checkFields(cmd: Document, where: string, allowed: readonly string[]): void {
  for (const key of Object.keys(cmd)) {
    if (allowed.includes(key) || HARMLESS.has(key)) continue;
    throw new CommandError(40415, `BSON field '${where}.${key}' is an unknown field.`, { codeName: 'Location40415' });
  }
}

/** Only the default "simple" collation behaves the same in mingo, so everything else is refused. */
export function checkCollation(c: unknown): void {
  if (c === undefined || c === null) return;
  if (typeof c === 'object' && (c as Document).locale === 'simple' && Object.keys(c as Document).length === 1) return;
  throw notImplemented(`collation ${JSON.stringify(c)}`);
}

export function collectionName(cmd: Document, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || !name) throw badValue(`collection name has invalid type ${typeof name}`);
  return name;
}

export function db(ctx: CommandContext): Database {
  return ctx.store.db(ctx.dbName);
}

export function existing(ctx: CommandContext, name: string): Collection | undefined {
  return ctx.store.dbs.get(ctx.dbName)?.get(name);
}

export function optionalDoc(v: unknown, what: string): Document | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badValue(`${what} must be an object`);
  return v as Document;
}

export function toInt(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number((v as any)?.valueOf?.());
  if (!Number.isFinite(n)) throw badValue(`${what} must be a number`);
  return Math.trunc(n);
}
