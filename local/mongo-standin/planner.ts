/**
 * The query planner: picks an index for a filter (+ sort), scans its ordered
 * keys for the candidate documents, and reports the plan the way MongoDB's
 * `explain` does. The full filter is always applied afterwards by the engine
 * (mingo) to the candidates, which are handed over in natural (insertion)
 * order, so an indexed answer is exactly the answer a scan would give.
 *
 * Rules (README "Query planner"):
 * - A candidate index has its first key bounded by an equality, `$in`, range
 *   (`$gt/$gte/$lt/$lte`, combined) or `$exists: false`/`null` predicate, or
 *   serves the sort (its keys, after a prefix of single-value equalities, are
 *   the sort's leading fields in the same or the reverse direction).
 * - A sparse index is a candidate only when a bounded key excludes null (it
 *   cannot answer `{x: null}` or `$exists: false`); a partial index only when
 *   the query implies its `partialFilterExpression`.
 * - Choice: most equality-bounded leading keys, then a range on the next key,
 *   then serving the sort, then the fewest keys inside the bounds, then the
 *   index declared first.
 * - `$regex`: an anchored case-sensitive one bounds its prefix, any other all
 *   string keys; the regex filters the keys before any document is read.
 * - `$or` (top level or inside `$and`): when every branch has a candidate
 *   bounded by its own conditions, the branches' scans are united (OR) if the
 *   single-index alternative would read the whole collection or holds more keys.
 * - A count whose filter the chosen bounds answer exactly counts index entries
 *   (COUNT_SCAN, `countFromIndex`).
 * - A multikey key never serves a sort and uses one side of a two-sided range
 *   (`{a: {$gt: 1, $lt: 5}}` matches `a: [0, 10]`).
 */
import { pickPaths, type PathTree } from './bson-fields';
import type { Collection } from './store';
import type { IndexSpec, IndexState } from './indexes';
import { compileFilter, type Predicate } from './engine';
import { Bound, cmpValue, valueType, type OrderedIndex } from './index-data';
import { canonicalKey, isPlainObject, valuesAtPath, type Doc } from './values';

// ---------------------------------------------------------------------------
// Filter analysis

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);

type Cond =
  | { kind: 'eq'; values: unknown[] }
  | { kind: 'prefix'; value: string; re: RegExp }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'notnull' }
  | { kind: 'range'; op: string; value: unknown }
  | { kind: 'exists'; value: boolean };

export interface Analysis {
  /** Bounding conditions per field, from top-level fields and `$and` clauses. */
  fields: Map<string, Cond[]>;
  /** `$or` clauses (each a list of branch analyses). */
  ors: Analysis[][];
}

/** Values an index bound can hold exactly as the engine compares them. */
function indexable(v: unknown, allowNull: boolean): boolean {
  if (v === null) return allowNull;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
  }
  if (v instanceof Date) return !Number.isNaN(v.getTime());
  return valueType(v) === 'objectid';
}

export function analyze(filter: Doc | undefined): Analysis {
  const out: Analysis = { fields: new Map(), ors: [] };
  if (filter) collect(filter, out);
  return out;
}

function collect(filter: Doc, out: Analysis): void {
  if (!isPlainObject(filter)) return;
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const clause of v) collect(clause, out);
      continue;
    }
    if (k === '$or' && Array.isArray(v) && v.length > 0) {
      out.ors.push(v.map((b) => analyze(isPlainObject(b) ? b : {})));
      continue;
    }
    if (k.startsWith('$')) continue;
    if (/(^|\.)\d+(\.|$)/.test(k)) continue; // positional paths: the engine and an index disagree
    const conds = fieldConds(v);
    if (conds.length) out.fields.set(k, [...(out.fields.get(k) ?? []), ...conds]);
  }
}

function fieldConds(v: unknown): Cond[] {
  if (isPlainObject(v) && Object.keys(v).some((op) => op.startsWith('$'))) {
    const conds: Cond[] = [];
    for (const [op, arg] of Object.entries(v)) {
      if (op === '$eq' && indexable(arg, true)) conds.push({ kind: 'eq', values: [arg] });
      else if (op === '$in' && Array.isArray(arg) && arg.every((x) => indexable(x, true)))
        conds.push({ kind: 'eq', values: arg });
      else if (RANGE_OPS.has(op) && indexable(arg, false)) conds.push({ kind: 'range', op, value: arg });
      else if (op === '$exists') conds.push({ kind: 'exists', value: !!arg });
      else if (op === '$ne' && arg === null) conds.push({ kind: 'notnull' });
      else if (op === '$regex') {
        const c = regexCond(arg, v.$options);
        if (c) conds.push(c);
      }
    }
    return conds;
  }
  if (v instanceof RegExp || valueType(v) === 'bsonregexp') {
    const c = regexCond(v, undefined);
    return c ? [c] : [];
  }
  return indexable(v, true) ? [{ kind: 'eq', values: [v] }] : [];
}

/**
 * A `$regex` bounds the string keys: an anchored case-sensitive one the range of its literal prefix, any other the
 * whole string bracket (MongoDB's `["", {})`). Either way the regex itself filters the keys, so only the documents
 * holding a matching key are read. The key filter is the RegExp the engine builds (mingo: `new RegExp($regex,
 * $options)`, a bare regex as is) and mingo matches a regex against strings only, so a document the engine matches
 * always has a key the filter passes. Flags that make matching stateful (g, y) or a pattern JavaScript cannot
 * compile leave the field unbounded.
 */
