/**
 * `vault run [--only NAME,...] [--tag T] [--prefix P] [--mask] [--pristine] -- CMD [ARGS...]`:
 * runs CMD without a shell with the selected secrets in its environment (issue 5).
 */
import { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { type RunStdio, runWithSecrets } from "../../run/spawn.js";
import type { CommandSpec } from "../command.js";
import { environmentWithoutVault, parseNameList, withVault } from "../context.js";
import type { CliIo } from "../io.js";
import { resolveEnvironment } from "./references.js";

/** A Writable that hands decoded UTF-8 text to `write` (a character split across chunks is kept whole). */
function textSink(write: (text: string) => void): Writable {
  const decoder = new StringDecoder("utf8");
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = decoder.write(chunk);
      if (text !== "") write(text);
      callback();
    },
    final(callback) {
      const text = decoder.end();
      if (text !== "") write(text);
      callback();
    },
  });
}

/**
 * The command's streams: the io's own, or stdin from readStdin() and output through
 * stdout()/stderr(); `finish` flushes the latter once the command is done.
 */
async function childStdio(io: CliIo): Promise<{ stdio: RunStdio; finish: () => void }> {
  if (io.childStdio) return { stdio: io.childStdio, finish: () => {} };
  const input = await io.readStdin();
  const stdout = textSink((text) => io.stdout(text));
  const stderr = textSink((text) => io.stderr(text));
  return {
    stdio: { stdin: Readable.from([input]), stdout, stderr },
    finish: () => {
      stdout.end();
      stderr.end();
    },
  };
}

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
    const { secrets, env } = await withVault(ctx, async (vault) => {
      const secrets = await vault.exportSecrets({
        ...(only === undefined ? {} : { only }),
        ...(typeof options.tag === "string" ? { tag: options.tag } : {}),
        ...(typeof options.prefix === "string" ? { prefix: options.prefix } : {}),
        purpose: "run",
      });
      // Variables whose whole value is vault://AGENT/NAME get the value (references.ts).
      const pristine = options.pristine === true;
      return {
        secrets,
        env: await resolveEnvironment(ctx, vault, environmentWithoutVault(ctx), pristine),
      };
    });
    // The vault is closed (its keys wiped) before the command starts: it may run for hours.
    const { stdio, finish } = await childStdio(ctx.io);
    try {
      return await runWithSecrets(command, rest, secrets, {
        env: env.env,
        maskAlso: env.values,
        cwd: ctx.io.cwd,
        mask: options.mask === true,
        allowNames: parseNameList(options.allowName, "--allow-name") ?? [],
        pristine: options.pristine === true,
        stdio,
        ...(ctx.io.signals ? { signals: ctx.io.signals } : {}),
      });
    } finally {
      finish();
    }
  },
};

/** `vault run` commands. */
export const runCommands: CommandSpec[] = [run];
