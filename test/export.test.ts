import { spawnSync } from "node:child_process";
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isVaultError } from "../src/errors.js";
import { formatDotenv, formatDotenvWith, quoteDotenv } from "../src/export/dotenv.js";
import { appendExportFile, writeExportFile } from "../src/export/file.js";
import {
  escapeGithubCommandData,
  formatGithubEnvFile,
  formatGithubMasks,
  githubMaskValues,
} from "../src/export/github.js";
import { formatGitlab, GITLAB_MASKABLE_PATTERN, gitlabMaskProblems } from "../src/export/gitlab.js";
import { formatJson } from "../src/export/json.js";
import { renderExport } from "../src/export/render.js";
import { formatShell, quoteShell } from "../src/export/shell.js";
import {
  checkExportEntries,
  dangerousEnvNameReason,
  type ExportEntry,
} from "../src/export/variable-names.js";
import {
  DANGEROUS_VARIABLES,
  REFUSED_SECRET_NAMES,
  SECRET_NAMES,
} from "./fixtures/export/env-names.js";
import {
  parseGithubEnvFile,
  parseWorkflowCommands,
  unescapeCommandData,
} from "./fixtures/export/github-runner.js";
import { parseGitlabDotenv } from "./fixtures/export/gitlab-dotenv.js";
import { valueArbitrary } from "./fixtures/export/values.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { tempDir } from "./helpers/cli.js";

let dir: string;
let cleanup: () => void;
let canary: string;

beforeAll(() => {
  ({ path: dir, cleanup } = tempDir("agent-vault-export-"));
  canary = join(dir, "canary");
});
afterAll(() => cleanup());

const entry = (envName: string, value: string, name = envName): ExportEntry => ({
  name,
  envName,
  value,
});

/** Catches the error `action` throws (a test fails when it does not throw). */
function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

/** The shells the shell format is read back by. */
const sh = need(
  "dash",
  missingTool("bash", "dash"),
  "install bash and dash (apt-get install dash)",
);