function regexCond(re: unknown, options: unknown): Cond | undefined {
  const filter = keyRegex(re, options);
  if (!filter) return undefined;
  const p = regexPrefix(re, options);
  return p ? { kind: 'prefix', value: p, re: filter } : { kind: 'regex', re: filter };
}

function keyRegex(re: unknown, options: unknown): RegExp | undefined {
  let out: RegExp;
  try {
    if (re instanceof RegExp) out = typeof options === 'string' ? new RegExp(re, options) : re;
    else if (typeof re === 'string') out = new RegExp(re, typeof options === 'string' ? options : undefined);
    else if (re && typeof re === 'object' && typeof (re as Doc).pattern === 'string') {
      // A BSON regular expression (BSONRegExp: what a filter decoded from BSON or Extended JSON holds).
      const flags = `${(re as Doc).options ?? ''}${typeof options === 'string' ? options : ''}`;
      if (/[^imsu]/.test(flags)) return undefined;
      out = new RegExp((re as Doc).pattern as string, [...new Set(flags)].join(''));
    } else return undefined;
  } catch {
    return undefined;
  }
  return out.global || out.sticky ? undefined : out;
}

/** The literal prefix of an anchored, case-sensitive regex (`^abc...`), which bounds a string range. */
function regexPrefix(re: unknown, options: unknown): string | undefined {
  let source: string;
  let flags = typeof options === 'string' ? options : '';
  if (re instanceof RegExp) {
    source = re.source;
    flags += re.flags;
  } else if (typeof re === 'string') source = re;
  else if (re && typeof re === 'object' && typeof (re as Doc).pattern === 'string') {
    source = (re as Doc).pattern;
    flags += (re as Doc).options ?? '';
  } else return undefined;
  if (/[imx]/.test(flags) || !source.startsWith('^')) return undefined;
  const m = /^\^([^\\.*+?()[\]{}|^$]*)/.exec(source);
  const prefix = m?.[1] ?? '';
  // A quantifier right after the literal part makes its last character optional.
  const next = source.charAt(1 + prefix.length);
  const usable = next === '*' || next === '?' || next === '{' ? prefix.slice(0, -1) : prefix;
  return usable.length && usable.charCodeAt(usable.length - 1) < 0xffff ? usable : undefined;
}

// ---------------------------------------------------------------------------
// Bounds

export interface Interval {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
  /** A `$regex` the keys must also match (string keys only). */
  filter?: RegExp;
}

const point = (v: unknown): Interval => ({ lo: v, loInc: true, hi: v, hiInc: true });
const isPoint = (i: Interval) => i.loInc && i.hiInc && !(i.lo instanceof Bound) && cmpValue(i.lo, i.hi) === 0;

function inInterval(v: unknown, i: Interval): boolean {
  if (i.filter && (typeof v !== 'string' || !i.filter.test(v))) return false;
  const lo = cmpValue(v, i.lo);
  if (lo < 0 || (lo === 0 && !i.loInc)) return false;
  const hi = cmpValue(v, i.hi);
  return !(hi > 0 || (hi === 0 && !i.hiInc));
}

/** Intervals for one field, or undefined when the predicates do not bound it. */
function fieldBounds(conds: Cond[] | undefined, multikey: boolean): Interval[] | undefined {
  if (!conds) return undefined;
  const eq = conds.find((c) => c.kind === 'eq');
  if (eq && eq.kind === 'eq') {
    const vals = [...eq.values].sort(cmpValue).filter((v, i, a) => i === 0 || cmpValue(a[i - 1], v) !== 0);
    return vals.map(point);
  }
  const ranges = conds.filter((c): c is Extract<Cond, { kind: 'range' }> => c.kind === 'range');
  if (ranges.length) {
    const first = ranges[0];
    const type = valueType(first.value);
    const iv: Interval = { lo: Bound.typeMin(type), loInc: true, hi: Bound.typeMax(type), hiInc: true };
    for (const r of multikey ? [first] : ranges.filter((r) => valueType(r.value) === type)) {
      if (r.op === '$gt' || r.op === '$gte') {
        const c = iv.lo instanceof Bound ? 1 : cmpValue(r.value, iv.lo);
        if (c > 0 || (c === 0 && r.op === '$gt')) [iv.lo, iv.loInc] = [r.value, r.op === '$gte'];
      } else {
        const c = iv.hi instanceof Bound ? -1 : cmpValue(r.value, iv.hi);
        if (c < 0 || (c === 0 && r.op === '$lt')) [iv.hi, iv.hiInc] = [r.value, r.op === '$lte'];
      }
    }
    const c = cmpValue(iv.lo, iv.hi);
    if (c > 0 || (c === 0 && !(iv.loInc && iv.hiInc))) return []; // empty range
    return [iv];
  }
  const prefix = conds.find((c) => c.kind === 'prefix');
  if (prefix && prefix.kind === 'prefix') {
    const p = prefix.value;
    const after = p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);
    return [{ lo: p, loInc: true, hi: after, hiInc: false, filter: prefix.re }];
  }
  const regex = conds.find((c) => c.kind === 'regex');
  if (regex && regex.kind === 'regex')
    return [{ lo: Bound.typeMin('string'), loInc: true, hi: Bound.typeMax('string'), hiInc: true, filter: regex.re }];
  if (conds.some((c) => c.kind === 'exists' && !c.value)) return [point(null)];
  // `$ne: null`: every key but null (MongoDB's [MinKey, null) U (null, MaxKey]).
  if (conds.some((c) => c.kind === 'notnull'))
    return [
      { lo: Bound.MIN, loInc: true, hi: null, hiInc: false },
      { lo: null, loInc: false, hi: Bound.MAX, hiInc: true },
    ];
  return undefined;
}

