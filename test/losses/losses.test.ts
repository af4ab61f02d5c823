/** keras.losses: reductions, sample weights, options, errors, gradients, memory. */
import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import * as losses from "../../lib/losses/index.js";
import { Loss, setKerasMask, type Reduction } from "../../lib/losses/index.js";
import { registerKerasSerializable } from "../../lib/saving/object-registration.js";

function val(t: Tensor): number | number[] {
  const a = t.arraySync() as number | number[];
  t.dispose();
  return a;
}

function close(actual: number | number[] | number[][], expected: number | number[] | number[][], tol = 1e-6): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    (expected as (number | number[])[]).forEach((e, i) => close((actual as (number | number[])[])[i], e, tol));
    return;
  }
  expect(Math.abs((actual as number) - expected), `${String(actual)} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

const EPS = 1e-7;

describe("reductions and sample weights (hand-computed)", () => {
  // per-sample MSE: [0.5, 1]
  const yTrue = [[0, 1], [0, 0]];
  const yPred = [[1, 1], [1, 1]];

  const cases: [Reduction | null, number | number[]][] = [
    ["sum_over_batch_size", 0.75],
    ["mean", 0.75],
    ["sum", 1.5],
    ["mean_with_sample_weight", 0.75],
    ["none", [0.5, 1]],
    [null, [0.5, 1]],
  ];
  for (const [reduction, expected] of cases) {
    it(`reduction=${String(reduction)}`, () => {
      close(val(new losses.MeanSquaredError({ reduction })(yTrue, yPred)), expected);
    });
  }

  const weighted: [Reduction, number | number[]][] = [
    ["sum_over_batch_size", 1], // (0.5*2 + 1*1) / 2
    ["mean", 1],
    ["sum", 2],
    ["mean_with_sample_weight", 2 / 3], // 2 / (2 + 1)
    ["none", [1, 1]],
  ];
  for (const [reduction, expected] of weighted) {
    it(`reduction=${reduction} with sampleWeight [2, 1]`, () => {
      close(val(new losses.MeanSquaredError({ reduction })(yTrue, yPred, [2, 1])), expected);
      // `apply` is the same call.
      close(val(new losses.MeanSquaredError({ reduction }).apply(yTrue, yPred, [2, 1])), expected);
    });
  }

  it("sampleWeight of shape (batch, 1) is brought to the losses' rank", () => {
    close(val(losses.MeanSquaredError()(yTrue, yPred, [[2], [1]])), 1);
    close(val(losses.MeanSquaredError({ reduction: "none" })(yTrue, yPred, [[2], [1]])) as number[], [[1], [1]] as never);
  });

  it("a scalar sampleWeight scales the loss", () => {
    close(val(losses.MeanSquaredError()(yTrue, yPred, 2)), 1.5);
  });

  it("per-timestep losses take per-timestep weights", () => {
    const yt = [[0, 1, 2]];
    const yp = tf.softmax(tf.tensor([[[1, 2, 3], [0, 0, 0], [3, 1, 0]]]));
    const per = losses.SparseCategoricalCrossentropy({ reduction: "none" })(yt, yp);
    expect(per.shape).toEqual([1, 3]);
    const p = per.arraySync() as number[][];
    per.dispose();
    close(val(losses.SparseCategoricalCrossentropy()(yt, yp, [[1, 0, 1]])), (p[0][0] + p[0][2]) / 3);
    close(val(losses.SparseCategoricalCrossentropy({ reduction: "mean_with_sample_weight" })(yt, yp, [[1, 0, 1]])), (p[0][0] + p[0][2]) / 2);
    yp.dispose();
  });

  it("sampleWeight that cannot broadcast gives a clear error", () => {
    const yt = [[0, 1, 2], [1, 1, 1]];
    const yp = tf.ones([2, 3, 4]);
    expect(() => losses.SparseCategoricalCrossentropy()(yt, yp, [1, 2])).toThrow(/sample_weight of shape \(2,\).*\(2, 3\)/);
    yp.dispose();
  });

  it("a zero total weight gives 0 (divide_no_nan)", () => {
    close(val(losses.MeanSquaredError({ reduction: "mean_with_sample_weight" })(yTrue, yPred, [0, 0])), 0);
  });

  it("an empty batch gives the empty losses back, as Keras", () => {
    const r = losses.MeanSquaredError()(tf.zeros([0, 2]), tf.zeros([0, 2]));
    expect(r.shape).toEqual([0]);
    r.dispose();
  });

  it("an invalid reduction throws", () => {
    expect(() => new losses.MeanSquaredError({ reduction: "avg" as Reduction })).toThrow(/Invalid value for argument `reduction`.*avg/);
  });

  it("yTrue of shape (batch,) against yPred (batch, 1) is expanded", () => {
    close(val(losses.MeanSquaredError({ reduction: "none" })([1, 2], [[1], [4]])), [0, 4]);
    close(val(losses.BinaryCrossentropy({ reduction: "none" })([1, 0], [[0.9], [0.2]])), [-Math.log(0.9), -Math.log(0.8)], 1e-6);
  });
});

describe("masks", () => {
  it("sparse_categorical_crossentropy with ignoreClass averages over valid entries", () => {
    const yt = [0, -1, 2, -1];
    const yp = [
      [0.7, 0.2, 0.1],
      [0.3, 0.3, 0.4],
      [0.1, 0.1, 0.8],
      [0.5, 0.25, 0.25],
    ];
    const a = -Math.log(0.7);
    const b = -Math.log(0.8);
    const loss = losses.SparseCategoricalCrossentropy({ ignoreClass: -1 });
    close(val(loss.call(yt, yp)), [a, 0, b, 0]);
    close(val(loss(yt, yp)), (a + b) / 2);
    close(val(losses.SparseCategoricalCrossentropy({ ignoreClass: -1, reduction: "sum" })(yt, yp)), a + b);
    // weights combine with the mask
    close(val(loss(yt, yp, [2, 1, 1, 1])), (2 * a + b) / 2);
    // the plain function gives zeros for ignored entries
    close(val(losses.sparseCategoricalCrossentropy(yt, yp, { ignoreClass: -1 })), [a, 0, b, 0]);
    // gradient stays finite at ignored entries
    const g = tf.grad((p: Tensor) => loss(yt, p))(tf.tensor(yp));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    g.dispose();
  });

  it("a yPred mask combines with Circle's own mask, gradients stay finite", () => {
    const e = tf.tensor([[1, 0.2], [0.9, 0.1], [-0.5, 1], [0.1, -1]]);
    const emb = tf.div(e, tf.norm(e, 2, -1, true));
    const lab = tf.tensor([0, 0, 1, 1], undefined, "int32");
    const mask = tf.tensor([true, true, false, true], undefined, "bool");
    const before = tf.memory().numTensors;
    const loss = losses.Circle();
    const g = tf.grad((p: Tensor) => {
      setKerasMask(p, mask);
      return loss(lab, p);
    })(emb);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([e, emb, lab, mask]);
  });

  it("a mask attached to yPred (setKerasMask) takes entries out of the mean", () => {
    const yp = tf.tensor([[1], [2], [3]]);
    const mask = tf.tensor([true, false, true], undefined, "bool");
    setKerasMask(yp, mask);
    // squared errors 1, 4, 9; valid 1 and 9 → 5
    close(val(losses.MeanSquaredError()([[0], [0], [0]], yp)), 5);
    close(val(losses.MeanSquaredError({ reduction: "sum" })([[0], [0], [0]], yp)), 10);
    setKerasMask(yp, null);
    close(val(losses.MeanSquaredError()([[0], [0], [0]], yp)), 14 / 3);
    tf.dispose([yp, mask]);
  });
});

describe("options", () => {
  const logits = [
    [2.0, -1.0, 0.5],
    [-0.3, 0.8, 1.7],
    [0.0, 0.1, -2.0],
  ];
  const oneHot = [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
  ];
  const labels = [0, 2, 1];

  it("fromLogits agrees with probabilities (categorical, sparse, binary, focal)", () => {
    const probs = tf.softmax(tf.tensor(logits));
    close(val(losses.CategoricalCrossentropy({ fromLogits: true })(oneHot, logits)), val(losses.CategoricalCrossentropy()(oneHot, probs)) as number, 1e-5);
    close(val(losses.SparseCategoricalCrossentropy({ fromLogits: true })(labels, logits)), val(losses.SparseCategoricalCrossentropy()(labels, probs)) as number, 1e-5);
    close(
      val(losses.CategoricalFocalCrossentropy({ fromLogits: true })(oneHot, logits)),
      val(losses.CategoricalFocalCrossentropy()(oneHot, probs)) as number,
      1e-5,
    );
    const sig = tf.sigmoid(tf.tensor(logits));
    close(val(losses.BinaryCrossentropy({ fromLogits: true })(oneHot, logits)), val(losses.BinaryCrossentropy()(oneHot, sig)) as number, 1e-5);
    close(
      val(losses.BinaryFocalCrossentropy({ fromLogits: true, applyClassBalancing: true })(oneHot, logits)),
      val(losses.BinaryFocalCrossentropy({ applyClassBalancing: true })(oneHot, sig)) as number,
      1e-5,
    );
    tf.dispose([probs, sig]);
  });

  it("sparse and categorical crossentropy agree (labels (n,) and (n, 1))", () => {
    const probs = tf.softmax(tf.tensor(logits));
    const dense = val(losses.CategoricalCrossentropy({ reduction: "none" })(oneHot, probs)) as number[];
    close(val(losses.SparseCategoricalCrossentropy({ reduction: "none" })(labels, probs)), dense, 1e-6);
    close(val(losses.SparseCategoricalCrossentropy({ reduction: "none" })([[0], [2], [1]], probs)), dense, 1e-6);
    close(val(losses.sparseCategoricalCrossentropy(labels, probs)), dense, 1e-6);
    probs.dispose();
  });

  it("labelSmoothing equals crossentropy on smoothed labels", () => {
    const probs = tf.softmax(tf.tensor(logits));
    const s = 0.2;
    const smoothed = oneHot.map((r) => r.map((v) => v * (1 - s) + s / 3));
    close(val(losses.CategoricalCrossentropy({ labelSmoothing: s })(oneHot, probs)), val(losses.CategoricalCrossentropy()(smoothed, probs)) as number);
    const bSmoothed = oneHot.map((r) => r.map((v) => v * (1 - s) + 0.5 * s));
    close(val(losses.BinaryCrossentropy({ labelSmoothing: s, fromLogits: true })(oneHot, logits)), val(losses.BinaryCrossentropy({ fromLogits: true })(bSmoothed, logits)) as number);
    probs.dispose();
  });

  it("probabilities are clipped to [epsilon, 1 - epsilon]", () => {
    close(val(losses.binaryCrossentropy([[1]], [[0]])), [-Math.log(EPS)], 1e-4);
    close(val(losses.categoricalCrossentropy([[0, 1]], [[1, 0]])), [-Math.log(EPS)], 1e-4);
  });

  it("axis picks the class axis", () => {
    const probs = tf.transpose(tf.softmax(tf.transpose(tf.tensor(logits))));
    const t = tf.transpose(tf.tensor(oneHot));
    close(
      val(losses.CategoricalCrossentropy({ axis: 0, reduction: "none" })(oneHot, probs)),
      val(losses.categoricalCrossentropy(t, tf.transpose(probs))) as number[],
      1e-6,
    );
    tf.dispose([probs, t]);
  });
});

describe("hand-computed values", () => {
  it("MAPE, MSLE, Poisson, KLD, LogCosh, Huber", () => {
    close(val(losses.meanAbsolutePercentageError([[1, 2]], [[1.5, 1]])), [50], 1e-6);
    const msle = ((Math.log(3) - Math.log(2)) ** 2 + (Math.log(1 + EPS) - Math.log(1 + EPS)) ** 2) / 2;
    close(val(losses.meanSquaredLogarithmicError([[1, -1]], [[2, -3]])), [msle], 1e-6);
    close(val(losses.poisson([[1, 0]], [[2, 1]])), [(2 - Math.log(2 + EPS) + 1) / 2], 1e-6);
    close(val(losses.klDivergence([[0.5, 0.5]], [[0.25, 0.75]])), [0.5 * Math.log(2) + 0.5 * Math.log(0.5 / 0.75)], 1e-6);
    close(val(losses.logCosh([[0, 0]], [[1, -2]])), [(Math.log(Math.cosh(1)) + Math.log(Math.cosh(2))) / 2], 1e-6);
    close(val(losses.huber([[0, 0]], [[0.5, 3]], { delta: 1 })), [(0.125 + (3 - 0.5)) / 2], 1e-6);
  });

  it("hinge family, with 0/1 labels converted to -1/1", () => {
    // labels {0,1} → {-1,1}: max(1 - (-1)(0.3), 0) = 1.3, max(1 - 1*0.8, 0) = 0.2
    close(val(losses.hinge([[0, 1]], [[0.3, 0.8]])), [0.75], 1e-6);
    close(val(losses.squaredHinge([[0, 1]], [[0.3, 0.8]])), [(1.69 + 0.04) / 2], 1e-6);
    // labels already in {-1, 1} are kept
    close(val(losses.hinge([[-1, 1]], [[0.3, 0.8]])), [0.75], 1e-6);
    // pos = 0.8, neg = max(0.3, 0) → max(0.3 - 0.8 + 1, 0) = 0.5
    close(val(losses.categoricalHinge([[0, 1]], [[0.3, 0.8]])), [0.5], 1e-6);
  });

  it("cosine similarity is the negative cosine", () => {
    close(val(losses.cosineSimilarity([[1, 0], [1, 1]], [[2, 0], [-1, -1]])), [-1, 1], 1e-6);
    close(val(losses.CosineSimilarity()([[1, 0], [0, 1]], [[1, 0], [1, 0]])), -0.5, 1e-6);
    // a zero vector gives 0, with a finite gradient
    close(val(losses.cosineSimilarity([[0, 0]], [[1, 2]])), [0], 1e-6);
  });

  it("focal crossentropies", () => {
    const bce = -Math.log(0.8);
    close(val(losses.binaryFocalCrossentropy([[1]], [[0.8]])), [0.04 * bce], 1e-6);
    close(val(losses.binaryFocalCrossentropy([[1]], [[0.8]], { applyClassBalancing: true })), [0.25 * 0.04 * bce], 1e-6);
    close(val(losses.binaryFocalCrossentropy([[0]], [[0.8]], { applyClassBalancing: true, alpha: 0.4 })), [0.6 * 0.64 * -Math.log(0.2)], 1e-6);
    close(val(losses.categoricalFocalCrossentropy([[0, 1]], [[0.4, 0.6]])), [0.25 * 0.16 * -Math.log(0.6)], 1e-6);
  });

  it("dice and tversky", () => {
    const yt = [[1, 0], [1, 1]];
    const yp = [[0.5, 0.5], [1, 0]];
    close(val(losses.dice(yt, yp)), 1 - 3 / (5 + EPS), 1e-6);
    close(val(losses.Dice()(yt, yp)), 1 - 3 / (5 + EPS), 1e-6);
    close(val(losses.dice(yt, yp, { axis: 1 })), [1 - 1 / 2, 1 - 2 / 3], 1e-6);
    close(val(losses.tversky(yt, yp)), 0.4, 1e-6);
    close(val(losses.tversky(yt, yp, { alpha: 0.2, beta: 0.8 })), 1 - 1.5 / (1.5 + 0.1 + 1.2), 1e-6);
  });

  it("categorical generalized crossentropy", () => {
    const yp = [[0.7, 0.3], [0.2, 0.8]];
    const e = [(1 - Math.sqrt(0.7)) / 0.5, (1 - Math.sqrt(0.8)) / 0.5];
    close(val(losses.categoricalGeneralizedCrossEntropy([0, 1], yp, { q: 0.5 })), e, 1e-6);
    close(val(losses.CategoricalGeneralizedCrossEntropy()([0, 1], yp)), (e[0] + e[1]) / 2, 1e-6);
    expect(() => new losses.CategoricalGeneralizedCrossEntropy({ q: 1.5 })).toThrow(/q must be in the interval \(0, 1\)/);
  });

  it("circle loss equals a direct evaluation of its formula", () => {
    const raw = [[1, 0.2], [0.9, 0.1], [-0.5, 1], [0.1, -1]];
    const emb = raw.map((r) => {
      const n = Math.hypot(r[0], r[1]);
      return [r[0] / n, r[1] / n];
    });
    const lab = [0, 0, 1, 1];
    const gamma = 80;
    const m = 0.4;
    const expected = emb.map((ei, i) => {
      let pTerms: number[] = [];
      let nTerms: number[] = [];
      emb.forEach((ej, j) => {
        const d = Math.max(1 - (ei[0] * ej[0] + ei[1] * ej[1]), 0);
        if (lab[i] === lab[j] && i !== j) pTerms.push(-gamma * Math.max(m + d, 0) * (m - d));
        if (lab[i] !== lab[j]) nTerms.push(gamma * Math.max(1 + m - d, 0) * (1 - m - d));
      });
      const lse = (xs: number[]) => {
        const mx = Math.max(...xs);
        return mx + Math.log(xs.reduce((s, x) => s + Math.exp(x - mx), 0));
      };
      const z = lse(pTerms) + lse(nTerms);
      pTerms = [];
      nTerms = [];
      return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    });
    close(val(losses.circle(lab, emb)), expected, 1e-5);
    const positive = expected.filter((v) => v > 0);
    close(val(losses.Circle()(lab, emb)), positive.reduce((a, b) => a + b, 0) / positive.length, 1e-5);
    const cfg = losses.Circle({ gamma: 64 }).getConfig();
    expect(cfg).toEqual({ name: "circle", reduction: "sum_over_batch_size", gamma: 64, margin: 0.4, remove_diagonal: true });
  });

  it("CTC equals the brute-force sum over alignments", () => {
    // Every path of length T over K classes that collapses (merge repeats, drop blanks) to the label.
    const T = 4;
    const K = 3;
    const logitsArr = [
      [[0.1, 0.6, -0.2], [0.3, -0.5, 0.9], [1.2, 0.0, 0.4], [-0.7, 0.2, 0.5]],
      [[0.5, 0.5, 0.5], [0.0, 1.0, -1.0], [0.2, 0.3, 0.1], [0.9, -0.4, 0.0]],
    ];
    const labelsArr = [[1, 2], [1, 1]];
    const expected = logitsArr.map((seq, b) => {
      const probs = seq.map((row) => {
        const mx = Math.max(...row);
        const ex = row.map((v) => Math.exp(v - mx));
        const s = ex.reduce((a, c) => a + c, 0);
        return ex.map((v) => v / s);
      });
      const target = labelsArr[b].filter((v) => v !== 0);
      let total = 0;
      for (let code = 0; code < K ** T; code++) {
        const path: number[] = [];
        let c = code;
        for (let t = 0; t < T; t++) {
          path.push(c % K);
          c = Math.floor(c / K);
        }
        const collapsed: number[] = [];
        path.forEach((p, i) => {
          if (p !== 0 && (i === 0 || p !== path[i - 1])) collapsed.push(p);
        });
        if (collapsed.length === target.length && collapsed.every((v, i) => v === target[i])) {
          total += path.reduce((acc, p, t) => acc * probs[t][p], 1);
        }
      }
      return -Math.log(total);
    });
    close(val(losses.ctc(labelsArr, logitsArr)), expected, 1e-5);
    close(val(losses.CTC()(labelsArr, logitsArr)), (expected[0] + expected[1]) / 2, 1e-5);
    // padding (0) shortens the label
    const short = val(losses.ctc([[2, 0]], [logitsArr[0]])) as number[];
    expect(Number.isFinite(short[0])).toBe(true);
    expect(() => losses.ctc([1, 2], logitsArr)).toThrow(/y_true.shape=\(2,\)/);
  });
});

describe("label shape errors", () => {
  it("categorical crossentropy with labels of the wrong number of classes", () => {
    const yt = tf.zeros([4, 3]);
    const yp = tf.fill([4, 5], 0.2);
    let msg = "";
    try {
      losses.CategoricalCrossentropy()(yt, yp);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("categorical_crossentropy");
    expect(msg).toContain("y_true.shape=(4, 3)");
    expect(msg).toContain("y_pred.shape=(4, 5)");
    expect(msg).toContain("expected y_true.shape=(4, 5)");
    tf.dispose([yt, yp]);
  });

  it("categorical crossentropy with integer labels points to the sparse loss", () => {
    expect(() => losses.CategoricalCrossentropy()([0, 1, 2, 1], tf.fill([4, 5], 0.2))).toThrow(/sparse_categorical_crossentropy/);
  });

  it("sparse categorical crossentropy with one-hot-like labels", () => {
    const yt = tf.zeros([4, 3]);
    const yp = tf.fill([4, 5], 0.2);
    expect(() => losses.SparseCategoricalCrossentropy()(yt, yp)).toThrow(
      /In loss sparse_categorical_crossentropy, y_true must hold integer class indices of shape \(4,\).*Received: y_true.shape=\(4, 3\), y_pred.shape=\(4, 5\)/,
    );
    expect(() => losses.SparseCategoricalCrossentropy()(tf.zeros([4, 5]), yp)).toThrow(/use categorical_crossentropy/);
    tf.dispose([yt, yp]);
  });

  it("binary crossentropy with mismatched shapes", () => {
    expect(() => losses.BinaryCrossentropy()([[1, 0, 1]], [[0.5, 0.5]])).toThrow(/In loss binary_crossentropy.*\(1, 3\).*\(1, 2\)/);
  });

  it("failed calls leak nothing", () => {
    const before = tf.memory().numTensors;
    expect(() => losses.CategoricalCrossentropy()([[0, 1, 0]], [[0.5, 0.5]])).toThrow();
    expect(() => losses.SparseCategoricalCrossentropy()([[0, 1, 0]], [[0.5, 0.5]])).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

// One (yTrue, yPred) per class for gradient and memory checks.
function inputsFor(name: string): [Tensor, Tensor] {
  const probs = () => tf.softmax(tf.tensor([[0.2, 1.0, -0.5], [0.3, 0.1, 0.9], [1.5, -0.2, 0.0]]));
  switch (name) {
    case "SparseCategoricalCrossentropy":
    case "CategoricalGeneralizedCrossEntropy":
      return [tf.tensor([1, 2, 0], undefined, "int32"), probs()];
    case "Circle": {
      const e = tf.tensor([[1, 0.2], [0.9, 0.1], [-0.5, 1], [0.1, -1]]);
      const n = tf.div(e, tf.norm(e, 2, -1, true));
      e.dispose();
      return [tf.tensor([0, 0, 1, 1], undefined, "int32"), n];
    }
    case "CTC":
      return [tf.tensor([[1, 2], [2, 0]], undefined, "int32"), tf.randomNormal([2, 5, 3], 0, 1, "float32", 7)];
    case "Hinge":
    case "SquaredHinge":
      return [tf.tensor([[1, 0, 1], [0, 0, 1]]), tf.tensor([[0.3, -0.8, 2.0], [0.1, 0.4, -0.2]])];
    case "MeanSquaredError":
    case "MeanAbsoluteError":
    case "MeanAbsolutePercentageError":
    case "MeanSquaredLogarithmicError":
    case "Huber":
    case "LogCosh":
    case "CosineSimilarity":
    case "Poisson":
      return [tf.tensor([[1.0, 2.0, 0.5], [0.2, 0.1, 3.0]]), tf.tensor([[1.5, 1.0, 0.7], [0.3, 0.6, 2.0]])];
    default:
      return [tf.tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]]), probs()];
  }
}

describe("every loss class", () => {
  const classes = losses.LOSS_CLASSES;

  it("22 classes, 22 functions, 48 public names of keras.losses", () => {
    expect(classes.length).toBe(22);
    expect(Object.keys(losses.LOSS_FUNCTIONS).length).toBe(22);
    const publicNames = [
      "Loss",
      ...classes.map((c) => c.name),
      ...Object.values(losses.LOSS_FUNCTIONS).map((f) => f.name),
      "get",
      "serialize",
      "deserialize",
    ];
    expect(new Set(publicNames).size).toBe(48);
    for (const n of publicNames) expect((losses as Record<string, unknown>)[n], n).toBeDefined();
  });

  for (const cls of classes) {
    it(`${cls.name}: finite gradient w.r.t. yPred, no leaks, config round-trip`, () => {
      const [yt, yp] = inputsFor(cls.name);
      const loss = new cls();
      const before = tf.memory().numTensors;
      const v = loss(yt, yp);
      expect(v.shape).toEqual([]);
      expect(Number.isFinite(v.dataSync()[0])).toBe(true);
      v.dispose();
      const g = tf.grad((p: Tensor) => loss(yt, p))(yp);
      expect(g.shape).toEqual(yp.shape);
      expect(Array.from(g.dataSync()).every(Number.isFinite), `${cls.name} gradient ${g.toString()}`).toBe(true);
      g.dispose();
      const sw = tf.ones([yt.shape[0]]);
      for (const reduction of ["sum", "none", "mean_with_sample_weight"] as const) {
        tf.dispose(new cls({ reduction })(yt, yp, sw));
      }
      tf.dispose(loss.call(yt, yp));
      sw.dispose();
      expect(tf.memory().numTensors).toBe(before);
      // config
      const cfg = loss.getConfig();
      expect(cfg.reduction).toBe("sum_over_batch_size");
      expect(cfg).not.toHaveProperty("fn");
      expect(cfg).not.toHaveProperty("dtype");
      const again = (cls as unknown as { fromConfig(c: Record<string, unknown>): Loss }).fromConfig(cfg);
      expect(again).toBeInstanceOf(cls);
      expect(again.getConfig()).toEqual(cfg);
      tf.dispose([yt, yp]);
    });
  }

  it("classes work without `new` and instances are Loss", () => {
    const l = losses.MeanSquaredError();
    expect(l).toBeInstanceOf(Loss);
    expect(l).toBeInstanceOf(losses.MeanSquaredError);
    expect(l.name).toBe("mean_squared_error");
    expect(losses.Huber({ delta: 2 }).getConfig()).toEqual({ name: "huber_loss", reduction: "sum_over_batch_size", delta: 2 });
    expect(losses.Huber({ name: "h" }).name).toBe("h");
  });
});

describe("get / serialize / deserialize", () => {
  it("names give functions, class names give instances", () => {
    expect(losses.get("mean_squared_error")).toBe(losses.meanSquaredError);
    expect(losses.get("mse")).toBe(losses.meanSquaredError);
    expect(losses.get("MSE")).toBe(losses.meanSquaredError);
    expect(losses.get("mae")).toBe(losses.meanAbsoluteError);
    expect(losses.get("mape")).toBe(losses.meanAbsolutePercentageError);
    expect(losses.get("msle")).toBe(losses.meanSquaredLogarithmicError);
    expect(losses.get("kld")).toBe(losses.klDivergence);
    expect(losses.get("kl_divergence")).toBe(losses.klDivergence);
    expect(losses.get("bce")).toBe(losses.binaryCrossentropy);
    expect(losses.get("log_cosh")).toBe(losses.logCosh);
    expect(losses.get("logcosh")).toBe(losses.logCosh);
    expect(losses.get("sparse_categorical_crossentropy")).toBe(losses.sparseCategoricalCrossentropy);
    const inst = losses.get("CategoricalCrossentropy");
    expect(inst).toBeInstanceOf(losses.CategoricalCrossentropy);
    expect(losses.get(null)).toBeNull();
    expect(losses.get(undefined)).toBeNull();
    const l = losses.Huber();
    expect(losses.get(l)).toBe(l);
    expect(losses.get(losses.Poisson as unknown as new () => Loss)).toBeInstanceOf(losses.Poisson);
    const fn = (a: unknown, b: unknown) => tf.scalar(0);
    expect(losses.get(fn as never)).toBe(fn);
  });

  it("a config dict gives an instance", () => {
    const l = losses.get({ class_name: "CategoricalCrossentropy", config: { from_logits: true } }) as losses.CategoricalCrossentropy;
    expect(l).toBeInstanceOf(losses.CategoricalCrossentropy);
    expect(l.fromLogits).toBe(true);
    expect(l.name).toBe("categorical_crossentropy");
  });

  it("an unknown name throws and lists every valid name", () => {
    let msg = "";
    try {
      losses.get("mean_sqared_error");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("mean_sqared_error");
    for (const n of ["mean_squared_error", "mse", "CategoricalCrossentropy", "sparse_categorical_crossentropy", "kld", "ctc", "Tversky"]) {
      expect(msg).toContain(n);
    }
  });

  it("getLoss gives a Loss for compile, as Keras's compile_utils.get_loss", () => {
    const a = losses.getLoss("mse")!;
    expect(a).toBeInstanceOf(losses.LossFunctionWrapper);
    expect(a.name).toBe("mse");
    expect((a as losses.LossFunctionWrapper).fn).toBe(losses.meanSquaredError);
    expect(losses.getLoss(losses.meanAbsoluteError)!.name).toBe("mean_absolute_error");
    function myCustomLoss(yt: Tensor, yp: Tensor): Tensor {
      return losses.meanAbsoluteError(yt, yp);
    }
    expect(losses.getLoss(myCustomLoss)!.name).toBe("my_custom_loss");
    const h = losses.Huber();
    expect(losses.getLoss(h)).toBe(h);
    expect(losses.getLoss("CategoricalCrossentropy")).toBeInstanceOf(losses.CategoricalCrossentropy);
    expect(losses.getLoss(null)).toBeNull();
    const fnOf = (l: Loss | null) => (l as losses.LossFunctionWrapper).fn;
    expect(fnOf(losses.getLoss("crossentropy", { shape: [4, 1] }, { shape: [4, 1] }))).toBe(losses.binaryCrossentropy);
    expect(fnOf(losses.getLoss("crossentropy", { shape: [4] }, { shape: [4, 3] }))).toBe(losses.sparseCategoricalCrossentropy);
    expect(fnOf(losses.getLoss("ce", { shape: [4, 1] }, { shape: [4, 3] }))).toBe(losses.sparseCategoricalCrossentropy);
    expect(fnOf(losses.getLoss("crossentropy", { shape: [4, 3] }, { shape: [4, 3] }))).toBe(losses.categoricalCrossentropy);
    expect(() => losses.getLoss("nope")).toThrow(/Could not interpret loss identifier: nope/);
  });

  it("functions serialize as Keras writes them", () => {
    const s = losses.serialize(losses.meanSquaredError);
    expect(s).toEqual({ module: "builtins", class_name: "function", config: "mean_squared_error", registered_name: "function" });
    expect(losses.deserialize(s)).toBe(losses.meanSquaredError);
    expect(losses.lossFunctionName(losses.klDivergence)).toBe("kl_divergence");
  });

  it("LossFunctionWrapper wraps a function with options", () => {
    const w = new losses.LossFunctionWrapper(losses.huber, { delta: 0.5, name: "my_huber" });
    const ref = losses.Huber({ delta: 0.5 });
    const yt = [[0, 0]];
    const yp = [[0.2, 2]];
    close(val(w(yt, yp)), val(ref(yt, yp)) as number);
    const cfg = w.getConfig();
    expect(cfg).toEqual({
      name: "my_huber",
      reduction: "sum_over_batch_size",
      fn: { module: "builtins", class_name: "function", config: "huber", registered_name: "function" },
      delta: 0.5,
    });
    const again = losses.LossFunctionWrapper.fromConfig(cfg);
    expect(again.fn).toBe(losses.huber);
    close(val(again(yt, yp)), val(ref(yt, yp)) as number);
  });

  it("older configs that still carry `fn` and a serialized dtype policy load", () => {
    const l = losses.CosineSimilarity.fromConfig({
      name: "cos",
      reduction: "sum",
      fn: { module: "builtins", class_name: "function", config: "cosine_similarity", registered_name: "function" },
      axis: -1,
      dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null },
    });
    expect(l).toBeInstanceOf(losses.CosineSimilarity);
    expect(l.reduction).toBe("sum");
    expect(l.dtype).toBe("float32");
  });

  it("a registered custom function round-trips", () => {
    const myLoss = (yt: unknown, yp: unknown): Tensor => losses.meanAbsoluteError(yt as Tensor, yp as Tensor);
    registerKerasSerializable({ package: "test_losses", name: "my_loss" })(myLoss);
    const w = new losses.LossFunctionWrapper(myLoss);
    const cfg = w.getConfig();
    expect(cfg.fn).toEqual({ module: null, class_name: "function", config: "test_losses>my_loss", registered_name: "test_losses>my_loss" });
    expect(losses.LossFunctionWrapper.fromConfig(cfg).fn).toBe(myLoss);
  });
});

describe("subclassing Loss", () => {
  class Scaled extends Loss {
    constructor(options: { name?: string } = {}) {
      super(options);
    }
    override call(yTrue: Tensor, yPred: Tensor): Tensor {
      return tf.tidy(() => tf.mul(2, tf.mean(tf.abs(tf.sub(yTrue, yPred)), -1)));
    }
  }

  it("a custom call is reduced like the built-ins", () => {
    const l = new Scaled();
    expect(l.name).toMatch(/^scaled/);
    close(val(l([[0, 0], [1, 1]], [[1, 1], [1, 2]])), (2 + 1) / 2);
    close(val(l([[0, 0], [1, 1]], [[1, 1], [1, 2]], [0, 1])), 0.5);
    expect(l.getConfig()).toEqual({ name: l.name, reduction: "sum_over_batch_size" });
  });

  it("the base without call explains what to implement", () => {
    expect(() => new Loss()([1], [1])).toThrow(/does not implement `call\(yTrue, yPred\)`/);
  });

  it("dtype sets the computation dtype", () => {
    const l = losses.MeanSquaredError({ dtype: "float32" });
    expect(l.dtype).toBe("float32");
    const r = l([[1, 2]], [[1, 3]]);
    expect(r.dtype).toBe("float32");
    r.dispose();
  });
});
