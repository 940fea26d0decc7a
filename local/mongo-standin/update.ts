/**
 * Update documents: operator updates (via mingo plus our own $setOnInsert
 * and _id rules), replacement documents and pipeline-style updates.
 */
import { CommandError, Codes, badValue, failedToParse } from './errors';
import { applyOperators, applyPipelineUpdate, isEqualValue } from './engine';
import { withIdFirst } from './store';
import { checkArrayFilters, checkOperatorTargets } from './update-checks';
import { canonicalKey, clone, isPlainObject, setPath, type Doc } from './values';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$setOnInsert',
]);
const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateSpec =
  { kind: 'ops'; ops: Doc } | { kind: 'replace'; doc: Doc } | { kind: 'pipeline'; stages: Doc[] };

export function parseUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    for (const stage of u) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_UPDATE_STAGES.has(name)) {
        throw new CommandError(
          Codes.InvalidOptions,
          `${name ?? String(stage)} is not allowed to be used within an update`,
        );
      }
    }
    return { kind: 'pipeline', stages: u };
  }
  if (!isPlainObject(u)) throw failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const dollar = keys.filter((k) => k.startsWith('$'));
  if (dollar.length === 0) return { kind: 'replace', doc: u };
  if (dollar.length !== keys.length) {
    const bad = keys.find((k) => !k.startsWith('$'));
    throw failedToParse(
      `Unknown modifier: ${bad}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  const seen: string[] = [];
  for (const op of dollar) {
    if (!OPERATORS.has(op)) {
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[op])) {
      throw failedToParse(
        `Modifiers operate on fields but we found type ${typeof u[op]} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(u[op])}}`,
      );
    }
    for (const path of Object.keys(u[op])) {
      const targets = op === '$rename' ? [path, String(u[op][path])] : [path];
      for (const t of targets) {
        const clash = seen.find((p) => p === t || p.startsWith(`${t}.`) || t.startsWith(`${p}.`));
        if (clash) throw new CommandError(40, `Updating the path '${t}' would create a conflict at '${clash}'`);
        seen.push(t);
      }
    }
  }
  return { kind: 'ops', ops: u };
}

export interface ApplyContext {
  filter?: Doc;
  arrayFilters?: Doc[];
  variables?: Doc;
  /** True when building a brand new document for an upsert. */
  isInsert: boolean;
}

const touchesId = (path: string) => path === '_id' || path.startsWith('_id.');

/** Returns the new version of `doc` (which is not modified). */
export function applyUpdate(doc: Doc, spec: UpdateSpec, ctx: ApplyContext): Doc {
  const idBefore = doc._id;
  let out: Doc;
  if (spec.kind === 'replace') {
    if ('_id' in spec.doc && idBefore !== undefined && canonicalKey(spec.doc._id) !== canonicalKey(idBefore)) {
      throw immutableId(spec.doc._id);
    }
    out = { _id: idBefore ?? spec.doc._id, ...clone(spec.doc) };
    if (out._id === undefined) delete out._id;
  } else if (spec.kind === 'pipeline') {
    out = applyPipelineUpdate(clone(doc), spec.stages, ctx.variables);
  } else {
    out = clone(doc);
    const ops: Doc = {};
    for (const [op, fields] of Object.entries(spec.ops)) {
      if (op === '$setOnInsert' && !ctx.isInsert) continue;
      const target = op === '$setOnInsert' ? '$set' : op;
      const kept: Doc = { ...(ops[target] ?? {}) };
      for (const [path, value] of Object.entries(fields as Doc)) {
        if (!touchesId(path)) {
          kept[path] = value;
          continue;
        }
        // mingo refuses any operator on _id, so the legal cases are handled here:
        // setting it to its current value, or choosing it while inserting.
        if ((op === '$set' || op === '$setOnInsert') && path === '_id') {
          if (out._id === undefined && ctx.isInsert) out._id = clone(value);
          else if (canonicalKey(out._id) !== canonicalKey(value)) throw immutableId(value);
          continue;
        }
        throw new CommandError(
          Codes.ImmutableField,
          `Performing an update on the path '${path}' would modify the immutable field '_id'`,
        );
      }
      if (Object.keys(kept).length) ops[target] = kept;
    }
    checkArrayFilters(spec.ops, ctx.arrayFilters);
    if (Object.keys(ops).length) {
      checkOperatorTargets(out, ops);
      // The filter only resolves the positional `$` operator; without one, mingo need not compile it per document.
      const positional = Object.values(ops).some((fields) => Object.keys(fields as Doc).some(usesPositional));
      if (positional || ctx.arrayFilters?.length || !applySimple(out, ops))
        applyOperators(out, ops, ctx.arrayFilters, ctx.isInsert || !positional ? undefined : ctx.filter);
    }
  }
  if (idBefore !== undefined && (out._id === undefined || canonicalKey(out._id) !== canonicalKey(idBefore))) {
    throw immutableId(out._id);
  }
  return withIdFirst(out);
}

function immutableId(v: unknown): CommandError {
  return new CommandError(
    Codes.ImmutableField,
    `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${String(v)}`,
  );
}

/**
 * The document an upsert starts from: the equality conditions of the filter
 * (top level and inside $and), as the server does.
 */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const collect = (f: Doc) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((sub) => isPlainObject(sub) && collect(sub));
      if (k.startsWith('$')) continue;
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, clone(v.$eq));
        else if (Array.isArray(v.$in) && v.$in.length === 1 && Object.keys(v).length === 1)
          setPath(seed, k, clone(v.$in[0]));
        continue;
      }
      if (v instanceof RegExp) continue;
      setPath(seed, k, clone(v));
    }
  };
  if (filter) collect(filter);
  return seed;
}

/** Build the document inserted by an upsert (generating _id when the filter doesn't fix one). */
export function buildUpsert(filter: Doc | undefined, spec: UpdateSpec, ctx: Omit<ApplyContext, 'isInsert'>): Doc {
  const seed = upsertSeed(filter);
  let doc: Doc;
  if (spec.kind === 'replace') {
    if ('_id' in spec.doc && '_id' in seed && canonicalKey(spec.doc._id) !== canonicalKey(seed._id))
      throw immutableId(spec.doc._id);
    doc = { ...(seed._id !== undefined ? { _id: seed._id } : {}), ...clone(spec.doc) };
  } else {
    doc = applyUpdate(seed, spec, { ...ctx, isInsert: true });
  }
  if (Array.isArray(doc._id)) throw badValue("The '_id' value cannot be of type array");
  return withIdFirst(doc);
}

const SIMPLE_OPS = new Set(['$set', '$unset', '$inc']);

/**
 * `$set`, `$unset` and `$inc` on plain paths (every step an object or missing, no array on the way, no positional
 * or numeric step) applied directly, exactly as mingo's operators do them (same order: operators, then fields, as
 * written; `$set` clones the value and leaves an equal one alone, `$inc` does `(x || 0) + n`, `$unset` deletes an
 * own field). Setting up mingo's updater costs ~100 µs per document (it rebuilds its operator tables per call),
 * which dominated bulk updates. Returns false, having changed nothing, when the update needs mingo.
 */
function applySimple(doc: Doc, ops: Doc): boolean {
  const steps: Array<[string, string[], unknown]> = [];
  for (const [op, fields] of Object.entries(ops)) {
    if (!SIMPLE_OPS.has(op)) return false;
    for (const [path, value] of Object.entries(fields as Doc)) {
      const parts = path.split('.');
      if (parts.some((p) => p === '' || p in Object.prototype || /^\d+$/.test(p) || p.startsWith('$'))) return false;
      let cur: unknown = doc;
      for (let i = 0; i < parts.length - 1 && cur !== undefined; i++) {
        if (!isPlainObject(cur)) return false;
        cur = Object.prototype.hasOwnProperty.call(cur, parts[i]) ? cur[parts[i]] : undefined;
      }
      if (cur !== undefined && !isPlainObject(cur)) return false;
      if (op === '$inc') {
        if (typeof value !== 'number' || Number.isNaN(value)) return false;
        const leaf = cur === undefined ? undefined : (cur as Doc)[parts[parts.length - 1]];
        if (leaf !== undefined && (typeof leaf !== 'number' || Number.isNaN(leaf))) return false;
      }
      steps.push([op, parts, value]);
    }
  }
  for (const [op, parts, value] of steps) {
    let o: Doc | undefined = doc;
    for (let i = 0; i < parts.length - 1 && o; i++) {
      if (!Object.prototype.hasOwnProperty.call(o, parts[i]) || o[parts[i]] === undefined) {
        if (op === '$unset') o = undefined;
        else o = o[parts[i]] = {};
      } else o = o[parts[i]];
    }
    if (!o || !isPlainObject(o)) continue;
    const k = parts[parts.length - 1];
    if (op === '$set') {
      if (!isEqualValue(o[k], value)) o[k] = clone(value);
    } else if (op === '$inc') o[k] = ((o[k] as number) || 0) + (value as number);
    else if (Object.prototype.hasOwnProperty.call(o, k)) delete o[k];
  }
  return true;
}

/** Whether an update path uses the positional `$` (`a.$.b`, `a.$`), which needs the query to pick the element. */
function usesPositional(path: string): boolean {
  return path.split('.').includes('$');
}
