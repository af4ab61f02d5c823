/** Checks shared by the convolution and pooling layer tests: fixtures, finite differences, training. */
import { expect } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { valueAndGrad } from "../../../lib/backend/gradients.js";
import type { Variable } from "../../../lib/backend/variable.js";
import type { Layer } from "../../../lib/layers/layer.js";
import { expectClose, loadFixture, tensorOf } from "../helpers.js";

/** Deterministic pseudo-random numbers in [-1, 1). */
export function rand(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 2 ** 32) * 2 - 1);
  }
  return out;
}

/** A random float32 tensor of `shape`. */
export function randomTensor(shape: number[], seed: number): Tensor {
  return tf.tensor(rand(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Builds the layer for the fixture's input, loads its weights, compares output (1e-5), weight paths and config. */
export function checkFixture(name: string, layer: Layer): void {
  const f = loadFixture(name);
  const x = tensorOf(f.inputs[0]);
  layer.build(x.shape);
  expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
  if (f.weights.length > 0) layer.setWeights(f.weights.map(tensorOf));
  const y = layer.apply(x);
  expectClose(y, f.output, 1e-5);
  expect(layer.className).toBe(f.layer_class);
  expect(layer.getConfig()).toEqual(f.layer_config);
  tf.dispose([x, y]);
  layer.dispose();
}

/**
 * Compares the gradients of `sum(layer(x) * r)` with respect to the input and
 * each trainable weight with central finite differences (float32, so `eps` is
 * not tiny), on up to `samples` entries of each.
 */
export function checkGradients(layer: Layer, x: Tensor, { eps = 1e-2, tol = 2e-3, samples = 12 } = {}): void {
  const y0 = layer.apply(x) as Tensor;
  const r = randomTensor(y0.shape, 99);
  y0.dispose();
  const loss = (t: Tensor): number => {
    const v = tf.tidy(() => tf.sum(tf.mul(layer.apply(t) as Tensor, r)));
    const out = v.dataSync()[0];
    v.dispose();
    return out;
  };
  const pick = (size: number): number[] => {
    const step = Math.max(1, Math.floor(size / samples));
    const idx: number[] = [];
    for (let i = 0; i < size && idx.length < samples; i += step) idx.push(i);
    return idx;
  };
  // Input.
  const gx = tf.grad((t: Tensor) => tf.sum(tf.mul(layer.apply(t) as Tensor, r)))(x);
  const gxv = gx.dataSync();
  const xv = x.dataSync();
  for (const i of pick(x.size)) {
    const plus = Float32Array.from(xv);
    const minus = Float32Array.from(xv);
    plus[i] += eps;
    minus[i] -= eps;
    const tp = tf.tensor(plus, x.shape);
    const tm = tf.tensor(minus, x.shape);
    const fd = (loss(tp) - loss(tm)) / (2 * eps);
    tf.dispose([tp, tm]);
    expect(Math.abs(fd - gxv[i]), `d/dx[${i}]: finite difference ${fd}, gradient ${gxv[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(fd)));
  }
  gx.dispose();
  // Weights.
  const vars = layer.trainableWeights;
  if (vars.length > 0) {
    const { value, grads } = valueAndGrad(() => tf.sum(tf.mul(layer.apply(x) as Tensor, r)), vars);
    value.dispose();
    vars.forEach((v: Variable, k) => {
      const g = grads[k].dataSync();
      const orig = v.value.dataSync().slice();
      for (const i of pick(v.size)) {
        const p = Float32Array.from(orig);
        p[i] += eps;
        setTo(v, p);
        const lp = loss(x);
        p[i] -= 2 * eps;
        setTo(v, p);
        const lm = loss(x);
        const fd = (lp - lm) / (2 * eps);
        expect(Math.abs(fd - g[i]), `d/d${v.path}[${i}]: finite difference ${fd}, gradient ${g[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(fd)));
      }
      setTo(v, orig);
    });
    tf.dispose(grads);
  }
  r.dispose();
}

/**
 * A few steps of gradient descent on `mean((model(x) - target)^2)` over the
 * trainable weights of `layers` (applied in sequence); the loss must drop.
 */
export function checkTraining(layers: Layer[], x: Tensor, target: Tensor, { steps = 15, lr = 0.3 } = {}): void {
  const forward = (): Tensor => layers.reduce<Tensor>((h, l) => l.apply(h) as Tensor, x);
  const warm = forward();
  expect(warm.shape).toEqual(target.shape);
  warm.dispose();
  const vars = layers.flatMap((l) => l.trainableWeights);
  expect(vars.length).toBeGreaterThan(0);
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const { value, grads } = valueAndGrad(() => tf.mean(tf.square(tf.sub(forward(), target))), vars);
    losses.push(value.dataSync()[0]);
    vars.forEach((v, k) => {
      const next = tf.tidy(() => tf.sub(v.value, tf.mul(grads[k], lr)));
      v.assign(next);
      next.dispose();
    });
    tf.dispose([value, ...grads]);
  }
  expect(tf.memory().numTensors).toBe(before);
  expect(losses[losses.length - 1], `losses ${losses.map((l) => l.toFixed(4)).join(" ")}`).toBeLessThan(losses[0] * 0.9);
}

function setTo(v: Variable, values: Float32Array | Int32Array | Uint8Array): void {
  const t = tf.tensor(values, v.shape);
  v.assign(t);
  t.dispose();
}

/** NCHW-style transpose of a channels-last tensor (channels to axis 1). */
export function toChannelsFirst(x: Tensor): Tensor {
  return tf.transpose(x, [0, x.rank - 1, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 1)]);
}
