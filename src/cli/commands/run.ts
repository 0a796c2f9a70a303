/**
 * `vault run [--only NAME,...] [--tag T] [--prefix P] [--mask] [--pristine] -- CMD [ARGS...]`:
 * runs CMD without a shell with the selected secrets in its environment.
 */
import { checkExportEntries } from "../../export/variable-names.js";
import { checkCommandStarts } from "../../run/spawn.js";
import { auditRunNotStarted } from "../../vault/export.js";
import type { CommandSpec } from "../command.js";
import { environmentWithoutVault, parseNameList, withVault } from "../context.js";
import { resolveEnvironment } from "./references.js";
import { launchRun, type RunPlan } from "./run-launch.js";

const run: CommandSpec = {
  name: "run",
  summary: "run a command with the selected secrets in its environment (no shell)",
  args: ["<command>", "[args...]"],
  passThrough: true,
  options: [
    ["--allow-name <names>", "export these dangerous variable names anyway (comma-separated)"],
    ["--only <names>", "only these secrets (comma-separated names)"],
    ["--tag <tag>", "only secrets with this tag"],
    ["--prefix <prefix>", "added in front of each variable name"],
    ["--mask", "replace the values (and their base64, hex, URL forms) in its output"],
    ["--pristine", "give the command only PATH, HOME and the secrets"],
  ],
  help: [
    "",
    "Everything after -- is the command and its arguments, passed as they are (no shell).",
    "The command's exit code is vault's; 128+n when signal n ended it. SIGINT, SIGTERM and",
    "SIGHUP are forwarded to it. The vault's own variables are not passed on: every",
    "$AGENT_VAULT_*, and on a PostgreSQL store $PGPASSWORD, $PGPASSFILE and the other libpq",
    "variables that hold or locate its credentials.",
    "A variable whose whole value is a reference (vault://AGENT/NAME) gets its value (read from",
    "AGENT's vault, audited; masked with --mask); a malformed one is an error.",
    "",
    "Examples:",
    "  vault run -- npm test",
    "  vault run --only OPENAI_API_KEY --mask -- node agent.js --verbose",
    "  vault run --tag ci --pristine -- ./deploy.sh",
    "",
  ].join("\n"),
  async run(ctx, args, options) {
    const [command, ...rest] = args as [string, ...string[]];
    const only = parseNameList(options.only, "--only");
    const allowNames = parseNameList(options.allowName, "--allow-name") ?? [];
    const { secrets, env } = await withVault(ctx, async (vault) => {
      const secrets = await vault.exportSecrets({
        ...(only === undefined ? {} : { only }),
        ...(typeof options.tag === "string" ? { tag: options.tag } : {}),
        ...(typeof options.prefix === "string" ? { prefix: options.prefix } : {}),
        purpose: "run",
      });
      try {
        // Variables whose whole value is vault://AGENT/NAME get the value (references.ts).
        const pristine = options.pristine === true;
        const env = await resolveEnvironment(ctx, vault, environmentWithoutVault(ctx), pristine);
        // What would stop the command from starting fails here, while the log can say so.
        checkExportEntries(secrets, { allowNames });
        await checkCommandStarts(command, env.env.PATH, ctx.io.cwd);
        return { secrets, env };
      } catch (error) {
        const names = secrets.map((secret) => secret.name);
        await auditRunNotStarted((entries) => vault.recordAudit(entries), names, error);
        throw error;
      }
    });
    // The vault is closed (its keys wiped) before the command starts: it may run for hours.
    const plan: RunPlan = {
      command,
      args: rest,
      secrets,
      env: env.env,
      maskAlso: env.values,
      mask: options.mask === true,
      ...(options.allowName === undefined
        ? {}
        : { allowName: options.allowName as string | string[] }),
      pristine: options.pristine === true,
      json: ctx.json,
    };
    // Inside a `vault agent`, the client that asked starts the command.
    return ctx.io.launchRun ? ctx.io.launchRun(plan) : launchRun(ctx.io, plan);
  },
};

/** `vault run` commands. */
export const runCommands: CommandSpec[] = [run];
