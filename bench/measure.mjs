// One measurement in a fresh process, so peak memory (maxRSS) belongs to that operation alone.
// Usage: node bench/measure.mjs <op> <home> <agent> <keyFile>
// Prints one JSON line: { op, ms, maxRssMiB }.
import { performance } from "node:perf_hooks";
import { keyFileKey, openVault } from "../dist/index.js";

const [op, home, agent, keyFile] = process.argv.slice(2);
const keySource = keyFileKey(keyFile);
const start = performance.now();
if (op === "baseline") {
  // Load the library and libsodium, do nothing: the floor every operation stands on.
  const { initCrypto } = await import("../dist/crypto/sodium.js");
  await initCrypto();
} else if (op === "open-get") {
  const vault = await openVault({ home, agent, keySource });
  await vault.get("SECRET_00050");
  vault.close();
} else if (op === "set") {
  const vault = await openVault({ home, agent, keySource });
  const t = performance.now();
  await vault.set("SECRET_00050", `rotated-${Date.now()}-${"x".repeat(32)}`);
  const setMs = performance.now() - t;
  vault.close();
  console.log(JSON.stringify({ op, ms: setMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}
const ms = performance.now() - start;
console.log(JSON.stringify({ op, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
