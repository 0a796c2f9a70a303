#!/usr/bin/env node
import { processIo } from "./io.js";

const argv = process.argv.slice(2);
const io = processIo();
// `vault openclaw resolve` runs on every OpenClaw secrets reload: answer it without commander
// and the other commands (`undefined`: not that command line, so the full CLI runs).
const fast =
  argv[0] === "openclaw" && argv[1] === "resolve"
    ? await (await import("./commands/openclaw.js")).runOpenclawResolveFast(argv, io)
    : undefined;
const code = fast ?? (await (await import("./run.js")).run(argv, io));
// Let stdout drain before exiting; keytar's D-Bus thread could otherwise keep the process alive.
process.stdout.write("", () => process.exit(code));
