/**
 * Which versions of a secret the vault still treats as valid, for the scanner: a value found
 * outside the vault is a live exposure when valid, and "exposed, already rotated" when not.
 *
 * - A removed secret has none (its history is kept for a rollback, not for use).
 * - Otherwise the current version and a pending one (a rotation in progress) are valid, and,
 *   for a secret with a rotation policy, the `keep` versions before the current (the policy's
 *   "previous versions that stay valid after a rotation").
 * - Without a policy a value replaced by `vault set` (or a rollback) is taken as replaced:
 *   `vault status` counts a sighting from before the last `vault set` as dealt with, and a
 *   scan of an old commit must not mark the secret exposed again once it was.
 */
import type { SealedVersion, SecretRecord } from "../file-format/vault-file.js";

/** Every version of `record` (kept and pending), each with whether the vault treats it as valid. */
export function versionsByValidity(
  record: SecretRecord,
): Array<{ sealed: SealedVersion; valid: boolean }> {
  const isRemoved = record.removedAt !== undefined;
  const keep = record.rotation?.keep ?? 0;
  const last = record.versions.length - 1;
  const kept = record.versions.map((sealed, index) => ({
    sealed,
    valid: !isRemoved && last - index <= keep,
  }));
  const pending = record.journal?.pending;
  return pending ? [...kept, { sealed: pending, valid: !isRemoved }] : kept;
}
