#!/usr/bin/env node
/**
 * Builds bench/scan-eval/data/*.jsonl from the vendored source files under sources/ (see
 * README.md there for where each came from and how labels are derived). Deterministic: the
 * same sources give the same data. Run: node bench/scan-eval/build.mjs
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { goRegexToJs, readGitleaksRules, readSampleTemplates } from "./go-lite.mjs";
import { buildRipsecrets } from "./ripsecrets.mjs";
import { rustRegexToJs } from "./rust-regex.mjs";
import { buildWhispers } from "./whispers.mjs";
import { parseRulesYaml } from "./yaml-lite.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = join(HERE, "sources");
const DATA = join(HERE, "data");

/** Which split each source belongs to: dev is for tuning the rules, holdout only for reporting. */
export const SPLITS = {
  noseyparker: "dev",
  gitleaks: "holdout",
  secretlint: "holdout",
  kingfisher: "holdout",
  "kingfisher-dev": "dev",
  ripsecrets: "holdout",
  whispers: "holdout",
};

// --- Nosey Parker -------------------------------------------------------------------------

/**
 * Nosey Parker rules that find things which are not credentials (resource names, bucket
 * names, account ids, public keys, client ids). Their examples are kept, labelled only with
 * the credentials other rules find in them: a text with none is a negative.
 */
const NP_NOT_CREDENTIALS = new Set([
  "AWS Account ID",
  "AWS S3 Bucket (subdomain style)",
  "AWS S3 Bucket (path style)",
  "Amazon Resource Name",
  "Age Recipient (X25519 public key)",
  "GitHub Client ID",
  "Google Client ID",
  "Google Cloud Storage Bucket (subdomain style)",
  "Google Cloud Storage Bucket (path style)",
  "LinkedIn Client ID",
  "Mapbox Public Access Token",
  "Shopify Domain",
  "Twitter Client ID",
  // Password hashes are near misses here: not a credential one can use as it stands.
  "md5crypt Hash",
  "bcrypt Hash",
]);

/** Files whose rules are generic families (not one provider's token format). */
const NP_GENERIC_FILES = new Set([
  "django",
  "generic",
  "gradle",
  "hashes",
  "http",
  "jwt",
  "mongo",
  "netrc",
  "odbc",
  "pem",
  "postgres",
  "psexec",
  "wireguard",
]);

/** `scheme://user:password@…` or `?…password=value`: a credential, whatever a pattern says. */
const CREDENTIAL_IN_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@|[?&]password=[^&\s]+/i;

/**
 * The capture group a pattern's own comments call the secret: a capture group followed (white
 * space aside) by a `(?# … password …)` comment (or secret, token, key), else null.
 */
function commentedSecretGroup(pattern) {
  let groups = 0;
  const stack = [];
  let lastClosed = null;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inClass) {
      if (c === "\\") i++;
      else if (c === "]") inClass = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (pattern.startsWith("(?#", i)) {
      const end = pattern.indexOf(")", i);
      if (lastClosed && /password|secret|token|\bkey\b/i.test(pattern.slice(i + 3, end)))
        return lastClosed;
      i = end;
      lastClosed = null;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "[") inClass = true;
    else if (c === "(") {
      const capture = pattern[i + 1] !== "?" || /^\(\?P?<[A-Za-z]/.test(pattern.slice(i));
      stack.push(capture ? ++groups : null);
    } else if (c === ")") {
      lastClosed = stack.pop() ?? null;
      continue;
    }
    lastClosed = null;
  }
  return null;
}

function yamlRules(source, notCredentials) {
  const manifest = JSON.parse(readFileSync(join(SOURCES, source, "manifest.json"), "utf8"));
  const rules = [];
  for (const file of readdirSync(join(SOURCES, source)).sort()) {
    if (!file.endsWith(".yml")) continue;
    const stem = file.replace(/\.yml$/, "");
    const origin = manifest.files[file];
    if (!origin) throw new Error(`${source}/${file} has no entry in manifest.json`);
    const text = readFileSync(join(SOURCES, source, file), "utf8");
    for (const parsed of parseRulesYaml(text)) {
      const name = parsed.fields.name;
      let regex = null;
      let regexError = null;
      try {
        regex = rustRegexToJs(parsed.fields.pattern);
      } catch (error) {
        regexError = error.message;
      }
      rules.push({
        file,
        stem,
        origin,
        name,
        id: parsed.fields.id,
        secretGroup: parsed.fields.pattern ? commentedSecretGroup(parsed.fields.pattern) : null,
        regex,
        regexError,
        // Kingfisher marks helper rules (a site name, an account id) `visible: false`.
        credential: !notCredentials.has(name) && parsed.fields.visible !== "false",
        examples: parsed.lists.examples ?? [],
        // One file spells the list `non_examples`.
        negatives: [
          ...(parsed.lists.negative_examples ?? []),
          ...(parsed.lists.non_examples ?? []),
        ],
        negativesFixme: (parsed.listComments.negative_examples ?? []).some((c) => /FIXME/.test(c)),
      });
    }
  }
  return { manifest, rules };
}

