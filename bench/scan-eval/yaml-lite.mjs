/**
 * The small subset of YAML that Nosey Parker's and Kingfisher's rule files use: a top-level
 * `rules:` list of maps. Of each rule it reads the scalar keys (plain, single-quoted,
 * double-quoted or block `|`/`|-` scalars) and the lists `examples`, `negative_examples` and
 * `non_examples`; other nested values (validation, references, …) are skipped. Comments are
 * kept as `comments` on the list item (or list) they precede, so the builder can honour the
 * files' `# FIXME` notes. Not a general YAML parser.
 */

const DOUBLE_ESCAPES = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", "/": "/", 0: "\0" };

const LISTS = new Set(["examples", "negative_examples", "non_examples"]);

function unquoteDouble(body) {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === "x" || e[0] === "u") return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (e in DOUBLE_ESCAPES) return DOUBLE_ESCAPES[e];
    throw new Error(`unsupported escape \\${e}`);
  });
}

/** A scalar written on one line (after `key:` or `- `), with an optional trailing `# comment`. */
function inlineScalar(raw) {
  const s = raw.trim();
  if (s.startsWith("'") || s.startsWith('"')) {
    const quote = s[0];
    let end = 1;
    for (; end < s.length; end++) {
      if (quote === '"' && s[end] === "\\") end++;
      else if (quote === "'" && s[end] === "'" && s[end + 1] === "'") end++;
      else if (s[end] === quote) break;
    }
    const after = s.slice(end + 1);
    if (end >= s.length || !(after === "" || /^\s+#/.test(after)))
      throw new Error(`unterminated ${quote}…${quote}: ${s}`);
    const body = s.slice(1, end);
    return quote === "'" ? body.replace(/''/g, "'") : unquoteDouble(body);
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

/**
 * A scalar after `key:` or `- ` at `lines[i]`: block, quoted, or plain (a plain scalar may go on
 * over more indented lines, folded into one line with single spaces), and the next line to read.
 */
function scalarAt(lines, i, rest, parentIndent) {
  // Folded (`>`) blocks are read like literal ones: the builder uses none of their values.
  const block = /^[|>]([-+]?)$/.exec(rest.trim());
  if (block) return blockScalar(lines, i, parentIndent, block[1]);
  let value = inlineScalar(rest);
  let next = i + 1;
  if (!/^["']/.test(rest.trim())) {
    while (
      next < lines.length &&
      lines[next].trim() !== "" &&
      !lines[next].trim().startsWith("#") &&
      indentOf(lines[next]) > parentIndent
    ) {
      value += ` ${lines[next].trim()}`;
      next++;
    }
  }
  return { value, next };
}

/** Parses a rules file into `[{ fields: {key: value}, lists: {key: [{ value, comments }]}, listComments }]`. */
export function parseRulesYaml(source) {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const rules = [];
  let itemIndent = -1;
  let rule = null;
  let pendingComments = [];
  let i = lines.findIndex((l) => l.trim() === "rules:") + 1;
  if (i === 0) throw new Error("no `rules:` list");
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === "") {
      i++;
      continue;
    }
    if (trimmed.startsWith("#")) {
      pendingComments.push(trimmed);
      i++;
      continue;
    }
    const indent = indentOf(line);
    if (itemIndent < 0) {
      if (!trimmed.startsWith("- ")) throw new Error(`line ${i + 1}: expected a rule`);
      itemIndent = indent;
    }
    let keyText;
    if (indent === itemIndent && trimmed.startsWith("- ")) {
      rule = { fields: {}, lists: {}, listComments: {} };
      rules.push(rule);
      pendingComments = [];
      keyText = trimmed.slice(2);
    } else if (indent === itemIndent + 2 && rule) {
      keyText = trimmed;
    } else {
      throw new Error(`line ${i + 1}: cannot read ${JSON.stringify(line)}`);
    }
    const keyIndent = itemIndent + 2;
    const keyMatch = /^([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(keyText);
    if (!keyMatch) throw new Error(`line ${i + 1}: not a key: ${JSON.stringify(line)}`);
    const [, key, written = ""] = keyMatch;
    // `key: # comment` has no inline value.
    const rest = written.trim().startsWith("#") ? "" : written;
    if (rest.trim() !== "") {
      pendingComments = [];
      if (rest.trim().startsWith("[") || rest.trim().startsWith("{")) {
        rule.fields[key] = rest.trim();
        i++;
        continue;
      }
      const { value, next } = scalarAt(lines, i, rest, keyIndent);
      rule.fields[key] = value;
      i = next;
      continue;
    }
    // A nested value: the lines below more indented than the key, or list items at its indent.
    const listComments = pendingComments;
    pendingComments = [];
    let j = i + 1;
    const items = [];
    let listIndent = -1;
    while (j < lines.length) {
      const l = lines[j];
      const t = l.trim();
      if (t === "") {
        j++;
        continue;
      }
      const ind = indentOf(l);
      const isBelow = (text, at) => at > keyIndent || (at === keyIndent && text.startsWith("- "));
      if (t.startsWith("#")) {
        // A comment belongs to the list when the next content line does.
        let k = j + 1;
        while (k < lines.length && (lines[k].trim() === "" || lines[k].trim().startsWith("#"))) k++;
        if (k >= lines.length || !isBelow(lines[k].trim(), indentOf(lines[k]))) break;
        pendingComments.push(t);
        j++;
        continue;
      }
      if (!isBelow(t, ind)) break;
      if (!LISTS.has(key)) {
        j++;
        continue;
      }
      if (listIndent < 0) listIndent = ind;
      if (ind !== listIndent || !t.startsWith("- "))
        throw new Error(`line ${j + 1}: cannot read list item ${JSON.stringify(l)}`);
      const { value, next } = scalarAt(lines, j, t.slice(2), ind);
      items.push({ value, comments: pendingComments });
      pendingComments = [];
      j = next;
    }
    if (LISTS.has(key)) {
      rule.lists[key] = items;
      rule.listComments[key] = listComments;
    }
    i = j;
  }
  return rules;
}
