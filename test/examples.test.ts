import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

describe("examples", () => {
  it("runs examples/agent.mjs against the built library, printing no value", () => {
    const out = execFileSync(process.execPath, [join(ROOT, "examples/agent.mjs")], {
      encoding: "utf8",
    });
    expect(out).toContain("got OPENAI_API_KEY: [redacted]");
    expect(out).toContain("SECRET_NOT_FOUND (exit 3)");
    expect(out).not.toContain("sk-example-not-a-real-key");
  });
});
