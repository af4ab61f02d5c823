/**
 * Helpers shared by the cropping, padding and up-sampling layers: Keras's
 * argument normalization (`standardize_tuple`, per-dimension pairs) and the
 * spatial axes of a data format.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { ImageDataFormat } from "../../backend/config.js";

/** Keras's `standardize_tuple`: an int or a list of `n` ints, all positive (or >= 0 with `allowZero`). */
export function standardizeTuple(value: unknown, n: number, name: string, allowZero = false): number[] {
  const msg = `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${JSON.stringify(value)}`;
  let tuple: unknown[];
  if (typeof value === "number") tuple = new Array<number>(n).fill(value);
  else if (Array.isArray(value)) {
    if (value.length !== n) throw new Error(msg);
    tuple = value;
  } else throw new Error(msg);
  for (const v of tuple) {
    if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`${msg} including element ${JSON.stringify(v)} of type ${typeof v}`);
  }
  const nums = tuple as number[];
  const bad = nums.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    throw new Error(`${msg}, including values {${[...new Set(bad)].join(", ")}} that do not satisfy \`value ${allowZero ? ">= 0" : "> 0"}\``);
  }
  return nums;
}

const ORDINALS = ["1st", "2nd", "3rd"];

/**
 * `((before, after), ...)` for `n` spatial dims from an int (same on every
 * side), a list of `n` ints (symmetric per dim) or a list of `n` pairs.
 */
export function standardizePairs(value: unknown, n: number, what: "cropping" | "padding"): [number, number][] {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) throw new Error(`\`${what}\` cannot be negative. Received: ${what}=${value}.`);
    return Array.from({ length: n }, () => [value, value]);
  }
  if (Array.isArray(value)) {
    if (value.length !== n) throw new Error(`\`${what}\` should have ${n} elements. Received: ${what}=${JSON.stringify(value)}.`);
    return value.map((v, i) => standardizeTuple(v, 2, `${ORDINALS[i]} entry of ${what}`, true) as [number, number]);
  }
  throw new Error(
    `\`${what}\` should be either an int, a tuple of ${n} ints, or a tuple of ${n} tuples of 2 ints. Received: ${what}=${JSON.stringify(value)}.`,
  );
}

/** The spatial axes of a rank-`rank` input in `dataFormat` (batch first). */
export function spatialAxes(rank: number, dataFormat: ImageDataFormat): number[] {
  const n = rank - 2;
  const first = dataFormat === "channels_first" ? 2 : 1;
  return Array.from({ length: n }, (_, i) => first + i);
}

/** Repeats every element of `x` `times` times along `axis` (NumPy's `repeat` with an int). */
export function repeatAxis(x: Tensor, axis: number, times: number): Tensor {
  if (times === 1) return x;
  // A broadcasting multiply (not tile/broadcastTo, whose gradient stops at rank 4).
  const onesShape: number[] = [...x.shape.map(() => 1), 1];
  onesShape[axis + 1] = times;
  const tiled = tf.mul(tf.expandDims(x, axis + 1), tf.ones(onesShape, x.dtype));
  const shape = [...x.shape];
  shape[axis] *= times;
  return tf.reshape(tiled, shape);
}

/** Nested pairs as plain arrays (configs hold lists). */
export function pairsToConfig(pairs: readonly (readonly [number, number])[]): number[][] {
  return pairs.map((p) => [p[0], p[1]]);
}

/** Crops `x` by `pairs[i]` along `axes[i]`; throws naming `layerName` when a crop leaves nothing. */
export function cropAxes(x: Tensor, pairs: readonly [number, number][], axes: readonly number[], layerName: string): Tensor {
  checkCrop(x.shape, pairs, axes, layerName, "inputs.shape");
  const begin = x.shape.map(() => 0);
  const size = [...x.shape];
  axes.forEach((a, i) => {
    begin[a] = pairs[i][0];
    size[a] = x.shape[a] - pairs[i][0] - pairs[i][1];
  });
  return tf.slice(x, begin, size);
}

/** The shape after cropping (unknown sizes stay unknown). */
export function croppedShape(shape: readonly (number | null)[], pairs: readonly [number, number][], axes: readonly number[], layerName: string): (number | null)[] {
  checkCrop(shape, pairs, axes, layerName, "input_shape");
  const out = [...shape];
  axes.forEach((a, i) => {
    const d = shape[a];
    out[a] = d === null ? null : d - pairs[i][0] - pairs[i][1];
  });
  return out;
}

function checkCrop(shape: readonly (number | null)[], pairs: readonly [number, number][], axes: readonly number[], layerName: string, what: string): void {
  axes.forEach((a, i) => {
    const d = shape[a];
    if (d !== null && d !== undefined && pairs[i][0] + pairs[i][1] >= d) {
      throw new Error(
        `Layer "${layerName}": values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. ` +
          `Received: ${what}=${JSON.stringify(shape)}, cropping=${JSON.stringify(pairs)}`,
      );
    }
  });
}

/** Zero-pads `x` by `pairs[i]` along `axes[i]`. */
export function padAxes(x: Tensor, pairs: readonly [number, number][], axes: readonly number[]): Tensor {
  const p: [number, number][] = x.shape.map(() => [0, 0]);
  axes.forEach((a, i) => {
    p[a] = [pairs[i][0], pairs[i][1]];
  });
  return tf.pad(x, p);
}

/** The shape after padding (unknown sizes stay unknown). */
export function paddedShape(shape: readonly (number | null)[], pairs: readonly [number, number][], axes: readonly number[]): (number | null)[] {
  const out = [...shape];
  axes.forEach((a, i) => {
    const d = shape[a];
    out[a] = d === null ? null : d + pairs[i][0] + pairs[i][1];
  });
  return out;
}
