/**
 * The `git log --patch --unified=0` reader of `vault scan --history`, on hand-written and
 * hostile streams: what it takes as added lines, what it never mistakes for a header, how it
 * bounds what it holds.
 */
import { describe, expect, it } from "vitest";
import {
  type FileChange,
  HistoryParser,
  historyLogArgs,
  LineSplitter,
  unquoteGitPath,
} from "../src/scan/history-stream.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

/** Feeds `text` through a splitter (in `chunk`-byte pieces) and a parser; returns the changes. */
function parse(text: string | Buffer, maxBytes = 1024, chunk = 7): FileChange[] {
  const changes: FileChange[] = [];
  const parser = new HistoryParser(maxBytes, (change) => changes.push(change));
  const splitter = new LineSplitter(maxBytes + 1);
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const feed = (line: Buffer, overlong: boolean) => parser.line(line, overlong);
  for (let at = 0; at < bytes.length; at += chunk)
    splitter.push(bytes.subarray(at, at + chunk), feed);
  splitter.end(feed);
  parser.end();
  return changes;
}

const commitLine = (id: string) => `\0${id} 2026-01-02T03:04:05+00:00\n\n`;
const fileDiff = (path: string, from: string, to: string, hunk: string) =>
  `diff --git a/${path} b/${path}\nindex ${from}..${to} 100644\n--- a/${path}\n+++ b/${path}\n${hunk}`;

describe("the history stream parser", () => {
  it("takes the added lines of each hunk with their line numbers in the new file", () => {
    const changes = parse(
      commitLine(C) +
        fileDiff(
          "MEMORY.md",
          A,
          B,
          "@@ -1 +1,2 @@\n-old\n+new one\n+new two\n@@ -9,0 +10 @@\n+ten\n",
        ),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      commit: C,
      date: "2026-01-02T03:04:05+00:00",
      path: "MEMORY.md",
      blob: B,
    });
    expect(changes[0]?.added?.toString()).toBe("new one\nnew two\nten\n");
    expect(changes[0]?.lines).toEqual([1, 2, 10]);
  });

  it("never takes an added line for a header, a path or a commit", () => {
    const hostile = `+++ b/elsewhere.md\n+diff --git a/x b/x\n+\0${A} 1999-01-01\n`;
    const changes = parse(commitLine(C) + fileDiff("a.md", A, B, `@@ -0,0 +1,3 @@\n${hostile}`));
    expect(changes.map((c) => [c.commit, c.path, c.lines])).toEqual([[C, "a.md", [1, 2, 3]]]);
  });

  it("reads each blob once: a second change to the same content is skipped", () => {
    const changes = parse(
      commitLine(A) +
        fileDiff("one.md", C, B, "@@ -0,0 +1 @@\n+x\n") +
        commitLine(C) +
        fileDiff("two.md", A, B, "@@ -0,0 +1 @@\n+x\n"),
    );
    expect(changes.map((c) => c.path)).toEqual(["one.md"]);
  });

  it("skips a change whose added lines pass the size limit, also one line far over it", () => {
    const big = `+${"x".repeat(5000)}\n`;
    const changes = parse(
      commitLine(A) +
        fileDiff("many.md", A, B, `@@ -0,0 +1,20 @@\n${"+0123456789\n".repeat(20)}`) +
        fileDiff("long.md", A, C, `@@ -0,0 +1 @@\n${big}`),
      100,
    );
    expect(changes.map((c) => [c.path, c.skipped, c.added])).toEqual([
      ["many.md", "too-large", undefined],
      ["long.md", "too-large", undefined],
    ]);
  });

  it("reports binary files, follows renames and leaves out deleted files, links and submodules", () => {
    const changes = parse(
      commitLine(A) +
        `diff --git a/p.bin b/p.bin\nnew file mode 100644\nindex ${"0".repeat(40)}..${B}\nBinary files /dev/null and b/p.bin differ\n` +
        `diff --git a/old.md b/new.md\nsimilarity index 90%\nrename from old.md\nrename to new.md\nindex ${A}..${C} 100644\n--- a/old.md\n+++ b/new.md\n@@ -3,0 +4 @@\n+moved\n` +
        `diff --git a/gone.md b/gone.md\ndeleted file mode 100644\nindex ${A}..${"0".repeat(40)}\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n` +
        `diff --git a/link b/link\nnew file mode 120000\nindex ${"0".repeat(40)}..${"d".repeat(40)}\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+/etc/passwd\n`,
    );
    expect(changes.map((c) => [c.path, c.skipped ?? c.added?.toString()])).toEqual([
      ["p.bin", "binary"],
      ["new.md", "moved\n"],
    ]);
  });

  it("unquotes C-quoted paths, control characters and UTF-8 octets included", () => {
    expect(unquoteGitPath('"a\\tb\\033[31m\\303\\251\\"q\\\\"')).toBe('a\tb\u001b[31mé"q\\');
    expect(unquoteGitPath("plain name.md")).toBe("plain name.md");
    const changes = parse(
      commitLine(A) +
        `diff --git "a/x\\033y.md" "b/x\\033y.md"\nindex ${A}..${B} 100644\n--- "a/x\\033y.md"\n+++ "b/x\\033y.md"\n@@ -0,0 +1 @@\n+z\n`,
    );
    expect(changes[0]?.path).toBe("x\u001by.md");
  });

  it("reads a hunk that announces more lines than it has up to the next header", () => {
    const changes = parse(
      commitLine(A) +
        fileDiff("a.md", A, B, "@@ -0,0 +1,5 @@\n+one\n") +
        fileDiff("b.md", A, C, "@@ -0,0 +1 @@\n+two\n"),
    );
    expect(changes.map((c) => [c.path, c.added?.toString()])).toEqual([
      ["a.md", "one\n"],
      ["b.md", "two\n"],
    ]);
  });

  it("holds at most the cap of a line that never ends", () => {
    const splitter = new LineSplitter(1000);
    const seen: Array<[number, boolean]> = [];
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 64; i++)
      splitter.push(chunk, (line, overlong) => seen.push([line.length, overlong]));
    splitter.push(Buffer.from("\nshort\n"), (line, overlong) => seen.push([line.length, overlong]));
    expect(seen).toEqual([
      [1000, true],
      [5, false],
    ]);
  });
});

describe("the git command line of a history scan", () => {
  it("turns off external diff drivers and textconv, and takes revisions only on stdin", () => {
    const args = historyLogArgs({ revisions: ["--output=/tmp/x"], maxBytes: 10, paths: ["-rf"] });
    expect(args).toContain("--no-ext-diff");
    expect(args).toContain("--no-textconv");
    expect(args).toContain("--stdin");
    expect(args).not.toContain("--output=/tmp/x");
    expect(args.indexOf("--")).toBeLessThan(args.indexOf("-rf"));
    expect(args.slice(args.indexOf("--") + 1)).toEqual(["-rf"]);
  });
});
