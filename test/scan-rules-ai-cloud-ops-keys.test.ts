/**
 * Behaviour of the AI, cloud, ops and key-material rules beyond their one template each: the
 * variants a rule must find and the near misses it must leave alone.
 */
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { ed25519PublicKey } from "../src/scan/rules/keys.js";
import {
  ALNUM,
  B64,
  B64URL,
  BECH32,
  b64url,
  DIGITS,
  HEX,
  LOWER,
  tokenDrawer,
  UPPER,
} from "./helpers/test-tokens.js";

const { r, mixed: alnum, uuid } = tokenDrawer(20261204);
const jwt = () =>
  `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${b64url(JSON.stringify({ sub: "1234", iat: 1700000000 }))}.${r(B64URL, 43)}`;

/** Rule ids found in `text`, scanned as a Markdown file. */
function rulesIn(text: string): string[] {
  return scanText(`before\n${text}\nafter\n`, { file: "f.md" }).map((f) => f.ruleId);
}
/** The secret texts `ruleId` reports in `text`. */
function secretsOf(ruleId: string, text: string): string[] {
  const full = `before\n${text}\nafter\n`;
  return scanText(full, { file: "f.md" })
    .filter((f) => f.ruleId === ruleId)
    .map((f) => full.slice(f.start, f.end));
}

describe("AI platform rules", () => {
  it("finds Friendli, Stability AI and Cursor keys bare", () => {
    expect(rulesIn(`flp_${alnum(46)}`)).toContain("friendli-api-key");
    expect(rulesIn(`sk-${alnum(48)}`)).toContain("stability-ai-api-key");
    expect(rulesIn(`key_${r(HEX, 64)}`)).toContain("cursor-api-key");
  });

  it("leaves OpenAI's legacy form to openai-api-key, and word-like runs alone", () => {
    const openai = `sk-${alnum(20)}T3BlbkFJ${alnum(20)}`;
    expect(rulesIn(openai)).not.toContain("stability-ai-api-key");
    expect(rulesIn(`sk-${"abcdefghijklmnopqrstuvwx".repeat(2)}`)).not.toContain(
      "stability-ai-api-key",
    );
    // SiliconFlow's `sk-` and 48 small letters: drawn, not words run together.
    expect(rulesIn(`sk-${"thisisaverylongsentencewrittenwithoutanyspaces"}ok`)).not.toContain(
      "siliconflow-api-key",
    );
    // `key_` inside a longer name is not Cursor's prefix; letters only are not a key.
    expect(rulesIn(`cache_key_${r(HEX, 64)}`)).not.toContain("cursor-api-key");
    expect(rulesIn(`key_${r(LOWER, 64)}`)).not.toContain("cursor-api-key");
  });

  it("finds AI21 and fal.ai keys next to their provider's name", () => {
    const ai21 = uuid();
    expect(secretsOf("ai21-api-key", `ai21 = ${ai21}`)).toEqual([ai21]);
    const fal = `${uuid()}:${r(HEX, 32)}`;
    expect(secretsOf("fal-api-key", `fal-api = ${fal}`)).toEqual([fal]);
    expect(secretsOf("fal-api-key", `falai token = ${fal}`)).toEqual([fal]);
  });
});

describe("cloud rules", () => {
  it("finds Bedrock short-term API keys (a presigned request to bedrock.amazonaws.com)", () => {
    const request = `bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${r(UPPER, 20)}&X-Amz-Signature=${r(HEX, 64)}&Version=1`;
    const token = `bedrock-api-key-${Buffer.from(request).toString("base64")}`;
    expect(secretsOf("aws-bedrock-api-key", `AWS_BEARER_TOKEN_BEDROCK=${token}`)).toEqual([token]);
    // Another host's presigned request is not a Bedrock key.
    const other = Buffer.from(request.replace("bedrock", "example")).toString("base64");
    expect(rulesIn(`bedrock-api-key-${other}`)).not.toContain("aws-bedrock-api-key");
  });

  it("finds express mode keys and Databricks OAuth secrets, not word-like runs", () => {
    expect(rulesIn(`AQ.Ab8R${r(B64URL, 40)}aZ3-_Q`)).toContain("gcp-express-mode-api-key");
    const secret = `dose${r(ALNUM, 10)}.${alnum(21)}`;
    expect(secretsOf("databricks-oauth-secret", `DATABRICKS_CLIENT_SECRET="${secret}"`)).toEqual([
      secret,
    ]);
    expect(rulesIn(`dose${r(LOWER, 32)}`)).not.toContain("databricks-oauth-secret");
  });

  it("finds Cloudflare service keys of three hex parts", () => {
    const key = `v1.0-${r(HEX, 64)}-${r(HEX, 128)}-${r(HEX, 64)}`;
    expect(secretsOf("cloudflare-origin-ca-key", `X-Auth-User-Service-Key = ${key}`)).toEqual([
      key,
    ]);
  });

  it("finds Azure DevOps tokens with their run of A's, not a blanked random part", () => {
    const tail = `JQQJ99BCACAAAAAAAAAAAAASAZDO${r(ALNUM, 4)}`;
    expect(rulesIn(`${alnum(52)}${tail}`)).toContain("azure-devops-pat");
    expect(rulesIn(`${"x".repeat(52)}${tail}`)).not.toContain("azure-devops-pat");
  });

  it("finds kubeadm bootstrap tokens by a bootstrap-token name", () => {
    const token = `${r("abcdef0123456789", 6)}.${r(HEX, 16)}`;
    expect(secretsOf("kubernetes-bootstrap-token", `BOOTSTRAP_TOKEN=${token}`)).toEqual([token]);
    expect(secretsOf("kubernetes-bootstrap-token", `--tls-bootstrap-token ${token}`)).toEqual([
      token,
    ]);
    // Upper case is not a bootstrap token.
    expect(rulesIn(`BOOTSTRAP_TOKEN=${token.toUpperCase()}`)).not.toContain(
      "kubernetes-bootstrap-token",
    );
  });

  it("finds a legacy Google client secret only next to a Google client id", () => {
    const clientId = `${r(DIGITS, 12)}-${r(LOWER + DIGITS, 32)}.apps.googleusercontent.com`;
    const secret = `${r(UPPER, 4)}_${r(DIGITS, 3)}${alnum(16)}`;
    const config = `const CLIENT_ID = '${clientId}';\nconst CLIENT_SECRET = '${secret}';`;
    expect(secretsOf("google-oauth-legacy-client-secret", config)).toEqual([secret]);
    expect(rulesIn(`const CLIENT_SECRET = '${secret}';`)).not.toContain(
      "google-oauth-legacy-client-secret",
    );
    const farAway = `const CLIENT_ID = '${clientId}';\n\n\n\n\nconst CLIENT_SECRET = '${secret}';`;
    expect(rulesIn(farAway)).not.toContain("google-oauth-legacy-client-secret");
  });
});

