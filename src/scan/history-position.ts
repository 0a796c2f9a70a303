/**
 * Where `vault scan --history` got to in each repository: the commits every ref pointed at
 * when the last whole scan started. The next `--since last` scan reads only the commits those
 * do not reach (`^id` for each), so a nightly job reads only what is new, and a ref that was
 * rewritten or deleted since simply adds what is new on it.
 *
 * Kept in `<agentDir>/history/<id>.json` (0600, folder 0700), `<id>` a hash of the
 * repository's git folder. Holds commit ids and that folder's path, nothing of the content.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ioError } from "../errors.js";
import { fits, list, openObject, str } from "../validation/schema.js";
import { readJsonFile, writeFileAtomic } from "./files.js";
import { type GitOptions, runGit } from "./git.js";

const POSITION_FOLDER = "history";
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The repository's git folder (shared by its worktrees), as an absolute path. */
export async function gitCommonDir(git: GitOptions): Promise<string> {
  return (await runGit(["rev-parse", "--path-format=absolute", "--git-common-dir"], git))
    .toString("utf8")
    .trim();
}

/**
 * The commits the repository's refs (and HEAD) point at now, tags peeled; what
 * `git log --all` starts from. Two git processes whatever the number of refs.
 * @throws VaultError USAGE
 */
export async function refTips(git: GitOptions): Promise<string[]> {
  const refs = (
    await runGit(
      [
        "for-each-ref",
        "--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)",
        "refs/",
      ],
      git,
    )
  ).toString("utf8");
  const tips = new Set<string>();
  for (const line of refs.split("\n")) {
    const [type, id, peeledType, peeled] = line.split(" ");
    if (type === "commit" && id && COMMIT_ID.test(id)) tips.add(id);
    else if (peeledType === "commit" && peeled && COMMIT_ID.test(peeled)) tips.add(peeled);
  }
  const head = await runGit(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], git).catch(
    () => undefined,
  );
  const headId = head?.toString("utf8").trim();
  if (headId && COMMIT_ID.test(headId)) tips.add(headId);
  return [...tips].sort();
}

/**
 * The ids among `ids` that name commits this repository still has (a rewritten branch's old
 * commits go at the next `git gc`): one git process.
 * @throws VaultError USAGE
 */
export async function existingCommits(git: GitOptions, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const output = await runGit(["cat-file", "--batch-check"], git, `${ids.join("\n")}\n`);
  return output
    .toString("utf8")
    .split("\n")
    .flatMap((line) => {
      const [id, type] = line.split(" ");
      return id && type === "commit" && COMMIT_ID.test(id) ? [id] : [];
    });
}

function positionPath(agentDir: string, repository: string): string {
  const id = createHash("sha256").update(repository).digest("hex").slice(0, 32);
  return join(agentDir, POSITION_FOLDER, `${id}.json`);
}

/** A remembered position. */
export interface HistoryPosition {
  repository: string;
  tips: string[];
  scannedAt: string;
}

/** The file's shape; other keys are accepted (a later version may add some). */
const historyPositionSchema = openObject({
  repository: str(),
  scannedAt: str(),
  tips: list(str({ pattern: COMMIT_ID })),
});

/**
 * The position the last whole-history scan of `repository` recorded; `undefined` when there
 * is none (or it is unreadable: then the next scan reads the whole history again).
 */
export async function readHistoryPosition(
  agentDir: string,
  repository: string,
): Promise<HistoryPosition | undefined> {
  const raw = await readJsonFile(positionPath(agentDir, repository), "history position").catch(
    () => undefined,
  );
  const position = fits(historyPositionSchema, raw);
  if (position?.repository !== repository) return undefined;
  return { repository, tips: position.tips, scannedAt: position.scannedAt };
}

/**
 * Records that every commit reachable from `tips` in `repository` was scanned.
 * @throws VaultError IO_ERROR
 */
export async function writeHistoryPosition(
  agentDir: string,
  repository: string,
  tips: readonly string[],
  now: Date,
): Promise<void> {
  const path = positionPath(agentDir, repository);
  try {
    await fs.mkdir(join(agentDir, POSITION_FOLDER), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw ioError(error, "create the history position folder");
  }
  const position: HistoryPosition = { repository, tips: [...tips], scannedAt: now.toISOString() };
  await writeFileAtomic(path, `${JSON.stringify(position, null, 2)}\n`);
}