/** The secret a match of a rule stands for: its last capture group that took part, else the match. */
function secretOfMatch(match) {
  for (let g = match.length - 1; g >= 1; g--) if (match[g] !== undefined) return match[g];
  return match[0];
}

/**
 * Spans of every capture of a rule in a text: `[start, end]` of the secret part, which
 * `secretOf` picks from a match (Nosey Parker's last group, Kingfisher's TOKEN group).
 */
function spansOfRule(rule, text, secretOf = secretOfMatch) {
  if (!rule.regex) return [];
  const out = [];
  for (const m of text.matchAll(rule.regex)) {
    const secret =
      rule.secretGroup && m[rule.secretGroup] !== undefined ? m[rule.secretGroup] : secretOf(m);
    if (secret.trim() === "") continue;
    // The capture's offset: its last occurrence within the match that ends where it can.
    const at = m.index + m[0].lastIndexOf(secret);
    out.push([at, at + secret.length]);
  }
  return out;
}

/**
 * Kingfisher's secret of a match: its `TOKEN` group when named, its one capture group, or
 * (several groups, as user, password and host of a URL) the whole match.
 */
function kingfisherSecretOfMatch(match) {
  if (match.groups?.TOKEN !== undefined) return match.groups.TOKEN;
  if (match.length === 2 && match[1] !== undefined) return match[1];
  return match[0];
}

/**
 * A span without the quotes, separators and white space a pattern took in at its ends, nor a
 * bracket at an end whose partner is not inside.
 */
