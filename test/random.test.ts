import { describe, expect, it, beforeEach, afterEach } from "vitest";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import "../lib/ops/convert.js";
import * as random from "../lib/random/index.js";
import { SeedGenerator, drawSeed, setRandomSeed, getRandomSeed } from "../lib/random/index.js";

function values(t: Tensor): number[] {
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  t.dispose();
  return v;
}

function meanStd(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  return [m, s];
}

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

describe("SeedGenerator and drawSeed", () => {
  it("a SeedGenerator gives a deterministic sequence of distinct seeds", () => {
    const a = new SeedGenerator(1337);
    const b = new SeedGenerator({ seed: 1337 });
    const sa = [a.next(), a.next(), a.next()];
    const sb = [b.next(), b.next(), b.next()];
    expect(sa).toEqual(sb);
    expect(new Set(sa).size).toBe(3);
    for (const s of sa) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThan(0);
    }
    expect(new SeedGenerator(1338).next()).not.toBe(sa[0]);
    expect(a.state).toEqual([1337, 3]);
  });

  it("has Keras's config and auto name", () => {
    const g = new SeedGenerator(5, { name: "gen" });
    expect(g.getConfig()).toEqual({ seed: 5, name: "gen" });
    expect(new SeedGenerator().name).toMatch(/^seed_generator/);
    const back = SeedGenerator.fromConfig(g.getConfig());
    expect(back.next()).toBe(new SeedGenerator(5).next());
  });

  it("an int seed always draws the same seed; null draws from the global generator", () => {
    expect(drawSeed(3)).toBe(drawSeed(3));
    expect(drawSeed(3)).not.toBe(drawSeed(4));
    expect(drawSeed(0)).toBeGreaterThan(0);
    expect(drawSeed(null)).not.toBe(drawSeed(null));
    expect(() => drawSeed(1.5)).toThrow(/integer/);
  });

  it("setRandomSeed makes unseeded draws reproducible", () => {
    const run = (seed: number): number[] => {
      setRandomSeed(seed);
      return [
        ...values(random.normal([3])),
        ...values(random.uniform([3])),
        ...values(random.dropout([1, 1, 1, 1, 1, 1, 1, 1], 0.5)),
        ...values(random.normal([3])),
      ];
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(getRandomSeed()).toBe(43);
    // consecutive unseeded draws differ
    setRandomSeed(1);
    expect(values(random.normal([4]))).not.toEqual(values(random.normal([4])));
    expect(() => setRandomSeed(1.5)).toThrow(/integer/);
  });
});

