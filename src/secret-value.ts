/**
 * A secret value that does not print itself: `String(v)`, `JSON.stringify(v)`, template
 * literals and `util.inspect` (console.log) all show `[redacted]`. Call `reveal()` where the
 * plain text is really needed.
 */
import { inspect } from "node:util";

const REDACTED = "[redacted]";

/** A redacting wrapper around one secret value. */
export class SecretValue {
  readonly #value: string;
  /** The secret's name (not secret). */
  readonly name: string;

  constructor(name: string, value: string) {
    this.name = name;
    this.#value = value;
  }

  /** The plain value. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `SecretValue(${this.name}) ${REDACTED}`;
  }
}
