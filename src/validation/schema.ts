/**
 * The one checker for JSON that a user or another host wrote: the vault file, `config.json`,
 * `rotators.json`, the scan config, baselines, fingerprint and exposure files, history
 * positions, lock owners, audit records and OpenClaw resolve requests. Each module declares
 * its file's shape with these checks and turns a {@link SchemaMismatch} into its own typed
 * error (code, message and hint), naming the path of the offending field, never its content.
 *
 * Why not zod (the usual choice for this): every command reads `config.json` and appends audit
 * records, and the pre-commit hook reads the scan config, baseline and fingerprints, so
 * whatever checks them loads on every start-up. Whole
 * processes, CPU time (user + sys), median of 10 runs alternated pair by pair, Node 20, zod
 * 4.6.7, on a shared 2-core machine:
 *
 * - `node -e 'await import("zod")'`: 0.240 s against 0.112 s for `node -e 0` (x2.19);
 * - `node -e 'await import("./dist/validation/schema.js")'`: 0.114 s against 0.106 s (x1.08,
 *   within the noise);
 * - `vault scan --staged` on one staged file, with zod preloaded (`node --import zod`): 0.373 s
 *   against 0.247 s without (x1.44; wall x1.31).
 *
 * So zod would add about 125 ms of CPU to every commit's hook and as much to every command;
 * this checker adds nothing measurable. The shapes here need only strings,
 * integers, literals, enums, lists, objects closed or open to unknown keys, and maps with a
 * key pattern.
 *
 * A check returns the value it was given, checked in place: nothing is copied and no path is
 * built while the value fits, so a 10,000-secret vault costs little more than its JSON.parse.
 * A closed object whose keys are all known but out of shape order has them put in shape order
 * in place (shapes list their keys sorted), so a value that passes always prints in shape
 * order. A value that does not fit throws {@link SchemaMismatch} naming the path of the first
 * offending field and why it failed, never its content; the path is assembled only while that
 * error unwinds. An unknown key is reported at its parent's path: its name is content. Keys
 * such as `__proto__` and `constructor` are own properties after `JSON.parse` and are checked
 * like any other key (refused by a closed object, by a map's key pattern that excludes them).
 */

/**
 * Why a value does not fit: a wrong JSON type, a length or count out of bounds, a value the
 * check refuses, a required key absent, a key the shape does not know.
 */
export type MismatchReason = "type" | "size" | "value" | "missing" | "unknown key";

/** The first place a value does not fit its schema. */
export class SchemaMismatch extends Error {
  override readonly name = "SchemaMismatch";
  readonly #segments: string[] = [];
  constructor(readonly reason: MismatchReason = "value") {
    super("unexpected content at top level");
  }

  /** Dotted path of the offending field ("" for the top level). */
  get path(): string {
    return this.#segments.join(".");
  }

  /** The keys and indexes from the top level down to the offending field. */
  get segments(): readonly string[] {
    return [...this.#segments];
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

function fail(reason: MismatchReason): never {
  throw new SchemaMismatch(reason);
}

/** Rethrows `error`, a mismatch inside `segment` getting that segment in front of its path. */
function rethrowWithin(error: unknown, segment: string): never {
  throw error instanceof SchemaMismatch ? error.within(segment) : error;
}

/**
 * `check(value)`, a mismatch turned into the caller's own error by `onMismatch` (which names
 * the field by `mismatch.path` or `mismatch.segments`, never by its content).
 */
export function validate<T>(
  check: Check<T>,
  value: unknown,
  onMismatch: (mismatch: SchemaMismatch) => Error,
): T {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof SchemaMismatch) throw onMismatch(error);
    throw error;
  }
}

/** `check(value)`, or `undefined` when the value does not fit (for files that are rebuilt when unreadable). */
export function fits<T>(check: Check<T>, value: unknown): T | undefined {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof SchemaMismatch) return undefined;
    throw error;
  }
}

/** Where a mismatch is, for a message: its dotted path, or "the top level". */
export function placeOf(mismatch: SchemaMismatch): string {
  return mismatch.path === "" ? "the top level" : mismatch.path;
}

/** Something that accepts or refuses a string: a RegExp or a predicate object. */
export interface StringTest {
  test(value: string): boolean;
}

