/**
 * A faster `Conv2DBackpropFilter` for the cpu backend (the kernel gradient of
 * Conv2D, Conv1D and the pointwise step of SeparableConv).
 *
 * tfjs-backend-cpu 4.x reads every input value through `TensorBuffer.get`, a
 * call that computes a flat index from coordinates, once per multiply: a CNN
 * then spends over 80% of a training step there (bench/PROFILE.md). This one
 * reads the channels-last typed arrays directly, with the output channel in
 * the inner loop so both the output gradient and the result are read and
 * written contiguously. Each value is the same float64 sum in the same order
 * as tfjs's kernel (terms whose input is 0 are skipped: they add nothing
 * unless the output gradient holds a NaN or an infinity); NCHW inputs keep
 * the backend's own kernel.
 *
 * Importing this module registers it (once); `lib/backend/engine.ts` imports
 * it when the cpu backend starts.
 */
import { tf } from "./tfjs.js";

/** The cpu backend's side the kernel uses. */
interface CpuBackend {
  readSync(dataId: object): tf.TypedArray | string[] | Uint8Array[];
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.TypedArray): tf.TensorInfo;
}

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
};

/** dW[kr, kc, ci, co] = sum over batch and output positions of x[b, r, c, ci] * dy[b, yr, yc, co]. */
export function conv2dBackpropFilterNhwc(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Sums in float64, as tfjs's kernel (a JS number per sum), rounded to float32 at the end.
  const dw = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const xRowStride = inWidth * inChannels;
  const xBatchStride = inHeight * xRowStride;
  const dyRowStride = outWidth * outChannels;
  const dyBatchStride = outHeight * dyRowStride;
  for (let kr = 0; kr < filterHeight; kr++) {
    // Output rows whose window row kr lands inside the input.
    const yrMin = Math.max(0, Math.ceil((top - kr) / strideHeight));
    const yrMax = Math.min(outHeight, Math.floor((inHeight + top - kr - 1) / strideHeight) + 1);
    for (let kc = 0; kc < filterWidth; kc++) {
      const ycMin = Math.max(0, Math.ceil((left - kc) / strideWidth));
      const ycMax = Math.min(outWidth, Math.floor((inWidth + left - kc - 1) / strideWidth) + 1);
      const dwBase = (kr * filterWidth + kc) * inChannels * outChannels;
      for (let b = 0; b < batchSize; b++) {
        for (let yr = yrMin; yr < yrMax; yr++) {
          const xr = yr * strideHeight + kr - top;
          const xRow = b * xBatchStride + xr * xRowStride;
          const dyRow = b * dyBatchStride + yr * dyRowStride;
          for (let yc = ycMin; yc < ycMax; yc++) {
            const xc = yc * strideWidth + kc - left;
            const xOff = xRow + xc * inChannels;
            const dyOff = dyRow + yc * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = x[xOff + ci];
              if (xv === 0) continue;
              const o = dwBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dw[o + co] += xv * dy[dyOff + co];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dw);
}

function register(): void {
  const original = tf.getKernel("Conv2DBackpropFilter", "cpu");
  if (!original || (original as { tskeras?: boolean }).tskeras) return;
  tf.unregisterKernel("Conv2DBackpropFilter", "cpu");
  const config: tf.KernelConfig & { tskeras: boolean } = {
    kernelName: "Conv2DBackpropFilter",
    backendName: "cpu",
    tskeras: true,
    kernelFunc: (args) => {
      const { inputs, backend } = args;
      const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
      const x = inputs.x as tf.TensorInfo;
      const dy = inputs.dy as tf.TensorInfo;
      if (attrs.dataFormat === "NCHW" || x.dtype !== "float32" || dy.dtype !== "float32") return original.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        "channelsLast",
      );
      const cpu = backend as unknown as CpuBackend;
      const xv = cpu.readSync(x.dataId) as Float32Array;
      const dyv = cpu.readSync(dy.dataId) as Float32Array;
      return cpu.makeTensorInfo(info.filterShape, "float32", conv2dBackpropFilterNhwc(xv, dyv, info));
    },
  };
  tf.registerKernel(config);
}

register();
