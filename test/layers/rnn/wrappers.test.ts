import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { Dense } from "../../../lib/layers/core/dense.js";
import { Embedding } from "../../../lib/layers/core/embedding.js";
import { Masking } from "../../../lib/layers/core/masking.js";
import { getKerasMask } from "../../../lib/backend/masking.js";
import { Bidirectional } from "../../../lib/layers/rnn/bidirectional.js";
import { TimeDistributed } from "../../../lib/layers/rnn/time-distributed.js";
import { LSTM } from "../../../lib/layers/rnn/lstm.js";
import { GRU } from "../../../lib/layers/rnn/gru.js";
import { ConvLSTM1D } from "../../../lib/layers/rnn/conv-lstm1d.js";
import { ConvLSTM2D } from "../../../lib/layers/rnn/conv-lstm2d.js";
import { ConvLSTM3D } from "../../../lib/layers/rnn/conv-lstm3d.js";
import * as layers from "../../../lib/layers/index.js";
import { deserializeKerasObject, serializeKerasObject } from "../../../lib/saving/serialization-lib.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, weightGrads } from "../helpers.js";

const x3 = (seed = 1): Tensor => tf.randomNormal([2, 5, 3], 0, 1, "float32", seed);

describe("Masking", () => {
  it("zeroes and masks the timesteps equal to maskValue", () => {
    const m = new Masking(-1);
    const x = tf.tensor([[[1, 2], [-1, -1], [-1, 3]]]);
    const y = m.apply(x) as Tensor;
    expectClose(y, [1, 2, 0, 0, -1, 3]);
    expectClose(getKerasMask(y)!, [1, 0, 1]);
    expect(m.getConfig().mask_value).toBe(-1);
    expect(layers.Masking().maskValue).toBe(0);
    expect(m.computeOutputShape([null, 3, 2])).toEqual([null, 3, 2]);
    expectRoundTrip(m, x);
    expect(anyNonzero(inputGrad(m, x))).toBe(true);
    // Gradients flow through Masking → LSTM to the inputs (the mask itself has none).
    const lstm = new LSTM(2);
    const g = tf.grad((t: Tensor) => tf.sum(lstm.apply(m.apply(t)) as Tensor))(x);
    expectClose(tf.slice(g, [0, 1, 0], [1, 1, 2]), [0, 0]);
    expect(anyNonzero(Array.from(g.dataSync()))).toBe(true);
  });
});

