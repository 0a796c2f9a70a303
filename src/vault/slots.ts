/**
 * Key slots over the core: list them, add one (a new master key wrapping the data key), and
 * revoke one (and its keychain item).
 */
import { vaultError } from "../errors.js";
import type { KeySlot, VaultBody } from "../file-format/vault-file.js";
import { checkSlotLabel } from "../grammar.js";
import type { KeyStore } from "../keys/keystore/keystore.js";
import { createSlot, describeSlot, type KeySlotInfo } from "../keys/slots.js";
import { type KeySource, keySourceKind } from "../keys/sources.js";
import type { VaultCore } from "./core.js";
import type { AddedKey } from "./types.js";

/** Limit of format v1 (file-format/vault-file.ts): checked before writing, so no write makes an unreadable file. */
const MAX_SLOTS = 256;

function assertLabelFree(core: VaultCore, body: VaultBody, label: string): void {
  if (body.slots.some((slot) => slot.label === label)) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Agent ${core.agent}'s vault already has a key named ${label}.`,
      "Pick another name, or revoke the old key first (`vault key revoke NAME`).",
    );
  }
}

/** @see Vault.keys */
export function listSlots(core: VaultCore): KeySlotInfo[] {
  core.assertOpen();
  return core.state.file.slots.map(describeSlot);
}

/** @see Vault.unlockedWith */
export function unlockedWith(core: VaultCore): KeySlotInfo {
  const { file, slotId } = core.state;
  const slot = file.slots.find((entry) => entry.id === slotId);
  return slot ? describeSlot(slot) : { id: slotId, type: "ci", label: "?", createdAt: "" };
}

/** @see Vault.addKey */
export async function addSlot(
  core: VaultCore,
  source: KeySource,
  label: string,
): Promise<AddedKey> {
  return core.operation(async () => {
    checkSlotLabel(label);
    const state = core.state;
    await core.refresh();
    assertLabelFree(core, state.file, label);
    const added = await createSlot(source, state.keys.dataKey, {
      vaultId: state.file.vaultId,
      agent: core.agent,
      label,
      createdAt: state.now().toISOString(),
    });
    try {
      await core.audited({ op: "key-add", detail: `slot=${label} type=${source.kind}` }, () =>
        core.mutate((body) => {
          assertLabelFree(core, body, label);
          const most = keySourceKind(source.kind).maxSlots;
          if (
            most !== undefined &&
            body.slots.filter((s) => s.type === source.kind).length >= most
          ) {
            throw vaultError(
              "INVALID_INPUT",
              `Agent ${core.agent}'s vault already has ${most} ${source.kind} keys, the most an unlock tries.`,
              "Revoke one first (`vault key revoke NAME`).",
            );
          }
          if (body.slots.length >= MAX_SLOTS) {
            throw vaultError(
              "INVALID_INPUT",
              `Agent ${core.agent}'s vault already has ${MAX_SLOTS} keys.`,
              "Revoke keys no longer in use (`vault key list`, `vault key revoke NAME`).",
            );
          }
          body.slots.push(added.slot);
          return true;
        }),
      );
    } catch (error) {
      await added.rollback();
      throw error;
    }
    return added.revealOnce === undefined
      ? { slot: describeSlot(added.slot) }
      : { slot: describeSlot(added.slot), key: added.revealOnce };
  });
}

/** @see Vault.revokeKey */
export async function revokeSlot(
  core: VaultCore,
  label: string,
  options: { keyStore?: KeyStore },
): Promise<KeySlotInfo & { keychainItemRemoved?: boolean }> {
  checkSlotLabel(label);
  let removed: (KeySlotInfo & { keychainItemRemoved?: boolean }) | undefined;
  let revoked: KeySlot | undefined;
  await core.audited({ op: "key-revoke", detail: `slot=${label}` }, () =>
    core.mutate((body) => {
      const index = body.slots.findIndex((slot) => slot.label === label);
      const slot = body.slots[index];
      if (!slot) {
        throw vaultError(
          "KEY_SLOT_NOT_FOUND",
          `Agent ${core.agent}'s vault has no key named ${label}.`,
          "List the keys with `vault key list`.",
        );
      }
      if (body.slots.length === 1) {
        throw vaultError(
          "INVALID_INPUT",
          `Key ${label} is the only key of agent ${core.agent}'s vault; revoking it would lock the vault for good.`,
          "Add another key first (`vault key add-ci NAME`).",
        );
      }
      body.slots.splice(index, 1);
      removed = describeSlot(slot);
      revoked = slot;
      return true;
    }),
  );
  if (revoked && removed) {
    // The slot is gone from the vault; a key it kept elsewhere is now useless and should not linger.
    const forgotten = await keySourceKind(revoked.type).forget?.(revoked, options.keyStore);
    if (forgotten !== undefined) removed.keychainItemRemoved = forgotten;
  }
  return removed as KeySlotInfo & { keychainItemRemoved?: boolean };
}
