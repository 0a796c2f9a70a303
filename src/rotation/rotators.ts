/**
 * Rotators make and install a secret's next value, one protocol step at a time:
 * `create` (make the value), `apply` (install it at the provider), `verify` (prove it
 * works), `finish` (the provider's own switch-over). Only `create` is required. Steps must be
 * idempotent: a run killed after a step but before the vault recorded it repeats that step.
 *
 * Built in: `random:` (libsodium randomness). A named rotator is either registered by the
 * agent's code or a command the host maps the name to in its `rotators.json` (an executable
 * speaking JSON on stdin/stdout, run without a shell, killed at its time limit): the vault
 * names a rotator, the host decides what runs (host-rotators.ts).
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { randomBytes, toBase64Url, toHex, wipe } from "../crypto.js";
import { maskPatterns, redact } from "../run/mask.js";
import { SecretValue } from "../secret-value.js";
import { type HostCommand, type HostRotators, placeRotator } from "./host-rotators.js";
import { parseRotatorSpec, type RotatorSpec } from "./rotator-spec.js";

/** The four steps of the rotation protocol. */
export type RotationStep = "create" | "apply" | "verify" | "finish";

/** What a rotator step is given. Values are wrapped so they never print by accident. */
export interface RotatorContext {
  agent: string;
  name: string;
  step: RotationStep;
  /** The CURRENT value (absent only when the secret has no current version). */
  current?: SecretValue;
  /** The PENDING value (every step after `create`). */
  pending?: SecretValue;
  /** Aborted when the step's time limit passes. */
  signal: AbortSignal;
}

/**
 * A rotator registered by agent code (`vault.registerRotator(name, rotator)`). A step fails
 * by throwing (its message is recorded, redacted) or, for `verify`, by returning false.
 */
export interface Rotator {
  create(context: RotatorContext): string | SecretValue | Promise<string | SecretValue>;
  apply?(context: RotatorContext): unknown;
  verify?(context: RotatorContext): unknown;
  finish?(context: RotatorContext): unknown;
}

/** A step that did not succeed: the message is already redacted and short. */
export class RotatorFailure extends Error {
  override readonly name = "RotatorFailure";
}

/** Where rotator steps run: the rotators the host serves, the command environment, output sink. */
export interface RotatorHost {
  /** Rotators registered by the agent's code. */
  registered: ReadonlyMap<string, Rotator>;
  /** The commands the host maps rotator names to (its `rotators.json`); nothing else runs. */
  commands?: HostRotators;
  /** Environment of host commands (default: empty; the library never reads process.env). */
  env?: Record<string, string | undefined>;
  /** The stderr of host commands, redacted of the values they were given. */
  onOutput?: (name: string, text: string) => void;
}

const MAX_MESSAGE = 300;
const MAX_OUTPUT = 1024 * 1024;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A message keeps no run of this many characters of any value it was redacted of. */
const VALUE_RUN = 8;

/** Every run of {@link VALUE_RUN} characters of each value (and of each of its encoded forms). */
function valueRuns(forms: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (const form of forms) {
    for (let at = 0; at + VALUE_RUN <= form.length; at++) runs.add(form.slice(at, at + VALUE_RUN));
  }
  return runs;
}

/** Replaces each stretch of `text` covered by runs of the values with `[redacted]`. */
function scrubValueRuns(text: string, runs: ReadonlySet<string>): string {
  if (runs.size === 0 || text.length < VALUE_RUN) return text;
  const covered = new Uint8Array(text.length);
  for (let at = 0; at + VALUE_RUN <= text.length; at++) {
    if (runs.has(text.slice(at, at + VALUE_RUN))) covered.fill(1, at, at + VALUE_RUN);
  }
  let out = "";
  for (let at = 0; at < text.length; ) {
    if (!covered[at]) {
      out += text[at];
      at += 1;
      continue;
    }
    while (at < text.length && covered[at]) at += 1;
    out += "[redacted]";
  }
  return out;
}

