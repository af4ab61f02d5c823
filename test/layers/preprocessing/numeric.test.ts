import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as keras from "../../../lib/index.js";
import { Normalization } from "../../../lib/layers/preprocessing/normalization.js";
import { Discretization } from "../../../lib/layers/preprocessing/discretization.js";
import { Hashing } from "../../../lib/layers/preprocessing/hashing.js";
import { HashedCrossing } from "../../../lib/layers/preprocessing/hashed-crossing.js";
import { CategoryEncoding } from "../../../lib/layers/preprocessing/category-encoding.js";
import { Rescaling } from "../../../lib/layers/preprocessing/rescaling.js";
import { Resizing } from "../../../lib/layers/preprocessing/resizing.js";
import { CenterCrop } from "../../../lib/layers/preprocessing/center-crop.js";
import { Pipeline } from "../../../lib/layers/preprocessing/pipeline.js";
import { deserializeKerasObject, serializeKerasObject } from "../../../lib/saving/serialization-lib.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";

const { layers } = keras;

function vals(t: Tensor): unknown[] {
  const v = t.arraySync();
  t.dispose();
  return v as unknown[];
}

/** NumPy's mean and (population) variance along axis 0 of rows, in float64. */
function npMoments(rows: number[][]): [number[], number[]] {
  const n = rows.length;
  const mean = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const v = rows[0].map((_, j) => rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n);
  return [mean, v];
}

