/**
 * The published types work for a strict TypeScript user without `skipLibCheck`: what each
 * entry of package.json's `exports` declares imports only Node's modules and packages this one
 * installs with their types (the root: nothing but Node's; `agent-vault/postgres`: `pg`, whose
 * types are a dependency).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; import: string }>;
  dependencies: Record<string, string>;
};

/** The bare module names the declaration file `file` reaches, following relative imports. */
function bareImports(file: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const match of text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith(".")) {
        visit(resolve(dirname(path), specifier.replace(/\.js$/, ".d.ts")));
      } else {
        found.add(specifier);
      }
    }
  };
  visit(file);
  return found;
}

/** True when `name`'s types install with this package: it ships them, or its @types do. */
function typesInstalled(name: string): boolean {
  const types = name.startsWith("@") ? name : `@types/${name}`;
  if (types in PACKAGE.dependencies) return true;
  if (!(name in PACKAGE.dependencies)) return false;
  const manifest = JSON.parse(
    readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"),
  ) as { types?: string; typings?: string };
  return manifest.types !== undefined || manifest.typings !== undefined;
}

describe("the published types", () => {
  const entries = Object.entries(PACKAGE.exports).filter(
    (entry): entry is [string, { types: string; import: string }] => typeof entry[1] !== "string",
  );

  it("has an entry for the root and each subpath, each built", () => {
    expect(entries.map(([name]) => name).sort()).toEqual([
      ".",
      "./export",
      "./openclaw",
      "./postgres",
      "./scan",
    ]);
    for (const [, entry] of entries) {
      expect(existsSync(join(ROOT, entry.types)), entry.types).toBe(true);
      expect(existsSync(join(ROOT, entry.import)), entry.import).toBe(true);
    }
  });

  it("keeps the root's types free of every package but Node's", () => {
    const root = entries.find(([name]) => name === ".")?.[1] as { types: string };
    const outside = [...bareImports(join(ROOT, root.types))].filter(
      (name) => !name.startsWith("node:"),
    );
    expect(outside).toEqual([]);
  });

  it("imports in every entry's types only packages whose types install with this one", () => {
    for (const [name, entry] of entries) {
      const missing = [...bareImports(join(ROOT, entry.types))].filter(
        (module) => !module.startsWith("node:") && !typesInstalled(module),
      );
      expect(missing, name).toEqual([]);
    }
  });
});
