/**
 * vitest global setup of the projects that run the suite on the shared store ("postgres" and
 * "postgres-soak" in vitest.config.ts; `npm run test:postgres` runs them alone).
 *
 * Starts one throwaway PostgreSQL cluster for the run and makes a template database with the
 * agent-vault schema (`vault db init`). test/helpers/test-store.ts then gives each test home
 * its own database copied from the template, named in the home's config.json, so every
 * `vault` command and `openVault({ home })` of the suite uses PostgreSQL with no change to
 * the tests. On the file store (the default) this does nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

const ROOT = resolve(import.meta.dirname, "../..");
export const TEMPLATE_DATABASE = "agent_vault_template";

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const store = project.config.env?.AGENT_VAULT_TEST_STORE ?? process.env.AGENT_VAULT_TEST_STORE;
  if (store !== "postgres") return undefined;
  const dir = mkdtempSync(join(tmpdir(), "agent-vault-suite-pg-"));
  const clusterDir = join(dir, "cluster");
  const script = join(ROOT, "scripts/pg-cluster.mjs");
  const started = spawnSync(
    process.execPath,
    [script, "start", clusterDir, "0", "--fast", "--max-connections=400"],
    { encoding: "utf8" },
  );
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`The PostgreSQL test cluster did not start: ${started.stderr.trim()}`);
  }
  // pg-cluster names the server it started ("PostgreSQL 18.4 (embedded, …)") on stderr.
  console.info(started.stderr.trim());
  const url = started.stdout.trim();
  const stop = () => {
    spawnSync(process.execPath, [script, "stop", clusterDir], { encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await sql(url, `CREATE DATABASE ${TEMPLATE_DATABASE}`);
    const template = databaseUrl(url, TEMPLATE_DATABASE);
    const init = spawnSync(
      process.execPath,
      [join(ROOT, "dist/cli/bin.js"), "db", "init", "--store", template],
      { encoding: "utf8", env: { PATH: process.env.PATH, HOME: dir } },
    );
    if (init.status !== 0) throw new Error(`vault db init failed: ${init.stderr}`);
  } catch (error) {
    stop();
    throw error;
  }
  project.provide("postgresSuperuserUrl", url);
  return stop;
}

/** `url` pointing at another database of the same server. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one SQL statement on the database `url` names. */
async function sql(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresSuperuserUrl: string;
  }
}
