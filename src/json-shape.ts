/**
 * Small checkers for JSON read back from storage: each takes an unknown value and returns it typed,
 * or throws a ShapeError saying where it differs (`result.params.seed: expected a number`). Only the
 * place and the expected kind are reported, never the value, which can hold customer data.
 */

/** Where a stored value differs from the shape the code expects. */
export class ShapeError extends Error {
  readonly path: string;
  constructor(path: string, expected: string) {
    super(`${path || 'the value'}: expected ${expected}`);
    this.name = 'ShapeError';
    this.path = path;
  }
}

/** Checks `value` (found at `path`) and returns it typed. */
export type Shape<T> = (value: unknown, path: string) => T;

const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Shape<string> = (value, path) => {
  if (typeof value !== 'string') throw new ShapeError(path, 'a string');
  return value;
};

export const number: Shape<number> = (value, path) => {
  if (typeof value !== 'number') throw new ShapeError(path, 'a number');
  return value;
};

/** A number that may have been NaN when written: JSON has no NaN, and JSON.stringify writes null. */
export const jsonNumber: Shape<number> = (value, path) => (value === null ? Number.NaN : number(value, path));

export const boolean: Shape<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ShapeError(path, 'true or false');
  return value;
};

/** Exactly one of `values`. */
export function oneOf<const T extends string | number>(...values: T[]): Shape<T> {
  return (value, path) => {
    if (!values.includes(value as T)) throw new ShapeError(path, `one of ${values.join(', ')}`);
    return value as T;
  };
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : shape(value, path));
}

/** An optional member: absent (or undefined) passes as undefined. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, path) => (value === undefined ? undefined : shape(value, path));
}

export function arrayOf<T>(shape: Shape<T>): Shape<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ShapeError(path, 'a list');
    return value.map((item, i) => shape(item, at(path, i)));
  };
}

/** Any object; its members are not looked at (for parts checked by their own reader). */
export const record: Shape<Record<string, unknown>> = (value, path) => {
  if (!isRecord(value)) throw new ShapeError(path, 'an object');
  return value;
};

type Fields<T> = { [K in keyof T]-?: Shape<T[K]> };

/**
 * An object with these members, each checked. Members the shape does not name are kept as they
 * are, so a newer writer's extra fields do not make an older reader fail.
 */
export function object<T extends object>(fields: Fields<T>): Shape<T> {
  return (value, path) => {
    const input = record(value, path);
    const output: Record<string, unknown> = { ...input };
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const checked = fields[key](input[key], at(path, key));
      if (checked === undefined) delete output[key];
      else output[key] = checked;
    }
    return output as T;
  };
}