function trimSpan(text, [start, end]) {
  const PAIRS = { "{": "}", "}": "{", "(": ")", ")": "(" };
  const loose = (a, b, i) => {
    const c = text[i];
    if (/[\s"'`,;]/.test(c)) return true;
    return c in PAIRS && !text.slice(a, b).includes(PAIRS[c]);
  };
  let a = start;
  let b = end;
  for (let moved = true; moved && a < b; ) {
    moved = false;
    if (a < b && loose(a, b, a)) {
      a++;
      moved = true;
    }
    if (b > a && loose(a, b, b - 1)) {
      b--;
      moved = true;
    }
  }
  return [a, b];
}

/**
 * Distinct secret substrings of the outermost spans (a span inside another is dropped), each
 * trimmed of the quotes, brackets, separators and white space a pattern took in at its ends.
 */
function secretsOfSpans(text, untrimmed) {
  const spans = untrimmed.map((s) => trimSpan(text, s)).filter(([a, b]) => b > a);
  const outer = spans.filter(
    (s, i) =>
      !spans.some(
        (t, j) => j !== i && t[0] <= s[0] && s[1] <= t[1] && (t[1] - t[0] > s[1] - s[0] || j < i),
      ),
  );
  return [...new Set(outer.sort((a, b) => a[0] - b[0]).map(([a, b]) => text.slice(a, b)))];
}

/**
 * A value that only names where the secret comes from (`$PASSWORD`, `%PASS%`, `${X}`,
 * `#{x['y']}`, `$(cmd)`, `<%= … %>`, `{{ … }}`): the sources' patterns sometimes capture one,
 * but it is a near miss, not a leaked secret.
 */
export function isReference(secret) {
  return /^["']?(?:\$\{?[A-Za-z_][\w.]*\}?|%[A-Za-z_]\w*%|#\{[^}]*\}|\$\([^)]*\)|<%=?[^%]*%>|\{\{[^}]*\}\}|\$\{\{[^}]*\}\})["']?$/.test(
    secret,
  );
}

function buildNoseyParker() {
  return buildYamlRules({
    source: "noseyparker",
    notCredentials: NP_NOT_CREDENTIALS,
    genericFiles: NP_GENERIC_FILES,
  });
}

// --- Kingfisher ---------------------------------------------------------------------------

/**
 * Kingfisher rules whose finding is not a credential one could use as it stands: values public
 * by design (browser-side and SDK keys, publishable and public keys, a DSN, a subscribe key),
 * identifiers (client and app ids, a user name, a device token), LocalStack's fixed dummy keys,
 * password hashes and ciphertext meant to be committed (Ansible Vault, Travis CI encrypted
 * variables). Their examples are kept, labelled only with the credentials other rules find.
 */
const KF_NOT_CREDENTIALS = new Set([
  // Public by design.
  "Braintree Tokenization Key",
  "Branch.io Live Key",
  "Branch.io Test Key",
  "Crossmint Client API Key",
  "Datadog RUM Client Token",
  "Flagsmith Environment Key",
  "Flutterwave Public Key",
  "Mapbox Public Access Token",
  "New Relic Browser API Token",
  "PostHog Project API Key",
  "PubNub Subscription Key",
  "Sentry DSN",
  "Stripe Publishable Key",
  "Supabase Publishable Key",
  // Identifiers, not secrets.
  "Asana Client ID",
  "Bitbucket Client ID",
  "eBay Production Client ID",
  "eBay Sandbox Client ID",
  "Firebase Cloud Messaging Device Token",
  "LinkedIn Client ID",
  "MessageBird Client ID",
  "Ramp Client ID",
  "React App Username",
  "Salesforce Consumer Key",
  "Salesforce Connected App Consumer Key (Prefixed)",
  // Fixed dummy keys of a local emulator.
  "LocalStack Simulated AWS Access Key",
  // Hashes and ciphertext: near misses, not usable as they stand.
  "Ansible Vault Encrypted Secret",
  "Password Hash (Cisco IOS PBKDF2 with SHA256)",
  "Password Hash (Kerberos 5, etype 23, AS-REP)",
  "Password Hash (bcrypt)",
  "Password Hash (md5crypt)",
  "Password Hash (sha256crypt)",
  "Password Hash (sha512crypt)",
  "Travis CI Encrypted Variable",
]);

/**
 * Kingfisher files whose rules are generic families (passwords and keys in code, config and
 * commands, connection strings and URLs, HTTP headers, private keys, JWTs, hashes) rather than
 * one provider's token format.
 */
const KF_GENERIC_FILES = new Set([
  "ansible",
  "auth",
  "bip39",
  "cisco",
  "credentials",
  "curl",
  "dbconn",
  "dotnet-connstring",
  "generic",
  "gpp",
  "gradle",
  "hashes",
  "html",
  "jdbc",
  "jwt",
  "maven",
  "netrc",
  "odbc",
  "postgres",
  "privkey",
  "psexec",
  "rails",
  "rdp",
  "react",
  "redis",
  "sqlddl",
  "unattend",
  "viewstate",
  "wincmd",
  "wireguard",
]);

function buildKingfisher() {
  // Kingfisher grew from Nosey Parker's rules: leave out any text Nosey Parker (dev) has.
  const devTexts = new Set(buildNoseyParker().records.map((r) => r.text));
  return buildYamlRules({
    source: "kingfisher",
    notCredentials: KF_NOT_CREDENTIALS,
    genericFiles: KF_GENERIC_FILES,
    exclude: devTexts,
    secretOf: kingfisherSecretOfMatch,
  });
}

/**
 * The rest of Kingfisher's rule files (dev): labelled as the holdout files are, leaving out
 * any text that Nosey Parker (dev) or the Kingfisher holdout already has, so that no text is
 * in two sources.
 */
function buildKingfisherDev() {
  const taken = new Set(
    [...buildNoseyParker().records, ...buildKingfisher().records].map((r) => r.text),
  );
  return buildYamlRules({
    source: "kingfisher-dev",
    notCredentials: KF_NOT_CREDENTIALS,
    genericFiles: KF_GENERIC_FILES,
    exclude: taken,
    secretOf: kingfisherSecretOfMatch,
  });
}

/**
 * Nosey Parker's and Kingfisher's rule files (same schema): the labelling rules in the
 * README. `exclude` holds texts another source already has (Kingfisher grew from Nosey
 * Parker's rules: a shared example would put one text in both splits).
 */
function buildYamlRules({
  source,
  notCredentials,
  genericFiles,
  exclude = new Set(),
  secretOf = secretOfMatch,
}) {
  const { manifest, rules } = yamlRules(source, notCredentials);
  const spansOf = (rule, text) => spansOfRule(rule, text, secretOf);
  // A rule's name in ids: its slug, or (two rules of one file share a slug) slug and rule id.
  const ruleSlug = (rule) => {
    const same = rules.filter((r) => r.file === rule.file && slug(r.name) === slug(rule.name));
    return same.length > 1
      ? `${slug(rule.name)}-${slug(rule.id ?? String(same.indexOf(rule)))}`
      : slug(rule.name);
  };
  const isGeneric = (rule) => genericFiles.has(rule.stem);
  const providerRules = rules.filter((r) => r.credential && r.regex && !isGeneric(r));
  const genericRules = rules.filter((r) => r.credential && r.regex && isGeneric(r));
  const positiveTexts = new Set(
    rules.filter((r) => r.credential).flatMap((r) => r.examples.map((e) => e.value)),
  );
  const negativeTexts = new Set(rules.flatMap((r) => r.negatives.map((e) => e.value)));
  const records = [];
  const dropped = [];
  const seen = new Set();
  for (const rule of rules) {
    const items = [
      ...rule.examples.map((e, n) => ({ ...e, kind: "example", n })),
      ...rule.negatives.map((e, n) => ({ ...e, kind: "negative_example", n })),
    ];
    for (const item of items) {
      const where = `${rule.file} / ${rule.name} / ${item.kind} ${item.n + 1}`;
      const text = item.value;
      const positive = item.kind === "example" && rule.credential;
      if (
        item.kind === "negative_example" &&
        (rule.negativesFixme || item.comments.some((c) => /FIXME/.test(c)))
      ) {
        dropped.push({
          where,
          why: "negative example the file marks FIXME (a secret the rule misses)",
        });
        continue;
      }
      if (item.kind === "example" && item.comments.some((c) => /FIXME/.test(c))) {
        dropped.push({ where, why: "example the file marks FIXME (it should not match)" });
        continue;
      }
      if (positiveTexts.has(text) && negativeTexts.has(text)) {
        dropped.push({
          where,
          why: "conflicting labels: the same text is an example of one rule and a negative example of another",
        });
        continue;
      }
      let spans;
      if (positive) {
        if (!rule.regex) {
          dropped.push({ where, why: `pattern not convertible: ${rule.regexError}` });
          continue;
        }
        const own = spansOf(rule, text);
        if (own.length === 0) {
          dropped.push({
            where,
            why: "the rule's own pattern (converted) does not match its example",
          });
          continue;
        }
        spans = [
          ...own,
          ...providerRules.filter((r) => r !== rule).flatMap((r) => spansOf(r, text)),
        ];
      } else {
        if (CREDENTIAL_IN_URL.test(text)) {
          dropped.push({
            where,
            why: "a negative example that holds a user and password in a URL (a form the pattern cannot parse, not a near miss)",
          });
          continue;
        }
        const generic = genericRules.filter((r) => r !== rule && spansOf(r, text).length > 0);
        if (generic.length > 0) {
          dropped.push({
            where,
            why: `conflicting labels: a negative here, but the generic rule "${generic[0].name}" matches it`,
          });
          continue;
        }
        spans = providerRules.filter((r) => r !== rule).flatMap((r) => spansOf(r, text));
      }
      const secrets = secretsOfSpans(text, spans);
      const real = secrets.filter((secret) => !isReference(secret));
      if (real.length < secrets.length && real.length === 0) {
        dropped.push({
          where,
          why: "its only labelled secret is a variable or template reference",
        });
        continue;
      }
      if (seen.has(text)) {
        dropped.push({ where, why: "duplicate text" });
        continue;
      }
      if (exclude.has(text)) {
        dropped.push({ where, why: "the same text is in another source" });
        continue;
      }
      seen.add(text);
      records.push({
        id: `${source}/${rule.stem}/${ruleSlug(rule)}/${item.kind === "example" ? "ex" : "neg"}${item.n + 1}`,
        source,
        split: SPLITS[source],
        license: manifest.license,
        repo: manifest.repo,
        path: rule.origin.path ?? `${manifest.dir}/${rule.file}`,
        commit: rule.origin.commit,
        rule: rule.name,
        family: isGeneric(rule) ? "generic" : "provider",
        source_label: item.kind,
        path_hint: "sample.txt",
        text,
        secrets: real,
      });
    }
  }
  return { records, dropped };
}

// --- gitleaks -----------------------------------------------------------------------------

/** gitleaks rule files whose rules are generic families. */
const GL_GENERIC_FILES = new Set(["generic.go", "curl.go", "kubernetes.go"]);

/** Expands gitleaks' utils.GenerateSampleSecrets templates ({i}, {I}, {s}) as it does. */
function expandSample(template, identifier, secret) {
  return template
    .replaceAll("{i}", identifier)
    .replaceAll("{I}", identifier.toUpperCase())
    .replaceAll("{s}", secret);
}

function buildGitleaks() {
  const dir = join(SOURCES, "gitleaks");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const templates = readSampleTemplates(readFileSync(join(dir, "generate.go"), "utf8"));
  const records = [];
  const dropped = [];
  const seen = new Set();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".go") || file === "generate.go") continue;
    const origin = manifest.files[file];
    if (!origin) throw new Error(`gitleaks/${file} has no entry in manifest.json`);
    for (const rule of readGitleaksRules(readFileSync(join(dir, file), "utf8"))) {
      let regex = null;
      let regexError = rule.regex.error ?? null;
      if (!regexError) {
        try {
          regex = goRegexToJs(rule.regex.source);
        } catch (error) {
          regexError = error.message;
        }
      }
      const counters = { tps: 0, fps: 0 };
      const push = (kind, text, secrets, extra) => {
        counters[kind]++;
        const where = `${file} / ${rule.ruleId} / ${kind} ${counters[kind]}`;
        if (seen.has(text)) {
          dropped.push({ where, why: "duplicate text" });
          return;
        }
        seen.add(text);
        records.push({
          id: `gitleaks/${rule.ruleId}/${kind}${counters[kind]}`,
          source: "gitleaks",
          split: SPLITS.gitleaks,
          license: manifest.license,
          repo: manifest.repo,
          path: origin.path,
          commit: origin.commit,
          rule: rule.ruleId,
          family: GL_GENERIC_FILES.has(file) ? "generic" : "provider",
          source_label: kind === "tps" ? "true positive" : "false positive",
          path_hint: extra.pathHint ?? "sample.txt",
          text,
          secrets,
          ...(extra.template ? { template: extra.template } : {}),
        });
      };
      for (const statement of rule.tests) {
        for (const element of statement.elements) {
          const kind = statement.kind;
          if (element.notLiteral !== undefined) {
            counters[kind]++;
            dropped.push({
              where: `${file} / ${rule.ruleId} / ${kind} ${counters[kind]}`,
              why: "built at run time (a random secret), not a literal",
            });
            continue;
          }
          if (element.sample) {
            const [identifier, secret] = element.sample;
            const cases = element.many
              ? templates.map((t) => ({
                  name: t.name,
                  text: expandSample(t.template, identifier, secret),
                }))
              : [{ name: "GenerateSampleSecret", text: `${identifier}_api_token = "${secret}"` }];
            for (const c of cases)
              push(kind, c.text, kind === "tps" ? [secret] : [], { template: c.name });
            continue;
          }
          const text = element.literal;
          if (kind === "fps") {
            push(kind, text, [], { pathHint: element.pathHint });
            continue;
          }
          if (!regex) {
            counters[kind]++;
            dropped.push({
              where: `${file} / ${rule.ruleId} / ${kind} ${counters[kind]}`,
              why: `no label: the rule's regex is not usable here (${regexError})`,
            });
            continue;
          }
          regex.lastIndex = 0;
          const spans = [];
          for (const m of text.matchAll(regex)) {
            const secret = secretOfMatch(m);
            const at = m.index + m[0].lastIndexOf(secret);
            spans.push([at, at + secret.length]);
          }
          const secrets = secretsOfSpans(text, spans).filter((x) => !isReference(x));
          if (secrets.length === 0) {
            counters[kind]++;
            dropped.push({
              where: `${file} / ${rule.ruleId} / ${kind} ${counters[kind]}`,
              why: "no label: the rule's regex (converted) does not match its own true positive",
            });
            continue;
          }
          push(kind, text, secrets, { pathHint: element.pathHint });
        }
      }
    }
  }
  return { records, dropped };
}

