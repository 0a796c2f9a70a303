/**
 * Help for people at the command line: "did you mean" for mistyped commands and options
 * (naming only our own commands and options, never what was typed), and shell completion
 * scripts run by the real shells.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers/cli.js";

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ path: dir, cleanup } = tempDir("agent-vault-usage-"));
});

afterAll(() => cleanup());

describe("did you mean", () => {
  it("suggests the command or option that was probably meant", async () => {
    for (const [argv, message] of [
      [["sett", "NAME"], "Unknown command. Did you mean set?"],
      [["--verison"], "Unknown option. Did you mean --version?"],
      [["get", "--verison", "2", "NAME"], "Unknown option. Did you mean --version?"],
      [["key", "ad-ci", "ci"], "Unknown command. Did you mean add-ci?"],
      [["injct"], "Unknown command. Did you mean inject?"],
    ] as const) {
      const result = await runCli([...argv], { env: { HOME: dir } });
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
    const json = await runCli(["--json", "sett"], { env: { HOME: dir } });
    expect(JSON.parse(json.stdout).error.message).toBe("Unknown command. Did you mean set?");
  });

  it("never repeats what was typed, and suggests nothing for what is unlike any name", async () => {
    const typed = "--sk-live-4f9a8b7c6d5e";
    const result = await runCli(["get", typed, "NAME"], { env: { HOME: dir } });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("sk-live");
    expect(result.stderr).not.toContain("Did you mean");
    const word = await runCli(["xq7zzq"], { env: { HOME: dir } });
    expect(word.stderr).toContain("Unknown command.\n");
    expect(word.stderr).not.toContain("xq7zzq");
  });
});

/** True when `shell` runs here; in CI (where .ci/run installs it) a missing shell fails. */
function hasShell(shell: string): boolean {
  const found = spawnSync(shell, ["-c", "exit 0"]).status === 0;
  if (!found && process.env.CI) throw new Error(`${shell} is not installed (CI installs it)`);
  return found;
}

async function script(shell: string): Promise<string> {
  const result = await runCli(["completion", shell], { env: { HOME: dir } });
  expect(result.code, result.stderr).toBe(0);
  const path = join(dir, `vault.${shell}`);
  writeFileSync(path, result.stdout);
  return path;
}

/** Command lines and what completing their last word must offer. */
const LINES: Array<[string, string[]]> = [
  ["vault se", ["set"]],
  ["vault in", ["init", "inject"]],
  ["vault key a", ["add-ci", "add-file"]],
  ["vault --agent main g", ["get"]],
  ["vault get --v", ["--version"]],
  ["vault inject --o", ["--out-file"]],
  ["vault run -- np", []],
];

/**
 * Runs `shell` with `args`, each of {@link LINES} on its stdin (one completion per output
 * line), and checks every line's completions; returns the output lines.
 */
function completeLines(shell: string, args: string[]): string[] {
  const result = spawnSync(shell, args, {
    input: `${LINES.map(([line]) => line).join("\n")}\n`,
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  const outputs = result.stdout.trimEnd().split("\n");
  LINES.forEach(([line, expected], index) => {
    expect((outputs[index] ?? "").split(" ").filter(Boolean).sort(), line).toEqual(
      [...expected].sort(),
    );
  });
  return outputs;
}

describe("help", () => {
  it("ends vault --help with the environment variables read and the exit codes", async () => {
    for (const argv of [["--help"], []]) {
      const result = await runCli(argv, { env: { HOME: dir } });
      for (const line of [
        "AGENT_VAULT_HOME",
        "AGENT_VAULT_KEY_DIR",
        "PGPASSFILE",
        "2   usage or invalid input",
        "74  I/O error",
      ]) {
        expect(result.stdout, argv.join(" ")).toContain(line);
      }
    }
  });

  it("shows a command only the global options it uses, and still accepts the others", async () => {
    const completion = await runCli(["completion", "--help"], { env: { HOME: dir } });
    expect(completion.stdout).not.toContain("--key-file");
    expect(completion.stdout).not.toContain("--agent");
    const hook = await runCli(["hook", "install", "--help"], { env: { HOME: dir } });
    expect(hook.stdout).toContain("--agent");
    expect(hook.stdout).not.toContain("--passphrase-file");
    const get = await runCli(["get", "--help"], { env: { HOME: dir } });
    expect(get.stdout).toContain("--key-file");
    const script = await runCli(["completion", "bash", "--agent", "ops"], { env: { HOME: dir } });
    expect(script.code).toBe(0);
  });
});

describe("vault completion", () => {
  it("completes commands, subcommands and options in bash", async () => {
    const path = await script("bash");
    const program = [
      `source '${path}'`,
      `while IFS= read -r line; do`,
      `  read -ra COMP_WORDS <<< "$line"; COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=()`,
      `  _vault_completion vault; echo "\${COMPREPLY[*]}"`,
      `done`,
      `complete -p vault`,
    ].join("\n");
    const outputs = completeLines("bash", ["--norc", "-c", program]);
    expect(outputs.at(-1)).toBe("complete -o default -F _vault_completion vault");
  });

  it.runIf(hasShell("zsh"))("completes the same words in zsh (through bashcompinit)", async () => {
    const path = await script("zsh");
    // zsh's compgen lists every candidate and leaves filtering by prefix to compadd: filter here.
    const program = [
      `source '${path}'`,
      `while IFS= read -r line; do`,
      `  COMP_WORDS=(\${=line}); COMP_CWORD=$(( \${#COMP_WORDS} - 1 )); COMPREPLY=()`,
      `  _vault_completion vault`,
      `  echo "\${(M)COMPREPLY[@]:#\${COMP_WORDS[-1]}*}"`,
      `done`,
    ].join("\n");
    completeLines("zsh", ["-f", "-c", program]);
  });

  it.runIf(hasShell("fish"))("completes commands, subcommands and options in fish", async () => {
    const path = await script("fish");
    // fish completes only commands it can find: a stand-in `vault` on PATH.
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "vault"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, "vault"), 0o755);
    for (const [line, expected] of LINES.slice(0, -1)) {
      const result = spawnSync(
        "fish",
        ["--no-config", "-c", `source '${path}'; complete -C '${line}'`],
        { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } },
      );
      expect(result.status, result.stderr).toBe(0);
      const words = result.stdout
        .split("\n")
        .filter(Boolean)
        .map((entry) => entry.split("\t")[0]);
      expect(words.sort(), line).toEqual([...expected].sort());
    }
  });

  it("refuses an unknown shell", async () => {
    const result = await runCli(["completion", "tcsh"], { env: { HOME: dir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Shells: bash, zsh, fish.");
    expect(result.stderr).not.toContain("tcsh");
  });
});