describe("ops rules", () => {
  it("finds a Statuspage key given as an OAuth header value", () => {
    const key = r(HEX, 64);
    expect(secretsOf("statuspage-api-key", `statuspage_api: OAuth ${key}`)).toEqual([key]);
  });
});

describe("key material rules", () => {
  it("finds age post-quantum identities, not lower-case text", () => {
    const key = `AGE-SECRET-KEY-PQ-1${r(BECH32, 58)}`;
    expect(secretsOf("age-secret-key", `# public key: age1pq1…\n${key}`)).toEqual([key]);
    expect(rulesIn(key.toLowerCase())).not.toContain("age-secret-key");
  });

  it("finds each secret key of a plain Tink keyset, pretty or escaped, not a public key", () => {
    const entry = (value: string, kind: string) =>
      `{"keyData":{"typeUrl":"type.googleapis.com/google.crypto.tink.AesGcmKey","value":"${value}","keyMaterialType":"${kind}"},"status":"ENABLED"}`;
    const [a, b] = [r(B64, 32), r(B64, 44)];
    const keyset = `{"primaryKeyId":1,"key":[${entry(a, "SYMMETRIC")},${entry(b, "ASYMMETRIC_PRIVATE")}]}`;
    expect(secretsOf("tink-keyset", keyset)).toEqual([a, b]);
    expect(secretsOf("tink-keyset", JSON.stringify(JSON.parse(keyset), null, 2))).toEqual([a, b]);
    expect(secretsOf("tink-keyset", `"key": ${JSON.stringify(keyset)}`)).toEqual([a, b]);
    expect(rulesIn(entry(r(B64, 44), "ASYMMETRIC_PUBLIC"))).not.toContain("tink-keyset");
    // Keys sorted, as `jq -S` and Go's maps write them.
    const sorted = `{"keyMaterialType":"SYMMETRIC","typeUrl":"type.googleapis.com/google.crypto.tink.AesGcmKey","value":"${a}"}`;
    expect(secretsOf("tink-keyset", sorted)).toEqual([a]);
  });

  it("finds a base64-encoded JWT, not other base64 that starts with eyJ", () => {
    const encoded = Buffer.from(jwt()).toString("base64");
    expect(secretsOf("jwt-base64", `token: ${encoded}`)).toEqual([encoded]);
    const notJwt = Buffer.from(`eyJ${r(ALNUM, 80)} is not a token`).toString("base64");
    expect(rulesIn(`data: ${notJwt}`)).not.toContain("jwt-base64");
    const noAlg = `${b64url(JSON.stringify({ kid: "1" }))}.${b64url(JSON.stringify({ sub: "1" }))}.${r(B64URL, 43)}`;
    expect(rulesIn(`data: ${Buffer.from(noAlg).toString("base64")}`)).not.toContain("jwt-base64");
  });

  it("scans long base64 without a JWT quickly", () => {
    const long = `ZXlK${r(B64, 20000)}`;
    const started = Date.now();
    rulesIn(long);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("AI platform prefixes", () => {
  it("finds Together, E2B, LlamaCloud, Humanloop, Mem0, Daytona and Context7 keys bare", () => {
    const together = `tgp_v1_${alnum(20)}-_${r(B64URL, 21)}`;
    expect(secretsOf("together-v1-api-key", `    "${together}",`)).toEqual([together]);
    expect(secretsOf("together-v1-api-key", `    together: "${together}"`)).toEqual([together]);
    expect(rulesIn(`    "e2b_${r(HEX, 40)}",`)).toContain("e2b-api-key");
    expect(rulesIn(`LLAMA_CLOUD_API_KEY=llx-${alnum(48)}`)).toContain("llamacloud-api-key");
    expect(rulesIn(`headers: { "X-API-KEY": "hl_sk_${r(HEX, 48)}" }`)).toContain(
      "humanloop-api-key",
    );
    expect(rulesIn(`client = MemoryClient(api_key="m0-${alnum(40)}")`)).toContain("mem0-api-key");
    expect(rulesIn(`    "dtn_${r(HEX, 64)}",`)).toContain("daytona-api-key");
    expect(rulesIn(`    "opk_${r(HEX, 42)}",`)).toContain("openpipe-api-key");
    expect(rulesIn(`    "QN_${r(HEX, 32)}",`)).toContain("quicknode-api-key");
    expect(rulesIn("OPENPIPE_API_KEY=opk_abcdefghijklmnopqrstuvwxyz123456")).not.toContain(
      "openpipe-api-key",
    );
    expect(rulesIn(`npx -y @upstash/context7-mcp --api-key ctx7sk-${uuid()}`)).toContain(
      "context7-api-key",
    );
  });

  it("leaves documentation stand-ins and words alone", () => {
    expect(rulesIn("LLAMA_CLOUD_API_KEY=llx-your-key-here")).not.toContain("llamacloud-api-key");
    expect(rulesIn(`tgp_v1_${r(LOWER, 43)}`)).not.toContain("together-v1-api-key");
    expect(rulesIn(`m0-${r(LOWER, 40)}`)).not.toContain("mem0-api-key");
    expect(rulesIn('"hl_sk_test_demo1234"')).not.toContain("humanloop-api-key");
  });

  it("finds Coze and Dify keys only next to their provider's name", () => {
    const coze = `pat_${alnum(64)}`;
    expect(secretsOf("coze-api-token", `COZE_API_TOKEN=${coze}`)).toEqual([coze]);
    expect(rulesIn(`    "${coze}",`)).not.toContain("coze-api-token");
    expect(rulesIn("COZE_API_TOKEN=pat_xxx")).not.toContain("coze-api-token");
    const dify = `app-${alnum(24)}`;
    expect(secretsOf("dify-api-key", `VITE_DIFY_API_KEY=${dify}`)).toEqual([dify]);
    const dataset = `dataset-${alnum(24)}`;
    expect(secretsOf("dify-api-key", `dify_dataset_key: "${dataset}"`)).toEqual([dataset]);
    expect(rulesIn(`    "${dify}",`)).not.toContain("dify-api-key");
    expect(rulesIn("DIFY_API_KEY=app-your-dify-app-api-key")).not.toContain("dify-api-key");
  });
});

describe("cloud access keys", () => {
  it("finds AppSync keys bare, not model names that start with da2-", () => {
    const key = `da2-${r(LOWER + DIGITS, 24)}q7`;
    expect(secretsOf("aws-appsync-api-key", `    "${key}",`)).toEqual([key]);
    expect(rulesIn('OUT = "da2-metric-indoor-small-bench"')).not.toContain("aws-appsync-api-key");
    expect(rulesIn(`da2-${r(LOWER, 26)}`)).not.toContain("aws-appsync-api-key");
  });

  it("finds GCS HMAC access ids, not upper-case words", () => {
    const id = `GOOG1E${r(UPPER + DIGITS, 53)}Q7`;
    expect(secretsOf("gcs-hmac-access-id", `    "${id}",`)).toEqual([id]);
    expect(rulesIn(`GOOG1E${r(UPPER, 55)}`)).not.toContain("gcs-hmac-access-id");
    expect(rulesIn("ADAPT_SECRET_GCS_KEY_ID=GOOG1E...")).not.toContain("gcs-hmac-access-id");
  });

  it("finds Entra refresh tokens, not a short 0.A run", () => {
    const token = `0.A${alnum(60)}-${r(B64URL, 20)}.Ag${r(B64URL, 320)}`;
    expect(secretsOf("azure-entra-refresh-token", `    "${token}",`)).toEqual([token]);
    expect(rulesIn(`version 10.A${alnum(60)}.Ag${alnum(80)}`)).not.toContain(
      "azure-entra-refresh-token",
    );
  });

  it("finds Naver, Volcengine and Baidu keys, not their documentation stand-ins", () => {
    const access = `ncp_iam_BPAMKR${alnum(14)}`;
    const secret = `ncp_iam_BPKMKR${alnum(30)}`;
    expect(
      secretsOf("naver-cloud-access-key", `access-key: ${access}\nsecret-key: ${secret}`),
    ).toEqual([access, secret]);
    expect(rulesIn('placeholder={"ncp_iam_BPAMKRxxxxxxxxxxxx"}')).not.toContain(
      "naver-cloud-access-key",
    );
    const volc = `AKLT${alnum(43)}`;
    expect(secretsOf("volcengine-access-key-id", `VOLC_ACCESSKEY=${volc}`)).toEqual([volc]);
    expect(
      rulesIn("Credential=AKLTexampleaccesskey/20260328/ap-southeast-1/ark/request"),
    ).not.toContain("volcengine-access-key-id");
    const baidu = `ALTAK${alnum(21)}`;
    expect(secretsOf("baidu-cloud-access-key", `ak: "${baidu}",`)).toEqual([baidu]);
    expect(rulesIn('"ALTAKZZT8A"')).not.toContain("baidu-cloud-access-key");
  });

  it("finds Azure function keys in function URLs and the x-functions-key header", () => {
    const key = `${alnum(40)}-${r(B64URL, 13)}==`;
    const url = `https://myfunc.azurewebsites.net/api/Process?code=${key}`;
    expect(secretsOf("azure-function-key", `const FN = "${url}";`)).toEqual([key]);
    const later = `https://acme-fn.azurewebsites.net/api/orders?name=x&code=${key}`;
    expect(secretsOf("azure-function-key", later)).toEqual([key]);
    expect(secretsOf("azure-function-key", `-H "x-functions-key: ${key}"`)).toEqual([key]);
    expect(secretsOf("azure-function-key", `'x-functions-key': '${key}',`)).toEqual([key]);
    // The newer default host names (`<app>-<hash>.<region>`) and system-key paths.
    const regional = `https://myfn-${r(LOWER, 8)}.eastus-01.azurewebsites.net/api/x?code=${key}`;
    expect(secretsOf("azure-function-key", regional)).toEqual([key]);
    const durable = `https://myfn.azurewebsites.net/runtime/webhooks/durabletask/instances?code=${key}`;
    expect(secretsOf("azure-function-key", durable)).toEqual([key]);
  });

  it("leaves function keys read from the environment and other hosts' code parameters alone", () => {
    expect(rulesIn(`-H "x-functions-key: $MASTER_KEY"`)).not.toContain("azure-function-key");
    expect(rulesIn("'x-functions-key': process.env.USER_API_KEY")).not.toContain(
      "azure-function-key",
    );
    expect(rulesIn("https://myfunc.azurewebsites.net/api/Process?code=<API_KEY>")).not.toContain(
      "azure-function-key",
    );
    const oauth = `https://app.example.com/callback?code=${alnum(40)}`;
    expect(rulesIn(oauth)).not.toContain("azure-function-key");
  });
});

const bytes = (n: number) => Buffer.from(r(HEX, n * 2), "hex");
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** Base58Check of a payload (the version bytes its first). */
function base58Check(payload: Buffer): string {
  const sha = (data: Buffer) => createHash("sha256").update(data).digest();
  const full = Buffer.concat([payload, sha(sha(payload)).subarray(0, 4)]);
  let out = "";
  for (let v = BigInt(`0x${full.toString("hex")}`); v > 0n; v /= 58n)
    out = B58[Number(v % 58n)] + out;
  return out;
}
/** Base58 of bytes without a checksum (leading zero bytes as `1`s), as Solana wallets write keys. */
function base58(data: Buffer): string {
  let out = "";
  for (let v = BigInt(`0x${data.toString("hex")}`); v > 0n; v /= 58n)
    out = B58[Number(v % 58n)] + out;
  const zeros = data.findIndex((byte) => byte !== 0);
  return "1".repeat(zeros < 0 ? data.length : zeros) + out;
}
const BECH32_CHARS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
/** A bech32 string (BIP-173) of `data`'s 5-bit groups. */
function bech32(prefix: string, data: Buffer): string {
  const bits = [...data].map((b) => b.toString(2).padStart(8, "0")).join("");
  const words = (bits.match(/.{1,5}/g) ?? []).map((w) => Number.parseInt(w.padEnd(5, "0"), 2));
  const values = [
    ...[...prefix].map((c) => c.charCodeAt(0) >> 5),
    0,
    ...[...prefix].map((c) => c.charCodeAt(0) & 31),
    ...words,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i] as number;
  }
  chk ^= 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (chk >>> (5 * (5 - i))) & 31);
  return `${prefix}1${[...words, ...checksum].map((w) => BECH32_CHARS[w]).join("")}`;
}
/** The same text with one character of its last 20 changed to another of `chars`. */
function typo(text: string, chars: string): string {
  const at = text.length - 12;
  const next = chars[(chars.indexOf(text[at] as string) + 1) % chars.length];
  return `${text.slice(0, at)}${next}${text.slice(at + 1)}`;
}

describe("wallet keys", () => {
  // Drawn by @scure/bip39 (an implementation of BIP-39 apart from this project's), each with a
  // valid checksum; the published test vectors are left out by design (below).
  const VECTOR_12 =
    "mosquito camp enroll liberty tackle strategy snow horse essence humble crack purpose";
  const VECTOR_18 =
    "language suffer embrace blue ticket photo maple tumble above cheap salute coyote uncover under coral first mistake price";
  const VECTOR_24 =
    "candy lazy vast country version snap coin shrug magnet recycle pottery family call traffic hard genuine crouch banner tongue art history web sail divorce";

  it("finds a recovery phrase under a seed or mnemonic label, in notes, settings and code", () => {
    const rule = "bip39-recovery-phrase";
    expect(
      secretsOf(rule, `Recovery phrase (main wallet): ${VECTOR_12}. Keep it offline.`),
    ).toEqual([VECTOR_12]);
    expect(secretsOf(rule, `MNEMONIC=${VECTOR_18}`)).toEqual([VECTOR_18]);
    expect(secretsOf(rule, `{"mnemonic": "${VECTOR_24}"}`)).toEqual([VECTOR_24]);
    expect(secretsOf(rule, `wallet_seed = '${VECTOR_12}'`)).toEqual([VECTOR_12]);
    // On the next line, its first word capitalised; words after it are not part of it.
    expect(
      secretsOf(rule, `Seed words:\n  Mosquito${VECTOR_12.slice(8)} then lock it away`),
    ).toEqual([`Mosquito${VECTOR_12.slice(8)}`]);
    // Bold, and a blank line after the label.
    expect(secretsOf(rule, `**Seed phrase:** ${VECTOR_12}`)).toEqual([VECTOR_12]);
    expect(secretsOf(rule, `Seed phrase:\n\n${VECTOR_12}\n`)).toEqual([VECTOR_12]);
    // Given to a call that takes a phrase.
    expect(secretsOf(rule, `const wallet = ethers.Wallet.fromMnemonic("${VECTOR_12}");`)).toEqual([
      VECTOR_12,
    ]);
    expect(secretsOf(rule, `const account = mnemonicToAccount('${VECTOR_12}')`)).toEqual([
      VECTOR_12,
    ]);
    // Apart by commas, numbered on lines of their own, or a YAML list.
    const words = VECTOR_12.split(" ");
    expect(secretsOf(rule, `Seed phrase: ${words.join(", ")}`)).toEqual([words.join(", ")]);
    const numbered = words.map((word, i) => `${i + 1}. ${word}`).join("\n");
    expect(secretsOf(rule, `Seed phrase:\n${numbered}\n`)).toEqual([numbered.slice(3)]);
    const listed = words.map((word) => `  - ${word}`).join("\n");
    expect(secretsOf(rule, `mnemonic:\n${listed}\n`)).toEqual([listed.slice(4)]);
  });

  it("leaves a phrase whose checksum fails, sentences, and published development phrases alone", () => {
    const rule = "bip39-recovery-phrase";
    expect(secretsOf(rule, `MNEMONIC=${VECTOR_12.replace(/purpose$/, "pudding")}`)).toEqual([]);
    expect(
      secretsOf(
        rule,
        "The seed phrase is used when you restore your wallet from backup after losing your phone",
      ),
    ).toEqual([]);
    expect(
      secretsOf(
        rule,
        'accounts: { mnemonic: "test test test test test test test test test test test junk" }',
      ),
    ).toEqual([]);
    expect(secretsOf(rule, `mnemonic: "${"abandon ".repeat(11)}about"`)).toEqual([]);
  });

  it("finds an EVM private key by its name, hardhat's accounts and the calls that take one", () => {
    const key = `0x${r(HEX, 64)}`;
    expect(secretsOf("evm-private-key", `PRIVATE_KEY=${key}`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `ETH_WALLET_PRIVATE_KEY="${key}"`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `      accounts: ["${key}"],`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `new ethers.Wallet("${key}", provider);`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `privateKeyToAccount('${key}')`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `acct = Account.from_key("${key}")`)).toEqual([key]);
    expect(secretsOf("evm-private-key", `private_key = "${key}"`)).toEqual([key]);
    // Foundry's flag with a space, and a key named in words.
    expect(
      secretsOf("evm-private-key", `forge script Deploy --private-key ${key} --broadcast`),
    ).toEqual([key]);
    expect(secretsOf("evm-private-key", `Private Key: ${key}`)).toEqual([key]);
  });

  it("leaves transaction and block hashes, digests, storage slots and addresses alone", () => {
    const hash = `0x${r(HEX, 64)}`;
    for (const text of [
      `txHash: "${hash}"`,
      `"blockHash": "${hash}",`,
      `bytes32 public constant MINTER_ROLE = ${hash};`,
      `require(keccak256(data) == ${hash});`,
      `bytes32 internal constant IMPLEMENTATION_SLOT = ${hash};`,
      `privateKeyHash: "${hash}"`,
      `private_key_address = "0x${r(HEX, 40)}"`,
      `PRIVATE_KEY=0x${"0".repeat(63)}1`,
      `accounts: ["0x${"ab".repeat(32)}"]`,
      `bytes32 public constant PRIVATE_KEY_ROLE = ${hash};`,
      `private_key_slot = ${hash}`,
      `privateKeyCommitment: "${hash}"`,
    ]) {
      expect(rulesIn(text), text).not.toContain("evm-private-key");
    }
  });

  it("leaves keys published as examples alone (Hardhat's first account, spec test vectors)", () => {
    for (const text of [
      'const PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";',
      "Private Key: 0xAC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80",
      '{ "privateKey": "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318" }',
      "ext prv: xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
      "nsec: nsec180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsgyumg0",
    ]) {
      const found = rulesIn(text);
      expect(found, text).not.toContain("evm-private-key");
      expect(found, text).not.toContain("bip32-extended-private-key");
      expect(found, text).not.toContain("nostr-private-key");
    }
  });

  it("finds a BIP-32 extended private key whose checksum holds, not an xpub or a typo", () => {
    const version = Buffer.from("0488ade4", "hex");
    const xprv = base58Check(
      Buffer.concat([version, bytes(9), bytes(32), Buffer.from([0]), bytes(32)]),
    );
    expect(xprv.startsWith("xprv")).toBe(true);
    expect(secretsOf("bip32-extended-private-key", `root = BIP32.from_xpriv("${xprv}")`)).toEqual([
      xprv,
    ]);
    expect(rulesIn(typo(xprv, B58))).not.toContain("bip32-extended-private-key");
    const xpub = base58Check(
      Buffer.concat([
        Buffer.from("0488b21e", "hex"),
        bytes(9),
        bytes(32),
        Buffer.from([2]),
        bytes(32),
      ]),
    );
    expect(rulesIn(`XPUB=${xpub}`)).not.toContain("bip32-extended-private-key");
  });

  it("finds WIF keys (compressed or not) after a WIF or private-key name, checksum checked", () => {
    const compressed = base58Check(
      Buffer.concat([Buffer.from([0x80]), bytes(32), Buffer.from([1])]),
    );
    const plain = base58Check(Buffer.concat([Buffer.from([0x80]), bytes(32)]));
    expect(secretsOf("bitcoin-wif-private-key", `wif = "${compressed}"`)).toEqual([compressed]);
    expect(secretsOf("bitcoin-wif-private-key", `privkey: ${plain}`)).toEqual([plain]);
    expect(secretsOf("bitcoin-wif-private-key", `key = PrivateKey.from_wif('${plain}')`)).toEqual([
      plain,
    ]);
    expect(rulesIn(`wif = "${typo(compressed, B58)}"`)).not.toContain("bitcoin-wif-private-key");
    // A Base58Check value of another version (an address) is not a key.
    const address = base58Check(Buffer.concat([Buffer.from([0x00]), bytes(20)]));
    expect(rulesIn(`secret_address = "${address}"`)).not.toContain("bitcoin-wif-private-key");
  });

  it("finds a Solana keypair whose second half is the first half's public key", () => {
    const seed = bytes(32);
    const keypair = `[${[...seed, ...ed25519PublicKey(seed)].join(",")}]`;
    expect(secretsOf("solana-keypair", `SOLANA_KEYPAIR=${keypair}`)).toEqual([keypair]);
    expect(
      secretsOf(
        "solana-keypair",
        `const wallet = Keypair.fromSecretKey(\n  new Uint8Array(${keypair}));`,
      ),
    ).toEqual([keypair]);
    // 64 numbers that are not a keypair, or a keypair with no word of wallets nearby.
    const random = `[${[...bytes(64)].join(", ")}]`;
    expect(rulesIn(`SOLANA_KEYPAIR=${random}`)).not.toContain("solana-keypair");
    expect(rulesIn(`const table = ${keypair};`)).not.toContain("solana-keypair");
  });

  it("finds a keypair's array with a trailing comma, and a keypair in base58", () => {
    const seed = bytes(32);
    const pair = [...seed, ...ed25519PublicKey(seed)];
    const trailing = `[\n  ${pair.join(", ")},\n]`;
    expect(
      secretsOf(
        "solana-keypair",
        `const payer = Keypair.fromSecretKey(Uint8Array.from(${trailing}));`,
      ),
    ).toEqual([trailing]);
    const encoded = base58(Buffer.from(pair));
    expect(
      secretsOf(
        "solana-keypair",
        `const payer = Keypair.fromSecretKey(bs58.decode('${encoded}'));`,
      ),
    ).toEqual([encoded]);
    expect(secretsOf("solana-keypair", `PRIVATE_KEY=${encoded}\n`)).toEqual([encoded]);
    // 64 bytes that are no keypair, and a keypair's base58 inside a longer run.
    const random = base58(bytes(64));
    expect(rulesIn(`PRIVATE_KEY=${random}`)).not.toContain("solana-keypair");
    expect(rulesIn(`secret=${encoded}Zx`)).not.toContain("solana-keypair");
  });

  it("finds a keypair's base58 after many transaction signatures, which are 64 bytes too", () => {
    const seed = bytes(32);
    const encoded = base58(Buffer.from([...seed, ...ed25519PublicKey(seed)]));
    const signatures = Array.from({ length: 20 }, () => `  "${base58(bytes(64))}",`).join("\n");
    const text = `// solana fixtures\nconst SIGNATURES = [\n${signatures}\n];\nconst payer = Keypair.fromSecretKey(bs58.decode("${encoded}"));\n`;
    expect(secretsOf("solana-keypair", text)).toEqual([encoded]);
  });

  it("finds a web3.js Keypair written with JSON.stringify, its secret key an object of bytes", () => {
    const seed = bytes(32);
    const written = (values: number[]) => `{${values.map((b, i) => `"${i}":${b}`).join(",")}}`;
    const publicKey = written([...ed25519PublicKey(seed)]);
    const secretKey = written([...seed, ...ed25519PublicKey(seed)]);
    expect(
      secretsOf(
        "solana-keypair",
        `{"_keypair":{"publicKey":${publicKey},"secretKey":${secretKey}}}`,
      ),
    ).toEqual([secretKey]);
    // Pretty-printed four deep (`JSON.stringify(keypair, null, 4)`).
    const bytesOf = (values: number[]) => Object.fromEntries(values.map((b, i) => [String(i), b]));
    const pretty = JSON.stringify(
      { _keypair: { secretKey: bytesOf([...seed, ...ed25519PublicKey(seed)]) } },
      null,
      4,
    );
    expect(rulesIn(pretty)).toContain("solana-keypair");
    // Bytes that are not a keypair, or keys that do not count up from "0", are not one.
    const random = written([...bytes(64)]);
    expect(rulesIn(`{"secretKey":${random}}`)).not.toContain("solana-keypair");
    const swapped = secretKey.replace('"1":', '"2":');
    expect(rulesIn(`{"secretKey":${swapped}}`)).not.toContain("solana-keypair");
  });

  it("reports an encrypted JWT (JWE) whole, its ciphertext and tag too, and without a key", () => {
    const part = (n: number) => bytes(n).toString("base64url");
    const header = Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString("base64url");
    const jwe = `${header}.${part(256)}.${part(12)}.${part(300)}.${part(16)}`;
    expect(secretsOf("jwe", `authToken: ${jwe}`)).toEqual([jwe]);
    const direct = `${Buffer.from('{"alg":"dir","enc":"A128CBC-HS256"}').toString("base64url")}..${part(16)}.${part(120)}.${part(16)}`;
    expect(secretsOf("jwe", `token=${direct}`)).toEqual([direct]);
  });

  it("keeps signed JWTs apart from what follows them: another JWT, a file name, a damaged one", () => {
    const [a, b] = [jwt(), jwt()];
    expect(secretsOf("jwt", `${a}.${b}`)).toEqual([a, b]);
    expect(secretsOf("jwt", `see ${a}.attachment.download`)).toEqual([a]);
    const damaged = "eyJub3RhaGVhZGVy.xxxxxxxxxxabcdefgh.yyyyyyyyyyyyyyyy";
    expect(secretsOf("jwt", `${damaged}.${a}`)).toEqual([a]);
  });

  it("finds a wallet's secret alone in a file however it is written, and nothing else there", () => {
    const seed = bytes(32);
    const numbers = [...seed, ...ed25519PublicKey(seed)];
    const inFile = (text: string, file: string) => scanText(text, { file }).map((f) => f.ruleId);
    expect(inFile(`[\n${numbers.map((n) => `    ${n}`).join(",\n")}\n]\n`, "keypair.json")).toEqual(
      ["wallet-secret-file"],
    );
    const phrase =
      "mosquito camp enroll liberty tackle strategy snow horse essence humble crack purpose";
    const words = phrase.split(" ");
    for (const text of [
      `"${phrase}"\n`,
      `${words.map((word, i) => `${i + 1}. ${word}`).join("\n")}\n`,
      `${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join(", ")}\n`,
    ]) {
      expect(inFile(text, ".secret"), text).toEqual(["wallet-secret-file"]);
    }
    expect(inFile(`[${[...bytes(64)].join(",")}]`, "keypair.json")).toEqual([]);
  });

  it("finds Nostr nsec keys whose bech32 checksum holds, not npub keys or typos", () => {
    const nsec = bech32("nsec", bytes(32));
    expect(secretsOf("nostr-private-key", `    "${nsec}",`)).toEqual([nsec]);
    expect(rulesIn(typo(nsec, BECH32_CHARS))).not.toContain("nostr-private-key");
    expect(rulesIn(bech32("npub", bytes(32)))).toEqual([]);
  });

  it("finds a whole hex LND macaroon, not the short prefixes tests and docs show", () => {
    const macaroon = `0201036c6e6402f801030a10${r(HEX, 32)}1201301a160a0761646472657373120472656164${r(HEX, 400)}`;
    expect(secretsOf("lnd-macaroon", `LND_MACAROON=${macaroon}`)).toEqual([macaroon]);
    expect(rulesIn('MacaroonHex: "0201036c6e6402f801030a",')).not.toContain("lnd-macaroon");
    expect(rulesIn('"0201036c6e640258030a...",')).not.toContain("lnd-macaroon");
  });
});

describe("password hashes", () => {
  const salt = (n: number) => r(`${ALNUM}./`, n);
  const apr1 = () => ["", "apr1", salt(8), salt(22)].join("$");
  const bcrypt = () => ["", "2y", "05", salt(53)].join("$");
  const sha512 = () => ["", "6", "rounds=5000", salt(16), salt(86)].join("$");

  it("finds htpasswd and shadow lines", () => {
    const a = apr1();
    expect(secretsOf("password-hash-file", `admin:${a}`)).toEqual([a]);
    const b = bcrypt();
    expect(secretsOf("password-hash-file", `deploy:${b}\nother:${apr1()}`)).toContain(b);
    const s = sha512();
    expect(secretsOf("password-hash-file", `root:${s}:19000:0:99999:7:::`)).toEqual([s]);
    const sha = `{SHA}${r(B64, 27)}=`;
    expect(secretsOf("password-hash-file", `admin:${sha}`)).toEqual([sha]);
  });

  it("finds a hash assigned to a password field or in a seed INSERT", () => {
    const b = bcrypt();
    expect(secretsOf("password-hash", `{"email": "a@b.c", "password": "${b}"}`)).toEqual([b]);
    expect(secretsOf("password-hash", `password_hash = '${b}'`)).toEqual([b]);
    const seed = `INSERT INTO users (email, password)\nVALUES ('admin@example.com', '${b}');`;
    expect(secretsOf("password-hash", seed)).toEqual([b]);
    // A later row of a long multi-row INSERT.
    const rows = Array.from({ length: 30 }, (_, i) => `('user${i}@example.com', NULL)`);
    const later = `INSERT INTO users (email, password) VALUES\n${rows.join(",\n")},\n('last@example.com', '${b}');`;
    expect(secretsOf("password-hash", later)).toEqual([b]);
  });

  it("leaves prose, lockfiles, locked accounts and placeholders alone", () => {
    const b = bcrypt();
    for (const text of [
      `A bcrypt hash looks like ${b} in the database.`,
      `const example = "${b}";`,
      `  resolved "https://registry.yarnpkg.com/bcryptjs/-/bcryptjs-2.4.3.tgz#${r(HEX, 40)}"\n  integrity sha512-${r(B64, 86)}==`,
      `    "node_modules/bcrypt": {\n      "version": "5.1.1",\n      "integrity": "sha512-${r(B64, 86)}=="`,
      "root:*:19000:0:99999:7:::",
      "daemon:!:19000::::::",
      "root:x:0:0:root:/root:/bin/bash",
      `"password": "${["", "2b", "12", "x".repeat(53)].join("$")}"`,
      // Compared with a password, not assigned to one; the hash of "password" that every
      // Laravel application's user factory ships.
      `const ok = await bcrypt.compare(myPlaintextPassword, '${b}');`,
      `password_verify($password, '${b}')`,
      `  ["password", "${b}"],`,
      "'password' => '$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi', // password",
    ]) {
      expect(rulesIn(text), text).not.toContain("password-hash");
      expect(rulesIn(text), text).not.toContain("password-hash-file");
    }
  });
});

describe("AWS secret access keys set with the AWS CLI", () => {
  it("finds aws configure set aws_secret_access_key, with or without a profile", () => {
    const key = r(`${ALNUM}/+`, 40).replace(/^[^A-Za-z]/, "Q");
    expect(
      secretsOf("aws-secret-access-key", `aws configure set aws_secret_access_key ${key}`),
    ).toEqual([key]);
    expect(
      secretsOf(
        "aws-secret-access-key",
        `aws configure set profile.prod.aws_secret_access_key "${key}"`,
      ),
    ).toEqual([key]);
  });

  it("reports nothing for a key read from a variable", () => {
    expect(rulesIn("aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY")).toEqual([]);
  });
});

describe("AWS SSM SecureString parameters", () => {
  const value = `${alnum(6)}!${alnum(9)}`;
  it("finds the value of a SecureString in Terraform, Pulumi and the AWS CLI, in either order", () => {
    for (const text of [
      `resource "aws_ssm_parameter" "db" {\n  name  = "/app/db"\n  type  = "SecureString"\n  value = "${value}"\n}`,
      `resource "aws_ssm_parameter" "db" {\n  name  = "/app/db"\n  value = "${value}"\n  type  = "SecureString"\n}`,
      `new aws.ssm.Parameter("db", { type: "SecureString", value: "${value}" });`,
      // boto3's and the SDKs' capitalised names.
      `ssm.put_parameter(Name="/app/db", Value="${value}", Type="SecureString")`,
      `aws ssm put-parameter --name /app/db --type SecureString --value '${value}'`,
      // Aligned by `terraform fmt`; a call between the type and the value.
      `resource "aws_ssm_parameter" "db" {\n  description = "Primary database"\n  type        = "SecureString"\n  value       = "${value}"\n}`,
      `resource "aws_ssm_parameter" "db" {\n  type  = "SecureString"\n  name  = format("/%s/db", var.env)\n  value = "${value}"\n}`,
    ]) {
      expect(secretsOf("aws-ssm-secure-string", text), text).toEqual([value]);
    }
  });

  it("reads neither another YAML item's value nor a value Terraform is told to leave alone", () => {
    for (const text of [
      'resource "aws_ssm_parameter" "vpc" {\n  type  = "SecureString"\n  value = "vpc-0a1b2c3d"\n}',
      'parameters:\n  - name: /app/flags\n    value: "checkout-v2,search-v3"\n    type: "StringList"\n  - name: /app/db\n    type: "SecureString"\n    value: "{{ vault_db_password }}"',
      'resource "aws_ssm_parameter" "db" {\n  type  = "SecureString"\n  value = "initial"\n  lifecycle {\n    ignore_changes = [value]\n  }\n}',
    ]) {
      expect(rulesIn(text), text).toEqual([]);
    }
  });

  it("reports nothing for a plain String parameter or a value read from elsewhere", () => {
    for (const text of [
      `resource "aws_ssm_parameter" "r" {\n  name  = "/app/region"\n  type  = "String"\n  value = "${value}"\n}`,
      `resource "aws_ssm_parameter" "db" {\n  type  = "SecureString"\n  value = var.db_password\n}`,
      'aws ssm put-parameter --name /app/db --value "$DB_PASSWORD" --type SecureString',
      `aws ssm put-parameter --name /app/db --value ${value} --type String`,
    ]) {
      expect(rulesIn(text), text).toEqual([]);
    }
  });
});

describe("provider formats found bare (ai, cloud and dev rules)", () => {
  // A generator of its own: the values drawn above stay as they were.
  const { r: own } = tokenDrawer(20261205);
  const drawn = (chars: string, n: number) => `aZ3${own(chars, n - 3)}`;

  it("finds Google API keys, but not AIza inside a longer base64 run", () => {
    const key = `AIza${drawn(B64URL, 35)}`;
    expect(secretsOf("google-api-key", `https://maps.example.com/api/js?key=${key}&v=3`)).toEqual([
      key,
    ]);
    expect(rulesIn(`data = "${own(B64, 30)}+${key}=="`)).not.toContain("google-api-key");
    expect(rulesIn(`data = "${own(B64, 30)}==${key}=="`)).not.toContain("google-api-key");
  });

  it("finds Bedrock long-term keys of any length by their encoded BedrockAPIKey- prefix", () => {
    const encoded = Buffer.from(
      `BedrockAPIKey-${own(LOWER, 4)}-at-${own(DIGITS, 12)}:${own(ALNUM, 40)}`,
    ).toString("base64");
    expect(secretsOf("aws-bedrock-api-key", `key = "ABSK${encoded}"`)).toEqual([`ABSK${encoded}`]);
    const short = `ABSKQmVkcm9ja0FQSUtleS${own(B64, 40)}`;
    expect(secretsOf("aws-bedrock-api-key", short)).toEqual([short]);
  });

  it("finds Aiven service passwords bare, not a placeholder", () => {
    const password = `AVNS_${drawn(B64URL, 19)}`;
    expect(secretsOf("aiven-service-password", `"password": "${password}",`)).toEqual([password]);
    expect(rulesIn("AVNS_xxxxxxxxxxxxxxxxxxx")).not.toContain("aiven-service-password");
  });

  it("finds Voyage AI keys bare (pa- and al-), not hyphenated words", () => {
    for (const prefix of ["pa", "al"]) {
      const key = `${prefix}-${drawn(B64URL, 43)}`;
      expect(secretsOf("voyage-api-key", `client = voyageai.Client(api_key="${key}")`)).toEqual([
        key,
      ]);
    }
    expect(rulesIn(`pa-${"some-long-hyphenated-name-in-lower-case-ab"}`)).not.toContain(
      "voyage-api-key",
    );
  });

  it("finds TestPyPI and other PyPI-protocol upload tokens", () => {
    const location = Buffer.from("\x02\x01\x0dtest.pypi.org").toString("base64url");
    expect(location.startsWith("AgENdGVzdC5weXBpLm9yZw")).toBe(true);
    const token = `pypi-${location}${own(B64URL, 120)}`;
    expect(secretsOf("pypi-token", `password = ${token}`)).toEqual([token]);
  });

  it("finds the legacy Vault token given to vault login, not a bare s. value", () => {
    const token = `s.${drawn(ALNUM, 24)}`;
    expect(secretsOf("vault-login-token", `vault login ${token}`)).toEqual([token]);
    expect(secretsOf("vault-login-token", `vault login -method=token token=${token}`)).toEqual([
      token,
    ]);
    expect(rulesIn(`see ${token} here`)).toEqual([]);
  });

  it("finds 1Password recovery codes, not the alphabet counted out", () => {
    const groups = Array.from({ length: 13 }, () => own(UPPER + DIGITS, 4));
    groups[0] = `Q7${own(UPPER + DIGITS, 2)}`;
    const code = `1PRK-${groups.join("-")}`;
    expect(secretsOf("onepassword-recovery-code", code)).toEqual([code]);
    const counted = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOP"
      .match(/.{4}/g)
      ?.join("-");
    expect(rulesIn(`1PRK-${counted}`)).not.toContain("onepassword-recovery-code");
  });
});

describe("LangSmith's first key form and Zoho tokens without a name", () => {
  const { r: own } = tokenDrawer(20261206);

  it("finds ls__ LangSmith keys, not a placeholder", () => {
    const key = `ls__${own(HEX, 31)}a`;
    expect(secretsOf("langsmith-api-key", `LANGCHAIN_API_KEY="${key}"`)).toEqual([key]);
    expect(rulesIn('LANGCHAIN_API_KEY="ls__your_key_here"')).not.toContain("langsmith-api-key");
  });

  it("finds Zoho OAuth tokens bare, not the public client id", () => {
    const token = `1000.${own(HEX, 31)}a.${own(HEX, 31)}b`;
    expect(rulesIn(`refresh: ${token}`)).toContain("zoho-token");
    expect(rulesIn(`client 1000.${own(UPPER + DIGITS, 30)}`)).not.toContain("zoho-token");
  });
});

describe("Brave Search API keys", () => {
  const { r: own } = tokenDrawer(20261207);

  it("finds a key bare, not inside a base64 run nor a stand-in", () => {
    const key = `BSAaZ3${own(ALNUM, 25)}`;
    expect(secretsOf("brave-search-api-key", `-e BRAVE_API_KEY=${key} mcp/brave-search`)).toEqual([
      key,
    ]);
    expect(rulesIn(`data: ${own(B64, 20)}+${key}/${own(B64, 8)}`)).not.toContain(
      "brave-search-api-key",
    );
    expect(rulesIn("BRAVE_API_KEY=BSA-your-brave-search-api-key")).not.toContain(
      "brave-search-api-key",
    );
  });
});

describe("Dynatrace OneAgent tokens and Aiven's short service passwords", () => {
  const { r: own } = tokenDrawer(20261208);

  it("finds dt0a01 OneAgent tokens", () => {
    const token = `dt0a01.${own(LOWER + DIGITS, 8)}.${own(HEX, 63)}a`;
    expect(secretsOf("dynatrace-token", `DT_TOKEN=${token}`)).toEqual([token]);
  });

  it("finds 15-character Aiven service passwords, not a run of one letter", () => {
    const password = `AVNS_aZ3${own(B64URL, 12)}`;
    expect(secretsOf("aiven-service-password", `password: ${password}`)).toEqual([password]);
    expect(rulesIn("AVNS_AAAAAAAAAAAAAAA")).not.toContain("aiven-service-password");
  });
});

describe("private keys as base64 DER without PEM lines", () => {
  const der = (key: KeyObject, type: "pkcs1" | "pkcs8" | "sec1") =>
    key.export({ format: "der", type }).toString("base64");
  const keys = [
    der(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, "pkcs1"),
    der(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey, "pkcs8"),
    der(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey, "sec1"),
    der(generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey, "sec1"),
    der(generateKeyPairSync("ec", { namedCurve: "secp521r1" }).privateKey, "pkcs8"),
    der(generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey, "sec1"),
    der(generateKeyPairSync("ed25519").privateKey, "pkcs8"),
    der(generateKeyPairSync("x25519").privateKey, "pkcs8"),
    der(generateKeyPairSync("ed448").privateKey, "pkcs8"),
    der(
      generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }).privateKey,
      "pkcs8",
    ),
    der(generateKeyPairSync("rsa-pss", { modulusLength: 1024 }).privateKey, "pkcs8"),
  ];

  it("finds RSA, DSA, EC and Edwards keys whole, on one line or over lines", () => {
    for (const key of keys) {
      expect(secretsOf("der-private-key", `private_key = "${key}"`), key).toEqual([key]);
      const lines = key.match(/.{1,64}/g)?.join("\n  ") ?? "";
      expect(secretsOf("der-private-key", `private_key: |\n  ${lines}\nnext: value`)).toEqual([
        lines,
      ]);
    }
  });

  it("reads no key cut short, one with base64 after its end, or a made-up run", () => {
    const [rsa] = keys as [string];
    expect(secretsOf("der-private-key", `key = "${rsa.slice(0, -40)}"`)).toEqual([]);
    expect(secretsOf("der-private-key", `key = "${rsa}Ab"`)).toEqual([]);
    expect(secretsOf("der-private-key", `key = "${rsa.slice(0, 16)}${"A".repeat(1572)}"`)).toEqual(
      [],
    );
  });
});

