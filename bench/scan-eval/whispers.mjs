// Build labelled evaluation records from whispers' test fixtures
// (github.com/Skyscanner/whispers, Apache-2.0, Copyright 2020 Skyscanner Ltd).
//
// Input: <sourcesDir>/tests/fixtures/**, <sourcesDir>/tests/unit/test_secrets.py (the test
// that states what whispers must find in each fixture) and <sourcesDir>/manifest.json.
// Output: { records, dropped }. Deterministic: fixtures are taken in the order the test
// lists them. Dependencies: node:fs and node:path only.
//
// What whispers' own test states (tests/unit/test_secrets.py):
//   test_detection_by_value(src, count): whispers reports exactly `count` findings in the
//     fixture, and every finding's value, lower-cased, contains "hardcoded" unless it is
//     numeric. The fixtures mark their parts `Compliant` and `Noncompliant` (a comment line,
//     a YAML or JSON key, an XML element, an INI section) and spell every true secret with
//     "hardcoded" in it.
//   test_detection_by_key(src, keys): whispers reports exactly the values of `keys`, in order.
//
// LABELLING RULE (by value, function `labelByValue`):
//   - A fixture the test states 0 findings for is a negative.
//   - Otherwise its secrets are the value tokens outside a Compliant part that contain
//     "hardcoded" (any case) or are all digits (10 or more). A Compliant part runs from a
//     line that is only the word `compliant` (with comment, key or tag punctuation) to the
//     next line that is only `noncompliant` / `non-compliant`. A value token is a maximal run
//     of characters other than white space, quotes and `<>{}()[],;:&@|\`, without a leading
//     `NAME=` (`DB_PASSWORD=`, `--password=`, `_authToken=`); a run that is a key (followed by
//     `:` and a value, or by `:` ending a line that holds only the key) or an XML tag name (after `<` or `</`) is not a
//     value; a run that starts with `//` after `scheme:` and holds "hardcoded" is a URL
//     path and the URL is labelled whole, scheme included (whispers reports a webhook URL as one value).
//   - The number of such tokens (occurrences, not distinct values) must equal the count the
//     test states, else the fixture is dropped.
// LABELLING RULE (by key, function `labelByKey`): the secret of each listed key is the value
//   of its `key:` line in the Noncompliant part of the YAML fixture: the contents of a
//   double-quoted scalar (which may span lines), trimmed of white space, else the rest of
//   the line. Each key must occur exactly once there, else the fixture is dropped.
// SPLIT: when a fixture's Noncompliant part starts at a comment line (`# Noncompliant`,
//   `// Noncompliant`, `---- NONCOMPLIANT`) or a top-level YAML key (`noncompliant:`) and no
//   labelled secret comes before it, the text before that line is a negative example and
//   the rest a positive; otherwise the whole fixture is one example.
// DROPS: fixtures the test names but the repository copy here does not hold (see README),
//   fixtures whose findings this set does not count as credentials (`DROP_FIXTURES`),
//   count mismatches, duplicate texts.

import fs from "node:fs";
import path from "node:path";
import { keepFirstOfEachText } from "./distinct-texts.mjs";

const SOURCE = "whispers";

/** Fixtures whose stated findings are not credentials in this set's sense. */
const DROP_FIXTURES = {
  "language.html": "its findings are HTML comments (whispers' `comments` rule), not credentials",
  "creditcards.yml":
    "its findings are payment card numbers (numeric, the test checks only their count), not credentials",
  ".htpasswd":
    "one of its two findings is an Apache MD5 password hash ($apr1$), which this set counts as a near miss, not a credential",
};

/** Fixtures the test names that are not in sources/whispers, and why. */
const NOT_VENDORED = {
  "settings.conf": "not in the stored copy of the repository the fixtures were fetched from",
  "beans.xml.dist": "not in the stored copy of the repository the fixtures were fetched from",
  "beans.xml.template": "not in the stored copy of the repository the fixtures were fetched from",
  "privatekeys.json":
    "not vendored: the keys of privatekeys.yml in JSON (only the YAML by-key fixtures are used)",
  "privatekeys.xml":
    "not vendored: the keys of privatekeys.yml in XML (only the YAML by-key fixtures are used)",
  "aws.json": "not vendored: the keys of aws.yml in JSON (only the YAML by-key fixtures are used)",
  "aws.xml": "not vendored: the keys of aws.yml in XML (only the YAML by-key fixtures are used)",
  "jenkins.xml":
    "not vendored: its two findings are a bcrypt password hash (a near miss in this set) and an encrypted API token",
  "cloudformation.yml":
    "not vendored: its finding is the parameter key NoncompliantDBPassword, whose value the test does not state (its Default is `admin`)",
  "cloudformation.json":
    "not vendored: its finding is the parameter key NoncompliantDBPassword, whose value the test does not state (its Default is `admin`)",
};

