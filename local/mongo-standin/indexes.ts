/**
 * Index definitions. Every index keeps its ordered keys (`ordered`, see
 * index-data.ts), which the planner (planner.ts) scans for equality, `$in`,
 * range predicates and sorts. A unique index finds a taken key in its ordered
 * keys (a binary search); only keys whose index order is not MongoDB's key
 * equality (objects, arrays, binary, NaN, ...) sit in a map from the canonical
 * key to the owning document's _id key.
 */
import { CommandError, Codes, badValue, duplicateKeyError, notImplemented } from './errors';
import { compileFilter, type Predicate } from './engine';
import { canonicalKey, isPlainObject, valuesAtPath, type Doc } from './values';
import { OrderedIndex, plainKeyValue, type IdSlots } from './index-data';

export interface IndexSpec {
  v: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** Options accepted and kept verbatim; anything else is refused so nothing is silently dropped. */
const KNOWN_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'hidden',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
  'wildcardProjection',
  'storageEngine',
]);

export interface IndexKey {
  key: string;
  values: Doc;
}

export class IndexState {
  readonly fields: string[];
  /**
   * Present only for unique indexes: canonical key → owning document's _id key, for the keys the ordered index
   * cannot check (see `checkUnique`; every key when the index is not ordered).
   */
  readonly otherKeys?: Map<string, string>;
  private readonly partial?: Predicate;
  /** Ordered keys of every indexed document (the planner's IXSCAN source). */
  readonly ordered: OrderedIndex;

  /** `ids`: the collection's heap, where index entries find their documents' keys (see index-data.ts IdSlots). */
  constructor(
    readonly spec: IndexSpec,
    ids?: IdSlots,
  ) {
    this.fields = Object.keys(spec.key);
    this.ordered = new OrderedIndex(
      this.fields,
      this.fields.map((f) => (spec.key[f] === -1 ? -1 : 1)),
      ids,
    );
    if (spec.unique) this.otherKeys = new Map();
    if (spec.partialFilterExpression) this.partial = compileFilter(spec.partialFilterExpression);
  }

  get name(): string {
    return this.spec.name;
  }

  get isId(): boolean {
    return this.spec.name === '_id_';
  }

  /** Whether a document belongs in this index at all (sparse: some key field present; partial: filter matches). */
  covers(doc: Doc): boolean {
    if (this.partial && !this.partial(doc)) return false;
    if (this.spec.sparse && this.fields.every((f) => valuesAtPath(doc, f).length === 0)) return false;
    return true;
  }

  /**
   * Record a stored document's keys (a no-op for documents the index leaves out). A unique index's keys must have
   * passed `checkUnique` first.
   */
  addKeys(doc: Doc, seq: number, idKey: string): void {
    if (!this.otherKeys) {
      if (this.orderable && this.covers(doc)) this.ordered.add(doc, seq, idKey);
      return;
    }
    if (!this.orderable) {
      for (const k of this.keysFor(doc)) this.otherKeys.set(k.key, idKey);
      return;
    }
    if (this.covers(doc)) this.recordOthers(this.ordered.add(doc, seq, idKey), idKey);
  }

  removeKeys(doc: Doc, seq: number, idKey: string): void {
    this.forgetOthers(doc, idKey);
    if (this.orderable && this.covers(doc)) this.ordered.delete(doc, seq, idKey);
  }

  /** An update from `oldDoc` to `newDoc`: touches the keys only when this index's entries change. */
  updateKeys(oldDoc: Doc, newDoc: Doc, seq: number, idKey: string): void {
    if (!this.orderable) {
      this.forgetOthers(oldDoc, idKey);
      this.addKeys(newDoc, seq, idKey);
      return;
    }
    const was = this.covers(oldDoc);
    const is = this.covers(newDoc);
    if (was && is && this.ordered.sameEntries(oldDoc, newDoc)) return;
    if (was) this.removeKeys(oldDoc, seq, idKey);
    if (is) this.addKeys(newDoc, seq, idKey);
  }

