import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";

const { layers, ops } = keras;

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

describe("Sequential", () => {
  beforeEach(() => keras.backend.clearSession());

  it("builds from an Input, hides the InputLayer, and computes Dense math", () => {
    const model = keras.Sequential([
      layers.Input({ shape: [3] }),
      layers.Dense(2, { activation: "relu", kernelInitializer: "ones", biasInitializer: "zeros" }),
      layers.Dense(1, { kernelInitializer: "ones", biasInitializer: "ones" }),
    ]);
    expect(model.built).toBe(true);
    expect(model.layers.map((l) => l.name)).toEqual(["dense", "dense_1"]);
    expect(model.inputs[0].shape).toEqual([null, 3]);
    expect(model.outputs[0].shape).toEqual([null, 1]);
    expect(model.weights.map((w) => w.path)).toEqual([
      "sequential/dense/kernel", "sequential/dense/bias", "sequential/dense_1/kernel", "sequential/dense_1/bias",
    ]);
    const y = model(tf.tensor2d([[1, 2, 3], [-1, -2, -3]]));
    // relu([6, 6]) -> 12 + 1; relu([-6,-6]) -> 0 + 1
    expect(values(y)).toEqual([13, 1]);
    y.dispose();
    model.dispose();
  });

  it("builds lazily from the first data it sees, and supports add/pop", () => {
    const model = keras.Sequential();
    model.add(layers.Dense(4));
    model.add(layers.Dense(2));
    expect(model.built).toBe(false);
    const y = model(tf.ones([5, 7]));
    expect(y.shape).toEqual([5, 2]);
    expect(model.built).toBe(true);
    expect(model.layers[0].weights[0].shape).toEqual([7, 4]);
    const popped = model.pop();
    expect(popped.name).toBe("dense_1");
    expect(model.layers).toHaveLength(1);
    y.dispose();
    model.dispose();
    popped.dispose();
  });

  it("accepts Keras 2 style inputShape on the first layer", () => {
    const model = keras.Sequential([layers.Dense(3, { inputShape: [5] }), layers.Dense(1)]);
    expect(model.built).toBe(true);
    expect(model.inputs[0].shape).toEqual([null, 5]);
    model.dispose();
  });

  it("rejects duplicate names and non-layers", () => {
    const model = keras.Sequential([layers.Dense(2, { name: "d" })]);
    expect(() => model.add(layers.Dense(2, { name: "d" }))).toThrow(/unique names.*'d'/);
    expect(() => model.add(42 as never)).toThrow(/Only instances of `keras.Layer` can be added/);
  });
});

describe("Functional", () => {
  beforeEach(() => keras.backend.clearSession());

  it("runs a two-input two-output graph with a skip connection and shared layers", () => {
    const a = keras.Input({ shape: [2], name: "a" });
    const b = keras.Input({ shape: [2], name: "b" });
    const shared = layers.Dense(2, { kernelInitializer: "identity", name: "shared" });
    const sa = shared(a);
    const sb = shared(b);
    const sum = layers.Add({ name: "sum" })([sa, sb]);
    const cat = layers.Concatenate({ name: "cat" })([sum, a]);
    const head = layers.Dense(1, { kernelInitializer: "ones", name: "head" })(cat);
    const model = keras.Model({ inputs: [a, b], outputs: [head, sum], name: "two" });
    expect(model).toBeInstanceOf(keras.Functional);
    expect(model.layers.map((l) => l.name)).toEqual(["a", "b", "shared", "sum", "cat", "head"]);
    expect(shared.inboundNodes).toHaveLength(2);
    const [h, s] = model([tf.tensor2d([[1, 2]]), tf.tensor2d([[10, 20]])]) as unknown as Tensor[];
    expect(values(s)).toEqual([11, 22]);
    expect(values(h)).toEqual([11 + 22 + 1 + 2]);
    // Inputs by name.
    const [h2] = model({ a: [[1, 2]], b: [[10, 20]] } as never) as unknown as Tensor[];
    expect(values(h2)).toEqual(values(h));
    expect(model.getLayer("head")).toBe(model.layers[5]);
    expect(() => model.getLayer("nope")).toThrow(/No such layer: nope. Existing layers are: \['a', 'b', 'shared', 'sum', 'cat', 'head'\]/);
    tf.dispose([h, s, h2]);
    model.dispose();
  });

  it("uses a model as a layer", () => {
    const inner = keras.Sequential([layers.Input({ shape: [3] }), layers.Dense(2, { kernelInitializer: "ones" })], { name: "inner" });
    const x = keras.Input({ shape: [3] });
    const y = layers.Dense(1, { kernelInitializer: "ones" })(inner(x));
    const outer = keras.Model({ inputs: x, outputs: y });
    expect(y.shape).toEqual([null, 1]);
    const out = outer(tf.ones([2, 3]));
    expect(values(out)).toEqual([6, 6]);
    expect(outer.weights).toHaveLength(4);
    out.dispose();
    outer.dispose();
  });

  it("records keras.ops calls on KerasTensors as graph nodes", () => {
    const x = keras.Input({ shape: [4] });
    const y = ops.multiply(ops.add(x, 1), 2);
    expect(y).toBeInstanceOf(keras.KerasTensor);
    const model = keras.Model({ inputs: x, outputs: y });
    const out = model(tf.tensor2d([[0, 1, 2, 3]]));
    expect(values(out)).toEqual([2, 4, 6, 8]);
    out.dispose();
  });

  it("refuses outputs that do not depend on the inputs", () => {
    const a = keras.Input({ shape: [3], name: "in_a" });
    const b = keras.Input({ shape: [3], name: "in_b" });
    const out = layers.Dense(2, { name: "from_b" })(b);
    expect(() => keras.Model({ inputs: a, outputs: out })).toThrow(
      /outputs of a Functional model must be computed from its inputs.*from_b.*does not depend on any of the inputs \[in_a\]/,
    );
  });

  it("refuses a graph with a missing input", () => {
    const a = keras.Input({ shape: [3], name: "in_a" });
    const b = keras.Input({ shape: [3], name: "in_b" });
    const out = layers.Add({ name: "plus" })([layers.Dense(3)(a), b]);
    expect(() => keras.Model({ inputs: a, outputs: out })).toThrow(/Graph disconnected: cannot find parent for tensor in_b.*at operation 'plus'/);
  });

  it("checks input shapes with a message naming the model and input", () => {
    const x = keras.Input({ shape: [3], name: "features" });
    const model = keras.Model({ inputs: x, outputs: layers.Dense(1)(x), name: "m" });
    expect(() => model(tf.ones([2, 4]))).toThrow(/Input 0 of model "m" \("features"\) is incompatible with the model: expected shape=\(None, 3\), found shape=\(2, 4\)/);
    model.dispose();
  });
});

