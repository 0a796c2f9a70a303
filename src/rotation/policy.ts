/**
 * Rotation policies: a cron schedule in a time zone and/or a maximum age, the rotator that
 * makes the next value, and how many previous versions stay valid. Checked here, once, when a
 * policy is set; the vault stores the checked form.
 */

import { vaultError } from "../errors.js";
import type { RotationRecord } from "../file-format/vault-file.js";
import { cronParser } from "./cron.js";
import { parseRotatorSpec } from "./rotator-spec.js";

/** A rotation policy as the library takes it. */
export interface RotationPolicy {
  /** Cron expression, five fields (`0 3 1 * *`) or `@daily`/`@weekly`/`@monthly`/`@yearly`. */
  schedule?: string;
  /** IANA time zone the schedule is read in (default UTC). */
  timezone?: string;
  /** Maximum age of the current value: seconds, or `90m`, `12h`, `30d`, `8w`. */
  maxAge?: string | number;
  /** `random:<bytes>[:<alphabet>][:<prefix>]`, or a name the rotation host or agent code serves. */
  rotator?: string;
  /** How many previous versions stay valid after a rotation (default 1). */
  keep?: number;
  /** Time limit of each rotator step, in seconds (default 60). */
  timeoutSeconds?: number;
}

/** The default number of previous versions that stay valid. */
export const DEFAULT_KEEP = 1;
/** The default time limit of a rotator step. */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 60;

const CRON_ALIASES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly"]);
const DURATION_UNITS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800 };

function invalidPolicy(message: string, hint: string) {
  return vaultError("INVALID_INPUT", message, hint);
}

/**
 * Checks a cron expression: five fields or an alias, accepted by cron-parser.
 * @throws VaultError INVALID_INPUT (with the parser's reason)
 */
export function checkSchedule(schedule: string, timezone = "UTC"): string {
  const trimmed = schedule.trim().replace(/\s+/g, " ");
  const fields = trimmed.split(" ");
  const hint =
    "Use five fields: minute hour day-of-month month day-of-week, e.g. '0 3 1 * *' (03:00 on the 1st), or @daily, @weekly, @monthly.";
  if (!(fields.length === 5 || (fields.length === 1 && CRON_ALIASES.has(trimmed)))) {
    throw invalidPolicy(
      `Invalid cron expression: expected 5 fields, got ${trimmed === "" ? 0 : fields.length}.`,
      hint,
    );
  }
  try {
    cronParser()
      .parse(trimmed, { tz: timezone, currentDate: new Date(0) })
      .next();
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 120) : "not understood";
    throw invalidPolicy(`Invalid cron expression (${reason}).`, hint);
  }
  return trimmed;
}

/**
 * Checks an IANA time zone name.
 * @throws VaultError INVALID_INPUT
 */
export function checkTimezone(timezone: string): string {
  try {
    if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timezone)) throw new RangeError("bad name");
    new Intl.DateTimeFormat("en-US", { timeZone: timezone }).format(0);
    return timezone;
  } catch {
    throw invalidPolicy(
      "Unknown time zone.",
      "Use an IANA time zone name such as UTC, Europe/Paris or America/New_York.",
    );
  }
}

/**
 * Parses a maximum age (`30d`, `12h`, `90m`, `8w`, or seconds) into seconds (at least 60).
 * @throws VaultError INVALID_INPUT
 */
export function parseMaxAge(maxAge: string | number): number {
  let seconds: number | undefined;
  if (typeof maxAge === "number") seconds = maxAge;
  else {
    const match = /^(\d{1,7})([mhdw])$/.exec(maxAge.trim());
    if (match?.[1] && match[2]) seconds = Number(match[1]) * (DURATION_UNITS[match[2]] ?? 0);
  }
  if (
    seconds === undefined ||
    !Number.isInteger(seconds) ||
    seconds < 60 ||
    seconds > 100 * 366 * 86_400
  ) {
    throw invalidPolicy(
      "Invalid maximum age.",
      "Give a number and a unit: 90m, 12h, 30d or 8w (at least one minute).",
    );
  }
  return seconds;
}

/** Formats seconds as the largest whole unit (`30d`), for display. */
export function formatDuration(seconds: number): string {
  for (const unit of ["w", "d", "h", "m"] as const) {
    const size = DURATION_UNITS[unit] ?? 1;
    if (seconds % size === 0 && seconds >= size) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/**
 * Checks a policy and returns the record the vault stores.
 * @throws VaultError INVALID_INPUT
 */
export function checkRotationPolicy(policy: RotationPolicy): RotationRecord {
  if (policy.schedule === undefined && policy.maxAge === undefined) {
    throw invalidPolicy(
      "A rotation policy needs a schedule or a maximum age.",
      "Give --rotate CRON (e.g. '0 3 1 * *') or --max-age 30d.",
    );
  }
  const timezone = policy.timezone === undefined ? undefined : checkTimezone(policy.timezone);
  const record: RotationRecord = { keep: policy.keep ?? DEFAULT_KEEP };
  if (!Number.isInteger(record.keep) || record.keep < 0 || record.keep > 100) {
    throw invalidPolicy("keep must be a whole number from 0 to 100.", "e.g. --keep 1");
  }
  if (policy.schedule !== undefined) record.schedule = checkSchedule(policy.schedule, timezone);
  if (timezone !== undefined && timezone !== "UTC") record.timezone = timezone;
  if (policy.maxAge !== undefined) record.maxAgeSeconds = parseMaxAge(policy.maxAge);
  if (policy.rotator !== undefined) {
    parseRotatorSpec(policy.rotator);
    record.rotator = policy.rotator.trim();
  }
  if (policy.timeoutSeconds !== undefined) {
    const timeout = policy.timeoutSeconds;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
      throw invalidPolicy(
        "The rotator time limit must be 1 to 3600 seconds.",
        "e.g. --rotator-timeout 60",
      );
    }
    record.timeoutSeconds = timeout;
  }
  return record;
}

/** The policy as the library shows it. */
export function describePolicy(record: RotationRecord): RotationPolicy {
  const policy: RotationPolicy = { keep: record.keep, timezone: record.timezone ?? "UTC" };
  if (record.schedule !== undefined) policy.schedule = record.schedule;
  if (record.maxAgeSeconds !== undefined) policy.maxAge = formatDuration(record.maxAgeSeconds);
  if (record.rotator !== undefined) policy.rotator = record.rotator;
  policy.timeoutSeconds = record.timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS;
  return policy;
}
