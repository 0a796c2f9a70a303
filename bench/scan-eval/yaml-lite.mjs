/**
 * The small subset of YAML that Nosey Parker's rule files use: a top-level `rules:` list of
 * maps whose values are plain, single-quoted, double-quoted or block (`|`, `|-`) scalars, or
 * lists of those. Comments are kept as `comments` on the list item (or key) they precede, so
 * the builder can honour the files' `# FIXME` notes. Not a general YAML parser.
 */

const DOUBLE_ESCAPES = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "/": "/", 0: "\0" };

function unquoteDouble(body) {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === "x" || e[0] === "u") return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (e in DOUBLE_ESCAPES) return DOUBLE_ESCAPES[e];
    throw new Error(`unsupported escape \\${e}`);
  });
}

/** A scalar written on one line (after `key:` or `- `). */
function inlineScalar(raw) {
  const s = raw.trim();
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new Error(`unterminated '…': ${s}`);
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw new Error(`unterminated "…": ${s}`);
    return unquoteDouble(s.slice(1, -1));
  }
  return s.replace(/\s+#.*$/, "");
}

const indentOf = (line) => line.length - line.trimStart().length;

/** Reads a block scalar whose header is at `lines[i]` with the given parent indent. */
function blockScalar(lines, i, parentIndent, chomp) {
  const body = [];
  let j = i + 1;
  let blockIndent = -1;
  for (; j < lines.length; j++) {
    const line = lines[j];
    if (line.trim() === "") {
      body.push("");
      continue;
    }
    const indent = indentOf(line);
    if (blockIndent < 0) {
      if (indent <= parentIndent) break;
      blockIndent = indent;
    }
    if (indent < blockIndent) break;
    body.push(line.slice(blockIndent));
  }
  // Trailing blank lines belong to no scalar under clip/strip chomping.
  while (body.length > 0 && body.at(-1) === "") body.pop();
  let text = body.join("\n");
  if (chomp !== "-") text += "\n";
  let end = j;
  while (end > i + 1 && lines[end - 1].trim() === "") end--;
  return { value: text, next: end };
}

/** Parses a rules file into `[{ fields: {key: value}, lists: {key: [{ value, comments }]}, listComments }]`. */
export function parseRulesYaml(source) {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const rules = [];
  let rule = null;
  let listKey = null;
  let pendingComments = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === "" || trimmed === "rules:") {
      i++;
      continue;
    }
    if (trimmed.startsWith("#")) {
      pendingComments.push(trimmed);
      i++;
      continue;
    }
    const indent = indentOf(line);
    const item = /^- (.*)$/.exec(trimmed);
    if (indent === 0 && item) {
      rule = { fields: {}, lists: {}, listComments: {} };
      rules.push(rule);
      listKey = null;
      pendingComments = [];
      // `- name: X` starts a rule: treat the rest as a key of it.
      lines[i] = `  ${item[1]}`;
      continue;
    }
    if (!rule) throw new Error(`line ${i + 1}: content before the first rule`);
    const keyMatch = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(trimmed);
    if (indent === 2 && keyMatch) {
      const [, key, rest = ""] = keyMatch;
      if (rest === "") {
        listKey = key;
        rule.lists[key] = [];
        rule.listComments[key] = pendingComments;
        pendingComments = [];
        i++;
        continue;
      }
      listKey = null;
      pendingComments = [];
      const block = /^\|([-+]?)$/.exec(rest.trim());
      if (block) {
        const { value, next } = blockScalar(lines, i, indent, block[1]);
        rule.fields[key] = value;
        i = next;
      } else {
        rule.fields[key] = inlineScalar(rest);
        i++;
      }
      continue;
    }
    if (item && listKey && indent >= 2) {
      const rest = item[1];
      const block = /^\|([-+]?)$/.exec(rest.trim());
      let value;
      if (block) {
        const r = blockScalar(lines, i, indent, block[1]);
        value = r.value;
        i = r.next;
      } else {
        value = inlineScalar(rest);
        i++;
      }
      rule.lists[listKey].push({ value, comments: pendingComments });
      pendingComments = [];
      continue;
    }
    throw new Error(`line ${i + 1}: cannot read ${JSON.stringify(line)}`);
  }
  return rules;
}
