/**
 * Rotation over the core: the rotators agent code registers, status, the due rotations (local
 * `random:` ones in one write; the others through `RotationRunner`'s staged protocol, which
 * sees the vault only through the narrow `RotationAccess`), and cancelling one in progress.
 */
import type { AuditEntry } from "../audit.js";
import { isVaultError, vaultError } from "../errors.js";
import type { SecretRecord, VaultFile } from "../file-format/vault-file.js";
import { checkSecretName } from "../grammar.js";
import { checkRotationPolicy, describePolicy } from "../rotation/policy.js";
import { parseRotatorSpec, ROTATOR_NAME_PATTERN } from "../rotation/rotator-spec.js";
import { type Rotator, randomValue } from "../rotation/rotators.js";
import { type RotationAccess, type RotationOutcome, RotationRunner } from "../rotation/runner.js";
import {
  isDue,
  type RotationStatus,
  rotationStatus,
  ScheduleCalendar,
} from "../rotation/schedule.js";
import { SecretValue } from "../secret-value.js";
import { secretNotFound, type VaultCore } from "./core.js";
import type { RotateOptions, StatusOptions, VaultInfo } from "./types.js";

/** Whether a stored policy cannot be used: its rotator, schedule or time zone is not valid. */
function brokenPolicy(record: SecretRecord | undefined): boolean {
  const rotation = record?.rotation;
  if (!rotation) return false;
  try {
    checkRotationPolicy(describePolicy(rotation));
    return false;
  } catch {
    return true;
  }
}

/** `isDue`, with a policy that cannot be evaluated counted as due (it then fails on its own). */
function dueOrBroken(record: SecretRecord, isDueNow: () => boolean): boolean {
  if (brokenPolicy(record)) return true;
  try {
    return isDueNow();
  } catch {
    return true;
  }
}

/** Secrets whose rotation is overdue or failing, and the rotator each names (no key needed). */
export function rotationDebt(file: VaultFile, now: Date): VaultInfo["rotation"] {
  const calendar = new ScheduleCalendar();
  const debt: VaultInfo["rotation"] = { overdue: [], failing: [], rotators: [] };
  for (const record of file.secrets) {
    if (record.removedAt !== undefined) continue;
    const rotator = record.rotation?.rotator;
    if (rotator !== undefined) debt.rotators.push({ name: record.name, rotator });
    if (brokenPolicy(record)) {
      debt.failing.push(record.name);
      continue;
    }
    const state = rotationStatus(record, now, calendar)?.state;
    if (state === "overdue") debt.overdue.push(record.name);
    if (state === "failing") debt.failing.push(record.name);
  }
  return debt;
}

/** One open vault's rotation: its registered rotators and its cached schedule calendar. */
export class VaultRotation {
  readonly #core: VaultCore;
  readonly #rotators = new Map<string, Rotator>();
  readonly #calendar = new ScheduleCalendar();

  constructor(core: VaultCore) {
    this.#core = core;
  }

  /** @see Vault.registerRotator */
  register(name: string, rotator: Rotator): void {
    if (!ROTATOR_NAME_PATTERN.test(name)) {
      throw new TypeError(`"name" expected ${ROTATOR_NAME_PATTERN}, got an invalid name`);
    }
    if (typeof rotator?.create !== "function") {
      throw new TypeError(`"rotator" expected an object with a create() function`);
    }
    this.#rotators.set(name, rotator);
  }

