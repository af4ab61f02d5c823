import { describe, expect, it, beforeEach, afterEach } from "vitest";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import "../lib/ops/convert.js";
import * as constraints from "../lib/constraints/index.js";
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from "../lib/constraints/index.js";
import { epsilon } from "../lib/backend/config.js";

function arr(t: Tensor): number[][] {
  const v = t.arraySync() as number[][];
  t.dispose();
  return v;
}

function close(a: number[][], b: number[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5)));
}

let baseline = 0;
let w: Tensor;
beforeEach(() => {
  baseline = tf.memory().numTensors;
  // columns have norms 5 and 1
  w = tf.tensor2d([
    [3, 0],
    [-4, 1],
  ]);
});
afterEach(() => {
  w.dispose();
  expect(tf.memory().numTensors).toBe(baseline);
});

describe("projections", () => {
  it("MaxNorm clips the column norms to maxValue", () => {
    const e = epsilon();
    close(arr(new MaxNorm().call(w)), [
      [(3 * 2) / (5 + e), 0],
      [(-4 * 2) / (5 + e), 1 / (1 + e)],
    ]);
    close(arr(new MaxNorm({ maxValue: 1, axis: 1 }).call(w)), [
      [3 / 3, 0],
      [-4 / Math.sqrt(17), 1 / Math.sqrt(17)],
    ]);
    const c = new MaxNorm(2, [0, 1]);
    const out = c.call(w);
    const n = tf.tidy(() => tf.norm(out).dataSync()[0]);
    out.dispose();
    expect(n).toBeCloseTo(2, 5);
  });

  it("MinMaxNorm moves norms into range at rate", () => {
    close(arr(new MinMaxNorm({ minValue: 2, maxValue: 4 }).call(w)), [
      [(3 * 4) / 5, 0],
      [(-4 * 4) / 5, 2],
    ]);
    // rate 0.5: desired = 0.5 * clip + 0.5 * norm
    close(arr(new MinMaxNorm({ minValue: 2, maxValue: 4, rate: 0.5 }).call(w)), [
      [(3 * 4.5) / 5, 0],
      [(-4 * 4.5) / 5, 1.5],
    ]);
  });

  it("NonNeg and UnitNorm", () => {
    close(arr(new NonNeg().call(w)), [
      [3, 0],
      [0, 1],
    ]);
    close(arr(new UnitNorm().call(w)), [
      [0.6, 0],
      [-0.8, 1],
    ]);
    close(arr(new UnitNorm(1).call(w)), [
      [1, 0],
      [-4 / Math.sqrt(17), 1 / Math.sqrt(17)],
    ]);
  });
});

describe("get / serialize / deserialize", () => {
  it("get", () => {
    expect(constraints.get(null)).toBeNull();
    expect(constraints.get("max_norm")).toBeInstanceOf(MaxNorm);
    expect((constraints.get("max_norm") as MaxNorm).maxValue).toBe(2);
    expect((constraints.get("MaxNorm") as MaxNorm).axis).toBe(0);
    expect(constraints.get("non_neg")).toBeInstanceOf(NonNeg);
    expect(constraints.get("unit_norm")).toBeInstanceOf(UnitNorm);
    expect(constraints.get("min_max_norm")).toBeInstanceOf(MinMaxNorm);
    const c = new NonNeg();
    expect(constraints.get(c)).toBe(c);
    expect(constraints.maxNorm(3)).toBeInstanceOf(MaxNorm);
    const fn = (t: Tensor): Tensor => tf.clipByValue(t, -1, 1);
    close(arr(constraints.get(fn)!.call(w)), [
      [1, 0],
      [-1, 1],
    ]);
    expect(() => constraints.get("maxnorm2")).toThrow(/maxnorm2.*max_norm/s);
  });

  it("serializes as Keras does and round trips", () => {
    expect(constraints.serialize(new MaxNorm())).toEqual({
      module: "keras.constraints",
      class_name: "MaxNorm",
      config: { max_value: 2, axis: 0 },
      registered_name: null,
    });
    expect(constraints.serialize(new NonNeg()).config).toEqual({});
    expect(new MinMaxNorm().getConfig()).toEqual({ min_value: 0, max_value: 1, rate: 1, axis: 0 });
    for (const c of [new MaxNorm(3, [0, 1]), new MinMaxNorm(0.5, 2, 0.3, 1), new NonNeg(), new UnitNorm(1)]) {
      const ser = constraints.serialize(c);
      const back = constraints.deserialize(JSON.parse(JSON.stringify(ser)));
      expect(back.constructor).toBe(c.constructor);
      expect(back.getConfig()).toEqual(c.getConfig());
    }
  });
});
