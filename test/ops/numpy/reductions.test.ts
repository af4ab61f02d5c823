import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as np from "../../../lib/ops/numpy/reductions.js";
import { check, checkSymbolic, noLeak } from "./elementwise-test-utils.js";

const X = [[1, 2, 3], [4, 5, 6]];
const b = (v: boolean[]) => tf.tensor(v, undefined, "bool");
const f32 = (v: number[], shape?: number[]) => tf.tensor(v, shape, "float32");

describe("basic reductions", () => {
  it("sum", () => {
    check(np.sum(X), 21, "int32", []);
    check(np.sum(X, 0), [5, 7, 9], "int32", [3]);
    check(np.sum(X, -1, true), [[6], [15]], "int32", [2, 1]);
    check(np.sum(X, [0, 1], true), [[21]], "int32", [1, 1]);
    check(np.sum(b([true, true, false])), 2, "int32", []);
    check(np.sum([1.5, 2]), 3.5, "float32");
    check(np.sum(5, 0), 5, "int32", []);
    check(np.sum([[1, 2]], []), [[1, 2]], "int32", [1, 2]);
  });
  it("mean gives float for ints", () => {
    check(np.mean(X), 3.5, "float32", []);
    check(np.mean(X, -1), [2, 5], "float32", [2]);
    check(np.mean(X, 0, true), [[2.5, 3.5, 4.5]], "float32", [1, 3]);
  });
  it("max / min / amax / amin", () => {
    check(np.max(X), 6, "int32", []);
    check(np.max(X, -1, true), [[3], [6]], "int32", [2, 1]);
    check(np.max(X, 0, false, 5), [5, 5, 6], "int32");
    check(np.min(X, 1), [1, 4], "int32");
    check(np.min([[1, NaN], [2, 3]], 1), [NaN, 2], "float32");
    check(np.amax([1.5, 3]), 3, "float32");
    check(np.amin(X, -2), [1, 2, 3], "int32");
    check(np.max([], null, false, 7), 7, "float32", []);
  });
  it("prod", () => {
    check(np.prod(X), 720, "int32", []);
    check(np.prod(X, -1, true), [[6], [120]], "int32", [2, 1]);
    check(np.prod(b([true, true])), 1, "int32");
    check(np.prod(X, 0, false, "float32"), [4, 10, 18], "float32");
  });
  it("std / var", () => {
    check(np.var([1, 2, 3, 4]), 1.25, "float32", []);
    check(np.std([1, 2, 3, 4]), Math.sqrt(1.25), "float32", []);
    check(np.var(X, -1, true), [[2 / 3], [2 / 3]], "float32", [2, 1]);
    check(np.std(X, 0), [1.5, 1.5, 1.5], "float32", [3]);
  });
  it("all / any", () => {
    check(np.all([[1, 0], [1, 1]], 1), [0, 1], "bool");
    check(np.any([[1, 0], [0, 0]], -1, true), [[1], [0]], "bool", [2, 1]);
    check(np.all([]), 1, "bool", []);
  });
  it("argmax / argmin", () => {
    check(np.argmax([[1, 9, 3], [7, 5, 7]], 1), [1, 0], "int32");
    check(np.argmax([[1, 9, 3], [7, 5, 7]]), 1, "int32", []);
    check(np.argmin([[1, 9, 3], [0, 5, 7]], -2, true), [[1, 1, 0]], "int32", [1, 3]);
    check(np.argmax([[1, 9]], null, true), [[1]], "int32", [1, 1]);
    check(np.argmax([1, NaN, 3, NaN]), 1, "int32");
    check(np.argmax(f32([-0, 0])), 1, "int32");
    check(np.argmin(f32([0, -0])), 1, "int32");
  });
  it("countNonzero / ptp / average", () => {
    check(np.countNonzero([[0, 1, 2], [0, 0, 3]]), 3, "int32", []);
    check(np.countNonzero([[0, 1, 2], [0, 0, 3]], -1), [2, 1], "int32");
    check(np.countNonzero([[0, 1, 2], [0, 0, 3]], [0, 1]), 3, "int32");
    check(np.ptp(X, 1), [2, 2], "int32");
    check(np.ptp(X, null, true), [[5]], "int32", [1, 1]);
    check(np.average(X), 3.5, "float32", []);
    check(np.average(X, 1, [1, 0, 1]), [2, 5], "float32", [2]);
    check(np.average(X, null, [[1, 1, 1], [0, 0, 2]]), (1 + 2 + 3 + 12) / 5, "float32", []);
    check(np.average(X, -2, [3, 1]), [1.75, 2.75, 3.75], "float32");
  });
});

describe("cumulative ops", () => {
  it("cumsum / cumprod", () => {
    check(np.cumsum(X), [1, 3, 6, 10, 15, 21], "int32", [6]);
    check(np.cumsum(X, 0), [[1, 2, 3], [5, 7, 9]], "int32", [2, 3]);
    check(np.cumsum(X, -1), [[1, 3, 6], [4, 9, 15]], "int32");
    check(np.cumsum(b([true, true, false])), [1, 2, 2], "int32");
    check(np.cumsum([1, 2], 0, "float32"), [1, 3], "float32");
    check(np.cumprod(X, 1), [[1, 2, 6], [4, 20, 120]], "int32");
    check(np.cumprod([1.5, 2, 2]), [1.5, 3, 6], "float32");
    check(np.nancumsum([1, NaN, 2]), [1, 1, 3], "float32");
    check(np.nancumprod([2, NaN, 3]), [2, 2, 6], "float32");
  });
});