const boundsHaveNull = (b: Interval[]) => b.some((i) => inInterval(null, i));

// ---------------------------------------------------------------------------
// Partial filter implication

/** Whether every document matching the query's conditions matches `pfe` (conservative: false when unsure). */
export function impliesPartial(a: Analysis, pfe: Doc): boolean {
  for (const [k, v] of Object.entries(pfe)) {
    if (k === '$and' && Array.isArray(v)) {
      if (!v.every((c) => isPlainObject(c) && impliesPartial(a, c))) return false;
      continue;
    }
    if (k.startsWith('$')) return false;
    const conds = a.fields.get(k) ?? [];
    const check = compileFilter({ [k]: v });
    const required = isPlainObject(v) && Object.keys(v).some((o) => o.startsWith('$')) ? v : { $eq: v };
    const ok = Object.entries(required).every(([op, arg]) => condImplies(conds, k, op, arg, check));
    if (!ok) return false;
  }
  return true;
}

function condImplies(conds: Cond[], field: string, op: string, arg: unknown, check: Predicate): boolean {
  // Equality values: all of them must pass the filter.
  const eq = conds.find((c) => c.kind === 'eq');
  if (eq && eq.kind === 'eq')
    return eq.values.every((x) => x !== null && compileFilter({ [field]: { [op]: arg } })(nest(field, x)));
  void check;
  if (op === '$exists' && arg) return conds.some((c) => c.kind === 'range');
  if (!RANGE_OPS.has(op)) return false;
  return conds.some((c) => {
    if (c.kind !== 'range' || valueType(c.value) !== valueType(arg)) return false;
    const cmp = cmpValue(c.value, arg);
    if (op === '$gt') return (c.op === '$gt' && cmp >= 0) || (c.op === '$gte' && cmp > 0);
    if (op === '$gte') return (c.op === '$gt' || c.op === '$gte') && cmp >= 0;
    if (op === '$lt') return (c.op === '$lt' && cmp <= 0) || (c.op === '$lte' && cmp < 0);
    return (c.op === '$lt' || c.op === '$lte') && cmp <= 0;
  });
}

function nest(path: string, v: unknown): Doc {
  const parts = path.split('.');
  let out: any = v;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out;
}

// ---------------------------------------------------------------------------
// Candidates and choice

/** What the planner needs to know about an index: its spec, and (at run time) its data. */
export interface PlannableIndex {
  spec: IndexSpec;
  ordered?: OrderedIndex;
  state?: IndexState;
}

export interface IndexChoice {
  index: PlannableIndex;
  fields: string[];
  dirs: number[];
  bounds: (Interval[] | undefined)[];
  /** Leading keys bounded by equality (single values or `$in`). */
  eqPrefix: number;
  /** The key after them has a range. */
  range: boolean;
  /** Index position where the sort's leading fields start, and how many match (0: sort not served). */
  sortAt: number;
  sortMatch: number;
  /** Walk the index forward (true) or backward to produce the sort order. */
  forward: boolean;
  keysInBounds?: number;
  /** A choice with a key filter ($regex): the entries it passes, found while counting them (reused by the scan). */
  filtered?: { examined: number; slots: number[]; seqs: number[] };
}

const orderable = (spec: IndexSpec) => Object.values(spec.key).every((d) => d === 1 || d === -1);

function sortFields(sort: Doc | undefined): Array<[string, number]> {
  if (!sort) return [];
  const out: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(sort)) {
    if (k === '$natural' || (v !== 1 && v !== -1)) return [];
    out.push([k, v]);
  }
  return out;
}

/** The candidate plan an index offers for a query, or undefined when the planner may not use it. */
export function candidateFor(ix: PlannableIndex, a: Analysis, sort: Doc | undefined): IndexChoice | undefined {
  const spec = ix.spec;
  if (!orderable(spec) || spec.collation || spec.hidden) return undefined;
  const o = ix.ordered;
  if (o && o.unsafeKeys > 0) return undefined;
  const fields = Object.keys(spec.key);
  if (fields.some((f) => /(^|\.)\d+(\.|$)/.test(f))) return undefined;
  const dirs = fields.map((f) => (spec.key[f] === -1 ? -1 : 1));
  const bounds = fields.map((f, i) => fieldBounds(a.fields.get(f), !!o && o.multikeyDocs[i] > 0));

  if (spec.sparse) {
    if (fields.some((f) => a.fields.get(f)?.some((c) => c.kind === 'exists' && !c.value))) return undefined;
    if (!bounds.some((b) => b && !boundsHaveNull(b))) return undefined;
  }
  if (spec.partialFilterExpression && !impliesPartial(a, spec.partialFilterExpression)) return undefined;

  let eqPrefix = 0;
  while (eqPrefix < fields.length && bounds[eqPrefix]?.length && bounds[eqPrefix]!.every(isPoint)) eqPrefix++;
  let single = 0;
  while (single < eqPrefix && bounds[single]!.length === 1) single++;
  const range = eqPrefix < fields.length && !!bounds[eqPrefix];

  // Sort: the sort's fields must follow a prefix of single-value equalities.
  const sf = sortFields(sort);
  let sortAt = 0;
  let sortMatch = 0;
  let forward = true;
  for (let at = 0; at <= single && sf.length; at++) {
    const sign = sf[0][1] * dirs[at];
    let m = 0;
    while (
      m < sf.length &&
      at + m < fields.length &&
      fields[at + m] === sf[m][0] &&
      sf[m][1] * dirs[at + m] === sign &&
      !(o && o.multikeyDocs[at + m] > 0)
    )
      m++;
    // Bounds after the sort's start must not reorder the walk: only the key at `at` may hold several intervals.
    if (m > sortMatch) [sortAt, sortMatch, forward] = [at, m, sign === 1];
  }
  if (!bounds[0] && sortMatch === 0) return undefined;
  // A non-single bound before the sort's fields would interleave; then the sort is not served.
  if (sortMatch && bounds.slice(0, sortAt).some((b) => !b || b.length !== 1)) sortMatch = 0;
  if (!bounds[0] && sortMatch === 0) return undefined;
  return { index: ix, fields, dirs, bounds, eqPrefix, range, sortAt, sortMatch, forward };
}

