/**
 * Turns a Rust/Hyperscan-style pattern as written in Nosey Parker's rule files into a
 * JavaScript RegExp: leading inline flags `(?x)`, `(?i)`, `(?s)`, `(?m)` become flags, `(?#…)`
 * comments go, and in extended mode (`x`) unescaped whitespace and `#` comments go too (as
 * in Rust, also inside character classes). Anything else it does not know is an error.
 */
export function rustRegexToJs(pattern) {
  let rest = pattern.replace(/\(\?#[^)]*\)/g, "");
  const flags = new Set();
  for (;;) {
    const m = /^\s*\(\?([imsx]+)\)/.exec(rest);
    if (!m) break;
    for (const f of m[1]) flags.add(f);
    rest = rest.slice(m[0].length);
  }
  let source = flags.has("x") ? stripExtended(rest) : rest;
  source = caseFoldGroups(source);
  if (/\(\?[imsx-]+[:)]/.test(source)) throw new Error("inline flag groups are not supported");
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/\\z/g, "$")
    .replace(/\\A/g, "^")
    .replace(/\[:alnum:\]/g, "a-zA-Z0-9")
    .replace(/\[:alpha:\]/g, "a-zA-Z")
    .replace(/\[:blank:\]/g, " \\t")
    .replace(/\[:space:\]/g, "\\s")
    .replace(/\[:digit:\]/g, "0-9")
    .replace(/\[:xdigit:\]/g, "0-9a-fA-F")
    .replace(/\[:upper:\]/g, "A-Z")
    .replace(/\[:lower:\]/g, "a-z");
  let jsFlags = "g";
  if (flags.has("i")) jsFlags += "i";
  if (flags.has("s")) jsFlags += "s";
  if (flags.has("m")) jsFlags += "m";
  return new RegExp(source, jsFlags);
}

/**
 * `(?i:abc)` becomes `(?:[aA][bB][cC])`: JavaScript (before ES2025) has no inline flag groups.
 * Inside the group a character class gains the other case of each letter and letter range
 * (`[a-z0-9]` becomes `[a-zA-Z0-9]`), POSIX classes (`[:alnum:]`) and group openers
 * (`(?:`, `(?P<name>`, `(?<name>`) are kept as written.
 */
function caseFoldGroups(source) {
  let out = "";
  let i = 0;
  while (i < source.length) {
    if (!source.startsWith("(?i:", i)) {
      out += source[i++];
      continue;
    }
    out += "(?:";
    i += 4;
    let depth = 0;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === "\\") {
        out += c + source[++i];
        continue;
      }
      if (c === "[") {
        const end = classEnd(source, i);
        out += foldClass(source.slice(i, end));
        i = end - 1;
        continue;
      }
      if (c === "(") {
        depth++;
        const opener = /^\((?:\?P?<[A-Za-z_]\w*>|\?[:=!])?/.exec(source.slice(i))[0];
        out += opener;
        i += opener.length - 1;
        continue;
      }
      if (c === ")") {
        if (depth === 0) break;
        depth--;
      }
      out += /[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}

/** The index just past the character class that starts at `start` (a `[`). */
function classEnd(source, start) {
  let i = start + 1;
  if (source[i] === "^") i++;
  if (source[i] === "]") i++;
  for (; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source.startsWith("[:", i)) i = source.indexOf(":]", i) + 1;
    else if (source[i] === "]") return i + 1;
  }
  throw new Error("unterminated character class");
}

/** A class with the other case of each letter and letter range added. */
function foldClass(cls) {
  const negated = cls.startsWith("[^");
  const body = cls.slice(negated ? 2 : 1, -1);
  let extra = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      i++;
      continue;
    }
    if (body.startsWith("[:", i)) {
      i = body.indexOf(":]", i) + 1;
      continue;
    }
    const range = /^([A-Za-z])-([A-Za-z])/.exec(body.slice(i));
    if (range) {
      extra += `${swapCase(range[1])}-${swapCase(range[2])}`;
      i += 2;
    } else if (/[A-Za-z]/.test(body[i])) extra += swapCase(body[i]);
  }
  // A trailing `-` is a literal: keep it last.
  const folded = body.endsWith("-") ? `${body.slice(0, -1)}${extra}-` : body + extra;
  return `[${negated ? "^" : ""}${folded}]`;
}

function swapCase(c) {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}

function stripExtended(text) {
  let out = "";
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next === " ") out += " ";
      else if (next === "#") out += "#";
      else out += c + next;
      i++;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (inClass) {
      if (c === "]" && !(out.endsWith("[") || out.endsWith("[^"))) inClass = false;
      out += c;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "[") inClass = true;
    out += c;
  }
  return out;
}