describe("distributions", () => {
  it("normal", () => {
    const v = values(random.normal([20000], { mean: 2, stddev: 3, seed: 1 }));
    const [m, s] = meanStd(v);
    expect(m).toBeCloseTo(2, 1);
    expect(Math.abs(s / 3 - 1)).toBeLessThan(0.03);
    expect(values(random.normal([5], { seed: 9 }))).toEqual(values(random.normal([5], { seed: 9 })));
    expect(() => random.normal([2], { dtype: "int32" })).toThrow(/floating point/);
  });

  it("truncatedNormal resamples beyond 2 stddev", () => {
    const v = values(random.truncatedNormal([20000], { mean: 1, stddev: 2, seed: 2 }));
    expect(Math.max(...v)).toBeLessThanOrEqual(5);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-3);
    const [m, s] = meanStd(v);
    expect(m).toBeCloseTo(1, 1);
    expect(Math.abs(s / (2 * 0.8796) - 1)).toBeLessThan(0.03);
  });

  it("uniform", () => {
    const v = values(random.uniform([20000], { minval: -1, maxval: 3, seed: 3 }));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...v)).toBeLessThan(3);
    expect(meanStd(v)[0]).toBeCloseTo(1, 1);
    expect(() => random.uniform([2], { dtype: "int32" })).toThrow(/floating point/);
    const t = random.uniform([2, 3], { seed: 1 });
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32");
    t.dispose();
  });

  it("randint", () => {
    const t = random.randint([10000], -2, 3, { seed: 4 });
    expect(t.dtype).toBe("int32");
    const v = values(t);
    expect(new Set(v)).toEqual(new Set([-2, -1, 0, 1, 2]));
    const counts = [-2, -1, 0, 1, 2].map((k) => v.filter((x) => x === k).length);
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(() => random.randint([2], 0, 5, { dtype: "float32" })).toThrow(/integer/);
    expect(values(random.randint([6], 0, 100, { seed: 5 }))).toEqual(values(random.randint([6], 0, 100, { seed: 5 })));
  });

  it("dropout zeros a fraction and scales the rest", () => {
    const x = tf.ones([10000]);
    const v = values(random.dropout(x, 0.3, { seed: 5 }));
    const kept = v.filter((a) => a !== 0);
    expect(Math.abs(kept.length / 10000 - 0.7)).toBeLessThan(0.02);
    for (const a of kept) expect(a).toBeCloseTo(1 / 0.7, 5);
    expect(values(random.dropout(x, 0, { seed: 5 }))).toEqual(values(tf.ones([10000])));
    expect(values(random.dropout(x, 1, { seed: 5 })).every((a) => a === 0)).toBe(true);
    x.dispose();
    // noise shape broadcast: whole rows kept or dropped
    const y = tf.ones([50, 4]);
    const d = random.dropout(y, 0.5, { noiseShape: [null, 1], seed: 6 });
    const rows = d.arraySync() as number[][];
    for (const r of rows) expect(new Set(r).size).toBe(1);
    d.dispose();
    y.dispose();
    // arrays are accepted
    expect(values(random.dropout([1, 2, 3], 0.5, { seed: 1 })).length).toBe(3);
  });

  it("shuffle permutes along an axis", () => {
    const x = tf.tensor2d([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    const s = random.shuffle(x, { seed: 7 });
    const rows = (s.arraySync() as number[][]).map((r) => r.join(","));
    s.dispose();
    expect([...rows].sort()).toEqual(["0,1", "2,3", "4,5", "6,7"]);
    const c = random.shuffle(x, { axis: 1, seed: 7 });
    const cols = c.arraySync() as number[][];
    c.dispose();
    for (const r of cols) expect([...r].sort((a, b) => a - b)).toEqual([...(x.arraySync() as number[][])[cols.indexOf(r)]]);
    x.dispose();
    const p = random.permutation(100, 3);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p)).toEqual(Array.from(random.permutation(100, 3)));
  });

  it("categorical follows the logits", () => {
    const logits = tf.tidy(() => tf.log(tf.tensor2d([[0.1, 0.2, 0.7], [1, 0, 0]])));
    const s = random.categorical(logits, 5000, { seed: 8 });
    expect(s.shape).toEqual([2, 5000]);
    expect(s.dtype).toBe("int32");
    const v = s.arraySync() as number[][];
    s.dispose();
    logits.dispose();
    const freq = [0, 1, 2].map((k) => v[0].filter((x) => x === k).length / 5000);
    expect(freq[0]).toBeCloseTo(0.1, 1);
    expect(freq[1]).toBeCloseTo(0.2, 1);
    expect(freq[2]).toBeCloseTo(0.7, 1);
    expect(v[1].every((x) => x === 0)).toBe(true);
    expect(() => random.categorical([1, 2], 3)).toThrow(/2-D/);
  });

  it("gamma, beta, binomial moments", () => {
    const g = values(random.gamma([20000], 3, { seed: 9 }));
    const [gm, gs] = meanStd(g);
    expect(gm).toBeCloseTo(3, 1);
    expect(Math.abs(gs / Math.sqrt(3) - 1)).toBeLessThan(0.05);
    const small = values(random.gamma([20000], 0.5, { seed: 9 }));
    expect(meanStd(small)[0]).toBeCloseTo(0.5, 1);
    const b = values(random.beta([20000], 2, 5, { seed: 10 }));
    expect(meanStd(b)[0]).toBeCloseTo(2 / 7, 2);
    expect(Math.min(...b)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...b)).toBeLessThanOrEqual(1);
    const n = values(random.binomial([20000], 10, 0.3, { seed: 11 }));
    const [nm, ns] = meanStd(n);
    expect(nm).toBeCloseTo(3, 1);
    expect(Math.abs(ns / Math.sqrt(10 * 0.3 * 0.7) - 1)).toBeLessThan(0.05);
    const n2 = values(random.binomial([20000], 20, 0.9, { seed: 12 }));
    expect(meanStd(n2)[0]).toBeCloseTo(18, 1);
    // tensor parameters broadcast to the shape
    const per = random.binomial([2, 3], [[5], [0]], 0.5, { seed: 1 });
    const pv = per.arraySync() as number[][];
    per.dispose();
    expect(pv[1]).toEqual([0, 0, 0]);
    expect(values(random.gamma([4], 2, { seed: 3 }))).toEqual(values(random.gamma([4], 2, { seed: 3 })));
  });
});
