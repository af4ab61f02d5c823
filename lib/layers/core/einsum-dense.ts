/**
 * EinsumDense: a dense layer of any rank, written as an einsum equation
 * (Keras's `layers/core/einsum_dense.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import { einsum } from "../../ops/numpy/linalg.js";
import { VarianceScaling } from "../../initializers/random-initializers.js";
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

/** Options of EinsumDense. */
export interface EinsumDenseArgs extends LayerArgs {
  /** The einsum equation, `"ab,bc->ac"`, `"...b,bc->...c"` or `"ab...,bc->ac..."` (also the first positional argument). */
  equation?: string;
  /**
   * The expected output shape without the batch dimension; `null` for a
   * dimension inferred from the input (also the second positional argument).
   */
  outputShape?: number | readonly (number | null)[];
  /** Activation applied to the output. Default none (`"linear"`). */
  activation?: ActivationLike;
  /** The output subscripts that get a bias, e.g. `"c"`. Default none (no bias). */
  biasAxes?: string | null;
  /** Initializer of the kernel. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the kernel. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the kernel. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint of the bias. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** Keras's quantization config; only `null` is supported. */
  quantizationConfig?: null;
  /** LoRA is not supported by tskeras; must be null. */
  loraRank?: number | null;
  /** LoRA is not supported by tskeras; ignored. */
  loraAlpha?: number | null;
}

/** What Keras's `_analyze_einsum_string` computes from an equation and shapes. */
export interface EinsumAnalysis {
  kernelShape: Shape;
  biasShape: Shape | null;
  fullOutputShape: Shape;
  inputAxes: number[];
  outputAxes: number[];
}

/**
 * Works out the kernel and bias shapes and the full output shape of an
 * EinsumDense from its equation, the input shape and the partial output
 * shape (Keras's rules, including `...` on the left or on the right).
 */
export function analyzeEinsumString(
  equation: string,
  biasAxes: string | null,
  inputShape: Shape,
  outputShape: number | readonly (number | null)[],
): EinsumAnalysis {
  const s = equation.replace(/\.\.\./g, "0");
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)/.exec(s);
  if (m) return analyzeSplit(m, biasAxes, inputShape, outputShape, false);
  m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)/.exec(s);
  if (m) return analyzeSplit(m, biasAxes, inputShape, outputShape, true);
  m = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0/.exec(s);
  if (m) return analyzeSplit(m, biasAxes, inputShape, outputShape, false);
  throw new Error(
    `Invalid einsum equation '${equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....`,
  );
}

function analyzeSplit(
  m: RegExpExecArray,
  biasAxes: string | null,
  inputShape: Shape,
  partialOutput: number | readonly (number | null)[],
  leftElided: boolean,
): EinsumAnalysis {
  const inputSpec = m[1];
  const weightSpec = m[2];
  const outputSpec = m[3];
  const elided = inputShape.length - inputSpec.length;
  const outputShape: Shape = typeof partialOutput === "number" ? [partialOutput] : [...partialOutput];
  outputShape.unshift(inputShape[0]);
  if (elided > 0 && leftElided) {
    for (let i = 1; i < elided; i++) outputShape.splice(1, 0, inputShape[i]);
  } else if (elided > 0 && !leftElided) {
    for (let i = inputShape.length - elided; i < inputShape.length; i++) outputShape.push(inputShape[i]);
  }
  const inputDim = new Map<string, number>();
  const outputDim = new Map<string, number>();
  if (leftElided) {
    [...inputSpec].forEach((d, i) => inputDim.set(d, i + elided - inputShape.length));
    [...outputSpec].forEach((d, i) => outputDim.set(d, i + elided));
  } else {
    [...inputSpec].forEach((d, i) => inputDim.set(d, i));
    [...outputSpec].forEach((d, i) => outputDim.set(d, i));
  }
  const at = (shape: Shape, i: number): number | null => shape[i < 0 ? shape.length + i : i] ?? null;
  for (const d of inputSpec) {
    const inAt = at(inputShape, inputDim.get(d) as number);
    if (outputDim.has(d)) {
      const outAt = at(outputShape, outputDim.get(d) as number);
      if (outAt !== null && outAt !== inAt) {
        throw new Error(
          `Input shape and output shape do not match at shared dimension '${d}'. Input shape is ${String(inAt)}, and output shape is ${String(outAt)}.`,
        );
      }
    }
  }
  for (const d of outputSpec) {
    if (!inputSpec.includes(d) && !weightSpec.includes(d)) {
      throw new Error(
        `Dimension '${d}' was specified in the output '${outputSpec}' but has no corresponding dim in the input spec '${inputSpec}' or weight spec '${outputSpec}'`,
      );
    }
  }
  const kernelShape: Shape = [];
  const inputAxes: number[] = [];
  const outputAxes: number[] = [];
  [...weightSpec].forEach((d, i) => {
    if (outputDim.has(d)) {
      kernelShape.push(at(outputShape, outputDim.get(d) as number));
      outputAxes.push(i);
    } else if (inputDim.has(d)) {
      kernelShape.push(at(inputShape, inputDim.get(d) as number));
      inputAxes.push(i);
    } else {
      throw new Error(
        `Weight dimension '${d}' did not have a match in either the input spec '${inputSpec}' or the output spec '${outputSpec}'. For this layer, the weight must be fully specified.`,
      );
    }
  });
  let biasShape: Shape | null = null;
  if (biasAxes != null) {
    const numLeftElided = leftElided ? elided : 0;
    const idx = new Map<string, number | null>();
    [...outputSpec].forEach((c, i) => idx.set(c, outputShape[i + numLeftElided] ?? null));
    for (const c of biasAxes) {
      if (!outputSpec.includes(c)) {
        throw new Error(`Bias dimension '${c}' was requested, but is not part of the output spec '${outputSpec}'`);
      }
    }
    const first = Math.min(...[...biasAxes].map((c) => outputSpec.indexOf(c)));
    biasShape = [...outputSpec.slice(first)].map((c) => (biasAxes.includes(c) ? (idx.get(c) ?? null) : 1));
    if (!leftElided) for (let i = 0; i < elided; i++) biasShape.push(1);
  }
  return { kernelShape, biasShape, fullOutputShape: outputShape, inputAxes, outputAxes };
}

