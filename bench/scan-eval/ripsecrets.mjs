// Build labelled evaluation records from the ripsecrets test corpus
// (github.com/sirwart/ripsecrets, MIT, Copyright 2022 Brian Smith).
//
// Input: <sourcesDir>/test/**, <sourcesDir>/manifest.json (written by the fetch step).
// Output: { records, dropped }. Deterministic: directories are read in sorted
// order (plain code-unit comparison) and records are emitted in that order.
// Dependencies: node:fs and node:path only.
//
// Meaning of the upstream folders, taken from ripsecrets' own tests
// (src/lib.rs `no_false_positives` / `no_false_negatives`, older
// src/find_secrets.rs):
//   test/none          -> the scanner must report 0 matches for the whole file
//   test/one_per_line/* -> match count must equal the number of '\n' in the file,
//                         i.e. exactly one secret on every line
//   test/one_per_file/* -> exactly 1 match per file
//   test/one/*          -> exactly 1 match per file (older name of one_per_file)
//
// LABELLING RULE for one_per_line secrets (function `lineSecret`), applied in order:
//   1. URL with user-info (`scheme://user:password@host...`): the secret is the
//      password between the first ':' after "//" and the '@'. ripsecrets' URL
//      pattern puts only this password in its capture group and reports just
//      that span, so this is how the test code itself delimits the secret.
//   2. Legacy npm config line (`//host/:_authToken=VALUE`): the secret is VALUE.
//   3. Single XML element (`<tag>VALUE</tag>`): the secret is VALUE; if VALUE is
//      a Maven encrypted password in braces (`{BODY}` or `{BODY\}`), the secret
//      is BODY (the braces and the escaping backslash are syntax, not secret).
//   4. Otherwise: remove a leading `export `, then a leading assignment
//      `NAME =`, `NAME :=`, `NAME:` (NAME optionally quoted or in `[...]`; a ':'
//      that starts "://" is not an assignment), remove one pair of surrounding
//      quotes ('', "" or ``), and take the longest run of non-space characters
//      (first one wins on ties).
//   The result is checked to be a non-empty substring of the line.
//
// Whole-file examples (test/one_per_file/*, test/one/*):
//   - a file containing `-----BEGIN ...-----`: the secret is the block from
//     `-----BEGIN <label>-----` to the matching `-----END <label>-----`
//     (inclusive, line endings inside kept as stored);
//   - aws_json: the secret is the string value of the JSON key that names an
//     AWS key (the only credential-like value in the file; see README).
//
// Drops: exact duplicate `text` (first occurrence in sorted order is kept) and
// lines that are only a comment (`# ...`, `// ...` with a space or nothing after
// `//`, `/* ... */`, `<!-- ... -->`, `-- ...`). A `//` directly followed by a
// non-space (e.g. `//registry.npmjs.org/...`) is not treated as a comment.

import fs from "node:fs";
import path from "node:path";
import { keepFirstOfEachText } from "./distinct-texts.mjs";

const SOURCE = "ripsecrets";
const REPO = "sirwart/ripsecrets";
const LICENSE = "MIT";

// one_per_line files whose lines are one service's token format.
const PROVIDER_RULES = new Set([
  "aws",
  "azure",
  "gcp",
  "github",
  "gitlab",
  "intra42",
  "mailchimp",
  "npm",
  "sendgrid",
  "slack",
  "square",
  "stripe",
  "twilio",
]);
// Everything else (url, random, jwt, maven, age, private-key files) is "generic".

// Negative lines of test/none that are negative only because of ripsecrets'
// own suppression features (inline `pragma: allowlist secret`, or the secret
// listed in the repository's .secretsignore). A scanner without those
// features would rightly flag them. Exported so consumers can exclude them.
export const CONTEXT_DEPENDENT_NEGATIVE_IDS = Object.freeze([
  "ripsecrets/none/line1", // real-format Stripe key + `// pragma: allowlist secret`
  "ripsecrets/none/line12", // URL password listed in upstream .secretsignore
]);

