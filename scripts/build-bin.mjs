#!/usr/bin/env node
/**
 * Bundles the CLI (`npm run build` runs it after tsc): src/cli/bin.ts becomes dist/cli/bin.js,
 * the bin package.json names, with every command module in its own chunk under
 * dist/cli/chunks/ (esbuild's code splitting keeps the dynamic imports of
 * src/cli/command-table.ts lazy, so a command line loads only the code of the command it runs).
 * The options are scripts/bundle-options.mjs (packages stay in node_modules).
 * dist/cli/chunks/meta.json maps each chunk to the source files in it (test/cli-startup.test.ts
 * reads it to name what a command line loaded).
 *
 * Three steps make a short command line (a pre-commit hook's `vault scan --staged`) load less:
 * - CHUNK_GROUPS: esbuild puts each source file in a chunk of the set of entry points (the bin
 *   and each dynamically imported module) that reach it, which left `vault scan --staged`
 *   loading 28 files, most a few hundred bytes. Each ES module Node loads costs about half a
 *   millisecond of resolving and reading beside its compilation, so the files of a group are
 *   put in one chunk: every entry point reaching one of them imports them all.
 * - LAZY_BUILTINS: `node:crypto` costs 4-6 ms to load and no scan without findings calls it;
 *   its functions load it on their first call.
 * - ASCII: esbuild leaves comments and regular expression literals as written, and one
 *   character outside ASCII makes Node hold the whole chunk as UTF-16 (twice the memory, and
 *   slower to decode and compile). They are written as `\uXXXX` escapes, which mean the same.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { BUNDLE_OPTIONS } from "./bundle-options.mjs";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "dist/cli");
const CHUNKS = join(OUT, "chunks");

/**
 * Source files bundled together, with the files only they reach. `plain`: what every command
 * line loads (the plain command line and the agent client; nothing of the vault or its
 * stores, which a call the agent answers never loads) and small modules most commands share;
 * `context`: the command context and its store modules, loaded by every command the agent
 * does not answer, and the fingerprints of the vault's values (every scan and every opened
 * vault reads them); `staged`: the git reads the hook starts first; `scanner`: the rules, the
 * engine, what they read and print, and the baseline they check.
 */
const CHUNK_GROUPS = {
  plain: [
    "src/errors.ts",
    "src/grammar.ts",
    "src/whitespace.ts",
    "src/fs/private-entry.ts",
    "src/fs/read-head.ts",
    "src/validation/schema.ts",
    "src/file-format/canonical-json.ts",
    "src/references/reference.ts",
    "src/scan/files.ts",
    "src/cli/agent-client.ts",
    "src/cli/agent-protocol.ts",
    "src/cli/command-table.ts",
    "src/cli/command.ts",
    "src/cli/progress.ts",
  ],
  context: [
    "src/cli/context.ts",
    "src/store/store-choice.ts",
    "src/store/postgres-url.ts",
    "src/store/lock.ts",
    "src/scan/exposures.ts",
    "src/scan/fingerprints.ts",
  ],
  staged: ["src/scan/staged-prefetch.ts", "src/scan/git.ts"],
  scanner: [
    "src/scan/rules.ts",
    "src/scan/engine.ts",
    "src/scan/scan.ts",
    "src/scan/sources.ts",
    "src/scan/config.ts",
    "src/scan/output-formats.ts",
    "src/scan/baseline.ts",
    "src/scan/parallel-scan.ts",
  ],
};

/** Node modules loaded on the first call of one of their functions. */
const LAZY_BUILTINS = ["node:crypto"];

const common = {
  absWorkingDir: ROOT,
  // The scan's worker thread, beside the chunks (parallel-scan.ts finds it there).
  entryPoints: { bin: "src/cli/bin.ts", "chunks/scan-worker": "src/scan/scan-worker.ts" },
  outdir: OUT,
  ...BUNDLE_OPTIONS,
  allowOverwrite: true,
  metafile: true,
};