function knownShape(shape: Shape, what: string, layerName: string): number[] {
  if (shape.some((d) => d === null)) {
    throw new Error(
      `Layer "${layerName}" (EinsumDense) cannot build a ${what} of partially unknown shape ${JSON.stringify(shape)}: ` +
        "give the input's non-batch dimensions or a full `outputShape`.",
    );
  }
  return shape as number[];
}

/**
 * A layer that computes `activation(einsum(equation, inputs, kernel) + bias)`,
 * with the kernel shape worked out from the equation.
 *
 * ```ts
 * // A Dense of 64 units on [batch, 32] inputs:
 * const layer = layers.EinsumDense("ab,bc->ac", 64, { biasAxes: "c" });
 * ```
 */
export class EinsumDense extends Layer {
  /** The einsum equation. */
  readonly equation: string;
  /** The output shape without the batch dimension, as given (`null` for inferred dims). */
  readonly partialOutputShape: (number | null)[];
  /** The activation function. */
  readonly activation: ActivationFn;
  /** The output subscripts that get a bias, or null. */
  readonly biasAxes: string | null;
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
  /** The kernel (created by `build`). */
  kernel: Variable | null = null;
  /** The bias (null without `biasAxes`). */
  bias: Variable | null = null;
  private builtOutputShape: Shape | null = null;

  /** `new EinsumDense("ab,bc->ac", 64, { biasAxes: "c" })` or `new EinsumDense({ equation, outputShape })`. */
  constructor(
    equation: string | EinsumDenseArgs,
    outputShape?: number | readonly (number | null)[],
    args: EinsumDenseArgs = {},
  ) {
    const opts: EinsumDenseArgs =
      typeof equation === "object" && equation !== null ? { ...equation } : { ...args, equation, outputShape };
    if (typeof opts.equation !== "string") {
      throw new Error(`EinsumDense: \`equation\` must be a string such as "ab,bc->ac". Received: equation=${String(opts.equation)}`);
    }
    if (opts.outputShape == null) throw new Error("EinsumDense: the `outputShape` argument is required.");
    if (opts.loraRank) throw new Error("EinsumDense: LoRA (`loraRank`) is not supported by tskeras.");
    if (opts.quantizationConfig != null) throw new Error("EinsumDense: quantization is not supported by tskeras.");
    super(opts);
    this.equation = opts.equation;
    this.partialOutputShape = typeof opts.outputShape === "number" ? [opts.outputShape] : [...opts.outputShape];
    this.biasAxes = opts.biasAxes ?? null;
    this.activation = activations.get(opts.activation);
    this.kernelInitializer = initializers.get(opts.kernelInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(opts.biasInitializer ?? "zeros");
    this.kernelRegularizer = regularizers.get(opts.kernelRegularizer);
    this.biasRegularizer = regularizers.get(opts.biasRegularizer);
    this.kernelConstraint = constraints.get(opts.kernelConstraint);
    this.biasConstraint = constraints.get(opts.biasConstraint);
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const a = analyzeEinsumString(this.equation, this.biasAxes, shape, this.partialOutputShape);
    this.builtOutputShape = a.fullOutputShape;
    this.inputSpec = new InputSpec({ ndim: shape.length });
    let init: Initializer = this.kernelInitializer;
    if (init instanceof VarianceScaling && (init.inputAxes == null || init.outputAxes == null)) {
      // As Keras: a clone that counts fans over the equation's input and output axes, with the same seed.
      const cls = init.constructor as unknown as { fromConfig(c: Record<string, unknown>): Initializer };
      const cfg = { ...init.getConfig(), seed: init.seed, input_axes: a.inputAxes, output_axes: a.outputAxes };
      const clone = cls.fromConfig(cfg);
      init = clone;
    }
    this.kernel = this.addWeight({
      name: "kernel",
      shape: knownShape(a.kernelShape, "kernel", this.name),
      initializer: init,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.bias =
      a.biasShape !== null
        ? this.addWeight({
            name: "bias",
            shape: knownShape(a.biasShape, "bias", this.name),
            initializer: this.biasInitializer,
            regularizer: this.biasRegularizer,
            constraint: this.biasConstraint,
          })
        : null;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const kernel = (this.kernel as Variable).value;
    let x = singleTensor(inputs, this.name);
    if (x.dtype !== kernel.dtype) x = tf.cast(x, kernel.dtype);
    let y = einsum(this.equation, x, kernel as Tensor);
    if (this.bias) y = tf.add(y, this.bias.value);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    return analyzeEinsumString(this.equation, this.biasAxes, shape, this.partialOutputShape).fullOutputShape;
  }

  /** The full output shape found by `build` (batch dimension first), or null before it. */
  get fullOutputShape(): Shape | null {
    return this.builtOutputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      output_shape: [...this.partialOutputShape],
      equation: this.equation,
      activation: activations.serialize(this.activation),
      bias_axes: this.biasAxes,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      quantization_config: null,
    };
  }
}
registerBuiltin("keras.layers", EinsumDense);
