/**
 * Git for tests that build real repositories: a runner with a fixed author (no user or
 * system config read), and the shape of a `vault scan --format json` finding they check.
 */
import { execFileSync } from "node:child_process";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Agent",
  GIT_AUTHOR_EMAIL: "agent@example.com",
  GIT_COMMITTER_NAME: "Agent",
  GIT_COMMITTER_EMAIL: "agent@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** Runs `git ARGS` in `cwd` and returns its trimmed output; throws when git fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: "pipe" })
    .toString("utf8")
    .trim();
}

/** A finding as `vault scan --format json` prints it (the fields these tests read). */
export interface JsonFinding {
  file: string;
  line: number;
  rule: string;
  severity: string;
  commit?: string;
  date?: string;
  secret?: string;
  state?: string;
}

/** A finding of `vault scan --history --format json`: always at a commit. */
export type HistoryJsonFinding = JsonFinding & { commit: string; date: string };
