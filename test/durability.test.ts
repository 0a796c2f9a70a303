/**
 * Durability and concurrency (security-bar.md, "Durability and concurrency"): writers killed
 * with SIGKILL mid-write, eight processes writing one vault while a ninth reads, a full disk,
 * a writer that stalls past the lock's stale time, and orphan temp files.
 *
 * The child processes are the scripts in test/fixtures/durability/, which run the library
 * bundled from the sources for them (test/setup/test-library.ts). The test process checks the
 * outcome through the sources.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createVault,
  FileStore,
  isVaultError,
  keyFileKey,
  openVault,
  type Vault,
} from "../src/index.js";
import { need } from "./helpers/capabilities.js";
import { ROOT, tempDir } from "./helpers/cli.js";
import { ON_FILE_STORE, prepareHome } from "./helpers/test-store.js";

const FIXTURES = join(ROOT, "test/fixtures/durability");
const AGENT = "main";
const encoder = new TextEncoder();

/** A child process whose stdout is read line by line. */
interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves with the first line starting with `prefix` (now or later). */
  line(prefix: string): Promise<string>;
  /** Resolves when the process has exited and its output is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function spawnFixture(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [join(FIXTURES, script), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffered = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    let end = buffered.indexOf("\n");
    while (end >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (line.startsWith(waiter.prefix)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      end = buffered.indexOf("\n");
    }
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.on("error", () => undefined); // a killed child closes its stdin
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
  return {
    process: child,
    lines,
    exited,
    line(prefix) {
      const found = lines.find((line) => line.startsWith(prefix));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve });
        exited.then(({ code, signal, stderr: err }) => {
          if (waiters.some((waiter) => waiter.resolve === resolve)) {
            reject(
              new Error(
                `${script} exited (${code ?? signal}) before printing "${prefix}": ${err.slice(-2000)}`,
              ),
            );
          }
        });
      });
    },
  };
}

interface Write {
  name: string;
  value: string;
}

interface Ack extends Write {
  version: number;
}

function acksOf(lines: string[]): Ack[] {
  return lines
    .filter((line) => line.startsWith("ack "))
    .map((line) => {
      const [, name, version, value] = line.split(" ");
      return { name: name as string, version: Number(version), value: value as string };
    });
}

/** Writes whose set() rejected: they may or may not have reached the vault. */
function failedOf(lines: string[]): (Write & { code: string })[] {
  return lines
    .filter((line) => line.startsWith("err "))
    .map((line) => {
      const [, name, value, code] = line.split(" ");
      return { name: name as string, value: value as string, code: code as string };
    });
}

/** The write a killed writer had started but not seen acknowledged, if any. */
function inFlightOf(lines: string[]): Write | undefined {
  const last = lines.filter((line) => line.startsWith("try ") || line.startsWith("ack ")).at(-1);
  if (!last?.startsWith("try ")) return undefined;
  const [, name, value] = last.split(" ");
  return { name: name as string, value: value as string };
}

/**
 * Opens the vault a killed writer left. A store that does not answer in time (IO_ERROR: a
 * PostgreSQL server slow to take a connection while the 2 cores run three lanes of writers) is
 * asked again, up to three times, 2 s apart: that is the store's availability, not the vault's
 * state. A vault that is corrupt (CORRUPT) or still unreachable after that fails at once.
 */
