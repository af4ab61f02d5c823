import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { Layer, type CallArgs } from "../../../lib/layers/layer.js";
import { Embedding } from "../../../lib/layers/core/embedding.js";
import { LSTM } from "../../../lib/layers/rnn/lstm.js";
import { LSTMCell } from "../../../lib/layers/rnn/lstm-cell.js";
import { GRU } from "../../../lib/layers/rnn/gru.js";
import { GRUCell } from "../../../lib/layers/rnn/gru-cell.js";
import { SimpleRNN } from "../../../lib/layers/rnn/simple-rnn.js";
import { SimpleRNNCell } from "../../../lib/layers/rnn/simple-rnn-cell.js";
import { RNN } from "../../../lib/layers/rnn/rnn.js";
import { StackedRNNCells } from "../../../lib/layers/rnn/stacked-rnn-cells.js";
import * as layers from "../../../lib/layers/index.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, loadFixture, tensorOf, weightGrads } from "../helpers.js";
import { gruStep, lstmStep, randMat, runRef, simpleStep, type Mat } from "./reference.js";

const B = 2;
const T = 5;
const F = 3;
const U = 4;

function seqInput(seed = 1): number[][][] {
  const flat = randMat(B * T, F, seed, 1);
  return Array.from({ length: B }, (_, b) => flat.slice(b * T, (b + 1) * T));
}

function flat(m: Mat[] | Mat): number[] {
  return (m as unknown[]).flat(2) as number[];
}

/** `[B][T][U]` from the reference's time-major list of `[B][U]`. */
function batchMajor(seq: Mat[]): number[] {
  const out: number[] = [];
  for (let b = 0; b < seq[0].length; b++) for (const s of seq) out.push(...s[b]);
  return out;
}

describe("recurrent layers vs the Keras fixtures", () => {
  for (const [name, Cls] of [
    ["lstm", LSTM],
    ["gru", GRU],
    ["simple_rnn", SimpleRNN],
  ] as const) {
    it(`${name}: weights, output and config`, () => {
      const f = loadFixture(name);
      const layer = (Cls as unknown as { fromConfig(c: Record<string, unknown>): Layer }).fromConfig(f.layer_config);
      layer.build([null, T, F]);
      expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
      layer.setWeights(f.weights.map(tensorOf));
      const x = tensorOf(f.inputs[0]);
      const y = layer.apply(x) as Tensor;
      expectClose(y, f.output, 1e-5);
      expect(layer.getConfig()).toEqual(f.layer_config);
      tf.dispose([x, y]);
      layer.dispose();
    });
  }
});

