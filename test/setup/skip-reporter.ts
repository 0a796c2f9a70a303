/**
 * vitest reporter: at the end of a run, one line per reason tests were skipped ("skipped: 11
 * tests in test/keychain.test.ts: keytar is not installed …; to run: …"), from the titles and
 * notes test/helpers/capabilities.ts gives skipped tests, so a run that passed says what it did
 * not check. Tests skipped for another reason (ON_FILE_STORE, the other store's twin) are
 * counted per file under "not for this store".
 */
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

const REASON = /\[skipped: (.+)\]$/;

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, number>();
    for (const module of modules) {
      const file = `${relative(process.cwd(), module.moduleId)} (${module.project.name})`;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== "skipped") continue;
        let reason = result.note;
        for (let node: typeof test.parent | typeof test = test; !reason; node = node.parent) {
          if (node.type === "module") break;
          reason = REASON.exec(node.name)?.[1];
        }
        const key = `${file}\u0000${reason ?? "not for this store (file-store-only or other-store-only)"}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (counts.size === 0) return;
    const lines = [...counts].map(([key, count]) => {
      const [file, reason] = key.split("\u0000");
      return `  skipped: ${count} test${count === 1 ? "" : "s"} in ${file}: ${reason}`;
    });
    process.stdout.write(`\nSkipped tests, and why:\n${lines.join("\n")}\n`);
  }
}
