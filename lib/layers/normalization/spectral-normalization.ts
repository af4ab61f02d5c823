/**
 * SpectralNormalization (Keras's `layers/normalization/spectral_normalization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { Variable } from "../../backend/variable.js";
import { TruncatedNormal } from "../../initializers/random-initializers.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { ArrayToStore, StoredArray } from "../../saving/h5-store.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { Wrapper, type WrapperArgs } from "../core/wrapper.js";

/** Options of SpectralNormalization. */
export interface SpectralNormalizationArgs extends WrapperArgs {
  /** Power iterations per training step to estimate the largest singular value. Default 1. */
  powerIterations?: number;
}

function l2Normalize(x: Tensor): Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x)), 1e-12 * 1e-12)));
}

/**
 * Spectral normalization (Miyato et al., 2018) of the kernel (or embeddings)
 * of the wrapped layer: while training, each call estimates the largest
 * singular value `sigma` of the kernel by power iteration (vector `u` kept as
 * the non-trainable weight `vector_u`) and replaces the kernel by
 * `kernel / sigma`. In inference the wrapped layer runs unchanged.
 *
 * ```ts
 * const sn = layers.SpectralNormalization(layers.Dense(8));
 * sn.apply(x, { training: true });
 * ```
 */
export class SpectralNormalization extends Wrapper {
  /** Power iterations per training call. */
  readonly powerIterations: number;
  /** The wrapped layer's kernel (or embeddings), set by `build`. */
  kernel: Variable | null = null;
  /** The power-iteration vector `[1, kernel.shape[-1]]` (non-trainable), set by `build`. */
  vectorU: Variable | null = null;

  /** `new SpectralNormalization(layer, { powerIterations: 1 })`. */
  constructor(layer: Layer | SpectralNormalizationArgs, args: SpectralNormalizationArgs = {}) {
    const opts: SpectralNormalizationArgs = layer instanceof Layer ? { ...args, layer } : { ...(layer ?? {}) };
    const pi = opts.powerIterations ?? 1;
    if (!(pi > 0)) throw new Error(`\`power_iterations\` should be greater than zero. Received: \`power_iterations=${String(pi)}\``);
    super(opts);
    this.powerIterations = pi;
  }

  override build(inputShape: unknown): void {
    super.build(inputShape);
    const shape = singleShape(inputShape, this.name);
    const last = shape[shape.length - 1];
    this.inputSpec = new InputSpec({ minNdim: 1, axes: last === null ? null : { [-1]: last } });
    const inner = this.layer as unknown as Record<string, unknown>;
    const kernel = inner.kernel instanceof Variable ? inner.kernel : inner.embeddings instanceof Variable ? inner.embeddings : null;
    if (!kernel) throw new Error(`${this.layer.className} object has no attribute 'kernel' nor 'embeddings'`);
    this.kernel = kernel;
    this.vectorU = this.addWeight({
      name: "vector_u",
      shape: [1, kernel.shape[kernel.shape.length - 1]],
      initializer: new TruncatedNormal({ stddev: 0.02 }),
      trainable: false,
      dtype: kernel.dtype,
    });
    this.built = true;
  }

  /** Keras's order: the kernel (tracked as an attribute), `vector_u`, then the wrapped layer's other weights. */
  override get weights(): Variable[] {
    const inner = this.layer.weights;
    if (!this.kernel || !this.vectorU) return inner;
    return [this.kernel, this.vectorU, ...inner.filter((v) => v !== this.kernel)];
  }

  /**
   * The spectrally normalized kernel and the new `u`: power iteration on the
   * kernel reshaped to `[-1, units]`, then `kernel / sigma`.
   */
  normalizedWeights(): [Tensor, Tensor] {
    return tf.tidy(() => {
      const k = (this.kernel as Variable).value;
      const w = tf.reshape(k, [-1, k.shape[k.shape.length - 1]]);
      let u: Tensor = (this.vectorU as Variable).value;
      let v: Tensor = u;
      for (let i = 0; i < this.powerIterations; i++) {
        v = l2Normalize(tf.matMul(u, w, false, true));
        u = l2Normalize(tf.matMul(v, w));
      }
      const sigma = tf.matMul(tf.matMul(v, w), u, false, true);
      return [u, tf.reshape(tf.div(k, sigma), k.shape)];
    });
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training === true) {
      const kernel = this.kernel as Variable;
      const allZero = tf.tidy(() => tf.all(tf.equal(kernel.value, 0)).dataSync()[0] === 1);
      if (!allZero) {
        const [u, k] = this.normalizedWeights();
        (this.vectorU as Variable).assign(u);
        kernel.assign(k);
        tf.dispose([u, k]);
      }
    }
    const out = this.layer.apply(x) as Tensor;
    return out.dtype === x.dtype ? out : tf.cast(out, x.dtype);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return this.layer.computeOutputShape(inputShape) as Shape;
  }

  /** Keras stores `[kernel, vector_u]` as this layer's own variables. */
  loadOwnVariables(values: StoredArray[], path: string): void {
    const own = this.kernel && this.vectorU ? [this.kernel, this.vectorU] : [];
    if (values.length !== own.length) {
      throw new Error(
        `Layer '${this.name}' (SpectralNormalization) expected ${own.length} variables, but received ${values.length} variables during loading from /${path}/vars.`,
      );
    }
    own.forEach((v, i) => {
      const t = tf.tensor(values[i].data, values[i].shape, values[i].dtype);
      try {
        v.assign(t);
      } finally {
        t.dispose();
      }
    });
  }

  /** The arrays Keras writes at `<path>/vars`: the kernel and `vector_u`. */
  saveOwnVariables(): ArrayToStore[] {
    const own = this.kernel && this.vectorU ? [this.kernel, this.vectorU] : [];
    return own.map((v) => ({ shape: [...v.shape], dtype: "float32", data: Float32Array.from(v.value.dataSync()) }));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), power_iterations: this.powerIterations };
  }
}
registerBuiltin("keras.layers", SpectralNormalization);
