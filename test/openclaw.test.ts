import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyFileKey } from "../src/keys/sources.js";
import { parseOpenclawConfig, readTextFile, replaceFile } from "../src/openclaw/config-file.js";
import { importOpenclawCredentials, readOpenclawImportFiles } from "../src/openclaw/import.js";
import {
  idForConfigPath,
  planImport,
  rewriteConfig,
  rewriteEnvFile,
} from "../src/openclaw/import-plan.js";
import { mapIds, secretNameForId, splitAgentPrefix } from "../src/openclaw/mapping.js";
import {
  failureResponse,
  isOpenclawId,
  MAX_REQUEST_BYTES,
  MAX_REQUEST_IDS,
  parseResolveRequest,
  resolveResponse,
} from "../src/openclaw/protocol.js";
import {
  chooseExecCommand,
  execCommandProblem,
  execProviderBlock,
  mergeProvider,
} from "../src/openclaw/setup.js";
import { createVault } from "../src/vault.js";
import { tempDir } from "./helpers/cli.js";
import { thrownBy } from "./helpers/errors.js";
import { MemoryStore } from "./helpers/sample-vault.js";

const FIXTURES = join(import.meta.dirname, "fixtures/openclaw");
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
/** The value at a dotted path of a parsed config. */
const at = (value: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);

describe("the exec provider request", () => {
  it("parses a version 1 request and keeps distinct ids in order", () => {
    const request = parseResolveRequest(
      bytes({ protocolVersion: 1, provider: "agentvault", ids: ["b/x", "a/y", "b/x"] }),
    );
    expect(request).toEqual({ protocolVersion: 1, provider: "agentvault", ids: ["b/x", "a/y"] });
  });

  it.each([
    ["not JSON", new TextEncoder().encode("sk-live-not-json")],
    ["a JSON array", bytes([1])],
    ["another protocol version", bytes({ protocolVersion: 2, ids: [] })],
    ["no ids", bytes({ protocolVersion: 1 })],
    ["a provider that is not a string", bytes({ protocolVersion: 1, provider: 1, ids: [] })],
    ["an id with a space", bytes({ protocolVersion: 1, ids: ["sk-live key"] })],
    ["an id with a .. segment", bytes({ protocolVersion: 1, ids: ["a/../b"] })],
    ["an id that is not a string", bytes({ protocolVersion: 1, ids: [7] })],
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d])],
  ])("refuses %s without quoting it", (_label, input) => {
    const caught = thrownBy(() => parseResolveRequest(input));
    expect(caught).toMatchObject({ code: "INVALID_INPUT", exitCode: 2 });
    expect(String((caught as Error).message)).not.toMatch(/sk-live|a\/\.\.\/b|\{/);
  });

  it.each([
    ["a JSON null", "null", "is not a JSON object"],
    [
      "a version that is a string",
      '{"protocolVersion": "1", "ids": []}',
      "protocolVersion is not 1",
    ],
    [
      "ids that are an object",
      '{"protocolVersion": 1, "ids": {"sk-live-x": 1}}',
      "has no ids array",
    ],
    [
      "more ids than allowed",
      JSON.stringify({ protocolVersion: 1, ids: Array(MAX_REQUEST_IDS + 1).fill("sk-live-x") }),
      `more than ${MAX_REQUEST_IDS} ids`,
    ],
    [
      "a bad third id",
      '{"protocolVersion": 1, "ids": ["a", "b", "sk-live key"]}',
      "Id number 3 of the request",
    ],
    [
      "an id over 256 characters",
      JSON.stringify({ protocolVersion: 1, ids: [`sk-live-${"x".repeat(256)}`] }),
      "Id number 1 of the request",
    ],
  ])("says which field of %s is wrong, never its content", (_label, text, says) => {
    const caught = thrownBy(() => parseResolveRequest(new TextEncoder().encode(text)));
    expect(caught).toMatchObject({ code: "INVALID_INPUT", exitCode: 2 });
    expect((caught as Error).message).toContain(says);
    expect((caught as Error).message).not.toContain("sk-live");
  });

  it("accepts keys it does not know, __proto__ and constructor among them (OpenClaw may send more)", () => {
    const text =
      '{"__proto__": {"ids": []}, "constructor": 1, "protocolVersion": 1, "ids": ["a/b"], "trace": "t"}';
    expect(parseResolveRequest(new TextEncoder().encode(text))).toEqual({
      protocolVersion: 1,
      ids: ["a/b"],
    });
  });

  it("refuses a request larger than 1 MiB before parsing it", () => {
    const big = bytes({ protocolVersion: 1, ids: ["a"], pad: "x".repeat(MAX_REQUEST_BYTES) });
    expect(() => parseResolveRequest(big)).toThrow(/larger than/);
  });

  it("accepts OpenClaw's id grammar, selectors and colons included", () => {
    for (const id of ["providers/openai/apiKey", "secret#json_key", "OPENAI_API_KEY", "a:b.c-d"]) {
      expect(isOpenclawId(id)).toBe(true);
    }
    for (const id of ["", "/abs", "-x", "a/./b", "x".repeat(257), "a b"]) {
      expect(isOpenclawId(id)).toBe(false);
    }
  });
});

