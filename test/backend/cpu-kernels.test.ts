/**
 * tskeras's cpu Conv2DBackpropFilter against tfjs-backend-cpu's own kernel
 * (kept as the reference): equal values for strides, paddings and shapes,
 * including windows that hang over the edges.
 */
import { describe, expect, it } from "vitest";
import "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";
import { conv2dBackpropFilterNhwc } from "../../lib/backend/cpu-kernels.js";

/** tfjs-backend-cpu's formula, value by value (the reference its kernel computes). */
function reference(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): Float32Array {
  const xb = x.bufferSync();
  const dyb = dy.bufferSync();
  const out = new Float32Array(info.filterHeight * info.filterWidth * info.inChannels * info.outChannels);
  let i = 0;
  for (let kr = 0; kr < info.filterHeight; kr++)
    for (let kc = 0; kc < info.filterWidth; kc++)
      for (let ci = 0; ci < info.inChannels; ci++)
        for (let co = 0; co < info.outChannels; co++) {
          let sum = 0;
          for (let b = 0; b < info.batchSize; b++)
            for (let yr = 0; yr < info.outHeight; yr++) {
              const xr = yr * info.strideHeight + kr - info.padInfo.top;
              if (xr < 0 || xr >= info.inHeight) continue;
              for (let yc = 0; yc < info.outWidth; yc++) {
                const xc = yc * info.strideWidth + kc - info.padInfo.left;
                if (xc < 0 || xc >= info.inWidth) continue;
                sum += xb.get(b, xr, xc, ci) * dyb.get(b, yr, yc, co);
              }
            }
          out[i++] = sum;
        }
  return out;
}

describe("cpu Conv2DBackpropFilter", () => {
  const cases: [string, number[], number[], number, "valid" | "same"][] = [
    ["3x3 valid stride 1", [2, 7, 6, 3], [3, 3, 3, 4], 1, "valid"],
    ["3x3 same stride 2", [3, 9, 8, 2], [3, 3, 2, 5], 2, "same"],
    ["2x4 same stride 3 (windows over both edges)", [1, 10, 11, 4], [2, 4, 4, 3], 3, "same"],
    ["1x1 pointwise", [2, 5, 5, 6], [1, 1, 6, 7], 1, "valid"],
    ["5x5 valid stride 2, odd sizes", [2, 13, 9, 1], [5, 5, 1, 2], 2, "valid"],
  ];
  it.each(cases)("%s: equals tfjs's kernel and its formula", (_name, xShape, fShape, stride, pad) => {
    expect(tf.getBackend()).toBe("cpu");
    expect((tf.getKernel("Conv2DBackpropFilter", "cpu") as { tskeras?: boolean }).tskeras).toBe(true);
    const x = tf.tidy(() => tf.relu(tf.randomNormal(xShape as [number, number, number, number], 0, 1, "float32", 7))) as tf.Tensor4D;
    const info = tf.backend_util.computeConv2DInfo(x.shape, fShape as [number, number, number, number], stride, 1, pad);
    const dy = tf.randomNormal([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 0, 1, "float32", 8) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const viaEngine = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, { strides: stride, pad, dataFormat: "NHWC", filterShape: fShape }) as tf.Tensor;
    expect(viaEngine.shape).toEqual(fShape);
    const want = reference(x, dy, info);
    const got = viaEngine.dataSync();
    // Same float64 sums in the same order: equal after rounding to float32.
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(Array.from(conv2dBackpropFilterNhwc(x.dataSync() as Float32Array, dy.dataSync() as Float32Array, info))).toEqual(Array.from(want));
    viaEngine.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });

  it("trains a Conv2D to the same weights as tfjs's gradient formula (the registered kernel is used)", () => {
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, "float32", 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 3], 0, 1, "float32", 4) as tf.Tensor4D;
    const g = tf.grad((wt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, wt as tf.Tensor4D, 1, "same"))))(w);
    const y = tf.conv2d(x, w, 1, "same");
    const dy = tf.mul(y, 2) as tf.Tensor4D;
    const info = tf.backend_util.computeConv2DInfo(x.shape, w.shape, 1, 1, "same");
    expect(Array.from(g.dataSync())).toEqual(Array.from(reference(x, dy, info)));
    tf.dispose([x, w, g, y, dy]);
  });
});
