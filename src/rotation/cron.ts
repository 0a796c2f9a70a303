/**
 * cron-parser, loaded on first use: most commands never evaluate a schedule, and loading it
 * costs about 60 ms of start-up. Its CommonJS build loads synchronously through `require`.
 */
import { createRequire } from "node:module";
import type { CronExpressionParser as Parser } from "cron-parser";

let parser: typeof Parser | undefined;

/** cron-parser's `CronExpressionParser`. */
export function cronParser(): typeof Parser {
  parser ??= (
    createRequire(import.meta.url)("cron-parser") as { CronExpressionParser: typeof Parser }
  ).CronExpressionParser;
  return parser;
}
