/**
 * `.pgpass` files (libpq's format: `host:port:database:user:password`, `*` matching anything,
 * `\:` and `\\` escaped): looking up a role's password in one, and writing one line of one.
 *
 * Like libpq, a file that group or others can read is ignored. The library never finds the
 * file by itself (no `$PGPASSFILE`, no `~/.pgpass`): the caller names it. A password looked up
 * here is returned to the driver only, never put in an error.
 */
import { readFile, stat } from "node:fs/promises";
import type { StoreUrlParts } from "./postgres-url.js";

/** One `.pgpass` field matches when it is `*` or equal. */
function pgpassMatch(field: string | undefined, value: string): boolean {
  return field === "*" || field === value;
}

/** Splits a `.pgpass` line at unescaped colons, unescaping `\:` and `\\`. */
function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === "\\" && i + 1 < line.length) {
      current += line[i + 1];
      i += 1;
    } else if (char === ":") {
      fields.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

/**
 * The password of `parts` in a `.pgpass` file, or `undefined`. Like libpq, a file that group or
 * others can read is ignored.
 */
export async function lookUpPgpass(
  path: string,
  parts: StoreUrlParts,
): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) return undefined;
    const text = await readFile(path, "utf8");
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "" || line.startsWith("#")) continue;
      const [host, port, database, user, ...rest] = splitPgpassLine(line);
      if (
        pgpassMatch(host, parts.host) &&
        pgpassMatch(port, parts.port) &&
        pgpassMatch(database, parts.database) &&
        pgpassMatch(user, parts.user)
      ) {
        return rest.join(":");
      }
    }
  } catch {
    // A missing or unreadable file is no password; the server then says so.
  }
  return undefined;
}

/** Formats one `.pgpass` line (escaping `:` and `\`). */
export function formatPgpassLine(fields: {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}): string {
  const escapeField = (text: string) => text.replaceAll("\\", "\\\\").replaceAll(":", "\\:");
  return [fields.host, fields.port, fields.database, fields.user, fields.password]
    .map(escapeField)
    .join(":");
}
