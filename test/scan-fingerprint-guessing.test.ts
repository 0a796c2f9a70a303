/**
 * An attacker who copies `scan.key` and `fingerprints.json` can test guesses of each stored
 * window offline. Structured values (JSON with a PIN, a DSN with a weak password, a card
 * number, a URL with a short password) must not be recoverable by a realistic guessing attack:
 * the writer stores no window whose guessing cost is under 2^64 (guess-cost.ts).
 *
 * Each attack is first run against a set that keeps every window (built here the way the
 * format hashes, with libsodium's SipHash): it recovers the value there, so the attack is real.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sodium from "libsodium-wrappers-sumo";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFingerprints, writeFingerprints } from "../src/scan/fingerprints.js";
import { tempDir } from "./helpers/cli.js";

let dir: { path: string; cleanup: () => void };
beforeAll(async () => {
  await sodium.ready;
});
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

/** The windows the format fingerprints: 16 bytes at 0, 16, … and one ending at the end. */
function windowsOf(value: string): Buffer[] {
  const bytes = Buffer.from(value);
  if (bytes.length < 16) return [bytes];
  const out: Buffer[] = [];
  for (let at = 0; ; at += 16) {
    const start = Math.min(at, bytes.length - 16);
    out.push(bytes.subarray(start, start + 16));
    if (start + 16 === bytes.length) return out;
  }
}

/** What the attacker has: the SipHash key from scan.key and the stored prints. */
function stolen(agentDir: string) {
  const key = createHmac("sha256", readFileSync(join(agentDir, "scan.key")))
    .update("agent-vault/scan-fingerprint/3")
    .digest()
    .subarray(0, 16);
  const file = JSON.parse(readFileSync(join(agentDir, "fingerprints.json"), "utf8"));
  const prints = new Set<string>(Object.values(file.secrets as Record<string, string[]>).flat());
  const print = (bytes: Uint8Array) =>
    Buffer.from(sodium.crypto_shorthash(bytes, key)).toString("hex");
  return { key, prints, print };
}

/**
 * The guesses among `candidates` that a stored window confirms, for each set of prints: each
 * candidate value's windows are hashed (once, whatever the number of sets) and looked up, as
 * an attacker would.
 */
function confirmed(
  print: (bytes: Uint8Array) => string,
  candidates: Iterable<string>,
  sets: ReadonlyArray<ReadonlySet<string>>,
): { hits: string[][]; tried: number } {
  const hits = sets.map(() => [] as string[]);
  const known = new Map<string, string>();
  let tried = 0;
  for (const candidate of candidates) {
    tried++;
    const prints = windowsOf(candidate).map((w) => {
      const id = w.toString("latin1");
      let p = known.get(id);
      if (p === undefined) {
        p = print(w);
        if (known.size < 100_000) known.set(id, p);
      }
      return p;
    });
    sets.forEach((set, i) => {
      if (prints.some((p) => set.has(p))) hits[i]?.push(candidate);
    });
  }
  return { hits, tried };
}

const NAMES = ["admin", "alice", "bob", "carol", "dave", "eve", "mallory", "root", "svc", "app"];

function* pinCandidates(): Generator<string> {
  for (const user of NAMES) {
    for (let pin = 0; pin < 1_000_000; pin += user === "alice" ? 1 : 100_000) {
      yield `{"user":"${user}","pin":"${String(pin).padStart(6, "0")}"}`;
    }
  }
}

function* passwordCandidates(template: (password: string) => string): Generator<string> {
  const words = ["Summer", "Winter", "Spring", "Autumn", "Password", "Welcome", "hunter", "dragon"];
  const suffixes = ["", "!", "1", "12", "22", "123", "!!", "#"];
  for (const word of words) {
    for (const lower of [word, word.toLowerCase()]) {
      for (let year = 2000; year <= 2030; year++) {
        for (const suffix of suffixes) yield template(`${lower}${year}${suffix}`);
      }
      for (const suffix of suffixes) yield template(`${lower}${suffix}`);
    }
  }
}

/** A card number's Luhn check. */
function isLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Known issuer prefix (6 digits) and last four (printed on receipts): 10^5 Luhn-valid guesses. */
function* cardCandidates(bin: string, last4: string): Generator<string> {
  for (let middle = 0; middle < 1_000_000; middle++) {
    const number = `${bin}${String(middle).padStart(6, "0")}${last4}`;
    if (isLuhn(number)) yield number;
  }
}

