import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The public surface of the package: every name the root (src/index.ts) and each subpath entry
 * (src/exports/*.ts) exports, its kind, and its declared type (for classes and interfaces,
 * each member's type). A change to the surface changes test/public-api*.snapshot.txt: update
 * them with `npx vitest run test/public-api.test.ts -u` and say in the commit why the surface
 * changed.
 */
const ENTRIES: Array<[string, string]> = [
  ["src/index.ts", "./public-api.snapshot.txt"],
  ...["scan", "export", "openclaw", "postgres"].map((name): [string, string] => [
    `src/exports/${name}.ts`,
    `./public-api.${name}.snapshot.txt`,
  ]),
];
const REPO = fileURLToPath(new URL("..", import.meta.url));
const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType |
  ts.TypeFormatFlags.WriteArrayAsGenericType;

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Variable) return "const";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  return `flags ${f}`;
}

function describeSurface(entry: string): string {
  const INDEX = fileURLToPath(new URL(`../${entry}`, import.meta.url));
  // A program per entry: a shared checker would order union members by which entry it
  // checked first.
  const program = ts.createProgram([INDEX], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} did not load`);
  const members = (type: ts.Type, at: ts.Node): string[] =>
    checker
      .getPropertiesOfType(type)
      // Private (#) members are not the surface; symbol-keyed ones carry an unstable id.
      .filter((p) => !p.name.startsWith("#") && !p.name.startsWith("__"))
      .map((p) => {
        const optional = p.flags & ts.SymbolFlags.Optional ? "?" : "";
        return `  ${p.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, at), at, FLAGS)}`;
      })
      .sort();
  const blocks: Array<[string, string[]]> = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const lines: string[] = [];
    blocks.push([exported.name, lines]);
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (!declaration) throw new Error(`${exported.name} has no declaration`);
    const kind = kindOf(symbol);
    lines.push(`${exported.name}: ${kind}`);
    if (kind === "class") {
      const ctor = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      for (const signature of ctor.getConstructSignatures()) {
        lines.push(`  new${checker.signatureToString(signature, declaration, FLAGS)}`);
      }
      lines.push(...members(ctor, declaration).map((line) => `  static${line}`));
      lines.push(...members(checker.getDeclaredTypeOfSymbol(symbol), declaration));
    } else if (kind === "interface") {
      lines.push(...members(checker.getDeclaredTypeOfSymbol(symbol), declaration));
    } else if (kind === "type") {
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      lines.push(
        `  = ${checker.typeToString(type, declaration, FLAGS | ts.TypeFormatFlags.InTypeAlias)}`,
      );
    } else {
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      lines.push(`  ${checker.typeToString(type, declaration, FLAGS)}`);
    }
  }
  blocks.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${blocks.flatMap(([, lines]) => lines).join("\n")}\n`;
  // import("/abs/path/src/x") names a type by file: keep it relative to the repository.
  return text.replaceAll(REPO, "");
}

describe("the public API", () => {
  for (const [entry, snapshot] of ENTRIES) {
    it(`${entry} exports the names, kinds and types recorded in ${snapshot.slice(2)}`, async () => {
      await expect(describeSurface(entry)).toMatchFileSnapshot(snapshot);
    }, 60_000);
  }
});