/** Source file → the groups whose import it gets: each entry point reaching a group's file. */
function groupImports(inputs) {
  for (const files of Object.values(CHUNK_GROUPS)) {
    for (const file of files) {
      if (!inputs[file]) {
        throw new Error(`build-bin: the bin no longer imports ${file}: update CHUNK_GROUPS`);
      }
    }
  }
  const entries = new Set(Object.values(common.entryPoints));
  for (const input of Object.values(inputs)) {
    for (const { kind, path, external } of input.imports) {
      if (kind === "dynamic-import" && !external) entries.add(path);
    }
  }
  const imports = new Map();
  for (const entry of entries) {
    const reached = new Set();
    const next = [entry];
    while (next.length > 0) {
      const file = next.pop();
      if (reached.has(file) || !inputs[file]) continue;
      reached.add(file);
      for (const { kind, path, external } of inputs[file].imports) {
        if (kind === "import-statement" && !external) next.push(path);
      }
    }
    const groups = Object.entries(CHUNK_GROUPS)
      .filter(([, files]) => files.some((file) => reached.has(file)))
      .map(([name]) => name);
    if (groups.length > 0) imports.set(entry, groups);
  }
  return imports;
}

/** Appends `import "chunk-group:NAME"` to the entry points `imports` names. */
function chunkGroupsPlugin(imports) {
  return {
    name: "chunk-groups",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^chunk-group:/ }, (args) => ({
        path: args.path.slice("chunk-group:".length),
        namespace: "chunk-group",
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: "chunk-group" }, (args) => ({
        contents: CHUNK_GROUPS[args.path]
          .map((file) => `import ${JSON.stringify(join(ROOT, file))};`)
          .join("\n"),
        resolveDir: ROOT,
        loader: "js",
      }));
      pluginBuild.onLoad({ filter: /\.ts$/ }, async (args) => {
        const groups = imports.get(relative(ROOT, args.path).split("\\").join("/"));
        if (!groups) return undefined;
        const source = await readFile(args.path, "utf8");
        const added = groups.map((name) => `import "chunk-group:${name}";`).join("\n");
        return { contents: `${source}\n${added}\n`, loader: "ts" };
      });
    },
  };
}

/** Each of LAZY_BUILTINS as a module of functions that load it when first called. */
const lazyBuiltinsPlugin = {
  name: "lazy-builtins",
  setup(pluginBuild) {
    const filter = new RegExp(`^(?:${LAZY_BUILTINS.join("|")})$`);
    pluginBuild.onResolve({ filter }, (args) =>
      args.namespace === "lazy-builtin"
        ? { path: args.path, external: true }
        : { path: args.path, namespace: "lazy-builtin" },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, async (args) => {
      const real = await import(args.path);
      // Functions only (not classes or values): an import of anything else fails the build.
      const names = Object.keys(real).filter(
        (name) => /^[a-z]/.test(name) && typeof real[name] === "function",
      );
      const lines = [
        'import { createRequire } from "node:module";',
        "let loaded;",
        `const load = () => (loaded ??= createRequire(import.meta.url)(${JSON.stringify(args.path)}));`,
        ...names.map((name) => `export const ${name} = (...args) => load().${name}(...args);`),
      ];
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};

/** Rewrites a written chunk in ASCII: each other UTF-16 unit as a `\uXXXX` escape. */
function toAscii(path) {
  const text = readFileSync(path, "utf8");
  if (!/[^\0-\x7f]/.test(text)) return;
  // A line separator ends a `//` comment, and a tagged template sees its raw text: an escape
  // would change either, so the build refuses them rather than guess.
  if (/[\u2028\u2029]/.test(text) || /String\.raw/.test(text)) {
    throw new Error(`build-bin: ${relative(ROOT, path)} needs a character ASCII cannot escape`);
  }
  const ascii = text.replace(
    /[^\0-\x7f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  writeFileSync(path, ascii);
}

rmSync(CHUNKS, { recursive: true, force: true });
const graph = await build({ ...common, write: false });
const result = await build({
  ...common,
  plugins: [chunkGroupsPlugin(groupImports(graph.metafile.inputs)), lazyBuiltinsPlugin],
});

/** Chunk (path under dist/cli) → the source files bundled into it. */
const chunks = {};
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  if (path.endsWith(".js")) toAscii(join(ROOT, path));
  chunks[relative(OUT, join(ROOT, path))] = Object.keys(output.inputs)
    .filter((input) => !input.includes(":"))
    .sort();
}
writeFileSync(join(CHUNKS, "meta.json"), `${JSON.stringify(chunks, null, 1)}\n`);
