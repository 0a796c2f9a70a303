#!/usr/bin/env node
// Wrote the frozen `agent-vault/1` vector in this folder, once, with the code of the day
// (dist/, after `npm run build`). Kept for the record of how it was made; running it again
// writes a NEW vector (new salts, nonces and keys) into the folder given, never over this one:
//
//   node test/vectors/format/generate.mjs /tmp/new-vector
//
// The vector: home/agents/vector/{vault.json,audit.jsonl,audit.head} (the file store layout),
// vector.key (the key file slot's key), and expected.json (the passphrase, every value, the
// history and the audit actions). test/format-vector.test.ts opens it with today's code.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createVault, keyFileKey, openVault, passphraseKey } from "../../../dist/index.js";

const out = resolve(process.argv[2] ?? "");
if (!process.argv[2] || existsSync(join(out, "expected.json"))) {
  process.stderr.write("usage: generate.mjs NEW_EMPTY_FOLDER (never over the committed vector)\n");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const home = join(out, "home");
const agent = "vector";
const passphrase = "correct horse battery staple, frozen";
const keyPath = join(out, "vector.key");

let tick = Date.parse("2025-01-01T00:00:00.000Z");
const now = () => new Date((tick += 1000));

const values = {
  API_TOKEN: "tok_live_0123456789abcdef",
  DATABASE_URL: "postgres://app:p%40ss@db.internal:5432/app?sslmode=require",
  MULTI_LINE: "-----BEGIN KEY-----\nline one\nline two\n-----END KEY-----\n",
  UNICODE: "ключ-密钥-🔑-ｆｕｌｌｗｉｄｔｈ",
  QUOTES_AND_SPACES: `  it's "quoted" $HOME \`tick\` \\ back  `,
  EMPTY_LOOKING: " ",
};

const { vault } = await createVault({
  home,
  agent,
  keySource: passphraseKey(passphrase, "interactive"),
  label: "frozen-passphrase",
  now,
  actor: "vector-generator",
});
await vault.set("API_TOKEN", "tok_old_value_replaced");
for (const [name, value] of Object.entries(values)) await vault.set(name, value);
await vault.addKey(keyFileKey(keyPath), "frozen-keyfile");
await vault.set("REMOVED_LATER", "gone");
await vault.remove("REMOVED_LATER");
vault.close();

const reopened = await openVault({ home, agent, keySource: keyFileKey(keyPath), now });
const versions = await reopened.history("API_TOKEN");
const audit = await reopened.verifyAudit();
const records = (await reopened.auditRecords()).map(({ seq, op, secret, result }) => ({
  seq,
  op,
  ...(secret ? { secret } : {}),
  result,
}));
reopened.close();

writeFileSync(
  join(out, "expected.json"),
  `${JSON.stringify(
    {
      format: "agent-vault/1",
      agent,
      passphrase,
      keyFile: "vector.key",
      values,
      versions: { API_TOKEN: versions },
      previousValues: { API_TOKEN: { 1: "tok_old_value_replaced" } },
      removed: ["REMOVED_LATER"],
      audit: { verified: audit, records },
      vaultSha256: sha256(readFileSync(join(home, "agents", agent, "vault.json"))),
    },
    null,
    2,
  )}\n`,
);

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}
