/**
 * The staged rotation protocol, after AWS Secrets Manager's createSecret → setSecret →
 * testSecret → finishSecret:
 *
 * 1. claim: a journal entry names this run as the owner (a live claim elsewhere: skip);
 * 2. create: the rotator makes the value; it is sealed into the journal as PENDING;
 * 3. apply: the rotator installs PENDING at the provider;
 * 4. verify: the rotator proves PENDING works;
 * 5. finish: the rotator's switch-over, then PENDING becomes CURRENT (the old CURRENT stays
 *    valid as PREVIOUS) and the journal is removed.
 *
 * Each completed step is committed to the vault before the next starts, so a run killed at
 * any point resumes from the recorded step and never makes a second PENDING. CURRENT is
 * never touched until the last commit. A failed step records its (redacted) message and a
 * retry time; CURRENT stays as it was.
 */
import { hostname } from "node:os";
import { randomBytes, toBase64Url } from "../crypto/sodium.js";
import { isVaultError, vaultError } from "../errors.js";
import type { RotationJournal, SealedVersion, SecretRecord } from "../file-format/vault-file.js";
import { checkSecretValue } from "../grammar.js";
import type { SecretValue } from "../secret-value.js";
import { isProcessAlive } from "../store/lock.js";
import { DEFAULT_STEP_TIMEOUT_SECONDS } from "./policy.js";
import { redactMessage } from "./redact-message.js";
import { RotatorFailure } from "./rotator-failure.js";
import { type RotationStep, type RotatorHost, runRotatorStep } from "./rotators.js";
import { isDue, type ScheduleCalendar } from "./schedule.js";

/** What the runner needs from the vault. */
export interface RotationAccess {
  agent: string;
  now(): Date;
  /** The record of `name` as stored now. */
  read(name: string): Promise<SecretRecord | undefined>;
  /**
   * Under the vault lock: edits a copy of the record; returning false leaves the vault as it
   * was. `seal` encrypts a value as version `version` of this secret.
   */
  update(
    name: string,
    change: (
      record: SecretRecord,
      seal: (value: string, version: number) => SealedVersion,
      historyLimit: number,
    ) => boolean,
  ): Promise<void>;
  /** Decrypts one version of `record`. */
  decrypt(record: SecretRecord, sealed: SealedVersion): SecretValue;
  /** Appends one audit record (never a value). */
  audit(entry: {
    op: string;
    secret: string;
    detail?: string;
    result: "ok" | "error";
    code?: string;
  }): Promise<void>;
}

/** What happened to one secret in a rotation run. */
export interface RotationOutcome {
  name: string;
  result: "rotated" | "failed" | "manual" | "not-due" | "busy" | "backoff" | "would-rotate";
  /** The new current version (rotated). */
  version?: number;
  /** The step that failed (failed). */
  step?: RotationStep;
  /** Why (failed, busy, backoff, manual): never a value. */
  message?: string;
  /** The next automatic attempt (failed, backoff). */
  retryAt?: string;
}

/** Options of one secret's rotation. */
export interface RotateSecretOptions {
  force?: boolean;
  dryRun?: boolean;
  exposedAt?: Date;
}

const BACKOFF_BASE_MS = 15 * 60_000;
const BACKOFF_MAX_MS = 24 * 3_600_000;
/** How long a claim outlives its step's time limit before another run may take it over. */
const CLAIM_MARGIN_MS = 30_000;

/** Wait before retrying after `attempts` failures: 15 min, doubling, at most a day. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

const STEP_AFTER: Record<RotationJournal["step"], RotationStep> = {
  started: "create",
  created: "apply",
  applied: "verify",
  verified: "finish",
};
const DONE: Record<RotationStep, RotationJournal["step"] | "promoted"> = {
  create: "created",
  apply: "applied",
  verify: "verified",
  finish: "promoted",
};

/** Runs rotations for one vault; one owner id per runner. */
export class RotationRunner {
  readonly #access: RotationAccess;
  readonly #host: RotatorHost;
  readonly #calendar: ScheduleCalendar;
  readonly #owner = toBase64Url(randomBytes(16));
  readonly #hostname = hostname();

  constructor(access: RotationAccess, host: RotatorHost, calendar: ScheduleCalendar) {
    this.#access = access;
    this.#host = host;
    this.#calendar = calendar;
  }