describe("the exec provider response", () => {
  it("lists values, and per-id errors only when there are some", () => {
    expect(resolveResponse(new Map([["a", "1"]]), new Map())).toEqual({
      protocolVersion: 1,
      values: { a: "1" },
    });
    expect(resolveResponse(new Map(), new Map([["b", "NOT_FOUND"]]))).toEqual({
      protocolVersion: 1,
      values: {},
      errors: { b: { code: "NOT_FOUND" } },
    });
  });

  it("keeps an id named __proto__ as an ordinary key", () => {
    const response = resolveResponse(new Map([["__proto__", "v"]]), new Map());
    expect(JSON.stringify(response.values)).toBe('{"__proto__":"v"}');
  });

  it("carries the failure's code, message and hint in a failed response", () => {
    const error = Object.assign(new Error("m"), {
      code: "WRONG_KEY",
      hint: "h",
      toJSON: () => ({ code: "WRONG_KEY", message: "m", hint: "h" }),
    });
    const response = failureResponse(error as never, new Map(), new Map([["a", "WRONG_KEY"]]));
    expect(response).toEqual({
      protocolVersion: 1,
      values: {},
      errors: { a: { code: "WRONG_KEY" } },
      error: { code: "WRONG_KEY", message: "m", hint: "h" },
    });
  });
});

describe("the id to secret name rule", () => {
  it.each([
    ["providers/openai/apiKey", "OPENAI_API_KEY"],
    ["models/providers/openai/apiKey", "OPENAI_API_KEY"],
    ["channels/telegram/botToken", "TELEGRAM_BOT_TOKEN"],
    ["channels/telegram/accounts/work_bot/botToken", "TELEGRAM_ACCOUNTS_WORK_BOT_BOT_TOKEN"],
    ["gateway/auth/token", "GATEWAY_AUTH_TOKEN"],
    ["skills/weather/apiKey", "WEATHER_API_KEY"],
    ["plugins/brave/webSearch/apiKey", "BRAVE_WEB_SEARCH_API_KEY"],
    ["OPENAI_API_KEY", "OPENAI_API_KEY"],
    ["openai-api-key", "OPENAI_API_KEY"],
    ["providers/HTTPProxy/token", "HTTP_PROXY_TOKEN"],
    ["providers", "PROVIDERS"],
  ])("maps %s to %s", (id, name) => {
    expect(secretNameForId(id)).toBe(name);
  });

  it.each([
    ["an id with a selector", "providers/openai#apiKey"],
    ["an id that starts with a digit", "1password/token"],
  ])("gives no name to %s", (_label, id) => {
    expect(secretNameForId(id)).toBeUndefined();
  });

  it("splits an agent prefix off an id", () => {
    expect(splitAgentPrefix("agent:ops/providers/openai/apiKey")).toEqual({
      agent: "ops",
      rest: "providers/openai/apiKey",
    });
    expect(splitAgentPrefix("providers/openai/apiKey")).toEqual({
      rest: "providers/openai/apiKey",
    });
  });
});