const score = (c: IndexChoice) => [c.eqPrefix, c.range ? 1 : 0, c.sortMatch > 0 ? 1 : 0];

/** An index that does not serve the sort beats one that does when it holds at most this share of its keys. */
const UNSORTED_SHARE = 0.1;

/**
 * Whether `a` is the better candidate. With both key counts known (from the data), fewer keys in the bounds wins,
 * as MongoDB's trial runs favour the plan that examines the fewest keys per result: a selective index is not
 * passed over for one whose leading equality holds nearly every document (`erasedAt: null`). Serving the sort
 * outweighs that unless the other index holds under a tenth of its keys (a blocking sort of a few is cheap).
 * Otherwise (no data yet, or a tie): the static score, then the key count.
 */
function better(a: IndexChoice, b: IndexChoice): boolean {
  const ka = a.keysInBounds;
  const kb = b.keysInBounds;
  if (ka !== undefined && kb !== undefined && ka !== kb) {
    const sa = a.sortMatch > 0;
    const sb = b.sortMatch > 0;
    if (sa === sb) return ka < kb;
    return sa ? kb > ka * UNSORTED_SHARE : ka <= kb * UNSORTED_SHARE;
  }
  const sa = score(a);
  const sb = score(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] > sb[i];
  if (a.keysInBounds !== undefined && b.keysInBounds !== undefined && a.keysInBounds !== b.keysInBounds)
    return a.keysInBounds < b.keysInBounds;
  return false;
}

export type Plan =
  { kind: 'COLLSCAN' } | { kind: 'IXSCAN'; choice: IndexChoice } | { kind: 'OR'; branches: IndexChoice[] };

/** Choose a plan among `indexes` (declared order) for a filter and sort. Pure: no data needed. */
export function choosePlan(indexes: PlannableIndex[], filter: Doc | undefined, sort: Doc | undefined): Plan {
  const a = analyze(filter);
  const best = bestChoice(indexes, a, sort);
  const or = orPlan(indexes, a);
  const docs = indexes.find((i) => i.spec.name === '_id_')?.ordered?.size;
  if (or && (!best || orWins(or, best, docs))) return { kind: 'OR', branches: or };
  return best ? { kind: 'IXSCAN', choice: best } : { kind: 'COLLSCAN' };
}

/**
 * The first `$or` whose branches all have a candidate: an index bounded by a condition of the branch itself (as in
 * MongoDB, each clause is planned on its own predicates); the conditions around the `$or` may tighten its bounds.
 */
function orPlan(indexes: PlannableIndex[], a: Analysis): IndexChoice[] | undefined {
  for (const branches of a.ors) {
    const chosen: IndexChoice[] = [];
    for (const b of branches) {
      const merged: Analysis = { fields: new Map(a.fields), ors: [] };
      for (const [f, c] of b.fields) merged.fields.set(f, [...c, ...(merged.fields.get(f) ?? [])]);
      const c = bestChoice(indexes, merged, undefined, b.fields);
      if (!c) break;
      chosen.push(c);
    }
    if (chosen.length === branches.length) return chosen;
  }
  return undefined;
}

/**
 * OR beats a single index whose bounds hold every document of the collection (it would read them all; e.g. the
 * `{erasedAt: null, mergedInto: null}` around the console search's `$or`), and otherwise when its branches hold
 * fewer keys (known at run time; a branch with a `$regex` counts the keys it passes); on a tie or without data, when
 * every branch uses another index than the single one and none scores lower.
 */
function orWins(or: IndexChoice[], best: IndexChoice, docs: number | undefined): boolean {
  if (docs !== undefined && best.keysInBounds !== undefined && best.keysInBounds >= docs) return true;
  if (best.keysInBounds !== undefined && or.every((c) => c.keysInBounds !== undefined)) {
    const keys = or.reduce((n, c) => n + c.keysInBounds!, 0);
    if (keys !== best.keysInBounds) return keys < best.keysInBounds;
  }
  return or.every((c) => c.index.spec.name !== best.index.spec.name && !better(best, c));
}

/** `own`: an `$or` branch's conditions, one of which must bound a leading key of the index. */
function bestChoice(
  indexes: PlannableIndex[],
  a: Analysis,
  sort: Doc | undefined,
  own?: Map<string, Cond[]>,
): IndexChoice | undefined {
  let best: IndexChoice | undefined;
  for (const ix of indexes) {
    const c = candidateFor(ix, a, sort);
    if (!c) continue;
    if (own && !c.fields.slice(0, c.eqPrefix + (c.range ? 1 : 0)).some((f) => own.has(f))) continue;
    if (c.index.ordered && c.bounds[0]) c.keysInBounds = countKeys(c);
    if (!best || better(c, best)) best = c;
  }
  return best;
}

