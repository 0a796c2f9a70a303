/**
 * `vault audit [--verify]` and `vault import FILE.env`.
 */
import { vaultError } from "../../errors.js";
import { SECRET_NAME_PATTERN } from "../../grammar.js";
import { type CommandSpec, emit } from "../command.js";
import { readUserFile, resolvePath, withVault } from "../context.js";

const audit: CommandSpec = {
  name: "audit",
  summary: "the agent's audit log; --verify checks its hash chain (exit 1 when broken)",
  options: [
    ["--verify", "check the keyed hash chain"],
    ["--limit <n>", "show only the last N records"],
  ],
  async run(ctx, _args, options) {
    return withVault(ctx, async (vault) => {
      if (options.verify) {
        const result = await vault.verifyAudit();
        emit(
          ctx,
          { agent: ctx.agent, ...result },
          result.ok
            ? `Audit log of agent ${ctx.agent}: ${result.records} records, chain intact (${result.keyedRecords} keyed).`
            : [
                `Audit log of agent ${ctx.agent} is BROKEN:`,
                ...result.problems.map((p) => `  ${p}`),
              ],
        );
        return result.ok ? 0 : 1;
      }
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      const all = await vault.auditRecords();
      const records = limit && limit > 0 ? all.slice(-limit) : all;
      emit(
        ctx,
        { agent: ctx.agent, records },
        records.map((r) =>
          [
            r.time,
            r.op.padEnd(10),
            (r.secret ?? "").padEnd(24),
            r.result,
            r.code ?? "",
            r.detail ?? "",
            r.actor,
          ]
            .filter((part) => part !== "")
            .join("  "),
        ),
      );
      return 0;
    });
  },
};

/** Lines dotenv would skip that are not blank or comments: a malformed file. */
function hasStrayLines(text: string, parsedCount: number): boolean {
  const meaningful = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  return meaningful.length > 0 && parsedCount === 0;
}

const importEnv: CommandSpec = {
  name: "import",
  summary: "move secrets from a dotenv file into the vault (reports names, never values)",
  args: ["<file>"],
  options: [["--overwrite", "store a new version of secrets that already exist"]],
  async run(ctx, args, options) {
    const path = resolvePath(ctx.io, args[0] as string);
    const hint = "Give a dotenv file: NAME=value lines.";
    const bytes = await readUserFile(ctx.io, path, "the dotenv file", { hint });
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw vaultError("INVALID_INPUT", "The dotenv file is not UTF-8 text.", hint);
    }
    if (text.includes("\0")) {
      throw vaultError(
        "INVALID_INPUT",
        "The file is not a dotenv file (it holds NUL bytes).",
        "Give a dotenv file: NAME=value lines.",
      );
    }
    // Loaded here, not at startup: only import needs it, and `vault get` should start fast.
    const { parse: parseDotenv } = await import("dotenv");
    const entries = Object.entries(parseDotenv(text));
    if (hasStrayLines(text, entries.length)) {
      throw vaultError(
        "INVALID_INPUT",
        "The file has no NAME=value lines.",
        "Give a dotenv file: NAME=value lines.",
      );
    }
    const imported: string[] = [];
    const skipped: Array<{ name: string; reason: string }> = [];
    await withVault(ctx, async (vault) => {
      const toStore: Array<{ name: string; value: string }> = [];
      for (const [name, value] of entries) {
        if (!SECRET_NAME_PATTERN.test(name)) {
          skipped.push({
            name: name.slice(0, 128),
            reason: "not a valid secret name (A-Z, 0-9, _)",
          });
        } else if (value === "") {
          skipped.push({ name, reason: "empty value" });
        } else if (!options.overwrite && (await vault.has(name))) {
          skipped.push({ name, reason: "already in the vault (use --overwrite)" });
        } else {
          toStore.push({ name, value });
        }
      }
      // One write for the whole file: all of it is stored, or none of it.
      if (toStore.length > 0) await vault.setMany(toStore);
      imported.push(...toStore.map((entry) => entry.name));
    });
    emit(ctx, { agent: ctx.agent, file: path, imported, skipped }, [
      `Imported ${imported.length} secret(s) into agent ${ctx.agent}: ${imported.join(", ") || "none"}`,
      ...skipped.map((s) => `  skipped ${s.name}: ${s.reason}`),
      ...(imported.length > 0
        ? [`Next: delete or shred ${args[0]} (it still holds the values in plain text).`]
        : []),
    ]);
    return 0;
  },
};

/** Audit and import commands. */
export const auditCommands: CommandSpec[] = [audit, importEnv];
