import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { setKerasMask } from "../../../lib/backend/masking.js";
import * as layers from "../../../lib/layers/index.js";
import { Attention } from "../../../lib/layers/attention/attention.js";
import { AdditiveAttention } from "../../../lib/layers/attention/additive-attention.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";
import { checkInputGrad, checkWeightGrads, trainSteps } from "./check-grad.js";

const E = Math.E;

describe("Attention", () => {
  it("computes softmax(q·kᵀ)·v (hand-computed)", () => {
    const q = tf.tensor3d([[[1, 0]]]);
    const v = tf.tensor3d([[[1, 0], [0, 1]]]);
    const layer = new Attention();
    const [out, scores] = layer.apply([q, v], { returnAttentionScores: true }) as unknown as Tensor[];
    const w0 = E / (E + 1);
    expectClose(scores, [w0, 1 - w0], 1e-6);
    expectClose(out, [w0, 1 - w0], 1e-6);
    expect(out.shape).toEqual([1, 1, 2]);
    expect(scores.shape).toEqual([1, 1, 2]);
    tf.dispose([q, v, out, scores]);
  });

  it("uses a separate key, the learned scale and the concat score mode", () => {
    const q = tf.tensor3d([[[1, 1]]]);
    const v = tf.tensor3d([[[10, 0], [0, 10]]]);
    const k = tf.tensor3d([[[1, 0], [0, 0]]]);
    const scaled = new Attention({ useScale: true });
    scaled.build([[1, 1, 2], [1, 2, 2], [1, 2, 2]]);
    scaled.setWeights([tf.scalar(2)]);
    const out = scaled.apply([q, v, k]) as Tensor;
    // scores [2, 0]
    const w = Math.exp(2) / (Math.exp(2) + 1);
    expectClose(out, [10 * w, 10 * (1 - w)], 1e-5);
    const concat = new Attention({ scoreMode: "concat" });
    const out2 = concat.apply([q, v, k]) as Tensor;
    // scores: sum(tanh(q + k)) = [tanh(2) + tanh(1), 2 tanh(1)]
    const s0 = Math.tanh(2) + Math.tanh(1);
    const s1 = 2 * Math.tanh(1);
    const w0 = Math.exp(s0) / (Math.exp(s0) + Math.exp(s1));
    expectClose(out2, [10 * w0, 10 * (1 - w0)], 1e-5);
    expect(concat.weights.map((x) => x.name)).toEqual(["concat_score_weight"]);
    tf.dispose([q, v, k, out, out2]);
  });

  it("masks: value mask, query mask, causal mask, and Keras masks of the inputs", () => {
    const q = tf.tensor3d([[[1, 0], [0, 1]]]);
    const v = tf.tensor3d([[[1, 2], [3, 4]]]);
    const layer = new Attention();
    const vMask = tf.tensor2d([[1, 0]], undefined, "bool");
    const qMask = tf.tensor2d([[1, 0]], undefined, "bool");
    const out = layer.apply([q, v], { mask: [null, vMask] }) as Tensor;
    expectClose(out, [1, 2, 1, 2], 1e-6);
    const out2 = layer.apply([q, v], { mask: [qMask, null] }) as Tensor;
    // keys = values: row 0 scores [1, 3]; row 1 scores [2, 4]
    const w = (E * E) / (1 + E * E);
    expectClose(out2, [(1 - w) * 1 + w * 3, (1 - w) * 2 + w * 4, 0, 0], 1e-5);
    const [causal, scores] = layer.apply([q, v], { useCausalMask: true, returnAttentionScores: true }) as unknown as Tensor[];
    expectClose(scores, [1, 0, 1 - w, w], 1e-5);
    expectClose(causal, [1, 2, (1 - w) * 1 + w * 3, (1 - w) * 2 + w * 4], 1e-5);
    // Keras masks attached to the inputs are used, and the query's mask is passed on.
    const qm = tf.clone(q);
    const vm = tf.clone(v);
    setKerasMask(vm, vMask);
    setKerasMask(qm, qMask);
    const out3 = layer.apply([qm, vm]) as Tensor;
    expectClose(out3, [1, 2, 0, 0], 1e-6);
    expect(layer.computeMask([qm, vm], [qMask, vMask])).toBe(qMask);
    tf.dispose([q, v, vMask, qMask, out, out2, causal, scores, qm, vm, out3]);
  });

  it("shapes: computeOutputShape and KerasTensors (with scores)", () => {
    const layer = new Attention();
    expect(layer.computeOutputShape([[null, 3, 4], [null, 5, 6]])).toEqual([null, 3, 6]);
    const q = new KerasTensor([null, 3, 4]);
    const v = new KerasTensor([null, 5, 4]);
    const out = layer.apply([q, v]) as unknown as KerasTensor;
    expect(out.shape).toEqual([null, 3, 4]);
    const both = layer.apply([q, v], { returnAttentionScores: true }) as unknown as KerasTensor[];
    expect(both.map((t) => t.shape)).toEqual([[null, 3, 4], [null, 3, 5]]);
    expect(() => layer.apply(q)).toThrow(/list of inputs/);
  });

  it("dropout only while training", () => {
    const layer = new Attention({ dropout: 0.5, seed: 3 });
    const q = tf.randomNormal([2, 4, 3], 0, 1, "float32", 1);
    const a = layer.apply([q, q]) as Tensor;
    const b = layer.apply([q, q]) as Tensor;
    expectClose(a, b, 0);
    const [, scores] = layer.apply([q, q], { training: true, returnAttentionScores: true }) as unknown as Tensor[];
    // the returned scores are before dropout: rows sum to 1
    expectClose(tf.sum(scores, -1), new Array(8).fill(1), 1e-5);
    const t = layer.apply([q, q], { training: true }) as Tensor;
    expect(Array.from(tf.sub(t, a).abs().max().dataSync())[0]).toBeGreaterThan(1e-3);
    tf.dispose([q, a, b, scores, t]);
  });

  it("gradients match finite differences; config round trip; training lowers the loss; no leaks", () => {
    const layer = new Attention({ useScale: true, scoreMode: "concat" });
    const q = tf.randomNormal([1, 2, 3], 0, 1, "float32", 4);
    const v = tf.randomNormal([1, 3, 3], 0, 1, "float32", 5);
    checkInputGrad((x) => layer.apply([x, v]) as Tensor, q);
    checkInputGrad((x) => layer.apply([q, x]) as Tensor, v);
    checkWeightGrads(() => layer.apply([q, v]) as Tensor, layer.trainableWeights);
    const clone = expectRoundTrip(layer, [q, v]);
    expect(clone.getConfig()).toEqual({ ...layer.getConfig(), name: clone.name });
    expect(layer.getConfig()).toMatchObject({ use_scale: true, score_mode: "concat", dropout: 0, seed: null });
    const target = tf.tensor3d([[[1, 0, 0], [0, 1, 0]]]);
    const dot = new Attention({ useScale: true });
    dot.apply([q, v]).dispose();
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(dot.apply([q, v]) as Tensor, target))), dot.trainableWeights, 20, 0.2);
    expect(last).toBeLessThan(first);
    expectNoLeaks(layer, () => [tf.ones([1, 2, 3]), tf.ones([1, 3, 3])], { returnAttentionScores: true });
    tf.dispose([q, v, target]);
  });
});