// ---------------------------------------------------------------------------
// Execution

const MAX_COMBOS = 1000;

/** [start, end] key probes in index order covering the choice's bounds. */
function probes(c: IndexChoice): Array<[unknown[], unknown[]]> {
  const n = c.fields.length;
  const low = (i: number, iv?: Interval) =>
    iv ? (c.dirs[i] === 1 ? iv.lo : iv.hi) : c.dirs[i] === 1 ? Bound.MIN : Bound.MAX;
  const high = (i: number, iv?: Interval) =>
    iv ? (c.dirs[i] === 1 ? iv.hi : iv.lo) : c.dirs[i] === 1 ? Bound.MAX : Bound.MIN;
  const inOrder = (i: number) => {
    const ivs = [...(c.bounds[i] ?? [])];
    return c.dirs[i] === 1 ? ivs : ivs.reverse();
  };
  let combos: unknown[][] = [[]];
  let i = 0;
  for (; i < c.eqPrefix; i++) {
    const vals = inOrder(i).map((iv) => iv.lo);
    if (combos.length * vals.length > MAX_COMBOS) break;
    combos = combos.flatMap((p) => vals.map((v) => [...p, v]));
  }
  const next = i < n && c.bounds[i] ? inOrder(i) : [undefined];
  const out: Array<[unknown[], unknown[]]> = [];
  for (const p of combos) {
    for (const iv of next) {
      const start = [...p];
      const end = [...p];
      if (i < n) {
        start.push(low(i, iv));
        end.push(high(i, iv));
      }
      for (let j = i + 1; j < n; j++) {
        start.push(low(j));
        end.push(high(j));
      }
      out.push([start, end]);
    }
  }
  return out;
}

const hasFilter = (c: IndexChoice) => c.bounds.some((b) => b?.some((iv) => iv.filter));

function countKeys(c: IndexChoice): number {
  if (hasFilter(c)) {
    // The keys a regex passes are only known by testing them: walk the bounds once and keep what passed.
    let examined = 0;
    const slots: number[] = [];
    const seqs: number[] = [];
    for (const [s, e] of probes(c))
      for (const en of c.index.ordered!.range(s, e, true)) {
        examined++;
        if (withinBounds(c, en.k)) {
          slots.push(en.slot);
          seqs.push(en.s);
        }
      }
    c.filtered = { examined, slots, seqs };
    return slots.length;
  }
  let n = 0;
  for (const [s, e] of probes(c)) n += c.index.ordered!.countBetween(s, e);
  return n;
}

function withinBounds(c: IndexChoice, k: unknown[]): boolean {
  for (let i = 0; i < k.length; i++) {
    const b = c.bounds[i];
    if (b && !b.some((iv) => inInterval(k[i], iv))) return false;
  }
  return true;
}

export interface ExecStats {
  keysExamined: number;
  docsExamined: number;
}

/**
 * Candidate documents for a choice, in natural order. With `need` (skip +
 * limit of a sort the index serves), the walk stops after `need` matches plus
 * every document tied with the last one on the sort keys, so the engine's own
 * sort over the candidates gives the same first `need` documents as a scan.
 */
/**
 * Candidates as heap slot → insertion sequence (index entries carry both: no `_id` key string is built or parsed).
 */
type Candidates = Map<number, number>;

function scan(coll: Collection, c: IndexChoice, pred: Predicate, stats: ExecStats, need?: number): Candidates {
  const ordered = c.index.ordered!;
  const ids: Candidates = new Map();
  const ranges = probes(c);
  const limited = need !== undefined && need > 0 && c.sortMatch > 0;
  if (c.filtered && !limited) {
    stats.keysExamined += c.filtered.examined;
    c.filtered.slots.forEach((slot, i) => ids.set(slot, c.filtered!.seqs[i]));
    stats.docsExamined += ids.size;
    return ids;
  }
  const forward = limited ? c.forward : true;
  if (!forward) ranges.reverse();
  let matched = 0;
  let boundary: unknown[] | undefined;
  const sortKeys = (k: unknown[]) => k.slice(c.sortAt, c.sortAt + c.sortMatch);
  for (const [start, end] of ranges) {
    for (const e of ordered.range(start, end, forward)) {
      stats.keysExamined++;
      if (boundary) {
        const sk = sortKeys(e.k);
        if (sk.some((v, i) => cmpValue(v, boundary![i]) !== 0)) return ids;
      }
      if (!withinBounds(c, e.k) || ids.has(e.slot)) continue;
      ids.set(e.slot, e.s);
      stats.docsExamined++;
      if (limited && !boundary) {
        const doc = coll.docs.getAt(e.slot);
        if (doc && pred(doc) && ++matched >= need!) boundary = sortKeys(e.k);
      }
    }
  }
  return ids;
}

export interface Planned {
  plan: Plan;
  /** Documents the engine should filter/sort, in natural order. */
  docs: Doc[];
  stats: ExecStats;
}

export interface PlanOptions {
  sort?: Doc;
  /** skip + limit, when the caller will apply a limit after sorting. */
  need?: number;
  /** The planner switched off (`planner: false`): scan unless _id equality. */
  disabled?: boolean;
  variables?: Doc;
  /**
   * Only these paths of each candidate are needed (bson-fields.ts `filterPaths`): documents are decoded cut down
   * to them. For callers that only filter and count; everything else gets whole documents.
   */
  paths?: PathTree;
}

