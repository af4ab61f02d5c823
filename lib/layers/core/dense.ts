/**
 * Dense: the regular densely-connected layer (Keras's `layers/core/dense.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import {
  serializeConstraint,
  serializeInitializer,
  serializeRegularizer,
  singleShape,
  singleTensor,
} from "../layer-utils.js";

/** Options of Dense. */
export interface DenseArgs extends LayerArgs {
  /** Positive integer, the dimensionality of the output space (also the first positional argument). */
  units?: number;
  /** Activation applied to the output: a name (`"relu"`), a function, or null for none (`"linear"`). Default none. */
  activation?: ActivationLike;
  /** Whether the layer adds a bias vector. Default true. */
  useBias?: boolean;
  /** Initializer of the `kernel` matrix. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the bias vector. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer applied to the kernel. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer applied to the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint applied to the kernel after each optimizer update. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint applied to the bias after each optimizer update. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** Keras's quantization config; only `null` is supported. */
  quantizationConfig?: null;
  /** LoRA is not supported by tskeras; must be null. */
  loraRank?: number | null;
  /** LoRA is not supported by tskeras; ignored. */
  loraAlpha?: number | null;
}

/**
 * Just your regular densely-connected layer: `output = activation(dot(input, kernel) + bias)`.
 *
 * For inputs of rank above 2 the kernel contracts the last axis: an input of
 * shape `[batch, d0, d1]` gives `[batch, d0, units]`.
 *
 * ```ts
 * const layer = layers.Dense(4, { activation: "relu" });
 * layer(tf.ones([2, 3])).shape;   // [2, 4]
 * ```
 */
export class Dense extends Layer {
  /** Dimensionality of the output space. */
  readonly units: number;
  /** The activation function. */
  readonly activation: ActivationFn;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Initializer of the kernel. */
  readonly kernelInitializer: Initializer;
  /** Initializer of the bias. */
  readonly biasInitializer: Initializer;
  /** Regularizer of the kernel, or null. */
  readonly kernelRegularizer: Regularizer | null;
  /** Regularizer of the bias, or null. */
  readonly biasRegularizer: Regularizer | null;
  /** Constraint of the kernel, or null. */
  readonly kernelConstraint: Constraint | null;
  /** Constraint of the bias, or null. */
  readonly biasConstraint: Constraint | null;
  /** The kernel, shape `[inputDim, units]` (created by `build`). */
  kernel: Variable | null = null;
  /** The bias, shape `[units]` (null when `useBias` is false). */
  bias: Variable | null = null;

  /** `new Dense(64, { activation: "relu" })` or `new Dense({ units: 64 })`. */
  constructor(units: number | DenseArgs, args: DenseArgs = {}) {
    const opts: DenseArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const u = opts.units;
    if (typeof u !== "number" || !Number.isInteger(u) || u <= 0) {
      throw new Error(`Received an invalid value for \`units\`, expected a positive integer. Received: units=${String(u)}`);
    }
    if (opts.loraRank) throw new Error("Dense: LoRA (`loraRank`) is not supported by tskeras.");
    if (opts.quantizationConfig != null) throw new Error("Dense: quantization is not supported by tskeras.");
    super(opts);
    this.units = u;
    this.activation = activations.get(opts.activation);
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = initializers.get(opts.kernelInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(opts.biasInitializer ?? "zeros");
    this.kernelRegularizer = regularizers.get(opts.kernelRegularizer);
    this.biasRegularizer = regularizers.get(opts.biasRegularizer);
    this.kernelConstraint = constraints.get(opts.kernelConstraint);
    this.biasConstraint = constraints.get(opts.biasConstraint);
    this.inputSpec = new InputSpec({ minNdim: 2 });
    this.supportsMasking = true;
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== "number") {
      throw new Error(
        `Layer "${this.name}" (Dense) needs a known last input dimension to build its kernel. Received: input_shape=${JSON.stringify(shape)}`,
      );
    }
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: "bias",
          shape: [this.units],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const kernel = (this.kernel as Variable).value;
    let x = singleTensor(inputs, this.name);
    if (x.dtype !== kernel.dtype) x = tf.cast(x, kernel.dtype);
    if (kernel.dtype === "float32") return this.fusedCall(x, kernel);
    let y: Tensor;
    if (x.rank === 2) {
      y = tf.matMul(x, kernel);
    } else {
      const lead = x.shape.slice(0, -1);
      y = tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), kernel), [...lead, this.units]);
    }
    if (this.bias) y = tf.add(y, this.bias.value);
    return this.activation(y);
  }

  /**
   * `activation(x·kernel + bias)` with `tf.fused.matMul`: the product and the
   * bias in one kernel (on wasm one XNNPACK call), and relu too outside a
   * gradient tape. Under a tape tfjs fuses only a linear activation (its
   * fused gradient), so there relu runs as its own op after the fused product.
   */
  private fusedCall(x: Tensor, kernel: Tensor): Tensor {
    const lead = x.rank === 2 ? null : x.shape.slice(0, -1);
    const x2 = lead ? tf.reshape(x, [-1, x.shape[x.rank - 1]]) : x;
    const fuseRelu = this.activation === activations.relu && tf.engine().state.gradientDepth === 0;
    let y = tf.fused.matMul({
      a: x2 as tf.Tensor2D,
      b: kernel as tf.Tensor2D,
      bias: this.bias ? this.bias.value : undefined,
      activation: fuseRelu ? "relu" : "linear",
    }) as Tensor;
    if (lead) y = tf.reshape(y, [...lead, this.units]);
    return fuseRelu || this.activation === activations.linear ? y : this.activation(y);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    shape[shape.length - 1] = this.units;
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      quantization_config: null,
    };
  }
}
registerBuiltin("keras.layers", Dense);