  /** Bulk loading (Collection.load): stage the document's keys, sorted in one go by `ordered.build()`. */
  stageKeys(doc: Doc, seq: number, idKey: string, slot: number): void {
    if (!this.orderable) {
      if (this.otherKeys) for (const k of this.keysFor(doc)) this.otherKeys.set(k.key, idKey);
      return;
    }
    if (!this.covers(doc)) return;
    const keys = this.ordered.stage(doc, seq, slot);
    if (this.otherKeys) this.recordOthers(keys, idKey);
  }

  /** Drop every key (before a rebuild). */
  clearKeys(): void {
    this.otherKeys?.clear();
    this.ordered.clear();
  }

  /**
   * Unique indexes: throw E11000 (nothing changed) when another document than `idKey` holds one of `doc`'s keys.
   * A key of plain values (see `plainKeyValue`) is looked up in the ordered keys, where its equals sit together;
   * any other key by its canonical form in `otherKeys`. The keys are the ordered index's: a missing field, also in
   * an array element (`a.b` over `a: [{b: 1}, {}]`), is null, an empty array undefined; sparse and partial indexes
   * leave out the documents they do not cover.
   */
  checkUnique(doc: Doc, idKey: string, ns: string): void {
    const others = this.otherKeys;
    if (!others) return;
    if (!this.orderable) {
      for (const k of this.keysFor(doc)) {
        const owner = others.get(k.key);
        if (owner !== undefined && owner !== idKey) throw duplicateKeyError(ns, this.name, this.spec.key, k.values);
      }
      return;
    }
    if (!this.covers(doc)) return;
    const { keys, multi } = this.ordered.docKeys(doc);
    if (multi && multi.filter(Boolean).length > 1) {
      throw new CommandError(171, `cannot index parallel arrays [${this.fields.join('] [')}]`);
    }
    for (const k of keys) {
      const owner = k.every(plainKeyValue) ? this.ordered.findOther(k, idKey) : others.get(canonicalOf(k));
      if (owner !== undefined && owner !== idKey)
        throw duplicateKeyError(ns, this.name, this.spec.key, this.keyValue(k));
    }
  }

  /**
   * `checkUnique` for an update from `oldDoc` to `newDoc`: nothing to check when the document keeps exactly its
   * entries here (keys this document already holds cannot belong to another).
   */
  checkUniqueChange(oldDoc: Doc, newDoc: Doc, idKey: string, ns: string): void {
    if (!this.otherKeys) return;
    if (this.orderable && this.covers(oldDoc) && this.covers(newDoc) && this.ordered.sameEntries(oldDoc, newDoc))
      return;
    this.checkUnique(newDoc, idKey, ns);
  }

  private keyValue(k: unknown[]): Doc {
    const out: Doc = {};
    this.fields.forEach((f, i) => (out[f] = k[i] === undefined ? null : k[i]));
    return out;
  }

  private recordOthers(keys: unknown[][], idKey: string): void {
    for (const k of keys) if (!k.every(plainKeyValue)) this.otherKeys!.set(canonicalOf(k), idKey);
  }

  private forgetOthers(doc: Doc, idKey: string): void {
    const others = this.otherKeys;
    if (!others?.size) return;
    if (!this.orderable) {
      for (const k of this.keysFor(doc)) if (others.get(k.key) === idKey) others.delete(k.key);
      return;
    }
    if (!this.covers(doc)) return;
    for (const k of this.ordered.docKeys(doc).keys) {
      if (k.every(plainKeyValue)) continue;
      const key = canonicalOf(k);
      if (others.get(key) === idKey) others.delete(key);
    }
  }

  /**
   * Top-level fields whose values decide this index's keys (its key fields and those its partial filter reads),
   * or null when that cannot be told (then a whole document is needed).
   */
  topLevelFields(): string[] | null {
    const out = this.fields.map((f) => f.split('.')[0]);
    if (this.spec.partialFilterExpression) {
      const more = filterFields(this.spec.partialFilterExpression);
      if (!more) return null;
      out.push(...more);
    }
    return out;
  }

  /** Only plain ascending/descending keys are ordered (text/2dsphere/hashed are not planned). */
  get orderable(): boolean {
    return this.fields.every((f) => this.spec.key[f] === 1 || this.spec.key[f] === -1);
  }

