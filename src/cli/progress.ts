/**
 * A progress line for commands that can take more than a second: one line on standard error,
 * rewritten in place, only when standard error is a terminal (never in a pipe, a log, CI or
 * `--json` output), and erased when the work ends. It never holds a value.
 */
import type { CommandContext } from "./context.js";

/** Rewrites the line at most this often (ms). */
const REDRAW_EVERY_MS = 100;

export interface ProgressLine {
  /** Shows `text` (at most every 100 ms, unless `now`). */
  show(text: string, now?: boolean): void;
  /** Erases the line. */
  end(): void;
}

const SILENT: ProgressLine = { show() {}, end() {} };

/** The progress line of `ctx`'s terminal, or one that prints nothing. */
export function progressLine(ctx: CommandContext): ProgressLine {
  if (ctx.json || ctx.io.stderrIsTTY !== true) return SILENT;
  let last = 0;
  let shown = false;
  return {
    show(text, now = false) {
      const time = Date.now();
      if (!now && time - last < REDRAW_EVERY_MS) return;
      last = time;
      shown = true;
      // Carriage return, erase to the end of the line, then the text (cut to one line).
      ctx.io.stderr(`\r\x1b[K${text.replace(/[\r\n]/g, " ").slice(0, 100)}`);
    },
    end() {
      if (shown) ctx.io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
