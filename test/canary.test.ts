/**
 * The canary test of security-bar.md ("Nothing leaks"): store random canary values, drive every
 * command and every failure path reachable today, and search every output, error, audit record
 * and file for the canaries in any encoding. The only channels allowed to show a value are
 * `vault get`'s and `vault read`'s stdout, `vault inject -o -`'s stdout (each checked to hold
 * exactly what was asked for), the file `vault inject -o FILE` writes (checked, kept with the
 * test's own files) and the environment of the command `vault run` starts.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  type FSWatcher,
  mkdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  watch,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { loadAllCommands } from "../src/cli/command-table.js";
import { isVaultError, type VaultErrorCode } from "../src/errors.js";
import { encodeVaultFile, parseVaultFile } from "../src/file-format/vault-file.js";
import {
  ciKey,
  createVault,
  type KeyStore,
  KeytarKeyStore,
  keychainKey,
  keyFileKey,
  openVault,
  passphraseKey,
  readVaultInfo,
  resolveReferences,
} from "../src/index.js";
import { LeakSearch, makeCanaries } from "./fixtures/canary/leaks.js";
import { serveRotators } from "./fixtures/rotation/provider.js";
import { isRequired, need } from "./helpers/capabilities.js";
import {
  BIN,
  type CliResult,
  type RunCliOptions,
  runCli,
  spawnCli,
  tempDir,
} from "./helpers/cli.js";
import {
  holdStoredLock,
  ON_FILE_STORE,
  prepareHome,
  readStoredAudit,
  readStoredVault,
  removeStoredAgent,
  withDatabase,
  writeStoredAudit,
  writeStoredVault,
} from "./helpers/test-store.js";

const COMMANDS = await loadAllCommands();

const { c1: C1, c2: C2 } = makeCanaries();
const CANARIES = [C1, C2];
const PASSPHRASE = `pass-${randomBytes(8).toString("hex")}`;

/** Figures for the report, printed once at the end. */
const tally = {
  cliRuns: 0,
  cliFailureRuns: 0,
  commands: new Set<string>(),
  libraryCalls: 0,
  libraryFailures: 0,
  getOutputsChecked: 0,
  places: 0,
  bytes: 0,
  files: 0,
  transientFiles: 0,
};

afterAll(() => {
  console.log(
    [
      "canary test figures:",
      `  CLI runs: ${tally.cliRuns} (${tally.cliFailureRuns} on failure paths), commands: ${tally.commands.size} [${[...tally.commands].sort().join(", ")}]`,
      `  library calls inspected: ${tally.libraryCalls} (${tally.libraryFailures} errors)`,
      `  places searched: ${tally.places} (${tally.files} files, ${tally.transientFiles} caught while in flight), ${tally.bytes} bytes`,
      `  vault get outputs checked to hold the value only: ${tally.getOutputsChecked}`,
    ].join("\n"),
  );
});

function finish(search: LeakSearch): void {
  tally.places += search.places;
  tally.bytes += search.bytes;
  tally.files += search.files;
  expect(search.hits).toEqual([]);
}

/** `vault ...` with the canaries replaced by their labels. */
function labelOf(argv: string[]): string {
  return `vault ${argv.join(" ")}`.replaceAll(C1.value, "<C1>").replaceAll(C2.value, "<C2>");
}

/** The command an argv runs, for the tally. */
function commandOf(argv: string[]): string {
  for (let index = 0; index < argv.length; index++) {
    for (const spec of COMMANDS) {
      const words = spec.name.split(" ");
      if (words.every((word, offset) => argv[index + offset] === word)) return spec.name;
    }
  }
  return argv.find((arg) => arg.startsWith("-")) ?? "(no arguments)";
}

interface Step extends RunCliOptions {
  /** Expected exit code. */
  code: number;
  /** For `vault get`: the exact stdout expected (the value, and nothing else). */
  reveals?: string;
}

/** Runs CLI commands against one home, checking exit codes and searching every output. */
class Driver {
  constructor(
    readonly search: LeakSearch,
    readonly env: Record<string, string>,
    readonly runner: "in-process" | "spawned" = "in-process",
  ) {}

  async run(argv: string[], step: Step): Promise<CliResult> {
    const label = labelOf(argv);
    const env = { ...this.env, ...step.env } as Record<string, string>;
    const result =
      this.runner === "in-process"
        ? await runCli(argv, { ...step, env })
        : await spawnCli(argv, {
            env,
            ...(typeof step.stdin === "string" ? { stdin: step.stdin } : {}),
          });
    tally.cliRuns += 1;
    if (result.code !== 0) tally.cliFailureRuns += 1;
    tally.commands.add(commandOf(argv));
    expect(result.code, `${label}\n${result.stderr}${result.stdout}`).toBe(step.code);
    this.search.text(`stderr of ${label}`, result.stderr);
    if (step.reveals === undefined) {
      this.search.text(`stdout of ${label}`, result.stdout);
    } else {
      expect(result.stdout, `stdout of ${label}`).toBe(step.reveals);
      tally.getOutputsChecked += 1;
    }
    return result;
  }
}

/**
 * A temp root with a home, a key folder and an inputs folder (the test's own files), removed
 * when the test ends.
 */
function makeRoot() {
  const dir = tempDir("agent-vault-canary-");
  onTestFinished(() => dir.cleanup());
  const root = dir.path;
  const paths = {
    root,
    home: join(root, "home"),
    keys: join(root, "keys"),
    inputs: join(root, "inputs"),
  };
  prepareHome(paths.home);
  mkdirSync(paths.keys, { mode: 0o700 });
  mkdirSync(paths.inputs, { mode: 0o700 });
  const input = (name: string, content: string | Buffer) => {
    const path = join(paths.inputs, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  return {
    ...paths,
    input,
    value1: input("value1", `${C1.value}\n`),
    value2: input("value2", C2.value),
    passphraseFile: input("passphrase", `${PASSPHRASE}\n`),
    vaultFile: (agent = "main") => join(paths.home, "agents", agent, "vault.json"),
  };
}

/**
 * Replaces the stored audit log of `agent` with `text` (its lines, torn last line included):
 * the file's bytes, or on PostgreSQL one row per line.
 */
async function writeAuditText(home: string, agent: string, text: string): Promise<void> {
  if (ON_FILE_STORE) {
    writeFileSync(join(home, "agents", agent, "audit.jsonl"), text);
    return;
  }
  await writeStoredAudit(home, agent, text.split("\n").filter(Boolean));
}

/**
 * Searches every file under the test root and, on PostgreSQL, every row of the home's
 * database: the vault bodies as bytes, every other table (audit records, heads, agents, ...)
 * row by row as text.
 */
async function searchRoot(
  search: LeakSearch,
  place: string,
  root: { root: string; home: string; inputs: string },
): Promise<void> {
  search.tree(place, root.root, [root.inputs]);
  if (ON_FILE_STORE) return;
  await withDatabase(root.home, async (client) => {
    const vaults = await client.query<{ agent: string; body: Buffer }>(
      "SELECT agent, body FROM agent_vault.vaults",
    );
    for (const { agent, body } of vaults.rows) search.bytesAt(`${place}: vault row ${agent}`, body);
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'agent_vault' AND table_name <> 'vaults'`,
    );
    expect(tables.rows.map((row) => row.name)).toContain("audit_records");
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM agent_vault.${name} t`,
      );
      for (const [index, { row }] of rows.rows.entries()) {
        search.text(`${place}: table ${name} row ${index + 1}`, row);
      }
    }
  });
}

