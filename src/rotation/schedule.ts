/**
 * When a secret is due, and what state its rotation is in. The clock starts at the current
 * version's creation (a manual `vault set` counts as a rotation); the secret is due at the
 * first schedule occurrence after that, or when it reaches its maximum age, whichever is
 * first. A machine that slept through several occurrences is due once, not once per
 * occurrence: rotating moves the clock to now.
 */

import type { RotationJournal, SecretRecord } from "../file-format/vault-file.js";
import { cronParser } from "./cron.js";
import { describePolicy, type RotationPolicy } from "./policy.js";

/** Rotation states, as `vault status` shows them. */
export type RotationState = "ok" | "due" | "overdue" | "failing" | "manual";

/** The rotation status of one secret. Never holds a value. */
export interface RotationStatus {
  name: string;
  state: RotationState;
  policy: RotationPolicy;
  /** Creation of the current version: the last rotation, or the last manual set. */
  lastRotatedAt: string;
  ageSeconds: number;
  /** When the current value is (or was) due for rotation. */
  dueAt: string;
  /** A rotation that started and has not finished: its last completed step. */
  inProgress?: { step: RotationJournal["step"]; startedAt: string; attempts: number };
  /** The last failed step, with the rotator's (redacted) message. */
  error?: { step: string; message: string; at: string };
  /** No automatic retry before this time (backoff after failures). */
  retryAt?: string;
  /** A scan found the value in a file at this time, after it was last rotated. */
  exposedAt?: string;
}

/** Default grace before a due secret counts as overdue. */
export const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * Next schedule occurrences, cached: cron-parser takes about 0.3 ms per occurrence, and many
 * secrets share a schedule and were rotated in the same window. If `next(t0) = o` then
 * `next(t) = o` for every t in [t0, o), so each known interval answers every query inside it.
 */
export class ScheduleCalendar {
  readonly #intervals = new Map<string, Array<{ from: number; next: number }>>();

  /** The first occurrence of `schedule` strictly after `after`, in `timezone`. */
  nextAfter(schedule: string, timezone: string, after: Date): Date {
    const key = `${timezone}\u0000${schedule}`;
    const time = after.getTime();
    const known = this.#intervals.get(key) ?? [];
    for (const interval of known) {
      if (interval.from <= time && time < interval.next) return new Date(interval.next);
    }
    const next = cronParser()
      .parse(schedule, { currentDate: after, tz: timezone })
      .next()
      .getTime();
    known.push({ from: time, next });
    if (known.length > 64) known.shift();
    this.#intervals.set(key, known);
    return new Date(next);
  }
}

/** The current version's creation time: when the clock of the schedule started. */
export function lastRotatedAt(record: SecretRecord): Date {
  const current = record.versions.at(-1);
  return new Date(current?.createdAt ?? record.createdAt);
}

/** When `record` is due (undefined: it has no rotation policy). */
export function dueAt(
  record: SecretRecord,
  calendar: ScheduleCalendar,
  exposedAt?: Date,
): Date | undefined {
  const policy = record.rotation;
  if (!policy) return undefined;
  const since = lastRotatedAt(record);
  let due = Number.POSITIVE_INFINITY;
  if (policy.schedule !== undefined) {
    due = calendar.nextAfter(policy.schedule, policy.timezone ?? "UTC", since).getTime();
  }
  if (policy.maxAgeSeconds !== undefined) {
    due = Math.min(due, since.getTime() + policy.maxAgeSeconds * 1000);
  }
  if (exposedAt && exposedAt.getTime() > since.getTime()) due = Math.min(due, exposedAt.getTime());
  return new Date(due);
}

/** True when `record` should rotate now: due, or a rotation is in progress. */
export function isDue(
  record: SecretRecord,
  now: Date,
  calendar: ScheduleCalendar,
  exposedAt?: Date,
): boolean {
  if (record.journal) return true;
  const due = dueAt(record, calendar, exposedAt);
  return due !== undefined && due.getTime() <= now.getTime();
}

/** The rotation status of `record` at `now` (undefined: no rotation policy). */
export function rotationStatus(
  record: SecretRecord,
  now: Date,
  calendar: ScheduleCalendar,
  options: { graceSeconds?: number; exposedAt?: Date } = {},
): RotationStatus | undefined {
  const policy = record.rotation;
  const due = dueAt(record, calendar, options.exposedAt);
  if (!policy || !due) return undefined;
  const since = lastRotatedAt(record);
  const grace = (options.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  const journal = record.journal;
  const isPastDue = due.getTime() <= now.getTime() || journal !== undefined;
  let state: RotationState = "ok";
  if (isPastDue && now.getTime() - due.getTime() > grace) state = "overdue";
  else if (journal?.error) state = "failing";
  else if (isPastDue) state = policy.rotator === undefined ? "manual" : "due";
  const status: RotationStatus = {
    name: record.name,
    state,
    policy: describePolicy(policy),
    lastRotatedAt: since.toISOString(),
    ageSeconds: Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000)),
    dueAt: due.toISOString(),
  };
  if (journal) {
    status.inProgress = {
      step: journal.step,
      startedAt: journal.startedAt,
      attempts: journal.attempts,
    };
    if (journal.error) status.error = { ...journal.error };
    if (journal.retryAt) status.retryAt = journal.retryAt;
  }
  if (options.exposedAt && options.exposedAt.getTime() > since.getTime()) {
    status.exposedAt = options.exposedAt.toISOString();
  }
  return status;
}
