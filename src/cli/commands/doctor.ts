/**
 * `vault doctor`: permissions, where each agent's key lives, whether the keychain answers, and
 * anything insecure, each with its fix. Exit 1 when anything fails.
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { wipe } from "../../crypto/sodium.js";
import { isVaultError } from "../../errors.js";
import { readKeyFile } from "../../keys/key-file.js";
import { defaultKeyStore } from "../../keys/keystore/default.js";
import {
  HOST_ROTATORS_FILE,
  type HostRotators,
  placeRotator,
  readHostRotators,
} from "../../rotation/host-rotators.js";
import { parseRotatorSpec } from "../../rotation/rotator-spec.js";
import { AGENT_DATA_FILES, isInterruptedWriteLeftover } from "../../store/file-store.js";
import { readVaultInfo } from "../../vault.js";
import { type CommandSpec, emit } from "../command.js";

/** One finding of the doctor. */
interface Check {
  level: "ok" | "warn" | "fail";
  subject: string;
  message: string;
  fix?: string;
}

async function modeCheck(
  path: string,
  subject: string,
  kind: "folder" | "file",
): Promise<Check | undefined> {
  let stat: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    stat = await fs.lstat(path);
  } catch {
    return undefined;
  }
  const mode = (stat.mode & 0o777).toString(8);
  if (stat.uid !== process.getuid?.()) {
    return {
      level: "fail",
      subject,
      message: `${path} is owned by uid ${stat.uid}, not you`,
      fix: `chown $(id -u) '${path}'`,
    };
  }
  if ((stat.mode & 0o077) !== 0) {
    return {
      level: "fail",
      subject,
      message: `${path} has mode ${mode}: other users can access it`,
      fix: `chmod ${kind === "folder" ? 700 : 600} '${path}'`,
    };
  }
  return { level: "ok", subject, message: `${path} mode ${mode}` };
}

/** The agent folder's and files' modes, and temp files left by an interrupted write. */
async function checkAgentFolder(home: string, agent: string, checks: Check[]): Promise<void> {
  const dir = join(home, "agents", agent);
  const add = (check: Check | undefined) => check && checks.push(check);
  add(await modeCheck(dir, `agent ${agent}`, "folder"));
  for (const file of AGENT_DATA_FILES) {
    add(await modeCheck(join(dir, file), `agent ${agent}`, "file"));
  }
  const leftovers = (await fs.readdir(dir)).filter(isInterruptedWriteLeftover);
  if (leftovers.length > 0) {
    checks.push({
      level: "warn",
      subject: `agent ${agent}`,
      message: `${leftovers.length} temp file(s) left by an interrupted write`,
      fix: "They are removed by the next write (e.g. vault set).",
    });
  }
}

/** This host's rotators.json: readable, private, well formed. */
function checkHostRotators(home: string, checks: Check[]): HostRotators {
  try {
    const rotators = readHostRotators(home);
    if (rotators.size > 0) {
      checks.push({
        level: "ok",
        subject: "rotators",
        message: `${HOST_ROTATORS_FILE} serves ${[...rotators.keys()].join(", ")}`,
      });
    }
    return rotators;
  } catch (error) {
    if (!isVaultError(error)) throw error;
    checks.push({ level: "fail", subject: "rotators", message: error.message, fix: error.hint });
    return new Map();
  }
}

/** Each rotated secret's rotator: where it runs on this host, and what to do when nowhere. */
function checkRotators(
  agent: string,
  rotators: Array<{ name: string; rotator: string }>,
  hostRotators: HostRotators,
  checks: Check[],
): void {
  for (const { name, rotator } of rotators) {
    let spec: ReturnType<typeof parseRotatorSpec>;
    try {
      spec = parseRotatorSpec(rotator);
    } catch {
      checks.push({
        level: "fail",
        subject: `agent ${agent} rotator of ${name}`,
        message: "the stored rotator is not valid",
        fix: `vault schedule ${name} --agent ${agent} --rotator random:32 (or a name rotators.json serves)`,
      });
      continue;
    }
    const place = placeRotator(spec, { agent, host: hostRotators, registered: new Set() });
    const subject = `agent ${agent} rotator of ${name}`;
    if (place.place === "host" && spec.kind === "command") {
      checks.push({
        level: "warn",
        subject,
        message: `a command: spec, allowed because ${HOST_ROTATORS_FILE} names it "${place.hostName}"`,
        fix: `vault schedule ${name} --agent ${agent} --rotator ${place.hostName}`,
      });
    } else if (place.place === "nowhere" && spec.kind === "command") {
      checks.push({
        level: "fail",
        subject,
        message: `a command: spec this host does not run (a vault never chooses the program a host runs)`,
        fix: `If you trust that command, add it to ${HOST_ROTATORS_FILE} in this home under a name, e.g. {"rotators": {"NAME": {"command": ["/path", "arg"]}}}, then: vault schedule ${name} --agent ${agent} --rotator NAME`,
      });
    } else if (place.place === "nowhere" && spec.kind === "registered") {
      checks.push({
        level: "warn",
        subject,
        message: hostRotators.has(spec.name)
          ? `rotator ${spec.name} of this host does not serve agent ${agent}`
          : `rotator ${spec.name} is not in this host's ${HOST_ROTATORS_FILE}`,
        fix: hostRotators.has(spec.name)
          ? `Add ${agent} to its "agents" list in ${HOST_ROTATORS_FILE} if that agent may use it.`
          : `Fine if the agent's code registers it and runs the rotation; otherwise map it on the host that runs vault rotate.`,
      });
    }
  }
}