describe("LSTM", () => {
  const kernel = randMat(F, 4 * U, 11);
  const rk = randMat(U, 4 * U, 12);
  const bias = randMat(1, 4 * U, 13)[0];
  const make = (opts: Record<string, unknown> = {}): LSTM => {
    const l = new LSTM(U, opts);
    l.build([opts.stateful ? B : null, T, F]);
    l.setWeights([kernel, rk, bias]);
    return l;
  };
  const zeros = (): Mat[] => [randMat(B, U, 1, 0), randMat(B, U, 1, 0)];

  it("a hand-checked single step", () => {
    const l = new LSTM(1);
    l.build([null, 1, 1]);
    // i, f, c, o columns; x=1, h=c=0: z = [1, 2, 0.5, -1]
    l.setWeights([[[1, 2, 0.5, -1]], [[0, 0, 0, 0]], [0, 0, 0, 0]]);
    const y = l.apply([[[1]]]) as Tensor;
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const c = sig(1) * Math.tanh(0.5);
    expectClose(y, [sig(-1) * Math.tanh(c)], 1e-6);
    y.dispose();
    l.dispose();
  });

  it("unitForgetBias initializes the forget gate's bias to 1", () => {
    const l = new LSTM(3);
    l.build([null, 2, 2]);
    expectClose(l.cell.bias!.value, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const l2 = new LSTM(3, { unitForgetBias: false });
    l2.build([null, 2, 2]);
    expectClose(l2.cell.bias!.value, new Array<number>(12).fill(0));
  });

  it("matches the reference: last output, sequences, states, goBackwards", () => {
    const x = seqInput();
    const ref = runRef(x, zeros(), lstmStep(kernel, rk, bias, U));
    const l = make({ returnSequences: true, returnState: true });
    const [seq, h, c] = l.apply(tf.tensor(x)) as unknown as Tensor[];
    expect(seq.shape).toEqual([B, T, U]);
    expectClose(seq, batchMajor(ref.seq), 1e-5);
    expectClose(h, flat(ref.states[0]), 1e-5);
    expectClose(c, flat(ref.states[1]), 1e-5);
    const last = make().apply(tf.tensor(x)) as Tensor;
    expectClose(last, flat(ref.last), 1e-5);
    const refB = runRef(x, zeros(), lstmStep(kernel, rk, bias, U), { goBackwards: true });
    const back = make({ goBackwards: true, returnSequences: true }).apply(tf.tensor(x)) as Tensor;
    expectClose(back, batchMajor(refB.seq), 1e-5);
  });

  it("initialState via kwargs and as extra inputs", () => {
    const x = seqInput(2);
    const h0 = randMat(B, U, 21);
    const c0 = randMat(B, U, 22);
    const ref = runRef(x, [h0, c0], lstmStep(kernel, rk, bias, U));
    const l = make();
    expectClose(l.apply(tf.tensor(x), { initialState: [tf.tensor(h0), tf.tensor(c0)] } as CallArgs) as Tensor, flat(ref.last), 1e-5);
    expectClose(l.apply([tf.tensor(x), tf.tensor(h0), tf.tensor(c0)]) as Tensor, flat(ref.last), 1e-5);
    expect(() => l.apply(tf.tensor(x), { initialState: [tf.tensor(h0)] } as CallArgs)).toThrow(/2 initial state/);
  });

  it("masks: masked steps keep the state and repeat the previous output (or zeros)", () => {
    const x = seqInput(3);
    const mask = [
      [true, true, false, true, false],
      [false, true, true, true, true],
    ];
    for (const zeroOutputForMask of [false, true]) {
      const ref = runRef(x, zeros(), lstmStep(kernel, rk, bias, U), { mask, zeroOutputForMask });
      const l = make({ returnSequences: true, returnState: true, zeroOutputForMask });
      const [seq, h] = l.apply(tf.tensor(x), { mask: tf.tensor(mask, undefined, "bool") }) as unknown as Tensor[];
      expectClose(seq, batchMajor(ref.seq), 1e-5);
      expectClose(h, flat(ref.states[0]), 1e-5);
    }
  });

  it("Embedding(maskZero) → LSTM equals the unpadded sequences", () => {
    const emb = new Embedding(10, F, { maskZero: true });
    const l = make();
    const padded = emb.apply(tf.tensor([[3, 4, 5, 0, 0]], undefined, "int32")) as Tensor;
    const y = l.apply(padded) as Tensor;
    const short = emb.apply(tf.tensor([[3, 4, 5]], undefined, "int32")) as Tensor;
    const l2 = new LSTM(U);
    l2.build([null, 3, F]);
    l2.setWeights([kernel, rk, bias]);
    expectClose(y, l2.apply(short) as Tensor, 1e-6);
    // Leading padding too (pre-padding), and the mask passes through with returnSequences.
    const pre = emb.apply(tf.tensor([[0, 0, 3, 4, 5]], undefined, "int32")) as Tensor;
    expectClose(l.apply(pre) as Tensor, l2.apply(short) as Tensor, 1e-6);
  });

  it("the Masking layer masks all-zero timesteps", () => {
    const x = seqInput(4).map((row) => row.map((v, t) => (t >= 3 ? v.map(() => 0) : v)));
    const masked = new layers.Masking(0).apply(tf.tensor(x)) as Tensor;
    const y = make().apply(masked) as Tensor;
    const ref = runRef(
      x.map((r) => r.slice(0, 3)),
      zeros(),
      lstmStep(kernel, rk, bias, U),
    );
    expectClose(y, flat(ref.last), 1e-5);
  });

  it("stateful: two halves equal the whole, and resetStates starts over", () => {
    const x = seqInput(5);
    const ref = runRef(x, zeros(), lstmStep(kernel, rk, bias, U));
    const l = make({ stateful: true });
    const xt = tf.tensor(x);
    const a = l.apply(tf.slice(xt, [0, 0, 0], [B, 2, F])) as Tensor;
    const b = l.apply(tf.slice(xt, [0, 2, 0], [B, 3, F])) as Tensor;
    expectClose(b, flat(ref.last), 1e-5);
    expect(l.states).not.toBeNull();
    l.resetStates();
    const again = l.apply(tf.slice(xt, [0, 0, 0], [B, 2, F])) as Tensor;
    expectClose(again, a, 1e-6);
    expect(() => l.apply(tf.ones([3, 2, F]))).toThrow(/batch size/);
    expect(() => make().resetStates()).toThrow(/stateful/);
    l.dispose();
  });

  it("timeMajor inputs give time-major outputs", () => {
    const x = seqInput(6);
    const ref = runRef(x, zeros(), lstmStep(kernel, rk, bias, U));
    const l = make({ timeMajor: true, returnSequences: true });
    const y = l.apply(tf.transpose(tf.tensor(x), [1, 0, 2])) as Tensor;
    expect(y.shape).toEqual([T, B, U]);
    expectClose(tf.transpose(y, [1, 0, 2]), batchMajor(ref.seq), 1e-5);
    expect(l.getConfig().time_major).toBe(true);
  });

  it("output shapes on KerasTensors, computeOutputShape and the output mask", () => {
    const l = new LSTM(U, { returnSequences: true, returnState: true });
    const out = l.apply(new KerasTensor([null, 7, F])) as unknown as KerasTensor[];
    expect(out.map((o) => o.shape)).toEqual([
      [null, 7, U],
      [null, U],
      [null, U],
    ]);
    expect(new GRU(3).computeOutputShape([4, 7, 2])).toEqual([4, 3]);
    const emb = new Embedding(10, F, { maskZero: true });
    const y = new LSTM(2, { returnSequences: true }).apply(emb.apply(tf.tensor([[1, 0]], undefined, "int32")));
    expect(y.shape).toEqual([1, 2, 2]);
  });

  it("gradients match finite differences", () => {
    const l = new LSTM(2, { returnSequences: true });
    l.build([null, 3, 2]);
    const x = tf.tensor(seqInput(7).map((r) => r.slice(0, 3).map((v) => v.slice(0, 2))));
    const k = l.cell.kernel!;
    const f = (): number => (tf.sum(tf.square(l.apply(x) as Tensor)).dataSync()[0] as number);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(l.apply(x) as Tensor)) as tf.Scalar, [k.value]);
    const g = grads[k.value.name].dataSync();
    const base = k.value.arraySync() as number[][];
    const eps = 1e-2;
    for (const [i, j] of [
      [0, 0],
      [1, 3],
      [0, 6],
    ]) {
      const plus = base.map((r) => [...r]);
      plus[i][j] += eps;
      k.assign(tf.tensor(plus));
      const fp = f();
      const minus = base.map((r) => [...r]);
      minus[i][j] -= eps;
      k.assign(tf.tensor(minus));
      const fm = f();
      k.assign(tf.tensor(base));
      expect(Math.abs((fp - fm) / (2 * eps) - g[i * 8 + j])).toBeLessThan(2e-3);
    }
    expect(anyNonzero(inputGrad(l, x))).toBe(true);
    const wg = weightGrads(l, x);
    for (const v of Object.values(wg)) expect(anyNonzero(v)).toBe(true);
  });

  it("dropout and recurrentDropout act only when training", () => {
    const l = make({ dropout: 0.5, recurrentDropout: 0.5, seed: 1 });
    const x = tf.tensor(seqInput(8));
    const inf = l.apply(x) as Tensor;
    expectClose(make().apply(x) as Tensor, inf, 1e-6);
    const tr = l.apply(x, { training: true }) as Tensor;
    expect(Array.from(tr.dataSync())).not.toEqual(Array.from(inf.dataSync()));
    expectNoLeaks(l, () => tf.tensor(seqInput(8)), { training: true });
  });

  it("round-trips its config and does not leak", () => {
    const x = tf.tensor(seqInput(9));
    expectRoundTrip(new LSTM(3, { returnSequences: true, goBackwards: true, kernelRegularizer: "l2", recurrentDropout: 0.1 }), x);
    expectNoLeaks(make({ returnSequences: true, returnState: true }), () => tf.tensor(seqInput(9)));
    const mask = tf.tensor([[true, true, false, true, false], [true, true, true, true, true]], undefined, "bool");
    expectNoLeaks(make({ returnSequences: true }), () => tf.tensor(seqInput(9)), { mask });
  });

  it("learns with fit (loss goes down)", async () => {
    const keras = await import("../../../lib/index.js");
    keras.utils.setRandomSeed(1);
    const xs = tf.randomNormal([32, 6, 2], 0, 1, "float32", 3);
    const ys = tf.sum(xs, [1, 2]).expandDims(1);
    const model = keras.Sequential([keras.layers.Input({ shape: [6, 2] }), keras.layers.LSTM(8), keras.layers.Dense(1)]);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.02 }), loss: "mse" });
    const h = await model.fit(xs, ys, { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.6);
    model.dispose();
  });
});