describe("Bidirectional", () => {
  it("merge modes combine the forward and the flipped backward outputs", () => {
    const x = x3();
    const base = new LSTM(4, { returnSequences: true });
    const bi = new Bidirectional(base, { mergeMode: null });
    const [f, b] = bi.apply(x) as unknown as Tensor[];
    expect(bi.forwardLayer.name).toBe(`forward_${base.name}`);
    expect(bi.backwardLayer.name).toBe(`backward_${base.name}`);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    const fw = bi.forwardLayer.apply(x) as Tensor;
    const bw = tf.reverse(bi.backwardLayer.apply(x) as Tensor, 1);
    expectClose(f, fw, 1e-6);
    expectClose(b, bw, 1e-6);
    const weights = bi.getWeights();
    for (const [mode, want] of [
      ["concat", tf.concat([fw, bw], -1)],
      ["sum", tf.add(fw, bw)],
      ["ave", tf.div(tf.add(fw, bw), 2)],
      ["mul", tf.mul(fw, bw)],
    ] as const) {
      const other = new Bidirectional(new LSTM(4, { returnSequences: true }), { mergeMode: mode });
      other.build([null, 5, 3]);
      other.setWeights(weights);
      expectClose(other.apply(x) as Tensor, want, 1e-6);
    }
    expect(() => new Bidirectional(base, { mergeMode: "max" as never })).toThrow(/merge mode/);
  });

  it("shapes, returnState, initial states and a custom backward layer", () => {
    const bi = new Bidirectional(new GRU(3, { returnState: true }), { backwardLayer: new GRU(3, { returnState: true, goBackwards: true }) });
    const out = bi.apply(new KerasTensor([null, 5, 2])) as unknown as KerasTensor[];
    expect(out.map((o) => o.shape)).toEqual([
      [null, 6],
      [null, 3],
      [null, 3],
    ]);
    const [y, hf, hb] = bi.apply(tf.randomNormal([2, 5, 2], 0, 1, "float32", 2), { initialState: [tf.ones([2, 3]), tf.zeros([2, 3])] } as never) as unknown as Tensor[];
    expect(y.shape).toEqual([2, 6]);
    expectClose(tf.slice(y, [0, 0], [2, 3]), hf, 1e-6);
    expectClose(tf.slice(y, [0, 3], [2, 3]), hb, 1e-6);
    expect(() => new Bidirectional(new GRU(3), { backwardLayer: new GRU(3) })).toThrow(/go_backwards/);
    const sums = new Bidirectional(new LSTM(2, { returnSequences: true }), { mergeMode: "sum" });
    expect(sums.computeOutputShape([null, 7, 3])).toEqual([null, 7, 2]);
  });

  it("masks reach both directions (forced zero outputs at masked steps)", () => {
    const emb = new Embedding(10, 3, { maskZero: true });
    const bi = new Bidirectional(new LSTM(2), { mergeMode: "concat" });
    const padded = emb.apply(tf.tensor([[4, 5, 6, 0]], undefined, "int32")) as Tensor;
    const y = bi.apply(padded) as Tensor;
    const short = emb.apply(tf.tensor([[4, 5, 6]], undefined, "int32")) as Tensor;
    expectClose(y, bi.apply(short) as Tensor, 1e-6);
    const seqBi = new Bidirectional(new LSTM(2, { returnSequences: true }));
    expect(seqBi.forwardLayer.zeroOutputForMask).toBe(true);
    const ys = seqBi.apply(padded) as Tensor;
    expectClose(tf.slice(ys, [0, 3, 0], [1, 1, 4]), [0, 0, 0, 0]);
  });

  it("config round trip, serialization, gradients, no leaks, training", async () => {
    const bi = new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: "ave" });
    const x = x3(3);
    expectRoundTrip(bi, x);
    const cfg = bi.getConfig();
    expect(cfg.merge_mode).toBe("ave");
    expect((cfg.layer as { config: { name: string } }).config.name).toBe(bi.forwardLayer.name);
    expect((cfg.backward_layer as { config: { go_backwards: boolean } }).config.go_backwards).toBe(true);
    const again = deserializeKerasObject(serializeKerasObject(bi)) as Bidirectional;
    expect(again).toBeInstanceOf(Bidirectional);
    expect(again.forwardLayer.name).toBe(bi.forwardLayer.name);
    expect(bi.weights.map((w) => w.path.split("/").slice(-3).join("/"))).toEqual([
      `${bi.forwardLayer.name}/lstm_cell/kernel`,
      `${bi.forwardLayer.name}/lstm_cell/recurrent_kernel`,
      `${bi.forwardLayer.name}/lstm_cell/bias`,
      `${bi.backwardLayer.name}/lstm_cell/kernel`,
      `${bi.backwardLayer.name}/lstm_cell/recurrent_kernel`,
      `${bi.backwardLayer.name}/lstm_cell/bias`,
    ]);
    expect(anyNonzero(inputGrad(bi, x))).toBe(true);
    expect(Object.keys(weightGrads(bi, x))).toHaveLength(6);
    expectNoLeaks(bi, () => x3(4));

    const keras = await import("../../../lib/index.js");
    const { weightPaths } = await import("../../../lib/saving/index.js");
    const seq = keras.Sequential([keras.layers.Input({ shape: [5, 3] }), keras.layers.Bidirectional(keras.layers.LSTM(2, { returnSequences: true })), keras.layers.RNN([keras.layers.GRUCell(2), keras.layers.SimpleRNNCell(2)])]);
    expect(weightPaths(seq).map((p) => p.path)).toEqual([
      // Keras visits attributes in sorted order: backward_layer before forward_layer.
      ...[0, 1, 2].map((i) => `layers/bidirectional/backward_layer/cell/vars/${i}`),
      ...[0, 1, 2].map((i) => `layers/bidirectional/forward_layer/cell/vars/${i}`),
      ...[0, 1, 2].map((i) => `layers/rnn/cell/cells/gru_cell/vars/${i}`),
      ...[0, 1, 2].map((i) => `layers/rnn/cell/cells/simple_rnn_cell/vars/${i}`),
    ]);
    seq.dispose();
    keras.utils.setRandomSeed(2);
    const xs = tf.randomNormal([32, 5, 2], 0, 1, "float32", 5);
    const ys = tf.sum(tf.slice(xs, [0, 0, 0], [32, 1, 2]), [1, 2]).expandDims(1);
    const model = keras.Sequential([
      keras.layers.Input({ shape: [5, 2] }),
      keras.layers.Bidirectional(keras.layers.GRU(6)),
      keras.layers.Dense(1),
    ]);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.02 }), loss: "mse" });
    const h = await model.fit(xs, ys, { epochs: 12, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
    model.dispose();
  });
});