/** Fixtures whose secrets are one provider's format (the rest are generic). */
const PROVIDER_FIXTURES = new Set([".aws/credentials", ".npmrc", "aws.yml", "webhooks.yml"]);

const MARKER = /^[\s#/<!\-["':{>]*(non-?)?compliant[\s\-\]"':{>]*$/i;
const SPLIT_MARKER = /^(?:\s*(?:#|\/\/|-{3,})\s*non-?compliant\s*|non-?compliant:\s*)$/i;

/** The `(src, count)` and `(src, [keys])` parameter lists of whispers' detection tests. */
export function statedExpectations(testText) {
  const paramsOf = (fn) => {
    const at = testText.indexOf(`def ${fn}(`);
    if (at < 0) throw new Error(`${fn} not found in test_secrets.py`);
    const from = testText.lastIndexOf("@pytest.mark.parametrize(", at);
    return testText.slice(from, at);
  };
  const byValue = [
    ...paramsOf("test_detection_by_value").matchAll(/\(\s*"([^"]+)",\s*(\d+)\s*\)/g),
  ].map((m) => ({ name: m[1], count: Number(m[2]) }));
  const byKey = [
    ...paramsOf("test_detection_by_key").matchAll(/\(\s*"([^"]+)",\s*\[([^\]]*)\]\s*\)/g),
  ].map((m) => ({ name: m[1], keys: [...m[2].matchAll(/"([^"]+)"/g)].map((k) => k[1]) }));
  return { byValue, byKey };
}

/** Lines with their offsets and whether each is inside a Compliant part. */
function linesWithParts(text) {
  const out = [];
  let part = "none";
  let offset = 0;
  for (const line of text.split("\n")) {
    const m = MARKER.exec(line);
    if (m) part = m[1] ? "noncompliant" : "compliant";
    out.push({ line, offset, part, marker: Boolean(m) });
    offset += line.length + 1;
  }
  return out;
}

/** Value tokens of one line that are labelled secrets: `[start, end]` offsets in the line. */
function valueTokens(line) {
  const out = [];
  for (const m of line.matchAll(/[^\s"'`<>{}()[\],;:&@|\\]+/g)) {
    let start = m.index;
    let end = start + m[0].length;
    const before = line.slice(0, start);
    const after = line.slice(end);
    if (/<\/?$/.test(before)) continue; // an XML tag name
    // A key: `:` and a value on the line, or `:` ending a line that holds only the key.
    if (
      /^["']?\s*:\s+\S/.test(after) ||
      (/^["']?\s*:\s*$/.test(after) && /^[\s-]*["']?$/.test(before))
    )
      continue;
    let token = m[0];
    if (token.startsWith("//")) {
      if (!/hardcoded/i.test(token)) continue;
      const scheme = /[A-Za-z][A-Za-z0-9+.-]*:$/.exec(before);
      if (!scheme) continue;
      // A URL: the whole URL, from its scheme to the end of its run without white space or quotes.
      start -= scheme[0].length;
      end = start + /^[^\s"'`<>]+/.exec(line.slice(start))[0].length;
      token = line.slice(start, end);
    } else {
      const name = /^-*[A-Za-z_][\w.-]*=/.exec(token);
      if (name && name[0].length < token.length) {
        start += name[0].length;
        token = token.slice(name[0].length);
      }
    }
    if (/hardcoded/i.test(token) || /^\d{10,}$/.test(token)) out.push([start, end]);
  }
  return out;
}

/** Labelled secret spans of a by-value fixture: `[start, end]` offsets in the text. */
export function labelByValue(text) {
  const spans = [];
  for (const { line, offset, part } of linesWithParts(text)) {
    if (part === "compliant") continue;
    for (const [a, b] of valueTokens(line)) spans.push([offset + a, offset + b]);
  }
  return spans;
}

/** Labelled secret spans of a by-key YAML fixture, or an error message. */
export function labelByKey(text, keys) {
  const lines = linesWithParts(text);
  const spans = [];
  for (const key of keys) {
    const hits = lines.filter(
      (l) => l.part === "noncompliant" && new RegExp(`^\\s*${key}:\\s`).test(l.line),
    );
    if (hits.length !== 1) return { error: `key ${key} occurs ${hits.length} times` };
    const { line, offset } = hits[0];
    const valueAt = offset + line.indexOf(":") + 1;
    const rest = text.slice(valueAt);
    const lead = /^[ \t]*/.exec(rest)[0].length;
    let a = valueAt + lead;
    let b;
    if (text[a] === '"') {
      let i = a + 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= text.length) return { error: `the quoted value of ${key} does not end` };
      a += 1;
      b = i;
    } else {
      b = text.indexOf("\n", a);
      if (b < 0) b = text.length;
    }
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (b <= a) return { error: `key ${key} has an empty value` };
    spans.push([a, b]);
  }
  return { spans };
}

/** Where a fixture splits into a negative part and a positive part, or null. */
function splitOffset(text, spans) {
  const at = linesWithParts(text).find((l) => l.marker && SPLIT_MARKER.test(l.line));
  if (!at || spans.some(([a]) => a < at.offset)) return null;
  if (text.slice(0, at.offset).trim() === "") return null;
  return at.offset;
}

const distinct = (text, spans) => [
  ...new Set([...spans].sort((x, y) => x[0] - y[0]).map(([a, b]) => text.slice(a, b))),
];

/** Records and left-out examples of whispers' fixtures in `sourcesDir`, in `split`. */
export function buildWhispers(sourcesDir, split) {
  const manifest = JSON.parse(fs.readFileSync(path.join(sourcesDir, "manifest.json"), "utf8"));
  const testPath = "tests/unit/test_secrets.py";
  const { byValue, byKey } = statedExpectations(
    fs.readFileSync(path.join(sourcesDir, testPath), "utf8"),
  );
  const candidates = [];
  const dropped = [];
  const stated = [
    ...byKey.map((s) => ({ ...s, rule: "detection_by_key" })),
    ...byValue.map((s) => ({ ...s, rule: "detection_by_value" })),
  ];
  for (const item of stated) {
    const rel = `tests/fixtures/${item.name}`;
    const where = `${rel} (${item.rule})`;
    const origin = manifest.files[rel];
    if (!origin) {
      if (!NOT_VENDORED[item.name])
        throw new Error(`${rel} is neither vendored nor listed as left out`);
      dropped.push({ where, why: NOT_VENDORED[item.name] });
      continue;
    }
    if (DROP_FIXTURES[item.name]) {
      dropped.push({ where, why: DROP_FIXTURES[item.name] });
      continue;
    }
    const text = fs.readFileSync(path.join(sourcesDir, rel), "utf8");
    let spans;
    let label;
    if (item.rule === "detection_by_key") {
      const result = labelByKey(text, item.keys);
      if (result.error) {
        dropped.push({ where, why: `cannot delimit the stated keys' values: ${result.error}` });
        continue;
      }
      spans = result.spans;
      label = `keys ${item.keys.join(", ")}`;
    } else {
      spans = item.count === 0 ? [] : labelByValue(text);
      if (spans.length !== item.count) {
        dropped.push({
          where,
          why: `${spans.length} labelled values found, whispers' test states ${item.count} findings`,
        });
        continue;
      }
      label = `${item.count} findings`;
    }
    const base = {
      source: SOURCE,
      split,
      license: manifest.license,
      repo: manifest.repo,
      path: rel,
      commit: origin.commit,
      rule: item.rule,
      family: PROVIDER_FIXTURES.has(item.name) ? "provider" : "generic",
      path_hint: item.name,
    };
    const cut = spans.length > 0 ? splitOffset(text, spans) : null;
    if (cut === null) {
      candidates.push({
        id: `${SOURCE}/${item.name}`,
        ...base,
        source_label: label,
        text,
        secrets: distinct(text, spans),
      });
      continue;
    }
    const tail = text.slice(cut);
    candidates.push({
      id: `${SOURCE}/${item.name}/compliant`,
      ...base,
      source_label: `${label}; the part before Noncompliant`,
      text: text.slice(0, cut),
      secrets: [],
    });
    candidates.push({
      id: `${SOURCE}/${item.name}/noncompliant`,
      ...base,
      source_label: `${label}; the Noncompliant part`,
      text: tail,
      secrets: distinct(
        tail,
        spans.map(([a, b]) => [a - cut, b - cut]),
      ),
    });
  }
  return { records: keepFirstOfEachText(candidates, dropped), dropped };
}
