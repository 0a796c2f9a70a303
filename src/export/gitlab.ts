/**
 * The `gitlab` format: a GitLab CI dotenv report (`artifacts:reports:dotenv`).
 *
 * GitLab reads it line by line (Ci::ParseDotenvArtifactService): `KEY=VALUE` split at the first
 * `=`, both stripped of surrounding whitespace, quotes kept as they are, no escapes, no
 * multi-line values. So values are written unquoted, and a value GitLab would change (a line
 * break, surrounding whitespace) is refused rather than written wrong.
 *
 * GitLab masks a value in job logs only when it is a single line of 8 or more characters from
 * the Base64 alphabet plus `@ : . ~` (Ci::Maskable::REGEX); the format warns for every value it
 * cannot mask, and for values holding `$`, which GitLab may expand as a variable reference.
 */
import { vaultError } from "../errors.js";
import type { ExportEntry } from "./variable-names.js";

/** Values GitLab can mask (Ci::Maskable::REGEX). */
export const GITLAB_MASKABLE_PATTERN = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;

/** Why GitLab cannot mask `value` (empty when it can). */
export function gitlabMaskProblems(value: string): string[] {
  if (GITLAB_MASKABLE_PATTERN.test(value)) return [];
  const problems: string[] = [];
  if (/[\r\n]/.test(value)) problems.push("it spans several lines");
  if ([...value].length < 8) problems.push("it is shorter than 8 characters");
  if (/[^\r\na-zA-Z0-9_+=/@:.~-]/.test(value)) {
    problems.push("it holds characters outside the Base64 alphabet and @ : . ~");
  }
  return problems;
}

/** A warning for a person; names the secret, never the value. */
export interface ExportWarning {
  name: string;
  envName: string;
  message: string;
}

// Ruby's String#strip: ASCII whitespace and NUL.
const RUBY_STRIPPED = /^[\0\t\n\v\f\r ]|[\0\t\n\v\f\r ]$/;

/**
 * `NAME=value` lines as GitLab's dotenv report parser reads them back, and a warning for each
 * value GitLab cannot mask. Check the entries first ({@link checkExportEntries}).
 * @throws VaultError INVALID_INPUT for a value GitLab's parser would change
 */
export function formatGitlab(entries: readonly ExportEntry[]): {
  text: string;
  warnings: ExportWarning[];
} {
  const warnings: ExportWarning[] = [];
  let text = "";
  for (const entry of entries) {
    if (/[\r\n]/.test(entry.value) || RUBY_STRIPPED.test(entry.value)) {
      throw vaultError(
        "INVALID_INPUT",
        `The value of ${entry.name} cannot go in a GitLab dotenv report: it spans several lines or starts or ends with whitespace.`,
        "Use --format shell or --format json, or a GitLab file-type CI/CD variable.",
      );
    }
    text += `${entry.envName}=${entry.value}\n`;
    const problems = gitlabMaskProblems(entry.value);
    if (problems.length > 0) {
      warnings.push({
        name: entry.name,
        envName: entry.envName,
        message: `GitLab cannot mask ${entry.envName} in job logs: ${problems.join(", ")}.`,
      });
    }
    if (entry.value.includes("$")) {
      warnings.push({
        name: entry.name,
        envName: entry.envName,
        message: `The value of ${entry.envName} holds $, which GitLab may expand as a variable reference.`,
      });
    }
  }
  return { text, warnings };
}