  /**
   * Keys this document contributes. Missing fields index as null (like the
   * server); an array contributes one key per element (multikey).
   */
  keysFor(doc: Doc): IndexKey[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((f) => valuesAtPath(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 0)) return [];
    if (perField.every((vals) => vals.length <= 1)) {
      // One key (no array on the way): the common case, without the cartesian product.
      const values: Doc = {};
      const parts: string[] = [];
      for (let i = 0; i < this.fields.length; i++) {
        const v = perField[i].length === 0 || perField[i][0] === undefined ? null : perField[i][0];
        parts.push(canonicalKey(perField[i].length === 0 ? null : perField[i][0]));
        values[this.fields[i]] = v;
      }
      return [{ key: parts.join('\u0001'), values }];
    }
    if (perField.filter((vals) => vals.length > 1).length > 1) {
      throw new CommandError(171, `cannot index parallel arrays [${this.fields.join('] [')}]`);
    }
    let combos: any[][] = [[]];
    for (const vals of perField) {
      const choices = vals.length === 0 ? [null] : vals;
      combos = combos.flatMap((c) => choices.map((v) => [...c, v]));
    }
    const seen = new Map<string, IndexKey>();
    for (const combo of combos) {
      const key = combo.map(canonicalKey).join('\u0001');
      if (!seen.has(key)) {
        const values: Doc = {};
        this.fields.forEach((f, i) => (values[f] = combo[i] === undefined ? null : combo[i]));
        seen.set(key, { key, values });
      }
    }
    return [...seen.values()];
  }
}

const canonicalOf = (k: unknown[]): string => k.map(canonicalKey).join('\u0001');

/** Top-level fields a (partial index) filter reads: field names, through $and/$or/$nor; null for anything else. */
function filterFields(filter: Doc): string[] | null {
  const out: string[] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v)) return null;
      for (const sub of v) {
        const inner = isPlainObject(sub) ? filterFields(sub) : null;
        if (!inner) return null;
        out.push(...inner);
      }
    } else if (k.startsWith('$')) return null;
    else out.push(k.split('.')[0]);
  }
  return out;
}

const isKeyValue = (v: unknown) =>
  v === 1 ||
  v === -1 ||
  (typeof v === 'number' && v !== 0) ||
  v === 'text' ||
  v === '2dsphere' ||
  v === '2d' ||
  v === 'hashed';

/** Validate a createIndexes entry the way the server would, returning a normalized spec. */
export function normalizeIndexSpec(raw: Doc): IndexSpec {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError(Codes.CannotCreateIndex, "The 'key' field must be a non-empty object");
  }
  if (typeof raw.name !== 'string' || !raw.name)
    throw new CommandError(Codes.CannotCreateIndex, "The 'name' field is required");
  for (const [f, v] of Object.entries(raw.key)) {
    if (!isKeyValue(v))
      throw new CommandError(
        Codes.CannotCreateIndex,
        `Unknown index plugin or bad key value for field '${f}': ${String(v)}`,
      );
    if (f.includes('$**')) throw notImplemented('wildcard indexes');
  }
  for (const opt of Object.keys(raw)) {
    if (!KNOWN_OPTIONS.has(opt)) {
      if (opt === 'collation') throw notImplemented('index collation');
      throw new CommandError(Codes.InvalidOptions, `The field '${opt}' is not valid for an index specification.`);
    }
  }
  if (raw.expireAfterSeconds !== undefined && typeof raw.expireAfterSeconds !== 'number') {
    throw new CommandError(Codes.CannotCreateIndex, 'TTL index expireAfterSeconds option must be numeric');
  }
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
    throw badValue('partialFilterExpression must be an object');
  }
  const spec: IndexSpec = { v: 2, key: raw.key, name: raw.name };
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'v' && k !== 'ns' && k !== 'background' && v !== undefined) spec[k] = v;
  }
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  return spec;
}

/** Two specs describe the same index (so re-creating it is a no-op). */
export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  const strip = ({ name: _n, v: _v, ...rest }: IndexSpec) => canonicalKey(sortKeys(rest));
  return strip(a) === strip(b);
}

function sortKeys(d: Doc): Doc {
  const out: Doc = { key: d.key };
  for (const k of Object.keys(d)
    .filter((k) => k !== 'key')
    .sort())
    out[k] = d[k];
  return out;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
