/**
 * `vault demo` (behind `npm run demo`): the main job end to end in a throwaway home on the
 * file store, with key files instead of the keychain so it runs on any machine.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isVaultError } from "../../errors.js";
import { ciKey, keyFileKey } from "../../keys/sources.js";
import { FileStore } from "../../store/file-store.js";
import { createVault, openVault } from "../../vault.js";
import type { CommandSpec } from "../command.js";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "opened (unexpected!)";
  } catch (error) {
    return isVaultError(error) ? `refused: ${error.code} (exit ${error.exitCode})` : "failed";
  }
}

const demo: CommandSpec = {
  name: "demo",
  summary: "a guided end-to-end run in a throwaway home (no keychain needed)",
  globals: [],
  options: [["--keep", "keep the throwaway home afterwards"]],
  async run(ctx, _args, options) {
    const out = (line = "") => ctx.io.stdout(`${line}\n`);
    const home = await fs.mkdtemp(join(tmpdir(), "agent-vault-demo-"));
    const store = new FileStore({ home });
    const now = () => ctx.io.now();
    const common = { store, now, actor: "demo@cli" };
    try {
      out(`agent-vault demo, in a throwaway home: ${home}`);
      out();
      out("1. Two agents, each with its own vault and its own master key (key files here;");
      out("   `vault init` uses the OS keychain by default)");
      const supportKey = join(home, "support.key");
      const researchKey = join(home, "research.key");
      const support = (
        await createVault({ ...common, agent: "support", keySource: keyFileKey(supportKey) })
      ).vault;
      const research = (
        await createVault({ ...common, agent: "research", keySource: keyFileKey(researchKey) })
      ).vault;
      out(`   support  -> ${support.location}`);
      out(`   research -> ${research.location}`);
      out();

      out("2. Secrets stored encrypted at rest (XChaCha20-Poly1305, one random nonce per value)");
      const openaiKey = `sk-demo-${randomBytes(20).toString("hex")}`;
      await support.set("OPENAI_API_KEY", openaiKey, {
        tags: ["llm"],
        description: "model provider key",
      });
      await support.set("SLACK_BOT_TOKEN", `xoxb-demo-${randomBytes(16).toString("hex")}`, {
        tags: ["channel"],
      });
      await research.set("ANTHROPIC_API_KEY", `sk-ant-demo-${randomBytes(20).toString("hex")}`);
      const fileText = await fs.readFile(support.location, "utf8");
      out(`   support:  ${(await support.list()).map((s) => s.name).join(", ")}`);
      out(`   research: ${(await research.list()).map((s) => s.name).join(", ")}`);
      out(
        `   plain value anywhere in the vault file: ${fileText.includes(openaiKey) ? "YES (bug!)" : "no"}`,
      );
      const readBack = await support.get("OPENAI_API_KEY");
      out(
        `   support reads OPENAI_API_KEY back: ${readBack === openaiKey ? "same value" : "DIFFERENT (bug!)"} (${readBack.length} characters, not printed)`,
      );
      out();

      out("3. One agent's key cannot open the other's vault");
      out(
        `   research's key file on support's vault:  ${await codeOf(openVault({ ...common, agent: "support", keySource: keyFileKey(researchKey) }))}`,
      );
      const copy = join(home, "agents", "research", "vault.json");
      const original = await fs.readFile(copy);
      await fs.copyFile(support.location, copy);
      out(
        `   support's vault file copied over research's: ${await codeOf(openVault({ ...common, agent: "research", keySource: keyFileKey(supportKey) }))}`,
      );
      await fs.writeFile(copy, original, { mode: 0o600 });
      out();

      out("4. A vault file edited by hand is refused");
      const edited = fileText.replace('"SLACK_BOT_TOKEN"', '"SLACK_BOT_TOKEM"');
      const supportFile = support.location;
      await fs.writeFile(supportFile, edited, { mode: 0o600 });
      out(
        `   renamed a secret in the file: ${await codeOf(openVault({ ...common, agent: "support", keySource: keyFileKey(supportKey) }))}`,
      );
      await fs.writeFile(supportFile, fileText, { mode: 0o600 });
      out();

      out("5. An independent key for CI, revocable on its own");
      const ci = await support.addCiKey("github-actions");
      const viaCi = await openVault({ ...common, agent: "support", keySource: ciKey(ci.key) });
      out(
        `   with AGENT_VAULT_KEY=<the printed key>: ${(await viaCi.list()).length} secrets readable`,
      );
      viaCi.close();
      await support.revokeKey("github-actions");
      out(
        `   after \`vault key revoke github-actions\`: ${await codeOf(openVault({ ...common, agent: "support", keySource: ciKey(ci.key) }))}`,
      );
      out(`   the key file still opens it: ${(await support.list()).length} secrets`);
      out();

      out("6. Every access is in the audit log (names, never values), on a keyed hash chain");
      const records = await support.auditRecords();
      for (const record of records.slice(-4)) {
        out(
          `   ${record.time}  ${record.op.padEnd(10)} ${(record.secret ?? "").padEnd(18)} ${record.result}${record.code ? ` ${record.code}` : ""}`,
        );
      }
      const verified = await support.verifyAudit();
      out(
        `   vault audit --verify: ${verified.ok ? "intact" : "BROKEN"} (${verified.records} records)`,
      );
      support.close();
      research.close();
      out();

      out("Next, for your own agent:");
      out("   vault init                                  # master key in the OS keychain");
      out("   vault init --key-source passphrase          # headless hosts");
      out('   printf %s "$OPENAI_API_KEY" | vault set OPENAI_API_KEY');
      out("   vault key add-ci github-actions             # then AGENT_VAULT_KEY in CI");
      out("   vault doctor                                # permissions, keys, keychain");
      return 0;
    } finally {
      if (options.keep) out(`(kept ${home})`);
      else await fs.rm(home, { recursive: true, force: true });
    }
  },
};

/** `vault demo`. */
export const demoCommands: CommandSpec[] = [demo];
