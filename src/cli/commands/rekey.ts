/**
 * `vault rekey`: a new master key for the slot the vault was opened with, a move to another key
 * source, and with --data-key a new data key and full re-encryption. Crash-safe: one atomic
 * write, after any new keychain item or key file exists.
 */
import { vaultError } from "../../errors.js";
import {
  ciKey,
  type KeySource,
  keychainKey,
  keyFileKey,
  passphraseKey,
} from "../../keys/sources.js";
import { type CommandSpec, note } from "../command.js";
import { type CommandContext, readPassphraseFile, resolvePath, withVault } from "../context.js";
import { chooseNewPassphrase } from "../new-passphrase.js";
import { progressLine } from "../progress.js";

const TARGETS = ["keychain", "passphrase", "keyfile", "ci"];

async function newPassphraseSource(
  ctx: CommandContext,
  file: string | undefined,
): Promise<KeySource> {
  const given =
    file === undefined
      ? undefined
      : await readPassphraseFile(ctx.io, file, "--new-passphrase-file");
  return passphraseKey(
    await chooseNewPassphrase(ctx, given, "vault rekey", "--new-passphrase-file F"),
  );
}

/** The source of the new master key; undefined: a new key of the kind in use (keychain). */
async function targetSource(
  ctx: CommandContext,
  options: Record<string, unknown>,
  currentType: string,
): Promise<KeySource | undefined> {
  if (
    options.to === undefined &&
    options.dataKey &&
    ["keychain", "keyfile"].includes(currentType)
  ) {
    return undefined; // keep the master key: the vault re-wraps it around the new data key
  }
  const to = (options.to as string | undefined) ?? currentType;
  if (!TARGETS.includes(to)) {
    throw vaultError(
      "USAGE",
      "--to takes keychain, passphrase, keyfile or ci.",
      "e.g. --to keychain",
    );
  }
  if (to === "keyfile") {
    if (options.newKeyFile === undefined) {
      throw vaultError(
        "USAGE",
        "A new key file needs a path: --new-key-file F (created with mode 0600 when absent).",
        "The old key file keeps working until the rekey is done; delete it after.",
      );
    }
    return keyFileKey(resolvePath(ctx.io, options.newKeyFile as string));
  }
  if (to === "passphrase") {
    return newPassphraseSource(ctx, options.newPassphraseFile as string | undefined);
  }
  if (to === "ci") return ciKey("");
  return keychainKey();
}

const rekey: CommandSpec = {
  name: "rekey",
  summary: "new master key or key source (crash-safe); --data-key also re-encrypts everything",
  options: [
    ["--to <source>", "keychain, passphrase, keyfile or ci (default: a new key of the same kind)"],
    ["--new-key-file <file>", "with --to keyfile: the new key file (a new path)"],
    ["--new-passphrase-file <file>", "with --to passphrase: the new passphrase"],
    ["--data-key", "also replace the data key and re-encrypt every value (after a revocation)"],
    [
      "--drop-slots",
      "with --data-key: drop keys whose master key is not at hand (CI keys, other passphrases)",
    ],
  ],
  help: "\nExamples:\n  vault rekey                                  (a new keychain key)\n  vault rekey --to keyfile --new-key-file ~/.config/agent.key\n  vault key revoke ci-old && vault rekey --data-key --drop-slots\n",
  async run(ctx, _args, options) {
    const result = await withVault(ctx, async (vault) => {
      const to = await targetSource(ctx, options, vault.unlockedWith.type);
      const progress = progressLine(ctx);
      progress.show(
        options.dataKey
          ? "Re-encrypting every value under a new data key…"
          : "Wrapping the data key under the new master key…",
        true,
      );
      return vault
        .rekey({
          ...(to ? { to } : {}),
          ...(options.dataKey ? { dataKey: true } : {}),
          ...(options.dropSlots ? { dropUnreachable: true } : {}),
        })
        .finally(() => progress.end());
    });
    if (ctx.json) {
      ctx.io.stdout(`${JSON.stringify({ agent: ctx.agent, ...result }, null, 2)}\n`);
      return 0;
    }
    if (result.key) ctx.io.stdout(`${result.key}\n`);
    const lines = [
      result.slot.id === result.replaced.id
        ? `Rekeyed agent ${ctx.agent}: every value is re-encrypted under a new data key; key ${result.slot.label} kept its master key.`
        : `Rekeyed agent ${ctx.agent}: key ${result.slot.label} is now a new ${result.slot.type} key${result.dataKeyReplaced ? ", and every value is re-encrypted under a new data key" : ""}.`,
    ];
    if (result.rewrapped.length > 0) {
      lines.push(`Still valid: ${result.rewrapped.map((slot) => slot.label).join(", ")}.`);
    }
    if (result.dropped.length > 0) {
      lines.push(
        `Dropped (add them again if still needed): ${result.dropped.map((slot) => slot.label).join(", ")}.`,
      );
    }
    if (result.key)
      lines.push("The line above is the new CI key (AGENT_VAULT_KEY); it is not shown again.");
    if (result.replaced.keyFile && result.replaced.keyFile !== result.slot.keyFile) {
      lines.push(
        `The old key file ${result.replaced.keyFile} no longer opens this vault; delete it when nothing else uses it.`,
      );
    }
    note(ctx, lines.join("\n"));
    return 0;
  },
};

/** `vault rekey`. */
export const rekeyCommands: CommandSpec[] = [rekey];
