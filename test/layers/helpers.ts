/** Shared helpers of the layer tests: Keras fixtures, closeness, round trips, leaks, gradients. */
import { expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import type { Layer } from "../../lib/layers/layer.js";

const FIX = join(__dirname, "..", "..", "..", "shared", "fixtures", "keras", "layers");

export interface JsonTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
export interface LayerFixture {
  layer_class: string;
  layer_config: Record<string, unknown>;
  training: boolean;
  inputs: JsonTensor[];
  weights: (JsonTensor & { path: string; name: string; trainable: boolean })[];
  output: JsonTensor;
}

export function loadFixture(name: string): LayerFixture {
  return JSON.parse(readFileSync(join(FIX, `${name}.json`), "utf8")) as LayerFixture;
}

export function tensorOf(j: JsonTensor): Tensor {
  return tf.tensor(j.data, j.shape, j.dtype.startsWith("int") ? "int32" : "float32");
}

/** Checks `actual` against expected values (flat) within `tol`. */
export function expectClose(actual: Tensor, expected: JsonTensor | number[] | Tensor, tol = 1e-5): void {
  let exp: number[];
  if (expected instanceof tf.Tensor) {
    expect(actual.shape).toEqual(expected.shape);
    exp = Array.from(expected.dataSync());
  } else if (Array.isArray(expected)) {
    exp = expected;
  } else {
    expect(actual.shape).toEqual(expected.shape);
    exp = expected.data;
  }
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(exp.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i] - exp[i]) <= tol)) throw new Error(`index ${i}: got ${got[i]}, expected ${exp[i]}`);
  }
}

/** Runs the layer's call `times` times, disposing outputs; the tensor count must come back. */
export function expectNoLeaks(layer: Layer, makeInput: () => unknown, kwargs: Record<string, unknown> = {}, times = 20): void {
  const input = makeInput();
  // First call builds (its weights are expected to stay).
  const first = layer.apply(input as never, kwargs);
  disposeAll(first, input);
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) {
    const out = layer.apply(input as never, kwargs);
    disposeAll(out, input);
  }
  expect(tf.memory().numTensors).toBe(before);
  disposeAll(input, null);
}

function disposeAll(x: unknown, keep: unknown): void {
  const keepSet = new Set<unknown>();
  const collect = (v: unknown): void => {
    if (v instanceof tf.Tensor) keepSet.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
  };
  collect(keep);
  const visit = (v: unknown): void => {
    if (v instanceof tf.Tensor) {
      if (!keepSet.has(v) && !v.isDisposed) v.dispose();
    } else if (Array.isArray(v)) v.forEach(visit);
  };
  visit(x);
}

/** `cls.fromConfig(layer.getConfig())` gives the same config and, with the same weights, the same output. */
export function expectRoundTrip(
  layer: Layer,
  input: unknown,
  kwargs: Record<string, unknown> = {},
): Layer {
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): Layer };
  const config = layer.getConfig();
  const json = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  const clone = cls.fromConfig(json);
  expect(clone.constructor).toBe(layer.constructor);
  expect(JSON.parse(JSON.stringify(clone.getConfig()))).toEqual(json);
  const a = layer.apply(input as never, kwargs) as Tensor;
  const b0 = clone.apply(input as never, kwargs) as Tensor;
  b0.dispose();
  const ws = layer.getWeights();
  clone.setWeights(ws);
  ws.forEach((w) => w.dispose());
  const b = clone.apply(input as never, kwargs) as Tensor;
  expectClose(b, a, 1e-6);
  a.dispose();
  b.dispose();
  return clone;
}

/** The gradient of sum(layer(x)) w.r.t. x: finite everywhere. Returns it as an array. */
export function inputGrad(layer: Layer, x: Tensor, kwargs: Record<string, unknown> = {}): number[] {
  const g = tf.grad((t: Tensor) => tf.sum(layer.apply(t, kwargs) as Tensor))(x);
  const vals = Array.from(g.dataSync());
  g.dispose();
  for (const v of vals) expect(Number.isFinite(v)).toBe(true);
  return vals;
}

/** The gradients of sum(layer(x)) w.r.t. the trainable weights, by weight path; all finite. */
export function weightGrads(layer: Layer, x: Tensor, kwargs: Record<string, unknown> = {}): Record<string, number[]> {
  const vars = layer.trainableWeights;
  const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, kwargs) as Tensor) as tf.Scalar, vars.map((v) => v.value));
  value.dispose();
  const out: Record<string, number[]> = {};
  vars.forEach((v) => {
    const g = grads[v.value.name];
    const vals = Array.from(g.dataSync());
    for (const n of vals) expect(Number.isFinite(n)).toBe(true);
    out[v.path] = vals;
  });
  Object.values(grads).forEach((g) => g.dispose());
  return out;
}

export function anyNonzero(xs: number[]): boolean {
  return xs.some((v) => v !== 0);
}
