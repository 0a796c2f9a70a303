// A TypeScript agent reading its API key from its vault, importing agent-vault by its package
// name. Checked with `tsc --strict` (no skipLibCheck) and run by a test:
//
//   npx tsc -p examples/typescript/tsconfig.json && node .cache/examples-ts/agent.js
//
// It works in a throwaway home with a key file so it runs anywhere. In a real agent, call
// `openVault({ agent: "main" })` and let the vault find its key in the OS keychain.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createVault,
  isVaultError,
  keyFileKey,
  openVault,
  type SecretValue,
  type Vault,
} from "agent-vault";

/** What the agent needs from its vault, typed. */
interface ModelConfig {
  apiKey: SecretValue;
  model: string;
}

async function modelConfig(vault: Vault): Promise<ModelConfig> {
  return { apiKey: await vault.getSecret("OPENAI_API_KEY"), model: "gpt-5" };
}

const home = mkdtempSync(join(tmpdir(), "agent-vault-ts-example-"));
try {
  const { vault: setup } = await createVault({
    home,
    agent: "main",
    keySource: keyFileKey(join(home, "main.key")),
  });
  await setup.set("OPENAI_API_KEY", "sk-example-not-a-real-key", { tags: ["llm"] });
  setup.close();

  const vault = await openVault({ home, agent: "main" });
  try {
    const config = await modelConfig(vault);
    console.log(`model ${config.model}, key ${config.apiKey}`); // [redacted], never the value
    console.log(`key length ${config.apiKey.reveal().length}`);
    // A rotator in the agent's code: after create, every step is given the PENDING value.
    vault.registerRotator("example-provider", {
      create: () => `whk_${randomBytes(16).toString("hex")}`,
      verify: ({ pending }) => pending.reveal().startsWith("whk_"),
    });
    await vault.set("WEBHOOK_TOKEN", "whk_initial", {
      rotation: { schedule: "@monthly", rotator: "example-provider" },
    });
    const [outcome] = await vault.rotate({ names: ["WEBHOOK_TOKEN"], force: true });
    console.log(`rotated WEBHOOK_TOKEN: ${outcome?.result}`);
    await vault.get("ANTHROPIC_API_KEY").catch((error: unknown) => {
      if (!isVaultError(error)) throw error;
      console.log(`${error.code} (exit ${error.exitCode}): ${error.hint}`);
    });
  } finally {
    vault.close();
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
