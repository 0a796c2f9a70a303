import { describe, expect, it } from "vitest";
import { isVaultError } from "../src/errors.js";
import {
  containsVaultReference,
  formatVaultReference,
  parseVaultReference,
} from "../src/references/reference.js";

describe("vault references", () => {
  it("formats and parses vault://AGENT/NAME", () => {
    const reference = formatVaultReference("main", "OPENAI_API_KEY");
    expect(reference).toBe("vault://main/OPENAI_API_KEY");
    expect(parseVaultReference(` ${reference}\n`)).toEqual({
      agent: "main",
      name: "OPENAI_API_KEY",
    });
  });

  it("refuses an invalid agent or name, and text that is not one reference", () => {
    expect(() => formatVaultReference("Main", "X")).toThrow(
      expect.objectContaining({ code: "INVALID_AGENT" }),
    );
    expect(() => formatVaultReference("main", "lower")).toThrow(
      expect.objectContaining({ code: "INVALID_NAME" }),
    );
    for (const text of [
      "vault://main/",
      "vault://main/x",
      "see vault://main/A and more",
      "main/A",
    ]) {
      let error: unknown;
      try {
        parseVaultReference(text);
      } catch (caught) {
        error = caught;
      }
      expect(isVaultError(error, "INVALID_INPUT"), text).toBe(true);
      expect((error as Error).message).not.toContain(text);
    }
  });

  it("tells whether a value holds a reference anywhere", () => {
    expect(containsVaultReference("Bearer vault://ops/API_TOKEN")).toBe(true);
    expect(containsVaultReference("vault://main/lowercase")).toBe(false);
    expect(containsVaultReference("https://vault.example.com/main/TOKEN")).toBe(false);
  });
});
