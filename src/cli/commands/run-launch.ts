/**
 * Starting the command of `vault run` once its secrets are read: its streams, the variables
 * it gets, masking. Run by the CLI that was asked, whether it read the secrets itself or a
 * `vault agent` read them for it (the plan then comes over the agent's socket).
 */
import { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { type RunSecret, type RunStdio, runWithSecrets } from "../../run/spawn.js";
import { parseNameList } from "../context.js";
import type { CliIo } from "../io.js";
import { reportFailure } from "../report.js";

/** What `vault run` starts: the command, its secrets and environment, and the run's options. */
export interface RunPlan {
  command: string;
  args: string[];
  secrets: RunSecret[];
  env: Record<string, string | undefined>;
  /** Values of variables that were references, masked too with `mask`. */
  maskAlso: Array<{ name: string; value: string }>;
  mask: boolean;
  allowName?: string | string[];
  pristine: boolean;
  /** `--json` was given (how a failure to start is reported). */
  json: boolean;
}

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

/** Starts the planned command and returns its exit code. @throws VaultError as runWithSecrets */
export async function launchRun(io: CliIo, plan: RunPlan): Promise<number> {
  const { stdio, finish } = await childStdio(io);
  try {
    return await runWithSecrets(plan.command, plan.args, plan.secrets, {
      env: plan.env,
      maskAlso: plan.maskAlso,
      cwd: io.cwd,
      mask: plan.mask,
      allowNames: parseNameList(plan.allowName, "--allow-name") ?? [],
      pristine: plan.pristine,
      stdio,
      ...(io.signals ? { signals: io.signals } : {}),
    });
  } finally {
    finish();
  }
}

/** {@link launchRun} for a plan an agent sent: a failure is reported as the command would. */
export async function launchAgentRun(io: CliIo, plan: RunPlan): Promise<number> {
  try {
    return await launchRun(io, plan);
  } catch (error) {
    return reportFailure(io, plan.json, error);
  }
}
