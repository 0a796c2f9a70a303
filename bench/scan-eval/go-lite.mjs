/**
 * Reads what bench/scan-eval needs from gitleaks' rule files (Go source): each rule
 * function's regex (when built from string literals by `regexp.MustCompile`, `fmt.Sprintf`,
 * `utils.GenerateSemiGenericRegex` or `utils.GenerateUniqueTokenRegex`) and its `tps`/`fps`
 * test strings (slices or maps of literals, `utils.GenerateSampleSecret(s)` calls with literal
 * arguments). Anything built at run time (random secrets) is reported as not literal. A small
 * tokenizer, not a Go parser.
 */

/** Go tokens: strings (raw and interpreted, with their value), words, punctuation. */
export function tokenize(source) {
  const tokens = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === "`") {
      const end = source.indexOf("`", i + 1);
      tokens.push({ type: "string", value: source.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let raw = "";
      while (source[j] !== '"') {
        if (source[j] === "\\") {
          raw += source.slice(j, j + 2);
          j += 2;
        } else raw += source[j++];
      }
      tokens.push({ type: "string", value: unquoteGo(raw) });
      i = j + 1;
    } else if (/[A-Za-z_0-9]/.test(c)) {
      const m = /^[A-Za-z_0-9.]+/.exec(source.slice(i));
      tokens.push({ type: "word", value: m[0] });
      i += m[0].length;
    } else if (source.startsWith(":=", i) || source.startsWith("...", i)) {
      const p = source.startsWith(":=", i) ? ":=" : "...";
      tokens.push({ type: "punct", value: p });
      i += p.length;
    } else {
      tokens.push({ type: "punct", value: c });
      i++;
    }
  }
  return tokens;
}

const GO_ESCAPES = {
  n: "\n",
  t: "\t",
  r: "\r",
  '"': '"',
  "\\": "\\",
  "'": "'",
  a: "\x07",
  b: "\b",
};

function unquoteGo(raw) {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === "x" || e[0] === "u") return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (e in GO_ESCAPES) return GO_ESCAPES[e];
    throw new Error(`unsupported Go escape \\${e}`);
  });
}

/** Splits tokens[from..] at top-level commas up to the bracket closing at depth 0. */
function elementsUntilClose(tokens, from) {
  const elements = [];
  let current = [];
  let depth = 0;
  let i = from;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "punct" && "([{".includes(t.value)) depth++;
    if (t.type === "punct" && ")]}".includes(t.value)) {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 0 && t.type === "punct" && t.value === ",") {
      if (current.length) elements.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) elements.push(current);
  return { elements, end: i };
}

/** A literal when the tokens are strings joined by `+`, else null. */
function literalOf(tokens) {
  if (tokens.length === 0 || tokens.length % 2 === 0) return null;
  let out = "";
  for (const [k, t] of tokens.entries()) {
    if (k % 2 === 0) {
      if (t.type !== "string") return null;
      out += t.value;
    } else if (!(t.type === "punct" && t.value === "+")) return null;
  }
  return out;
}

/**
 * One test-string element: `{ literal }`, `{ sample: [identifier, secret], many }` for a
 * GenerateSampleSecret(s) call with literal arguments, or `{ notLiteral }`.
 */
function elementOf(tokens) {
  const literal = literalOf(tokens);
  if (literal !== null) return { literal };
  const head = tokens[0];
  if (head?.type === "word" && /(?:^|\.)[Gg]enerateSampleSecrets?$/.test(head.value)) {
    const { elements } = elementsUntilClose(tokens, 2);
    const args = elements.map(literalOf);
    if (args.length === 2 && args.every((a) => a !== null))
      return { sample: args, many: head.value.endsWith("Secrets") };
  }
  return { notLiteral: tokens.map((t) => t.value).join(" ") };
}

/** The rule functions of a gitleaks rules file. */
export function readGitleaksRules(source) {
  const rules = [];
  const fnRe = /^func (\w+)\(\) \*config\.Rule \{$/gm;
  const starts = [...source.matchAll(fnRe)];
  for (const [k, m] of starts.entries()) {
    const body = source.slice(m.index, starts[k + 1]?.index ?? source.length);
    rules.push(readRule(m[1], body));
  }
  return rules;
}

function readRule(name, body) {
  const tokens = tokenize(body);
  const vars = {};
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (
      tokens[i].type === "word" &&
      tokens[i + 1].value === ":=" &&
      tokens[i + 2].type === "string"
    )
      vars[tokens[i].value] = tokens[i + 2].value;
  }
  const ruleId = (() => {
    const i = tokens.findIndex((t) => t.value === "RuleID");
    return i >= 0 ? tokens[i + 2]?.value : name;
  })();
  return { name, ruleId, regex: regexOf(tokens, vars), tests: testsOf(tokens) };
}