describe("the secret half of a cloud access-key pair", () => {
  const id = alnum(40);
  const secret = alnum(40);

  it("reads `sk` beside its `ak` in PHP, Kotlin and YAML, and a Tencent SecretId's secret", () => {
    expect(secretsOf("access-key-pair-secret", `'ak' => '${id}',\n'sk' => '${secret}',`)).toEqual([
      secret,
    ]);
    expect(secretsOf("access-key-pair-secret", `val sk = "${secret}"\nval ak = "${id}"`)).toEqual([
      secret,
    ]);
    expect(secretsOf("access-key-pair-secret", `AK: ${id}\nSK: ${secret}`)).toEqual([secret]);
    const tencent = alnum(32);
    expect(
      secretsOf("access-key-pair-secret", `Credential("AKID${alnum(32)}", "${tencent}")`),
    ).toEqual([tencent]);
    const huawei = alnum(40);
    expect(
      secretsOf(
        "access-key-pair-secret",
        `ObsClient("HPUAJNBHKJOECTIY5JPB", "${huawei}", endPoint)`,
      ),
    ).toEqual([huawei]);
  });

  it("leaves `sk` without an `ak`, a value not drawn, and words or names alone", () => {
    expect(secretsOf("access-key-pair-secret", `'sk' => '${secret}',`)).toEqual([]);
    expect(
      secretsOf(
        "access-key-pair-secret",
        `'ak' => '${id}',\n'sk' => 'your_secret_key_goes_here_ok',`,
      ),
    ).toEqual([]);
    expect(secretsOf("access-key-pair-secret", `task = "${secret}"\nak = "${id}"`)).toEqual([]);
    expect(
      secretsOf("access-key-pair-secret", `f("ABCDEFGHIJKLMNOPQRST", "${alnum(40)}")`),
    ).toEqual([]);
  });
});

