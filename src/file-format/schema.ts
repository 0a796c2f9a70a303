/**
 * A strict schema checker for the vault file, in the spirit of zod's `strictObject` but small:
 * loading zod cost about 100 ms of every command's start-up, and the file format needs only
 * strings, integers, literals, enums, arrays and closed objects.
 *
 * A check returns the value it was given, checked in place: nothing is copied and no path is
 * built while the value fits, so a 10,000-secret vault costs little more than its JSON.parse.
 * An object whose keys are all known but out of shape order has them put in shape order in
 * place (shapes list their keys sorted), so a value that passes always prints in shape order.
 * A value that does not fit throws {@link SchemaMismatch} naming the path of the first
 * offending field, never its content; the path is assembled only while that error unwinds.
 */

/** The first place a value does not fit its schema. */
export class SchemaMismatch extends Error {
  override readonly name = "SchemaMismatch";
  readonly #segments: string[] = [];
  constructor() {
    super("unexpected content at top level");
  }

  /** Dotted path of the offending field ("" for the top level). */
  get path(): string {
    return this.#segments.join(".");
  }

  /** Puts the enclosing key or index in front of the path (called while unwinding). */
  within(segment: string): this {
    this.#segments.unshift(segment);
    this.message = `unexpected content at ${this.path}`;
    return this;
  }
}

/** A required field's check. */
export type Check<T> = ((value: unknown) => T) & { isOptional?: false };
/** An optional field's check (the key may be absent; `undefined` is not a value). */
export type OptionalCheck<T> = ((value: unknown) => T) & { isOptional: true };

type Shape = Record<string, Check<unknown> | OptionalCheck<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The type a check returns. */
export type Infer<C> = C extends (value: unknown) => infer T ? T : never;
type ObjectOf<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends OptionalCheck<unknown> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends OptionalCheck<unknown> ? K : never]?: Infer<S[K]>;
  }
>;

function fail(): never {
  throw new SchemaMismatch();
}

/** Rethrows `error`, a mismatch inside `segment` getting that segment in front of its path. */
function rethrowWithin(error: unknown, segment: string): never {
  throw error instanceof SchemaMismatch ? error.within(segment) : error;
}

/** A string of `min`..`max` UTF-16 units matching `pattern`. */
export function str(options: { min?: number; max?: number; pattern?: RegExp } = {}): Check<string> {
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = options;
  return (value) => {
    if (typeof value !== "string" || value.length < min || value.length > max) fail();
    if (pattern && !pattern.test(value)) fail();
    return value;
  };
}

/** A safe integer in `min`..`max`. */
export function integer(min: number, max: number): Check<number> {
  return (value) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      fail();
    }
    return value;
  };
}

/** Exactly `expected`. */
export function literal<const T extends string>(expected: T): Check<T> {
  return (value) => (value === expected ? expected : fail());
}

/** One of `options`. */
export function oneOf<const T extends string>(options: readonly T[]): Check<T> {
  return (value) => ((options as readonly unknown[]).includes(value) ? (value as T) : fail());
}

/** An array of `min`..`max` items, each checked. */
export function list<T>(item: Check<T>, min = 0, max = Number.POSITIVE_INFINITY): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) fail();
    let index = 0;
    try {
      for (; index < value.length; index++) item(value[index]);
    } catch (error) {
      rethrowWithin(error, String(index));
    }
    return value as T[];
  };
}

/** The same check, for a key that may be absent. */
export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const wrapped = ((value: unknown) => check(value)) as OptionalCheck<T>;
  wrapped.isOptional = true;
  return wrapped;
}

/** Moves `record`'s keys into the order of `keys` (delete and re-add, in place). */
function reorder(record: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    if (!Object.hasOwn(record, key)) continue;
    const field = record[key];
    delete record[key];
    record[key] = field;
  }
}

/** A plain object with exactly the keys of `shape` (optional ones may be absent). */
export function closedObject<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const checks = keys.map((key) => shape[key] as Check<unknown> | OptionalCheck<unknown>);
  const positions = new Map(keys.map((key, position) => [key, position]));
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail();
    const input = value as Record<string, unknown>;
    let last = -1;
    let inOrder = true;
    for (const key of Object.keys(input)) {
      const position = positions.get(key);
      // The parent's path only: an unknown key's name is content, not schema.
      if (position === undefined) fail();
      if (position < last) inOrder = false;
      last = position;
    }
    let position = 0;
    try {
      for (; position < keys.length; position++) {
        // JSON holds no `undefined`, and no shape key is a property of Object.prototype.
        const field = input[keys[position] as string];
        if (field === undefined) {
          if ((checks[position] as OptionalCheck<unknown>).isOptional) continue;
          fail();
        }
        (checks[position] as Check<unknown>)(field);
      }
    } catch (error) {
      rethrowWithin(error, keys[position] as string);
    }
    if (!inOrder) reorder(input, keys);
    return input as ObjectOf<S>;
  };
}