describe("shell format", () => {
  const BATCH = 500;
  const RUNS = 20;

  /** Runs `script` in `shell` with stdin as the script, in `dir`, with a bare environment. */
  function runShell(shell: string, script: string) {
    return spawnSync(shell, ["-s"], {
      input: script,
      cwd: dir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  sh.it("reads back 10,000 random values exactly through bash and dash, running no command", () => {
    let checked = 0;
    let started = 0;
    const begin = performance.now();
    fc.assert(
      fc.property(
        fc.array(valueArbitrary(canary), { minLength: BATCH, maxLength: BATCH }),
        (values) => {
          started++;
          const entries = values.map((value, i) => entry(`V${i}`, value));
          writeFileSync(join(dir, "env.sh"), formatShell(entries));
          const printBack = `printf '%s\\0' ${entries.map((e) => `"$${e.envName}"`).join(" ")}\n`;
          for (const shell of ["bash", "dash"]) {
            // As documented (eval of a command substitution) and as a sourced file.
            for (const load of ['eval "$(cat ./env.sh)"', ". ./env.sh"]) {
              const result = runShell(shell, `${load}\n${printBack}`);
              expect(result.stderr.toString(), `${shell}: ${load}`).toBe("");
              expect(result.status).toBe(0);
              const read = result.stdout.toString("utf8").split("\0").slice(0, -1);
              expect(read).toEqual(values);
            }
          }
          checked += values.length;
        },
      ),
      { numRuns: RUNS },
    );
    expect(started).toBe(RUNS);
    expect(checked).toBe(BATCH * RUNS);
    expect(existsSync(canary)).toBe(false);
    console.info(
      `shell: ${checked} values read back exactly by bash and dash (eval and source), ` +
        `canary never created, ${Math.round(performance.now() - begin)} ms`,
    );
  });

  sh.it("would notice a command run by a payload (the canary check is live)", () => {
    const control = join(dir, "control-canary");
    const naive = `export V="$(touch ${control})"\n`;
    expect(runShell("dash", naive).status).toBe(0);
    expect(existsSync(control)).toBe(true);
  });

  it("writes a single quote as '\\''", () => {
    expect(quoteShell("it's")).toBe("'it'\\''s'");
    expect(formatShell([entry("A", "x'y"), entry("B", "z")])).toBe(
      "export A='x'\\''y'\nexport B='z'\n",
    );
  });
});

describe("dotenv format", () => {
  it("writes each of 10,000 random values so dotenv reads it back exactly, or refuses it with a typed error", () => {
    let exact = 0;
    let refused = 0;
    let refusedWithoutAllForms = 0;
    const accepted: ExportEntry[] = [];
    fc.assert(
      fc.property(valueArbitrary(canary), (value) => {
        const secret = entry("SECRET_VALUE", value);
        const line = quoteDotenv(parseDotenv, secret);
        let text: string;
        try {
          text = formatDotenvWith(parseDotenv, [secret]);
        } catch (error) {
          expect(line).toBeUndefined();
          expect(isVaultError(error, "INVALID_INPUT")).toBe(true);
          const { message, hint } = error as Error & { hint: string };
          expect(message).toBe(
            "The value of SECRET_VALUE cannot be written in dotenv format so that it reads back exactly.",
          );
          expect(hint).toMatch(/--format json or --format shell/);
          // Only values that no form can carry are refused: each form fails for a stated reason.
          const trailingBackslash = value.endsWith("\\");
          expect(/['\r]/.test(value) || trailingBackslash).toBe(true);
          expect(value.includes('"') || /\\[nr]/.test(value) || trailingBackslash).toBe(true);
          if (!/[`\r]/.test(value) && !trailingBackslash) refusedWithoutAllForms++;
          refused++;
          return;
        }
        expect(parseDotenv(text)).toEqual({ SECRET_VALUE: value });
        expect(text).toBe(line);
        accepted.push(entry(`V${accepted.length}`, value));
        exact++;
      }),
      { numRuns: 10_000 },
    );
    expect(exact + refused).toBe(10_000);
    expect(refusedWithoutAllForms).toBe(0);
    // All accepted values in one file read back exactly too.
    for (let i = 0; i < accepted.length; i += 200) {
      const batch = accepted.slice(i, i + 200);
      const parsed = parseDotenv(formatDotenvWith(parseDotenv, batch));
      expect(parsed).toEqual(Object.fromEntries(batch.map((e) => [e.envName, e.value])));
    }
    console.info(`dotenv: ${exact} of 10000 values exact, ${refused} refused with INVALID_INPUT`);
  });

  it("prefers single quotes, then double quotes with \\n, and refuses what nothing carries", async () => {
    expect(await formatDotenv([entry("A", "plain $HOME `x`")])).toBe("A='plain $HOME `x`'\n");
    expect(await formatDotenv([entry("A", "it's\na")])).toBe('A="it\'s\\na"\n');
    expect(await formatDotenv([entry("A", "a\r\nb")])).toBe('A="a\\r\\nb"\n');
    expect(await formatDotenv([entry("A", `'"\\n`)])).toBe("A=`'\"\\n`\n");
    const error = await formatDotenv([entry("OK", "fine"), entry("BAD", "'\"`\r", "BAD_SECRET")])
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(isVaultError(error, "INVALID_INPUT")).toBe(true);
    expect((error as Error).message).toContain("BAD_SECRET");
  });

  it("refuses a variable named __proto__, which dotenv cannot read back", () => {
    const error = thrown(() => formatDotenvWith(parseDotenv, [entry("__proto__", "v", "PROTO")]));
    expect(isVaultError(error, "INVALID_INPUT")).toBe(true);
    expect((error as Error).message).toBe(
      "Secret PROTO cannot be exported as __proto__ in dotenv format.",
    );
    expect(formatShell([entry("__proto__", "v")])).toBe("export __proto__='v'\n");
  });
});

describe("github format", () => {
  const names = Array.from({ length: 10 }, (_, i) => `V${i}`);

  it("parses back exactly through the runner's env-file parser for 10,000 random values, injecting nothing", () => {
    let checked = 0;
    let windowsRuns = 0;
    const begin = performance.now();
    fc.assert(
      fc.property(
        fc.array(valueArbitrary(canary), { minLength: 10, maxLength: 10 }),
        fc.boolean(),
        (values, windows) => {
          const entries = values.map((value, i) => entry(names[i] as string, value));
          const env = parseGithubEnvFile(formatGithubEnvFile(entries, { windows }), { windows });
          expect([...env.keys()]).toEqual(names);
          for (const e of entries) expect(env.get(e.envName)).toBe(e.value);
          if (windows) windowsRuns++;
          checked += values.length;
        },
      ),
      { numRuns: 1000 },
    );
    expect(checked).toBe(10_000);
    expect(windowsRuns).toBeGreaterThan(0);
    console.info(
      `github env file: ${checked} values parsed back exactly (${windowsRuns * 10} as on Windows), ` +
        `0 injected variables, ${Math.round(performance.now() - begin)} ms`,
    );
  });

  it("prints an ::add-mask:: command for every value and every line of it, and nothing else", () => {
    let masks = 0;
    fc.assert(
      fc.property(fc.array(valueArbitrary(canary), { minLength: 10, maxLength: 10 }), (values) => {
        const entries = values.map((value, i) => entry(names[i] as string, value));
        const commands = parseWorkflowCommands(formatGithubMasks(entries));
        const expected = values.flatMap((value) => githubMaskValues(value));
        expect(commands).toEqual(expected.map((data) => ({ command: "add-mask", data })));
        const masked = new Set(commands.map((c) => c.data));
        for (const value of values) {
          // .NET char.IsWhiteSpace: the runner refuses an all-whitespace mask.
          const blank = (s: string) =>
            /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(s);
          if (!blank(value)) expect(masked.has(value)).toBe(true);
          for (const line of value.split(/\r\n|\r|\n/))
            if (!blank(line)) expect(masked).toContain(line);
        }
        masks += commands.length;
      }),
      { numRuns: 1000 },
    );
    console.info(`github masks: ${masks} ::add-mask:: commands for 10000 values, all parsed back`);
  });

  it("escapes mask data as the runner unescapes it", () => {
    for (const text of ["100%", "%0A", "%250A", "a\r\nb", "%%0D%", "::x::"]) {
      expect(unescapeCommandData(escapeGithubCommandData(text))).toBe(text);
    }
    expect(escapeGithubCommandData("a%\r\n")).toBe("a%25%0D%0A");
  });

  it("masks each line of a multi-line value and skips blank lines", () => {
    expect(githubMaskValues("-----BEGIN-----\nabc\n\n  \r\n-----END-----")).toEqual([
      "-----BEGIN-----\nabc\n\n  \r\n-----END-----",
      "-----BEGIN-----",
      "abc",
      "-----END-----",
    ]);
    expect(githubMaskValues("   ")).toEqual([]);
  });

  it("uses a fresh random delimiter per entry", () => {
    const text = formatGithubEnvFile([entry("A", "1"), entry("B", "2")]);
    const delimiters = [...text.matchAll(/^[AB]<<(.*)$/gm)].map((m) => m[1]);
    expect(delimiters).toHaveLength(2);
    for (const d of delimiters) expect(d).toMatch(/^ghadelimiter_[0-9a-f]{32}$/);
    expect(delimiters[0]).not.toBe(delimiters[1]);
  });

  it("draws another delimiter when the value contains the first", () => {
    const candidates = ["EOF", "EOF", "SAFE"];
    const text = formatGithubEnvFile([entry("A", "x\nEOF\nINJECTED=1")], {
      delimiter: () => candidates.shift() as string,
    });
    expect(text).toBe("A<<SAFE\nx\nEOF\nINJECTED=1\nSAFE\n");
    expect(parseGithubEnvFile(text)).toEqual(new Map([["A", "x\nEOF\nINJECTED=1"]]));
  });

  it("would see an injection through a fixed delimiter (the parser check is live)", () => {
    const naive = "A<<EOF\nx\nEOF\nINJECTED=1\nEOF\n";
    expect(() => parseGithubEnvFile(naive)).toThrow();
    expect(parseGithubEnvFile("A<<EOF\nx\nEOF\nINJECTED=1\n").get("INJECTED")).toBe("1");
  });

  it("writes CRLF for Windows runners so a value ending in CR reads back", () => {
    const text = formatGithubEnvFile([entry("A", "x\r")], { windows: true });
    expect(parseGithubEnvFile(text, { windows: true }).get("A")).toBe("x\r");
    // The same entry with LF line ends would lose the CR on Windows.
    expect(
      parseGithubEnvFile(formatGithubEnvFile([entry("A", "x\r")]), { windows: true }).get("A"),
    ).toBe("x");
  });
});

describe("gitlab format", () => {
  it("writes each of 10,000 random values so GitLab's dotenv parser reads it back exactly, or refuses it", () => {
    let exact = 0;
    let refused = 0;
    let warned = 0;
    fc.assert(
      fc.property(valueArbitrary(canary), (value) => {
        let result: ReturnType<typeof formatGitlab>;
        try {
          result = formatGitlab([entry("V", value, "SECRET_V")]);
        } catch (error) {
          expect(isVaultError(error, "INVALID_INPUT")).toBe(true);
          expect((error as Error).message).toContain("SECRET_V");
          expect(/[\r\n]|^[\t\v\f ]|[\t\v\f ]$/.test(value)).toBe(true);
          refused++;
          return;
        }
        expect(parseGitlabDotenv(result.text)).toEqual(new Map([["V", value]]));
        const maskWarnings = result.warnings.filter((w) => w.message.startsWith("GitLab cannot"));
        expect(maskWarnings.length).toBe(GITLAB_MASKABLE_PATTERN.test(value) ? 0 : 1);
        for (const warning of result.warnings) expect(warning.envName).toBe("V");
        if (maskWarnings.length > 0) warned++;
        exact++;
      }),
      { numRuns: 10_000 },
    );
    console.info(
      `gitlab: ${exact} of 10000 exact (${warned} with a cannot-mask warning), ${refused} refused`,
    );
  });

  it("warns for values GitLab cannot mask, saying why", () => {
    expect(gitlabMaskProblems("abcdefgh")).toEqual([]);
    expect(gitlabMaskProblems("glpat-Abc_12.3~@:+/=")).toEqual([]);
    expect(gitlabMaskProblems("short")).toEqual(["it is shorter than 8 characters"]);
    expect(gitlabMaskProblems("has a space")).toEqual([
      "it holds characters outside the Base64 alphabet and @ : . ~",
    ]);
    expect(gitlabMaskProblems("line one\nline2")[0]).toBe("it spans several lines");
    const { text, warnings } = formatGitlab([
      entry("A", "abcdefgh12"),
      entry("B", "pa$word!", "B_SECRET"),
    ]);
    expect(text).toBe("A=abcdefgh12\nB=pa$word!\n");
    expect(warnings.map((w) => w.name)).toEqual(["B_SECRET", "B_SECRET"]);
    for (const w of warnings) expect(w.message).not.toContain("pa$word!");
  });
});

describe("json format", () => {
  it("parses back to the same object for random values and names", () => {
    fc.assert(
      fc.property(fc.array(valueArbitrary(canary), { minLength: 1, maxLength: 20 }), (values) => {
        const entries = values.map((value, i) => entry(`V${i}`, value));
        expect(JSON.parse(formatJson(entries))).toEqual(
          Object.fromEntries(entries.map((e) => [e.envName, e.value])),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a variable named __proto__ as an ordinary key", () => {
    const parsed = JSON.parse(formatJson([entry("__proto__", "v"), entry("A", "w")]));
    expect(Object.keys(parsed)).toEqual(["__proto__", "A"]);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value).toBe("v");
  });
});

describe("export names", () => {
  const dangerous = [
    "PATH",
    "Path",
    "ENV",
    "BASH_ENV",
    "NODE_OPTIONS",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "ld_audit",
    "DYLD_INSERT_LIBRARIES",
    "GITHUB_TOKEN",
    "GITHUB_ENV",
    "RUNNER_TEMP",
    "ACTIONS_ALLOW_UNSECURE_COMMANDS",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PERL5OPT",
    "RUBYOPT",
    "JAVA_TOOL_OPTIONS",
    "PROMPT_COMMAND",
    "PS4",
    "IFS",
    "HOME",
    "GIT_SSH_COMMAND",
    "GIT_CONFIG_COUNT",
    "npm_config_script_shell",
    "DOTNET_STARTUP_HOOKS",
  ];

  it("refuses names that change how later steps load code, unless that name is allowed", () => {
    for (const name of dangerous) {
      expect(dangerousEnvNameReason(name), name).toBeDefined();
      const error = thrown(() => checkExportEntries([entry(name, "v", "SECRET")]));
      expect(isVaultError(error, "INVALID_INPUT"), name).toBe(true);
      expect((error as Error).message).toContain(name);
      expect((error as { hint: string }).hint).toContain(`--allow-name ${name}`);
      expect(() =>
        checkExportEntries([entry(name, "v", "SECRET")], { allowNames: [name] }),
      ).not.toThrow();
    }
  });

  it("accepts ordinary names, including ones that only start like a dangerous one", () => {
    for (const name of ["OPENAI_API_KEY", "LDAP_PASSWORD", "PATH_TOKEN", "GITHUBBER", "_X", "a1"]) {
      expect(dangerousEnvNameReason(name), name).toBeUndefined();
    }
    expect(() =>
      checkExportEntries([entry("LDAP_PASSWORD", "v"), entry("PATH_TOKEN", "w")]),
    ).not.toThrow();
  });

  it("refuses each of 300+ real variables that change how common tools load code or config, unless allowed", () => {
    const names = Object.values(DANGEROUS_VARIABLES).flat();
    expect(new Set(names).size).toBeGreaterThanOrEqual(150);
    const missed = names.filter((name) => dangerousEnvNameReason(name) === undefined);
    expect(missed).toEqual([]);
    for (const name of names) {
      expect(() => checkExportEntries([entry(name, "v", "S")]), name).toThrow(name);
      expect(() =>
        checkExportEntries([entry(name, "v", "S")], { allowNames: [name] }),
      ).not.toThrow();
    }
  });

  it("lets 150+ typical secret names through, and refuses only the few that are tool settings", () => {
    expect(new Set(SECRET_NAMES).size).toBeGreaterThanOrEqual(100);
    const refused = SECRET_NAMES.filter((name) => dangerousEnvNameReason(name) !== undefined);
    expect(refused).toEqual([]);
    expect(() => checkExportEntries(SECRET_NAMES.map((name) => entry(name, "v")))).not.toThrow();
    for (const name of Object.keys(REFUSED_SECRET_NAMES)) {
      expect(dangerousEnvNameReason(name), name).toBeDefined();
    }
  });

  it("applies each rule to names it has never seen: endings, words, namespaces with credentials", () => {
    const refused = [
      // Endings, glued or after _.
      ...["FOOCONFIG", "FOO_CONFIG_FILE", "FOO_DIR", "FOORC", "FOO_OPTS", "FOOFLAGS"],
      ...["FOO_INIT", "FOO_WRAPPER", "FOO_ASKPASS", "FOO_HOME", "FOO_SSH_COMMAND"],
      // Words anywhere, and _HOOKS as the last word.
      ...["FOO_CONFIG_BAR", "FOO_ARGS_BAR", "FOO_STARTUP_HOOKS"],
      // A tool namespace's settings; a strict prefix or an ending even with a credential word.
      ...["GIT_SOMETHING_NEW", "CARGO_NEW_SETTING", "GITHUB_DEPLOY_TOKEN", "LD_TOKEN"],
      "GIT_TOKEN_FILE",
      // Go's one-word variables.
      "GONEWTHING",
    ];
    // WEBHOOK is a secret's name; a credential word in a tool namespace; Google is not Go.
    const allowed = [
      "FOO_WEBHOOK",
      "GIT_DEPLOY_TOKEN",
      "CARGO_REGISTRIES_MINE_TOKEN",
      "GOOGLE_API_KEY",
    ];
    expect(refused.filter((name) => dangerousEnvNameReason(name) === undefined)).toEqual([]);
    expect(allowed.filter((name) => dangerousEnvNameReason(name) !== undefined)).toEqual([]);
  });

  it("refuses invalid names, two secrets under one name, and NUL, naming no value", () => {
    for (const name of ["1A", "A-B", "", "A B", "A=B", "É"]) {
      expect(
        isVaultError(
          thrown(() => checkExportEntries([entry(name, "v")])),
          "INVALID_INPUT",
        ),
      ).toBe(true);
    }
    const twice = thrown(() =>
      checkExportEntries([entry("X", "one", "FIRST"), entry("X", "two", "SECOND")]),
    ) as Error;
    expect(twice.message).toBe("Secrets FIRST and SECOND would both be exported as X.");
    const nul = thrown(() => checkExportEntries([entry("A", "secret\0value", "S")])) as Error;
    expect(isVaultError(nul, "INVALID_INPUT")).toBe(true);
    expect(nul.message).not.toContain("secret");
  });

  it("checks names before writing any format", async () => {
    for (const format of ["dotenv", "shell", "json", "github", "gitlab"] as const) {
      await expect(renderExport(format, [entry("LD_PRELOAD", "v")])).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
    }
  });
});

describe("export files", () => {
  const mode = (path: string) => statSync(path).mode & 0o777;
  let n = 0;
  const fresh = () => {
    const sub = join(dir, `files-${n++}`);
    mkdirSync(sub);
    return sub;
  };

  it("creates --out with mode 0600 and replaces an existing regular file's contents", async () => {
    const at = fresh();
    await writeExportFile(join(at, "new.env"), "A='1'\n");
    expect(mode(join(at, "new.env"))).toBe(0o600);
    writeFileSync(join(at, "old.env"), "OLD=1\nOLDER=2\n", { mode: 0o644 });
    await writeExportFile(join(at, "old.env"), "A='1'\n");
    expect(readFileSync(join(at, "old.env"), "utf8")).toBe("A='1'\n");
    expect(mode(join(at, "old.env"))).toBe(0o600);
  });

  it("never writes through a symlink, dangling or not", async () => {
    const at = fresh();
    writeFileSync(join(at, "target"), "untouched");
    symlinkSync(join(at, "target"), join(at, "link"));
    symlinkSync(join(at, "missing"), join(at, "dangling"));
    for (const write of [writeExportFile, appendExportFile]) {
      for (const link of ["link", "dangling"]) {
        await expect(write(join(at, link), "A=1\n")).rejects.toMatchObject({
          code: "INVALID_INPUT",
          message: expect.stringContaining("symlink"),
        });
      }
    }
    expect(readFileSync(join(at, "target"), "utf8")).toBe("untouched");
    expect(existsSync(join(at, "missing"))).toBe(false);
    expect(lstatSync(join(at, "link")).isSymbolicLink()).toBe(true);
  });

  it("refuses a folder, a FIFO and a file with other hard links", async () => {
    const at = fresh();
    mkdirSync(join(at, "folder"));
    expect(spawnSync("mkfifo", [join(at, "fifo")]).status).toBe(0);
    writeFileSync(join(at, "original"), "keep");
    linkSync(join(at, "original"), join(at, "hardlink"));
    for (const name of ["folder", "fifo", "hardlink"]) {
      await expect(writeExportFile(join(at, name), "A=1\n"), name).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
    }
    await expect(appendExportFile(join(at, "fifo"), "A=1\n")).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    expect(readFileSync(join(at, "original"), "utf8")).toBe("keep");
  });

  it("appends to an existing file (as $GITHUB_ENV) and creates a missing one with mode 0600", async () => {
    const at = fresh();
    writeFileSync(join(at, "github_env"), "EARLIER=1\n", { mode: 0o644 });
    await appendExportFile(join(at, "github_env"), "A<<D\nv\nD\n");
    expect(readFileSync(join(at, "github_env"), "utf8")).toBe("EARLIER=1\nA<<D\nv\nD\n");
    expect(mode(join(at, "github_env"))).toBe(0o644);
    await appendExportFile(join(at, "created"), "A=1\n");
    expect(mode(join(at, "created"))).toBe(0o600);
  });
});
