import { beforeEach, describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { getKerasMask, setKerasMask } from "../../../lib/backend/masking.js";
import * as keras from "../../../lib/index.js";
import { MultiHeadAttention } from "../../../lib/layers/attention/multi-head-attention.js";
import { GroupedQueryAttention } from "../../../lib/layers/attention/grouped-query-attention.js";
import { getBuiltin } from "../../../lib/saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject, weightPaths } from "../../../lib/saving/index.js";
import { einsum } from "../../../lib/ops/numpy/linalg.js";
import { expectClose, expectNoLeaks, expectRoundTrip, loadFixture, tensorOf } from "../helpers.js";
import { checkInputGrad, checkWeightGrads, trainSteps } from "./check-grad.js";

const { layers } = keras;

function rand(shape: number[], seed: number): Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

/** Max |a - b|. */
function maxDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe("MultiHeadAttention", () => {
  beforeEach(() => keras.utils.setRandomSeed(1));

  it("matches the Keras fixture (self-attention), with Keras's weights, paths and config", () => {
    const f = loadFixture("multi_head_attention_self");
    const mha = new MultiHeadAttention({ name: "mha", numHeads: 2, keyDim: 3 });
    mha.build({ query_shape: [null, 5, 6], value_shape: [null, 5, 6] });
    expect(mha.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
    expect(mha.weights.map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
    mha.setWeights(f.weights.map(tensorOf));
    const x = tensorOf(f.inputs[0]);
    const y = mha.apply(x, { value: x });
    expectClose(y, f.output, 1e-5);
    expect(mha.getConfig()).toEqual(f.layer_config);
    expect(mha.getBuildConfig()).toEqual({ shapes_dict: { query_shape: [null, 5, 6], value_shape: [null, 5, 6] } });
    expect(weightPaths(mha).map((p) => p.path)).toEqual([
      "key_dense/vars/0",
      "key_dense/vars/1",
      "output_dense/vars/0",
      "output_dense/vars/1",
      "query_dense/vars/0",
      "query_dense/vars/1",
      "value_dense/vars/0",
      "value_dense/vars/1",
    ]);
    // Keras's call signature in a Functional node: (query, value) positional.
    const y2 = mha.callFromNode([x, x], {}) as Tensor;
    expectClose(y2, y, 0);
    tf.dispose([x, y, y2]);
  });

  it("equals a hand-written multi-head attention (cross attention, key != value)", () => {
    const mha = layers.MultiHeadAttention(2, 3, { valueDim: 4, outputShape: 5 });
    const q = rand([2, 3, 6], 1);
    const v = rand([2, 4, 7], 2);
    const k = rand([2, 4, 8], 3);
    const [out, scores] = mha.apply(q, { value: v, key: k, returnAttentionScores: true }) as unknown as Tensor[];
    expect(out.shape).toEqual([2, 3, 5]);
    expect(scores.shape).toEqual([2, 2, 3, 4]);
    expect(mha.weights.map((w) => `${w.path} ${JSON.stringify(w.shape)}`)).toEqual([
      `${mha.name}/query/kernel [6,2,3]`,
      `${mha.name}/query/bias [2,3]`,
      `${mha.name}/key/kernel [8,2,3]`,
      `${mha.name}/key/bias [2,3]`,
      `${mha.name}/value/kernel [7,2,4]`,
      `${mha.name}/value/bias [2,4]`,
      `${mha.name}/attention_output/kernel [2,4,5]`,
      `${mha.name}/attention_output/bias [5]`,
    ]);
    const [wq, bq, wk, bk, wv, bv, wo, bo] = mha.weights.map((w) => w.value);
    const expected = tf.tidy(() => {
      const proj = (x: Tensor, w: Tensor, b: Tensor): Tensor => tf.add(einsum("btd,dnh->btnh", x, w), b);
      const Q = tf.mul(proj(q, wq, bq), 1 / Math.sqrt(3));
      const K = proj(k, wk, bk);
      const V = proj(v, wv, bv);
      const s = tf.softmax(einsum("btnh,bsnh->bnts", Q, K));
      const heads = einsum("bnts,bsnh->btnh", s, V);
      return [tf.add(einsum("btnh,nho->bto", heads, wo), bo), s];
    });
    expectClose(out, expected[0], 1e-5);
    expectClose(scores, expected[1], 1e-6);
    tf.dispose([q, v, k, out, scores, ...expected]);
  });

  it("attention mask, causal mask, sliding window and Keras masks of query and value", () => {
    const mha = new MultiHeadAttention(2, 2);
    const x = rand([1, 4, 3], 4);
    const mask = tf.tensor3d([[[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1]]]);
    const [, s] = mha.apply(x, { value: x, attentionMask: mask, returnAttentionScores: true }) as unknown as Tensor[];
    const sm = s.arraySync() as number[][][][];
    for (let h = 0; h < 2; h++) {
      expect(sm[0][h][0][2]).toBe(0);
      expect(sm[0][h][0][3]).toBe(0);
      expect(sm[0][h][3][0]).toBe(0);
      expectClose(tf.tensor(sm[0][h][3][3]), [1], 1e-6);
    }
    // Causal: position 0 ignores later positions.
    const x2 = tf.concat([x.slice([0, 0, 0], [1, 1, 3]), rand([1, 3, 3], 5)], 1);
    const c1 = mha.apply(x, { value: x, useCausalMask: true }) as Tensor;
    const c2 = mha.apply(x2, { value: x2, useCausalMask: true }) as Tensor;
    expect(maxDiff(c1.slice([0, 0, 0], [1, 1, 3]), c2.slice([0, 0, 0], [1, 1, 3]))).toBeLessThan(1e-6);
    expect(maxDiff(c1, c2)).toBeGreaterThan(1e-3);
    const [, cs] = mha.apply(x, { value: x, use_causal_mask: true, return_attention_scores: true }) as unknown as Tensor[];
    const csa = cs.arraySync() as number[][][][];
    expect(csa[0][1][1][2]).toBe(0);
    expect(csa[0][0][2][3]).toBe(0);
    // Sliding window of 2: |i - j| < 2.
    const sw = new MultiHeadAttention(1, 2, { slidingWindow: 2 });
    const [, ss] = sw.apply(x, { value: x, returnAttentionScores: true }) as unknown as Tensor[];
    const ssa = ss.arraySync() as number[][][][];
    expect(ssa[0][0][0][2]).toBe(0);
    expect(ssa[0][0][3][1]).toBe(0);
    expect(ssa[0][0][1][2]).toBeGreaterThan(0);
    // Keras mask on the value: masked steps get no weight; the query's mask is passed on.
    const vm = tf.clone(x);
    const vMask = tf.tensor2d([[1, 1, 1, 0]], undefined, "bool");
    setKerasMask(vm, vMask);
    const [om, ms] = mha.apply(x, { value: vm, returnAttentionScores: true }) as unknown as Tensor[];
    const msa = ms.arraySync() as number[][][][];
    for (let t = 0; t < 4; t++) expect(msa[0][1][t][3]).toBe(0);
    const qm = tf.clone(x);
    setKerasMask(qm, vMask);
    const oq = mha.apply(qm, { value: x }) as Tensor;
    expectClose(getKerasMask(oq) as Tensor, [1, 1, 1, 0], 0);
    tf.dispose([x, mask, s, x2, c1, c2, cs, ss, vm, vMask, om, ms, qm, oq]);
  });

  it("output shapes: computeOutputShape, KerasTensors, attention over 2 axes, outputShape", () => {
    const mha = new MultiHeadAttention(2, 4, { outputShape: [3, 2] });
    expect(mha.computeOutputShape([null, 5, 6], [null, 7, 6])).toEqual([null, 5, 3, 2]);
    const q = new KerasTensor([null, 5, 6]);
    const v = new KerasTensor([null, 7, 8]);
    const out = mha.apply(q, { value: v }) as unknown as KerasTensor;
    expect(out.shape).toEqual([null, 5, 3, 2]);
    const both = mha.apply(q, { value: v, returnAttentionScores: true }) as unknown as KerasTensor[];
    expect(both.map((t) => t.shape)).toEqual([[null, 5, 3, 2], [null, 2, 5, 7]]);
    // rank-4 inputs, attention over both spatial axes
    const img = new MultiHeadAttention(2, 2, { attentionAxes: [1, 2] });
    const x = rand([1, 2, 3, 4], 6);
    const [o, s] = img.apply(x, { value: x, returnAttentionScores: true }) as unknown as Tensor[];
    expect(o.shape).toEqual([1, 2, 3, 4]);
    expect(s.shape).toEqual([1, 2, 2, 3, 2, 3]);
    expectClose(tf.sum(s, [4, 5]), new Array(12).fill(1), 1e-5);
    expect(img.getConfig().attention_axes).toEqual([1, 2]);
    const sym = img.apply(new KerasTensor([null, 2, 3, 4]), { value: new KerasTensor([null, 2, 3, 4]), returnAttentionScores: true }) as unknown as KerasTensor[];
    expect(sym[1].shape).toEqual([null, 2, 2, 3, 2, 3]);
    // default attention axes: every axis but batch, heads and features; attentionAxes: -2 (axis 2) keeps axis 1 as a batch dim
    const ax = new MultiHeadAttention(1, 2);
    const [, s2] = ax.apply(x, { value: x, returnAttentionScores: true }) as unknown as Tensor[];
    expect(s2.shape).toEqual([1, 1, 2, 3, 2, 3]);
    const ax2 = new MultiHeadAttention(1, 2, { attentionAxes: 2 });
    const [, s3] = ax2.apply(x, { value: x, returnAttentionScores: true }) as unknown as Tensor[];
    expect(s3.shape).toEqual([1, 2, 1, 3, 3]);
    s3.dispose();
    expect(() => new MultiHeadAttention(0, 2)).toThrow(/num_heads/);
    expect(() => mha.apply(rand([1, 5, 6], 1))).toThrow(/needs a `value`/);
    tf.dispose([x, o, s, s2]);
  });

  it("in a Functional model: config round trip (Keras's positional args) and fit lowers the loss", async () => {
    const inp = keras.Input({ shape: [4, 3] });
    const mha = layers.MultiHeadAttention(2, 2, { name: "att" });
    const h = mha.apply(inp, { value: inp, useCausalMask: true }) as unknown as KerasTensor;
    const out = layers.Dense(1).apply(layers.Flatten().apply(h));
    const model = keras.Model({ inputs: inp, outputs: out });
    const json = JSON.parse(JSON.stringify(serializeKerasObject(model))) as {
      config: { layers: { name: string; inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[]; build_config?: unknown }[] };
    };
    const node = json.config.layers.find((l) => l.name === "att")!;
    expect(Object.keys(node.inbound_nodes[0].kwargs).sort()).toEqual(["use_causal_mask", "value"]);
    expect(node.build_config).toEqual({ shapes_dict: { query_shape: [null, 4, 3], value_shape: [null, 4, 3] } });
    const x = rand([16, 4, 3], 7);
    const y = tf.sum(x, [1, 2]).reshape([16, 1]);
    const clone = deserializeKerasObject(json) as keras.Functional;
    clone.setWeights(model.getWeights());
    const a = model.apply(x) as Tensor;
    const b = clone.apply(x) as Tensor;
    expectClose(b, a, 1e-6);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.02 }), loss: "mse" });
    const hist = await model.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
    const losses = hist.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([x, y, a, b]);
    model.dispose();
    clone.dispose();
  });

  it("gradients match finite differences; config round trip; dropout only while training; no leaks", () => {
    const mha = new MultiHeadAttention(2, 2, { dropout: 0.5, seed: 2 });
    const q = rand([1, 3, 4], 8);
    const v = rand([1, 2, 4], 9);
    checkInputGrad((x) => mha.apply(x, { value: v }) as Tensor, q);
    checkInputGrad((x) => mha.apply(q, { value: x }) as Tensor, v);
    checkWeightGrads(() => mha.apply(q, { value: v }) as Tensor, mha.trainableWeights, { coords: 3 });
    const a = mha.apply(q, { value: v }) as Tensor;
    const b = mha.apply(q, { value: v }) as Tensor;
    expectClose(a, b, 0);
    const t = mha.apply(q, { value: v, training: true }) as Tensor;
    expect(maxDiff(a, t)).toBeGreaterThan(1e-4);
    const clone = expectRoundTrip(mha, q, { value: v });
    expect(clone.getConfig().dropout).toBe(0.5);
    expectNoLeaks(mha, () => tf.ones([1, 3, 4]), { value: v, returnAttentionScores: true });
    expectNoLeaks(mha, () => tf.ones([1, 3, 4]), { value: v, useCausalMask: true, training: true });
    const before = tf.memory().numTensors;
    const fresh = new MultiHeadAttention(1, 2);
    fresh.apply(q, { value: v }).dispose();
    const nw = fresh.weights.length;
    fresh.dispose();
    expect(nw).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([q, v, a, b, t]);
  });

  it("use_gate adds a sigmoid gate projection; training with valueAndGrad lowers the loss", () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, useGate: true, useBias: false });
    const x = rand([2, 3, 4], 10);
    const y = mha.apply(x, { value: x }) as Tensor;
    expect(mha.weights.map((w) => w.path.split("/").slice(1).join("/"))).toEqual([
      "query/kernel",
      "key/kernel",
      "gate/kernel",
      "value/kernel",
      "attention_output/kernel",
    ]);
    expect(Object.keys(mha.saveableChildren())).toContain("_gate_dense");
    const target = rand([2, 3, 4], 11);
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(mha.apply(x, { value: x }) as Tensor, target))), mha.trainableWeights, 25, 0.2);
    expect(last).toBeLessThan(first * 0.9);
    tf.dispose([x, y, target]);
  });
});

