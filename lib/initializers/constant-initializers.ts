/** Deterministic initializers: Constant, Zeros, Ones, Identity, STFT. */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { floatx } from "../backend/config.js";
import { type DType, type DTypeLike, standardizeDtype } from "../backend/dtypes.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { isSerializedObject } from "../saving/serialized.js";
import { type NestedArray } from "../ops/convert.js";
import { Initializer } from "./initializer.js";

/** The dtype an initializer makes: `dtype` standardized, floatx when absent. */
export function initDtype(dtype?: DTypeLike | null): DType {
  return standardizeDtype(dtype ?? floatx());
}

function checkShape(shape: readonly number[], who: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${who}: \`shape\` must be an array of non-negative integers. Received: ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

/** The value of a Constant initializer: a number, nested arrays of numbers, or a tensor. */
export type ConstantValue = number | NestedArray | Tensor;

/** Options of Constant. */
export interface ConstantOptions {
  /** The fill value (broadcast to the shape). Default 0. */
  value?: ConstantValue | Record<string, unknown>;
}

interface StoredValue {
  data: number[];
  shape: number[];
  dtype: DType;
  /** How it was given: a number, arrays, or a tensor (for the config). */
  kind: "number" | "array" | "tensor";
  original: number | NestedArray;
}

function isOptionsObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor) && !ArrayBuffer.isView(x);
}

/** Fills tensors with a constant value (Keras's `keras.initializers.Constant`). */
export class Constant extends Initializer {
  private readonly stored: StoredValue;

  /** `new Constant(3)`, `new Constant([1, 2, 3])` or `new Constant({ value: 3 })`. */
  constructor(value: ConstantValue | ConstantOptions = 0) {
    super();
    let v: unknown = value;
    if (isOptionsObject(value) && !isSerializedObject(value)) v = (value as ConstantOptions).value ?? 0;
    this.stored = Constant.store(v);
  }

  private static store(v: unknown): StoredValue {
    if (isSerializedObject(v)) {
      // Keras's `__tensor__` / `__numpy__` serialized arrays.
      const cfg = v.config as { value?: unknown; dtype?: string } | null;
      if ((v.class_name === "__tensor__" || v.class_name === "__numpy__") && cfg && cfg.value !== undefined) {
        const t = tf.tensor(cfg.value as number[], undefined, standardizeDtype(cfg.dtype ?? "float32"));
        const out = Constant.store(t);
        t.dispose();
        return out;
      }
      throw new Error(`Constant: cannot interpret the value ${JSON.stringify(v)}.`);
    }
    if (typeof v === "number") return { data: [v], shape: [], dtype: "float32", kind: "number", original: v };
    if (typeof v === "boolean") return { data: [v ? 1 : 0], shape: [], dtype: "float32", kind: "number", original: v ? 1 : 0 };
    if (v instanceof tf.Tensor) {
      return {
        data: Array.from(v.dataSync() as ArrayLike<number>),
        shape: [...v.shape],
        dtype: v.dtype as DType,
        kind: "tensor",
        original: v.arraySync() as NestedArray,
      };
    }
    if (Array.isArray(v)) {
      const t = tf.tensor(v as number[]);
      const out: StoredValue = {
        data: Array.from(t.dataSync() as ArrayLike<number>),
        shape: [...t.shape],
        dtype: "float32",
        kind: "array",
        original: v as NestedArray,
      };
      t.dispose();
      return out;
    }
    throw new TypeError(`Constant: \`value\` must be a number, an array or a tensor. Received: ${String(v)}`);
  }

  /** The fill value as given (a number or nested arrays). */
  get value(): number | NestedArray {
    return this.stored.original;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    const s = checkShape(shape, "Constant");
    const d = initDtype(dtype);
    const st = this.stored;
    if (st.shape.length === 0) return tf.fill(s, st.data[0], d);
    return tf.tidy(() => tf.mul(tf.ones(s, d), tf.tensor(st.data, st.shape, d)));
  }

  override getConfig(): Record<string, unknown> {
    const st = this.stored;
    if (st.kind === "tensor") {
      return { value: { class_name: "__tensor__", config: { value: st.original, dtype: st.dtype } } };
    }
    return { value: st.original };
  }
}

/** Fills tensors with 0 (Keras's `keras.initializers.Zeros`). */
export class Zeros extends Initializer {
  constructor(_options: Record<string, never> = {}) {
    super();
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return tf.zeros(checkShape(shape, "Zeros"), initDtype(dtype));
  }
}

/** Fills tensors with 1 (Keras's `keras.initializers.Ones`). */
export class Ones extends Initializer {
  constructor(_options: Record<string, never> = {}) {
    super();
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return tf.ones(checkShape(shape, "Ones"), initDtype(dtype));
  }
}

/** Options of Identity. */
export interface IdentityOptions {
  /** Multiplies the identity matrix. Default 1. */
  gain?: number;
}

/** The identity matrix times `gain`, for 2D shapes (Keras's `keras.initializers.Identity`). */
export class Identity extends Initializer {
  /** Multiplies the identity matrix. */
  readonly gain: number;