export function plannable(coll: Collection): PlannableIndex[] {
  return coll.indexes.map((state) => ({ spec: state.spec, ordered: state.ordered, state }));
}

/** Plan and fetch the candidates for a filter on a collection. */
export function planAndFetch(coll: Collection, filter: Doc | undefined, opts: PlanOptions = {}): Planned {
  const stats: ExecStats = { keysExamined: 0, docsExamined: 0 };
  const idDocs = idLookup(coll, filter);
  if (idDocs) {
    stats.keysExamined = stats.docsExamined = idDocs.length;
    return { plan: { kind: 'IXSCAN', choice: idChoice(coll, filter) }, docs: idDocs, stats };
  }
  const plan: Plan = opts.disabled ? { kind: 'COLLSCAN' } : choosePlan(plannable(coll), filter, opts.sort);
  const paths = opts.paths;
  const read = paths ? (bytes: Uint8Array) => pickPaths(bytes, paths) : undefined;
  if (plan.kind === 'COLLSCAN') {
    const docs = read ? [...coll.docs.valuesWith(read)] : coll.all();
    stats.docsExamined = docs.length;
    return { plan, docs, stats };
  }
  const pred = compileFilter(filter, { variables: opts.variables });
  let ids: Candidates;
  if (plan.kind === 'IXSCAN') ids = scan(coll, plan.choice, pred, stats, opts.need);
  else {
    ids = new Map();
    for (const b of plan.branches) for (const [slot, s] of scan(coll, b, pred, stats)) ids.set(slot, s);
  }
  const excluded = exclusions(plannable(coll), filter);
  if (excluded.size) for (const slot of excluded) ids.delete(slot);
  // Natural order from the entries' own sequences; fetched by slot.
  const docs = coll.docs.getMany(
    [...ids].sort((x, y) => x[1] - y[1]).map(([slot]) => slot),
    read,
  );
  return { plan, docs, stats };
}

/**
 * Documents an index proves cannot match: for a top-level (or `$and`-ed) `{path: {$nin: [v…]}}` or
 * `{path: {$ne: v}}` with plain non-null values, every document holding a key `v` on an index whose first key is
 * `path` has `v` at `path` (index keys are the values the query's path walk finds; indexes with keys the engine
 * matches differently, such as nested arrays or NaN, are not used), so the condition is false for it. Those are
 * dropped before their documents are read: "bought 保養 but never 彩妝" reads only the members with no 彩妝 key.
 * This changes which documents are decoded, never the answer (the full filter still runs on the rest), and not the
 * plan `explain` reports (MongoDB reads those documents and filters them; the counts it reports are the plan's).
 */
function exclusions(indexes: PlannableIndex[], filter: Doc | undefined): Set<number> {
  const out = new Set<number>();
  if (!filter) return out;
  const conjuncts: Array<[string, unknown[]]> = [];
  const collectNot = (f: unknown): void => {
    if (!isPlainObject(f)) return;
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach(collectNot);
      if (k.startsWith('$') || !isPlainObject(v) || /(^|\.)\d+(\.|$)/.test(k)) continue;
      if (Array.isArray(v.$nin) && v.$nin.every((x) => indexable(x, false))) conjuncts.push([k, v.$nin]);
      if ('$ne' in v && indexable(v.$ne, false)) conjuncts.push([k, [v.$ne]]);
    }
  };
  collectNot(filter);
  for (const [path, values] of conjuncts) {
    const ix = indexes.find(
      (i) =>
        i.ordered &&
        orderable(i.spec) &&
        !i.spec.collation &&
        Object.keys(i.spec.key)[0] === path &&
        !(i.ordered.unsafeKeys > 0),
    );
    if (!ix) continue;
    const dirs = Object.values(ix.spec.key) as number[];
    for (const v of values) {
      const start: unknown[] = [v];
      const end: unknown[] = [v];
      for (let j = 1; j < dirs.length; j++) {
        start.push(dirs[j] === 1 ? Bound.MIN : Bound.MAX);
        end.push(dirs[j] === 1 ? Bound.MAX : Bound.MIN);
      }
      for (const e of ix.ordered!.range(start, end, true)) out.add(e.slot);
    }
  }
  return out;
}

/**
 * A count answered from index entries alone (MongoDB's COUNT_SCAN): when the chosen index's bounds are exactly the
 * filter, every entry in them is one matching document, so none is read. Exact only when: the filter is equalities
 * or `$in`s of plain values (null included) on top-level fields, one condition per field, which are exactly the
 * index's leading equality-bounded keys; the index is not multikey (one entry per document), holds no key the engine
 * matches differently (NaN, nested arrays) and is not partial. A top-level key is null exactly when the engine's
 * `{x: null}` matches (missing, null, `[null]`; `[]` is its own key), and a one-element array's key is its element,
 * which `{x: v}` matches too. Anything else: undefined (the caller reads the candidates as usual).
 */
