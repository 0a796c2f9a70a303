/**
 * The files of a `vault agent` in its home: the agents' folder (0700), what a stopped or killed
 * agent left behind, and whether an agent already answers there.
 */
import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import { ioError, vaultError } from "../errors.js";
import { askAgent } from "./agent-client.js";
import { agentFolder } from "./agent-protocol.js";

/**
 * Makes the agents' folder (0700), or checks the one there: a real folder of this user's, not
 * a symlink, made private if it was not.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS
 */
export async function prepareAgentFolder(home: string): Promise<void> {
  const folder = agentFolder(home);
  await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw ioError(error, "create the agent folder");
  });
  const info = await lstat(folder).catch((error: unknown) => {
    throw ioError(error, "check the agent folder");
  });
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
    throw vaultError(
      "INSECURE_PERMISSIONS",
      `Refusing the agent folder ${folder}: it is not a folder of this user's.`,
      `Remove it (rm -r '${folder}') and start the agent again.`,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    await chmod(folder, 0o700).catch((error: unknown) => {
      throw ioError(error, "make the agent folder private");
    });
  }
}

/** Removes what a stopped or killed agent left at `path` (unlink never follows a symlink). */
export async function removeStale(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw ioError(error, "remove a stale agent file");
  });
}

/**
 * Refuses to start over an agent that answers at the socket.
 * @throws VaultError ALREADY_EXISTS
 */
export async function refuseRunningAgent(home: string, agent: string): Promise<void> {
  const status = await askAgent({ home, agent }, { op: "status" });
  if (status && status.running === true && status.locked !== true) {
    throw vaultError(
      "ALREADY_EXISTS",
      `An agent for ${agent} is already running (pid ${String(status.pid)}).`,
      "Use it, or stop it first: vault agent stop",
    );
  }
  if (status && status.running === true) {
    // A locked agent is replaced.
    await askAgent({ home, agent }, { op: "stop" });
    await waitUntilGone(home, agent);
  }
}

/** Waits (up to 5 s) until no agent answers at the socket. */
export async function waitUntilGone(home: string, agent: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (!(await askAgent({ home, agent }, { op: "status" }))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
