import { describe, expect, it, beforeEach, afterEach } from "vitest";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import "../lib/ops/convert.js";
import * as regularizers from "../lib/regularizers/index.js";
import { L1, L1L2, L2, OrthogonalRegularizer } from "../lib/regularizers/index.js";

function scalar(t: Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

let baseline = 0;
let x: Tensor;
beforeEach(() => {
  baseline = tf.memory().numTensors;
  x = tf.tensor2d([
    [1, -2],
    [3, -4],
  ]);
});
afterEach(() => {
  x.dispose();
  expect(tf.memory().numTensors).toBe(baseline);
});

describe("values", () => {
  it("L1, L2, L1L2 on a known input", () => {
    expect(scalar(new L1(0.1).call(x))).toBeCloseTo(1.0, 6);
    expect(scalar(new L1().call(x))).toBeCloseTo(0.1, 6);
    expect(scalar(new L2({ l2: 0.5 }).call(x))).toBeCloseTo(15, 5);
    expect(scalar(new L2().call(x))).toBeCloseTo(0.3, 6);
    expect(scalar(new L1L2({ l1: 0.1, l2: 0.5 }).call(x))).toBeCloseTo(16, 5);
    expect(scalar(new L1L2().call(x))).toBe(0);
    expect(scalar(new L1L2(0.1, 0.01).call(x))).toBeCloseTo(1.3, 5);
  });

  it("OrthogonalRegularizer", () => {
    // orthogonal rows → 0
    const eye = tf.eye(3);
    expect(scalar(new OrthogonalRegularizer(1).call(eye))).toBeCloseTo(0, 6);
    eye.dispose();
    // rows [1,0],[1,1]: normalized dot = 1/sqrt2, counted twice (both off-diagonal
    // entries) and halved, over one pair
    const m = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    expect(scalar(new OrthogonalRegularizer({ factor: 1 }).call(m))).toBeCloseTo(1 / Math.SQRT2, 5);
    // columns [1,1],[0,1]: same dot
    expect(scalar(new OrthogonalRegularizer(0.5, "columns").call(m))).toBeCloseTo(0.5 / Math.SQRT2, 5);
    // three rows: pairs (0,1) dot 0, (0,2) dot 1/sqrt2, (1,2) dot 1/sqrt2 → 0.5 * 2 * sqrt2 / 3
    const m3 = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(scalar(new OrthogonalRegularizer(1).call(m3))).toBeCloseTo(Math.SQRT2 / 3, 5);
    m3.dispose();
    m.dispose();
    const v = tf.ones([3]);
    expect(() => new OrthogonalRegularizer().call(v)).toThrow(/rank 2/);
    v.dispose();
    expect(() => new OrthogonalRegularizer({ mode: "diag" as "rows" })).toThrow(/mode/);
  });

  it("rejects negative or non-finite factors", () => {
    expect(() => new L2(-1)).toThrow(/non-negative/);
    expect(() => new L1({ l1: Number.NaN })).toThrow(/non-negative/);
  });
});

describe("get / serialize / deserialize", () => {
  it("get resolves names and passes through objects", () => {
    expect(regularizers.get(null)).toBeNull();
    expect(regularizers.get(undefined)).toBeNull();
    expect(regularizers.get("l2")).toBeInstanceOf(L2);
    expect((regularizers.get("l2") as L2).l2).toBe(0.01);
    expect(regularizers.get("L2")).toBeInstanceOf(L2);
    expect(regularizers.get("l1")).toBeInstanceOf(L1);
    expect(regularizers.get("l1_l2")).toBeInstanceOf(L1L2);
    expect((regularizers.get("l1_l2") as L1L2).l1).toBe(0);
    expect(regularizers.get("orthogonal_regularizer")).toBeInstanceOf(OrthogonalRegularizer);
    const r = new L1(0.2);
    expect(regularizers.get(r)).toBe(r);
    expect(regularizers.l2(0.3)).toBeInstanceOf(L2);
    expect(regularizers.l1L2({ l1: 0.1 })).toBeInstanceOf(L1L2);
    const fn = (t: Tensor): Tensor => tf.sum(t);
    const wrapped = regularizers.get(fn);
    expect(scalar(wrapped!.call(x))).toBe(-2);
  });

  it("unknown names list valid names", () => {
    expect(() => regularizers.get("l3")).toThrow(/l3.*l1_l2/s);
    expect(regularizers.get("l1l2")).toBeInstanceOf(L1L2);
  });

  it("serializes as Keras does and round trips", () => {
    expect(regularizers.serialize(new L2())).toEqual({
      module: "keras.regularizers",
      class_name: "L2",
      config: { l2: 0.01 },
      registered_name: null,
    });
    expect(regularizers.serialize(new L1L2({ l1: 0.1 })).config).toEqual({ l1: 0.1, l2: 0 });
    expect(regularizers.serialize(new OrthogonalRegularizer()).config).toEqual({ factor: 0.01, mode: "rows" });
    for (const r of [new L1(0.3), new L2(0.2), new L1L2(0.1, 0.2), new OrthogonalRegularizer(0.1, "columns")]) {
      const ser = regularizers.serialize(r);
      const back = regularizers.deserialize(JSON.parse(JSON.stringify(ser)));
      expect(back.constructor).toBe(r.constructor);
      expect(back.getConfig()).toEqual(r.getConfig());
    }
    expect(regularizers.get({ class_name: "L1L2", config: { l1: 0.5, l2: 0.25 } })!.getConfig()).toEqual({ l1: 0.5, l2: 0.25 });
  });
});
