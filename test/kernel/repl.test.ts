/** `tskeras repl` with piped input. */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureBuilt, PACKAGE_ROOT } from "./helpers.js";

describe("repl", () => {
  it("evaluates multi-line input, reports type errors, preloads keras, prints displays", () => {
    ensureBuilt();
    const input = [
      "const a = 2;",
      "function f(x: number) {",
      "  return x * a;",
      "}",
      "f(21)",
      "const s: string = 1",
      "typeof keras.Sequential",
      'display({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "shown as text" }; } });',
      "",
    ].join("\n");
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "repl"], { input, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("42\n");
    expect(r.stdout).toMatch(/:1:7 - error TS2322/);
    expect(r.stdout).toContain("'function'");
    expect(r.stdout).toContain("shown as text");
  });
});
