/**
 * Server-side errors. Every failure a command can raise is a CommandError so
 * the dispatcher can turn it into the exact `{ok: 0, code, codeName, errmsg}`
 * shape the driver maps onto MongoServerError.
 */
import type { Document } from 'bson';
import { formatKeyValue } from './values';

export const Codes = {
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  InvalidPipelineOperator: 168,
  NotImplemented: 238,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  UnrecognizedPipelineStage: 40324,
} as const;

const codeNames: Record<number, string> = Object.fromEntries(Object.entries(Codes).map(([name, code]) => [code, name]));
// 40324 is a "Location" code in the real server; the driver only looks at the number.
codeNames[40324] = 'Location40324';
codeNames[17420] = 'Location17420';

export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Extra top-level fields for the error reply (keyPattern, keyValue, ...). */
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  get codeName(): string {
    return codeNames[this.code] ?? 'UnknownError';
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** Shape used inside `writeErrors` arrays of insert/update/delete replies. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string) => new CommandError(Codes.BadValue, msg);
export const failedToParse = (msg: string) => new CommandError(Codes.FailedToParse, msg);

/** A feature real MongoDB has but the stand-in deliberately refuses rather than faking. */
export const notImplemented = (what: string) =>
  new CommandError(Codes.NotImplemented, `mongo-standin does not support ${what}`);

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Document, keyValue: Document) {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatKeyValue(v)}`)
    .join(', ');
  return new CommandError(
    Codes.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

/**
 * mingo throws plain errors for malformed queries and unknown operators. Map
 * the common ones onto the codes the real server uses so callers can test
 * for them; anything else still surfaces (as BadValue) with mingo's message,
 * which always names the offending operator.
 */
export function translateEngineError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  let m = /unregistered pipeline operator (\$\w+)/.exec(msg);
  if (m) return new CommandError(Codes.UnrecognizedPipelineStage, `Unrecognized pipeline stage name: '${m[1]}'`);
  m = /unknown query operator (\$\w+)/i.exec(msg);
  if (m) return badValue(`unknown operator: ${m[1]}`);
  m = /unknown top level operator:? (\$\w+)/i.exec(msg);
  if (m) return badValue(`unknown top level operator: ${m[1]}`);
  m = /(?:accumulator|expression|operator) '?(\$\w+)'? is not registered/i.exec(msg);
  if (m) return new CommandError(Codes.InvalidPipelineOperator, `Unrecognized expression '${m[1]}'`);
  if (/immutable field '_id'/.test(msg)) return new CommandError(Codes.ImmutableField, msg);
  return badValue(msg);
}

/** MongoDB's largest user document (BSONObjMaxUserSize): 16 MiB. */
export const MAX_USER_DOC_BYTES = 16 * 1024 * 1024;
/** The largest BSON object the server parses at all (BSONObjMaxInternalSize: 16 MiB + 16 KiB). */
export const MAX_INTERNAL_DOC_BYTES = MAX_USER_DOC_BYTES + 16 * 1024;

/** Which write produced an oversized document: MongoDB 7 words (and numbers) each case differently. */
export type DocumentOrigin = 'insert' | 'update' | 'upsert';

export function documentTooLarge(origin: DocumentOrigin, size: number): CommandError {
  switch (origin) {
    case 'insert':
      return badValue(`object to insert too large. size in bytes: ${size}, max size: ${MAX_USER_DOC_BYTES}`);
    case 'update':
      return new CommandError(
        Codes.BSONObjectTooLarge,
        `Resulting document after update is larger than ${MAX_USER_DOC_BYTES}`,
      );
    case 'upsert':
      return new CommandError(17420, `Document to upsert is larger than ${MAX_USER_DOC_BYTES}`);
  }
}
