/**
 * The `json` format: one JSON object `{ "NAME": "value" }`, in export order.
 */
import type { ExportEntry } from "./variable-names.js";

/** One JSON object mapping each variable name to its value, then a newline. */
export function formatJson(entries: readonly ExportEntry[]): string {
  // No prototype: a variable named __proto__ stays an ordinary key.
  const object: Record<string, string> = Object.create(null);
  for (const entry of entries) object[entry.envName] = entry.value;
  return `${JSON.stringify(object, null, 2)}\n`;
}
