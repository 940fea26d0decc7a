/**
 * Shared vocabulary of the emulator's request rules: the error detail LINE returns, and checks that count the way
 * LINE counts (texts in UTF-16 code units, labels in grapheme clusters, JSON sizes in UTF-8 bytes).
 */
export interface ErrorDetail {
  message: string;
  property: string;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Length as LINE counts message texts: UTF-16 code units (an emoji outside the BMP counts 2). */
export const utf16Length = (s: string): number => s.length;
/** Length as LINE counts action labels: user-perceived characters (grapheme clusters). */
export const graphemeLength = (s: string): number => [...segmenter.segment(s)].length;
/** Size as LINE measures a flex container: the UTF-8 bytes of its JSON. */
export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

export const HEX_COLOR = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
export const PX = /^(0|[0-9]+(\.[0-9]+)?)px$/;
export const PERCENT = /^(0|[0-9]+(\.[0-9]+)?)%$/;

/** Collects violations under JSON property paths (`messages[0].contents.body.contents[1].action.uri`). */
export class Rules {
  readonly out: ErrorDetail[];

  constructor(out: ErrorDetail[] = []) {
    this.out = out;
  }

  fail(property: string, message: string): false {
    this.out.push({ message, property });
    return false;
  }

  /** A required string, 1..max long (counted in UTF-16 units unless `count` says otherwise). */
  text(
    o: Obj,
    key: string,
    prop: string,
    max: number,
    opts: { required?: boolean; min?: number; graphemes?: boolean } = {},
  ) {
    const v = o[key];
    const p = `${prop}.${key}`;
    const required = opts.required ?? true;
    if (v === undefined || v === null) return required ? this.fail(p, 'must be specified') : true;
    if (typeof v !== 'string') return this.fail(p, 'must be a string');
    const min = opts.min ?? 1;
    if (v.length < min) return this.fail(p, 'May not be empty');
    const len = opts.graphemes ? graphemeLength(v) : utf16Length(v);
    if (len > max) return this.fail(p, `Length must be between ${min} and ${max}`);
    return true;
  }

  /** An https URL of at most `max` characters (LINE: "Protocol: HTTPS (TLS 1.2 or later)"). */
  httpsUrl(o: Obj, key: string, prop: string, opts: { required?: boolean; max?: number } = {}) {
    const v = o[key];
    const p = `${prop}.${key}`;
    const max = opts.max ?? 2000;
    if (v === undefined || v === null) return (opts.required ?? true) ? this.fail(p, 'must be specified') : true;
    if (typeof v !== 'string' || !v.length) return this.fail(p, 'May not be empty');
    if (v.length > max) return this.fail(p, `Length must be between 1 and ${max}`);
    if (!/^https:\/\/[^\s/]+/i.test(v)) return this.fail(p, 'must be a valid HTTPS URL');
    return true;
  }

  oneOf(o: Obj, key: string, prop: string, values: readonly string[], required = false) {
    const v = o[key];
    if (v === undefined) return required ? this.fail(`${prop}.${key}`, 'must be specified') : true;
    if (typeof v !== 'string' || !values.includes(v)) {
      return this.fail(`${prop}.${key}`, `must be one of ${values.map((x) => `'${x}'`).join(', ')}`);
    }
    return true;
  }

  color(o: Obj, key: string, prop: string, required = false) {
    const v = o[key];
    if (v === undefined) return required ? this.fail(`${prop}.${key}`, 'must be specified') : true;
    if (typeof v !== 'string' || !HEX_COLOR.test(v))
      return this.fail(`${prop}.${key}`, 'must be a hex color (#RRGGBB or #RRGGBBAA)');
    return true;
  }

  bool(o: Obj, key: string, prop: string) {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') return this.fail(`${prop}.${key}`, 'must be a boolean');
    return true;
  }

  integer(o: Obj, key: string, prop: string, opts: { required?: boolean; min?: number; max?: number } = {}) {
    const v = o[key];
    const p = `${prop}.${key}`;
    if (v === undefined) return opts.required ? this.fail(p, 'must be specified') : true;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(p, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) return this.fail(p, `must be ${opts.min} or more`);
    if (opts.max !== undefined && v > opts.max) return this.fail(p, `must be ${opts.max} or less`);
    return true;
  }

  /** A size-like string: one of the keywords, or (where the spec allows) a px or % value. */
  measure(o: Obj, key: string, prop: string, allow: { keywords?: readonly string[]; px?: boolean; percent?: boolean }) {
    const v = o[key];
    if (v === undefined) return true;
    const ok =
      typeof v === 'string' &&
      ((allow.keywords?.includes(v) ?? false) ||
        (allow.px === true && PX.test(v)) ||
        (allow.percent === true && PERCENT.test(v)));
    if (ok) return true;
    const forms = [
      ...(allow.keywords?.length ? [`one of ${allow.keywords.join(', ')}`] : []),
      ...(allow.px ? ['a pixel value like 10px'] : []),
      ...(allow.percent ? ['a percentage like 50%'] : []),
    ];
    return this.fail(`${prop}.${key}`, `must be ${forms.join(' or ')}`);
  }

  array(o: Obj, key: string, prop: string, min: number, max: number, required = true): unknown[] | null {
    const v = o[key];
    const p = `${prop}.${key}`;
    if (v === undefined || v === null) {
      if (required) this.fail(p, 'must be specified');
      return null;
    }
    if (!Array.isArray(v)) {
      this.fail(p, 'must be an array');
      return null;
    }
    if (v.length < min || v.length > max) {
      this.fail(p, `Size must be between ${min} and ${max}`);
      return null;
    }
    return v;
  }

  object(o: Obj, key: string, prop: string, required = true): Obj | null {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.fail(`${prop}.${key}`, 'must be specified');
      return null;
    }
    if (!isObj(v)) {
      this.fail(`${prop}.${key}`, 'must be an object');
      return null;
    }
    return v;
  }
}
