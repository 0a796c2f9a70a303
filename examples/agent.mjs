// A runnable example: an agent's own code reading its API key from its vault.
//
//   npm run build && node examples/agent.mjs
//
// It works in a throwaway home with a key file so it runs anywhere. In a real agent you would
// call `openVault({ agent: "main" })` and let the vault find its key in the OS keychain.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVault, isVaultError, keyFileKey, openVault } from "../dist/index.js";

const home = mkdtempSync(join(tmpdir(), "agent-vault-example-"));
try {
  // One-time setup (what `vault init` and `vault set` do).
  const { vault: setup } = await createVault({
    home,
    agent: "main",
    keySource: keyFileKey(join(home, "main.key")),
  });
  await setup.set("OPENAI_API_KEY", "sk-example-not-a-real-key", { tags: ["llm"] });
  setup.close();

  // The agent at run time: open its vault (the key file is remembered), read what it needs.
  const vault = await openVault({ home, agent: "main" });
  const apiKey = await vault.getSecret("OPENAI_API_KEY");
  console.log(`got ${apiKey.name}: ${apiKey}`); // prints [redacted], never the value
  console.log(`length ${apiKey.reveal().length}; pass apiKey.reveal() to the client library`);

  try {
    await vault.get("ANTHROPIC_API_KEY");
  } catch (error) {
    if (!isVaultError(error)) throw error;
    console.log(`${error.code} (exit ${error.exitCode}): ${error.message}\n  ${error.hint}`);
  }
  vault.close();
} finally {
  rmSync(home, { recursive: true, force: true });
}
