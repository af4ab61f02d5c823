/**
 * HashedCrossing: crosses categorical features with TensorFlow's hashed
 * cross (`tf.sparse.cross_hashed`: FingerprintCat64 over each feature's
 * FarmHash64 fingerprint, integers as their own 64 bits, seeded with TF's
 * default key 0xDECAFCAFFE) into a fixed number of bins (Keras's
 * `layers/preprocessing/hashed_crossing.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { DType } from "../../backend/dtypes.js";
import { type KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { fingerprint64, fingerprintCat64, int64Bits } from "./hash.js";
import { applyWithStrings } from "./index-lookup.js";
import { encodeCategorical, flatData, specOf, type StringData } from "./preprocessing-utils.js";

/** TensorFlow's `_DEFAULT_HASH_KEY` of `tf.sparse.cross_hashed`. */
const DEFAULT_HASH_KEY = 0xdecafcaffen;

/** Options of HashedCrossing. */
export interface HashedCrossingArgs extends LayerArgs {
  /** The number of bins (also the first positional argument). */
  numBins?: number;
  /** `"int"` (default) or `"one_hot"`. */
  outputMode?: "int" | "one_hot";
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
}

/**
 * Crosses two or more features (each of shape `[]`, `[batch]` or
 * `[batch, 1]`; strings or integers) into one hashed bin per sample, the
 * same bin as Keras's.
 *
 * ```ts
 * const layer = layers.HashedCrossing(5);
 * layer([["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102]]);   // [1, 4, 1, 1, 3]
 * ```
 */
export class HashedCrossing extends Layer {
  /** The number of bins. */
  readonly numBins: number;
  /** `"int"` or `"one_hot"`. */
  readonly outputMode: "int" | "one_hot";
  /** Always false in tskeras. */
  readonly sparse: boolean;
  protected override inputDtype: DType | null = "int32";

  /** `new HashedCrossing(5)` or `new HashedCrossing({ numBins: 5, outputMode: "one_hot" })`. */
  constructor(numBins?: number | HashedCrossingArgs, args: HashedCrossingArgs = {}) {
    const opts: HashedCrossingArgs = typeof numBins === "object" && numBins !== null ? { ...numBins } : { ...args, numBins };
    const outputMode = opts.outputMode ?? "int";
    if (outputMode !== "int" && outputMode !== "one_hot") {
      throw new Error(`The \`output_mode\` argument must be one of "int", "one_hot". Received: output_mode=${String(outputMode)}`);
    }
    if (opts.numBins == null || !(opts.numBins > 0)) throw new Error(`HashedCrossing: \`num_bins\` must be a positive integer. Received: num_bins=${opts.numBins}`);
    if (opts.sparse) throw new Error("HashedCrossing: `sparse=True` is not supported by tskeras (no sparse tensors).");
    super({ ...opts, dtype: opts.dtype ?? (outputMode === "int" ? "int64" : null) });
    this.numBins = opts.numBins;
    this.outputMode = outputMode;
    this.sparse = false;
  }

  /** HashedCrossing takes JS strings too. */
  override apply<I extends LayerInput | StringData>(inputs: I, kwargs: CallArgs = {}): LayerOutput<I> {
    return applyWithStrings(inputs, (x) => super.apply(x, kwargs)) as LayerOutput<I>;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    if (!Array.isArray(inputs)) throw new Error(`\`HashedCrossing\` should be called on a list or tuple of inputs. Received: ${typeof inputs}`);
    if (inputs.length < 2) throw new Error(`\`HashedCrossing\` should be called on at least two inputs. Received: ${inputs.length} input(s)`);
    const feats = inputs.map((t) => {
      if (!(t instanceof tf.Tensor)) throw new Error("All `HashedCrossing` inputs should be tensors or arrays.");
      return t;
    });
    const first = feats[0].shape;
    if (first.length > 2 || (first.length === 2 && first[1] !== 1)) {
      throw new Error(`All \`HashedCrossing\` inputs should have shape \`()\`, \`(batch_size)\` or \`(batch_size, 1)\`. Received: shape=[${first}]`);
    }
    for (const f of feats) {
      if (!tf.util.arraysEqual(f.shape, first)) throw new Error(`All \`HashedCrossing\` inputs should have equal shape. Received: [${first}] and [${f.shape}]`);
      if (f.dtype !== "string" && f.dtype !== "int32") {
        throw new Error(`All \`HashedCrossing\` inputs should have an integer or string dtype. Received: ${f.dtype}`);
      }
    }
    const cols = feats.map((f) => flatData(f).values);
    const n = cols[0].length;
    const bins = new Int32Array(n);
    const nb = BigInt(this.numBins);
    for (let i = 0; i < n; i++) {
      let h = DEFAULT_HASH_KEY;
      for (const c of cols) {
        const v = c[i];
        h = fingerprintCat64(h, typeof v === "string" ? fingerprint64(v) : int64Bits(v));
      }
      bins[i] = Number(h % nb);
    }
    const out = tf.tensor(bins, first, "int32");
    if (this.outputMode === "int") return out;
    return tf.tidy(() => encodeCategorical(out, "one_hot", this.numBins, "float32"));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    if (!Array.isArray(inputShape) || inputShape.length < 2 || !inputShape.every(Array.isArray)) {
      throw new Error(`Expected as input a list/tuple of 2 tensors. Received input_shape=${JSON.stringify(inputShape)}`);
    }
    const s = inputShape[0] as Shape;
    if (this.outputMode === "int") return [...s];
    if (s.length === 0) return [this.numBins];
    if (s[s.length - 1] !== 1) return [...s, this.numBins];
    return [...s.slice(0, -1), this.numBins];
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    const shapes = (args[0] as KerasTensor[]).map((t) => [...t.shape]);
    return specOf(this.computeOutputShape(shapes), this.outputMode === "int" ? "int32" : "float32");
  }

  /** Keras's config: `num_bins`, `output_mode`, `sparse`, `name`, `dtype` (a dtype name). */
  override getConfig(): Record<string, unknown> {
    return { num_bins: this.numBins, output_mode: this.outputMode, sparse: this.sparse, name: this.name, dtype: this.dtypePolicy.name };
  }
}
/** HashedCrossing instances are callable on lists of features. */
export interface HashedCrossing {
  <I extends LayerInput | StringData | readonly (StringData | LayerInput)[]>(inputs: I, kwargs?: CallArgs): LayerOutput<I>;
}
registerBuiltin("keras.layers", HashedCrossing);
