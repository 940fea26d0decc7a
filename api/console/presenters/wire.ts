/**
 * Domain results → what travels. `Wire<T>` is `T` as JSON carries it (a `Date` becomes its ISO string); `toWire`
 * does that conversion, so a presenter typed `(d: DomainView) => ContractView` makes the compiler compare the
 * domain's shape with the contract's, field by field, and a renamed or retyped field fails the typecheck.
 */

type IsAny<T> = 0 extends 1 & T ? true : false;

export type Wire<T> =
  IsAny<T> extends true
    ? any // eslint-disable-line @typescript-eslint/no-explicit-any
    : T extends Date
      ? string
      : T extends ReadonlyArray<infer U>
        ? Wire<U>[]
        : T extends object
          ? { [K in keyof T]: Wire<T[K]> }
          : T;

/** Converts as `JSON.stringify` would (dates and ObjectIds by their `toJSON`), keeping plain objects and arrays. */
export function toWire<T>(value: T): Wire<T> {
  return convert(value) as Wire<T>;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  return typeof toJSON === 'function' ? convert(toJSON.call(value)) : value;
}
