// keras.ops.ctcLoss / ctcDecode, checked against brute force over all alignments.
import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as nn from "../../lib/ops/nn.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "./ops-test-utils.js";

/** log-softmax of each row. */
function logSoftmaxRows(logits: number[][]): number[][] {
  return logits.map((r) => {
    const m = Math.max(...r);
    const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
    return r.map((v) => v - lse);
  });
}

/** Collapses an alignment: merge repeats, then drop blanks. */
function collapse(path: number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((c, i) => {
    if (c !== blank && (i === 0 || path[i - 1] !== c)) out.push(c);
  });
  return out;
}

/** Every labeling's probability by summing over all numClasses^T alignments. */
function labelingProbs(logits: number[][], blank: number): Map<string, number> {
  const lp = logSoftmaxRows(logits);
  const T = lp.length;
  const C = lp[0]!.length;
  const probs = new Map<string, number>();
  const path: number[] = [];
  const walk = (t: number, logProb: number): void => {
    if (t === T) {
      const key = collapse(path, blank).join(",");
      probs.set(key, (probs.get(key) ?? 0) + Math.exp(logProb));
      return;
    }
    for (let c = 0; c < C; c++) {
      path.push(c);
      walk(t + 1, logProb + lp[t]![c]!);
      path.pop();
    }
  };
  walk(0, 0);
  return probs;
}

const logitsA = [
  [0.5, 1.2, -0.3, 0.1],
  [0.2, -0.4, 1.5, 0.3],
  [1.1, 0.3, 0.2, -0.6],
  [-0.2, 0.9, 0.4, 1.3],
];
const logitsB = [
  [2.0, 0.1, 0.3, 0.2],
  [0.1, 0.2, 0.3, 2.5],
  [0.3, 0.2, 0.1, 0.0],
  [9, 9, 9, 9], // beyond the sequence length
];

describe("ctcLoss", () => {
  it("is -log of the summed probability of the target's alignments", () => {
    const pA = labelingProbs(logitsA, 0);
    const pB = labelingProbs(logitsB.slice(0, 3), 0);
    const loss = nn.ctcLoss([[1, 2], [3, 0]], [logitsA, logitsB], [2, 1], [4, 3]);
    expectTensor(loss, [-Math.log(pA.get("1,2")!), -Math.log(pB.get("3")!)], "float32", [2], 1e-4);
    loss.dispose();
    // mask_index other than 0: class 3 is the blank.
    const p3 = labelingProbs(logitsA, 3);
    expectTensor(nn.ctcLoss([[0, 0]], [logitsA], [2], [4], 3), [-Math.log(p3.get("0,0")!)], "float32", [1], 1e-4);
    expectKeras(nn.ctcLoss(new KerasTensor([null, 5], { dtype: "int32" }), new KerasTensor([null, 10, 6]), new KerasTensor([null], { dtype: "int32" }), new KerasTensor([null], { dtype: "int32" })), [null], "float32");
    expectNoLeak(() => nn.ctcLoss([[1, 2]], [logitsA], [2], [4]));
  });
});

describe("ctcDecode", () => {
  it("greedy: best class per step, repeats merged, blanks dropped, -1 padding", () => {
    const [decoded, scores] = nn.ctcDecode([logitsA, logitsB], [4, 3]);
    // A: argmax 1,2,0,3 -> [1,2,3]; B: 0,3,0 -> [3]
    expectTensor(decoded, [[[1, 2, 3, -1], [3, -1, -1, -1]]], "int32", [1, 2, 4]);
    expectTensor(scores, [[-(1.2 + 1.5 + 1.1 + 1.3)], [-(2.0 + 2.5 + 0.3)]], "float32", [2, 1]);
    disposeAll([decoded, scores]);
    const rep = [[[0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]];
    const [d1] = nn.ctcDecode(rep, [5]);
    expectTensor(d1, [[[1, 1, 2, -1, -1]]]);
    const [d2] = nn.ctcDecode(rep, [5], { mergeRepeated: false });
    expectTensor(d2, [[[1, 1, 1, 2, -1]]]);
    const [d3] = nn.ctcDecode(rep, [5], { maskIndex: 2 });
    expectTensor(d3, [[[1, 0, 1, -1, -1]]]);
    disposeAll([d1, d2, d3]);
  });

  it("beam search finds the most probable labelings (exact for a wide beam)", () => {
    const pA = [...labelingProbs(logitsA, 0).entries()].sort((a, b) => b[1] - a[1]);
    const [decoded, scores] = nn.ctcDecode([logitsA], [4], { strategy: "beam_search", beamWidth: 100, topPaths: 3 });
    expect(decoded.shape).toEqual([3, 1, 4]);
    const paths = (decoded.arraySync() as number[][][]).map((p) => p[0]!.filter((c) => c >= 0).join(","));
    expect(paths).toEqual(pA.slice(0, 3).map(([k]) => k));
    expectTensor(scores, [pA.slice(0, 3).map(([, p]) => Math.log(p))], "float32", [1, 3], 1e-4);
    disposeAll([decoded, scores]);
    const [ks, kv] = nn.ctcDecode(new KerasTensor([2, 6, 5]), new KerasTensor([2], { dtype: "int32" }), { strategy: "beam_search", topPaths: 2, beamWidth: 4 });
    expectKeras(ks, [2, 2, 6], "int32");
    expectKeras(kv, [2, 2], "float32");
    expectNoLeak(() => nn.ctcDecode([logitsA], [4], { strategy: "beam_search", beamWidth: 2 }));
    expect(() => nn.ctcDecode([logitsA], [4], { strategy: "nope" as "greedy" })).toThrow(/Invalid strategy/);
  });
});