/** The rule's regex source in Go syntax, or `{ error }`. */
function regexOf(tokens, vars) {
  const at = tokens.findIndex((t, i) => t.value === "Regex" && tokens[i + 1]?.value === ":");
  if (at < 0) return { error: "no Regex field" };
  const call = tokens[at + 2];
  const args = () => elementsUntilClose(tokens, at + 4).elements;
  if (call?.value === "regexp.MustCompile") {
    const [arg] = args();
    const literal = literalOf(arg);
    if (literal !== null) return { source: literal };
    if (arg[0]?.value === "fmt.Sprintf") {
      const parts = elementsUntilClose(arg, 2).elements;
      const template = literalOf(parts[0]);
      const values = parts.slice(1).map((p) => (p.length === 1 ? vars[p[0].value] : undefined));
      if (template !== null && values.every((v) => v !== undefined)) {
        let n = 0;
        return { source: template.replace(/%s/g, () => values[n++]) };
      }
    }
    return { error: "regex built at run time" };
  }
  if (call?.value === "utils.GenerateSemiGenericRegex") {
    const [ids, secret, ci] = args();
    const identifiers = elementsUntilClose(
      ids,
      ids.findIndex((t) => t.value === "{") + 1,
    ).elements.map(literalOf);
    const secretRegex = literalOf(secret);
    if (identifiers.some((x) => x === null) || secretRegex === null)
      return { error: "identifiers or secret regex not literal" };
    const id = `[\\w.-]{0,50}?(?:${identifiers.join("|")})(?:[ \\t\\w.-]{0,20})[\\s'"]{0,3}`;
    const body = `(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'"\\s=]{0,5}(${secretRegex})(?:[\\x60'"\\s;]|\\\\[nr]|$)`;
    return {
      source: ci[0]?.value === "true" ? `(?i)${id}${body}` : `[\\w.-]{0,50}?(?i:${id})${body}`,
    };
  }
  if (call?.value === "utils.GenerateUniqueTokenRegex") {
    const [secret, ci] = args();
    const secretRegex = literalOf(secret);
    if (secretRegex === null) return { error: "secret regex not literal" };
    return {
      source: `${ci[0]?.value === "true" ? "(?i)" : ""}\\b(${secretRegex})(?:[\\x60'"\\s;]|\\\\[nr]|$)`,
    };
  }
  return { error: `regex built by ${call?.value}` };
}

/** `{ kind: "tps" | "fps", elements: [{ literal | sample | notLiteral, pathHint? }] }` per statement. */
function testsOf(tokens) {
  const out = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const name = tokens[i].value;
    if ((name !== "tps" && name !== "fps") || tokens[i - 1]?.value === ",") continue;
    const op = tokens[i + 1].value;
    if (op !== ":=" && op !== "=") continue;
    const next = tokens[i + 2];
    if (next.value === "[" && tokens[i + 4]?.value === "string" && tokens[i + 5]?.value === "{") {
      const { elements } = elementsUntilClose(tokens, i + 6);
      out.push({ kind: name, elements: elements.map(elementOf) });
    } else if (next.value === "map") {
      const open = tokens.findIndex((t, k) => k > i + 2 && t.value === "{");
      const { elements } = elementsUntilClose(tokens, open + 1);
      out.push({
        kind: name,
        elements: elements.map((e) => {
          const colon = e.findIndex((t) => t.value === ":");
          const key = literalOf(e.slice(0, colon));
          return { ...elementOf(e.slice(colon + 1)), pathHint: key ?? undefined };
        }),
      });
    } else if (next.value === "append") {
      const { elements } = elementsUntilClose(tokens, i + 4);
      out.push({
        kind: name,
        elements: elements
          .slice(1)
          .map((e) => elementOf(e.at(-1)?.value === "..." ? e.slice(0, -1) : e)),
      });
    } else {
      const { elements } = elementsUntilClose(tokens, i + 2);
      // A single expression: stop at the end of the statement (the next `tps`/`fps`/`return`).
      const stop = elements[0]?.findIndex(
        (t, k) => k > 0 && ["tps", "fps", "return"].includes(t.value),
      );
      const expression = stop > 0 ? elements[0].slice(0, stop) : elements[0];
      out.push({ kind: name, elements: [elementOf(expression ?? [])] });
    }
  }
  return out;
}

/** The `samples` templates of gitleaks' utils.GenerateSampleSecrets, by name. */
export function readSampleTemplates(source) {
  const tokens = tokenize(source);
  const at = tokens.findIndex((t, i) => t.value === "samples" && tokens[i + 1]?.value === ":=");
  const open = tokens.findIndex((t, k) => k > at && t.value === "{");
  const { elements } = elementsUntilClose(tokens, open + 1);
  return elements.map((e) => ({ name: e[0].value, template: e[2].value }));
}

/** Go (RE2) regex source to a JavaScript RegExp, or throws. Inline flag groups widen to the whole pattern. */
export function goRegexToJs(source) {
  let flags = "g";
  let s = source;
  if (/\(\?i\)|\(\?i:/.test(s)) flags += "i";
  s = s.replace(/\(\?i\)/g, "").replace(/\(\?-?i:/g, "(?:");
  s = s.replace(/\(\?s:\.\)/g, "[\\s\\S]").replace(/\\z/g, "$");
  if (/\(\?[a-z-]+[:)]/.test(s)) throw new Error("unsupported inline flags");
  return new RegExp(s, flags);
}