describe("subclassed Model", () => {
  beforeEach(() => keras.backend.clearSession());

  class MLP extends keras.Model {
    dense1 = layers.Dense(8, { activation: "relu" });
    dropout = layers.Dropout(0.5);
    dense2 = layers.Dense(3, { activation: "softmax" });
    override call(x: Tensor, { training }: keras.CallArgs = {}): Tensor {
      return this.dense2(this.dropout(this.dense1(x), { training }));
    }
  }

  it("tracks its layers, builds on first call and predicts", () => {
    const model = new MLP();
    expect(model.layers.map((l) => l.className)).toEqual(["Dense", "Dropout", "Dense"]);
    const y = model(tf.ones([4, 5]));
    expect(y.shape).toEqual([4, 3]);
    const rowSums = tf.sum(y, 1);
    for (const s of rowSums.dataSync()) expect(s).toBeCloseTo(1, 5);
    expect(model.countParams()).toBe(5 * 8 + 8 + 8 * 3 + 3);
    expect(model.weights[0].path).toBe("mlp/dense/kernel");
    tf.dispose([y, rowSums]);
    model.dispose();
  });

  it("can be built from a shape", () => {
    const model = new MLP();
    model.build([null, 6]);
    expect(model.built).toBe(true);
    expect(model.weights[0].shape).toEqual([6, 8]);
    model.dispose();
  });

  it("computes through Dropout only in training", () => {
    keras.utils.setRandomSeed(1);
    const model = new MLP();
    const x = tf.ones([64, 5]);
    const a = model(x);
    const b = model(x);
    const c = model(x, { training: true });
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    tf.dispose([x, a, b, c]);
    model.dispose();
  });
});

describe("memory", () => {
  it("is flat after building and calling a model 100 times", () => {
    keras.backend.clearSession();
    const before = tf.memory().numTensors;
    const model = keras.Sequential([
      layers.Input({ shape: [16] }),
      layers.Dense(32, { activation: "relu" }),
      layers.BatchNormalization(),
      layers.Dropout(0.2),
      layers.Dense(4, { activation: "softmax" }),
    ]);
    const weights = model.weights.length;
    const x = tf.randomNormal([8, 16]);
    const afterBuild = tf.memory().numTensors;
    expect(afterBuild - before).toBe(weights + 1);
    for (let i = 0; i < 100; i++) {
      const y = model(x, { training: i % 2 === 0 });
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(afterBuild);
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("setRandomSeed", () => {
  it("gives the same weights and the same dropout masks for the same seed", () => {
    const run = (seed: number): number[][] => {
      keras.backend.clearSession();
      keras.utils.setRandomSeed(seed);
      const model = keras.Sequential([layers.Input({ shape: [6] }), layers.Dense(5), layers.Dropout(0.5)]);
      const w = values(model.weights[0].value);
      const y = model(tf.ones([3, 6]), { training: true });
      const out = [w, values(y)];
      y.dispose();
      model.dispose();
      return out;
    };
    const [w1, y1] = run(42);
    const [w2, y2] = run(42);
    const [w3, y3] = run(7);
    expect(w1).toEqual(w2);
    expect(y1).toEqual(y2);
    expect(w1).not.toEqual(w3);
    expect(y1).not.toEqual(y3);
  });
});

describe("errors", () => {
  beforeEach(() => keras.backend.clearSession());

  it("names the layer and the shapes when a Dense gets the wrong rank", () => {
    const d = layers.Dense(4, { name: "my_dense" });
    const y = d(tf.ones([2, 3]));
    expect(() => d(tf.ones([2, 5]))).toThrow(/Input 0 of layer "my_dense" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape \(2, 5\)/);
    expect(() => d(tf.ones([3]))).toThrow(/Input 0 of layer "my_dense" is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: \(3,\)/);
    y.dispose();
    d.dispose();
  });

  it("lists the valid names for an unknown activation", () => {
    expect(() => layers.Dense(4, { activation: "relux" })).toThrow(/relux.*relu.*sigmoid.*softmax/s);
  });
});