describe("mapping ids to the secrets of a vault", () => {
  const secrets = [
    { name: "OPENAI_API_KEY" },
    { name: "WORK_OPENAI", refs: ["providers/openai/apiKey"] },
    { name: "A", refs: ["shared/id"] },
    { name: "B", refs: ["shared/id"] },
  ];
  const ids = (...list: string[]) => list.map((id) => ({ id, rest: splitAgentPrefix(id).rest }));

  it("prefers a secret whose refs name the id over the name rule", () => {
    expect(mapIds(ids("providers/openai/apiKey"), secrets).get("providers/openai/apiKey")).toEqual({
      name: "WORK_OPENAI",
    });
  });

  it("matches refs with and without the agent prefix", () => {
    const id = "agent:main/providers/openai/apiKey";
    expect(mapIds(ids(id), secrets).get(id)).toEqual({ name: "WORK_OPENAI" });
  });

  it("falls back to the name rule, and reports NOT_FOUND when no secret has that name", () => {
    const result = mapIds(ids("models/providers/openai/apiKey", "providers/other/apiKey"), [
      { name: "OPENAI_API_KEY" },
    ]);
    expect(result.get("models/providers/openai/apiKey")).toEqual({ name: "OPENAI_API_KEY" });
    expect(result.get("providers/other/apiKey")).toEqual({ code: "NOT_FOUND" });
  });

  it("reports AMBIGUOUS_DUPLICATE_KEY when two secrets claim one id", () => {
    expect(mapIds(ids("shared/id"), secrets).get("shared/id")).toEqual({
      code: "AMBIGUOUS_DUPLICATE_KEY",
    });
  });
});