// --- secretlint ---------------------------------------------------------------------------

/** secretlint rules whose fixtures are generic families. */
const SL_GENERIC_RULES = new Set(["basicauth", "database-connection-string", "privatekey"]);

/**
 * Where a secretlint message's secret is: the value it reports (the longest string in its
 * `data`) at its occurrence nearest the message's `range`, else the `range` itself (some
 * older snapshots' ranges are off by a few characters, their `data` is not).
 */
function spanOfMessage(text, message) {
  const values = Object.values(message.data ?? {})
    .filter((v) => typeof v === "string" && v.length >= 8 && text.includes(v))
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return message.range;
  const value = values[0];
  let best = -1;
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1))
    if (best < 0 || Math.abs(i - message.range[0]) < Math.abs(best - message.range[0])) best = i;
  return [best, best + value.length];
}

/**
 * secretlint's rule snapshots: each `output.json` holds the fixture's text (`sourceContent`)
 * and the messages its rule reported, with `range` offsets into that text. A fixture with
 * messages is a positive labelled with the ranges; one without is a negative.
 */
function buildSecretlint() {
  const dir = join(SOURCES, "secretlint");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const records = [];
  const dropped = [];
  for (const [path, origin] of Object.entries(manifest.files)) {
    const snapshot = JSON.parse(readFileSync(join(dir, path), "utf8"));
    const caseDir = path.split("/").at(-2);
    const rule =
      /secretlint-rule-([\w-]+)\/(?:test\/snapshots\/)?(?:[^/]+\/)?[^/]+\/output\.json$/.exec(
        path.replace("secretlint-rule-preset-canary/test/snapshots/", ""),
      )[1];
    if (typeof snapshot.sourceContent !== "string") {
      dropped.push({ where: path, why: "the snapshot does not hold the fixture's text" });
      continue;
    }
    const text = snapshot.sourceContent;
    const spans = snapshot.messages.map((m) => spanOfMessage(text, m));
    const secrets = secretsOfSpans(text, spans).filter((x) => !isReference(x));
    records.push({
      id: `secretlint/${rule}/${slug(caseDir)}`,
      source: "secretlint",
      split: SPLITS.secretlint,
      license: manifest.license,
      repo: manifest.repo,
      path,
      commit: origin.commit,
      rule,
      family: SL_GENERIC_RULES.has(rule) ? "generic" : "provider",
      source_label: snapshot.messages.length > 0 ? "reported" : "not reported",
      path_hint: snapshot.filePath.split("/").at(-1),
      text,
      secrets,
    });
  }
  return { records, dropped };
}