describe("quantiles", () => {
  const Y = [[10, 7, 4], [3, 2, 1]];
  it("median (NumPy values)", () => {
    check(np.median(Y), 3.5, "float32", []);
    check(np.median(Y, 0), [6.5, 4.5, 2.5], "float32", [3]);
    check(np.median(Y, -1, true), [[7], [2]], "float32", [2, 1]);
    check(np.median([1, NaN, 3]), NaN);
  });
  it("quantile methods", () => {
    const x = [1, 2, 3, 4];
    check(np.quantile(x, 0.4), 2.2, "float32", []);
    check(np.quantile(x, 0.4, null, { method: "lower" }), 2);
    check(np.quantile(x, 0.4, null, { method: "higher" }), 3);
    check(np.quantile(x, 0.4, null, { method: "midpoint" }), 2.5);
    check(np.quantile(x, 0.4, null, { method: "nearest" }), 2);
    check(np.quantile(x, [0, 0.5, 1]), [1, 2.5, 4], "float32", [3]);
    check(np.quantile(Y, [0.25, 0.75], 1), [[5.5, 1.5], [8.5, 2.5]], "float32", [2, 2]);
    check(np.quantile(Y, 0.5, [0, 1], { keepdims: true }), [[3.5]], "float32", [1, 1]);
    expect(() => np.quantile(x, 1.5)).toThrow(/range/);
  });
  it("percentile", () => {
    check(np.percentile([1, 2, 3, 4], 40), 2.2, "float32", []);
    check(np.percentile(Y, [50], -1), [[7, 2]], "float32", [1, 2]);
  });
  it("nan variants", () => {
    const z = [[1, NaN, 3], [NaN, NaN, NaN]];
    check(np.nanmedian(z, 1), [2, NaN], "float32");
    check(np.nanquantile([1, NaN, 2, 3, 4], 0.4), 2.2);
    check(np.nanpercentile(z, 50, -1, { keepdims: true }), [[2], [NaN]], "float32", [2, 1]);
  });
});

describe("nan reductions", () => {
  const z = [[1, NaN, 3], [NaN, NaN, NaN]];
  it("nansum / nanprod / nanmean", () => {
    check(np.nansum(z), 4, "float32", []);
    check(np.nansum(z, 1), [4, 0]);
    check(np.nansum(X, -1), [6, 15], "int32");
    check(np.nanprod(z, -1, true), [[3], [1]], "float32", [2, 1]);
    check(np.nanmean(z, 1), [2, NaN], "float32");
    check(np.nanmean(X), 3.5, "float32");
  });
  it("nanvar / nanstd", () => {
    check(np.nanvar(z, 1), [1, NaN], "float32");
    check(np.nanstd([[1, NaN, 3]], -1, true), [[1]], "float32", [1, 1]);
    check(np.nanvar(X), 35 / 12, "float32", []);
  });
  it("nanmax / nanmin", () => {
    check(np.nanmax(z, 1), [3, NaN], "float32");
    check(np.nanmin(z, -1, true), [[1], [NaN]], "float32", [2, 1]);
    check(np.nanmax(X, 0), [4, 5, 6], "int32");
  });
  it("nanargmax / nanargmin", () => {
    check(np.nanargmax(z, 1), [2, -1], "int32");
    check(np.nanargmin([[NaN, 5, 2]], -1, true), [[2]], "int32", [1, 1]);
    check(np.nanargmax([NaN, 5, 2]), 1, "int32", []);
    check(np.nanargmin(X, 0), [0, 0, 0], "int32");
  });
});

describe("symbolic and memory", () => {
  it("returns KerasTensors for KerasTensor inputs", () => {
    const x = new KerasTensor([null, 3]);
    checkSymbolic(np.sum(x, 1), [null], "float32");
    checkSymbolic(np.mean(new KerasTensor([null, 3], { dtype: "int32" }), -1, true), [null, 1], "float32");
    checkSymbolic(np.argmax(x, -1), [null], "int32");
    checkSymbolic(np.cumsum(x, 1), [null, 3], "float32");
    checkSymbolic(np.quantile(x, [0.1, 0.9], 1), [2, null], "float32");
    checkSymbolic(np.max(x, 0), [3], "float32");
    checkSymbolic(np.all(x, 0), [3], "bool");
  });
  it("leaks no tensors", () => {
    const x = f32([1.5, -2, NaN, 0, 4, 9], [2, 3]);
    const xi = tf.tensor([[1, -2, 3], [0, 4, 9]], undefined, "int32");
    noLeak(() => [
      np.sum(x, 1), np.mean(xi), np.max(x, 0, true, 1), np.amax(xi), np.min(x), np.amin(xi, 1), np.prod(x), np.var(xi), np.std(x, -1),
      np.all(x), np.any(xi, 0), np.argmax(x, 1), np.argmin(xi), np.cumsum(x, 1), np.cumprod(xi), np.median(x, 1), np.quantile(xi, [0.2, 0.5]),
      np.percentile(x, 50, -1), np.average(xi, 1, [1, 2, 3]), np.average(x), np.countNonzero(x), np.ptp(xi, 0), np.nansum(x), np.nanmean(x, 1),
      np.nanmax(x), np.nanmin(x, 0), np.nanprod(x), np.nanstd(x), np.nanvar(x, 1, true), np.nanargmax(x, 1), np.nanargmin(x), np.nancumsum(x),
      np.nancumprod(x, 0), np.nanmedian(x, 0), np.nanquantile(x, 0.3), np.nanpercentile(x, [10, 90], 1),
    ]);
    tf.dispose([x, xi]);
  });
});