describe("GRU", () => {
  for (const resetAfter of [true, false]) {
    it(`matches the reference (resetAfter=${resetAfter}), with goBackwards and a mask`, () => {
      const kernel = randMat(F, 3 * U, 31);
      const rk = randMat(U, 3 * U, 32);
      const bias = resetAfter ? randMat(2, 3 * U, 33) : randMat(1, 3 * U, 33)[0];
      const l = new GRU(U, { resetAfter, returnSequences: true, returnState: true, goBackwards: true });
      l.build([null, T, F]);
      expect(l.cell.bias!.shape).toEqual(resetAfter ? [2, 3 * U] : [3 * U]);
      l.setWeights([kernel, rk, bias]);
      const x = seqInput(10);
      const mask = [
        [true, false, true, true, true],
        [true, true, true, false, false],
      ];
      const ref = runRef(x, [randMat(B, U, 1, 0)], gruStep(kernel, rk, bias, U, resetAfter), { goBackwards: true, mask });
      const [seq, h] = l.apply(tf.tensor(x), { mask: tf.tensor(mask, undefined, "bool") }) as unknown as Tensor[];
      expectClose(seq, batchMajor(ref.seq), 1e-5);
      expectClose(h, flat(ref.states[0]), 1e-5);
      expectRoundTrip(new GRU(3, { resetAfter, returnSequences: true }), tf.tensor(x));
      expect(anyNonzero(inputGrad(new GRU(2, { resetAfter }), tf.tensor(x)))).toBe(true);
      expectNoLeaks(l, () => tf.tensor(seqInput(10)));
    });
  }
});

