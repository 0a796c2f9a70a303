/**
 * agent-vault against the real OpenClaw client: scripts/openclaw-install.mjs installs the
 * pinned `openclaw` package into .cache/openclaw/ (once; later runs reuse it) and Node.js 24
 * from the npm package `node@24`, and `openclaw secrets audit` runs on a temp HOME. Until that
 * client is installed (`node scripts/openclaw-install.mjs`) the tests are skipped and say so;
 * with AGENT_VAULT_TEST_OPENCLAW=required (.ci/run) they install it and fail without it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createVault, keyFileKey } from "../src/index.js";
import { isRequired, need } from "./helpers/capabilities.js";
import { BIN, ROOT, runCli, tempDir } from "./helpers/cli.js";
import { prepareHome } from "./helpers/test-store.js";

interface Runtime {
  version: string;
  node: string;
  openclaw: string;
}

interface AuditReport {
  status: string;
  resolution: { refsChecked: number; skippedExecRefs: number };
  summary: { plaintextCount: number; unresolvedRefCount: number };
  findings: Array<{ code: string; jsonPath: string }>;
}

let runtime: Runtime;

const openclaw = need(
  "openclaw",
  isRequired("openclaw") || existsSync(join(ROOT, ".cache/openclaw/installed.json"))
    ? ""
    : "the real OpenClaw client is not installed in .cache/openclaw",
  "node scripts/openclaw-install.mjs (downloads openclaw and Node.js 24 from the npm registry)",
);

beforeAll(() => {
  if (openclaw.skipped) return;
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: build first (npx tsc -p tsconfig.json, or npm test).`);
  }
  const install = spawnSync(process.execPath, [join(ROOT, "scripts/openclaw-install.mjs")], {
    encoding: "utf8",
    timeout: 900_000,
  });
  if (install.status !== 0) {
    throw new Error(
      `Could not install the real OpenClaw client for this test (it does not skip):\n${install.stderr}${install.error ?? ""}`,
    );
  }
  runtime = JSON.parse(install.stdout.trim().split("\n").at(-1) as string);
}, 900_000);

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let keyFile: string;
let openclawDir: string;

beforeEach(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-openclaw-it-"));
  keyFile = join(dir, "main.key");
  env = { HOME: dir, AGENT_VAULT_HOME: join(dir, "vaults") };
  prepareHome(env.AGENT_VAULT_HOME as string);
  openclawDir = join(dir, ".openclaw");
  mkdirSync(openclawDir, { mode: 0o700 });
});

afterEach(() => cleanup());

/** `openclaw secrets audit --json ...args` with Node 24 on the temp HOME. */
function audit(...args: string[]): { code: number | null; report: AuditReport } {
  const result = spawnSync(
    runtime.node,
    [runtime.openclaw, "secrets", "audit", "--json", ...args],
    {
      env: { HOME: dir, PATH: process.env.PATH ?? "/usr/bin:/bin", OPENCLAW_NO_AUTO_UPDATE: "1" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  const start = result.stdout.indexOf("{");
  if (start < 0) {
    throw new Error(
      `openclaw secrets audit printed no report (exit ${result.status}):\n${result.stderr}`,
    );
  }
  return { code: result.status, report: JSON.parse(result.stdout.slice(start)) };
}

const openaiProvider = (apiKey: unknown) => ({
  baseUrl: "https://api.openai.com/v1",
  models: [{ id: "gpt-5", name: "gpt-5" }],
  apiKey,
});

openclaw.describe("OpenClaw resolving its credentials through agent-vault", () => {
  it("resolves a model provider key from the vault (openclaw secrets audit --allow-exec)", async () => {
    const { vault } = await createVault({
      agent: "main",
      home: env.AGENT_VAULT_HOME,
      keySource: keyFileKey(keyFile),
    });
    await vault.set("OPENAI_API_KEY", "sk-integration-openai-0001");
    vault.close();
    const ref = { source: "exec", provider: "agentvault", id: "providers/openai/apiKey" };
    writeFileSync(
      join(openclawDir, "openclaw.json"),
      `// JSON5, as users write it\n${JSON.stringify({ models: { providers: { openai: openaiProvider(ref) } } })}\n`,
    );
    const setup = await runCli(["openclaw", "setup", "--write", "--key-file", keyFile], { env });
    expect(setup.code, setup.stderr).toBe(0);

    const clean = audit("--allow-exec");
    expect(clean.report.summary.unresolvedRefCount, JSON.stringify(clean.report.findings)).toBe(0);
    expect(clean.report.resolution.refsChecked).toBeGreaterThanOrEqual(1);
    expect(clean.report.resolution.skippedExecRefs).toBe(0);
    expect(clean.report.status).toBe("clean");
    expect(clean.code).toBe(0);

    // The same audit notices an id the vault cannot answer: it really asked the resolver.
    const config = JSON.parse(readFileSync(join(openclawDir, "openclaw.json"), "utf8"));
    config.models.providers.openai.apiKey.id = "providers/missing/apiKey";
    writeFileSync(join(openclawDir, "openclaw.json"), JSON.stringify(config));
    const missing = audit("--allow-exec");
    expect(missing.report.summary.unresolvedRefCount).toBe(1);
    expect(missing.code).toBe(2);
  }, 180_000);

  it("moves plaintext keys into the vault so that the audit goes from findings to clean", async () => {
    const { vault } = await createVault({
      agent: "main",
      home: env.AGENT_VAULT_HOME,
      keySource: keyFileKey(keyFile),
    });
    vault.close();
    writeFileSync(
      join(openclawDir, "openclaw.json"),
      JSON.stringify({
        models: { providers: { openai: openaiProvider("sk-integration-plain-0002") } },
        channels: { telegram: { botToken: "123456:integration-plain-0003" } },
        gateway: { auth: { token: "integration-gateway-plain-0004" } },
      }),
    );
    writeFileSync(join(openclawDir, ".env"), "ANTHROPIC_API_KEY=sk-ant-integration-0005\n");

    const before = audit("--check");
    expect(before.code).toBe(1);
    expect(before.report.summary.plaintextCount).toBeGreaterThan(0);
    expect(before.report.findings.map((finding) => finding.jsonPath)).toEqual(
      expect.arrayContaining(["models.providers.openai.apiKey", "$env.ANTHROPIC_API_KEY"]),
    );

    const imported = await runCli(["openclaw", "import", "--key-file", keyFile], { env });
    expect(imported.code, imported.stderr).toBe(0);

    const after = audit("--check", "--allow-exec");
    expect(after.report.findings).toEqual([]);
    expect(after.report.summary.plaintextCount).toBe(0);
    expect(after.report.summary.unresolvedRefCount).toBe(0);
    expect(after.report.resolution.refsChecked).toBeGreaterThanOrEqual(3);
    expect(after.report.status).toBe("clean");
    expect(after.code).toBe(0);
  }, 180_000);
});
