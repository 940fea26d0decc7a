/**
 * Checks the server performs before applying update operators, which mingo
 * skips by silently leaving the document unchanged (e.g. `$inc` on a string,
 * `$set: {'a.b': 1}` when `a` is a number). Without them a write that fails
 * on real MongoDB would "succeed" here with nothing written.
 *
 * Paths with positional segments ($, $[], $[id]) are only checked for their
 * array filters; their targets are resolved inside mingo.
 */
import { CommandError, Codes, badValue, failedToParse } from './errors';
import { bsonTypeAliases, isPlainObject, type Doc } from './values';

const NUMERIC_TARGET = new Set(['$inc', '$mul']);
const ARRAY_TARGET = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);
const CREATES_PATH = new Set([
  '$set',
  '$setOnInsert',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$currentDate',
]);

const isNumeric = (v: unknown) => typeof v === 'number' || bsonTypeAliases(v).includes('number');
const typeName = (v: unknown) => bsonTypeAliases(v)[0];
const isPositional = (seg: string) => seg === '$' || seg.startsWith('$[');

/** `$[id]` identifiers must each have exactly one array filter, and every filter must be used. */
export function checkArrayFilters(ops: Doc, arrayFilters: Doc[] | undefined): void {
  const used = new Set<string>();
  for (const fields of Object.values(ops)) {
    for (const path of Object.keys(fields as Doc)) {
      for (const m of path.matchAll(/\$\[([^\]]+)\]/g)) used.add(m[1]);
    }
  }
  const declared = new Set<string>();
  for (const f of arrayFilters ?? []) {
    if (!isPlainObject(f) || Object.keys(f).length === 0)
      throw failedToParse('Cannot use an expression without a top-level field name in arrayFilters');
    const id = Object.keys(f)[0].split('.')[0];
    declared.add(id);
  }
  for (const id of used) {
    if (!declared.has(id)) throw badValue(`No array filter found for identifier '${id}'`);
  }
  for (const id of declared) {
    if (!used.has(id))
      throw failedToParse(`The array filter for identifier '${id}' was not used in the update ${JSON.stringify(ops)}`);
  }
}

/** Walk a non-positional path; returns the current value at its end (undefined if it would be created). */
function resolveForWrite(doc: Doc, path: string, creates: boolean): unknown {
  const parts = path.split('.');
  let cur: any = doc;
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i];
    const container = Array.isArray(cur) || isPlainObject(cur);
    if (!container) {
      if (cur === undefined) return undefined;
      if (!creates) return undefined;
      const parent = parts.slice(0, i).join('.');
      throw new CommandError(28, `Cannot create field '${seg}' in element {${parent}: ${JSON.stringify(cur)}}`, {
        codeName: 'PathNotViable',
      });
    }
    if (Array.isArray(cur) && !/^\d+$/.test(seg)) {
      if (!creates) return undefined;
      throw new CommandError(28, `Cannot create field '${seg}' in element {${parts.slice(0, i).join('.')}: [...]}`, {
        codeName: 'PathNotViable',
      });
    }
    cur = cur[seg];
  }
  return cur;
}

export function checkOperatorTargets(doc: Doc, ops: Doc): void {
  for (const [op, fields] of Object.entries(ops)) {
    for (const [path, arg] of Object.entries(fields as Doc)) {
      if (NUMERIC_TARGET.has(op) && !isNumeric(arg)) {
        throw new CommandError(
          Codes.TypeMismatch,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`,
        );
      }
      if (path.split('.').some(isPositional)) continue;
      const current = resolveForWrite(doc, path, CREATES_PATH.has(op));
      if (current === undefined) continue;
      if (NUMERIC_TARGET.has(op) && !isNumeric(current)) {
        throw new CommandError(
          Codes.TypeMismatch,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path.split('.').pop()}' of non-numeric type ${typeName(current)}`,
        );
      }
      if (ARRAY_TARGET.has(op) && !Array.isArray(current)) {
        const what =
          op === '$pull' || op === '$pullAll' || op === '$pop'
            ? `Cannot apply ${op} to a non-array value`
            : `The field '${path}' must be an array but is of type ${typeName(current)} in document {_id: ${JSON.stringify(doc._id)}}`;
        throw new CommandError(
          op === '$pop' || op === '$pull' || op === '$pullAll' ? Codes.BadValue : Codes.TypeMismatch,
          what,
        );
      }
    }
  }
}
