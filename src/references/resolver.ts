/**
 * Turning vault references back into values: `resolveReferences` (library), and the pieces
 * `vault inject` and `vault run` use.
 *
 * A reference names its agent, and only that agent's vault answers it: vaults come from the
 * caller (one vault, a map by agent, or a function that opens an agent's vault with that
 * agent's own key), and a vault given for one agent is never used for another.
 */
import { vaultError } from "../errors.js";
import type { Vault } from "../vault.js";
import { isVaultReference, parseVaultReference, type VaultReference } from "./reference.js";
import { findReferences, MAX_TEMPLATE_BYTES, replaceReferences } from "./template.js";

/** Opens agent `agent`'s vault with that agent's key (e.g. `(agent) => openVault({ agent, keySource })`). */
export type VaultOpener = (agent: string) => Promise<Vault>;

/**
 * Where references find their vaults: one vault (its own agent's references only), vaults by
 * agent id, or a function that opens them. Vaults a function opens are closed when the call
 * is done; vaults given are left open.
 */
export type ReferenceVaults =
  | Vault
  | ReadonlyMap<string, Vault>
  | Readonly<Record<string, Vault>>
  | VaultOpener;

/** Options of {@link resolveReferences}. */
export interface ResolveReferencesOptions {
  /** Recorded as the detail of each `get` audit record (default `resolve`). */
  purpose?: string;
}

/** Nested objects and arrays deeper than this are refused (a hostile config cannot blow the stack). */
const MAX_DEPTH = 64;

/** `vault://AGENT/NAME` of a reference, for messages (a reference is not secret). */
export function referenceText(reference: VaultReference): string {
  return `vault://${reference.agent}/${reference.name}`;
}

function noVaultFor(agent: string): Error {
  return vaultError(
    "NO_KEY_SOURCE",
    `No vault was given for agent ${agent}, which a reference names.`,
    `Pass agent ${agent}'s vault (or a function that opens it with ${agent}'s key) to resolveReferences.`,
  );
}

/**
 * Resolves references against the vaults of their agents, each agent's vault obtained at most
 * once and each reference read (and audited) once. {@link ReferenceResolver.close} closes the
 * vaults it opened.
 */
export class ReferenceResolver {
  readonly #vaults: ReferenceVaults;
  readonly #purpose: string;
  readonly #open = new Map<string, Promise<Vault>>();
  readonly #opened: Vault[] = [];
  readonly #values = new Map<string, string>();

  constructor(vaults: ReferenceVaults, options: ResolveReferencesOptions = {}) {
    this.#vaults = vaults;
    this.#purpose = options.purpose ?? "resolve";
  }