function sortedEntries(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function readText(file) {
  return fs.readFileSync(file, "utf8");
}

function splitLines(text) {
  // Physical lines, 1-based numbering; a trailing "\r" (CRLF) is not part of the line.
  const parts = text.split("\n");
  if (parts.length && parts[parts.length - 1] === "") parts.pop();
  return parts.map((l, i) => ({ n: i + 1, line: l.endsWith("\r") ? l.slice(0, -1) : l }));
}

function isCommentOnly(line) {
  const s = line.trim();
  return (
    /^#(\s|$)/.test(s) ||
    /^\/\/(\s|$)/.test(s) ||
    /^--(\s|$)/.test(s) ||
    /^\/\*.*\*\/$/.test(s) ||
    /^<!--.*-->$/.test(s)
  );
}

function longestNonSpaceRun(s) {
  let best = "";
  for (const run of s.split(/\s+/)) if (run.length > best.length) best = run;
  return best;
}

function stripQuotes(s) {
  const m = /^(['"`])([\s\S]*)\1$/.exec(s);
  return m ? m[2] : s;
}

/** The secret of one `one_per_line` line, by the labelling rule above. */
export function lineSecret(line) {
  const s = line.trim();
  // 1. URL user-info password.
  const url = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@]+)@\S+/.exec(s);
  if (url) return { secret: url[1], how: "url-password" };
  // 2. Legacy npm `:_authToken=`.
  const npm = /:_authToken=(\S+)/.exec(s);
  if (npm) return { secret: stripQuotes(npm[1]), how: "npm-authToken" };
  // 3. Single XML element.
  const xml = /^<([A-Za-z][\w.-]*)>([^<]*)<\/\1>$/.exec(s);
  if (xml) {
    const v = xml[2].trim();
    const brace = /^\{([^{}\\]+)\\?\}$/.exec(v);
    if (brace) return { secret: brace[1], how: "xml-element-braced" };
    return { secret: v, how: "xml-element" };
  }
  // 4. Strip assignment + quotes, longest non-space run.
  let v = s.replace(/^export\s+/, "");
  const assign = /^(?:\[\s*)?["'`]?[A-Za-z_][\w.-]*["'`]?(?:\s*\])?\s*(?::=|=|:(?!\/\/))\s*/.exec(
    v,
  );
  if (assign) v = v.slice(assign[0].length);
  v = stripQuotes(v.trim());
  return { secret: longestNonSpaceRun(v), how: assign ? "assignment-value" : "whole-token" };
}

function pemBlock(text) {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/.exec(text);
  return m ? m[0] : null;
}

function awsJsonSecret(text) {
  // Value of a JSON string member whose key names an AWS key/secret.
  const m = /"aws_[A-Za-z_]*(?:key|secret)[A-Za-z_]*"\s*:\s*"([^"]+)"/i.exec(text);
  return m ? m[1] : null;
}

function loadManifest(sourcesDir) {
  const p = path.join(sourcesDir, "manifest.json");
  return JSON.parse(readText(p));
}

/** Records and left-out examples of the ripsecrets corpus in `sourcesDir`, in `split`. */
export function buildRipsecrets(sourcesDir, split) {
  const manifest = loadManifest(sourcesDir);
  const commitOf = (rel) => {
    const e = manifest.files[rel];
    if (!e || !/^[0-9a-f]{40}$/.test(e.commit)) throw new Error(`no commit for ${rel}`);
    return e.commit;
  };
  const candidates = [];
  const dropped = [];

  const base = (rel) => ({
    source: SOURCE,
    split,
    license: LICENSE,
    repo: REPO,
    path: rel,
    commit: commitOf(rel),
  });

  // test/none -> negatives, one per non-empty line.
  {
    const rel = "test/none";
    const file = path.join(sourcesDir, rel);
    if (fs.existsSync(file)) {
      for (const { n, line } of splitLines(readText(file))) {
        if (line.trim() === "") continue;
        const where = `${rel}:${n}`;
        if (isCommentOnly(line)) {
          dropped.push({ where, why: "comment-only line" });
          continue;
        }
        candidates.push({
          id: `ripsecrets/none/line${n}`,
          ...base(rel),
          rule: "none",
          family: "generic",
          source_label: "none",
          path_hint: "sample.txt",
          text: line,
          secrets: [],
        });
      }
    }
  }

  // test/one_per_line/* -> one positive per non-empty line.
  for (const name of sortedEntries(path.join(sourcesDir, "test/one_per_line"))) {
    const rel = `test/one_per_line/${name}`;
    for (const { n, line } of splitLines(readText(path.join(sourcesDir, rel)))) {
      if (line.trim() === "") continue;
      const where = `${rel}:${n}`;
      if (isCommentOnly(line)) {
        dropped.push({ where, why: "comment-only line" });
        continue;
      }
      const { secret } = lineSecret(line);
      if (!secret || !line.includes(secret)) throw new Error(`bad secret at ${where}`);
      candidates.push({
        id: `ripsecrets/one_per_line/${name}/line${n}`,
        ...base(rel),
        rule: name,
        family: PROVIDER_RULES.has(name) ? "provider" : "generic",
        source_label: "one_per_line",
        path_hint: "sample.txt",
        text: line,
        secrets: [secret],
      });
    }
  }

  // test/one_per_file/* and test/one/* -> one positive per file.
  for (const folder of ["one_per_file", "one"]) {
    for (const name of sortedEntries(path.join(sourcesDir, "test", folder))) {
      const rel = `test/${folder}/${name}`;
      const text = readText(path.join(sourcesDir, rel));
      let secret = pemBlock(text);
      let family = "generic";
      if (!secret && /aws/i.test(name)) {
        secret = awsJsonSecret(text);
        family = "provider";
      }
      if (!secret || !text.includes(secret)) {
        dropped.push({ where: rel, why: "could not delimit the secret" });
        continue;
      }
      candidates.push({
        id: `ripsecrets/${folder}/${name}`,
        ...base(rel),
        rule: name,
        family,
        source_label: folder,
        path_hint: name,
        text,
        secrets: [secret],
      });
    }
  }

  return { records: keepFirstOfEachText(candidates, dropped), dropped };
}
