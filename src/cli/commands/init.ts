import { vaultError } from "../../errors.js";
import { defaultKeyStore } from "../../keys/keystore/default.js";
import {
  type KdfProfile,
  type KeySource,
  keychainKey,
  keyFileKey,
  passphraseKey,
} from "../../keys/sources.js";
import { createVault } from "../../vault.js";
import { type CommandSpec, emit } from "../command.js";
import {
  type CommandContext,
  ensureKeyFolder,
  keyFileInDir,
  keySourceFromFlags,
  resolvePath,
} from "../context.js";
import { chooseNewPassphrase } from "../new-passphrase.js";

const KDF_PROFILES = ["interactive", "moderate", "sensitive"];

async function newPassphrase(ctx: CommandContext, profile: KdfProfile): Promise<KeySource> {
  const given = await keySourceFromFlags(ctx);
  // A given passphrase is held to the rule for new ones by createVault.
  if (given?.kind === "passphrase") return passphraseKey(given.passphrase, profile);
  const typed = await chooseNewPassphrase(
    ctx,
    undefined,
    "vault init",
    "--passphrase-file F or $AGENT_VAULT_PASSPHRASE",
  );
  return passphraseKey(typed, profile);
}

async function chooseSource(
  ctx: CommandContext,
  options: Record<string, unknown>,
): Promise<KeySource> {
  const kind = (options.keySource as string | undefined) ?? "keychain";
  const profile = (options.kdf as string | undefined) ?? "moderate";
  if (!KDF_PROFILES.includes(profile)) {
    throw vaultError(
      "USAGE",
      "--kdf takes interactive, moderate or sensitive.",
      "The default, moderate, suits most hosts.",
    );
  }
  switch (kind) {
    case "keychain": {
      const keyStore = defaultKeyStore();
      // Fails with the typed reason (no D-Bus, no service, locked...) and the alternatives.
      await keyStore.probe();
      return keychainKey(keyStore);
    }
    case "passphrase":
      return newPassphrase(ctx, profile as KdfProfile);
    case "keyfile": {
      // Flags before the environment, as when unlocking.
      const { keyFile, keyDir } = ctx.options;
      const { AGENT_VAULT_KEY_FILE: envFile, AGENT_VAULT_KEY_DIR: envDir } = ctx.io.env;
      const dir = keyFile ? undefined : (keyDir ?? (envFile ? undefined : envDir));
      if (dir) {
        await ensureKeyFolder(ctx, dir, "--key-dir");
        return keyFileKey(keyFileInDir(ctx, dir));
      }
      const path = keyFile ?? envFile;
      if (!path) {
        throw vaultError(
          "USAGE",
          "--key-source keyfile needs --key-file F (or --key-dir D for D/<agent>.key).",
          "Name the file to create (mode 0600), e.g. --key-file ~/.config/agent-vault/main.key",
        );
      }
      return keyFileKey(resolvePath(ctx.io, path));
    }
    default:
      throw vaultError(
        "USAGE",
        "--key-source takes keychain, passphrase or keyfile.",
        "CI keys are added later with `vault key add-ci NAME`.",
      );
  }
}

const init: CommandSpec = {
  name: "init",
  summary: "create the agent's vault and its master key (keychain by default)",
  options: [
    ["--key-source <source>", "keychain | passphrase | keyfile"],
    ["--kdf <profile>", "Argon2id cost for a passphrase: interactive | moderate | sensitive"],
    ["--history <n>", "versions kept per secret (default 10)"],
  ],
  async run(ctx, _args, options) {
    // An existing vault is the answer before any key source is asked (or created).
    if (await ctx.store.token(ctx.agent)) {
      throw vaultError(
        "ALREADY_EXISTS",
        `Agent ${ctx.agent} already has a vault (${ctx.store.locate(ctx.agent)}).`,
        "Use it as it is (`vault list`), or pick another agent with --agent.",
      );
    }
    const source = await chooseSource(ctx, options);
    const historyLimit = options.history === undefined ? undefined : Number(options.history);
    const { vault } = await createVault({
      ...ctx.vaultOptions,
      keySource: source,
      ...(historyLimit === undefined ? {} : { historyLimit }),
    });
    const slot = vault.keys()[0];
    vault.close();
    emit(ctx, { agent: ctx.agent, location: vault.location, keySource: source.kind, slot }, [
      `Created the vault of agent ${ctx.agent} at ${vault.location}`,
      `Master key: ${source.kind}${slot?.keyFile ? ` (${slot.keyFile})` : ""}${slot?.account ? ` (keychain item agent-vault/${slot.account})` : ""}`,
      'Next: printf %s "$KEY" | vault set OPENAI_API_KEY',
    ]);
    return 0;
  },
};

/** `vault init`. */
export const initCommands: CommandSpec[] = [init];
