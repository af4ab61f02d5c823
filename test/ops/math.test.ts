import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as math from "../../lib/ops/math.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "./ops-test-utils.js";

describe("elementwise special functions", () => {
  it("erf / erfinv / rsqrt", () => {
    expectTensor(math.erf([0.5, -1, 0]), [0.5204998778, -0.8427007929, 0], "float32", undefined, 1e-5);
    expectTensor(math.erfinv([0.5, -0.9, 0.999, 0]), [0.4769362762, -1.1630871537, 2.3267537655, 0], "float32", undefined, 1e-4);
    expectTensor(math.erfinv([1, -1, 2]), [Infinity, -Infinity, NaN]);
    expectTensor(math.rsqrt([4, 0.25]), [0.5, 2], "float32");
    expectKeras(math.erf(new KerasTensor([null, 2])), [null, 2], "float32");
  });
  it("logsumexp", () => {
    expectTensor(math.logsumexp([1, 2, 3]), 3.4076059644, "float32");
    expectTensor(math.logsumexp([[1, 2, 3], [0, 0, 0]], -1), [3.4076059644, Math.log(3)]);
    expectTensor(math.logsumexp([[1, 2, 3], [0, 0, 0]], 0, true), [[Math.log(Math.E + 1), Math.log(Math.exp(2) + 1), Math.log(Math.exp(3) + 1)]]);
    expectTensor(math.logsumexp([1000, 1000]), 1000 + Math.log(2));
    expectKeras(math.logsumexp(new KerasTensor([null, 4]), 1), [null]);
  });
});

describe("topK / inTopK", () => {
  it("topK returns [values, indices]", () => {
    const [v, i] = math.topK([1, 3, 2, 3], 2);
    expectTensor(v, [3, 3], "int32");
    expectTensor(i, [1, 3], "int32");
    const [v2, i2] = math.topK([[0.1, 0.5, 0.2], [3, 2, 1]], 1);
    expectTensor(v2, [[0.5], [3]]);
    expectTensor(i2, [[1], [0]]);
    disposeAll([v, i, v2, i2]);
    const [sv, si] = math.topK(new KerasTensor([null, 10]), 3);
    expectKeras(sv, [null, 3], "float32");
    expectKeras(si, [null, 3], "int32");
  });
  it("inTopK", () => {
    const p = [
      [0.1, 0.9, 0.8],
      [0.5, 0.2, 0.3],
    ];
    expectTensor(math.inTopK([2, 0], p, 2), [true, true], "bool");
    expectTensor(math.inTopK([0, 1], p, 2), [false, false]);
    // ties at the k-th value count as in
    expectTensor(math.inTopK([2], [[0.5, 0.5, 0.5]], 1), [true]);
  });
});

describe("segment reductions", () => {
  it("segmentSum", () => {
    expectTensor(math.segmentSum([1, 2, 3, 4], [0, 0, 1, -1], 3), [3, 3, 0], "int32");
    expectTensor(math.segmentSum([1, 2, 3, 4], [0, 0, 1, 1]), [3, 7]);
    expectTensor(math.segmentSum([[1, 2], [3, 4], [5, 6]], [1, 0, 1]), [[3, 4], [6, 8]]);
    expectKeras(math.segmentSum(new KerasTensor([null, 4]), new KerasTensor([null], { dtype: "int32" }), 5), [5, 4]);
    expectKeras(math.segmentSum(new KerasTensor([null, 4]), new KerasTensor([null], { dtype: "int32" })), [null, 4]);
  });
  it("segmentMax", () => {
    expectTensor(math.segmentMax([1, 5, 3, 4], [0, 0, 1, 1]), [5, 4], "int32");
    expectTensor(math.segmentMax([1.5, 5, 3, 4], [0, 0, 1, 1], 3), [5, 4, -Infinity], "float32");
    expectTensor(math.segmentMax([[1, 9], [3, 4]], [0, 0]), [[3, 9]]);
  });
});