describe("import planning", () => {
  const config = parseOpenclawConfig(
    readFileSync(join(FIXTURES, "plaintext.json5"), "utf8"),
    "openclaw.json",
  );
  const envFile = {
    path: "/home/u/.openclaw/.env",
    text: readFileSync(join(FIXTURES, "dotenv"), "utf8"),
  };
  const nothingStored = { existing: async () => undefined };

  it("finds the plaintext credentials where OpenClaw accepts a SecretRef", async () => {
    const { plan } = await planImport(config, [envFile], nothingStored);
    expect(plan.config.map(({ path, id, name, from }) => ({ path, id, name, from }))).toEqual([
      {
        path: "models.providers.openai.apiKey",
        id: "providers/openai/apiKey",
        name: "OPENAI_API_KEY",
        from: "plaintext",
      },
      {
        path: "models.providers.openai.headers.X-Api-Key",
        id: "providers/openai/headers/X-Api-Key",
        name: "OPENAI_HEADERS_X_API_KEY",
        from: "plaintext",
      },
      {
        path: "models.providers.anthropic.apiKey",
        id: "providers/anthropic/apiKey",
        name: "ANTHROPIC_API_KEY",
        from: "env",
      },
      {
        path: "channels.telegram.botToken",
        id: "channels/telegram/botToken",
        name: "TELEGRAM_BOT_TOKEN",
        from: "plaintext",
      },
      {
        path: "channels.telegram.accounts.work_bot.botToken",
        id: "channels/telegram/accounts/work_bot/botToken",
        name: "TELEGRAM_ACCOUNTS_WORK_BOT_BOT_TOKEN",
        from: "plaintext",
      },
      {
        path: "skills.entries.weather.apiKey",
        id: "skills/weather/apiKey",
        name: "WEATHER_API_KEY",
        from: "plaintext",
      },
      {
        path: "plugins.entries.brave.config.webSearch.apiKey",
        id: "plugins/brave/webSearch/apiKey",
        name: "BRAVE_WEB_SEARCH_API_KEY",
        from: "plaintext",
      },
      {
        path: "gateway.auth.token",
        id: "gateway/auth/token",
        name: "GATEWAY_AUTH_TOKEN",
        from: "plaintext",
      },
    ]);
  });

  it("moves the credential lines of .env and keeps the others", async () => {
    const { plan } = await planImport(config, [envFile], nothingStored);
    expect(plan.env).toEqual([
      { file: envFile.path, line: 2, key: "ANTHROPIC_API_KEY", name: "ANTHROPIC_API_KEY" },
      { file: envFile.path, line: 4, key: "GITHUB_TOKEN", name: "GITHUB_TOKEN" },
    ]);
  });

  it("lists credential-looking fields it leaves alone, with the reason", async () => {
    const { plan } = await planImport(config, [envFile], nothingStored);
    expect(plan.leftAlone).toEqual([
      {
        where: "hooks.token",
        reason: "OpenClaw does not accept a SecretRef here (it mints or rotates this value)",
      },
      {
        where: "tools.custom.password",
        reason: "not a SecretRef field in OpenClaw's credential surface",
      },
    ]);
  });

  it("keeps values out of the plan and in a map of its own", async () => {
    const { plan, values } = await planImport(config, [envFile], nothingStored);
    expect(JSON.stringify(plan)).not.toMatch(/fixture-|sk-ant|ghp_/);
    expect(values.get("OPENAI_API_KEY")).toBe("sk-fixture-openai-0001");
    expect(values.get("ANTHROPIC_API_KEY")).toBe("sk-ant-fixture-0010");
    expect(values.get("GITHUB_TOKEN")).toBe("ghp_fixture_0011");
  });

  it("leaves a credential alone when the vault holds another value under its name", async () => {
    const existing = async (name: string) => (name === "OPENAI_API_KEY" ? "other" : undefined);
    const { plan, values } = await planImport(config, [], { existing });
    expect(plan.config.map((move) => move.name)).not.toContain("OPENAI_API_KEY");
    expect(values.has("OPENAI_API_KEY")).toBe(false);
    expect(plan.leftAlone).toContainEqual({
      where: "models.providers.openai.apiKey",
      reason:
        "the vault already holds a different OPENAI_API_KEY (--overwrite stores a new version)",
    });
    const overwritten = await planImport(config, [], { existing, overwrite: true });
    expect(overwritten.values.get("OPENAI_API_KEY")).toBe("sk-fixture-openai-0001");
  });

  it("reuses a name the vault holds with the same value", async () => {
    const existing = async (name: string) =>
      name === "OPENAI_API_KEY" ? "sk-fixture-openai-0001" : undefined;
    const { plan } = await planImport(config, [], { existing });
    expect(plan.config.map((move) => move.name)).toContain("OPENAI_API_KEY");
  });

  it("does not move a shorthand whose variable is not in a .env file it read", async () => {
    const { plan } = await planImport(config, [], nothingStored);
    expect(plan.config.map((move) => move.path)).not.toContain("models.providers.anthropic.apiKey");
  });

  it("rewrites each moved value to an exec ref and leaves the rest as it was", async () => {
    const { plan } = await planImport(config, [envFile], nothingStored);
    const block = execProviderBlock("/usr/bin/node", ["/x/bin.js", "openclaw", "resolve"]);
    const rewritten = rewriteConfig(config, plan, "agentvault", block);
    expect(at(rewritten, "models.providers.openai.apiKey")).toEqual({
      source: "exec",
      provider: "agentvault",
      id: "providers/openai/apiKey",
    });
    expect(at(rewritten, "models.providers.local.apiKey")).toBe("ollama-local");
    expect(at(rewritten, "hooks.token")).toBe("fixture-hooks-0008");
    expect(at(rewritten, "secrets.providers.agentvault")).toEqual(block);
    expect(JSON.stringify(rewritten)).not.toMatch(
      /fixture-(openai|telegram|weather|brave|gateway)/,
    );
    expect(at(config, "models.providers.openai.apiKey")).toBe("sk-fixture-openai-0001");
  });

  it("replaces moved .env lines by comments without their values", async () => {
    const { plan } = await planImport(config, [envFile], nothingStored);
    const text = rewriteEnvFile(envFile, plan, "main");
    expect(text.split("\n")).toEqual([
      "# OpenClaw .env",
      "# ANTHROPIC_API_KEY: moved to agent-vault (agent main, secret ANTHROPIC_API_KEY) by vault openclaw import",
      "LOG_LEVEL=debug",
      "# GITHUB_TOKEN: moved to agent-vault (agent main, secret GITHUB_TOKEN) by vault openclaw import",
      "OPENAI_BASE_URL=https://api.openai.com/v1",
      "",
    ]);
  });

  it("leaves a multi-line .env value for the user to move", async () => {
    const pem = {
      path: "/e",
      text: 'TLS_PRIVATE_KEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\n',
    };
    const { plan } = await planImport({}, [pem], nothingStored);
    expect(plan.env).toEqual([]);
    expect(plan.leftAlone).toEqual([
      { where: "/e:1 TLS_PRIVATE_KEY", reason: "a multi-line value (move it by hand)" },
    ]);
  });

  it("turns characters ids do not allow into dashes", () => {
    expect(idForConfigPath(["models", "providers", "azure openai@eu", "apiKey"])).toBe(
      "providers/azure-openai-eu/apiKey",
    );
    expect(idForConfigPath(["channels", "x", "accounts", ".", "token"])).toBeUndefined();
  });
});

