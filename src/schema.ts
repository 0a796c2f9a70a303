/**
 * A strict schema checker for the vault file, in the spirit of zod's `strictObject` but small:
 * loading zod cost about 100 ms of every command's start-up, and the file format needs only
 * strings, integers, literals, enums, arrays and closed objects. A check returns the value
 * (objects rebuilt in shape order, which is sorted) or throws {@link SchemaMismatch} naming
 * the path of the first offending field, never its content.
 */

/** The first place a value does not fit its schema. */
export class SchemaMismatch extends Error {
  override readonly name = "SchemaMismatch";
  constructor(readonly path: string) {
    super(`unexpected content at ${path || "top level"}`);
  }
}

/** A required field's check. */
export type Check<T> = ((value: unknown, path: string) => T) & { isOptional?: false };
/** An optional field's check (the key may be absent; `undefined` is not a value). */
export type OptionalCheck<T> = ((value: unknown, path: string) => T) & { isOptional: true };

type Shape = Record<string, Check<unknown> | OptionalCheck<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The type a check returns. */
export type Infer<C> = C extends (value: unknown, path: string) => infer T ? T : never;
type ObjectOf<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends OptionalCheck<unknown> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends OptionalCheck<unknown> ? K : never]?: Infer<S[K]>;
  }
>;

function fail(path: string): never {
  throw new SchemaMismatch(path);
}

/** A string of `min`..`max` UTF-16 units matching `pattern`. */
export function str(options: { min?: number; max?: number; pattern?: RegExp } = {}): Check<string> {
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = options;
  return (value, path) => {
    if (typeof value !== "string" || value.length < min || value.length > max) fail(path);
    if (pattern && !pattern.test(value)) fail(path);
    return value;
  };
}

/** A safe integer in `min`..`max`. */
export function integer(min: number, max: number): Check<number> {
  return (value, path) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(path);
    }
    return value;
  };
}

/** Exactly `expected`. */
export function literal<const T extends string>(expected: T): Check<T> {
  return (value, path) => (value === expected ? expected : fail(path));
}

/** One of `options`. */
export function oneOf<const T extends string>(options: readonly T[]): Check<T> {
  return (value, path) =>
    (options as readonly unknown[]).includes(value) ? (value as T) : fail(path);
}

/** An array of `min`..`max` items, each checked. */
export function list<T>(item: Check<T>, min = 0, max = Number.POSITIVE_INFINITY): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) fail(path);
    return value.map((entry, index) => item(entry, path ? `${path}.${index}` : String(index)));
  };
}

/** The same check, for a key that may be absent. */
export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const wrapped = ((value: unknown, path: string) => check(value, path)) as OptionalCheck<T>;
  wrapped.isOptional = true;
  return wrapped;
}

/** A plain object with exactly the keys of `shape` (optional ones may be absent). */
export function closedObject<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  return (value, path) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path);
    const input = value as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      // The parent's path only: an unknown key's name is content, not schema.
      if (!known.has(key)) fail(path);
    }
    const output: Record<string, unknown> = {};
    for (const key of keys) {
      const check = shape[key] as Check<unknown> | OptionalCheck<unknown>;
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(input, key)) {
        if (check.isOptional) continue;
        fail(at);
      }
      output[key] = check(input[key], at);
    }
    return output as ObjectOf<S>;
  };
}
