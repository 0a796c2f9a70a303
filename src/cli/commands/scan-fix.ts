/**
 * `vault scan --fix`: how the command line names each credential found (`--name`, or asked on
 * a terminal); the move itself is the library's (scan/move-to-vault.ts).
 */
import { vaultError } from "../../errors.js";
import { checkSecretName } from "../../grammar.js";
import {
  credentialsToStore,
  isLiveVaultSecret,
  type MoveOutcome,
  moveFindingsToVault,
  type NameChooser,
} from "../../scan/move-to-vault.js";
import type { Finding } from "../../scan/rule.js";
import type { SourceFindings } from "../../scan/scan.js";
import { note } from "../command.js";
import type { CommandContext } from "../context.js";

/**
 * What `--name` says: one name for the one credential found (`--name NAME`), or a name per
 * finding (`--name LINE=NAME,FILE:LINE=NAME`).
 */
export type NameChoice =
  | { kind: "none" }
  | { kind: "one"; name: string }
  | { kind: "per-finding"; names: Array<{ file?: string; line: number; name: string }> };

/** Parses `--name`; a malformed entry is a usage error naming the form expected. */
export function parseNameChoice(value: unknown): NameChoice {
  if (value === undefined) return { kind: "none" };
  const text = String(value);
  if (!text.includes("=")) return { kind: "one", name: checkSecretName(text) };
  const names = text.split(",").map((entry) => {
    const match = /^(?:(.+):)?([1-9][0-9]{0,8})=([^=]+)$/.exec(entry.trim());
    if (!match) {
      throw vaultError(
        "USAGE",
        "--name takes NAME, or LINE=NAME and FILE:LINE=NAME entries separated by commas.",
        "e.g. vault scan --fix --name 3=GITHUB_TOKEN,MEMORY.md:7=NPM_TOKEN SOUL.md MEMORY.md",
      );
    }
    return {
      ...(match[1] !== undefined ? { file: match[1] } : {}),
      line: Number(match[2]),
      name: checkSecretName(match[3] as string),
    };
  });
  return { kind: "per-finding", names };
}

/** The name `--name LINE=NAME` gives this finding, if any. */
function namedFor(choice: NameChoice, finding: Finding): string | undefined {
  if (choice.kind === "one") return choice.name;
  if (choice.kind === "none") return undefined;
  return choice.names.find(
    (entry) =>
      entry.line === finding.line && (entry.file === undefined || entry.file === finding.file),
  )?.name;
}

/** Asks the terminal for a finding's name; Enter takes the rule's suggestion. */
async function askName(ctx: CommandContext, finding: Finding, suggested: string): Promise<string> {
  const question = `Vault name for the ${finding.description} at ${finding.file}:${finding.line} [${suggested}]: `;
  let answer: string;
  try {
    answer = (await ctx.io.promptHidden(question)).trim();
  } catch {
    throw vaultError("USAGE", "The prompt was interrupted; nothing was fixed.", "Run it again.");
  }
  return checkSecretName(answer === "" ? suggested : answer);
}

/**
 * Names each found credential (`--name`, or asked on a terminal, each name checked as it is
 * chosen), stores it in the vault and rewrites its file with references. Off a terminal, a
 * credential `--name` does not name is left as it is (and reported). A given name that cannot
 * hold its credential stops the fix before any write; a typed one is asked again.
 */
export async function fixFindings(
  ctx: CommandContext,
  bySource: SourceFindings[],
  choice: NameChoice,
): Promise<MoveOutcome> {
  const toStore = credentialsToStore(bySource);
  if (choice.kind === "one" && new Set(toStore.map((f) => f.match)).size > 1) {
    throw vaultError(
      "USAGE",
      `--name names one secret, and the scan found ${toStore.length} different ones.`,
      "Name each: --name LINE=NAME,FILE:LINE=NAME, or run on a terminal to be asked.",
    );
  }
  if (choice.kind === "per-finding") {
    for (const entry of choice.names) {
      if (!toStore.some((f) => namedFor({ kind: "per-finding", names: [entry] }, f))) {
        throw vaultError(
          "USAGE",
          `--name ${entry.file ? `${entry.file}:` : ""}${entry.line}=${entry.name} names no credential found; nothing was fixed.`,
          "Use the FILE:LINE the scan prints for the finding.",
        );
      }
    }
  }
  if (choice.kind === "none" && toStore.length > 0 && !ctx.io.isTTY) {
    throw vaultError(
      "USAGE",
      "--fix needs a secret name: --name NAME, or a terminal to ask on.",
      "Run it on a terminal, or name each finding with --name LINE=NAME.",
    );
  }
  const foundVaultSecrets = bySource.some((s) => s.findings.some(isLiveVaultSecret));
  if (toStore.length === 0 && !foundVaultSecrets) return { fixed: [], remaining: bySource };
  const chooseName: NameChooser = async (finding, suggested, refused) => {
    const given = namedFor(choice, finding);
    if (refused !== undefined) {
      if (given !== undefined) {
        throw vaultError(
          "ALREADY_EXISTS",
          `${refused} Nothing was fixed.`,
          "Choose another name (--name), or `vault set` it yourself first.",
        );
      }
      note(ctx, `${refused} Choose another name.`);
    }
    if (given !== undefined) return given;
    return ctx.io.isTTY ? askName(ctx, finding, suggested) : undefined;
  };
  const { withVault } = await import("../context.js");
  return withVault(ctx, (vault) =>
    moveFindingsToVault(vault, bySource, { agent: ctx.agent, chooseName }),
  );
}
