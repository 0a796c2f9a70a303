/**
 * `vault env` (issue 5): being written; registered here so the command list is in one place.
 */
import type { CommandSpec } from "../command.js";

/** `vault env` commands. */
export const envCommands: CommandSpec[] = [];