describe("TimeDistributed", () => {
  it("TimeDistributed(Dense) applies the same Dense at every timestep", () => {
    const dense = new Dense(4, { activation: "relu" });
    const td = new TimeDistributed(dense);
    const x = x3(6);
    const y = td.apply(x) as Tensor;
    expect(y.shape).toEqual([2, 5, 4]);
    for (let t = 0; t < 5; t++) {
      const xt = tf.squeeze(tf.slice(x, [0, t, 0], [2, 1, 3]), [1]);
      expectClose(tf.squeeze(tf.slice(y, [0, t, 0], [2, 1, 4]), [1]), dense.apply(xt) as Tensor, 1e-6);
    }
    expect(td.weights).toHaveLength(2);
    expect(td.computeOutputShape([null, 7, 3])).toEqual([null, 7, 4]);
    expect((td.apply(new KerasTensor([null, 9, 3])) as KerasTensor).shape).toEqual([null, 9, 4]);
    expect(() => new TimeDistributed(new Dense(2)).apply(tf.ones([2, 3]))).toThrow(/at least 3 dimensions/);
    expectRoundTrip(td, x);
    expect(anyNonzero(inputGrad(td, x))).toBe(true);
    expectNoLeaks(td, () => x3(7));
  });

  it("wraps layers without computeOutputShape, and BatchNormalization per timestep", () => {
    const td = new TimeDistributed(new layers.Flatten());
    expect((td.apply(tf.ones([2, 3, 4, 5])) as Tensor).shape).toEqual([2, 3, 20]);
    expect(td.computeOutputShape([null, 3, 4, 5])).toEqual([null, 3, 20]);
    const bn = new TimeDistributed(new layers.BatchNormalization());
    const y = bn.apply(x3(8), { training: true }) as Tensor;
    expect(y.shape).toEqual([2, 5, 3]);
  });
});

describe("ConvLSTM", () => {
  it("ConvLSTM2D with a 1x1 kernel equals an LSTM run at every pixel", () => {
    const conv = new ConvLSTM2D(3, 1, { returnSequences: true });
    const x = tf.randomNormal([2, 4, 3, 3, 2], 0, 1, "float32", 9);
    const y = conv.apply(x) as Tensor;
    expect(y.shape).toEqual([2, 4, 3, 3, 3]);
    const [k, rk, b] = conv.getWeights();
    const lstm = new LSTM(3, { returnSequences: true });
    lstm.build([null, 4, 2]);
    lstm.setWeights([tf.reshape(k, [2, 12]), tf.reshape(rk, [3, 12]), b]);
    // [B, T, H, W, C] → [B*H*W, T, C]
    const perPixel = tf.reshape(tf.transpose(x, [0, 2, 3, 1, 4]), [18, 4, 2]);
    const want = tf.transpose(tf.reshape(lstm.apply(perPixel) as Tensor, [2, 3, 3, 4, 3]), [0, 3, 1, 2, 4]);
    expectClose(y, want, 1e-5);
  });

  it("shapes, padding, strides, returnState and channels_first", () => {
    const c2 = new ConvLSTM2D(4, 3, { returnState: true });
    const out = c2.apply(new KerasTensor([null, 5, 8, 8, 2])) as unknown as KerasTensor[];
    expect(out.map((o) => o.shape)).toEqual([
      [null, 6, 6, 4],
      [null, 6, 6, 4],
      [null, 6, 6, 4],
    ]);
    const [y, h, c] = c2.apply(tf.ones([1, 3, 8, 8, 2])) as unknown as Tensor[];
    expect([y.shape, h.shape, c.shape]).toEqual([
      [1, 6, 6, 4],
      [1, 6, 6, 4],
      [1, 6, 6, 4],
    ]);
    const same = new ConvLSTM1D(2, 3, { padding: "same", strides: 2, returnSequences: true });
    expect((same.apply(tf.ones([2, 3, 7, 1])) as Tensor).shape).toEqual([2, 3, 4, 2]);
    const c3 = new ConvLSTM3D({ filters: 2, kernelSize: [1, 2, 2] });
    expect((c3.apply(tf.ones([1, 2, 3, 3, 3, 1])) as Tensor).shape).toEqual([1, 3, 2, 2, 2]);
    const cf = new ConvLSTM2D(2, 3, { dataFormat: "channels_first", padding: "same" });
    expect((cf.apply(tf.ones([1, 2, 3, 5, 5])) as Tensor).shape).toEqual([1, 2, 5, 5]);
  });

  it("config round trip, gradients, masks, dropout and no leaks", () => {
    const layer = new ConvLSTM2D(2, [2, 2], { padding: "same", goBackwards: true, dropout: 0.2, recurrentDropout: 0.2, seed: 3 });
    const x = tf.randomNormal([2, 3, 4, 4, 1], 0, 1, "float32", 10);
    expectRoundTrip(layer, x);
    const cfg = layer.getConfig();
    expect(cfg.kernel_size).toEqual([2, 2]);
    expect(cfg.rank).toBeUndefined();
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [2, 2, 1, 8],
      [2, 2, 2, 8],
      [8],
    ]);
    expect(anyNonzero(inputGrad(layer, x))).toBe(true);
    for (const g of Object.values(weightGrads(layer, x, { training: true }))) expect(anyNonzero(g)).toBe(true);
    const mask = tf.tensor([[true, true, false], [true, false, false]], undefined, "bool");
    expect((layer.apply(x, { mask }) as Tensor).shape).toEqual([2, 4, 4, 2]);
    expectNoLeaks(layer, () => tf.randomNormal([2, 3, 4, 4, 1], 0, 1, "float32", 11), { training: true });
  });
});