export function countFromIndex(
  coll: Collection,
  filter: Doc | undefined,
): { n: number; choice: IndexChoice } | undefined {
  const fields = equalityFields(filter);
  if (!fields || !fields.size || fields.has('_id')) return undefined;
  const plan = choosePlan(plannable(coll), filter, undefined);
  if (plan.kind !== 'IXSCAN') return undefined;
  const c = plan.choice;
  const o = c.index.ordered;
  if (!o || o.multikey || o.unsafeKeys > 0 || c.index.spec.partialFilterExpression) return undefined;
  const leading = c.fields.slice(0, c.eqPrefix);
  if (leading.length !== fields.size || !leading.every((f) => fields.has(f))) return undefined;
  if (c.bounds.slice(0, c.eqPrefix).reduce((n, b) => n * b!.length, 1) > MAX_COMBOS) return undefined;
  return { n: countKeys(c), choice: c };
}

/** The fields of a filter made only of plain equalities / `$in`s (top level, through `$and`), or undefined. */
function equalityFields(filter: Doc | undefined): Set<string> | undefined {
  const out = new Set<string>();
  const walk = (f: unknown): boolean => {
    if (!isPlainObject(f)) return false;
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v) && v.length) {
        if (!v.every(walk)) return false;
        continue;
      }
      if (k.startsWith('$') || k.includes('.') || out.has(k)) return false;
      let ok = indexable(v, true);
      if (!ok && isPlainObject(v) && Object.keys(v).length === 1) {
        if ('$eq' in v) ok = indexable(v.$eq, true);
        else if (Array.isArray(v.$in)) ok = v.$in.every((x) => indexable(x, true));
      }
      if (!ok) return false;
      out.add(k);
    }
    return true;
  };
  return walk(filter) ? out : undefined;
}

/**
 * `distinct` of an index's (only) key with a filter of one condition on that key (MongoDB's DISTINCT_SCAN), from the
 * index keys: the keys in the bounds are values of matching documents (the condition holds for that element), read
 * one per distinct value by seeking past it (string keys; other types scan). Exact when every other key of the index
 * is null or an empty array's (entries in bounds + those = all entries): a matching document with such a key may
 * hold a real null there, so those documents alone are read (`read` decodes what the filter needs) and filtered as a
 * scan would. Undefined when the conditions do not hold (the caller scans). Values come back unordered.
 */
export function distinctFromIndex(
  coll: Collection,
  key: string,
  filter: Doc | undefined,
  read: (id: string) => Doc | undefined,
): { values: unknown[]; index: string } | undefined {
  if (!isPlainObject(filter) || Object.keys(filter).length !== 1 || !(key in filter) || key === '_id') return undefined;
  const a = analyze(filter);
  const conds = a.fields.get(key);
  if (!conds || conds.length !== 1 || a.ors.length) return undefined;
  const cond = conds[0];
  if (cond.kind === 'range' && Object.keys(filter[key]).length !== 1) return undefined;
  if (!['eq', 'range', 'regex', 'prefix'].includes(cond.kind)) return undefined;
  const plan = choosePlan(plannable(coll), filter, undefined);
  if (plan.kind !== 'IXSCAN') return undefined;
  const c = plan.choice;
  const o = c.index.ordered;
  const spec = c.index.spec;
  if (!o || c.fields.length !== 1 || c.fields[0] !== key || o.unsafeKeys > 0) return undefined;
  if (spec.sparse || spec.partialFilterExpression) return undefined;
  const b = c.bounds[0]!;
  if (
    b.some(
      (iv) => inInterval(null, { ...iv, filter: undefined }) || inInterval(undefined, { ...iv, filter: undefined }),
    )
  )
    return undefined;
  const inBounds = c.keysInBounds ?? countKeys(c);
  const nullish = o.countBetween([Bound.MIN], [null]);
  if (inBounds + nullish !== o.size) return undefined;
  const out: unknown[] = [];
  for (const [start, end] of probes(c)) {
    let from = start;
    for (;;) {
      const first = o.range(from, end, true).next();
      if (first.done) break;
      const v = first.value.k[0];
      if (withinBounds(c, first.value.k)) out.push(v);
      if (typeof v !== 'string') return undefined; // no cheap "just after" probe for other types: scan instead
      from = [v + '\u0000'];
    }
  }
  // The condition never holds for null or missing (its bounds exclude null), so a document whose only key is null
  // does not match; one with a null key and a key in the bounds does, and may hold a real null: read those.
  if (nullish && o.multikeyDocs[0] > 0) {
    const nullIds = new Set<string>();
    for (const e of o.range([Bound.MIN], [null], true)) nullIds.add(e.id);
    const both = new Set<string>();
    for (const [start, end] of probes(c))
      for (const e of o.range(start, end, true)) if (nullIds.has(e.id) && withinBounds(c, e.k)) both.add(e.id);
    const pred = compileFilter(filter);
    for (const id of both) {
      const doc = read(id);
      if (doc && pred(doc)) for (const v of valuesAtPath(doc, key)) if (v !== undefined) out.push(v);
    }
  }
  return { values: out, index: spec.name };
}

/** explain of a count answered by `countFromIndex`: COUNT over COUNT_SCAN (the aggregate form: COUNT_SCAN alone). */
export function countScanPlan(c: IndexChoice, command: 'count' | 'aggregate'): Doc {
  const scan: Doc = { ...ixscanStage(c, false), stage: 'COUNT_SCAN' };
  delete scan.direction;
  return command === 'count' ? { stage: 'COUNT', inputStage: scan } : scan;
}

