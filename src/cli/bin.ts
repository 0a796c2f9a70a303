#!/usr/bin/env node
import { processIo } from "./io.js";
import { run } from "./run.js";

const code = await run(process.argv.slice(2), processIo());
// Let stdout drain before exiting; keytar's D-Bus thread could otherwise keep the process alive.
process.stdout.write("", () => process.exit(code));