describe("SimpleRNN", () => {
  it("a hand-checked sequence and the reference", () => {
    const l = new SimpleRNN(1, { returnSequences: true });
    l.build([null, 2, 1]);
    l.setWeights([[[2]], [[0.5]], [0.1]]);
    const y = l.apply([[[1], [-1]]]) as Tensor;
    const h1 = Math.tanh(2 + 0.1);
    expectClose(y, [h1, Math.tanh(-2 + 0.5 * h1 + 0.1)], 1e-6);
    const kernel = randMat(F, U, 41);
    const rk = randMat(U, U, 42);
    const bias = randMat(1, U, 43)[0];
    const s = new SimpleRNN(U);
    s.build([null, T, F]);
    s.setWeights([kernel, rk, bias]);
    const x = seqInput(11);
    expectClose(s.apply(tf.tensor(x)) as Tensor, flat(runRef(x, [randMat(B, U, 1, 0)], simpleStep(kernel, rk, bias)).last), 1e-5);
    expectRoundTrip(s, tf.tensor(x));
    expectNoLeaks(s, () => tf.tensor(seqInput(11)));
    expect(() => new SimpleRNN(0)).toThrow(/positive integer/);
  });
});

describe("RNN with cells", () => {
  it("RNN(LSTMCell) equals LSTM, and its config nests the cell", () => {
    const cell = new LSTMCell(U);
    const rnn = new RNN(cell, { returnSequences: true });
    const x = tf.tensor(seqInput(12));
    rnn.build([null, T, F]);
    const lstm = new LSTM(U, { returnSequences: true });
    lstm.build([null, T, F]);
    lstm.setWeights(rnn.getWeights());
    expectClose(rnn.apply(x) as Tensor, lstm.apply(x) as Tensor, 1e-6);
    const cfg = rnn.getConfig();
    expect((cfg.cell as { class_name: string }).class_name).toBe("LSTMCell");
    expect((cfg.cell as { build_config: unknown }).build_config).toEqual({ input_shape: [null, F] });
    expectRoundTrip(rnn, x);
  });

  it("a cell called on its own: one step", () => {
    const cell = new GRUCell(3);
    const [out, states] = cell.apply(tf.ones([2, 4]), { states: [tf.zeros([2, 3])] }) as unknown as [Tensor, Tensor[]];
    expect(out.shape).toEqual([2, 3]);
    expectClose(states[0], out, 0);
    const s = new SimpleRNNCell(2);
    const [o2] = s.apply([tf.ones([1, 3]), tf.zeros([1, 2])]) as unknown as [Tensor, Tensor[]];
    expect(o2.shape).toEqual([1, 2]);
  });

  it("stacked cells equal two layers in a row (also with a mask)", () => {
    const x = tf.tensor(seqInput(13));
    const mask = tf.tensor([[true, true, true, false, false], [false, true, true, true, true]], undefined, "bool");
    const stacked = new RNN([new LSTMCell(4), new GRUCell(3)], { returnState: true });
    stacked.build([null, T, F]);
    expect(stacked.cell).toBeInstanceOf(StackedRNNCells);
    const l1 = new LSTM(4, { returnSequences: true });
    const l2 = new GRU(3);
    l1.build([null, T, F]);
    l2.build([null, T, 4]);
    const w = stacked.getWeights();
    l1.setWeights(w.slice(0, 3));
    l2.setWeights(w.slice(3));
    const [y, h1, c1, h2] = stacked.apply(x, { mask }) as unknown as Tensor[];
    expect([h1.shape, c1.shape, h2.shape]).toEqual([
      [B, 4],
      [B, 4],
      [B, 3],
    ]);
    const want = l2.apply(l1.apply(x, { mask }), { mask }) as Tensor;
    expectClose(y, want, 1e-5);
    expectClose(h2, want, 1e-6);
    expectRoundTrip(new RNN(new StackedRNNCells([new SimpleRNNCell(2), new LSTMCell(2)])), x);
  });

  it("a custom cell (no fast path) runs through the generic loop", () => {
    class MinimalRNNCell extends Layer {
      readonly stateSize: number;
      kernel: import("../../../lib/backend/variable.js").Variable | null = null;
      constructor(readonly units: number) {
        super({});
        this.stateSize = units;
      }
      override build(shape: unknown): void {
        const s = shape as number[];
        this.kernel = this.addWeight({ name: "kernel", shape: [s[s.length - 1] + this.units, this.units], initializer: "ones" });
      }
      override call(x: unknown, kwargs: CallArgs & { states?: Tensor[] } = {}): [Tensor, Tensor[]] {
        const h = tf.matMul(tf.concat([x as Tensor, kwargs.states![0]], 1), this.kernel!.value);
        return [h, [h]];
      }
    }
    const rnn = new RNN(new MinimalRNNCell(2), { returnSequences: true });
    const y = rnn.apply(tf.ones([1, 3, 1])) as Tensor;
    // h1 = 1, 1; h2 = 1 + 2 = 3; h3 = 1 + 6 = 7
    expectClose(y, [1, 1, 3, 3, 7, 7]);
    const stacked = new RNN([new MinimalRNNCell(1), new LSTMCell(2)]);
    expect((stacked.apply(tf.ones([2, 3, 1])) as Tensor).shape).toEqual([2, 2]);
    expectNoLeaks(rnn, () => tf.ones([1, 3, 1]));
  });

  it("rejects a layer that is not a cell", () => {
    expect(() => new RNN(new layers.Dense(2) as unknown as LSTMCell)).toThrow(/stateSize/);
  });
});
