/**
 * The command samples of README.md and docs/ cannot go stale: every `vault` command line in a
 * shell block names a command and options that exist, and the blocks marked
 * `<!-- docs-test -->` run, as written, in a fresh folder with `vault` on PATH.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { describeCommands } from "../src/cli/run.js";
import { BIN, ROOT, tempDir } from "./helpers/cli.js";
import { prepareHome } from "./helpers/test-store.js";

const DOCS = [
  "README.md",
  "SECURITY.md",
  "examples/openclaw-workspace/README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console"]);
const RUN_MARKER = "<!-- docs-test -->";

interface Block {
  file: string;
  /** Line of the opening fence, 1-based. */
  line: number;
  text: string;
  runs: boolean;
}

function shellBlocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)/.exec(lines[i] as string);
    if (!fence) continue;
    const end = lines.findIndex((line, at) => at > i && line.startsWith("```"));
    if (end === -1) break;
    if (SHELL_LANGUAGES.has(fence[1] as string)) {
      blocks.push({
        file,
        line: i + 1,
        text: lines.slice(i + 1, end).join("\n"),
        runs: lines[i - 1]?.trim() === RUN_MARKER,
      });
    }
    i = end;
  }
  return blocks;
}

const BLOCKS = DOCS.flatMap(shellBlocks);

/** The words after each `vault` that starts a command (after a pipe, `&&`, `;`, `$(`, `VAR=x`). */
function vaultInvocations(text: string): string[][] {
  const invocations: string[][] = [];
  for (const rawLine of text.replaceAll("\\\n", " ").split("\n")) {
    const line = rawLine.replace(/(^|\s)#.*$/, "");
    const words = line.match(/'[^']*'|"[^"]*"|\$\(|\)|[^\s)]+/g) ?? [];
    let commandStart = true;
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (commandStart && word === "vault") {
        const args: string[] = [];
        for (
          i++;
          i < words.length && !["|", "&&", "||", ";", ")"].includes(words[i] as string);
          i++
        ) {
          args.push(words[i] as string);
        }
        invocations.push(args);
        commandStart = true;
        continue;
      }
      commandStart =
        ["|", "&&", "||", ";", "$(", "("].includes(word) ||
        word.endsWith(";") ||
        word.startsWith("$(") ||
        (commandStart && /^[A-Z_][A-Z0-9_]*=/.test(word));
      if (word.startsWith("$(vault") || word === "$(vault") commandStart = true;
    }
  }
  return invocations;
}

describe("the docs' command samples", () => {
  it("finds shell blocks with vault commands in the README and every page of docs/", () => {
    expect(BLOCKS.filter((block) => block.file === "README.md").length).toBeGreaterThan(0);
    for (const page of ["docs/cli.md", "docs/rotation.md", "docs/scanning.md", "docs/ci.md"]) {
      expect(
        BLOCKS.filter((block) => block.file === page).flatMap((b) => vaultInvocations(b.text)),
        page,
      ).not.toHaveLength(0);
    }
  });

  it("names only commands and options that exist", async () => {
    const { commands, globals } = await describeCommands();
    const long = (flags: string) => flags.match(/--[a-z][a-z0-9-]*/g) ?? [];
    const globalFlags = new Set([...globals.flatMap(long), "--help", "--version"]);
    const byName = new Map(commands.map((c) => [c.name, new Set(c.options.flatMap(long))]));
    const stale: string[] = [];
    for (const block of BLOCKS) {
      for (const args of vaultInvocations(block.text)) {
        const operands = args.filter((arg) => !arg.startsWith("-"));
        const name = [operands.slice(0, 2).join(" "), operands[0] ?? ""].find((n) => byName.has(n));
        const where = `${block.file}:${block.line}: vault ${args.join(" ")}`;
        if (name === undefined) {
          if (!args.every((arg) => globalFlags.has(arg))) stale.push(`${where} (no such command)`);
          continue;
        }
        const known = byName.get(name) as Set<string>;
        const end = args.indexOf("--");
        for (const arg of args.slice(0, end === -1 ? undefined : end)) {
          const flag = /^--[a-z][a-z0-9-]*/.exec(arg)?.[0];
          if (flag && !known.has(flag) && !globalFlags.has(flag)) {
            stale.push(`${where} (${name} has no ${flag})`);
          }
        }
      }
    }
    expect(stale).toEqual([]);
  });

  const runnable = BLOCKS.filter((block) => block.runs);
  it("marks at least the README's quick start to run", () => {
    expect(runnable.some((block) => block.file === "README.md")).toBe(true);
  });

  for (const block of runnable) {
    it(`runs ${block.file}:${block.line} as written`, async () => {
      const { path: work, cleanup } = tempDir("agent-vault-docs-");
      onTestFinished(cleanup);
      const bin = join(work, ".bin");
      mkdirSync(bin);
      const shim = join(bin, "vault");
      writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(shim, 0o755);
      prepareHome(join(work, ".agent-vault"));
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(
          "bash",
          ["-e", "-o", "pipefail", "-c", block.text],
          {
            cwd: work,
            env: {
              PATH: `${bin}:${process.env.PATH}`,
              HOME: work,
              AGENT_VAULT_HOME: join(work, ".agent-vault"),
            },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(result.code, result.stderr).toBe(0);
    });
  }
});