  /** @see Vault.rotationStatus */
  async status(options: StatusOptions): Promise<RotationStatus[]> {
    const core = this.#core;
    core.assertOpen();
    await core.refresh();
    const now = options.now ?? core.state.now();
    const statuses: RotationStatus[] = [];
    for (const record of core.state.file.secrets) {
      if (record.removedAt !== undefined) continue;
      const exposedAt = options.exposures?.get(record.name);
      const status = rotationStatus(record, now, this.#calendar, {
        ...(options.graceSeconds === undefined ? {} : { graceSeconds: options.graceSeconds }),
        ...(exposedAt ? { exposedAt } : {}),
      });
      if (status) statuses.push(status);
    }
    return statuses;
  }

  /** @see Vault.rotate */
  async rotate(options: RotateOptions): Promise<RotationOutcome[]> {
    const core = this.#core;
    return core.operation(async () => {
      if (options.force && !options.names?.length) {
        throw vaultError(
          "USAGE",
          "Forcing a rotation needs the secrets to rotate.",
          "Name them: vault rotate NAME --force.",
        );
      }
      await core.refresh();
      const records = core.state.file.secrets;
      let names = this.#selected(records, options);
      const outcomes: RotationOutcome[] = [];
      const report = (outcome: RotationOutcome) => {
        options.onProgress?.(outcome);
        outcomes.push(outcome);
      };
      // A policy that cannot be read (written around the checks) fails its own secret only.
      const broken = names.filter((name) => brokenPolicy(records.find((r) => r.name === name)));
      for (const name of broken) {
        report({
          name,
          result: "failed",
          message: "its rotation policy is not valid: set it again with vault schedule.",
        });
      }
      names = names.filter((name) => !broken.includes(name));
      // Rotators that change nothing outside the vault (random:) need no staged journal: their
      // rotations are made and committed together, in one atomic write.
      const isLocal = (name: string) => {
        const record = records.find((entry) => entry.name === name);
        const rotator = record?.rotation?.rotator;
        return !record?.journal && rotator !== undefined && rotator.startsWith("random:");
      };
      const local = names.filter(isLocal);
      if (local.length > 0 && !options.dryRun) {
        for (const outcome of await this.#rotateLocally(local, options)) report(outcome);
        names = names.filter((name) => !local.includes(name));
      }
      const runner = new RotationRunner(
        this.#access(),
        {
          registered: this.#rotators,
          ...(options.hostRotators ? { commands: options.hostRotators } : {}),
          ...(options.env ? { env: options.env } : {}),
          ...(options.onOutput ? { onOutput: options.onOutput } : {}),
        },
        this.#calendar,
      );
      for (const name of names) {
        const exposedAt = options.exposures?.get(name);
        let outcome: RotationOutcome;
        try {
          outcome = await runner.rotateSecret(name, {
            ...(options.force ? { force: true } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
            ...(exposedAt ? { exposedAt } : {}),
          });
        } catch (error) {
          if (!isVaultError(error)) throw error;
          outcome = {
            name,
            result: error.code === "CONFLICT" || error.code === "BUSY" ? "busy" : "failed",
            message: error.message,
          };
        }
        report(outcome);
      }
      return outcomes;
    });
  }

  /** The names given (each checked to be a live secret), else the secrets due now. */
  #selected(records: readonly SecretRecord[], options: RotateOptions): string[] {
    if (options.names) {
      for (const name of options.names) {
        checkSecretName(name);
        const record = records.find((entry) => entry.name === name);
        if (!record || record.removedAt !== undefined) {
          throw secretNotFound(this.#core.agent, name, !!record);
        }
      }
      return [...new Set(options.names)];
    }
    const now = this.#core.state.now();
    return records
      .filter(
        (record) =>
          record.removedAt === undefined &&
          record.rotation !== undefined &&
          dueOrBroken(record, () =>
            isDue(record, now, this.#calendar, options.exposures?.get(record.name)),
          ),
      )
      .map((record) => record.name);
  }

  /** Rotates secrets with local rotators (random:) in one write; re-checks each is still due. */
  async #rotateLocally(names: string[], options: RotateOptions): Promise<RotationOutcome[]> {
    const core = this.#core;
    const outcomes = new Map<string, RotationOutcome>();
    const audits: AuditEntry[] = [];
    await core.mutate((body, edit) => {
      outcomes.clear();
      audits.length = 0;
      const now = core.state.now();
      for (const name of names) {
        const original = body.secrets.find((entry) => entry.name === name);
        const rotator = original?.rotation?.rotator;
        const exposedAt = options.exposures?.get(name);
        const isStillDue =
          original !== undefined &&
          original.removedAt === undefined &&
          !original.journal &&
          (options.force || isDue(original, now, this.#calendar, exposedAt));
        const spec = rotator === undefined ? undefined : parseRotatorSpec(rotator);
        if (!isStillDue || spec?.kind !== "random") {
          outcomes.set(name, { name, result: "not-due" });
          continue;
        }
        const record = edit(name) as SecretRecord;
        core.addVersion(body, record, randomValue(spec));
        const version = record.versions.at(-1)?.version ?? 0;
        outcomes.set(name, { name, result: "rotated", version });
        audits.push({
          op: "rotate",
          secret: name,
          detail: `step=create+finish version=${version}`,
          result: "ok",
        });
      }
      return audits.length > 0;
    });
    if (audits.length > 0) await core.recordAudit(audits);
    return names.map((name) => outcomes.get(name) ?? { name, result: "not-due" });
  }

  /** @see Vault.cancelRotation */
  async cancel(name: string): Promise<boolean> {
    const core = this.#core;
    checkSecretName(name);
    let cancelled = false;
    await core.audited({ op: "rotate", secret: name, detail: "cancelled" }, () =>
      core.mutate((_body, edit) => {
        const record = edit(name);
        if (!record) throw secretNotFound(core.agent, name);
        if (!record.journal) return false;
        delete record.journal;
        cancelled = true;
        return true;
      }),
    );
    return cancelled;
  }

  /** The narrow view of the vault the staged protocol works through. */
  #access(): RotationAccess {
    const core = this.#core;
    const state = core.state;
    return {
      agent: core.agent,
      now: () => state.now(),
      read: async (name) => {
        await core.refresh();
        return state.file.secrets.find((record) => record.name === name);
      },
      update: (name, change) =>
        core.mutate((body, edit) => {
          const record = edit(name);
          if (!record) return false;
          return change(
            record,
            (value, version) => core.sealVersion(body, name, version, value),
            body.settings.historyLimit,
          );
        }),
      decrypt: (record, sealed) =>
        new SecretValue(record.name, core.openSealed(state.file, record.name, sealed)),
      audit: (entry) => core.recordAudit(entry),
    };
  }
}
