/**
 * Helpers for deserialized BSON values: canonical hash keys (so equal values
 * in MongoDB's sense map to the same Map key), deep copies, dotted-path
 * resolution with MongoDB's array traversal, and BSON type names.
 */
import { EJSON } from 'bson';

export type Doc = Record<string, any>;

const bsonType = (v: any): string | undefined =>
  v !== null && typeof v === 'object' ? (v._bsontype as string | undefined) : undefined;

export const isPlainObject = (v: unknown): v is Doc =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  !bsonType(v) &&
  !(v instanceof Date) &&
  !(v instanceof RegExp) &&
  !ArrayBuffer.isView(v);

/** Numbers of every BSON flavour collapse to one key, as the server compares them numerically. */
function numberKey(v: any): string | undefined {
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  switch (bsonType(v)) {
    case 'Int32':
    case 'Double':
      return numberKey(v.valueOf());
    case 'Long': {
      const n = v.toNumber();
      return Number.isSafeInteger(n) ? String(n) : `L${v.toString()}`;
    }
    case 'Decimal128': {
      const s = v.toString();
      const n = Number(s);
      return Number.isFinite(n) && String(n) === s ? String(n) : `D${s}`;
    }
  }
  return undefined;
}

/**
 * Canonical string for a value. Object key order is significant, exactly as
 * in MongoDB where {a:1,b:2} and {b:2,a:1} are different values.
 */
export function canonicalKey(v: any): string {
  if (v === undefined) return 'u';
  if (v === null) return 'z';
  const n = numberKey(v);
  if (n !== undefined) return `n:${n}`;
  switch (typeof v) {
    case 'string':
      return `s:${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'b:1' : 'b:0';
    case 'bigint':
      return `n:${v}`;
  }
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (v instanceof RegExp) return `r:${v.source}/${v.flags}`;
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  switch (bsonType(v)) {
    case 'ObjectId':
      return `o:${v.toHexString()}`;
    case 'Binary':
      return `x:${v.sub_type}:${Buffer.from(v.buffer).toString('base64')}`;
    case 'MinKey':
      return 'min';
    case 'MaxKey':
      return 'max';
    case undefined:
      break;
    default:
      return `${v._bsontype}:${EJSON.stringify(v, { relaxed: false })}`;
  }
  if (ArrayBuffer.isView(v)) return `x:0:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
  return `{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k])}`)
    .join(',')}}`;
}

/**
 * Deep copy of documents. BSON value classes (ObjectId, Binary, Long, ...)
 * are never mutated by the server, so they are shared; only containers,
 * Dates and raw byte buffers are copied.
 */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (bsonType(v) || v instanceof RegExp) return v;
  if (ArrayBuffer.isView(v)) return Buffer.from(v as any) as T;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = clone((v as Doc)[k]);
  return out as T;
}

/**
 * All values reachable by a dotted path, traversing arrays the way MongoDB
 * index keys do: an array along the way (or at the end) contributes each of
 * its elements. Returns [] when the path is missing.
 */
export function valuesAtPath(doc: any, path: string): any[] {
  const out: any[] = [];
  walkValues(doc, path.indexOf('.') < 0 ? [path] : path.split('.'), 0, out);
  return out;
}

// A module-level function rather than a closure: this runs for every unique index of every written document.
function walkValues(cur: any, parts: string[], i: number, out: any[]): void {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      if (cur.length === 0) out.push(undefined);
      else out.push(...cur);
    } else out.push(cur);
    return;
  }
  if (cur === null || typeof cur !== 'object') return;
  const key = parts[i];
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(key) && Number(key) < cur.length) walkValues(cur[Number(key)], parts, i + 1, out);
    else
      for (const el of cur)
        if (el !== null && typeof el === 'object' && !Array.isArray(el)) walkValues(el, parts, i, out);
    return;
  }
  if (!(key in cur)) return;
  walkValues(cur[key], parts, i + 1, out);
}

/** Plain (non-traversing) read of a dotted path; undefined when missing. */
export function getPath(doc: any, path: string): any {
  let cur = doc;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p];
  }
  return cur;
}

export function setPath(doc: Doc, path: string, value: any): void {
  const parts = path.split('.');
  let cur: any = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur[parts[i]] === null || typeof cur[parts[i]] !== 'object') cur[parts[i]] = {};
    cur = cur[parts[i]];
  }
  cur[parts[parts.length - 1]] = value;
}

/** The server's `$type` alias for a value, or the alias list it satisfies. */
export function bsonTypeAliases(v: any): string[] {
  if (v === undefined) return ['missing'];
  if (v === null) return ['null'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'number') {
    // Promoted values lose their wire type; integers answer to int/long/double alike.
    return Number.isInteger(v) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  }
  if (Array.isArray(v)) return ['array'];
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  switch (bsonType(v)) {
    case 'ObjectId':
      return ['objectId'];
    case 'Binary':
      return ['binData'];
    case 'Decimal128':
      return ['decimal', 'number'];
    case 'Long':
      return ['long', 'number'];
    case 'Int32':
      return ['int', 'number'];
    case 'Double':
      return ['double', 'number'];
    case 'Timestamp':
      return ['timestamp'];
    case 'MinKey':
      return ['minKey'];
    case 'MaxKey':
      return ['maxKey'];
    case 'Code':
      return ['javascript'];
    case 'BSONSymbol':
      return ['symbol'];
    case 'BSONRegExp':
      return ['regex'];
    case 'DBRef':
      return ['object'];
  }
  return ['object'];
}

export const TYPE_NUMBERS: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

/** Render a key value the way the server prints it in E11000 messages. */
export function formatKeyValue(v: any): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatKeyValue).join(', ')} ]`;
  if (bsonType(v) === 'ObjectId') return `ObjectId('${v.toHexString()}')`;
  if (bsonType(v)) return v.toString();
  return `{ ${Object.keys(v)
    .map((k) => `${k}: ${formatKeyValue(v[k])}`)
    .join(', ')} }`;
}