describe("OpenClaw's config file", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ path: dir, cleanup } = tempDir("agent-vault-openclaw-"));
  });
  afterEach(() => cleanup());

  it("reports a JSON5 syntax error by line and column, never quoting the text", () => {
    const call = () => parseOpenclawConfig('{\n  apiKey: "sk-live-unterminated\n}', "c.json");
    expect(call).toThrow(/line \d+, column \d+/);
    expect(call).not.toThrow(/sk-live/);
  });

  it("backs up the original with mode 0600 and replaces the file", async () => {
    const path = join(dir, "openclaw.json");
    writeFileSync(path, "{ old: 1 }", { mode: 0o644 });
    const backup = await replaceFile(path, '{"new":1}\n', {
      original: { text: "{ old: 1 }", mode: 0o644 },
      now: new Date("2026-01-02T03:04:05.678Z"),
    });
    expect(backup).toBe(`${path}.bak-20260102T030405Z`);
    expect(readFileSync(backup as string, "utf8")).toBe("{ old: 1 }");
    expect(statSync(backup as string).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, "utf8")).toBe('{"new":1}\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it("never overwrites an earlier backup", async () => {
    const path = join(dir, "openclaw.json");
    const now = new Date("2026-01-02T03:04:05Z");
    writeFileSync(`${path}.bak-20260102T030405Z`, "earlier");
    const backup = await replaceFile(path, "{}", { original: { text: "x", mode: 0o600 }, now });
    expect(backup).toBe(`${path}.bak-20260102T030405Z-2`);
    expect(readFileSync(`${path}.bak-20260102T030405Z`, "utf8")).toBe("earlier");
    expect(readFileSync(backup as string, "utf8")).toBe("x");
  });

  it("refuses to read a config through a symlink", async () => {
    const target = join(dir, "real.json");
    writeFileSync(target, "{}");
    symlinkSync(target, join(dir, "openclaw.json"));
    await expect(readTextFile(join(dir, "openclaw.json"))).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    expect(await readTextFile(join(dir, "absent.json"))).toBeUndefined();
  });
});