describe("Normalization", () => {
  it("Keras docstring examples", () => {
    const l1 = layers.Normalization({ axis: null });
    l1.adapt([1, 2, 3, 4, 5]);
    expectClose(l1([1, 2, 3]), [-1.4142135, -0.70710677, 0]);
    const adaptData = [[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]];
    const l2 = new Normalization({ axis: -1 });
    l2.adapt(adaptData);
    expectClose(l2([[0, 7, 4]]), [-1, -1, -1]);
    const l3 = new Normalization({ mean: 3, variance: 2 });
    expectClose(l3([[1], [2], [3]]), [-1.4142135, -0.70710677, 0]);
    const l4 = new Normalization({ axis: -1, invert: true });
    l4.adapt(adaptData);
    expectClose(l4([[1, 2, 3]]), [2, 10, 8]);
  });

  it("exposes mean and variance in the broadcast shape, as Keras's layer.mean and layer.variance", () => {
    const n = new Normalization({ axis: -1 });
    expect(n.mean).toBeNull();
    n.adapt([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
    const before = tf.memory().numTensors;
    const [m, v] = [n.mean!, n.variance!];
    expect(m.shape).toEqual([1, 3]);
    expectClose(m, [1, 8, 5]);
    expectClose(v, [1, 1, 1]);
    tf.dispose([m, v]);
    expect(tf.memory().numTensors).toBe(before);
    const given = new Normalization({ mean: [1, 2], variance: [4, 9] });
    given.build([null, 2]);
    expectClose(given.mean!, [1, 2]);
    expectClose(given.variance!, [4, 9]);
  });

  it("adapt: mean and variance equal NumPy's, from arrays, tensors and batches; weights mean/variance/count", () => {
    const rows = Array.from({ length: 37 }, (_, i) => [Math.sin(i) * 3 + 1, (i * 7919) % 13, i / 10]);
    const [m, v] = npMoments(rows);
    const a = new Normalization();
    a.adapt(rows);
    expect(a.weights.map((w) => w.name)).toEqual(["mean", "variance", "count"]);
    expect(a.trainableWeights.length).toBe(0);
    expectClose(a.adaptMean!.value, m, 1e-5);
    expectClose(a.adaptVariance!.value, v, 1e-4);
    const t = tf.tensor2d(rows);
    const b = new Normalization();
    b.adapt(t);
    expectClose(b.adaptMean!.value, m, 1e-5);
    // An iterable of batches (with labels) merges batch statistics as Keras.
    const batches = [0, 10, 20, 30].map((s) => [tf.tensor2d(rows.slice(s, s + 10)), tf.zeros([Math.min(10, 37 - s)])]);
    const c = new Normalization();
    expect(c.adapt(batches)).toBeUndefined();
    expectClose(c.adaptMean!.value, m, 1e-5);
    expectClose(c.adaptVariance!.value, v, 1e-4);
    tf.dispose([t, ...batches.flat()]);
  });

  it("adapt leaks no tensors", () => {
    const l = new Normalization();
    const x = tf.tensor2d([[1, 2], [3, 5]]);
    l.adapt(x);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) l.adapt(x);
    l.adapt([[1, 2], [0, 1]]);
    const d = new Discretization({ numBins: 2 });
    d.adapt(x);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it("adapt from an async iterable returns a Promise", async () => {
    async function* gen(): AsyncGenerator<number[][]> {
      yield [[1], [2]];
      yield [[3], [4]];
    }
    const l = new Normalization();
    const r = l.adapt(gen());
    expect(r).toBeInstanceOf(Promise);
    await r;
    expectClose(l.adaptMean!.value, [2.5]);
    expectClose(l.adaptVariance!.value, [1.25]);
  });

  it("multiple axes, broadcasting mean, config, symbolic, round trip, no leaks", () => {
    const l = new Normalization({ axis: [1, 2] });
    const x = tf.randomNormal([6, 2, 3], 5, 2);
    l.adapt(x);
    expect(l.adaptMean!.shape).toEqual([2, 3]);
    const y = l(x);
    expectClose(tf.moments(y, 0).mean, [0, 0, 0, 0, 0, 0], 1e-4);
    y.dispose();
    const g = new Normalization({ axis: -1, mean: [1, 2], variance: [4, 9] });
    expectClose(g([[3, 5]]), [1, 1]);
    expect(g.getConfig()).toMatchObject({ axis: [-1], invert: false, mean: [1, 2], variance: [4, 9] });
    expect(new Normalization({ axis: null }).getConfig().axis).toEqual([]);
    expect(l(new KerasTensor([null, 2, 3])).shape).toEqual([null, 2, 3]);
    expectRoundTrip(l, x);
    expectNoLeaks(l, () => tf.ones([2, 2, 3]));
    expect(() => new Normalization({ mean: 1 })).toThrow(/both `mean` and `variance`/);
    x.dispose();
  });
});

describe("Rescaling, Resizing, CenterCrop", () => {
  it("Rescaling scales and offsets", () => {
    const r = layers.Rescaling(1 / 127.5, { offset: -1 });
    expectClose(r([[0, 127.5, 255]]), [-1, 0, 1]);
    const pc = new Rescaling({ scale: [1, 2, 3] });
    expectClose(pc([[1, 1, 1]]), [1, 2, 3]);
    expect(r.getConfig()).toMatchObject({ scale: 1 / 127.5, offset: -1 });
    expectRoundTrip(r, tf.ones([1, 3]));
    expectNoLeaks(r, () => tf.ones([2, 3]));
  });

  it("Resizing bilinear / nearest / crop and pad to aspect ratio", () => {
    const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const up = layers.Resizing(4, 4, { interpolation: "nearest" });
    expect((vals(up(img)) as number[][][][])[0].map((r) => r.map((c) => c[0]))).toEqual([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    const down = new Resizing(1, 1);
    expectClose(down(img), [2.5]);
    const wide = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]);
    const crop = new Resizing(2, 2, { cropToAspectRatio: true, interpolation: "nearest" });
    expectClose(crop(wide), [2, 3, 6, 7]);
    const pad = new Resizing(4, 4, { padToAspectRatio: true, interpolation: "nearest" });
    expectClose(pad(wide), [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    expect(up(new KerasTensor([null, 8, 8, 3])).shape).toEqual([null, 4, 4, 3]);
    expect(up.getConfig()).toMatchObject({ height: 4, width: 4, interpolation: "nearest", crop_to_aspect_ratio: false, pad_to_aspect_ratio: false, fill_mode: "constant", fill_value: 0, antialias: false, data_format: "channels_last" });
    expectRoundTrip(up, img);
    expectNoLeaks(down, () => tf.ones([2, 3, 3, 1]));
    tf.dispose([img, wide]);
  });

  it("CenterCrop crops the center, or smart-resizes smaller images", () => {
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]);
    const cc = layers.CenterCrop(2, 2);
    expectClose(cc(x), [5, 6, 9, 10]);
    const odd = new CenterCrop(1, 3);
    expectClose(odd(x), [4, 5, 6]);
    const big = new CenterCrop(8, 8);
    expect(big(x).shape).toEqual([1, 8, 8, 1]);
    expect(cc(new KerasTensor([null, 10, 10, 3])).shape).toEqual([null, 2, 2, 3]);
    expect(cc.getConfig()).toMatchObject({ height: 2, width: 2, data_format: "channels_last" });
    expectRoundTrip(cc, x);
    x.dispose();
  });
});

describe("Discretization", () => {
  const input = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]];
  it("Keras docstring examples: boundaries and adapted quantiles", () => {
    const l = new Discretization({ binBoundaries: [0, 1, 2] });
    const y = l(input);
    expect(y.dtype).toBe("int32");
    expect(vals(y)).toEqual([[0, 2, 3, 1], [1, 3, 2, 1]]);
    const a = layers.Discretization({ numBins: 4, epsilon: 0.01 });
    a.adapt(input);
    expect(a.binBoundaries).toEqual([0, 0.5, Math.fround(1.3)]);
    expect(vals(a(input))).toEqual([[0, 2, 3, 2], [1, 3, 3, 1]]);
  });

  it("adapt quantiles from batches, encodings, config", () => {
    const data = Array.from({ length: 1000 }, (_, i) => i);
    const a = new Discretization({ numBins: 4 });
    a.adapt([data.slice(0, 500), data.slice(500)]);
    const b = a.binBoundaries!;
    expect(b.length).toBe(3);
    [250, 500, 750].forEach((q, i) => expect(Math.abs(b[i] - q)).toBeLessThan(15));
    const oh = new Discretization({ binBoundaries: [0, 1], outputMode: "one_hot" });
    expect(vals(oh([[-1], [0.5], [2]]))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const ct = new Discretization({ binBoundaries: [0, 1], outputMode: "count" });
    expect(vals(ct([[-1, 2, 3]]))).toEqual([[1, 0, 2]]);
    const cfg = a.getConfig();
    expect(cfg).toMatchObject({ num_bins: 4, epsilon: 0.01, output_mode: "int", sparse: false, dtype: "float32" });
    const c = Discretization.fromConfig(JSON.parse(JSON.stringify(cfg)));
    expect(c.binBoundaries).toEqual(b);
    expect(() => new Discretization({})).toThrow(/either `num_bins` or `bin_boundaries`/);
    expect(new Discretization({ binBoundaries: [0] })(new KerasTensor([null, 3])).dtype).toBe("int32");
    expectNoLeaks(oh, () => tf.ones([2, 1]));
  });
});

describe("CategoryEncoding", () => {
  it("Keras docstring examples", () => {
    expect(vals(layers.CategoryEncoding(4, { outputMode: "one_hot" })([3, 2, 0, 1]))).toEqual([[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
    const mh = new CategoryEncoding({ numTokens: 4, outputMode: "multi_hot" });
    expect(vals(mh([[0, 1], [0, 0], [1, 2], [3, 1]]))).toEqual([[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
    const ct = new CategoryEncoding(4, { outputMode: "count" });
    const y = ct.apply([[0, 1], [0, 0], [1, 2], [3, 1]], { countWeights: [[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]] });
    expectClose(y, [0.1, 0.2, 0, 0, 0.2, 0, 0, 0, 0, 0.2, 0.3, 0, 0, 0.2, 0, 0.4]);
    expect(mh.computeOutputShape([null, 2])).toEqual([null, 4]);
    expect(mh.getConfig()).toMatchObject({ num_tokens: 4, output_mode: "multi_hot", sparse: false });
    expectRoundTrip(mh, tf.tensor2d([[0, 3]], [1, 2], "int32"));
    expectNoLeaks(mh, () => tf.tensor2d([[0, 3]], [1, 2], "int32"));
  });
});

describe("Hashing and HashedCrossing (bins equal Keras's)", () => {
  const inp = [["A"], ["B"], ["C"], ["D"], ["E"]];
  it("Hashing docstring examples: FarmHash64, mask value, SipHash64 salts", () => {
    const h = layers.Hashing(3);
    const y = h(inp);
    expect(y.dtype).toBe("int32");
    expect(vals(y)).toEqual([[1], [0], [1], [1], [2]]);
    expect(vals(new Hashing({ numBins: 3, maskValue: "" })([["A"], ["B"], [""], ["C"], ["D"]]))).toEqual([[1], [1], [0], [2], [2]]);
    expect(vals(new Hashing(3, { salt: [133, 137] })(inp))).toEqual([[1], [2], [1], [0], [2]]);
    expect(vals(new Hashing(3, { salt: 133 })(inp))).toEqual([[0], [0], [2], [1], [0]]);
  });

  it("Hashing integers (as decimal strings), encodings, config", () => {
    const h = new Hashing(4);
    expect(vals(h([100, 300, 700, 1100, 1700, 2000]))).toEqual([3, 3, 2, 2, 0, 1]);
    const oh = new Hashing(3, { outputMode: "one_hot" });
    expect(vals(oh([["A"], ["B"]]))).toEqual([[0, 1, 0], [1, 0, 0]]);
    expect(oh(new KerasTensor([null, 1], { dtype: "string" })).shape).toEqual([null, 3]);
    const cfg = new Hashing(3, { salt: 7 }).getConfig();
    expect(cfg).toMatchObject({ num_bins: 3, salt: [7, 7], mask_value: null, output_mode: "int", sparse: false });
    expect((cfg.dtype as { config: { name: string } }).config.name).toBe("int64");
    const c = Hashing.fromConfig(JSON.parse(JSON.stringify(cfg)));
    expect(c.getConfig()).toEqual(cfg);
    expectNoLeaks(h, () => tf.tensor1d([1, 2], "int32"));
  });

  it("HashedCrossing docstring examples", () => {
    const f1 = ["A", "B", "A", "B", "A"];
    const f2 = [101, 101, 101, 102, 102];
    const hc = layers.HashedCrossing(5);
    expect(vals(hc([f1, f2]))).toEqual([1, 4, 1, 1, 3]);
    const oh = new HashedCrossing(5, { outputMode: "one_hot" });
    expect(vals(oh([f1, f2]))).toEqual([[0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 0]]);
    expect(hc.getConfig()).toEqual({ num_bins: 5, output_mode: "int", sparse: false, name: hc.name, dtype: "int64" });
    expect(hc([new KerasTensor([null, 1], { dtype: "string" }), new KerasTensor([null, 1], { dtype: "int32" })]).shape).toEqual([null, 1]);
    expect(() => hc([f1])).toThrow(/list or tuple|at least two/);
    const one = tf.tensor1d([1, 2], "int32");
    expect(() => hc([one])).toThrow(/at least two inputs/);
    one.dispose();
  });
});

describe("Pipeline", () => {
  it("applies layers in order, serializes them, and works in a Functional model", () => {
    const p = layers.Pipeline([layers.Rescaling(2), layers.Rescaling(1, { offset: 1 })]);
    expectClose(p([[1, 2]]), [3, 5]);
    const cfg = p.getConfig();
    expect(Object.keys(cfg).sort()).toEqual(["layers", "name"]);
    const clone = Pipeline.fromConfig(JSON.parse(JSON.stringify(cfg)));
    expectClose(clone([[1, 2]]), [3, 5]);
    const ser = serializeKerasObject(p) as Record<string, unknown>;
    expect(ser.class_name).toBe("Pipeline");
    expect(deserializeKerasObject(JSON.parse(JSON.stringify(ser)))).toBeInstanceOf(Pipeline);
    const text = layers.Pipeline([layers.StringLookup({ vocabulary: ["a", "b"] }), layers.CategoryEncoding(3, { outputMode: "one_hot" })]);
    expect(vals(text(["b", "a", "q"]))).toEqual([[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
    const inp = keras.Input({ shape: [2] });
    const out = p(inp);
    expect(out.shape).toEqual([null, 2]);
    const model = keras.Model({ inputs: inp, outputs: layers.Dense(1)(out) });
    expect(model.layers.length).toBe(3);
    expect(p.saveableChildren().layers).toBe(p.layers);
  });
});

describe("preprocessing in a Functional model and fit", () => {
  it("Normalization → Dense trains; CategoryEncoding → Dense trains", async () => {
    const xs = tf.randomNormal([64, 3], 10, 5, "float32", 1);
    const ys = tf.sum(tf.div(tf.sub(xs, 10), 5), 1, true);
    const norm = layers.Normalization();
    norm.adapt(xs);
    const inp = keras.Input({ shape: [3] });
    const model = keras.Model({ inputs: inp, outputs: layers.Dense(1)(norm(inp)) });
    model.compile({ optimizer: keras.optimizers.Adam(0.1), loss: "mse" });
    const h = await model.fit(xs, ys, { epochs: 20, batchSize: 16, verbose: 0 });
    const l = h.history.loss as number[];
    expect(l[l.length - 1]).toBeLessThan(l[0] * 0.5);
    expect(model.nonTrainableWeights.map((w) => w.name)).toEqual(["mean", "variance", "count"]);

    const ids = tf.tensor2d(Array.from({ length: 32 }, (_, i) => [i % 4]), [32, 1], "int32");
    const target = tf.tensor2d(Array.from({ length: 32 }, (_, i) => [i % 4 === 2 ? 1 : 0]));
    const ci = keras.Input({ shape: [1], dtype: "int32" });
    const cm = keras.Model({ inputs: ci, outputs: layers.Dense(1, { activation: "sigmoid" })(layers.CategoryEncoding(4, { outputMode: "one_hot" })(ci)) });
    cm.compile({ optimizer: keras.optimizers.Adam(0.1), loss: "binary_crossentropy" });
    const h2 = await cm.fit(ids, target, { epochs: 20, batchSize: 8, verbose: 0 });
    const l2 = h2.history.loss as number[];
    expect(l2[l2.length - 1]).toBeLessThan(l2[0] * 0.5);
    tf.dispose([xs, ys, ids, target]);
  });
});