describe("sequences and spectra", () => {
  it("extractSequences", () => {
    expectTensor(math.extractSequences([1, 2, 3, 4, 5, 6], 3, 2), [[1, 2, 3], [3, 4, 5]]);
    expectTensor(math.extractSequences([[1, 2, 3, 4]], 2, 2), [[[1, 2], [3, 4]]]);
    expectKeras(math.extractSequences(new KerasTensor([null, 10]), 4, 2), [null, 4, 4]);
  });
  it("fft / fft2 / ifft2", () => {
    const [re, im] = math.fft([[1, 2, 3, 4], [0, 0, 0, 0]]);
    expectTensor(re, [10, -2, -2, -2]);
    expectTensor(im, [0, 2, 0, -2]);
    const [r2, i2] = math.fft2([[[1, 2], [3, 4]], [[0, 0], [0, 0]]]);
    expectTensor(r2, [[10, -2], [-4, 0]]);
    expectTensor(i2, [[0, 0], [0, 0]]);
    const [r3, i3] = math.ifft2([r2, i2]);
    expectTensor(r3, [[1, 2], [3, 4]]);
    expectTensor(i3, [[0, 0], [0, 0]]);
    disposeAll([re, im, r2, i2, r3, i3]);
  });
  it("rfft / irfft", () => {
    const [re, im] = math.rfft([1, 2, 3, 4]);
    expectTensor(re, [10, -2, -2]);
    expectTensor(im, [0, 2, 0]);
    expectTensor(math.irfft([re, im]), [1, 2, 3, 4], "float32");
    const [r5, i5] = math.rfft([1, 2, 3, 4, 5]);
    expectTensor(r5, [15, -2.5, -2.5]);
    expectTensor(i5, [0, 3.4409548, 0.81229924], undefined, undefined, 1e-4);
    expectTensor(math.irfft([r5, i5], 5), [1, 2, 3, 4, 5], undefined, undefined, 1e-4);
    const [rp] = math.rfft([1, 1], 4);
    expectTensor(rp, [2, 1, 0]);
    disposeAll([re, im, r5, i5, rp]);
    const [sr] = math.rfft(new KerasTensor([null, 8]));
    expectKeras(sr, [null, 5]);
  });
  it("stft matches the Keras docstring example", () => {
    const [re, im] = math.stft(new Float32Array([0, 1, 2, 3, 4]), 3, 2, 3);
    expectTensor(re, [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]], "float32", [3, 2], 1e-5);
    expectTensor(im, [[0, 0.64951905], [0, 0.64951905], [0, -0.64951905]], "float32", [3, 2], 1e-5);
    disposeAll([re, im]);
    const [r2] = math.stft(tf.ones([2, 16]), 4, 4, 8, null, false);
    expect(r2.shape).toEqual([2, 3, 5]);
    r2.dispose();
    const [sr] = math.stft(new KerasTensor([null, 32]), 8, 4, 8);
    expectKeras(sr, [null, 9, 5]);
  });
  it("istft inverts stft", () => {
    const x = tf.randomNormal([2, 32], 0, 1, "float32", 7);
    const [re, im] = math.stft(x, 8, 2, 8);
    const y = math.istft([re, im], 8, 2, 8, 32);
    expect(y.shape).toEqual([2, 32]);
    expect(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]).toBeLessThan(1e-4);
    const z = math.istft([re, im], 8, 2, 8);
    // center: (T - 1) * stride + fft_length - 2 * (fft_length / 2)
    expect(z.shape).toEqual([2, (re.shape[1]! - 1) * 2]);
    const [r2, i2] = math.stft(x, 6, 3, 8, "hamming", false);
    const w = math.istft([r2, i2], 6, 3, 8, null, "hamming", false);
    expect(w.shape).toEqual([2, 8 + 3 * (r2.shape[1]! - 1)]);
    disposeAll([x, re, im, y, z, r2, i2, w]);
    const [sr, si] = math.stft(new KerasTensor([null, 32]), 8, 2, 8);
    expectKeras(math.istft([sr, si], 8, 2, 8, 32), [null, 32]);
    expectNoLeak(() => {
      const a = tf.ones([2, 5]);
      const b = tf.zeros([2, 5]);
      return [a, b, math.istft([a, b], 8, 4, 8)];
    });
  });
  it("logdet", () => {
    expectTensor(math.logdet([[2, 0], [0, 3]]), Math.log(6), "float32");
    expectTensor(math.logdet([[[1, 2], [3, 4]], [[4, 0], [0, 4]]]), [Math.log(2), Math.log(16)], "float32", [2]);
  });
  it("no leaks", () => {
    const x = tf.tensor([[0.3, 0.1, 0.9, 0.2]]);
    expectNoLeak(() => math.erfinv(x));
    expectNoLeak(() => math.topK(x, 2));
    const flat = tf.reshape(x, [4]);
    expectNoLeak(() => math.segmentMax(flat, [0, 0, 1, 1]));
    expectNoLeak(() => math.stft(flat, 2, 1, 2));
    flat.dispose();
    expectNoLeak(() => math.rfft(x));
    expectNoLeak(() => math.logsumexp(x, 1));
    x.dispose();
  });
});
