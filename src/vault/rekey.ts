/**
 * Rekey over the core: a new master key for the slot the vault was opened with (or a move to
 * another key source), and with a new data key every value sealed again (sealing.ts) and the
 * other slots re-wrapped where their keys are at hand. One atomic commit.
 */

import { deriveKeys, sealAuditKey, type VaultKeys, wipeKeys } from "../crypto/derived-keys.js";
import { KEY_BYTES, randomBytes, wipe } from "../crypto/sodium.js";
import { vaultError } from "../errors.js";
import type { KeySlot, SealedVersion } from "../file-format/vault-file.js";
import type { KeyStore } from "../keys/keystore/keystore.js";
import { createSlot, describeSlot, reachSlotKey, rewrapSlot } from "../keys/slots.js";
import { type KeySource, keySourceKind } from "../keys/sources.js";
import type { VaultCore } from "./core.js";
import { resolvePath } from "./paths.js";
import { resealVersion } from "./sealing.js";
import type { RekeyOptions, RekeyResult } from "./types.js";

/** A source for a new master key of the same kind as `slot`, where none has to be asked for. */
function sameKindSource(slot: KeySlot, keyStore: KeyStore | undefined, why?: string): KeySource {
  const kind = keySourceKind(slot.type);
  if (kind.renew && !why) return kind.renew(keyStore);
  throw vaultError(
    "USAGE",
    why
      ? `The ${slot.type} key ${why}: name the key to use.`
      : `A new ${slot.type} key needs to be given.`,
    kind.hints.newKey,
  );
}

/** The slots other than `current` re-wrapped under `dataKey` where their keys are at hand; the others dropped. */
async function rewrapOthers(
  core: VaultCore,
  current: KeySlot,
  dataKey: Uint8Array,
): Promise<{ rewrapped: Map<string, KeySlot>; dropped: KeySlot[] }> {
  const { file, keyStore } = core.state;
  const rewrapped = new Map<string, KeySlot>();
  const dropped: KeySlot[] = [];
  for (const slot of file.slots) {
    if (slot.id === current.id) continue;
    const kek = await reachSlotKey(slot, keyStore);
    const again = kek ? rewrapSlot(file, slot, kek, dataKey) : undefined;
    if (kek) wipe(kek);
    if (again) rewrapped.set(slot.id, again);
    else dropped.push(slot);
  }
  return { rewrapped, dropped };
}

/** @see Vault.rekey */
export async function rekeyVault(core: VaultCore, options: RekeyOptions): Promise<RekeyResult> {
  return core.operation(async () => {
    await core.refresh();
    const state = core.state;
    const agent = core.agent;
    const file = state.file;
    const current = file.slots.find((slot) => slot.id === state.slotId);
    if (!current) {
      throw vaultError(
        "CONFLICT",
        `The key this vault of agent ${agent} was opened with was revoked meanwhile.`,
        "Open the vault again with a key it still has.",
      );
    }
    // A new data key alone keeps the master key when it is at hand (keychain, key file).
    const keepMasterKey = options.dataKey === true && options.to === undefined;
    const target =
      options.to ?? (keepMasterKey ? undefined : sameKindSource(current, state.keyStore));
    if (target?.kind === "keyfile" && current.keyFile === resolvePath(target.path)) {
      throw vaultError(
        "USAGE",
        "A new master key needs a new key file: the current one stays valid until the switch.",
        "Name a new path with --new-key-file; delete the old file after the rekey.",
      );
    }
    const newDataKey = options.dataKey ? randomBytes(KEY_BYTES) : state.keys.dataKey;
    let rewrapped = new Map<string, KeySlot>();
    let dropped: KeySlot[] = [];
    if (options.dataKey) {
      ({ rewrapped, dropped } = await rewrapOthers(core, current, newDataKey));
      if (dropped.length > 0 && !options.dropUnreachable) {
        wipe(newDataKey);
        throw vaultError(
          "INVALID_INPUT",
          `A new data key would shut out key ${dropped.map((slot) => slot.label).join(", ")}: ${dropped.length === 1 ? "its key is" : "their keys are"} not at hand (a passphrase or CI key).`,
          "Pass --drop-slots to drop them (add them again after: vault key add-ci NAME), or revoke them first.",
        );
      }
    }
    let added: Awaited<ReturnType<typeof createSlot>>;
    try {
      if (target) {
        added = await createSlot(target, newDataKey, {
          vaultId: file.vaultId,
          agent,
          label: current.label,
          createdAt: state.now().toISOString(),
        });
      } else {
        const kek = await reachSlotKey(current, state.keyStore);
        const again = kek ? rewrapSlot(file, current, kek, newDataKey) : undefined;
        if (kek) wipe(kek);
        if (!again) throw sameKindSource(current, undefined, "is not at hand again");
        added = { slot: again, rollback: async () => {} };
      }
    } catch (error) {
      if (options.dataKey) wipe(newDataKey);
      throw error;
    }
    let newKeys: VaultKeys | undefined;
    if (options.dataKey) {
      const derived = deriveKeys(newDataKey);
      wipe(derived.auditKey);
      // The audit chain keeps its key: sealed in the file under the new data key.
      newKeys = { ...derived, auditKey: state.keys.auditKey.slice() };
    }
    const detail = `slot=${current.label} from=${current.type} to=${target?.kind ?? "same-key"}${options.dataKey ? " data-key=new" : ""}`;
    try {
      await core.audited({ op: "rekey", detail }, () =>
        core.mutate((body) => {
          const index = body.slots.findIndex((slot) => slot.id === current.id);
          if (index < 0 || (newKeys && body.generation !== file.generation)) {
            throw vaultError(
              "CONFLICT",
              `The vault of agent ${agent} changed while it was being rekeyed.`,
              "Run the rekey again.",
            );
          }
          if (!newKeys) {
            body.slots[index] = added.slot;
            return true;
          }
          const keys = newKeys;
          body.slots = body.slots.flatMap((slot) =>
            slot.id === current.id ? [added.slot] : (rewrapped.get(slot.id) ?? []),
          );
          body.sealedAuditKey = sealAuditKey(keys.auditKey, keys.dataKey, body);
          body.secrets = body.secrets.map((record) => {
            const copy = structuredClone(record);
            const reseal = (sealed: SealedVersion) =>
              resealVersion(state.keys.valueKey, keys.valueKey, body, record.name, sealed);
            copy.versions = copy.versions.map(reseal);
            if (copy.journal?.pending) copy.journal.pending = reseal(copy.journal.pending);
            return copy;
          });
          return true;
        }, newKeys),
      );
    } catch (error) {
      await added.rollback();
      if (newKeys) wipeKeys(newKeys);
      throw error;
    }
    state.slotId = added.slot.id;
    if (target) {
      // The old master key no longer opens anything: its keychain item goes (a failure leaves
      // a harmless orphan).
      await keySourceKind(current.type).forget?.(current, state.keyStore);
    }
    const result: RekeyResult = {
      slot: describeSlot(added.slot),
      replaced: describeSlot(current),
      dataKeyReplaced: options.dataKey === true,
      rewrapped: [...rewrapped.values()].map(describeSlot),
      dropped: dropped.map(describeSlot),
    };
    if (added.revealOnce !== undefined) result.key = added.revealOnce;
    return result;
  });
}
