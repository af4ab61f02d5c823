/**
 * The kernel benchmark's harness (bench/kernels.ts) drives all three kernels
 * with the same client: tskeras, Deno's (npm `deno`) and tslab's (npm
 * `tslab`). A few cells each: this checks that every kernel starts, answers
 * and is measured, and that the type-checking kernels reject a type error
 * while Deno runs it. No timings are asserted.
 */
import { describe, expect, it } from "vitest";
import { kernelMarkdown, runKernelBench } from "../../bench/kernels.js";

describe("kernel benchmark harness", () => {
  it("measures tskeras, Deno and tslab over the same client", async () => {
    const r = await runKernelBench({ cells: 5 });
    expect(r.kernels.map((k) => k.id)).toEqual(["tskeras", "tskeras-nocheck", "deno", "tslab"]);
    for (const k of r.kernels) {
      // tslab may drop a reply under a fast client (counted in `lost`); it must still be measured.
      expect(k.error, `${k.id}: ${k.error}`).toBeUndefined();
      expect(k.firstCellMs).toBeGreaterThan(0);
      for (const s of [k.repeated, k.fresh, k.declarations, k.typeError]) {
        expect(s.n).toBeGreaterThanOrEqual(5 - k.lost);
        expect(s.p50).toBeGreaterThan(0);
        expect(s.p95).toBeGreaterThanOrEqual(s.p50);
      }
    }
    const byId = Object.fromEntries(r.kernels.map((k) => [k.id, k]));
    expect(byId.tskeras!.typeErrorReported).toBe(true);
    expect(byId.tslab!.typeErrorReported).toBe(true);
    expect(byId["tskeras-nocheck"]!.typeErrorReported).toBe(false);
    expect(byId.deno!.typeErrorReported).toBe(false);
    expect(byId.deno!.version).toMatch(/^Deno kernel \d+\.\d+/);
    expect(byId.tslab!.version).toMatch(/^tslab /);
    expect(r.tskerasTypeCheckMs).not.toBeNull();
    expect(Object.keys(r.typicalChecks)).toEqual(["1+1", "arithmetic on history", "a Keras model", "a node import"]);
    const md = kernelMarkdown(r);
    expect(md).toContain("| Deno (`deno jupyter`) | no |");
    expect(md).toContain("| tslab | yes |");
    expect(md).toMatch(/Goal type check p50 <= 150 ms: (met|\*\*not met\*\*)/);
  }, 180_000);
});
