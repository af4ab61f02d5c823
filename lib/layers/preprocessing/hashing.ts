/**
 * Hashing: hashes strings or integers into a fixed number of bins (Keras's
 * `layers/preprocessing/hashing.py`), with TensorFlow's hash functions:
 * FarmHash64 (`tf.strings.to_hash_bucket_fast`), or SipHash64 with a salt
 * (`tf.strings.to_hash_bucket_strong`), so bins equal Keras's.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { DType } from "../../backend/dtypes.js";
import type { KerasTensor, Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { hashBucketFast, hashBucketStrong } from "./hash.js";
import { applyWithStrings } from "./index-lookup.js";
import { encodeCategorical, encodedShape, flatData, specOf, type StringData } from "./preprocessing-utils.js";

/** Options of Hashing. */
export interface HashingArgs extends LayerArgs {
  /** The number of bins, including the mask bin when `maskValue` is set (also the first positional argument). */
  numBins?: number;
  /** A value mapped to bin 0 (then hashing uses bins 1..numBins-1). Default null. */
  maskValue?: string | number | null;
  /** A SipHash64 key: one integer (used twice) or two. Default null: FarmHash64. */
  salt?: number | readonly [number, number] | null;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"` or `"count"`. */
  outputMode?: "int" | "one_hot" | "multi_hot" | "count";
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
}

/**
 * Hashes each element (a string, or an integer as its decimal string; floats
 * are truncated first) into `[0, numBins)`, the same bin Keras gives.
 *
 * ```ts
 * layers.Hashing(3)([["A"], ["B"], ["C"], ["D"], ["E"]]);   // [[1], [0], [1], [1], [2]]
 * ```
 */
export class Hashing extends Layer {
  /** The number of bins. */
  readonly numBins: number;
  /** The mask value, or null. */
  readonly maskValue: string | number | null;
  /** The SipHash key, or null for FarmHash64. */
  readonly salt: [number, number] | null;
  /** The encoding of the bins. */
  readonly outputMode: "int" | "one_hot" | "multi_hot" | "count";
  /** Always false in tskeras. */
  readonly sparse: boolean;
  protected override inputDtype: DType | null = "int32";

  /** `new Hashing(3, { salt })` or `new Hashing({ numBins: 3 })`. */
  constructor(numBins?: number | HashingArgs, args: HashingArgs = {}) {
    const opts: HashingArgs = typeof numBins === "object" && numBins !== null ? { ...numBins } : { ...args, numBins };
    const outputMode = opts.outputMode ?? "int";
    const dtype = opts.dtype ?? (outputMode === "int" ? "int64" : "float32");
    if (opts.numBins == null || !(opts.numBins > 0)) {
      throw new Error(`The \`num_bins\` for \`Hashing\` cannot be \`None\` or non-positive values. Received: num_bins=${opts.numBins}.`);
    }
    if (!["int", "one_hot", "multi_hot", "count"].includes(outputMode)) {
      throw new Error(`Invalid value for argument \`output_mode\`. Expected one of ("int", "one_hot", "multi_hot", "count"). Received: output_mode=${String(outputMode)}`);
    }
    if (opts.sparse) throw new Error("Hashing: `sparse=True` is not supported by tskeras (no sparse tensors).");
    super({ ...opts, dtype });
    const policy = this.dtypePolicy.name;
    if (outputMode === "int" && policy !== "int32" && policy !== "int64") {
      throw new Error(`When \`output_mode="int"\`, \`dtype\` should be an integer type, 'int32' or 'in64'. Received: dtype=${policy}`);
    }
    this.numBins = opts.numBins;
    this.maskValue = opts.maskValue ?? null;
    this.outputMode = outputMode;
    this.sparse = false;
    let salt: [number, number] | null = null;
    if (opts.salt != null) {
      if (Array.isArray(opts.salt) && opts.salt.length === 2) salt = [opts.salt[0], opts.salt[1]];
      else if (typeof opts.salt === "number" && Number.isInteger(opts.salt)) salt = [opts.salt, opts.salt];
      else {
        throw new Error(`The \`salt\` argument for \`Hashing\` can only be a tuple of size 2 integers, or a single integer. Received: salt=${JSON.stringify(opts.salt)}.`);
      }
    }
    this.salt = salt;
  }

  /** Hashing takes JS strings too: `layer([["A"], ["B"]])`. */
  override apply<I extends LayerInput | StringData>(inputs: I, kwargs: CallArgs = {}): LayerOutput<I> {
    return applyWithStrings(inputs, (x) => super.apply(x, kwargs)) as LayerOutput<I>;
  }

  /** The bins of flat values (strings, or numbers hashed as their integer's decimal string). */
  hashValues(values: readonly (string | number)[]): Int32Array {
    let bins = this.numBins;
    const masked = this.maskValue !== null && bins > 1;
    if (masked) bins -= 1;
    const out = new Int32Array(values.length);
    values.forEach((v, i) => {
      if (masked && (v === this.maskValue || (typeof v === "number" && v === Number(this.maskValue)))) {
        out[i] = 0;
        return;
      }
      const s = typeof v === "string" ? v : String(Math.trunc(v));
      const h = this.salt ? hashBucketStrong(s, bins, this.salt) : hashBucketFast(s, bins);
      out[i] = masked ? h + 1 : h;
    });
    return out;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    let x = singleTensor(inputs, this.name);
    if (this.outputMode === "one_hot" && x.rank > 0 && x.shape[x.rank - 1] === 1) x = tf.reshape(x, x.shape.slice(0, -1));
    const { values, shape } = flatData(x);
    const indices = tf.tensor(this.hashValues(values), shape, "int32");
    if (this.outputMode === "int") return indices;
    return tf.tidy(() => encodeCategorical(indices, this.outputMode, this.numBins, "float32"));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    if (this.outputMode === "int") return s;
    if (s.length === 0) return [this.numBins];
    return encodedShape(s, this.outputMode === "one_hot" ? "multi_hot" : this.outputMode, this.numBins);
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    return specOf(this.computeOutputShape([...(args[0] as KerasTensor).shape]), this.outputMode === "int" ? "int32" : "float32");
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_bins: this.numBins,
      salt: this.salt,
      mask_value: this.maskValue,
      output_mode: this.outputMode,
      sparse: this.sparse,
    };
  }
}
/** Hashing instances are callable on strings. */
export interface Hashing {
  <I extends LayerInput | StringData>(inputs: I, kwargs?: CallArgs): LayerOutput<I>;
}
registerBuiltin("keras.layers", Hashing);
