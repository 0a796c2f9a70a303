/**
 * `vault scan --fix`: names each credential found (`--name`, or asked on a terminal, each name
 * checked as it is chosen), stores it in the vault and rewrites its file with references.
 */
import { vaultError } from "../../errors.js";
import { checkSecretName } from "../../names.js";
import { formatVaultReference } from "../../reference.js";
import { VAULT_SECRET_RULE } from "../../scan/engine.js";
import { type Replacement, replaceInFile, spanOfWholeValue } from "../../scan/fix.js";
import type { Finding } from "../../scan/rule.js";
import { findRule } from "../../scan/rules.js";
import type { SourceFindings } from "../../scan/scan.js";
import type { Vault } from "../../vault.js";
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
async function askName(ctx: CommandContext, finding: Finding): Promise<string> {
  const suggested = findRule(finding.ruleId)?.suggestedName ?? "SECRET";
  const question = `Vault name for the ${finding.description} at ${finding.file}:${finding.line} [${suggested}]: `;
  let answer: string;
  try {
    answer = (await ctx.io.promptHidden(question)).trim();
  } catch {
    throw vaultError("USAGE", "The prompt was interrupted; nothing was fixed.", "Run it again.");
  }
  return checkSecretName(answer === "" ? suggested : answer);
}

/** Why `name` cannot hold `secret`: another value in the vault, or in this run. */
async function nameClash(
  vault: Vault,
  chosen: ReadonlyMap<string, string>,
  name: string,
  secret: string,
): Promise<string | undefined> {
  const inRun = chosen.get(name);
  if (inRun !== undefined && inRun !== secret) {
    return `${name} is already the name of another credential in this fix.`;
  }
  if (inRun === undefined && (await vault.has(name)) && (await vault.get(name)) !== secret) {
    return `Secret ${name} already exists with another value.`;
  }
  return undefined;
}

/**
 * A vault value the vault still treats as valid: replaced by its reference. One rotated since
 * is left as it is (and reported): the reference would stand for another value now.
 */
function isLiveVaultSecret(finding: Finding): boolean {
  return finding.ruleId === VAULT_SECRET_RULE && finding.secretState !== "rotated";
}

interface FixOutcome {
  fixed: Array<{ file: string; line: number; rule: string; name: string }>;
  remaining: SourceFindings[];
}

/**
 * Names each found credential (checking each name as it is chosen), stores it in the vault
 * and rewrites its file with references. Off a terminal, a credential `--name` does not name
 * is left as it is (and reported); on one, its name is asked for.
 */
export async function fixFindings(
  ctx: CommandContext,
  bySource: SourceFindings[],
  choice: NameChoice,
): Promise<FixOutcome> {
  const found = bySource.flatMap((s) => s.findings);
  const toStore = found.filter((f) => f.severity === "error" && f.ruleId !== VAULT_SECRET_RULE);
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
  const foundVaultSecrets = found.some(isLiveVaultSecret);
  if (toStore.length === 0 && !foundVaultSecrets) return { fixed: [], remaining: bySource };
  const { withVault } = await import("../context.js");
  const fixed: FixOutcome["fixed"] = [];
  await withVault(ctx, async (vault) => {
    // secret -> name, and name -> secret, as chosen; each name is checked when it is chosen.
    const names = new Map<string, string>();
    const chosen = new Map<string, string>();
    for (const finding of toStore) {
      if (names.has(finding.match)) continue;
      const given = namedFor(choice, finding);
      if (given === undefined && !ctx.io.isTTY) continue;
      for (;;) {
        const name = given ?? (await askName(ctx, finding));
        const clash = await nameClash(vault, chosen, name, finding.match);
        if (clash === undefined) {
          names.set(finding.match, name);
          chosen.set(name, finding.match);
          break;
        }
        if (given !== undefined) {
          throw vaultError(
            "ALREADY_EXISTS",
            `${clash} Nothing was fixed.`,
            "Choose another name (--name), or `vault set` it yourself first.",
          );
        }
        note(ctx, `${clash} Choose another name.`);
      }
    }
    for (const [secret, name] of names) {
      if (!(await vault.has(name))) await vault.set(name, secret);
    }
    // A vault secret's value is read (once per name, one audited get) to replace all of it:
    // its fingerprints may cover only part.
    const values = new Map<string, string>();
    const storedValue = async (name: string) => {
      const known = values.get(name);
      if (known !== undefined) return known;
      const value = await vault.get(name);
      values.set(name, value);
      return value;
    };
    for (const { source, findings } of bySource) {
      const fixable = findings.filter(
        (f) => isLiveVaultSecret(f) || (f.severity === "error" && names.has(f.match)),
      );
      if (fixable.length === 0 || !source.path) continue;
      const content = source.content.toString("utf8");
      const replacements: Replacement[] = [];
      for (const f of fixable) {
        const name = f.secretName ?? (names.get(f.match) as string);
        const span =
          f.ruleId === VAULT_SECRET_RULE
            ? spanOfWholeValue(content, await storedValue(name), f)
            : f;
        replacements.push({ ...span, text: formatVaultReference(ctx.agent, name) });
      }
      await replaceInFile(source.path, content, replacements);
      const reported = new Set<string>();
      for (const f of fixable) {
        const name = f.secretName ?? (names.get(f.match) as string);
        const key = `${f.line}:${f.ruleId}:${name}`;
        if (reported.has(key)) continue; // pieces of one value found apart: one fix
        reported.add(key);
        fixed.push({ file: f.file, line: f.line, rule: f.ruleId, name });
        await vault.recordAudit({
          op: "scan-fix",
          secret: name,
          detail: `file=${f.file} line=${f.line} rule=${f.ruleId}`,
          result: "ok",
        });
      }
    }
  });
  const done = new Set(fixed.map((f) => `${f.file}:${f.line}:${f.rule}`));
  const remaining = bySource
    .map((s) => ({
      ...s,
      findings: s.findings.filter((f) => !done.has(`${f.file}:${f.line}:${f.ruleId}`)),
    }))
    .filter((s) => s.findings.length > 0);
  return { fixed, remaining };
}
