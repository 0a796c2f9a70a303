import { isVaultError, vaultError } from "../../errors.js";
import { checkSlotLabel } from "../../grammar.js";
import type { KeySlotInfo } from "../../keys/slots.js";
import { keyFileKey } from "../../keys/sources.js";
import { readVaultInfo } from "../../vault.js";
import { type CommandSpec, emit, note } from "../command.js";
import { ensureKeyFolder, keyFileInDir, resolvePath, withVault } from "../context.js";

function slotLine(slot: KeySlotInfo): string {
  const where = slot.keyFile
    ? `  ${slot.keyFile}`
    : slot.account
      ? `  keychain agent-vault/${slot.account}`
      : "";
  return `${slot.label.padEnd(20)} ${slot.type.padEnd(10)} ${slot.createdAt}${where}`;
}

const addCi: CommandSpec = {
  name: "key add-ci",
  summary: "add an independent CI key and print it once (for $AGENT_VAULT_KEY)",
  args: ["<name>"],
  async run(ctx, args) {
    const label = checkSlotLabel(args[0] as string);
    const added = await withVault(ctx, (vault) => vault.addCiKey(label));
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ agent: ctx.agent, slot: added.slot, key: added.key }, null, 2)}\n`,
      );
    } else {
      ctx.io.stdout(`${added.key}\n`);
      note(
        ctx,
        `Added CI key ${label} to agent ${ctx.agent}. Store the line above as the CI secret AGENT_VAULT_KEY; it is not shown again.\nRevoke it with: vault key revoke ${label}`,
      );
    }
    return 0;
  },
};

const addFile: CommandSpec = {
  name: "key add-file",
  summary: "add a key file slot: a new 0600 key file, or the key of an existing key file",
  args: ["<name>"],
  options: [
    ["--out <file>", "the new key file"],
    ["--out-dir <dir>", "write it as DIR/<agent>.key, for hosts that use --key-dir DIR"],
  ],
  help: "\nA rotation host serving many agents keeps one key file per agent in a folder:\n  vault --agent support key add-file rotation-host --out-dir /secure/keys\n  vault rotate --all-agents --key-dir /secure/keys\n",
  async run(ctx, args, options) {
    const label = checkSlotLabel(args[0] as string);
    const out = options.out as string | undefined;
    const outDir = options.outDir as string | undefined;
    if ((out === undefined) === (outDir === undefined)) {
      throw vaultError(
        "USAGE",
        "key add-file needs --out FILE or --out-dir DIR (one of them).",
        "e.g. vault key add-file rotation-host --out-dir /secure/keys",
      );
    }
    if (outDir) await ensureKeyFolder(ctx, outDir, "--out-dir");
    const path = out ? resolvePath(ctx.io, out) : keyFileInDir(ctx, outDir as string);
    const added = await withVault(ctx, (vault) => vault.addKey(keyFileKey(path), label));
    emit(
      ctx,
      { agent: ctx.agent, slot: added.slot, keyFile: path },
      `Added key file ${label} to agent ${ctx.agent}: ${path} (mode 0600).`,
    );
    note(ctx, `Revoke it with: vault key revoke ${label}`);
    return 0;
  },
};

const revoke: CommandSpec = {
  name: "key revoke",
  summary: "remove a key slot; the other keys keep working",
  args: ["<name>"],
  async run(ctx, args) {
    const label = args[0] as string;
    const removed = await withVault(ctx, (vault) => vault.revokeKey(label));
    emit(
      ctx,
      { agent: ctx.agent, revoked: removed },
      `Revoked key ${label} (${removed.type}) of agent ${ctx.agent}.`,
    );
    note(
      ctx,
      "The data key is unchanged: whoever holds the revoked key and a copy of this vault file can still decrypt that copy. If the key may have leaked, run `vault rekey --data-key` now (new data key, every value re-encrypted) and rotate the secrets it could read.",
    );
    return 0;
  },
};

const list: CommandSpec = {
  name: "key list",
  summary: "key slots of the agent's vault (no key material)",
  async run(ctx) {
    const info = await readVaultInfo(ctx.vaultOptions);
    emit(ctx, { agent: ctx.agent, keys: info.keys }, info.keys.map(slotLine));
    return 0;
  },
};

const agents: CommandSpec = {
  name: "agents",
  summary: "agents in this home and where each master key lives",
  async run(ctx) {
    const names = await ctx.store.listAgents();
    const rows = [];
    for (const agent of names) {
      try {
        rows.push({ ...(await readVaultInfo({ ...ctx.vaultOptions, agent })), ok: true });
      } catch (error) {
        if (!isVaultError(error)) throw error;
        rows.push({ agent, ok: false, error: error.toJSON() });
      }
    }
    const text =
      rows.length === 0
        ? [`No agents in ${ctx.home}. Create one: vault init --agent NAME`]
        : rows.map((row) =>
            "keys" in row
              ? `${row.agent.padEnd(20)} ${String(row.secrets).padStart(4)} secrets  keys: ${row.keys.map((k) => `${k.type}:${k.label}`).join(", ")}`
              : `${row.agent.padEnd(20)} unreadable: ${row.error.message}`,
          );
    emit(ctx, { home: ctx.home, agents: rows }, text);
    return rows.every((row) => row.ok) ? 0 : 1;
  },
};

/** Key slot and agent commands. */
export const keyCommands: CommandSpec[] = [addCi, addFile, revoke, list, agents];