/**
 * Removes the values from `text`: every encoded form whole, then every run of 8 or more
 * characters of any of them (a message that quotes a value's first 20 characters keeps none);
 * and control characters; caps its length.
 */
export function redactMessage(text: string, values: Array<string | undefined>): string {
  const secrets = values
    .filter((value): value is string => value !== undefined && value.length > 0)
    .map((value) => ({ name: "value", value }));
  const patterns = maskPatterns(secrets);
  const whole = redact(Buffer.from(text, "utf8"), patterns).toString("utf8");
  const forms = [
    ...secrets.map((secret) => secret.value),
    ...patterns.map((pattern) => pattern.bytes.toString("utf8")),
  ];
  const clean = scrubValueRuns(whole, valueRuns(forms));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = clean.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/** A random value per a `random:` spec. */
export function randomValue(spec: Extract<RotatorSpec, { kind: "random" }>): string {
  const bytes = randomBytes(spec.bytes);
  try {
    if (spec.alphabet === "hex") return spec.prefix + toHex(bytes);
    if (spec.alphabet === "base64url") return spec.prefix + toBase64Url(bytes);
    // alnum: as many characters as carry the same entropy, each uniform (rejection sampling).
    const length = Math.ceil((spec.bytes * 8) / Math.log2(ALNUM.length));
    let out = "";
    while (out.length < length) {
      const pool = randomBytes(length * 2);
      for (const byte of pool) {
        if (byte < 248 && out.length < length) out += ALNUM[byte % 62];
      }
      wipe(pool);
    }
    return spec.prefix + out;
  } finally {
    wipe(bytes);
  }
}

function plain(value: SecretValue | undefined): string | undefined {
  return value?.reveal();
}

/** The `value` of a rotator's answer, if its stdout holds one (for redaction only). */
function valueIn(stdout: string): string | undefined {
  try {
    const value = (JSON.parse(stdout) as { value?: unknown })?.value;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a program that a user other than its owner (the host's user or root) could have
 * replaced: it runs with the host's keys.
 * @throws RotatorFailure
 */
function checkProgram(path: string): void {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new RotatorFailure(`the rotator command could not be started (${code}).`);
  }
  const uid = process.getuid?.();
  if (
    !stat.isFile() ||
    (stat.mode & 0o022) !== 0 ||
    (uid !== undefined && stat.uid !== uid && stat.uid !== 0)
  ) {
    throw new RotatorFailure(
      "the rotator command is not a file that only its owner (you or root) can write: refusing to run it.",
    );
  }
}

/** Runs one step of a host command. */
function runCommandStep(
  spec: HostCommand,
  context: RotatorContext,
  host: RotatorHost,
  timeoutMs: number,
): Promise<string | undefined> {
  const current = plain(context.current);
  const pending = plain(context.pending);
  const request: Record<string, unknown> = {
    step: context.step,
    agent: context.agent,
    name: context.name,
  };
  if (current !== undefined) request.current = current;
  if (pending !== undefined) request.pending = pending;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(host.env ?? {})) {
    // The vault's own key material never reaches a rotator.
    if (value !== undefined && !key.startsWith("AGENT_VAULT_")) env[key] = value;
  }
  const fail = (message: string) => new RotatorFailure(redactMessage(message, [current, pending]));
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(spec.path, spec.args, {
        stdio: ["pipe", "pipe", "pipe"],
        env,
        shell: false,
        detached: true,
      });
    } catch {
      reject(fail("the rotator command could not be started."));
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outputBytes = 0;
    let settled = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      finish(fail(`step ${context.step} timed out after ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
    const finish = (error?: Error, value?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (stderr.length > 0 && host.onOutput) {
        // The value a create step made is redacted too, even when the step then failed.
        const made = value ?? valueIn(Buffer.concat(stdout).toString("utf8"));
        host.onOutput(
          context.name,
          redactMessage(Buffer.concat(stderr).toString("utf8"), [current, pending, made]),
        );
      }
      if (error) reject(error);
      else resolve(value);
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > MAX_OUTPUT) {
        killGroup();
        finish(fail("the rotator wrote more than 1 MiB."));
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on("data", collect(stdout));
    child.stderr?.on("data", collect(stderr));
    child.stdin?.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      finish(fail(`the rotator command could not be started (${error.code ?? "error"}).`));
    });
    child.on("close", (code, signal) => {
      if (code !== 0) {
        finish(fail(`the rotator exited with ${signal ? `signal ${signal}` : `code ${code}`}.`));
        return;
      }
      let answer: { ok?: unknown; value?: unknown; message?: unknown };
      try {
        answer = JSON.parse(Buffer.concat(stdout).toString("utf8"));
      } catch {
        finish(fail("the rotator's answer is not JSON."));
        return;
      }
      if (answer?.ok !== true) {
        const message = typeof answer?.message === "string" ? answer.message : "no message";
        finish(fail(`the rotator refused step ${context.step}: ${message}`));
        return;
      }
      if (answer.value !== undefined && typeof answer.value !== "string") {
        finish(fail("the rotator's value is not a string."));
        return;
      }
      finish(undefined, answer.value as string | undefined);
    });
    child.stdin?.end(`${JSON.stringify(request)}\n`);
  });
}

/** Runs `work` with an abort signal that fires after `timeoutMs`. */
async function withTimeLimit<T>(
  step: RotationStep,
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RotatorFailure(`step ${step} timed out after ${Math.round(timeoutMs / 1000)} s.`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one protocol step of the rotator named by `spec`. Returns the new value for `create`;
 * `undefined` for a step the rotator does not have or that succeeded.
 * @throws RotatorFailure (redacted message)
 */
export async function runRotatorStep(
  specText: string,
  context: Omit<RotatorContext, "signal">,
  host: RotatorHost,
  timeoutMs: number,
): Promise<string | undefined> {
  const spec = parseRotatorSpec(specText);
  const values = [plain(context.current), plain(context.pending)];
  if (spec.kind === "random") {
    return context.step === "create" ? randomValue(spec) : undefined;
  }
  const place = placeRotator(spec, {
    agent: context.agent,
    host: host.commands ?? new Map(),
    registered: host.registered,
  });
  if (place.place === "nowhere") throw new RotatorFailure(place.reason);
  if (place.place === "host") {
    checkProgram(place.command.path);
    const value = await runCommandStep(
      place.command,
      { ...context, signal: new AbortController().signal },
      host,
      timeoutMs,
    );
    if (context.step === "create" && value === undefined) {
      throw new RotatorFailure("the rotator's create step returned no value.");
    }
    return context.step === "create" ? value : undefined;
  }
  const rotator = host.registered.get(place.place === "code" ? place.name : "");
  if (!rotator) throw new RotatorFailure("the rotator is not registered here.");
  const method = rotator[context.step];
  if (!method) return undefined;
  try {
    const result = await withTimeLimit(context.step, timeoutMs, async (signal) =>
      method.call(rotator, { ...context, signal }),
    );
    if (context.step === "create") {
      const value = result instanceof SecretValue ? result.reveal() : result;
      if (typeof value !== "string") {
        throw new RotatorFailure("the rotator's create step returned no string value.");
      }
      return value;
    }
    if (context.step === "verify" && result === false) {
      throw new RotatorFailure("the rotator could not verify the pending value.");
    }
    return undefined;
  } catch (error) {
    if (error instanceof RotatorFailure)
      throw new RotatorFailure(redactMessage(error.message, values));
    const message = error instanceof Error ? error.message : String(error);
    throw new RotatorFailure(redactMessage(`step ${context.step} failed: ${message}`, values));
  }
}
