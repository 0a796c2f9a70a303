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
import { randomBytes, toBase64Url, toHex, wipe } from "../crypto/sodium.js";
import { parseJsonQuietly } from "../file-format/canonical-json.js";
import { SecretValue } from "../secret-value.js";
import {
  fits,
  type Infer,
  literal,
  openObject,
  optional,
  SchemaMismatch,
  str,
} from "../validation/schema.js";
import { type HostCommand, type HostRotators, placeRotator } from "./host-rotators.js";
import { redactMessage } from "./redact-message.js";
import { RotatorFailure } from "./rotator-failure.js";
import { parseRotatorSpec, type RotatorSpec } from "./rotator-spec.js";
import { trustedCommand } from "./trusted-command.js";

/** The four steps of the rotation protocol. */
export type RotationStep = "create" | "apply" | "verify" | "finish";

/** What every rotator step is given. Values are wrapped so they never print by accident. */
interface StepContextBase {
  agent: string;
  name: string;
  /** The CURRENT value (absent only when the secret has no current version). */
  current?: SecretValue;
  /** Aborted when the step's time limit passes. */
  signal: AbortSignal;
}

/** What `create` is given: no PENDING value yet (it makes one). */
export interface CreateContext extends StepContextBase {
  step: "create";
}

/** What a step after `create` is given: the PENDING value is always there. */
export interface PendingStepContext<Step extends "apply" | "verify" | "finish">
  extends StepContextBase {
  step: Step;
  /** The PENDING value that `create` made. */
  pending: SecretValue;
}

export type ApplyContext = PendingStepContext<"apply">;
export type VerifyContext = PendingStepContext<"verify">;
export type FinishContext = PendingStepContext<"finish">;

/** What a rotator step is given, by step. */
export type RotatorContext = CreateContext | ApplyContext | VerifyContext | FinishContext;

/**
 * A rotator registered by agent code (`vault.registerRotator(name, rotator)`). A step fails
 * by throwing (its message is recorded, redacted) or, for `verify`, by returning false.
 */
export interface Rotator {
  create(context: CreateContext): string | SecretValue | Promise<string | SecretValue>;
  apply?(context: ApplyContext): unknown;
  verify?(context: VerifyContext): unknown;
  finish?(context: FinishContext): unknown;
}

/** One step to run, as the runner knows it (the PENDING value from the journal, if any). */
export interface StepRequest {
  agent: string;
  name: string;
  step: RotationStep;
  current?: SecretValue;
  pending?: SecretValue;
}

/** The context of `request`'s step (checked first by `runRotatorStep`: PENDING after create). */
function stepContext(request: StepRequest, signal: AbortSignal): RotatorContext {
  const base = {
    agent: request.agent,
    name: request.name,
    ...(request.current ? { current: request.current } : {}),
    signal,
  };
  if (request.step === "create") return { ...base, step: "create" };
  if (!request.pending) {
    throw new RotatorFailure(
      `the rotation journal holds no pending value for step ${request.step}.`,
    );
  }
  return { ...base, step: request.step, pending: request.pending };
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

const MAX_OUTPUT = 1024 * 1024;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

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

/**
 * A rotator program's answer on stdout: `{"ok": true, "value": "..."}` (the value only from a
 * create step). Other keys are accepted; anything without `"ok": true` is a refusal, whose
 * `message` is shown redacted.
 */
const rotatorAnswerSchema = openObject({ ok: literal(true), value: optional(str()) });
type RotatorAnswer = Infer<typeof rotatorAnswerSchema>;
/** What of a refusal is shown: its `message`, when a string. */
const rotatorRefusalSchema = openObject({ message: optional(str()) });
/** What of any answer is redacted: its `value`, when a string. */
const answerValueSchema = openObject({ value: str() });

/** The `value` of a rotator's answer, if its stdout holds one (for redaction only). */
function valueIn(stdout: string): string | undefined {
  const parsed = parseJsonQuietly(stdout);
  return parsed && fits(answerValueSchema, parsed.value)?.value;
}

/** Runs one step of a host command. */
function runCommandStep(
  spec: HostCommand,
  context: RotatorContext,
  host: RotatorHost,
  timeoutMs: number,
): Promise<string | undefined> {
  const current = plain(context.current);
  const pending = plain(context.step === "create" ? undefined : context.pending);
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
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  // Our own words are the failure; what the rotator said is its redacted detail.
  const fail = (message: string, said?: string) =>
    new RotatorFailure(
      message,
      said === undefined
        ? undefined
        : redactMessage(said, [current, pending, valueIn(Buffer.concat(stdout).toString("utf8"))]),
    );
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
      const parsed = parseJsonQuietly(Buffer.concat(stdout).toString("utf8"));
      if (!parsed) {
        finish(fail("the rotator's answer is not JSON."));
        return;
      }
      let answer: RotatorAnswer;
      try {
        answer = rotatorAnswerSchema(parsed.value);
      } catch (error) {
        if (!(error instanceof SchemaMismatch)) throw error;
        if (error.path === "value") {
          finish(fail("the rotator's value is not a string."));
        } else {
          const said = fits(rotatorRefusalSchema, parsed.value)?.message;
          finish(fail(`the rotator refused step ${context.step}`, said));
        }
        return;
      }
      finish(undefined, answer.value);
    });
    child.stdin?.end(`${JSON.stringify(request)}\n`);
  });
}

/** The time-limit failures {@link withTimeLimit} makes (what agent code throws is not ours). */
const TIMEOUTS = new WeakSet<RotatorFailure>();

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
      const failure = new RotatorFailure(
        `step ${step} timed out after ${Math.round(timeoutMs / 1000)} s.`,
      );
      TIMEOUTS.add(failure);
      reject(failure);
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
  context: StepRequest,
  host: RotatorHost,
  timeoutMs: number,
): Promise<string | undefined> {
  const spec = parseRotatorSpec(specText);
  if (context.step !== "create" && !context.pending) {
    throw new RotatorFailure(
      `the rotation journal holds no pending value for step ${context.step}.`,
    );
  }
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
    const value = await runCommandStep(
      trustedCommand(place.command),
      stepContext(context, new AbortController().signal),
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
  let result: unknown;
  try {
    result = await withTimeLimit(context.step, timeoutMs, async (signal) =>
      (method as (stepContext: RotatorContext) => unknown).call(
        rotator,
        stepContext(context, signal),
      ),
    );
  } catch (error) {
    // A time limit is our own failure; what the agent's rotator threw is only a detail.
    if (error instanceof RotatorFailure && TIMEOUTS.has(error)) throw error;
    const said = error instanceof Error ? error.message : String(error);
    throw new RotatorFailure(
      `step ${context.step} failed in the agent's rotator`,
      redactMessage(said, values),
    );
  }
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
}