describe("forms an independent attack on the DER key and key-pair rules showed", () => {
  const der = (key: KeyObject, type: "pkcs1" | "pkcs8" | "sec1") =>
    key.export({ format: "der", type }).toString("base64");
  const rsa = der(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey, "pkcs8");
  const pss = der(
    generateKeyPairSync("rsa-pss", {
      modulusLength: 1024,
      hashAlgorithm: "sha256",
      mgf1HashAlgorithm: "sha256",
    }).privateKey,
    "pkcs8",
  );
  const lines = (key: string) => key.match(/.{1,64}/g) ?? [];
  const base64Of = (found: string) =>
    found.replace(/["'][^"']{0,78}["']|\\[rn]|[^A-Za-z0-9+/=]/g, "");

  it("reads a key in \\r\\n escapes, a deep YAML block, lines with trailing blanks and joined strings", () => {
    for (const text of [
      `{"Key": "${lines(rsa).join("\\r\\n")}"}`,
      `a:\n${" ".repeat(24)}key: |\n${lines(rsa)
        .map((l) => `${" ".repeat(26)}${l}  `)
        .join("\n")}\nnext: 1`,
      `$key = '${lines(rsa).join("' .\n    '")}';`,
      `String key = "${lines(rsa).join('"\n        + "')}";`,
      `key = "${pss}"`,
    ]) {
      const found = secretsOf("der-private-key", text);
      expect(found.map(base64Of), text.slice(0, 40)).toEqual([text.includes(pss) ? pss : rsa]);
    }
  });

  it("reads sk beside ak in PHP variables, Go, typed Kotlin, aligned settings, and a MinIO client's pair", () => {
    const id = alnum(40);
    const secret = alnum(40);
    for (const text of [
      `$ak = '${id}'; $sk = '${secret}';`,
      `ak := "${id}"\nsk := "${secret}"`,
      `val ak: String = "${id}"\nval sk: String = "${secret}"`,
      `ak       = "${id}"\nsk       = "${secret}"`,
      `sk : "${secret}"\nak : "${id}"`,
      `ak:         ${id}\nsk:         ${secret}`,
    ]) {
      expect(secretsOf("access-key-pair-secret", text), text).toEqual([secret]);
    }
    expect(
      secretsOf(
        "access-key-pair-secret",
        `MinioClient.builder().credentials("HPUA8K2M9Q3R7T1W5Y6Z", "${secret}")`,
      ),
    ).toEqual([secret]);
    const hex = r(HEX, 32);
    expect(secretsOf("access-key-pair-secret", `ak = "${r(HEX, 32)}"\nsk = "${hex}"`)).toEqual([
      hex,
    ]);
  });

  it("leaves names made of words under ak and sk", () => {
    for (const text of [
      "const ak = 'avatarKit_default_skin_01';\nconst sk = 'skeletonKit_default_skin_02';",
      "ak: 'aKeyboardShortcut_Ctrl_Alt_K',\nsk: 'saveKeyboardShortcut_Ctrl_S2',",
    ]) {
      expect(secretsOf("access-key-pair-secret", text), text).toEqual([]);
    }
  });
});