/** Reads every file that changes under `dir` while commands run (temp files, lock drafts). */
function watchInFlight(dir: string, search: LeakSearch): () => void {
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (!name) return;
      try {
        const bytes = readFileSync(join(dir, name));
        tally.transientFiles += 1;
        search.bytesAt(`in flight: ${name}`, bytes);
      } catch {
        // gone already, or a folder
      }
    });
  } catch {
    // recursive watching unsupported here: the final file search still runs
  }
  return () => watcher?.close();
}

/** Runs `action`, expecting a VaultError with `code` (or an error of class `code`). */
async function failure(
  errors: Array<[string, unknown]>,
  place: string,
  code: VaultErrorCode | "TypeError",
  action: () => Promise<unknown>,
): Promise<void> {
  tally.libraryCalls += 1;
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, `${place} should fail`).toBeDefined();
  tally.libraryFailures += 1;
  errors.push([place, caught]);
  if (code === "TypeError") expect(caught, place).toBeInstanceOf(TypeError);
  else expect(isVaultError(caught) ? caught.code : caught, place).toBe(code);
}

describe("the canary: no secret value leaks (security-bar.md)", () => {
  it("finds a canary planted in any of its searched forms (the search works)", () => {
    for (const canary of CANARIES) {
      const search = new LeakSearch([canary]);
      for (const form of search.forms) {
        const planted = Buffer.concat([randomBytes(7), form.needle, randomBytes(5)]);
        search.bytesAt(form.form, planted);
        expect(search.hits.map((hit) => hit.place)).toContain(form.form);
      }
      const bytes = Buffer.from(canary.value, "utf8");
      for (let shift = 0; shift < 3; shift++) {
        const framed = Buffer.concat([randomBytes(shift), bytes, randomBytes(4)]);
        for (const encoding of ["base64", "base64url", "hex"] as const) {
          const place = `${encoding} inside a longer blob, offset ${shift}`;
          search.text(place, `x${framed.toString(encoding)}y`);
          expect(search.hits.map((hit) => hit.place)).toContain(place);
        }
      }
      search.text("a piece of a value", `key starts ${canary.core.slice(3, 17)}...`);
      expect(search.hits.map((hit) => hit.place)).toContain("a piece of a value");
      search.error(
        "an error quoting the value",
        new Error("x", { cause: new Error(canary.value) }),
      );
      expect(search.hits.some((hit) => hit.place.includes("→ cause"))).toBe(true);
      const clean = new LeakSearch([canary]);
      clean.text("unrelated text", `canary- ${randomBytes(32).toString("hex")}`);
      expect(clean.hits).toEqual([]);
    }
  });

  it("shows a value only on vault get's stdout, whatever command runs", async () => {
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const v = new Driver(search, { AGENT_VAULT_HOME: root.home });
    const importFile = root.input(
      "import.env",
      [
        "# moved out of the old .env",
        `IMPORTED_ONE=${C1.value}`,
        `IMPORTED_TWO=\`${C2.value}\``,
        `API_KEY=${C1.value}`,
        `lower_case=${C1.value}`,
        "EMPTY_ONE=",
        "",
      ].join("\n"),
    );
    let stopWatching = () => {};
    try {
      await v.run([], { code: 0 });
      await v.run(["--help"], { code: 0 });
      await v.run(["--version"], { code: 0 });
      await v.run(["set", "--help"], { code: 0 });
      await v.run(["key", "--help"], { code: 0 });
      await v.run(["help", "get"], { code: 0 });

      const keyFile = join(root.keys, "main.key");
      await v.run(["init", "--key-source", "keyfile", "--key-file", keyFile], { code: 0 });
      await v.run(["--json", "init", "--agent", "second", "--key-source", "keyfile"], {
        code: 0,
        env: { AGENT_VAULT_KEY_FILE: join(root.keys, "second.key") },
      });
      await v.run(["init", "--agent", "pp", "--key-source", "passphrase", "--kdf", "interactive"], {
        code: 0,
        env: { AGENT_VAULT_PASSPHRASE: PASSPHRASE },
      });
      await v.run(
        ["init", "--agent", "typed", "--key-source", "passphrase", "--kdf", "interactive"],
        { code: 0, prompts: [PASSPHRASE, PASSPHRASE] },
      );
      stopWatching = watchInFlight(root.home, search);

      await v.run(["set", "API_KEY"], { code: 0, stdin: C1.value });
      await v.run(["set", "API_KEY", "--value-file", "-"], { code: 0, stdin: `${C1.value}\n` });
      await v.run(["set", "MULTI", "--value-file", root.value2], { code: 0 });
      await v.run(["set", "FROM_FILE", "--value-file", root.value1], { code: 0 });
      await v.run(
        [
          "--json",
          "set",
          "API_KEY",
          "--env",
          "OPENAI_API_KEY",
          "--tag",
          "llm",
          "--description",
          "model key",
        ],
        { code: 0, stdin: C1.value },
      );
      await v.run(["set", "PROMPTED"], { code: 0, prompts: [C1.value] });
      await v.run(["--agent", "second", "set", "API_KEY"], { code: 0, stdin: C1.value });
      await v.run(["--agent", "pp", "set", "API_KEY"], {
        code: 0,
        stdin: C1.value,
        env: { AGENT_VAULT_PASSPHRASE: PASSPHRASE },
      });
      await v.run(["--agent", "pp", "--passphrase-file", root.passphraseFile, "set", "MULTI"], {
        code: 0,
        stdin: `${C2.value}\n`,
      });
      await v.run(["--agent", "typed", "set", "API_KEY"], {
        code: 0,
        prompts: [C1.value, PASSPHRASE],
      });

      await v.run(["get", "API_KEY"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["get", "MULTI"], { code: 0, reveals: `${C2.value}\n` });
      await v.run(["get", "-n", "MULTI"], { code: 0, reveals: C2.value });
      await v.run(["get", "API_KEY", "--version", "1"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["get", "FROM_FILE"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["get", "PROMPTED"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["--json", "get", "MULTI"], {
        code: 0,
        reveals: `${JSON.stringify({ agent: "main", name: "MULTI", value: C2.value })}\n`,
      });
      await v.run(["--agent", "second", "get", "API_KEY"], {
        code: 0,
        reveals: `${C1.value}\n`,
      });
      await v.run(["--agent", "pp", "get", "MULTI"], {
        code: 0,
        reveals: `${C2.value}\n`,
        env: { AGENT_VAULT_PASSPHRASE: PASSPHRASE },
      });
      await v.run(["--agent", "typed", "get", "API_KEY"], {
        code: 0,
        reveals: `${C1.value}\n`,
        prompts: [PASSPHRASE],
      });

      await v.run(["list"], { code: 0 });
      await v.run(["--json", "list", "--all"], { code: 0 });
      await v.run(["--agent", "pp", "list"], {
        code: 0,
        env: { AGENT_VAULT_PASSPHRASE: PASSPHRASE },
      });
      await v.run(["history", "API_KEY"], { code: 0 });
      await v.run(["--json", "history", "MULTI"], { code: 0 });
      await v.run(["rollback", "API_KEY", "--to", "1"], { code: 0 });
      await v.run(["--json", "rollback", "API_KEY", "--to", "2"], { code: 0 });
      await v.run(["rm", "API_KEY"], { code: 0 });
      await v.run(["list", "--all"], { code: 0 });
      await v.run(["history", "API_KEY"], { code: 0 });
      await v.run(["rollback", "API_KEY", "--to", "3"], { code: 0 });
      await v.run(["--json", "rm", "FROM_FILE"], { code: 0 });
      await v.run(["set", "DOOMED"], { code: 0, stdin: C1.value });
      await v.run(["purge", "DOOMED"], { code: 0 });
      await v.run(["set", "DOOMED"], { code: 0, stdin: C2.value });
      await v.run(["--json", "purge", "DOOMED"], { code: 0 });

      await v.run(["agents"], { code: 0 });
      await v.run(["--json", "agents"], { code: 0 });
      const ci = (await v.run(["key", "add-ci", "ci-one"], { code: 0 })).stdout.trim();
      const ciJson = JSON.parse(
        (await v.run(["--json", "key", "add-ci", "ci-two"], { code: 0 })).stdout,
      ) as { key: string };
      await v.run(["key", "list"], { code: 0 });
      await v.run(["--json", "key", "list"], { code: 0 });
      await v.run(["get", "API_KEY"], {
        code: 0,
        reveals: `${C1.value}\n`,
        env: { AGENT_VAULT_KEY: ci },
      });
      await v.run(["list"], { code: 0, env: { AGENT_VAULT_KEY: ciJson.key } });
      await v.run(["key", "revoke", "ci-two"], { code: 0 });
      await v.run(["--json", "key", "revoke", "ci-one"], { code: 0 });

      await v.run(["import", importFile], { code: 0 });
      await v.run(["get", "IMPORTED_ONE"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["get", "IMPORTED_TWO"], { code: 0, reveals: `${C2.value}\n` });
      await v.run(["--json", "import", importFile, "--overwrite"], { code: 0 });
      await v.run(["--agent", "second", "import", importFile], { code: 0 });

      await v.run(["audit"], { code: 0 });
      await v.run(["audit", "--limit", "3"], { code: 0 });
      await v.run(["--json", "audit"], { code: 0 });
      await v.run(["audit", "--verify"], { code: 0 });
      await v.run(["--json", "audit", "--verify"], { code: 0 });
      await v.run(["--agent", "pp", "audit", "--verify"], {
        code: 0,
        env: { AGENT_VAULT_PASSPHRASE: PASSPHRASE },
      });
      await v.run(["doctor"], { code: 0 });
      await v.run(["--json", "doctor"], { code: 0 });

      // Rotation and rekeying: values move between versions, never into any output.
      await v.run(["set", "ROTATED", "--rotate", "@monthly", "--rotator", "random:32"], {
        code: 0,
        stdin: C1.value,
      });
      await v.run(["schedule", "ROTATED", "--max-age", "30d"], { code: 0 });
      await v.run(["status"], { code: 0 });
      await v.run(["--json", "status", "--check"], { code: 0 });
      await v.run(["rotate", "--dry-run"], { code: 0 });
      await v.run(["rotate", "ROTATED", "--force"], { code: 0 });
      await v.run(["--json", "rotate", "ROTATED", "--force"], { code: 0 });
      await v.run(["--json", "history", "ROTATED"], { code: 0 });
      await v.run(["rollback", "ROTATED", "--to", "1"], { code: 0 });
      await v.run(["get", "ROTATED"], { code: 0, reveals: `${C1.value}\n` });
      const talkative = root.input(
        "talkative-rotator.mjs",
        [
          "#!/usr/bin/env node",
          'let input = ""; for await (const chunk of process.stdin) input += chunk;',
          "const request = JSON.parse(input);",
          "process.stderr.write('current is ' + request.current + ' pending is ' + request.pending + '\\n');",
          'if (request.step === "create") console.log(JSON.stringify({ ok: true, value: request.current + "-next" }));',
          "else console.log(JSON.stringify({ ok: true }));",
        ].join("\n"),
      );
      chmodSync(talkative, 0o755);
      serveRotators(root.home, { talkative: [talkative] });
      await v.run(["set", "TALKED", "--max-age", "30d", "--rotator", "talkative"], {
        code: 0,
        stdin: C2.value,
      });
      await v.run(["rotate", "TALKED", "--force"], { code: 0 });
      await v.run(["get", "TALKED"], { code: 0, reveals: `${C2.value}-next\n` });
      await v.run(["get", "TALKED", "--version", "1"], { code: 0, reveals: `${C2.value}\n` });
      await v.run(["rekey", "--data-key", "--drop-slots"], { code: 0 });
      await v.run(
        ["--json", "rekey", "--to", "keyfile", "--new-key-file", join(root.keys, "new.key")],
        {
          code: 0,
        },
      );
      await v.run(["get", "ROTATED"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["rotate", "--all-agents", "--dry-run"], { code: 1 }); // pp and typed need a passphrase
      await v.run(["audit", "--verify"], { code: 0 });
      await v.run(["demo"], { code: 0 });
      await v.run(["demo", "--json"], { code: 0 });
    } finally {
      stopWatching();
    }
    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("shows no value on any failure path: wrong keys, tampering, locks, bad input", async () => {
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const v = new Driver(search, { AGENT_VAULT_HOME: root.home });
    const mainKey = join(root.keys, "main.key");
    const spareKey = join(root.keys, "spare.key");
    const pass = { AGENT_VAULT_PASSPHRASE: PASSPHRASE };

    await v.run(["init", "--key-source", "keyfile", "--key-file", mainKey], { code: 0 });
    await v.run(["init", "--agent", "spare", "--key-source", "keyfile", "--key-file", spareKey], {
      code: 0,
    });
    await v.run(["init", "--agent", "pp", "--key-source", "passphrase", "--kdf", "interactive"], {
      code: 0,
      env: pass,
    });
    await v.run(["set", "API_KEY"], { code: 0, stdin: C1.value });
    await v.run(["set", "MULTI"], { code: 0, stdin: C2.value });
    await v.run(["--agent", "pp", "set", "API_KEY"], { code: 0, stdin: C1.value, env: pass });
    const revoked = (await v.run(["key", "add-ci", "revoked"], { code: 0 })).stdout.trim();
    await v.run(["key", "revoke", "revoked"], { code: 0 });

    // Wrong keys: exit 4.
    await v.run(["get", "API_KEY", "--key-file", spareKey], { code: 4 });
    await v.run(["get", "MULTI"], { code: 4, env: { AGENT_VAULT_KEY_FILE: spareKey } });
    await v.run(["get", "API_KEY", "--key-file", root.value1], { code: 4 });
    const looseKey = join(root.keys, "loose.key");
    copyFileSync(mainKey, looseKey);
    chmodSync(looseKey, 0o644);
    await v.run(["get", "API_KEY", "--key-file", looseKey], { code: 4 });
    await v.run(["--agent", "pp", "get", "API_KEY"], {
      code: 4,
      env: { AGENT_VAULT_PASSPHRASE: C1.value },
    });
    await v.run(["--agent", "pp", "get", "API_KEY"], { code: 4, prompts: [C2.value] });
    await v.run(["--agent", "pp", "--passphrase-file", root.value1, "get", "API_KEY"], {
      code: 4,
    });
    await v.run(["--agent", "pp", "get", "API_KEY"], { code: 4 });
    await v.run(["get", "API_KEY"], { code: 4, env: pass });
    await v.run(["get", "API_KEY"], { code: 4, env: { AGENT_VAULT_KEY: C1.value } });
    await v.run(["--json", "get", "MULTI"], { code: 4, env: { AGENT_VAULT_KEY: C2.value } });
    await v.run(["get", "API_KEY"], {
      code: 4,
      env: { AGENT_VAULT_KEY: randomBytes(32).toString("base64") },
    });
    await v.run(["get", "API_KEY"], { code: 4, env: { AGENT_VAULT_KEY: revoked } });
    await v.run(["--json", "list"], { code: 4, env: { AGENT_VAULT_KEY: revoked } });

    // A tampered vault file: exit 5, whichever check catches it.
    const vaultPath = root.vaultFile();
    const original = (await readStoredVault(root.home)) as Buffer;
    const text = original.toString("utf8");
    const cipher = /"ciphertext":\s*"([A-Za-z0-9_-]+)"/.exec(text);
    expect(cipher).not.toBeNull();
    const at = (cipher?.index ?? 0) + (cipher?.[0].length ?? 0) - 10;
    const tampered: Array<[string, Uint8Array]> = [
      [
        "one ciphertext character changed",
        Buffer.from(text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1)),
      ],
      ["cut in half", original.subarray(0, original.length >> 1)],
      ["random bytes", randomBytes(original.length)],
    ];
    const parsed = parseVaultFile(original, vaultPath);
    const { checksum: _checksum, ...body } = structuredClone(parsed);
    const apiKey = body.secrets.find((secret) => secret.name === "API_KEY")?.versions.at(-1);
    const multi = body.secrets.find((secret) => secret.name === "MULTI")?.versions.at(-1);
    if (!apiKey || !multi) throw new Error("fixture: both secrets are stored");
    [apiKey.ciphertext, multi.ciphertext] = [multi.ciphertext, apiKey.ciphertext];
    [apiKey.nonce, multi.nonce] = [multi.nonce, apiKey.nonce];
    tampered.push(["ciphertexts swapped, checksum recomputed", encodeVaultFile(body)]);
    for (const [what, bytes] of tampered) {
      await writeStoredVault(root.home, "main", bytes);
      search.bytesAt(`tampered vault file (${what})`, bytes);
      await v.run(["get", "API_KEY"], { code: 5 });
      await v.run(["--json", "get", "MULTI"], { code: 5 });
      await v.run(["set", "API_KEY"], { code: 5, stdin: C2.value });
      await v.run(["key", "list"], { code: what.includes("swapped") ? 0 : 5 });
      await v.run(["doctor"], { code: what.includes("swapped") ? 0 : 1 });
    }
    await writeStoredVault(root.home, "main", original);

    // The vault file of another agent.
    await writeStoredVault(root.home, "other", original);
    await v.run(["--agent", "other", "--key-file", mainKey, "get", "API_KEY"], { code: 5 });
    await v.run(["--agent", "other", "--key-file", mainKey, "set", "API_KEY"], {
      code: 5,
      stdin: C2.value,
    });
    await v.run(["agents"], { code: 1 });
    await v.run(["--json", "doctor"], { code: 1 });
    await removeStoredAgent(root.home, "other");

    // A value, or a mangled value, typed where a name or a value belongs: exit 2.
    for (const canary of CANARIES) {
      await v.run(["get", canary.value], { code: 2 });
      await v.run(["--json", "get", canary.value], { code: 2 });
      await v.run(["set", canary.value], { code: 2, stdin: canary.value });
      await v.run(["rm", canary.value], { code: 2 });
      await v.run(["purge", canary.value], { code: 2 });
      await v.run(["history", canary.value], { code: 2 });
      await v.run(["rollback", canary.value, "--to", "1"], { code: 2 });
      await v.run([canary.value], { code: 2 });
      await v.run(["set", "API_KEY", canary.value], { code: 2 });
      await v.run(["--json", "set", "API_KEY", canary.value], { code: 2 });
      await v.run(["set", "API_KEY", `--value=${canary.value}`], { code: 2 });
      await v.run(["set", "API_KEY", "--value", canary.value], { code: 2 });
      await v.run(["set", "API_KEY", "--", canary.value], { code: 2 });
      await v.run(["get", "API_KEY", canary.value], { code: 2 });
      await v.run(["get", "API_KEY", "--version", canary.value], { code: 2 });
      await v.run(["rollback", "API_KEY", "--to", canary.value], { code: 2 });
      await v.run(["list", "--lock-timeout", canary.value], { code: 2 });
      await v.run(["list", "--store", canary.value], { code: 2 });
      await v.run(["init", "--agent", "x", "--key-source", canary.value], { code: 2 });
      await v.run(["init", "--agent", "x", "--key-source", "passphrase", "--kdf", canary.value], {
        code: 2,
      });
    }
    // C1 is a well-formed agent id and key name (names are not secret); C2 is neither.
    await v.run(["--agent", C2.value, "list"], { code: 2 });
    await v.run(["key", "add-ci", C2.value], { code: 2 });
    await v.run(["set", "API_KEY", "--tag", C2.value], { code: 2, stdin: C1.value });
    await v.run(["set", "API_KEY", "--env", C2.value], { code: 2, stdin: C1.value });
    await v.run(["init", "--agent", "x", "--key-source", "passphrase", "--kdf", "interactive"], {
      code: 2,
      prompts: [C1.value, C2.value],
    });

    // Values the vault refuses: exit 2.
    await v.run(["set", "EMPTY"], { code: 2, stdin: "" });
    await v.run(["set", "BINARY"], {
      code: 2,
      stdin: Buffer.concat([
        Buffer.from(C1.value),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(C2.value),
      ]),
    });
    await v.run(["set", "HUGE"], { code: 2, stdin: `${C1.value} ${C2.value}`.repeat(1000) });
    await v.run(["set", "WITH_NUL"], { code: 2, stdin: `${C1.value}\0${C2.value}` });
    await v.run(["set", "FROM_DIR", "--value-file", root.inputs], { code: 2 });

    // Not found: exit 3.
    await v.run(["get", "MISSING"], { code: 3 });
    await v.run(["rm", "MISSING"], { code: 3 });
    await v.run(["purge", "MISSING"], { code: 3 });
    await v.run(["history", "MISSING"], { code: 3 });
    await v.run(["rollback", "MISSING", "--to", "1"], { code: 3 });
    await v.run(["get", "API_KEY", "--version", "99"], { code: 3 });
    await v.run(["rollback", "API_KEY", "--to", "99"], { code: 3 });
    await v.run(["key", "revoke", "no-such-key"], { code: 3 });
    await v.run(["--agent", "ghost", "get", "API_KEY"], { code: 3 });
    await v.run(["--agent", "ghost", "set", "API_KEY"], { code: 3, stdin: C1.value });
    await v.run(["set", "GONE"], { code: 0, stdin: C2.value });
    await v.run(["rm", "GONE"], { code: 0 });
    await v.run(["get", "GONE"], { code: 3 });
    await v.run(["rm", "GONE"], { code: 3 });

    // Refused operations: exit 2.
    await v.run(["init", "--key-source", "keyfile", "--key-file", mainKey], { code: 2 });
    await v.run(["init", "--agent", "nokey", "--key-source", "keyfile"], { code: 2 });
    await v.run(["init", "--agent", "noterm", "--key-source", "passphrase"], { code: 4 });
    await v.run(["key", "add-ci", "twice"], { code: 0 });
    await v.run(["key", "add-ci", "twice"], { code: 2 });
    await v.run(["--agent", "spare", "key", "revoke", "keyfile"], { code: 2 });

    // dotenv files import refuses: exit 2.
    const nulFile = root.input("nul.env", `A_KEY=${C1.value}\0${C2.value}\n`);
    const binaryFile = root.input(
      "binary.env",
      Buffer.concat([Buffer.from(`A_KEY=${C1.value}`), Buffer.from([0xc3, 0x28])]),
    );
    const noPairs = root.input("no-pairs.env", `${C1.value}\n${C2.value}\n`);
    await v.run(["import", nulFile], { code: 2 });
    await v.run(["import", binaryFile], { code: 2 });
    await v.run(["import", noPairs], { code: 2 });
    await v.run(["--json", "import", join(root.inputs, "missing.env")], { code: 2 });

    // An edited, shortened or cut audit log: audit --verify answers no (exit 1).
    const lines = (await readStoredAudit(root.home)).lines;
    const auditLog = `${lines.join("\n")}\n`;
    const edits: string[] = [
      auditLog.replace('"op":"get"', '"op":"got"'),
      [...lines.slice(0, 2), ...lines.slice(3)].join("\n").concat("\n"),
      `${lines.slice(0, -2).join("\n")}\n`,
      auditLog.slice(0, auditLog.length - 40),
    ];
    for (const edited of edits) {
      await writeAuditText(root.home, "main", edited);
      await v.run(["audit", "--verify"], { code: 1 });
      await v.run(["--json", "audit", "--verify"], { code: 1 });
    }
    await writeAuditText(root.home, "main", auditLog);

    // The vault lock held by a live process: BUSY, exit 6.
    const release = await holdStoredLock(root.home);
    await v.run(["set", "API_KEY", "--lock-timeout", "0.2"], { code: 6, stdin: C2.value });
    await v.run(["--json", "set", "MULTI", "--lock-timeout", "0.2"], { code: 6, stdin: C1.value });
    await v.run(["rollback", "API_KEY", "--to", "1", "--lock-timeout", "0.2"], { code: 6 });
    await v.run(["key", "add-ci", "busy", "--lock-timeout", "0.2"], { code: 6 });
    await v.run(["import", join(root.inputs, "nul.env"), "--lock-timeout", "0.2"], { code: 2 });
    await searchRoot(search, "test root, lock held", root);
    await release();

    // A rotation that fails at every step it reaches, with a rotator that repeats the values
    // in its messages and on its stderr: exit 1, CURRENT kept, nothing shown.
    const leaky = root.input(
      "leaky-rotator.mjs",
      [
        "#!/usr/bin/env node",
        'let input = ""; for await (const chunk of process.stdin) input += chunk;',
        "const request = JSON.parse(input);",
        "process.stderr.write(input + '\\n');",
        'if (request.step === "create") console.log(JSON.stringify({ ok: true, value: request.current + "-pending" }));',
        "else console.log(JSON.stringify({ ok: false, message: 'refused ' + request.current + ' and ' + request.pending }));",
      ].join("\n"),
    );
    chmodSync(leaky, 0o755);
    serveRotators(root.home, { leaky: [leaky] });
    await v.run(["set", "LEAKY", "--max-age", "30d", "--rotator", "leaky"], {
      code: 0,
      stdin: C1.value,
    });
    await v.run(["rotate", "LEAKY", "--force"], { code: 1 });
    await v.run(["--json", "rotate", "LEAKY", "--force"], { code: 1 });
    await v.run(["rotate"], { code: 0 });
    await v.run(["status"], { code: 0 });
    await v.run(["--json", "status"], { code: 0 });
    await v.run(["--json", "history", "LEAKY"], { code: 0 });
    await v.run(["get", "LEAKY"], { code: 0, reveals: `${C1.value}\n` });
    await v.run(["rotate", "LEAKY", "--cancel"], { code: 0 });
    await v.run(["set", "BAD_POLICY", "--rotate", C1.value], { code: 2, stdin: C2.value });
    await v.run(["set", "BAD_POLICY", "--rotator", C1.value], { code: 2, stdin: C2.value });
    await v.run(["schedule", "LEAKY", "--tz", C2.value], { code: 2 });
    await v.run(["rotate", "--all-agents"], { code: 1 });
    await v.run(["rekey", "--data-key"], { code: 2 });
    await v.run(["rekey", "--to", "passphrase", "--new-passphrase-file", root.value1], { code: 0 });
    await v.run(["get", "LEAKY", "--passphrase-file", root.value1], {
      code: 0,
      reveals: `${C1.value}\n`,
    });
    await v.run(
      ["rekey", "--to", "keyfile", "--new-key-file", mainKey, "--passphrase-file", root.value1],
      {
        code: 0,
      },
    );

    // The vault still holds the values, and its audit log records the failures.
    await v.run(["get", "API_KEY"], { code: 0, reveals: `${C1.value}\n` });
    await v.run(["get", "MULTI"], { code: 0, reveals: `${C2.value}\n` });
    const audit = await v.run(["--json", "audit"], { code: 0 });
    const codes = new Set(
      (JSON.parse(audit.stdout) as { records: Array<{ code?: string }> }).records.map(
        (record) => record.code,
      ),
    );
    for (const code of ["WRONG_KEY", "SECRET_NOT_FOUND", "BUSY", "KEY_FILE_INSECURE"]) {
      expect(codes, `audit log records ${code}`).toContain(code);
    }
    await v.run(["audit", "--verify"], { code: 0 });

    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("keeps values out of library errors, Vault and SecretValue printouts", async () => {
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const errors: Array<[string, unknown]> = [];
    const home = root.home;
    const mainKey = join(root.keys, "main.key");
    const spareKey = join(root.keys, "spare.key");
    const options = { home, actor: "canary@test" };

    const { vault } = await createVault({ ...options, keySource: keyFileKey(mainKey) });
    await vault.set("API_KEY", C1.value);
    await vault.set("MULTI", C2.value, { tags: ["test"], description: "two lines" });
    (
      await createVault({ ...options, agent: "spare", keySource: keyFileKey(spareKey) })
    ).vault.close();
    const pp = await createVault({
      ...options,
      agent: "pp",
      keySource: passphraseKey(PASSPHRASE, "interactive"),
    });
    await pp.vault.set("API_KEY", C1.value);
    pp.vault.close();

    const main = { ...options, agent: "main" };
    await failure(errors, "openVault with another vault's key file", "WRONG_KEY", () =>
      openVault({ ...main, keySource: keyFileKey(spareKey) }),
    );
    await failure(errors, "openVault with the canary as CI key", "WRONG_KEY", () =>
      openVault({ ...main, keySource: ciKey(C1.value) }),
    );
    await failure(errors, "openVault with the second canary as CI key", "WRONG_KEY", () =>
      openVault({ ...main, keySource: ciKey(C2.value) }),
    );
    await failure(errors, "openVault with a passphrase on a key file vault", "NO_KEY_SOURCE", () =>
      openVault({ ...main, keySource: passphraseKey(C1.value) }),
    );
    await failure(errors, "openVault with the canary as passphrase", "WRONG_KEY", () =>
      openVault({ ...options, agent: "pp", keySource: passphraseKey(C1.value) }),
    );
    await failure(errors, "openVault with the canary typed at the prompt", "WRONG_KEY", () =>
      openVault({ ...options, agent: "pp", prompt: async () => C2.value }),
    );
    await failure(
      errors,
      "openVault with a file holding the canary as key file",
      "KEY_UNAVAILABLE",
      () => openVault({ ...main, keySource: keyFileKey(root.value1) }),
    );
    await failure(errors, "openVault with the canary as agent id", "INVALID_AGENT", () =>
      openVault({ ...options, agent: C2.value }),
    );
    await failure(errors, "openVault of an agent without a vault", "VAULT_NOT_FOUND", () =>
      openVault({ ...options, agent: "ghost", keySource: keyFileKey(mainKey) }),
    );
    await failure(errors, "createVault over an existing vault", "ALREADY_EXISTS", () =>
      createVault({ ...main, keySource: keyFileKey(spareKey) }),
    );

    await failure(errors, "get of a missing secret", "SECRET_NOT_FOUND", () =>
      vault.get("MISSING"),
    );
    await failure(errors, "get with the canary as name", "INVALID_NAME", () => vault.get(C1.value));
    await failure(errors, "reveal with the canary as name", "INVALID_NAME", () =>
      vault.reveal(C2.value),
    );
    await failure(errors, "set with the canary as name", "INVALID_NAME", () =>
      vault.set(C1.value, C1.value),
    );
    await failure(errors, "set of an empty value", "INVALID_VALUE", () => vault.set("EMPTY", ""));
    await failure(errors, "set of a value with NUL", "INVALID_VALUE", () =>
      vault.set("WITH_NUL", `${C1.value}\0${C2.value}`),
    );
    await failure(errors, "set of a value with a lone surrogate", "INVALID_VALUE", () =>
      vault.set("HALF", `${C1.value}\ud800${C2.value}`),
    );
    await failure(errors, "set of a value over 64 KiB", "INVALID_VALUE", () =>
      vault.set("HUGE", `${C1.value} ${C2.value}`.repeat(1000)),
    );
    await failure(errors, "set with the canary as env name", "INVALID_INPUT", () =>
      vault.set("API_KEY", C1.value, { env: C2.value }),
    );
    await failure(errors, "set with the canary as tag", "INVALID_INPUT", () =>
      vault.set("API_KEY", C1.value, { tags: [C2.value] }),
    );
    await failure(errors, "set with a description too long", "INVALID_INPUT", () =>
      vault.set("API_KEY", C1.value, { description: C1.value.repeat(30) }),
    );
    await failure(errors, "set of a value that is not a string", "TypeError", () =>
      vault.set("API_KEY", { secret: C1.value } as unknown as string),
    );
    await failure(errors, "get of a version not kept", "VERSION_NOT_FOUND", () =>
      vault.get("API_KEY", { version: 99 }),
    );
    await failure(errors, "rollback to a version not kept", "VERSION_NOT_FOUND", () =>
      vault.rollback("MULTI", 99),
    );
    await failure(errors, "rollback to no number", "INVALID_INPUT", () =>
      vault.rollback("MULTI", Number.NaN),
    );
    await failure(errors, "remove of a missing secret", "SECRET_NOT_FOUND", () =>
      vault.remove("MISSING"),
    );
    await failure(errors, "purge of a missing secret", "SECRET_NOT_FOUND", () =>
      vault.purge("MISSING"),
    );
    await failure(errors, "history of a missing secret", "SECRET_NOT_FOUND", () =>
      vault.history("MISSING"),
    );
    await failure(errors, "addCiKey with the canary as name", "INVALID_INPUT", () =>
      vault.addCiKey(C2.value),
    );
    await failure(errors, "revokeKey of the only key", "INVALID_INPUT", () =>
      vault.revokeKey("keyfile"),
    );

    // Tampering under an open vault, and at open.
    const vaultPath = root.vaultFile();
    const original = (await readStoredVault(home)) as Buffer;
    const { checksum: _checksum, ...body } = structuredClone(parseVaultFile(original, vaultPath));
    const [first, second] = body.secrets.map((secret) => secret.versions.at(-1));
    if (!first || !second) throw new Error("fixture: two secrets are stored");
    [first.ciphertext, second.ciphertext] = [second.ciphertext, first.ciphertext];
    await writeStoredVault(home, "main", encodeVaultFile(body));
    await failure(errors, "get after the file was tampered with", "TAMPERED", () =>
      vault.get("API_KEY"),
    );
    await failure(errors, "openVault of a tampered file", "TAMPERED", () =>
      openVault({ ...main, keySource: keyFileKey(mainKey) }),
    );
    await writeStoredVault(home, "main", original.subarray(0, 300));
    await failure(errors, "openVault of a cut file", "CORRUPT", () =>
      openVault({ ...main, keySource: keyFileKey(mainKey) }),
    );
    await writeStoredVault(home, "main", original);
    await writeStoredVault(home, "other", original);
    await failure(errors, "openVault of another agent's file", "WRONG_AGENT", () =>
      openVault({ ...options, agent: "other", keySource: keyFileKey(mainKey) }),
    );
    await removeStoredAgent(home, "other");

    // A held lock, a closed vault, a locked keychain, the real keychain.
    const release = await holdStoredLock(home);
    const waiting = await openVault({
      ...main,
      keySource: keyFileKey(mainKey),
      lockTimeoutMs: 100,
    });
    await failure(errors, "set while another process holds the lock", "BUSY", () =>
      waiting.set("API_KEY", C2.value),
    );
    await release();
    waiting.close();
    await failure(errors, "get on a closed vault", "USAGE", () => waiting.get("API_KEY"));
    search.object("a closed Vault", waiting);

    const keychain = new LockableKeychain();
    const kc = await createVault({ ...options, agent: "kc", keySource: keychainKey(keychain) });
    await kc.vault.set("API_KEY", C1.value);
    kc.vault.close();
    keychain.locked = true;
    await failure(errors, "openVault with the keychain locked", "KEY_UNAVAILABLE", () =>
      openVault({ ...options, agent: "kc", keyStore: keychain }),
    );
    try {
      tally.libraryCalls += 1;
      await new KeytarKeyStore({ timeoutMs: 2000 }).probe();
    } catch (error) {
      tally.libraryFailures += 1;
      errors.push(["the OS keychain probe", error]);
    }

    for (const [place, error] of errors) search.error(place, error);

    // What the library returns and prints.
    const secret = await vault.reveal("API_KEY");
    expect(secret.reveal()).toBe(C1.value);
    const multi = await vault.reveal("MULTI");
    expect(multi.reveal()).toBe(C2.value);
    search.object("SecretValue of API_KEY", secret);
    search.object("SecretValue of MULTI", multi);
    search.object("SecretValue in an object", { secret, multi });
    search.object("Vault", vault);
    search.object("vault.list()", await vault.list({ includeRemoved: true }));
    search.object("vault.history()", await vault.history("MULTI"));
    search.object("vault.keys()", vault.keys());
    search.object("vault.unlockedWith", vault.unlockedWith);
    search.object("vault.auditRecords()", await vault.auditRecords());
    search.object("vault.verifyAudit()", await vault.verifyAudit());
    search.object("readVaultInfo()", await readVaultInfo(main));
    search.object("createVault result", kc);
    tally.libraryCalls += 12;
    vault.close();

    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("shows a referenced value only on read's stdout, inject's output and run's child", async () => {
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const env = { AGENT_VAULT_HOME: root.home, AGENT_VAULT_KEY_DIR: root.keys };
    const v = new Driver(search, env);
    await v.run(["init", "--key-source", "keyfile", "--key-file", join(root.keys, "main.key")], {
      code: 0,
    });
    await v.run(
      [
        "init",
        "--agent",
        "other",
        "--key-source",
        "keyfile",
        "--key-file",
        join(root.keys, "other.key"),
      ],
      { code: 0 },
    );
    await v.run(["set", "API_KEY"], { code: 0, stdin: C1.value });
    await v.run(["--agent", "other", "set", "MULTI"], { code: 0, stdin: `${C2.value}\n` });
    const template = "a: {{ vault://main/API_KEY }}\nb: vault://other/MULTI\n";
    const injected = `a: ${C1.value}\nb: ${C2.value}\n`;
    const stopWatching = watchInFlight(root.home, search);
    try {
      await v.run(["read", "vault://main/API_KEY"], { code: 0, reveals: `${C1.value}\n` });
      await v.run(["read", "-n", "vault://other/MULTI"], { code: 0, reveals: C2.value });
      await v.run(["--json", "read", "vault://other/MULTI"], {
        code: 0,
        reveals: `${JSON.stringify({ agent: "other", name: "MULTI", reference: "vault://other/MULTI", value: C2.value })}\n`,
      });
      // inject's output file is its channel: kept with the test's own files, checked exactly.
      const out = join(root.inputs, "config.yml");
      await v.run(["inject", "-o", out], { code: 0, stdin: template });
      expect(readFileSync(out, "utf8")).toBe(injected);
      await v.run(["--json", "inject", "-o", out], { code: 0, stdin: template });
      await v.run(["inject", "-o", "-"], { code: 0, stdin: template, reveals: injected });
      const failed = join(root.inputs, "failed.yml");
      for (const [bad, code] of [
        [`${template}c: vault://main/MISSING\n`, 3],
        [`${template}c: vault://ghost/KEY\n`, 3],
        [`${template}c: vault://main/lower\n`, 2],
      ] as const) {
        await v.run(["inject", "-o", failed], { code, stdin: bad });
        await v.run(["--json", "inject", "-o", "-"], { code, stdin: bad });
      }
      expect(existsSync(failed)).toBe(false);
      await v.run(["inject"], { code: 2, stdin: template });
      await v.run(["read", "vault://main/MISSING"], { code: 3 });
      await v.run(["--agent", "main", "read", "vault://other/MULTI"], { code: 2 });
      await v.run(["read", "vault://other/MULTI"], {
        code: 4,
        env: { AGENT_VAULT_KEY_DIR: "", AGENT_VAULT_KEY_FILE: join(root.keys, "main.key") },
      });

      // run: the child proves it got the values by their hashes; with --mask it prints them.
      const hashes = [C1.value, C2.value]
        .map((value) => createHash("sha256").update(value).digest("hex"))
        .join(" ");
      const printHashes =
        "const h=(v)=>require('crypto').createHash('sha256').update(v).digest('hex');" +
        "process.stdout.write(h(process.env.ONE)+' '+h(process.env.TWO))";
      const refs = { ONE: "vault://main/API_KEY", TWO: "vault://other/MULTI" };
      const hashed = await v.run(
        ["run", "--only", "API_KEY", "--", process.execPath, "-e", printHashes],
        {
          code: 0,
          env: refs,
        },
      );
      expect(hashed.stdout).toBe(hashes);
      const printValues =
        "process.stdout.write(process.env.ONE+process.env.TWO);console.error(process.env.TWO)";
      await v.run(["run", "--mask", "--", process.execPath, "-e", printValues], {
        code: 0,
        env: refs,
      });
      await v.run(["run", "--", process.execPath, "-e", "0"], {
        code: 3,
        env: { ONE: "vault://other/MISSING" },
      });
      await v.run(["run", "--", process.execPath, "-e", "0"], {
        code: 2,
        env: { ONE: "vault://other/Multi" },
      });
    } finally {
      stopWatching();
    }

    // The library: values returned, never in an error or a printout.
    const errors: Array<[string, unknown]> = [];
    const main = await openVault({
      home: root.home,
      keySource: keyFileKey(join(root.keys, "main.key")),
    });
    const other = await openVault({
      home: root.home,
      agent: "other",
      keySource: keyFileKey(join(root.keys, "other.key")),
    });
    try {
      expect(await resolveReferences({ a: [template] }, { main, other })).toEqual({
        a: [injected],
      });
      search.object("a vault after resolveReferences", main);
      await failure(errors, "resolve of another agent's reference", "NO_KEY_SOURCE", () =>
        main.resolve("vault://other/MULTI"),
      );
      await failure(errors, "resolveReferences without the other vault", "NO_KEY_SOURCE", () =>
        resolveReferences(template, main),
      );
      await failure(
        errors,
        "resolveReferences with a vault given for another agent",
        "WRONG_AGENT",
        () => resolveReferences(template, { main, other: main }),
      );
      await failure(errors, "resolveReferences of a missing secret", "SECRET_NOT_FOUND", () =>
        resolveReferences(`${template}vault://other/GONE`, { main, other }),
      );
      await failure(errors, "resolveReferences of a malformed reference", "INVALID_INPUT", () =>
        resolveReferences(`${C1.value} vault://main/${C1.value}`, main),
      );
    } finally {
      main.close();
      other.close();
    }
    for (const [place, error] of errors) search.error(place, error);
    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("shows no value through the built bin either", async () => {
    expect(existsSync(BIN), `build first: npx tsc -p tsconfig.json (${BIN})`).toBe(true);
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const v = new Driver(search, { AGENT_VAULT_HOME: root.home }, "spawned");
    await v.run(["init", "--key-source", "keyfile", "--key-file", join(root.keys, "main.key")], {
      code: 0,
    });
    await v.run(["set", "API_KEY"], { code: 0, stdin: `${C1.value}\n` });
    await v.run(["set", "MULTI", "--value-file", root.value2], { code: 0 });
    await v.run(["get", "API_KEY"], { code: 0, reveals: `${C1.value}\n` });
    await v.run(["get", "MULTI"], { code: 0, reveals: `${C2.value}\n` });
    await v.run(["--json", "list"], { code: 0 });
    await v.run(["set", "API_KEY", C1.value], { code: 2 });
    await v.run(["set", "MULTI", `--value=${C2.value}`], { code: 2 });
    await v.run(["get", C1.value], { code: 2 });
    await v.run(["get", "API_KEY"], { code: 4, env: { AGENT_VAULT_KEY: C1.value } });
    const release = await holdStoredLock(root.home);
    await v.run(["set", "API_KEY", "--lock-timeout", "0.2"], { code: 6, stdin: C2.value });
    await release();
    await v.run(["audit", "--verify"], { code: 0 });
    await searchRoot(search, "test root", root);
    finish(search);
  });

  // A small tmpfs needs root (or sudo with AGENT_VAULT_TEST_TMPFS=required); elsewhere this one
  // test skips and says so. It fills the disk under the vault file: a database store writes no
  // file of its own.
  const tmpfs = need(
    "tmpfs",
    process.getuid?.() === 0 || isRequired("tmpfs")
      ? ""
      : "not root: mounting a small tmpfs needs root",
    "run the tests as root",
  );
  (ON_FILE_STORE ? tmpfs.it : it.skip)(
    "shows no value when the disk fills up, fails with exit 74 and keeps the vault as it was",
    async (context) => {
      const root = makeRoot();
      const search = new LeakSearch(CANARIES);
      const mount = join(root.root, "small-disk");
      mkdirSync(mount, { mode: 0o700 });
      const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
      const run = (args: string[]) => {
        const [command = "", ...rest] = [...sudo, ...args];
        execFileSync(command, rest, { stdio: "pipe" });
      };
      const options = `size=512k,mode=0700,uid=${process.getuid?.()},gid=${process.getgid?.()}`;
      try {
        run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", mount]);
      } catch (error) {
        tmpfs.skipOrFail(
          context,
          `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})`,
        );
      }
      const codes: number[] = [];
      try {
        const home = join(mount, "home");
        const v = new Driver(search, { AGENT_VAULT_HOME: home });
        await v.run(["init", "--key-source", "keyfile", "--key-file", join(mount, "main.key")], {
          code: 0,
        });
        await v.run(["set", "API_KEY"], { code: 0, stdin: C1.value });
        await v.run(["set", "MULTI"], { code: 0, stdin: C2.value });
        const vaultPath = join(home, "agents", "main", "vault.json");
        const filler = join(mount, "filler");
        let current = readFileSync(vaultPath);
        let value = C1.value;
        // Fill the disk to leave 0, 1, 2... pages so each write step meets ENOSPC in turn.
        for (const pagesLeft of [0, 1, 2, 3, 4, 6]) {
          rmSync(filler, { force: true });
          const { bavail, bsize } = statfsSync(mount);
          writeFileSync(filler, Buffer.alloc(Math.max(0, (bavail - pagesLeft) * bsize)));
          const next = pagesLeft % 2 === 0 ? C2.value : C1.value;
          const result = await runCli(["set", "API_KEY"], {
            env: { AGENT_VAULT_HOME: home },
            stdin: next,
          });
          tally.cliRuns += 1;
          codes.push(result.code);
          search.text(`stdout of vault set with ${pagesLeft} pages free`, result.stdout);
          search.text(`stderr of vault set with ${pagesLeft} pages free`, result.stderr);
          if (result.code === 0) {
            current = readFileSync(vaultPath);
            value = next;
          } else {
            tally.cliFailureRuns += 1;
            expect(readFileSync(vaultPath).equals(current), `vault kept, ${pagesLeft} pages`).toBe(
              true,
            );
          }
          search.tree(`small disk, ${pagesLeft} pages free`, mount);
        }
        console.log(`full disk: vault set exit codes with 0,1,2,3,4,6 pages free: ${codes}`);
        rmSync(filler);
        await v.run(["get", "API_KEY"], { code: 0, reveals: `${value}\n` });
        await v.run(["get", "MULTI"], { code: 0, reveals: `${C2.value}\n` });
        await v.run(["audit", "--verify"], { code: 0 });
        search.tree("small disk", mount);
      } finally {
        run(["umount", mount]);
      }
      finish(search);
      expect(codes[0], "a write on a full disk fails").not.toBe(0);
      expect(
        codes.filter((code) => code !== 0 && code !== 74),
        "a full disk is an I/O error (exit 74), not an internal error (exit 70)",
      ).toEqual([]);
    },
  );
});

/** Known leaks: each shows a value typed in the wrong place coming back in an error. */
describe("the canary: values typed in the wrong place are not echoed", () => {
  async function keyFileVault() {
    const root = makeRoot();
    const search = new LeakSearch(CANARIES);
    const v = new Driver(search, { AGENT_VAULT_HOME: root.home });
    await v.run(["init", "--key-source", "keyfile", "--key-file", join(root.keys, "main.key")], {
      code: 0,
    });
    await v.run(["set", "API_KEY"], { code: 0, stdin: C1.value });
    return { root, search, v };
  }

  it("does not echo a value typed after vault set NAME that starts with a dash", async () => {
    const { root, search, v } = await keyFileVault();
    await v.run(["set", "API_KEY", `-${C1.value}`], { code: 2 });
    await v.run(["set", "API_KEY", `--${C1.value}`], { code: 2 });
    await v.run(["--json", "set", "API_KEY", `-${C2.value}`], { code: 2 });
    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("does not echo a key name vault key revoke refuses or cannot find", async () => {
    const { root, search, v } = await keyFileVault();
    await v.run(["key", "revoke", C2.value], { code: 2 });
    const vault = await openVault({
      home: root.home,
      keySource: keyFileKey(join(root.keys, "main.key")),
    });
    const errors: Array<[string, unknown]> = [];
    await failure(errors, "revokeKey with the canary as name", "INVALID_INPUT", () =>
      vault.revokeKey(C2.value),
    );
    vault.close();
    for (const [place, error] of errors) search.error(place, error);
    await searchRoot(search, "test root", root);
    finish(search);
  });

  it("does not echo a value typed where a file path belongs", async () => {
    const { root, search, v } = await keyFileVault();
    await v.run(["set", "API_KEY", "--value-file", C1.value], { code: 2 });
    await v.run(["--passphrase-file", C1.value, "list"], { code: 4 });
    await v.run(["--key-file", C1.value, "list"], { code: 4 });
    await v.run(["list"], { code: 4, env: { AGENT_VAULT_KEY_FILE: C1.value } });
    await v.run(["import", C1.value], { code: 2 });
    await searchRoot(search, "test root", root);
    finish(search);
  });
});

/** An in-memory key store that, once locked, answers "no item" as keytar does when locked. */
class LockableKeychain implements KeyStore {
  readonly name = "in-memory keychain";
  readonly #items = new Map<string, Uint8Array>();
  locked = false;

  async get(account: string): Promise<Uint8Array | undefined> {
    return this.locked ? undefined : this.#items.get(account)?.slice();
  }

  async set(account: string, key: Uint8Array): Promise<void> {
    this.#items.set(account, key.slice());
  }

  async remove(account: string): Promise<boolean> {
    return this.#items.delete(account);
  }

  async probe(): Promise<void> {}
}
