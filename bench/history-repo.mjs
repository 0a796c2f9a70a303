/**
 * Builds a real git repository with a generated agent-workspace history (MEMORY.md, daily
 * notes in memory/, SOUL.md) and GitHub tokens planted along it, in one `git fast-import`
 * process. Used by test/scan-history.test.ts and bench/history.mjs.
 *
 * buildHistoryRepo(dir, { commits, seed, plantEvery, scenarios }) → {
 *   planted: [{ mark, path, line }]   each token where it was first added (and so must be found),
 *   skipped: [{ mark, path, reason }] the binary file and the file over 1 MiB (tokens inside),
 *   commitOf(mark) → the commit id, commits (how many), tokens (every token written) }
 *
 * With `scenarios`, the history also holds: a branch merged back into main, a branch never
 * merged that adds a token and deletes it, a renamed file holding a token (then edited), a
 * file deleted and added again with the same content, a binary file and a file over 1 MiB.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom, withGitHubChecksum } from "./scan-corpus/generate.mjs";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const WORDS = (
  "the agent read notes about weather trains music gardens coffee reports meetings project " +
  "summary morning evening calendar draft review plan ideas books travel lunch call friends " +
  "today tomorrow walked wrote fixed tested shipped learned asked answered"
).split(" ");

/** A deterministic workspace history as a fast-import stream, and what was planted where. */
export function historyStream({ commits = 300, seed = 1, plantEvery = 10, scenarios = true } = {}) {
  const random = seededRandom(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (n) => Array.from({ length: n }, () => ALNUM[int(62)]).join("");
  const sentence = () =>
    Array.from({ length: 6 + int(8) }, () => WORDS[int(WORDS.length)]).join(" ");
  const tokens = [];
  const token = () => {
    const value = withGitHubChecksum("ghp_", pick(36).slice(0, 30));
    tokens.push(value);
    return value;
  };
  const chunks = [];
  const planted = [];
  const skipped = [];
  let mark = 0;
  let made = 0;
  let time = 1_700_000_000;
  /** Files per branch: path → lines. */
  const trees = { main: new Map([["SOUL.md", ["# Soul", sentence()]]]) };
  const data = (content) => {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from("\n"));
  };
  const text = (lines) => `${lines.join("\n")}\n`;
  /**
   * One commit on `branch`: `change(tree, ops)` edits the tree and lists the ops; the files it
   * names in `ops.write` are written whole.
   */
  const commit = (branch, change, { from, merge } = {}) => {
    const tree = trees[branch];
    const ops = { write: new Set(), remove: [], rename: [], raw: [] };
    change(tree, ops);
    mark++;
    made++;
    time += 3600;
    chunks.push(Buffer.from(`commit refs/heads/${branch}\nmark :${mark}\n`));
    chunks.push(Buffer.from(`author Agent <agent@example.com> ${time} +0000\n`));
    chunks.push(Buffer.from(`committer Agent <agent@example.com> ${time} +0000\n`));
    data(`commit ${made}`);
    if (from) chunks.push(Buffer.from(`from :${from}\n`));
    if (merge) chunks.push(Buffer.from(`merge :${merge}\n`));
    for (const [old, path] of ops.rename) chunks.push(Buffer.from(`R ${old} ${path}\n`));
    for (const path of ops.remove) chunks.push(Buffer.from(`D ${path}\n`));
    for (const path of ops.write) {
      chunks.push(Buffer.from(`M 100644 inline ${path}\n`));
      data(text(tree.get(path)));
    }
    for (const [path, bytes] of ops.raw) {
      chunks.push(Buffer.from(`M 100644 inline ${path}\n`));
      data(bytes);
    }
    chunks.push(Buffer.from("\n"));
    return mark;
  };
  /** Appends a line to `path` in `tree` (creating it); returns its line number. */
  const append = (tree, ops, path, line) => {
    const lines = tree.get(path) ?? [`# ${path}`];
    lines.push(line);
    tree.set(path, lines);
    ops.write.add(path);
    return lines.length;
  };
  const plantIn = (tree, ops, path) => {
    const line = append(
      tree,
      ops,
      path,
      `- deploy token ${token()} for the ${WORDS[int(WORDS.length)]} job`,
    );
    planted.push({ mark: mark + 1, path, line });
  };
  /** An ordinary workspace edit: a daily note, MEMORY.md, or SOUL.md. */
  const ordinary = (tree, ops, index, plant) => {
    const day = `memory/day-${Math.floor(index / 12)}.md`;
    const kind = int(3);
    const path = kind === 0 ? "MEMORY.md" : kind === 1 ? day : "SOUL.md";
    if (plant) {
      plantIn(tree, ops, path);
      return;
    }
    append(tree, ops, path, sentence());
    const memory = tree.get("MEMORY.md");
    if (memory && memory.length > 150) {
      memory.splice(1, 50);
      ops.write.add("MEMORY.md");
    }
  };
  const at = (fraction) => Math.max(2, Math.floor(commits * fraction));
  let featureFrom = 0;
  let featureTip = 0;
  let experimentFrom = 0;
  let removedToken = [];
  for (let i = 1; made < commits; i++) {
    const plant = i % plantEvery === 0;
    if (!scenarios) {
      commit("main", (tree, ops) => ordinary(tree, ops, i, plant));
      continue;
    }
    if (i === at(0.1)) {
      // A file added with a token, renamed five commits later (and edited), never reported twice.
      commit("main", (tree, ops) => plantIn(tree, ops, "notes/creds.md"));
    } else if (i === at(0.1) + 5) {
      commit("main", (tree, ops) => {
        tree.set("archive/creds.md", tree.get("notes/creds.md"));
        tree.delete("notes/creds.md");
        ops.rename.push(["notes/creds.md", "archive/creds.md"]);
        append(tree, ops, "archive/creds.md", "moved.");
      });
    } else if (i === at(0.15)) {
      commit("main", (tree, ops) => plantIn(tree, ops, "tmp/token.md"));
    } else if (i === at(0.15) + 1) {
      commit("main", (tree, ops) => {
        ops.remove.push("tmp/token.md");
        removedToken = tree.get("tmp/token.md");
        tree.delete("tmp/token.md");
      });
    } else if (i === at(0.15) + 2) {
      // The same content again: the same blob, already read.
      commit("main", (tree, ops) => {
        tree.set("tmp/token.md", removedToken);
        ops.write.add("tmp/token.md");
      });
    } else if (i === at(0.2)) {
      commit("main", (_tree, ops) => {
        ops.raw.push([
          "assets/photo.bin",
          Buffer.concat([Buffer.from([0x89, 0, 1, 2]), Buffer.from(` ${token()} `)]),
        ]);
      });
      skipped.push({ mark, path: "assets/photo.bin", reason: "binary" });
    } else if (i === at(0.25)) {
      commit("main", (_tree, ops) => {
        const filler = `${"x".repeat(99)}\n`.repeat(11_000);
        ops.raw.push(["dump/big.log", Buffer.from(`${filler}${token()}\n`)]);
      });
      skipped.push({ mark, path: "dump/big.log", reason: "too-large" });
    } else if (i === at(0.3)) {
      featureFrom = commit("main", (tree, ops) => ordinary(tree, ops, i, plant));
      trees.feature = new Map([...trees.main].map(([path, lines]) => [path, [...lines]]));
    } else if (i > at(0.3) && i <= at(0.3) + 20) {
      // The feature branch: its own files, two tokens (the first removed again).
      featureTip = commit(
        "feature",
        (tree, ops) => {
          const step = i - at(0.3);
          if (step === 3 || step === 11) plantIn(tree, ops, `feature/notes-${step}.md`);
          else if (step === 6) {
            tree.get("feature/notes-3.md").pop();
            ops.write.add("feature/notes-3.md");
          } else append(tree, ops, `feature/notes-${step % 4}.md`, sentence());
        },
        i === at(0.3) + 1 ? { from: featureFrom } : {},
      );
    } else if (i === at(0.5)) {
      commit(
        "main",
        (tree, ops) => {
          for (const [path, lines] of trees.feature) {
            if (!path.startsWith("feature/")) continue;
            tree.set(path, [...lines]);
            ops.write.add(path);
          }
        },
        { merge: featureTip },
      );
    } else if (i === at(0.7)) {
      experimentFrom = commit("main", (tree, ops) => ordinary(tree, ops, i, plant));
      trees.experiment = new Map([...trees.main].map(([path, lines]) => [path, [...lines]]));
    } else if (i === at(0.7) + 1) {
      commit("experiment", (tree, ops) => plantIn(tree, ops, "experiment.md"), {
        from: experimentFrom,
      });
    } else if (i === at(0.7) + 2) {
      commit("experiment", (tree, ops) => {
        tree.delete("experiment.md");
        ops.remove.push("experiment.md");
      });
    } else {
      commit("main", (tree, ops) => ordinary(tree, ops, i, plant));
    }
  }
  return { stream: Buffer.concat(chunks), planted, skipped, tokens, commits: made };
}

/** Builds the repository in `dir` (created by `git init`); see the file's header. */
export function buildHistoryRepo(dir, options = {}) {
  const { stream, planted, skipped, tokens, commits } = historyStream(options);
  const git = (args, input) =>
    execFileSync("git", args, {
      cwd: dir,
      input,
      maxBuffer: 1 << 30,
      stdio: ["pipe", "pipe", "pipe"],
    });
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  const marks = join(dir, ".git", "bench-marks");
  git(["fast-import", "--quiet", `--export-marks=${marks}`], stream);
  git(["checkout", "-q", "-f", "main"]);
  const ids = new Map(
    readFileSync(marks, "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const [markText, id] = line.split(" ");
        return [Number(markText.slice(1)), id];
      }),
  );
  return { planted, skipped, tokens, commits, commitOf: (mark) => ids.get(mark) };
}
