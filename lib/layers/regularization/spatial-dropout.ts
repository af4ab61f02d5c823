/**
 * SpatialDropout1D, SpatialDropout2D, SpatialDropout3D (Keras's
 * `layers/regularization/spatial_dropout.py`): dropout of whole feature maps.
 */
import type { Tensor } from "../../backend/tfjs.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { dropout } from "../../random/random.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import type { CallArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";
import { Dropout, type DropoutArgs } from "./dropout.js";

/** Options of SpatialDropout1D. */
export interface SpatialDropoutArgs extends Omit<DropoutArgs, "noiseShape"> {}

/** Options of SpatialDropout2D and SpatialDropout3D. */
export interface SpatialDropoutNDArgs extends SpatialDropoutArgs {
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

function options<A extends SpatialDropoutArgs>(rate: number | A, args: A): A {
  return typeof rate === "object" && rate !== null ? { ...rate } : { ...args, rate };
}

/** The shared part of the spatial dropouts: a Dropout whose mask covers whole feature maps. */
export abstract class BaseSpatialDropout extends Dropout {
  /** The mask's shape for an input shape: 1 on the spatial axes. */
  protected abstract noiseShapeFor(shape: number[]): number[];

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training === true && this.rate > 0) {
      return dropout(x, this.rate, { noiseShape: this.noiseShapeFor(x.shape), seed: this.seedGenerator });
    }
    return x;
  }

  /** Keras's config of the spatial dropouts: `{rate, seed, name, dtype}`. */
  override getConfig(): Record<string, unknown> {
    return { rate: this.rate, seed: this.seed, name: this.name, dtype: this.dtype };
  }
}

/**
 * Dropout of whole 1D feature maps: on `(batch, steps, channels)` inputs
 * each channel of each example is dropped at every step or at none (while
 * training), which regularizes when neighbouring steps are correlated.
 *
 * ```ts
 * layers.SpatialDropout1D(0.2)(x, { training: true });
 * ```
 */
export class SpatialDropout1D extends BaseSpatialDropout {
  /** `new SpatialDropout1D(0.2)` or `new SpatialDropout1D({ rate: 0.2, seed: 1 })`. */
  constructor(rate: number | SpatialDropoutArgs, args: SpatialDropoutArgs = {}) {
    super(options(rate, args));
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  protected noiseShapeFor(shape: number[]): number[] {
    return [shape[0], 1, shape[2]];
  }
}
registerBuiltin("keras.layers", SpatialDropout1D);

/**
 * Dropout of whole 2D feature maps: on 4D images each channel of each
 * example is dropped entirely or kept (while training).
 *
 * ```ts
 * layers.SpatialDropout2D(0.2)(images, { training: true });
 * ```
 */
export class SpatialDropout2D extends BaseSpatialDropout {
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new SpatialDropout2D(0.2, { dataFormat: "channels_first" })`. */
  constructor(rate: number | SpatialDropoutNDArgs, args: SpatialDropoutNDArgs = {}) {
    const opts = options(rate, args);
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.inputSpec = new InputSpec({ ndim: 4 });
  }

  protected noiseShapeFor(shape: number[]): number[] {
    return this.dataFormat === "channels_first" ? [shape[0], shape[1], 1, 1] : [shape[0], 1, 1, shape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", SpatialDropout2D);

/**
 * Dropout of whole 3D feature maps: on 5D volumes each channel of each
 * example is dropped entirely or kept (while training).
 *
 * ```ts
 * layers.SpatialDropout3D(0.2)(volumes, { training: true });
 * ```
 */
export class SpatialDropout3D extends BaseSpatialDropout {
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new SpatialDropout3D(0.2, { dataFormat: "channels_first" })`. */
  constructor(rate: number | SpatialDropoutNDArgs, args: SpatialDropoutNDArgs = {}) {
    const opts = options(rate, args);
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  protected noiseShapeFor(shape: number[]): number[] {
    return this.dataFormat === "channels_first" ? [shape[0], shape[1], 1, 1, 1] : [shape[0], 1, 1, 1, shape[4]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", SpatialDropout3D);