/** A string of `min`..`max` UTF-16 units that `pattern` accepts. */
export function str(
  options: { min?: number; max?: number; pattern?: StringTest } = {},
): Check<string> {
  const { min = 0, max = Number.POSITIVE_INFINITY, pattern } = options;
  return (value) => {
    if (typeof value !== "string") fail("type");
    if (value.length < min || value.length > max) fail("size");
    if (pattern && !pattern.test(value)) fail("value");
    return value;
  };
}

/** A safe integer in `min`..`max`. */
export function integer(min: number, max: number): Check<number> {
  return (value) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value)) fail("type");
    if (value < min || value > max) fail("value");
    return value;
  };
}

/** Exactly `expected`. */
export function literal<const T extends string | number | boolean>(expected: T): Check<T> {
  return (value) => (value === expected ? expected : fail("value"));
}

/** One of `options`. */
export function oneOf<const T extends string>(options: readonly T[]): Check<T> {
  return (value) =>
    (options as readonly unknown[]).includes(value) ? (value as T) : fail("value");
}

/** An array of `min`..`max` items, each checked. */
export function list<T>(item: Check<T>, min = 0, max = Number.POSITIVE_INFINITY): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) fail("type");
    if (value.length < min || value.length > max) fail("size");
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

/** `value` as a plain JSON object (not null, not an array). */
function plainObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("type");
  return value as Record<string, unknown>;
}

/** Checks the fields a shape names (absent optional ones skipped). */
function checkFields(
  input: Record<string, unknown>,
  keys: readonly string[],
  checks: readonly (Check<unknown> | OptionalCheck<unknown>)[],
): void {
  let position = 0;
  try {
    for (; position < keys.length; position++) {
      // JSON holds no `undefined`, and no shape key is a property of Object.prototype.
      const field = input[keys[position] as string];
      if (field === undefined) {
        if ((checks[position] as OptionalCheck<unknown>).isOptional) continue;
        fail("missing");
      }
      (checks[position] as Check<unknown>)(field);
    }
  } catch (error) {
    rethrowWithin(error, keys[position] as string);
  }
}

/** A plain object with exactly the keys of `shape` (optional ones may be absent). */
export function closedObject<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const checks = keys.map((key) => shape[key] as Check<unknown> | OptionalCheck<unknown>);
  const positions = new Map(keys.map((key, position) => [key, position]));
  return (value) => {
    const input = plainObject(value);
    let last = -1;
    let inOrder = true;
    // for-in, not Object.keys: no array per object (a 10,000-secret vault holds 20,000 of
    // them, and allocating them costs young-generation collections of the whole parsed tree).
    // JSON.parse makes plain objects, and Object.prototype has no enumerable keys.
    for (const key in input) {
      if (!Object.hasOwn(input, key)) fail("unknown key");
      const position = positions.get(key);
      // The parent's path only: an unknown key's name is content, not schema.
      if (position === undefined) fail("unknown key");
      if (position < last) inOrder = false;
      last = position;
    }
    checkFields(input, keys, checks);
    if (!inOrder) reorder(input, keys);
    return input as ObjectOf<S>;
  };
}

/**
 * A plain object whose keys named in `shape` fit it; other keys are accepted and left as they
 * are (formats read by later versions that may add fields, messages from another program).
 */
export function openObject<S extends Shape>(shape: S): Check<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const checks = keys.map((key) => shape[key] as Check<unknown> | OptionalCheck<unknown>);
  return (value) => {
    const input = plainObject(value);
    checkFields(input, keys, checks);
    return input as ObjectOf<S>;
  };
}

/**
 * A plain object used as a map: at most `max` keys, each accepted by `key` (a refused key
 * fails at the map's path, its name unsaid), each value checked (its path then names the key).
 */
export function record<T>(
  key: StringTest,
  item: Check<T>,
  max = Number.POSITIVE_INFINITY,
): Check<Record<string, T>> {
  return (value) => {
    const input = plainObject(value);
    const names = Object.keys(input);
    if (names.length > max) fail("size");
    for (const name of names) if (!key.test(name)) fail("unknown key");
    let at = 0;
    try {
      for (; at < names.length; at++) item(input[names[at] as string]);
    } catch (error) {
      rethrowWithin(error, names[at] as string);
    }
    return input as Record<string, T>;
  };
}
