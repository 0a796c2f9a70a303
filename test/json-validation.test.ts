/**
 * JSON a user or another host wrote (config.json, rotators.json, the scan config, a baseline)
 * is checked against its declared shape: a file of the wrong type, with an unknown or
 * prototype key, or over a bound is refused with a typed error and exit code 2, naming the
 * field and never its content (a canary placed in each bad file is never printed).
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readHostRotators } from "../src/index.js";
import { readExposures } from "../src/scan/exposures.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { thrownBy } from "./helpers/errors.js";
import { usesFileStoreByDesign } from "./helpers/test-store.js";

const CANARY = "canary-sk-live-4f9a";

let dir: { path: string; cleanup: () => void };
let home: string;

beforeEach(() => {
  dir = tempDir();
  // config.json and rotators.json are refused before any store is chosen.
  usesFileStoreByDesign(dir.path);
  home = join(dir.path, "home");
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => dir.cleanup());

/** Writes raw JSON text (duplicate and `__proto__` keys kept as written). */
function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

describe("config.json", () => {
  const env = () => ({ HOME: dir.path, AGENT_VAULT_HOME: home });

  it.each([
    ["a store that is not a string", `{"store": ["${CANARY}"]}`, '"store" is "file"'],
    ["a store that is not file or a postgres URL", `{"store": "${CANARY}"}`, '"store" is "file"'],
    [
      "a store URL over 4096 characters",
      `{"store": "postgres://u@h/${CANARY}${"x".repeat(4096)}"}`,
      '"store" is "file"',
    ],
    ["an empty passfile", `{"passfile": ""}`, '"passfile" is a path'],
    ["an array", `["${CANARY}"]`, "it is not a JSON object"],
    ["null", "null", "it is not a JSON object"],
    ["a key that looks like a value", `{"${CANARY}": 1}`, "an unknown key"],
    ["a __proto__ key", `{"__proto__": {"store": "file"}}`, 'unknown key "__proto__"'],
    ["a constructor key", `{"constructor": "${CANARY}"}`, 'unknown key "constructor"'],
  ])("refuses %s with exit 2, naming the field and not the content", async (_label, text, why) => {
    writePrivate(join(home, "config.json"), text);
    const result = await runCli(["list"], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not valid: ");
    expect(result.stderr).toContain(why);
    expect(result.stderr + result.stdout).not.toContain(CANARY);
  });
});

describe("rotators.json", () => {
  const rotators = (text: string) => {
    writePrivate(join(home, "rotators.json"), text);
    const caught = thrownBy(() => readHostRotators(home));
    expect(caught).toMatchObject({ code: "INVALID_INPUT", exitCode: 2 });
    expect((caught as Error).message).not.toContain(CANARY);
    return (caught as Error).message;
  };

  it("refuses a file of the wrong type or with keys besides rotators", () => {
    expect(rotators(`["${CANARY}"]`)).toContain('a JSON object with one key, "rotators"');
    expect(rotators(`{"rotators": {}, "${CANARY}": 1}`)).toContain('one key, "rotators"');
    expect(rotators(`{"constructor": {}}`)).toContain('one key, "rotators"');
    expect(rotators(`{"rotators": ["${CANARY}"]}`)).toContain('"rotators" maps names');
  });

  it("refuses a rotator name that is a prototype key or not a name, without echoing it", () => {
    const command = '{"command": ["/bin/true"]}';
    for (const name of ["__proto__", CANARY.toUpperCase(), "x".repeat(65)]) {
      expect(rotators(`{"rotators": {"${name}": ${command}}}`)).toContain(
        "a rotator name is not of the form",
      );
    }
  });

  it("names the rotator whose entry is wrong: unknown key, wrong type, oversize", () => {
    expect(
      rotators(`{"rotators": {"s": {"command": ["/bin/true"], "shell": "${CANARY}"}}}`),
    ).toContain('rotator "s" takes only "command" and "agents"');
    expect(rotators(`{"rotators": {"s": "${CANARY}"}}`)).toContain('rotator "s" needs "command"');
    expect(rotators(`{"rotators": {"s": {"command": "/bin/${CANARY}"}}}`)).toContain(
      'rotator "s" needs "command"',
    );
    expect(rotators(`{"rotators": {"s": {"command": []}}}`)).toContain(
      'rotator "s" needs "command"',
    );
    const tooMany = JSON.stringify(["/bin/true", ...Array(64).fill(CANARY)]);
    expect(rotators(`{"rotators": {"s": {"command": ${tooMany}}}}`)).toContain(
      'rotator "s" needs "command"',
    );
    const tooLong = JSON.stringify(["/bin/true", CANARY + "x".repeat(4096)]);
    expect(rotators(`{"rotators": {"s": {"command": ${tooLong}}}}`)).toContain(
      'rotator "s" needs "command"',
    );
    expect(
      rotators(`{"rotators": {"s": {"command": ["/bin/true"], "agents": ["${CANARY}!"]}}}`),
    ).toContain('"agents" of rotator "s" is a list of agent ids');
    expect(rotators(`{"rotators": {"s": {"command": ["bin/${CANARY}"]}}}`)).toContain(
      'the command of rotator "s" must be an absolute path',
    );
    expect(
      rotators(`{"rotators": {"s": {"command": ${JSON.stringify(["/bin/x", "\u0000"])}}}}`),
    ).toContain('rotator "s" needs "command"');
  });

  it("reads a well-formed file, a rotator named constructor included (names live in a Map)", () => {
    writePrivate(
      join(home, "rotators.json"),
      '{"rotators": {"constructor": {"command": ["/bin/true", "a"], "agents": ["main"]}}}',
    );
    expect([...readHostRotators(home)]).toEqual([
      ["constructor", { path: "/bin/true", args: ["a"], agents: ["main"] }],
    ]);
  });
});

describe("the scan config and the baseline", () => {
  const env = () => ({ AGENT_VAULT_HOME: home });
  const scan = (...args: string[]) => {
    writeFileSync(join(dir.path, "notes.md"), "nothing here\n");
    return runCli(["scan", "notes.md", ...args], { env: env(), cwd: dir.path });
  };

  it.each([
    ["an array", `["${CANARY}"]`, "the top level"],
    ["an unknown key", `{"${CANARY}": []}`, "the top level"],
    ["a __proto__ key", `{"__proto__": {"ignoreRules": []}}`, "the top level"],
    ["a constructor key", `{"constructor": []}`, "the top level"],
    ["ignorePaths that is not a list", `{"ignorePaths": "${CANARY}"}`, "ignorePaths"],
    [
      "an ignored rule that is not a rule id",
      `{"ignoreRules": ["ok", "${CANARY}!"]}`,
      "ignoreRules.1",
    ],
    [
      "a pattern over 4096 characters",
      `{"ignorePaths": ["${CANARY}${"x".repeat(4096)}"]}`,
      "ignorePaths.0",
    ],
    ["a maxFileBytes of 0", `{"maxFileBytes": 0}`, "maxFileBytes"],
    ["a maxFileBytes that is a string", `{"maxFileBytes": "${CANARY}"}`, "maxFileBytes"],
  ])("a scan config holding %s is refused with exit 2, naming where", async (_label, text, at) => {
    writeFileSync(join(dir.path, "bad-config.json"), text);
    const result = await scan("--config", "bad-config.json");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`unknown or malformed fields (first at ${at})`);
    expect(result.stderr + result.stdout).not.toContain(CANARY);
  });

  it.each([
    ["null", "null", "the top level"],
    ["another version", `{"version": 3, "findings": []}`, "version"],
    ["findings that are not a list", `{"version": 2, "findings": {"${CANARY}": 1}}`, "findings"],
    [
      "an entry whose line is not a string",
      `{"version": 2, "findings": [{"file": "a", "rule": "r", "line": ["${CANARY}"]}]}`,
      "findings.0.line",
    ],
    ["an entry that is a string", `{"version": 2, "findings": ["${CANARY}"]}`, "findings.0"],
  ])("a baseline holding %s is refused with exit 2, naming where", async (_label, text, at) => {
    writeFileSync(join(dir.path, "baseline.json"), text);
    const result = await scan("--baseline", "baseline.json");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`not an agent-vault baseline (unexpected content at ${at})`);
    expect(result.stderr + result.stdout).not.toContain(CANARY);
  });

  it("a baseline's unknown keys, __proto__ among them, are accepted and ignored (a later version may add some)", async () => {
    writeFileSync(
      join(dir.path, "baseline.json"),
      '{"version": 2, "__proto__": {"x": 1}, "tool": "later", "findings": [{"file": "a", "rule": "r", "line": "l", "column": 3}]}',
    );
    expect((await scan("--baseline", "baseline.json")).code).toBe(0);
  });
});

describe("the exposure file (exposed.json)", () => {
  it.each([
    [
      "a sighting whose line is not a number",
      `[{"name":"A","file":"${CANARY}","line":"7","time":"t"}]`,
      "0.line",
    ],
    [
      "a name that is not a string",
      `[{"name":["${CANARY}"],"file":"f","line":1,"time":"t"}]`,
      "0.name",
    ],
    ["an object instead of a list", `{"${CANARY}": 1}`, "the top level"],
  ])("refuses %s as damaged, naming the field and not the content", async (_label, text, where) => {
    const agentDir = join(home, "agents", "main");
    mkdirSync(agentDir, { recursive: true, mode: 0o700 });
    writePrivate(join(agentDir, "exposed.json"), text);
    const error = await readExposures(agentDir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: "CORRUPT" });
    expect((error as Error).message).toContain(`unexpected content at ${where}`);
    expect(JSON.stringify(error)).not.toContain(CANARY);
  });
});