  #claimIsLive(claim: NonNullable<RotationJournal["claim"]>, now: Date): boolean {
    if (claim.owner === this.#owner) return true;
    if (new Date(claim.expiresAt).getTime() <= now.getTime()) return false;
    // A claim of a dead process on this host is over now, not at its expiry.
    return !(claim.host === this.#hostname && !isProcessAlive(claim.pid));
  }

  /** Rotates `name` through the protocol, resuming a journal left by an earlier run. */
  async rotateSecret(name: string, options: RotateSecretOptions = {}): Promise<RotationOutcome> {
    const access = this.#access;
    let outcome: RotationOutcome | undefined;
    let timeoutMs = DEFAULT_STEP_TIMEOUT_SECONDS * 1000;
    const decide = (record: SecretRecord, now: Date): boolean => {
      const policy = record.rotation;
      if (record.removedAt !== undefined) {
        outcome = { name, result: "not-due", message: "the secret was removed." };
        return false;
      }
      if (!options.force && !isDue(record, now, this.#calendar, options.exposedAt)) {
        outcome = { name, result: "not-due" };
        return false;
      }
      if (!policy?.rotator) {
        outcome = {
          name,
          result: "manual",
          message: `no rotator: set a new value with \`vault set ${name}\`.`,
        };
        return false;
      }
      const journal = record.journal;
      if (
        journal?.claim &&
        this.#claimIsLive(journal.claim, now) &&
        journal.claim.owner !== this.#owner
      ) {
        outcome = { name, result: "busy", message: "another run is rotating it." };
        return false;
      }
      if (!options.force && journal?.retryAt && new Date(journal.retryAt) > now) {
        outcome = {
          name,
          result: "backoff",
          message: "waiting before retrying a failed step.",
          retryAt: journal.retryAt,
        };
        return false;
      }
      if (options.dryRun) {
        outcome = { name, result: "would-rotate" };
        return false;
      }
      timeoutMs = (policy.timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS) * 1000;
      return true;
    };

    if (options.dryRun) {
      const record = await access.read(name);
      if (!record) throw missing(access.agent, name);
      decide(record, access.now());
      return outcome ?? { name, result: "not-due" };
    }
    let found = false;
    await access.update(name, (record) => {
      found = true;
      const now = access.now();
      if (!decide(record, now)) return false;
      const journal: RotationJournal = record.journal
        ? { ...record.journal }
        : {
            attempts: 0,
            id: toBase64Url(randomBytes(16)),
            startedAt: now.toISOString(),
            step: "started",
          };
      journal.claim = this.#claim(now, timeoutMs);
      record.journal = journal;
      return true;
    });
    if (!found) throw missing(access.agent, name);
    if (outcome) return outcome;
    return this.#runSteps(name, timeoutMs);
  }

  #claim(now: Date, timeoutMs: number): NonNullable<RotationJournal["claim"]> {
    return {
      expiresAt: new Date(now.getTime() + timeoutMs + CLAIM_MARGIN_MS).toISOString(),
      host: this.#hostname.slice(0, 256),
      owner: this.#owner,
      pid: process.pid,
    };
  }

  /** Commits `change` to the journal, only while this runner still owns it. */
  async #commit(
    name: string,
    journalId: string,
    timeoutMs: number,
    change: (
      record: SecretRecord,
      journal: RotationJournal,
      seal: (value: string, version: number) => SealedVersion,
      historyLimit: number,
    ) => void,
  ): Promise<SecretRecord> {
    let after: SecretRecord | undefined;
    await this.#access.update(name, (record, seal, historyLimit) => {
      const journal = record.journal;
      if (!journal || journal.id !== journalId || journal.claim?.owner !== this.#owner) {
        throw vaultError(
          "CONFLICT",
          `The rotation of ${name} was cancelled, superseded by a new value, or taken over by another run.`,
          "Nothing to do: `vault status` shows its state.",
        );
      }
      const copy: RotationJournal = {
        ...journal,
        claim: this.#claim(this.#access.now(), timeoutMs),
      };
      record.journal = copy;
      change(record, copy, seal, historyLimit);
      after = record;
      return true;
    });
    if (!after) throw missing(this.#access.agent, name);
    return after;
  }

  async #runSteps(name: string, timeoutMs: number): Promise<RotationOutcome> {
    const access = this.#access;
    let record = await access.read(name);
    if (!record?.journal) throw missing(access.agent, name);
    const journalId = record.journal.id;
    for (;;) {
      const journal: RotationJournal | undefined = record.journal;
      if (!journal) throw missing(access.agent, name);
      const step = STEP_AFTER[journal.step];
      const currentSealed = record.versions.at(-1);
      const current = currentSealed ? access.decrypt(record, currentSealed) : undefined;
      const pending = journal.pending ? access.decrypt(record, journal.pending) : undefined;
      const rotator = record.rotation?.rotator ?? "";
      let value: string | undefined;
      try {
        value = await runRotatorStep(
          rotator,
          {
            agent: access.agent,
            name,
            step,
            ...(current ? { current } : {}),
            ...(pending ? { pending } : {}),
          },
          this.#host,
          timeoutMs,
        );
        if (step === "create") checkNewValue(name, value, current);
      } catch (error) {
        return this.#fail(name, journalId, timeoutMs, step, error, [
          current?.reveal(),
          pending?.reveal(),
          value,
        ]);
      }
      record = await this.#commit(
        name,
        journalId,
        timeoutMs,
        (edited, edit, seal, historyLimit) => {
          delete edit.error;
          delete edit.retryAt;
          if (step === "create" && value !== undefined) {
            edit.pending = seal(value, edited.nextVersion);
            edited.nextVersion += 1;
          }
          const done = DONE[step];
          if (done !== "promoted") {
            edit.step = done;
            return;
          }
          if (!edit.pending) throw missing(access.agent, name);
          edited.versions.push(edit.pending);
          const excess = edited.versions.length - historyLimit;
          if (excess > 0) edited.versions.splice(0, excess);
          edited.updatedAt = access.now().toISOString();
          delete edited.journal;
        },
      );
      const version = step === "create" ? record.journal?.pending?.version : undefined;
      await access.audit({
        op: "rotate",
        secret: name,
        detail: `step=${step}${version ? ` version=${version}` : ""}`,
        result: "ok",
      });
      if (!record.journal) {
        return { name, result: "rotated", version: record.versions.at(-1)?.version ?? 0 };
      }
    }
  }

  async #fail(
    name: string,
    journalId: string,
    timeoutMs: number,
    step: RotationStep,
    error: unknown,
    values: Array<string | undefined>,
  ): Promise<RotationOutcome> {
    if (isVaultError(error) && error.code !== "INVALID_VALUE") throw error;
    // Only agent-vault's own words are stored (the journal is not encrypted), redacted again
    // to be sure; what the rotator said goes to this run's caller, redacted, and nowhere else.
    const own =
      error instanceof RotatorFailure || isVaultError(error) ? error.message : "the step failed";
    const message = redactMessage(own, values);
    const detail =
      error instanceof RotatorFailure && error.detail ? redactMessage(error.detail, values) : "";
    const now = this.#access.now();
    let retryAt = "";
    await this.#commit(name, journalId, timeoutMs, (_record, journal) => {
      journal.attempts += 1;
      journal.error = { at: now.toISOString(), message, step };
      retryAt = new Date(now.getTime() + backoffMs(journal.attempts)).toISOString();
      journal.retryAt = retryAt;
      delete journal.claim;
    });
    await this.#access.audit({
      op: "rotate",
      secret: name,
      detail: `step=${step}`,
      result: "error",
      code: "ROTATION_FAILED",
    });
    return {
      name,
      result: "failed",
      step,
      message: detail ? `${message}: ${detail}` : message,
      retryAt,
    };
  }
}

function missing(agent: string, name: string) {
  return vaultError(
    "SECRET_NOT_FOUND",
    `Agent ${agent} has no secret ${name}.`,
    "List the secrets with `vault list`.",
  );
}

/** A created value must be a valid value, and new. @throws VaultError INVALID_VALUE */
function checkNewValue(
  name: string,
  value: string | undefined,
  current: SecretValue | undefined,
): void {
  if (value === undefined) throw new RotatorFailure("the rotator's create step returned no value.");
  checkSecretValue(name, value);
  if (current && current.reveal() === value) {
    throw new RotatorFailure("the rotator returned the current value again.");
  }
}