async function openAfterKill(home: string, keyFile: string, onRetry: () => void): Promise<Vault> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
    } catch (error) {
      if (attempt >= 4 || !isVaultError(error) || error.code !== "IO_ERROR") throw error;
      onRetry();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

function agentFiles(home: string): string[] {
  return readdirSync(join(home, "agents", AGENT)).sort();
}

describe("a writer killed with SIGKILL at a random point of a write", () => {
  it("leaves no corrupt vault and loses no acknowledged write over 200+ kills", async () => {
    const KILLS_PER_LANE = 70;
    const LANES = 3;
    const NAMES = 8;
    const HISTORY_LIMIT = 5;
    const tally = {
      kills: 0,
      corrupt: 0,
      acked: 0,
      ackedPastHistory: 0,
      lostAcked: 0,
      wrongCurrent: 0,
      failedWrites: 0,
      inFlightCommitted: 0,
      inFlightNotCommitted: 0,
      killsWithoutAck: 0,
      auditOkAfterKill: 0,
      auditTornLastLineAfterKill: 0,
      auditOtherProblemAfterKill: 0,
      auditNotOkAfterNextAppend: 0,
      openRetries: 0,
    };
    const problems: string[] = [];
    const delays: number[] = [];
    const leftovers: string[] = [];
    const started = Date.now();

    // Removed once every lane is done: on PostgreSQL, removing a home drops its database with a
    // synchronous call, which would stall this process (and the kill timers of the other lanes).
    const dirs: ReturnType<typeof tempDir>[] = [];
    async function lane(index: number): Promise<void> {
      const dir = tempDir("agent-vault-kill-");
      dirs.push(dir);
      const home = join(dir.path, "home");
      prepareHome(home);
      const keyFile = join(dir.path, "key");
      const { vault: created } = await createVault({
        home,
        agent: AGENT,
        keySource: keyFileKey(keyFile),
        historyLimit: HISTORY_LIMIT,
      });
      created.close();
      // What the vault must hold: the last acknowledged (or found committed) write per name.
      const model = new Map<string, { version: number; value: string }>();
      const args = [home, AGENT, keyFile, `L${index}`, String(NAMES), "0", "0", "30000"];
      // The next writers start (and load the library) while the current one runs.
      const queue = [spawnFixture("writer.mjs", args), spawnFixture("writer.mjs", args)];
      for (let kill = 0; kill < KILLS_PER_LANE; kill++) {
        const child = queue.shift() as Child;
        await child.line("loaded");
        // Most kills land 0-50 ms into the first writes; every third one 0-50 ms after the
        // first acknowledgement, so that there are acknowledged writes to lose.
        const delay = Math.random() * 50;
        delays.push(delay);
        child.process.stdin.write("go\n");
        const start = kill % 3 === 2 ? ["ack ", "err "] : ["ready"];
        await Promise.race(start.map((prefix) => child.line(prefix))).catch(() => undefined);
        setTimeout(() => child.process.kill("SIGKILL"), delay);
        const { signal, code, stderr } = await child.exited;
        if (kill + queue.length + 1 < KILLS_PER_LANE) queue.push(spawnFixture("writer.mjs", args));
        if (signal !== "SIGKILL") {
          problems.push(`lane ${index} kill ${kill}: writer exited ${code}: ${stderr}`);
          continue;
        }
        tally.kills += 1;
        const acks = acksOf(child.lines);
        tally.acked += acks.length;
        if (acks.length === 0) tally.killsWithoutAck += 1;
        for (const failed of failedOf(child.lines)) {
          tally.failedWrites += 1;
          problems.push(`lane ${index} kill ${kill}: set ${failed.name} failed: ${failed.code}`);
        }

        let vault: Vault;
        try {
          vault = await openAfterKill(home, keyFile, () => {
            tally.openRetries += 1;
          });
        } catch (error) {
          tally.corrupt += 1;
          problems.push(`lane ${index} kill ${kill}: vault does not open: ${String(error)}`);
          break;
        }
        try {
          // The audit log first: reading secrets appends to it.
          const audit = await vault.verifyAudit();
          const torn =
            audit.problems.length === 1 &&
            audit.problems[0]?.startsWith(`line ${audit.records}: not a well-formed`);
          if (audit.ok) tally.auditOkAfterKill += 1;
          else if (torn) tally.auditTornLastLineAfterKill += 1;
          else {
            tally.auditOtherProblemAfterKill += 1;
            problems.push(`lane ${index} kill ${kill}: audit ${audit.problems.join("; ")}`);
          }

          // Every acknowledged write reads back, under the version its writer was told, unless
          // later writes pushed it out of the history (a writer killed late, on a slow machine,
          // may have set a name more than HISTORY_LIMIT times).
          const listed = await vault.list();
          const versionNow = new Map(listed.map((secret) => [secret.name, secret.version]));
          for (const ack of acks) {
            if (ack.version <= (versionNow.get(ack.name) ?? 0) - HISTORY_LIMIT) {
              tally.ackedPastHistory += 1;
              model.set(ack.name, { version: ack.version, value: ack.value });
              continue;
            }
            const read = await vault
              .get(ack.name, { version: ack.version })
              .catch((error: Error) => `error ${error.message}`);
            if (read !== ack.value) {
              tally.lostAcked += 1;
              problems.push(`lane ${index} kill ${kill}: acked ${ack.name} v${ack.version} lost`);
            }
            model.set(ack.name, { version: ack.version, value: ack.value });
          }
          // Every name is at its last acknowledged write, or at the one cut short by the kill.
          const inFlight = inFlightOf(child.lines);
          let inFlightLanded = false;
          for (const name of model.keys()) {
            if (!listed.some((secret) => secret.name === name)) {
              tally.lostAcked += 1;
              problems.push(`lane ${index} kill ${kill}: ${name} disappeared`);
            }
          }
          for (const secret of listed) {
            const expected = model.get(secret.name);
            // A name at the version last read back (above, or after an earlier kill) is fine.
            if (expected && secret.version === expected.version) continue;
            if (
              inFlight?.name === secret.name &&
              secret.version === (expected?.version ?? 0) + 1 &&
              (await vault.get(secret.name)) === inFlight.value
            ) {
              // The write in progress at the kill reached the disk before its acknowledgement.
              inFlightLanded = true;
              model.set(secret.name, { version: secret.version, value: inFlight.value });
              continue;
            }
            tally.wrongCurrent += 1;
            problems.push(
              `lane ${index} kill ${kill}: ${secret.name} is v${secret.version}, expected v${expected?.version}`,
            );
          }
          if (inFlight) {
            if (inFlightLanded) tally.inFlightCommitted += 1;
            else tally.inFlightNotCommitted += 1;
          }
          // A torn last audit line was never acknowledged; the next append cuts it off.
          if (!audit.ok && !(await vault.verifyAudit()).ok) tally.auditNotOkAfterNextAppend += 1;
        } finally {
          vault.close();
        }
      }
      // Lock and temp files left behind: only the file store writes any.
      if (ON_FILE_STORE) leftovers.push(...agentFiles(home));
    }

    try {
      await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
    } finally {
      for (const dir of dirs) dir.cleanup();
    }
    const sorted = [...delays].sort((a, b) => a - b);
    const litter = leftovers.filter((name) => !/^(vault\.json|audit\.(jsonl|head))$/.test(name));
    console.log(
      "SIGKILL loop:",
      JSON.stringify({
        ...tally,
        seconds: (Date.now() - started) / 1000,
        delayMs: [sorted[0], sorted[Math.floor(sorted.length / 2)], sorted.at(-1)].map((ms) =>
          Number(ms?.toFixed(1)),
        ),
        leftoverLockFiles: litter.filter((name) => name.includes(".lock")).length,
        leftoverTempFiles: litter.filter((name) => name.startsWith(".tmp-")).length,
      }),
    );
    expect(problems).toEqual([]);
    expect(tally.kills).toBeGreaterThanOrEqual(200);
    expect(tally.corrupt).toBe(0);
    expect(tally.lostAcked).toBe(0);
    expect(tally.wrongCurrent).toBe(0);
    expect(tally.auditOtherProblemAfterKill).toBe(0);
    expect(tally.auditNotOkAfterNextAppend).toBe(0);
    // The kills did land in the middle of writing, not only between writes.
    expect(tally.acked).toBeGreaterThan(0);
    expect(tally.inFlightCommitted + tally.inFlightNotCommitted).toBeGreaterThan(0);
  });
});

describe("eight processes writing one vault while a ninth reads and a tenth rotates", () => {
  it("loses no update and keeps every version in the history", async () => {
    const WRITERS = 8;
    const WRITES = 20;
    const SHARED_EVERY = 4;
    const NAMES = 3;
    const dir = tempDir("agent-vault-concurrent-");
    try {
      const home = join(dir.path, "home");
      prepareHome(home);
      const keyFile = join(dir.path, "key");
      const lockTimeoutMs = "60000";
      const { vault: created } = await createVault({
        home,
        agent: AGENT,
        keySource: keyFileKey(keyFile),
        historyLimit: 1000,
      });
      await created.set("SHARED", "initial");
      await created.set("ROTATING", "initial-rotating", {
        rotation: { maxAge: "30d", rotator: "random:32" },
      });
      created.close();

      const writers = Array.from({ length: WRITERS }, (_, index) =>
        spawnFixture("writer.mjs", [
          home,
          AGENT,
          keyFile,
          `W${index}`,
          String(NAMES),
          String(WRITES),
          String(SHARED_EVERY),
          lockTimeoutMs,
        ]),
      );
      const reader = spawnFixture("reader.mjs", [home, AGENT, keyFile, lockTimeoutMs]);
      const rotator = spawnFixture("rotator-loop.mjs", [
        home,
        AGENT,
        keyFile,
        lockTimeoutMs,
        "ROTATING",
      ]);
      await Promise.all([...writers, reader, rotator].map((child) => child.line("loaded")));
      reader.process.stdin.write("go\n");
      rotator.process.stdin.write("go\n");
      await reader.line("ready");
      await rotator.line("ready");
      const started = Date.now();
      for (const writer of writers) writer.process.stdin.write("go\n");
      await Promise.all(writers.map((writer) => writer.exited));
      const seconds = (Date.now() - started) / 1000;
      reader.process.stdin.write("stop\n");
      rotator.process.stdin.write("stop\n");
      await reader.exited;
      await rotator.exited;
      const rotations = Number(
        rotator.lines.find((line) => line.startsWith("rotations "))?.split(" ")[1],
      );
      const rotatorProblems = rotator.lines.filter((line) => line.startsWith("err "));

      const acks = writers.flatMap((writer) => acksOf(writer.lines));
      const failed = writers.flatMap((writer) => failedOf(writer.lines));
      const readerProblems = reader.lines.filter(
        (line) => line.startsWith("err ") || line.startsWith("backwards "),
      );
      const reads = Number(reader.lines.find((line) => line.startsWith("reads "))?.split(" ")[1]);

      // Every version of every name is an acknowledged write (under the version its writer was
      // told) or a write whose set() failed; no acknowledged write is missing.
      const vault = await openVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
      let lost = 0;
      let failedButStored = 0;
      const strangers: string[] = [];
      try {
        const names = new Set([...acks, ...failed].map((write) => write.name));
        for (const name of names) {
          const history = await vault.history(name);
          // historyLimit 1000 keeps them all: versions run 1..n with no gap.
          expect(history.map((entry) => entry.version)).toEqual(history.map((_, i) => i + 1));
          const stored = new Map<number, string>();
          for (const { version } of history)
            stored.set(version, await vault.get(name, { version }));
          for (const ack of acks.filter((write) => write.name === name)) {
            if (stored.get(ack.version) === ack.value) stored.delete(ack.version);
            else lost += 1;
          }
          if (name === "SHARED" && stored.get(1) === "initial") stored.delete(1);
          for (const [version, value] of stored) {
            if (failed.some((write) => write.name === name && write.value === value))
              failedButStored += 1;
            else strangers.push(`${name} v${version}`);
          }
        }
        // Every rotation is one new version of ROTATING, numbered without gaps.
        const rotated = await vault.history("ROTATING");
        expect(rotated.map((entry) => entry.version)).toEqual(rotated.map((_, i) => i + 1));
        expect(rotated).toHaveLength(Math.min(1000, rotations + 1));
        const audit = await vault.verifyAudit();
        const setRecords = (await vault.auditRecords()).filter(
          (record) => record.op === "set" && record.result === "ok",
        );
        console.log(
          "8 writers + 1 reader + 1 rotator:",
          JSON.stringify({
            acknowledgedWrites: acks.length,
            failedWrites: failed.length,
            failedButStored,
            lostAcknowledged: lost,
            seconds,
            writesPerSecond: Number((acks.length / seconds).toFixed(1)),
            readerRounds: reads,
            readerProblems,
            rotations,
            rotatorProblems,
            failures: [...new Set(failed.map((write) => write.code))],
            auditProblems: audit.problems.length,
          }),
        );
        expect(lost).toBe(0);
        expect(strangers).toEqual([]);
        expect(readerProblems).toEqual([]);
        expect(reads).toBeGreaterThan(0);
        expect(rotatorProblems).toEqual([]);
        expect(rotations).toBeGreaterThan(0);
        expect(audit.problems).toEqual([]);
        expect(setRecords).toHaveLength(acks.length + failedButStored + 2); // + SHARED, ROTATING
        // No write may fail: with a generous lock timeout, every writer gets its turn.
        expect(failed.map((write) => `${write.name}: ${write.code}`)).toEqual([]);
        expect(acks).toHaveLength(WRITERS * WRITES);
      } finally {
        vault.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});

// A full disk under the vault file: a database store writes no file of its own.
describe.runIf(ON_FILE_STORE)("a full disk (ENOSPC)", () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const mount of mounts) spawnSync("umount", ["-l", mount]);
  });

  /** Mounts a 512 KiB tmpfs, or says why it cannot. */
  function mountSmallDisk(path: string): string | undefined {
    if (process.platform !== "linux") return `not Linux (${process.platform})`;
    if (process.getuid?.() !== 0) return "not root: cannot mount a small tmpfs";
    mkdirSync(path, { recursive: true });
    const result = spawnSync("mount", ["-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", path], {
      encoding: "utf8",
    });
    if (result.status !== 0) return `mount failed: ${result.stderr || result.error?.message}`;
    mounts.push(path);
    return undefined;
  }

  /** Writes a filler file until the disk is full, then gives `room` bytes back. */
  function fillDisk(path: string, room: number): void {
    const chunk = Buffer.alloc(4096, 7);
    let written = 0;
    const filler = join(path, "filler");
    try {
      for (;;) {
        writeFileSync(filler, chunk, { flag: "a" });
        written += chunk.length;
      }
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
    }
    if (room > 0) {
      writeFileSync(filler, Buffer.alloc(Math.max(0, written - room), 7));
    }
  }

  for (const { room, title } of [
    { room: 0, title: "with no byte free" },
    { room: 16 * 1024, title: "with room for small files but not for the new vault" },
  ]) {
    it(`fails with IO_ERROR and leaves the old vault byte-identical ${title}`, async (context) => {
      const dir = tempDir("agent-vault-enospc-");
      try {
        const mount = join(dir.path, "disk");
        const reason = mountSmallDisk(mount);
        if (reason) {
          need("tmpfs", "", "run the tests as root").skipOrFail(context, reason);
        }
        const home = join(mount, "home");
        const keyFile = join(dir.path, "key");
        const { vault } = await createVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
        try {
          await vault.set("KEPT", "kept-value");
          await vault.set("KEPT", "kept-value-2");
          const vaultPath = join(home, "agents", AGENT, "vault.json");
          const before = readFileSync(vaultPath);
          const filesBefore = agentFiles(home);

          fillDisk(mount, room);
          const error = await vault.set("BIG", "x".repeat(60 * 1024)).catch((caught) => caught);
          expect.soft(isVaultError(error) ? error.code : String(error)).toBe("IO_ERROR");
          expect((error as Error).message).toContain("ENOSPC");

          expect(readFileSync(vaultPath).equals(before)).toBe(true);
          // No temp file or lock draft left behind.
          expect.soft(agentFiles(home)).toEqual(filesBefore);
          // It still opens on the full disk (reading a value needs room for its audit record).
          const reopened = await openVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
          try {
            expect(await reopened.has("KEPT")).toBe(true);
            expect(await reopened.has("BIG")).toBe(false);
            rmSync(join(mount, "filler"));
            expect(await reopened.get("KEPT")).toBe("kept-value-2");
            expect(await reopened.history("KEPT")).toHaveLength(2);
          } finally {
            reopened.close();
          }

          // Once space is freed, the same write goes through.
          await vault.set("BIG", "x".repeat(60 * 1024));
          expect(await vault.get("KEPT")).toBe("kept-value-2");
          expect((await vault.get("BIG")).length).toBe(60 * 1024);
        } finally {
          vault.close();
        }
      } finally {
        const mount = join(dir.path, "disk");
        if (mounts.includes(mount)) {
          spawnSync("umount", ["-l", mount]);
          mounts.splice(mounts.indexOf(mount), 1);
        }
        dir.cleanup();
      }
    });
  }
});

// The lock file's stale time and its breaking: a database store locks rows, not files.
describe.runIf(ON_FILE_STORE)("a writer that stalls past the lock's stale time", () => {
  const STALE_MS = 200;

  async function setUp() {
    const dir = tempDir("agent-vault-stall-");
    const home = join(dir.path, "home");
    const store = new FileStore({ home, lockStaleMs: STALE_MS, lockTimeoutMs: 10_000 });
    await store.create(AGENT, encoder.encode("v1"));
    const vaultPath = store.locate(AGENT);
    const stalled = spawnFixture("stalled-writer.mjs", [
      home,
      AGENT,
      String(STALE_MS),
      "v2-from-stalled",
    ]);
    // It has read v1 and holds the lock; freeze it there, refresher and all.
    expect(await stalled.line("in-transform ")).toBe("in-transform v1");
    stalled.process.kill("SIGSTOP");
    const resume = async () => {
      stalled.process.stdin.write("go\n");
      stalled.process.kill("SIGCONT");
      return stalled.line("result ");
    };
    return { dir, home, vaultPath, stalled, resume };
  }

  it("fails with CONFLICT and leaves the newer file when it wakes up after another commit", async () => {
    const { dir, home, vaultPath, stalled, resume } = await setUp();
    try {
      const other = new FileStore({ home, lockStaleMs: STALE_MS, lockTimeoutMs: 10_000 });
      // The other writer waits for the lock to go stale, breaks it, and commits.
      const waitStarted = Date.now();
      await other.update(AGENT, (current) => {
        expect(Buffer.from(current.bytes).toString()).toBe("v1");
        return encoder.encode("v2-from-other");
      });
      // It did wait for the stalled holder (refreshed at most STALE_MS / 2 before its stop).
      expect(Date.now() - waitStarted).toBeGreaterThanOrEqual(STALE_MS / 2 - 10);
      expect(readFileSync(vaultPath, "utf8")).toBe("v2-from-other");

      expect(await resume()).toBe("result CONFLICT");
      expect((await stalled.exited).code).toBe(0);
      expect(readFileSync(vaultPath, "utf8")).toBe("v2-from-other");
      expect(agentFiles(home).filter((name) => name.startsWith(".tmp-"))).toEqual([]);

      // Nothing is left locked: a third writer goes straight through.
      const third = new FileStore({ home, lockStaleMs: 30_000, lockTimeoutMs: 2_000 });
      await third.update(AGENT, () => encoder.encode("v3"));
      expect(readFileSync(vaultPath, "utf8")).toBe("v3");
    } finally {
      stalled.process.kill("SIGKILL");
      await stalled.exited;
      dir.cleanup();
    }
  });

  it("fails with CONFLICT when it wakes up while the writer that broke its lock is mid-write", async () => {
    const { dir, home, vaultPath, stalled, resume } = await setUp();
    try {
      const other = new FileStore({ home, lockStaleMs: STALE_MS, lockTimeoutMs: 10_000 });
      const { write: otherWrite, finish } = await pausedUpdate(other, "v2-from-other");

      expect(await resume()).toBe("result CONFLICT");
      expect(readFileSync(vaultPath, "utf8")).toBe("v1");
      finish();
      await otherWrite;
      expect(readFileSync(vaultPath, "utf8")).toBe("v2-from-other");
      expect(agentFiles(home).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    } finally {
      stalled.process.kill("SIGKILL");
      await stalled.exited;
      dir.cleanup();
    }
  });
});

/**
 * Starts `store.update` writing `content` and holds it inside its transform (lock held, file
 * read) until `finish()` is called. Resolves once the transform has been entered.
 */
async function pausedUpdate(store: FileStore, content: string) {
  let entered: () => void = () => undefined;
  const inTransform = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let finish: () => void = () => undefined;
  const mayFinish = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const write = store.update(AGENT, async () => {
    entered();
    await mayFinish;
    return encoder.encode(content);
  });
  await inTransform;
  return { write, finish };
}

// A vault file replaced by hand during the file store's commit (temp file + rename).
describe.runIf(ON_FILE_STORE)("the generation check before the rename", () => {
  it("refuses to overwrite a vault replaced behind the lock's back during a write", async () => {
    const dir = tempDir("agent-vault-generation-");
    try {
      const home = join(dir.path, "home");
      const store = new FileStore({ home });
      await store.create(AGENT, encoder.encode("v1"));
      const vaultPath = store.locate(AGENT);
      const { write, finish } = await pausedUpdate(store, "v2-from-writer");
      // Someone restores a backup by hand (no lock) while the write is in progress.
      const restored = join(dir.path, "restored");
      writeFileSync(restored, "v2-restored", { mode: 0o600 });
      renameSync(restored, vaultPath);
      finish();
      const error = await write.catch((caught) => caught);
      expect(isVaultError(error) ? error.code : String(error)).toBe("CONFLICT");
      expect(readFileSync(vaultPath, "utf8")).toBe("v2-restored");
      expect(agentFiles(home).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });
});

// Temp files are the file store's commit protocol; a database store leaves none.
describe.runIf(ON_FILE_STORE)("orphan temp files", () => {
  it("are removed by the next write", async () => {
    const dir = tempDir("agent-vault-orphans-");
    try {
      const home = join(dir.path, "home");
      const keyFile = join(dir.path, "key");
      const { vault } = await createVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
      try {
        await vault.set("A", "a-1");
        const agentDir = join(home, "agents", AGENT);
        const vaultPath = join(agentDir, "vault.json");
        // What killed writers leave: a complete copy, a half-written one, an empty one.
        const orphans = [".tmp-0123456789abcdef", ".tmp-deadbeefdeadbeef", ".tmp-00000000000000ff"];
        writeFileSync(join(agentDir, orphans[0] as string), readFileSync(vaultPath), {
          mode: 0o600,
        });
        writeFileSync(
          join(agentDir, orphans[1] as string),
          readFileSync(vaultPath).subarray(0, 50),
          {
            mode: 0o600,
          },
        );
        writeFileSync(join(agentDir, orphans[2] as string), "", { mode: 0o600 });

        const reopened = await openVault({ home, agent: AGENT, keySource: keyFileKey(keyFile) });
        try {
          expect(await reopened.get("A")).toBe("a-1");
          await reopened.set("A", "a-2");
        } finally {
          reopened.close();
        }
        for (const orphan of orphans) expect(existsSync(join(agentDir, orphan))).toBe(false);
        expect(agentFiles(home).filter((name) => name.startsWith(".tmp-"))).toEqual([]);
        expect(await vault.get("A")).toBe("a-2");
      } finally {
        vault.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
