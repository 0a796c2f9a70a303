#!/usr/bin/env node
// Installs the real OpenClaw client for the integration test: the `openclaw` npm package at a
// pinned version into .cache/openclaw/ (ignored by git), and Node.js 24 from the npm package
// `node@24` (OpenClaw needs Node >= 24.16; the system Node may be older). Idempotent: a second
// run finds the install and only prints where things are.
//
//   node scripts/openclaw-install.mjs
//   → {"version":"2026.9.6","node":"/…/bin/node","openclaw":"/…/.cache/openclaw/node_modules/openclaw/openclaw.mjs"}
//
// Install scripts are not run (--ignore-scripts): `openclaw secrets audit` needs none of them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The OpenClaw release the integration test was written against. */
export const OPENCLAW_VERSION = "2026.9.6";
const NODE_PACKAGE = "node@24";
const MIN_NODE = [24, 16];

const ROOT = join(import.meta.dirname, "..");
const DIR = join(ROOT, ".cache", "openclaw");
const MARKER = join(DIR, "installed.json");
const ENTRY = join(DIR, "node_modules", "openclaw", "openclaw.mjs");

function npx(args, options = {}) {
  return execFileSync("npx", ["--yes", "--package", NODE_PACKAGE, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

function fail(message, error) {
  const detail = error?.stderr
    ? `\n${String(error.stderr).trim().split("\n").slice(-15).join("\n")}`
    : "";
  process.stderr.write(`openclaw-install: ${message}${detail}\n`);
  process.exit(1);
}

/** The absolute path of the Node 24 binary npx provides (downloaded once into npm's cache). */
function node24() {
  let path;
  let version;
  try {
    [path, version] = npx(["node", "-p", "process.execPath + '\\n' + process.versions.node"])
      .trim()
      .split("\n");
  } catch (error) {
    fail(`could not get Node.js from the npm package ${NODE_PACKAGE} (network?)`, error);
  }
  const [major, minor] = (version ?? "").split(".").map(Number);
  if (major !== MIN_NODE[0] || (minor ?? 0) < MIN_NODE[1]) {
    fail(`${NODE_PACKAGE} gave Node.js ${version}; OpenClaw needs ${MIN_NODE.join(".")} or later`);
  }
  return path;
}

function installed() {
  try {
    const marker = JSON.parse(readFileSync(MARKER, "utf8"));
    return marker.version === OPENCLAW_VERSION && existsSync(ENTRY) ? marker : undefined;
  } catch {
    return undefined;
  }
}

const node = node24();
if (!installed()) {
  const started = Date.now();
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(
    join(DIR, "package.json"),
    `${JSON.stringify({ name: "openclaw-test-client", private: true }, null, 2)}\n`,
  );
  try {
    // npm itself runs on Node 24 here (npx puts node@24 first on PATH), so engine checks match.
    npx(
      [
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--omit=dev",
        "--ignore-scripts",
        "--no-package-lock",
        `openclaw@${OPENCLAW_VERSION}`,
      ],
      { cwd: DIR },
    );
  } catch (error) {
    fail(`npm install openclaw@${OPENCLAW_VERSION} failed (network? disk space?)`, error);
  }
  if (!existsSync(ENTRY)) fail(`the install has no ${ENTRY}`);
  writeFileSync(
    MARKER,
    `${JSON.stringify({ version: OPENCLAW_VERSION, seconds: (Date.now() - started) / 1000 })}\n`,
  );
  process.stderr.write(
    `openclaw-install: installed openclaw@${OPENCLAW_VERSION} in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}
process.stdout.write(`${JSON.stringify({ version: OPENCLAW_VERSION, node, openclaw: ENTRY })}\n`);