  async #vaultFor(agent: string): Promise<Vault> {
    let pending = this.#open.get(agent);
    if (!pending) {
      pending = this.#obtain(agent);
      this.#open.set(agent, pending);
    }
    const vault = await pending;
    if (vault.agent !== agent) {
      throw vaultError(
        "WRONG_AGENT",
        `The vault given for agent ${agent} belongs to agent ${vault.agent}.`,
        `Give agent ${agent}'s own vault: one agent's key never reads another's references.`,
      );
    }
    return vault;
  }

  async #obtain(agent: string): Promise<Vault> {
    const vaults = this.#vaults;
    if (typeof vaults === "function") {
      const vault = await vaults(agent);
      this.#opened.push(vault);
      return vault;
    }
    if (vaults instanceof Map) {
      const vault = vaults.get(agent);
      if (!vault) throw noVaultFor(agent);
      return vault;
    }
    if (isVault(vaults)) {
      if (vaults.agent !== agent) throw noVaultFor(agent);
      return vaults;
    }
    const record = vaults as Readonly<Record<string, Vault>>;
    if (!Object.hasOwn(record, agent)) throw noVaultFor(agent);
    return record[agent] as Vault;
  }

  /**
   * The value of one reference.
   * @throws VaultError as {@link Vault.resolve}, and as opening the agent's vault does
   */
  async value(reference: VaultReference): Promise<string> {
    const key = referenceText(reference);
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const vault = await this.#vaultFor(reference.agent);
    const value = await vault.resolve(key, { purpose: this.#purpose });
    this.#values.set(key, value);
    return value;
  }

  /** Every value read so far, by reference (for masking). */
  values(): Array<{ reference: string; value: string }> {
    return [...this.#values].map(([reference, value]) => ({ reference, value }));
  }

  /** Closes the vaults this resolver opened (not the ones it was given). */
  close(): void {
    for (const vault of this.#opened) vault.close();
    this.#opened.length = 0;
  }
}

function isVault(value: unknown): value is Vault {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Vault).resolve === "function" &&
    typeof (value as Vault).agent === "string"
  );
}

/**
 * `template` with every reference replaced by its value (the syntax of template.ts).
 * Every reference is checked before any value is read.
 * @throws VaultError INVALID_INPUT (malformed reference, template over 1 MiB) | as
 *   {@link ReferenceResolver.value}
 */
export async function resolveTemplate(
  template: string,
  resolver: ReferenceResolver,
  where?: string,
): Promise<string> {
  if (Buffer.byteLength(template, "utf8") > MAX_TEMPLATE_BYTES) {
    throw vaultError(
      "INVALID_INPUT",
      `The text to resolve${where ? ` at ${where}` : ""} is larger than 1 MiB.`,
      "Split it into smaller templates.",
    );
  }
  const spans = findReferences(template, where);
  const values = new Map<string, string>();
  for (const span of spans) values.set(referenceText(span), await resolver.value(span));
  return replaceReferences(template, spans, (span) => values.get(referenceText(span)) as string);
}

/** A key path for messages: identifier-like keys as they are, others as `[?]`. */
function pathText(path: readonly (string | number)[]): string {
  return path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(key)
          ? `.${key}`
          : "[?]",
    )
    .join("")
    .replace(/^\./, "");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

async function resolveValue(
  value: unknown,
  resolver: ReferenceResolver,
  path: (string | number)[],
): Promise<unknown> {
  if (typeof value === "string") {
    return value.includes("vault://")
      ? resolveTemplate(value, resolver, pathText(path) || undefined)
      : value;
  }
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  if (path.length >= MAX_DEPTH) {
    throw vaultError(
      "INVALID_INPUT",
      `The object to resolve is nested deeper than ${MAX_DEPTH} levels.`,
      "Resolve the part of it that holds the references.",
    );
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [index, item] of value.entries()) {
      out.push(await resolveValue(item, resolver, [...path, index]));
    }
    return out;
  }
  // Same prototype as the input; a key named __proto__ stays a key.
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value));
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: await resolveValue(value[key], resolver, [...path, key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Checks every string of `value` for malformed references before any vault is touched. */
function checkReferences(value: unknown, path: (string | number)[]): void {
  if (typeof value === "string") {
    if (value.includes("vault://")) findReferences(value, pathText(path) || undefined);
    return;
  }
  if (path.length >= MAX_DEPTH) return; // resolveValue refuses it
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkReferences(item, [...path, index]);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) checkReferences(value[key], [...path, key]);
  }
}

/**
 * Replaces vault references with their values, in a text (a template: every reference in it,
 * bare or in `{{ }}`, as `vault inject` does) or in a copy of an object or array (an
 * environment record, a parsed config): every string value in it, at any depth, is resolved
 * as a text. Keys, numbers and objects other than plain objects and arrays are kept as they
 * are. Each agent's references are read from that agent's vault only (`vaults`), each
 * reference once, audited as a `get` with `purpose` as its detail. Every reference is checked
 * before any value is read; on any failure nothing is returned.
 * @throws VaultError INVALID_INPUT (malformed reference, text over 1 MiB, nesting over 64) |
 *   NO_KEY_SOURCE (no vault given for an agent a reference names) | WRONG_AGENT (a vault given
 *   for another agent) | SECRET_NOT_FOUND | the errors of opening a vault
 */
export async function resolveReferences<T>(
  input: T,
  vaults: ReferenceVaults,
  options: ResolveReferencesOptions = {},
): Promise<T> {
  checkReferences(input, []);
  const resolver = new ReferenceResolver(vaults, options);
  try {
    return (await resolveValue(input, resolver, [])) as T;
  } finally {
    resolver.close();
  }
}

/**
 * The environment variables whose whole value is one reference (`vault run`'s rule, as
 * `op run`'s), with what they name. A value that starts with `vault://` but is not one valid
 * reference is an error; other values are left alone.
 * @throws VaultError INVALID_INPUT naming the variable
 */
export function environmentReferences(
  env: Readonly<Record<string, string | undefined>>,
): Array<{ variable: string; reference: VaultReference }> {
  const found: Array<{ variable: string; reference: VaultReference }> = [];
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || !value.trimStart().startsWith("vault://")) continue;
    if (!isVaultReference(value)) {
      throw vaultError(
        "INVALID_INPUT",
        `Environment variable ${variable} holds a malformed vault reference.`,
        "A reference reads vault://AGENT/NAME, e.g. vault://main/OPENAI_API_KEY; fix or unset the variable.",
      );
    }
    found.push({ variable, reference: parseVaultReference(value) });
  }
  return found;
}
