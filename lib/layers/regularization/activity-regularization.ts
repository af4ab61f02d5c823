/**
 * ActivityRegularization (Keras's `layers/regularization/activity_regularization.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { L1L2 } from "../../regularizers/regularizers.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of ActivityRegularization. */
export interface ActivityRegularizationArgs extends Omit<LayerArgs, "activityRegularizer"> {
  /** L1 factor. Default 0. */
  l1?: number;
  /** L2 factor. Default 0. */
  l2?: number;
}

/**
 * Returns its input unchanged and adds `l1 * sum(|x|) + l2 * sum(x²)` of it
 * to the layer's `losses` (so `fit` adds it to the training loss).
 *
 * ```ts
 * const reg = layers.ActivityRegularization({ l1: 0.01 });
 * reg(x); reg.losses;  // [0.01 * sum(|x|)]
 * ```
 */
export class ActivityRegularization extends Layer {
  /** L1 factor. */
  readonly l1: number;
  /** L2 factor. */
  readonly l2: number;

  /** `new ActivityRegularization({ l1: 0.01, l2: 0.001 })`. */
  constructor(args: ActivityRegularizationArgs = {}) {
    const l1 = args.l1 ?? 0;
    const l2 = args.l2 ?? 0;
    super({ ...args, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return singleTensor(inputs, this.name);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    const config = super.getConfig();
    delete config.activity_regularizer;
    return { ...config, l1: this.l1, l2: this.l2 };
  }
}
registerBuiltin("keras.layers", ActivityRegularization);