const doctor: CommandSpec = {
  name: "doctor",
  summary: "check permissions, key sources, keychain reachability; print fixes",
  async run(ctx) {
    const checks: Check[] = [];
    const add = (check: Check | undefined) => check && checks.push(check);
    try {
      await fs.access(ctx.home);
      add(await modeCheck(ctx.home, "home", "folder"));
    } catch {
      checks.push({
        level: "warn",
        subject: "home",
        message: `${ctx.home} does not exist yet`,
        fix: "vault init",
      });
    }

    const keyStore = defaultKeyStore();
    let keychainOk = false;
    try {
      await keyStore.probe();
      keychainOk = true;
      checks.push({ level: "ok", subject: "keychain", message: "the OS keychain answers" });
    } catch (error) {
      if (!isVaultError(error)) throw error;
      checks.push({
        level: "warn",
        subject: "keychain",
        message: `${error.message} (${error.code})`,
        fix: error.hint,
      });
    }

    if (ctx.io.env.AGENT_VAULT_PASSPHRASE) {
      checks.push({
        level: "warn",
        subject: "environment",
        message:
          "$AGENT_VAULT_PASSPHRASE is set: every process of yours can read it (/proc/PID/environ)",
        fix: "Prefer --passphrase-file with a 0600 file, or a keychain slot.",
      });
    }

    const hostRotators = checkHostRotators(ctx.home, checks);
    const agents = await ctx.store.listAgents();
    const open = [...hostRotators].filter(([, command]) => command.agents === undefined);
    if (agents.length > 1 && open.length > 0) {
      checks.push({
        level: "warn",
        subject: "rotators",
        message: `${open.map(([name]) => name).join(", ")} serve every agent of this home: any agent's vault may name them`,
        fix: `Give each an "agents" list in ${HOST_ROTATORS_FILE}, so one agent cannot have another's provider rotator make it a key.`,
      });
    }

    for (const agent of agents) {
      // Folder modes and leftover temp files exist only in the file store.
      if (ctx.store.kind === "file") await checkAgentFolder(ctx.home, agent, checks);
      let info: Awaited<ReturnType<typeof readVaultInfo>>;
      try {
        info = await readVaultInfo({ ...ctx.vaultOptions, agent });
      } catch (error) {
        if (!isVaultError(error)) throw error;
        checks.push({
          level: "fail",
          subject: `agent ${agent}`,
          message: error.message,
          fix: error.hint,
        });
        continue;
      }
      checks.push({
        level: "ok",
        subject: `agent ${agent}`,
        message: `${info.secrets} secrets, generation ${info.generation}`,
      });
      for (const slot of info.keys) {
        const subject = `agent ${agent} key ${slot.label}`;
        if (slot.type === "keyfile" && slot.keyFile) {
          try {
            wipe(await readKeyFile(slot.keyFile));
            checks.push({
              level: "ok",
              subject,
              message: `key file ${slot.keyFile} is readable and private`,
            });
          } catch (error) {
            if (!isVaultError(error)) throw error;
            checks.push({ level: "fail", subject, message: error.message, fix: error.hint });
          }
        } else if (slot.type === "keychain" && slot.account) {
          if (!keychainOk) {
            checks.push({
              level: "fail",
              subject,
              message: "its keychain is unreachable (see above)",
              fix: "Unlock with another key slot meanwhile.",
            });
            continue;
          }
          const key = await keyStore.get(slot.account).catch(() => undefined);
          if (key) {
            wipe(key);
            checks.push({
              level: "ok",
              subject,
              message: `keychain item agent-vault/${slot.account} is present`,
            });
          } else {
            checks.push({
              level: "fail",
              subject,
              message: `keychain item agent-vault/${slot.account} is missing or locked`,
              fix: "Unlock the keychain; if the item is gone, open the vault with another slot and `vault key revoke` this one.",
            });
          }
        } else {
          checks.push({
            level: "ok",
            subject,
            message: `${slot.type} slot created ${slot.createdAt}`,
          });
        }
      }
      checkRotators(agent, info.rotation.rotators, hostRotators, checks);
      if (info.rotation.overdue.length > 0) {
        checks.push({
          level: "fail",
          subject: `agent ${agent} rotation`,
          message: `overdue: ${info.rotation.overdue.join(", ")}`,
          fix: `Run \`vault rotate --agent ${agent}\` (or set new values), and check its cron job or timer.`,
        });
      }
      if (info.rotation.failing.length > 0) {
        checks.push({
          level: "warn",
          subject: `agent ${agent} rotation`,
          message: `failing: ${info.rotation.failing.join(", ")}`,
          fix: `See \`vault status --agent ${agent}\` for the failed step and its message.`,
        });
      }
      if (info.keys.length === 1) {
        checks.push({
          level: "warn",
          subject: `agent ${agent}`,
          message: "only one key slot: losing that key loses the vault",
          fix: "Add a recovery key and keep it offline: vault key add-ci recovery",
        });
      }
    }

    const failed = checks.filter((check) => check.level === "fail").length;
    emit(ctx, { home: ctx.home, ok: failed === 0, checks }, [
      ...checks.map(
        (check) =>
          `${check.level.toUpperCase().padEnd(4)}  ${check.subject}: ${check.message}${check.fix ? `\n      fix: ${check.fix}` : ""}`,
      ),
      failed === 0 ? "No problems found." : `${failed} problem(s) found.`,
    ]);
    return failed === 0 ? 0 : 1;
  },
};

/** `vault doctor`. */
export const doctorCommands: CommandSpec[] = [doctor];