describe("the provider block", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ path: dir, cleanup } = tempDir("agent-vault-openclaw-"));
  });
  afterEach(() => cleanup());

  it("replaces an older block under the same alias and keeps other providers", () => {
    const config: Record<string, unknown> = {
      secrets: { providers: { other: { source: "env" }, agentvault: { source: "exec" } } },
    };
    const block = execProviderBlock("/n", ["a"]);
    expect(mergeProvider(config, "agentvault", block)).toBe(true);
    expect(mergeProvider(config, "agentvault", block)).toBe(false);
    expect(at(config, "secrets.providers")).toEqual({
      other: { source: "env" },
      agentvault: block,
    });
  });

  it("finds the problems OpenClaw refuses an exec command for", async () => {
    const file = join(dir, "resolver");
    writeFileSync(file, "#!/bin/sh\n", { mode: 0o700 });
    const uid = process.getuid?.();
    expect(await execCommandProblem(file, uid)).toBeUndefined();
    expect(await execCommandProblem("relative/path", uid)).toBe("it is not an absolute path");
    expect(await execCommandProblem(dir, uid)).toBe("it is not a regular file");
    symlinkSync(file, join(dir, "link"));
    expect(await execCommandProblem(join(dir, "link"), uid)).toBe("it is a symlink");
    chmodSync(file, 0o720);
    expect(await execCommandProblem(file, uid)).toBe("it is group- or world-writable");
    chmodSync(file, 0o600);
    expect(await execCommandProblem(file, uid)).toBe("it is not executable");
    if (uid !== undefined) {
      chmodSync(file, 0o700);
      expect(await execCommandProblem(file, uid + 1)).toBe("it is not owned by the current user");
    }
  });

  it("runs Node.js with the bin when OpenClaw accepts Node's path", async () => {
    const node = join(dir, "node");
    const bin = join(dir, "bin.js");
    writeFileSync(node, "", { mode: 0o700 });
    writeFileSync(bin, "", { mode: 0o600 });
    const chosen = await chooseExecCommand({
      node,
      bin,
      uid: process.getuid?.(),
      launcherPath: "/x",
    });
    expect(chosen).toEqual({ command: node, argsBefore: [bin], needsPath: false });
  });

  it("runs the bin itself, with PATH, when Node's path would be refused", async () => {
    const node = join(dir, "node");
    const bin = join(dir, "bin.js");
    writeFileSync(node, "", { mode: 0o700 });
    chmodSync(node, 0o770);
    writeFileSync(bin, "", { mode: 0o700 });
    const chosen = await chooseExecCommand({
      node,
      bin,
      uid: process.getuid?.(),
      launcherPath: "/x",
    });
    expect(chosen).toEqual({ command: bin, argsBefore: [], needsPath: true });
  });

  it("falls back to a launcher script that passes the checks and runs the bin with Node", async () => {
    const folder = join(dir, "it's here");
    mkdirSync(folder);
    const bin = join(folder, "bin.mjs");
    writeFileSync(bin, "console.log(JSON.stringify(process.argv.slice(2)));\n", { mode: 0o644 });
    const uid = process.getuid?.();
    const chosen = await chooseExecCommand({
      node: process.execPath,
      bin,
      // Nothing is owned by this uid: Node and the bin are both refused.
      uid: uid === undefined ? undefined : uid + 1,
      launcherPath: join(dir, "agent-vault-resolve"),
    });
    expect(chosen.command).toBe(join(dir, "agent-vault-resolve"));
    const launcher = chosen.launcher as { path: string; text: string };
    writeFileSync(launcher.path, launcher.text, { mode: 0o700 });
    expect(await execCommandProblem(launcher.path, uid)).toBeUndefined();
    const run = spawnSync(launcher.path, ["openclaw", "it's $HOME"], { encoding: "utf8", env: {} });
    expect(JSON.parse(run.stdout)).toEqual(["openclaw", "it's $HOME"]);
  });
});

describe("the import as a library call", () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it("stores the config's credentials in the vault, leaves refs and a backup; a dry run changes nothing", async () => {
    const configPath = join(dir.path, "openclaw.json");
    const text = readFileSync(join(FIXTURES, "plaintext.json5"), "utf8");
    writeFileSync(configPath, text, { mode: 0o600 });
    const { vault } = await createVault({
      store: new MemoryStore(),
      agent: "main",
      keySource: keyFileKey(join(dir.path, "main.key")),
      actor: "test@openclaw",
    });
    const options = { agent: "main", alias: "agentvault", now: new Date("2026-01-02T03:04:05Z") };
    const files = await readOpenclawImportFiles({ env: {}, home: dir.path, configPath });

    const planned = await importOpenclawCredentials(vault, files, { ...options, dryRun: true });
    expect(planned.applied).toBe(false);
    expect(planned.plan.config.length).toBeGreaterThan(0);
    expect(await vault.list()).toEqual([]);
    expect(readFileSync(configPath, "utf8")).toBe(text);

    const done = await importOpenclawCredentials(vault, files, options);
    expect(done.applied).toBe(true);
    expect(done.stored).toContain("OPENAI_API_KEY");
    const openai = at(
      parseOpenclawConfig(readFileSync(configPath, "utf8"), "x"),
      "models.providers.openai.apiKey",
    );
    expect(openai).toEqual({
      source: "exec",
      provider: "agentvault",
      id: "providers/openai/apiKey",
    });
    expect(done.backups).toHaveLength(1);
    expect(readFileSync(done.backups[0] as string, "utf8")).toBe(text);
    expect(JSON.stringify(done)).not.toContain(await vault.get("OPENAI_API_KEY"));
    vault.close();
  });
});