describe("keras.layers.serialize / deserialize", () => {
  it("round trips attention layers through Keras's serialized dict", () => {
    for (const l of [layers.MultiHeadAttention(2, 3, { name: "m", attentionAxes: 1 }), layers.GroupQueryAttention(2, 4, 2), layers.Attention({ useScale: true })]) {
      const c = layers.serialize(l);
      expect(c).toMatchObject({ module: "keras.layers", class_name: l.className });
      const d = layers.deserialize(JSON.parse(JSON.stringify(c)) as Record<string, unknown>);
      expect(d.constructor).toBe(l.constructor);
      expect(d.getConfig()).toEqual(l.getConfig());
    }
    expect(() => layers.deserialize({ module: "keras.initializers", class_name: "Zeros", config: {}, registered_name: null })).toThrow(/not describe a layer/);
  });
});

describe("GroupedQueryAttention", () => {
  it("equals MultiHeadAttention when every query head has its own key/value head", () => {
    const gqa = new GroupedQueryAttention(3, 2, 2);
    const mha = new MultiHeadAttention(2, 3);
    const q = rand([2, 4, 5], 12);
    const v = rand([2, 3, 5], 13);
    const g = gqa.apply(q, { value: v }) as Tensor;
    mha.apply(q, { value: v }).dispose();
    expect(gqa.weights.map((w) => w.shape)).toEqual(mha.weights.map((w) => w.shape));
    mha.setWeights(gqa.getWeights());
    const m = mha.apply(q, { value: v }) as Tensor;
    expectClose(g, m, 1e-5);
    tf.dispose([q, v, g, m]);
  });

  it("shares key/value heads across query groups (numKeyValueHeads 1 == MHA with tiled kernels)", () => {
    const gqa = layers.GroupQueryAttention(2, 4, 1, { name: "gqa" });
    expect(gqa).toBeInstanceOf(GroupedQueryAttention);
    const x = rand([1, 3, 6], 14);
    const [g, gs] = gqa.apply(x, { value: x, returnAttentionScores: true }) as unknown as Tensor[];
    expect(gs.shape).toEqual([1, 4, 3, 3]);
    expect(gqa.weights.map((w) => `${w.path} ${JSON.stringify(w.shape)}`)).toEqual([
      "gqa/query/kernel [6,4,2]",
      "gqa/query/bias [4,2]",
      "gqa/key/kernel [6,1,2]",
      "gqa/key/bias [1,2]",
      "gqa/value/kernel [6,1,2]",
      "gqa/value/bias [1,2]",
      "gqa/attention_output/kernel [4,2,6]",
      "gqa/attention_output/bias [6]",
    ]);
    const mha = new MultiHeadAttention(4, 2);
    mha.apply(x, { value: x }).dispose();
    const w = gqa.getWeights();
    const tile = (t: Tensor): Tensor => tf.tile(t, t.rank === 3 ? [1, 4, 1] : [4, 1]);
    mha.setWeights([w[0], w[1], tile(w[2]), tile(w[3]), tile(w[4]), tile(w[5]), w[6], w[7]]);
    const m = mha.apply(x, { value: x }) as Tensor;
    expectClose(g, m, 1e-5);
    expect(gqa.getConfig()).toMatchObject({ head_dim: 2, num_query_heads: 4, num_key_value_heads: 1, use_gate: false, sliding_window: null });
    expect(getBuiltin("GroupQueryAttention", "keras.layers")?.cls).toBe(GroupedQueryAttention);
    expect(Object.keys(gqa.saveableChildren())).toEqual(["_dropout_layer", "_key_dense", "_output_dense", "_query_dense", "_softmax", "_value_dense"]);
    expect(() => new GroupedQueryAttention(2, 3, 2)).toThrow(/divisible/);
    tf.dispose([x, g, gs, m, ...w]);
  });

  it("masks, shapes, gradients, round trip, training and leaks", () => {
    const gqa = new GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 });
    const x = rand([1, 3, 4], 15);
    const [, s] = gqa.apply(x, { value: x, useCausalMask: true, returnAttentionScores: true }) as unknown as Tensor[];
    const sa = s.arraySync() as number[][][][];
    expect(sa[0][1][0][1]).toBe(0);
    expect(sa[0][0][1][2]).toBe(0);
    const am = tf.tensor3d([[[1, 0, 0], [1, 1, 0], [0, 0, 1]]]);
    const [, s2] = gqa.apply(x, { value: x, attentionMask: am, returnAttentionScores: true }) as unknown as Tensor[];
    expectClose(s2.slice([0, 0, 2, 0], [1, 1, 1, 3]), [0, 0, 1], 1e-6);
    expect(gqa.computeOutputShape([null, 3, 4], [null, 5, 4])).toEqual([null, 3, 4]);
    const sym = gqa.apply(new KerasTensor([null, 3, 4]), { value: new KerasTensor([null, 5, 4]), returnAttentionScores: true }) as unknown as KerasTensor[];
    expect(sym.map((t) => t.shape)).toEqual([[null, 3, 4], [null, 2, 3, 5]]);
    const xq = tf.clone(x); // not the value tensor itself: tf.grad would follow both paths
    checkInputGrad((t) => gqa.apply(t, { value: x }) as Tensor, xq);
    checkInputGrad((t) => gqa.apply(xq, { value: t }) as Tensor, x);
    xq.dispose();
    checkWeightGrads(() => gqa.apply(x, { value: x }) as Tensor, gqa.trainableWeights, { coords: 3 });
    expectRoundTrip(gqa, x, { value: x });
    const target = rand([1, 3, 4], 16);
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(gqa.apply(x, { value: x }) as Tensor, target))), gqa.trainableWeights, 20, 0.2);
    expect(last).toBeLessThan(first);
    expectNoLeaks(gqa, () => tf.ones([1, 3, 4]), { value: x, useCausalMask: true, returnAttentionScores: true });
    tf.dispose([x, s, am, s2, target]);
  });
});