const CASES = [
  {
    name: "a JSON object with a PIN",
    value: '{"user":"alice","pin":"482913"}',
    candidates: () => pinCandidates(),
  },
  {
    name: "a database URL with a weak password",
    value: "postgres://app:Summer2024!@db.internal:5432/prod",
    candidates: () =>
      passwordCandidates((password) => `postgres://app:${password}@db.internal:5432/prod`),
  },
  {
    name: "a 16-digit card number",
    value: "4556737586899855",
    candidates: () => cardCandidates("455673", "9855"),
  },
  {
    name: "a short password inside a URL",
    value: "https://deploy:hunter22@git.example.com/org/repo.git",
    candidates: () =>
      passwordCandidates((password) => `https://deploy:${password}@git.example.com/org/repo.git`),
  },
];

describe("a stolen scan.key and fingerprints.json", () => {
  for (const { name, value, candidates } of CASES) {
    it(`do not give away ${name} to a guessing attack`, async () => {
      expect(isLuhn(CASES[2]?.value as string)).toBe(true);
      const summary = await writeFingerprints(dir.path, [{ name: "SECRET", value }]);
      expect(summary.tooGuessable).toEqual(["SECRET"]);
      const attacker = stolen(dir.path);
      // The control: a set that kept every window of the value, under the same key.
      const everyWindow = new Set(windowsOf(value).map((w) => attacker.print(w)));
      const { hits, tried } = confirmed(attacker.print, candidates(), [
        everyWindow,
        attacker.prints,
      ]);
      expect(tried).toBeGreaterThan(1000);
      // The attack recovers the value from the control set…
      expect(hits[0]).toContain(value);
      // …and confirms no guess against the set the vault writes.
      expect(hits[1]).toEqual([]);
    }, 120_000);
  }

  it("find a value whose middle window was too guessable to store as one span", async () => {
    const random = () =>
      Buffer.from(sodium.randombytes_buf(12)).toString("base64url").replace(/[-_]/g, "z");
    const value = `${random()}passwordpassword${random()}`;
    await writeFingerprints(dir.path, [{ name: "API_TOKEN", value }]);
    const attacker = stolen(dir.path);
    expect(attacker.prints.has(attacker.print(Buffer.from("passwordpassword")))).toBe(false);
    const matcher = await readFingerprints(dir.path);
    const line = `key: ${value}\n`;
    expect(matcher?.match(line).map((m) => [m.start, m.end])).toEqual([[5, 5 + value.length]]);
    // Two copies split by a character no value holds stay two findings.
    const twice = `${value} ${value}`;
    expect(matcher?.match(twice).map((m) => [m.start, m.end])).toEqual([
      [0, value.length],
      [value.length + 1, twice.length],
    ]);
  });

  it("still hold the windows of a random token, which the scanner finds", async () => {
    const token = `ghp_${Buffer.from(sodium.randombytes_buf(27)).toString("base64url").replace(/[-_]/g, "x")}`;
    const summary = await writeFingerprints(dir.path, [{ name: "GITHUB_TOKEN", value: token }]);
    expect(summary.fingerprinted).toEqual(["GITHUB_TOKEN"]);
    const matcher = await readFingerprints(dir.path);
    expect(matcher?.match(`token: ${token}\n`).map((m) => m.name)).toEqual(["GITHUB_TOKEN"]);
    // A DSN with a random password keeps the windows over the password, not the others.
    const password = Buffer.from(sodium.randombytes_buf(18))
      .toString("base64url")
      .replace(/[-_]/g, "q");
    const dsn = `postgres://app:${password}@db.internal:5432/prod`;
    await writeFingerprints(dir.path, [{ name: "DATABASE_URL", value: dsn }]);
    const attacker = stolen(dir.path);
    const kept = windowsOf(dsn).filter((w) => attacker.prints.has(attacker.print(w)));
    expect(kept.length).toBeGreaterThan(0);
    for (const w of kept) expect(password.split("").some((c) => w.includes(c))).toBe(true);
    expect(attacker.prints.has(attacker.print(Buffer.from("ternal:5432/prod")))).toBe(false);
    expect((await readFingerprints(dir.path))?.match(dsn).map((m) => m.name)).toEqual([
      "DATABASE_URL",
    ]);
  });
});
