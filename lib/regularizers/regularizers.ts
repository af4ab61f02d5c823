/** The built-in regularizers: L1, L2, L1L2, OrthogonalRegularizer. */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Regularizer } from "./regularizer.js";

/** Keras's `validate_float_arg`: a finite, non-negative number. */
function validateFloat(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`Invalid value for argument ${name}: expected a non-negative float.Received: ${name}=${String(value)}`);
  }
  return value;
}

function floatInput(x: Tensor): Tensor {
  return x.dtype === "float32" ? x : tf.cast(x, "float32");
}

/** Options of L1L2. */
export interface L1L2Options {
  /** L1 factor. Default 0. */
  l1?: number | null;
  /** L2 factor. Default 0. */
  l2?: number | null;
}

/** `l1 * sum(|x|) + l2 * sum(x²)` (Keras's `keras.regularizers.L1L2`). */
export class L1L2 extends Regularizer {
  /** The L1 factor. */
  readonly l1: number;
  /** The L2 factor. */
  readonly l2: number;

  /** `new L1L2({ l1: 0.01, l2: 0.01 })` or `new L1L2(0.01, 0.01)`. */
  constructor(l1: number | null | L1L2Options = {}, l2?: number | null) {
    super();
    const opts: L1L2Options = typeof l1 === "object" && l1 !== null ? l1 : { l1, l2 };
    this.l1 = validateFloat(opts.l1 ?? 0.0, "l1");
    this.l2 = validateFloat(opts.l2 ?? 0.0, "l2");
  }

  override call(x: Tensor): Tensor {
    return tf.tidy(() => {
      const xf = floatInput(x);
      let reg: Tensor = tf.scalar(0, "float32");
      if (this.l1 !== 0) reg = tf.add(reg, tf.mul(tf.scalar(this.l1), tf.sum(tf.abs(xf))));
      if (this.l2 !== 0) reg = tf.add(reg, tf.mul(tf.scalar(this.l2), tf.sum(tf.square(xf))));
      return reg;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Options of L1. */
export interface L1Options {
  /** L1 factor. Default 0.01. */
  l1?: number | null;
}

/** `l1 * sum(|x|)` (Keras's `keras.regularizers.L1`). */
export class L1 extends Regularizer {
  /** The L1 factor. */
  readonly l1: number;

  /** `new L1(0.01)` or `new L1({ l1: 0.01 })`. */
  constructor(l1: number | null | L1Options = {}) {
    super();
    const v = typeof l1 === "object" && l1 !== null ? l1.l1 : l1;
    this.l1 = validateFloat(v ?? 0.01, "l1");
  }

  override call(x: Tensor): Tensor {
    return tf.tidy(() => tf.mul(tf.scalar(this.l1), tf.sum(tf.abs(floatInput(x)))));
  }

  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** Options of L2. */
export interface L2Options {
  /** L2 factor. Default 0.01. */
  l2?: number | null;
}

/** `l2 * sum(x²)` (Keras's `keras.regularizers.L2`). */
export class L2 extends Regularizer {
  /** The L2 factor. */
  readonly l2: number;

  /** `new L2(0.01)` or `new L2({ l2: 0.01 })`. */
  constructor(l2: number | null | L2Options = {}) {
    super();
    const v = typeof l2 === "object" && l2 !== null ? l2.l2 : l2;
    this.l2 = validateFloat(v ?? 0.01, "l2");
  }

  override call(x: Tensor): Tensor {
    return tf.tidy(() => tf.mul(tf.scalar(this.l2), tf.sum(tf.square(floatInput(x)))));
  }

  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** Options of OrthogonalRegularizer. */
export interface OrthogonalRegularizerOptions {
  /** The factor. Default 0.01. */
  factor?: number;
  /** `"rows"` or `"columns"`: which vectors are pushed to be orthogonal. Default `"rows"`. */
  mode?: "rows" | "columns";
}

/**
 * Pushes the rows (or columns) of a matrix to be orthogonal: `factor * 0.5 *
 * sum(|off-diagonal dot products of the L2-normalized rows|) / numPairs`
 * (Keras's `keras.regularizers.OrthogonalRegularizer`).
 */
export class OrthogonalRegularizer extends Regularizer {
  /** The regularization factor. */
  readonly factor: number;
  /** Whether rows or columns are pushed to be orthogonal. */
  readonly mode: "rows" | "columns";

  /** `new OrthogonalRegularizer(0.01, "rows")` or `new OrthogonalRegularizer({ factor, mode })`. */
  constructor(factor: number | OrthogonalRegularizerOptions = {}, mode?: "rows" | "columns") {
    super();
    const opts: OrthogonalRegularizerOptions = typeof factor === "number" ? { factor, mode } : factor;
    this.factor = validateFloat(opts.factor ?? 0.01, "factor");
    const m = opts.mode ?? "rows";
    if (m !== "rows" && m !== "columns") {
      throw new Error(`Invalid value for argument \`mode\`. Expected one of {"rows", "columns"}. Received: mode=${String(m)}`);
    }
    this.mode = m;
  }

  override call(x: Tensor): Tensor {
    if (x.shape.length !== 2) {
      throw new Error(`Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=[${x.shape.join(", ")}]`);
    }
    return tf.tidy(() => {
      const xf = floatInput(x);
      const axis = this.mode === "rows" ? 1 : 0;
      const eps = epsilon();
      const sq = tf.sum(tf.square(xf), axis, true);
      const normalized = tf.mul(xf, tf.rsqrt(tf.maximum(sq, eps * eps)));
      const product =
        this.mode === "rows"
          ? tf.matMul(normalized, normalized, false, true)
          : tf.matMul(normalized, normalized, true, false);
      const size = (this.mode === "rows" ? x.shape[0] : x.shape[1]) as number;
      const offDiag = tf.mul(product, tf.sub(1, tf.eye(size)));
      const numPairs = (size * (size - 1)) / 2;
      return tf.div(tf.mul(this.factor * 0.5, tf.sum(tf.abs(offDiag))), numPairs);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }
}

registerBuiltin("keras.regularizers", L1L2);
registerBuiltin("keras.regularizers", L1);
registerBuiltin("keras.regularizers", L2);
registerBuiltin("keras.regularizers", OrthogonalRegularizer);