function slug(s) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const BUILDERS = {
  noseyparker: buildNoseyParker,
  gitleaks: buildGitleaks,
  secretlint: buildSecretlint,
  kingfisher: buildKingfisher,
  "kingfisher-dev": buildKingfisherDev,
  ripsecrets: () => buildRipsecrets(join(SOURCES, "ripsecrets"), SPLITS.ripsecrets),
  whispers: () => buildWhispers(join(SOURCES, "whispers"), SPLITS.whispers),
};

const jsonl = (records) => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

/**
 * Writes every source's data file (or, with `--check`, only compares them with what the
 * sources give now and exits 1 on a difference).
 */
function main(check) {
  const summary = {};
  let stale = [];
  for (const [name, build] of Object.entries(BUILDERS)) {
    const { records, dropped } = build();
    const dataPath = join(DATA, `${name}.jsonl`);
    const droppedPath = join(DATA, `${name}.dropped.json`);
    const droppedText = `${JSON.stringify(dropped, null, 2)}\n`;
    if (check) {
      const read = (path) => (existsSync(path) ? readFileSync(path, "utf8") : "");
      if (read(dataPath) !== jsonl(records)) stale.push(`${name}.jsonl`);
      if (read(droppedPath) !== droppedText) stale.push(`${name}.dropped.json`);
    } else {
      writeFileSync(dataPath, jsonl(records));
      writeFileSync(droppedPath, droppedText);
    }
    const positives = records.filter((r) => r.secrets.length > 0).length;
    summary[name] = {
      split: SPLITS[name],
      examples: records.length,
      positives,
      negatives: records.length - positives,
      secrets: records.reduce((n, r) => n + r.secrets.length, 0),
      dropped: dropped.length,
    };
  }
  const extra = readdirSync(DATA).filter(
    (f) => !Object.keys(BUILDERS).some((n) => f === `${n}.jsonl` || f === `${n}.dropped.json`),
  );
  stale = [...stale, ...extra.map((f) => `${f} (no builder)`)];
  if (check && stale.length > 0) {
    console.error(`stale data files (run node bench/scan-eval/build.mjs): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(JSON.stringify(summary, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.includes("--check"));