  /** `new Identity(2)` or `new Identity({ gain: 2 })`. */
  constructor(gain: number | IdentityOptions = {}) {
    super();
    this.gain = typeof gain === "number" ? gain : (gain.gain ?? 1.0);
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    const s = checkShape(shape, "Identity");
    if (s.length !== 2) {
      throw new Error(
        `Identity matrix initializer can only be used for 2D matrices. Received: shape=[${s.join(", ")}] of rank ${s.length}.`,
      );
    }
    const d = initDtype(dtype);
    return tf.tidy(() => {
      const eye = tf.eye(s[0], s[1], undefined, d === "int32" ? "int32" : "float32");
      const out = this.gain === 1 ? eye : tf.mul(eye, tf.scalar(this.gain, eye.dtype));
      return out.dtype === d ? out : tf.cast(out, d);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/** Options of STFT. */
export interface STFTOptions {
  /** `"real"` (cosine kernel) or `"imag"` (sine kernel). Default `"real"`. */
  side?: "real" | "imag";
  /** A window name (`"hann"`, `"hamming"`, `"blackman"`, `"bartlett"`, `"boxcar"`), an array of values, or null. Default `"hann"`. */
  window?: string | number[] | null;
  /** `"density"`, `"spectrum"` or null. Default `"density"`. */
  scaling?: "density" | "spectrum" | null;
  /** Periodic (true) or symmetric (false) window, as scipy's `fftbins`. Default false. */
  periodic?: boolean;
}

const WINDOWS = ["hann", "hamming", "blackman", "bartlett", "boxcar"] as const;

/** scipy.signal.get_window for a few windows: symmetric, or periodic when `periodic`. */
export function getWindow(name: string, length: number, periodic: boolean): number[] {
  const key = name.toLowerCase();
  const aliases: Record<string, (typeof WINDOWS)[number]> = {
    hann: "hann", hanning: "hann", han: "hann",
    hamming: "hamming", hamm: "hamming", ham: "hamming",
    blackman: "blackman", black: "blackman", blk: "blackman",
    bartlett: "bartlett", bart: "bartlett", brt: "bartlett",
    boxcar: "boxcar", box: "boxcar", ones: "boxcar", rect: "boxcar", rectangular: "boxcar",
  };
  const w = aliases[key];
  if (w === undefined) {
    throw new Error(`Unknown window type: ${name}. Supported windows: ${WINDOWS.join(", ")} (or pass an array of values).`);
  }
  if (length <= 0) return [];
  if (length === 1) return [1];
  const m = periodic ? length + 1 : length;
  const out: number[] = [];
  for (let n = 0; n < length; n++) {
    const x = (2 * Math.PI * n) / (m - 1);
    switch (w) {
      case "hann":
        out.push(0.5 - 0.5 * Math.cos(x));
        break;
      case "hamming":
        out.push(0.54 - 0.46 * Math.cos(x));
        break;
      case "blackman":
        out.push(0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x));
        break;
      case "bartlett":
        out.push(1 - Math.abs((2 * n) / (m - 1) - 1));
        break;
      case "boxcar":
        out.push(1);
        break;
    }
  }
  return out;
}

/**
 * The kernel of a short-time Fourier transform as a convolution, of shape
 * `[frameLength, inputChannels, fftLength]` (Keras's `keras.initializers.STFT`).
 */
export class STFT extends Initializer {
  /** `"real"` (cosine) or `"imag"` (sine) kernel. */
  readonly side: "real" | "imag";
  /** The window name or values, or null for none. */
  readonly window: string | number[] | null;
  /** How the window normalizes the kernel. */
  readonly scaling: "density" | "spectrum" | null;
  /** Periodic (true) or symmetric (false) window. */
  readonly periodic: boolean;

  constructor(options: STFTOptions = {}) {
    super();
    const side = options.side ?? "real";
    if (side !== "real" && side !== "imag") throw new Error(`side should be 'real' or 'imag', not ${String(side)}`);
    const window = options.window === undefined ? "hann" : options.window;
    if (typeof window === "string") getWindow(window, 1, false);
    const scaling = options.scaling === undefined ? "density" : options.scaling;
    if (scaling !== null && scaling !== "density" && scaling !== "spectrum") {
      throw new Error(`Scaling is invalid, it must be \`None\`, 'density' or 'spectrum'. Received scaling=${String(scaling)}`);
    }
    this.side = side;
    this.window = window;
    this.scaling = scaling;
    this.periodic = options.periodic ?? false;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    const s = checkShape(shape, "STFT");
    if (s.length !== 3) {
      throw new Error(`STFT initializer expects a shape [frame_length, input_channels, fft_length]. Received: [${s.join(", ")}]`);
    }
    const d = initDtype(dtype);
    const [frameLength, channels, fftLength] = s;
    let win: number[] | null = null;
    let scale = 1;
    if (this.window !== null) {
      win = typeof this.window === "string" ? getWindow(this.window, frameLength, this.periodic) : [...this.window];
      if (win.length !== frameLength) {
        throw new Error(`The shape of \`window\` must be equal to [frame_length]. Received: window shape=[${win.length}]`);
      }
      if (this.scaling === "density") scale = Math.sqrt(win.reduce((a, b) => a + b * b, 0));
      else if (this.scaling === "spectrum") scale = win.reduce((a, b) => a + Math.abs(b), 0);
    }
    const denom = (fftLength - 1) * 2;
    const data = new Float32Array(frameLength * channels * fftLength);
    let i = 0;
    for (let t = 0; t < frameLength; t++) {
      for (let c = 0; c < channels; c++) {
        for (let f = 0; f < fftLength; f++) {
          const arg = -2 * t * (f / denom) * Math.PI;
          let v = this.side === "real" ? Math.cos(arg) : Math.sin(arg);
          if (win !== null) v = (v * win[t]) / scale;
          data[i++] = v;
        }
      }
    }
    const out = tf.tensor(data, s, "float32");
    if (d === "float32") return out;
    const cast = tf.cast(out, d);
    out.dispose();
    return cast;
  }

  override getConfig(): Record<string, unknown> {
    return { side: this.side, window: this.window, periodic: this.periodic, scaling: this.scaling };
  }
}

registerBuiltin("keras.initializers", Constant);
registerBuiltin("keras.initializers", Zeros);
registerBuiltin("keras.initializers", Ones);
registerBuiltin("keras.initializers", Identity);
registerBuiltin("keras.initializers", STFT);