describe("AdditiveAttention", () => {
  it("computes sum(scale * tanh(q + k)) scores (hand-computed), config without score_mode", () => {
    const layer = layers.AdditiveAttention();
    const q = tf.tensor3d([[[1, 0]]]);
    const v = tf.tensor3d([[[1, 0], [0, 1]]]);
    layer.build([[1, 1, 2], [1, 2, 2]]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([["scale", [2]]]);
    layer.setWeights([tf.tensor1d([1, 2])]);
    const [out, scores] = layer.apply([q, v], { returnAttentionScores: true }) as unknown as Tensor[];
    const s0 = Math.tanh(2) + 2 * Math.tanh(0);
    const s1 = Math.tanh(1) + 2 * Math.tanh(1);
    const w0 = Math.exp(s0) / (Math.exp(s0) + Math.exp(s1));
    expectClose(scores, [w0, 1 - w0], 1e-5);
    expectClose(out, [w0, 1 - w0], 1e-5);
    const cfg = layer.getConfig();
    expect(Object.keys(cfg)).toEqual(["name", "trainable", "dtype", "use_scale", "dropout", "seed"]);
    expect(new AdditiveAttention({ useScale: false }).getConfig().use_scale).toBe(false);
    tf.dispose([q, v, out, scores]);
  });

  it("gradients, round trip, causal mask and KerasTensor shapes", () => {
    const layer = new AdditiveAttention();
    const q = tf.randomNormal([2, 3, 4], 0, 1, "float32", 8);
    const v = tf.randomNormal([2, 3, 4], 0, 1, "float32", 9);
    checkInputGrad((x) => layer.apply([x, v, v]) as Tensor, q);
    checkWeightGrads(() => layer.apply([q, v]) as Tensor, layer.trainableWeights);
    expectRoundTrip(layer, [q, v]);
    const [, scores] = layer.apply([q, v], { useCausalMask: true, returnAttentionScores: true }) as unknown as Tensor[];
    const s = scores.arraySync() as number[][][];
    expect(s[0][0][1]).toBe(0);
    expect(s[1][1][2]).toBe(0);
    const out = layer.apply([new KerasTensor([null, 3, 4]), new KerasTensor([null, 7, 4])]) as unknown as KerasTensor;
    expect(out.shape).toEqual([null, 3, 4]);
    tf.dispose([q, v, scores]);
  });
});