/** `_id` equality or `$in` of plain values: answered from the collection's _id map (IDHACK). */
function idLookup(coll: Collection, filter: Doc | undefined): Doc[] | undefined {
  if (!filter || !('_id' in filter)) return undefined;
  const v = filter._id;
  let values: unknown[];
  if (indexable(v, false)) values = [v];
  else if (isPlainObject(v) && Object.keys(v).length === 1 && indexable(v.$eq, false)) values = [v.$eq];
  else if (
    isPlainObject(v) &&
    Object.keys(v).length === 1 &&
    Array.isArray(v.$in) &&
    v.$in.every((x) => indexable(x, false))
  )
    values = v.$in;
  else return undefined;
  const seen = new Set<string>();
  const out: Doc[] = [];
  for (const x of values) {
    const key = canonicalKey(x);
    const d = coll.docs.get(key);
    if (d && !seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out.sort((a, b) => coll.seqs.get(canonicalKey(a._id))! - coll.seqs.get(canonicalKey(b._id))!);
}

function idChoice(coll: Collection, filter: Doc | undefined): IndexChoice {
  const id = coll.indexes[0];
  const bounds = [fieldBounds(analyze(filter).fields.get('_id'), false)];
  return {
    index: { spec: id.spec, ordered: id.ordered, state: id },
    fields: ['_id'],
    dirs: [1],
    bounds,
    eqPrefix: 1,
    range: false,
    sortAt: 0,
    sortMatch: 0,
    forward: true,
  };
}

// ---------------------------------------------------------------------------
// explain output

function fmt(v: unknown): string {
  if (v instanceof Bound) {
    if (!v.type) return v.side < 0 ? 'MinKey' : 'MaxKey';
    return v.side < 0 ? `MinOf(${v.type})` : `MaxOf(${v.type})`;
  }
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (valueType(v) === 'objectid') return `ObjectId('${String(v)}')`;
  return String(v);
}

function boundsDoc(c: IndexChoice): Doc {
  const out: Doc = {};
  c.fields.forEach((f, i) => {
    const b = c.bounds[i];
    const ivs = b ?? [{ lo: Bound.MIN, loInc: true, hi: Bound.MAX, hiInc: true }];
    const ordered = c.dirs[i] === 1 ? ivs : [...ivs].reverse();
    out[f] = ordered.flatMap((iv) => {
      // MongoDB's bounds for a regex over all strings: every string, and the regex itself (a stored regex value).
      if (iv.filter && iv.lo instanceof Bound) return ['["", {})', `[${String(iv.filter)}, ${String(iv.filter)}]`];
      const [lo, hi, li, hiI] =
        c.dirs[i] === 1 ? [iv.lo, iv.hi, iv.loInc, iv.hiInc] : [iv.hi, iv.lo, iv.hiInc, iv.loInc];
      return `${li ? '[' : '('}${fmt(lo)}, ${fmt(hi)}${hiI ? ']' : ')'}`;
    });
  });
  return out;
}

function ixscanStage(c: IndexChoice, sortServed: boolean): Doc {
  const spec = c.index.spec;
  const o = c.index.ordered;
  return {
    stage: 'IXSCAN',
    keyPattern: spec.key,
    indexName: spec.name,
    isMultiKey: !!o?.multikey,
    multiKeyPaths: Object.fromEntries(c.fields.map((f, i) => [f, o && o.multikeyDocs[i] > 0 ? [f] : []])),
    isUnique: !!spec.unique,
    isSparse: !!spec.sparse,
    isPartial: !!spec.partialFilterExpression,
    indexVersion: 2,
    direction: sortServed && !c.forward ? 'backward' : 'forward',
    indexBounds: boundsDoc(c),
  };
}

export interface ExplainInput {
  filter?: Doc;
  sort?: Doc;
  limit?: number;
  skip?: number;
}

/** `queryPlanner.winningPlan` for a plan, in MongoDB's shape. */
export function winningPlan(plan: Plan, q: ExplainInput, idhack = false): Doc {
  const filter = q.filter ?? {};
  let stage: Doc;
  let sortServed = false;
  if (plan.kind === 'COLLSCAN') stage = { stage: 'COLLSCAN', filter, direction: 'forward' };
  else if (plan.kind === 'IXSCAN' && idhack) stage = { stage: 'IDHACK' };
  else if (plan.kind === 'IXSCAN') {
    const c = plan.choice;
    sortServed = !!q.sort && c.sortMatch === sortFields(q.sort).length && c.sortMatch > 0;
    stage = { stage: 'FETCH', filter, inputStage: ixscanStage(c, sortServed) };
  } else {
    stage = {
      stage: 'FETCH',
      filter,
      inputStage: { stage: 'OR', inputStages: plan.branches.map((b) => ixscanStage(b, false)) },
    };
  }
  if (q.sort && Object.keys(q.sort).length && !sortServed) {
    stage = { stage: 'SORT', sortPattern: q.sort, memLimit: 104857600, type: 'simple', inputStage: stage };
  }
  if (q.skip) stage = { stage: 'SKIP', skipAmount: q.skip, inputStage: stage };
  if (q.limit) stage = { stage: 'LIMIT', limitAmount: q.limit, inputStage: stage };
  return stage;
}

/** The index names a plan uses (for the query log and tests). */
export function planIndexes(plan: Plan): string[] {
  if (plan.kind === 'IXSCAN') return [plan.choice.index.spec.name];
  if (plan.kind === 'OR') return plan.branches.map((b) => b.index.spec.name);
  return [];
}

export const isIdLookup = (filter: Doc | undefined) =>
  !!filter &&
  '_id' in filter &&
  (indexable(filter._id, false) || (isPlainObject(filter._id) && ('$eq' in filter._id || '$in' in filter._id)));
