/**
 * Tests that need something a fresh machine with only Node.js may lack: the OS keychain
 * (keytar, a D-Bus session, gnome-keyring), git, dash, the real OpenClaw client, root for a
 * small tmpfs. Without it they are skipped, their title says why and how to enable them, and
 * test/setup/skip-reporter.ts prints one line per reason at the end of the run. With
 * `AGENT_VAULT_TEST_<NAME>=required` (.ci/run sets them all) nothing is skipped: a missing
 * prerequisite fails the tests that need it.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, it, type TestContext } from "vitest";

/** What a test may need; `AGENT_VAULT_TEST_<NAME>=required` makes it mandatory. */
export type Capability = "keychain" | "git" | "dash" | "openclaw" | "tmpfs" | "pgdump";

/** The variable that makes `capability` mandatory. */
export function requiredVariable(capability: Capability): string {
  return `AGENT_VAULT_TEST_${capability.toUpperCase()}`;
}

/** Whether this run must have `capability` (its variable is "required"). */
export function isRequired(capability: Capability): boolean {
  return process.env[requiredVariable(capability)] === "required";
}

/** Why `tool` cannot run here ("" when it is on PATH). */
export function missingTool(...tools: string[]): string {
  const missing = tools.filter(
    (tool) => spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0,
  );
  return missing.length > 0 ? `${missing.join(", ")} not installed` : "";
}

/** Why keytar (the optional dependency behind the OS keychain) is absent ("" when present). */
export function missingKeytar(): string {
  try {
    createRequire(import.meta.url).resolve("keytar");
    return "";
  } catch {
    return "keytar is not installed (an optional dependency: npm builds it only where libsecret-1-dev is installed)";
  }
}

/** A prerequisite of some tests: present, or missing with the reason and how to enable it. */
export interface Need {
  /** Why it is missing, "" when present. */
  readonly problem: string;
  /** Whether the tests that need it are skipped (missing and not required). */
  readonly skipped: boolean;
  /** `describe` that skips the group (title "… [skipped: why; to run: how]") or fails it. */
  describe(title: string, body: () => void): void;
  /** `it` that skips the test or fails it, the same way. */
  it(title: string, body: (context: TestContext) => unknown, timeout?: number): void;
  /** Inside a test that found the problem only once running: skip with a note, or throw. */
  skipOrFail(context: TestContext, problem: string): void;
}

/**
 * `capability`, missing for `problem` ("" = present); `enable` says how to get it.
 * @example need("git", missingTool("git"), "install git")
 */
export function need(capability: Capability, problem: string, enable: string): Need {
  const required = isRequired(capability);
  const skipped = problem !== "" && !required;
  const note = (why: string) =>
    `${why}; to run: ${enable} (${requiredVariable(capability)}=required fails instead of skipping)`;
  const title = (text: string) => (skipped ? `${text} [skipped: ${note(problem)}]` : text);
  const failure = () =>
    new Error(`${requiredVariable(capability)}=required, but ${problem}. To fix: ${enable}.`);
  return {
    problem,
    skipped,
    describe(text, body) {
      if (skipped) {
        describe.skip(title(text), body);
        return;
      }
      describe(text, () => {
        if (problem) {
          it(`has what it needs (${capability})`, () => {
            throw failure();
          });
          return;
        }
        body();
      });
    },
    it(text, body, timeout) {
      if (skipped) {
        it.skip(title(text), body);
        return;
      }
      it(
        text,
        (context) => {
          if (problem) throw failure();
          return body(context);
        },
        timeout,
      );
    },
    skipOrFail(context, why) {
      if (required) {
        throw new Error(`${requiredVariable(capability)}=required, but ${why}. To fix: ${enable}.`);
      }
      context.skip(note(why));
    },
  };
}
