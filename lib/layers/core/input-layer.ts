/**
 * InputLayer and `keras.Input`: the entry points of a Functional model.
 */
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { standardizeDtype, type DTypeLike } from "../../backend/dtypes.js";
import { floatx } from "../../backend/config.js";
import { Node } from "../../ops/node.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs } from "../layer.js";

/** Options of InputLayer and `keras.Input`. */
export interface InputLayerArgs {
  /** The shape without the batch dimension, e.g. `[784]`; `null` for unknown sizes. */
  shape?: Shape | null;
  /** A fixed batch size. Default: unknown (`null`). */
  batchSize?: number | null;
  /** The full shape including the batch dimension (instead of `shape`). */
  batchShape?: Shape | null;
  /** Default floatx (`"float32"`). */
  dtype?: DTypeLike | null;
  /** Sparse inputs are not supported by tfjs; must be false. */
  sparse?: boolean | null;
  /** Ragged inputs are not supported; must be false. */
  ragged?: boolean | null;
  name?: string | null;
  /** Whether the input may be `null` when the model is called. Default false. */
  optional?: boolean;
  /** Keras 2 name of `batchShape`. */
  batchInputShape?: Shape | null;
  /** Keras 2 name of `shape`. */
  inputShape?: Shape | null;
}

/** The layer behind `keras.Input`: it has no weights and outputs its input unchanged. */
export class InputLayer extends Layer {
  /** The full input shape, batch dimension first. */
  readonly batchShape: Shape;
  readonly sparse: boolean;
  readonly optional: boolean;
  private readonly inputDtypeName: string;
  private readonly inputTensor: KerasTensor;

  constructor(args: InputLayerArgs = {}) {
    super({ name: args.name ?? null });
    const shape = args.shape ?? args.inputShape ?? null;
    const batchShape = args.batchShape ?? args.batchInputShape ?? null;
    if (shape !== null && batchShape !== null) {
      throw new Error("You cannot pass both `shape` and `batchShape` at the same time.");
    }
    if (shape === null && batchShape === null) {
      throw new Error("You must pass a `shape` argument to InputLayer (the input shape without the batch dimension).");
    }
    if (args.sparse) throw new Error("Sparse inputs are not supported by tskeras (tfjs has no sparse tensors).");
    if (args.ragged) throw new Error("Ragged inputs are not supported by tskeras.");
    if (shape !== null && !Array.isArray(shape)) {
      throw new Error(`Input \`shape\` must be an array of dimensions, e.g. [784]. Received: shape=${JSON.stringify(shape)}`);
    }
    this.batchShape = batchShape !== null ? [...batchShape] : [args.batchSize ?? null, ...(shape as Shape)];
    this.inputDtypeName = args.dtype ?? floatx();
    this.sparse = false;
    this.optional = args.optional ?? false;
    this.inputTensor = new KerasTensor(this.batchShape, { dtype: standardizeDtype(this.inputDtypeName), name: this.name });
    this.built = true;
    new Node(this, [], {}, this.inputTensor);
  }

  /** The KerasTensor this layer outputs. */
  override get output(): KerasTensor {
    return this.inputTensor;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): unknown {
    return inputs;
  }

  override computeOutputShape(inputShape: unknown): unknown {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      batch_shape: this.batchShape,
      dtype: this.inputDtypeName,
      sparse: this.sparse,
      ragged: false,
      name: this.name,
      optional: this.optional,
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    return new this({
      batchShape: (config.batch_shape ?? config.batch_input_shape) as Shape,
      dtype: config.dtype as DTypeLike,
      name: config.name as string,
      optional: (config.optional as boolean | undefined) ?? false,
    } as never);
  }
}
registerBuiltin("keras.layers", InputLayer);

/**
 * A symbolic input of a Functional model: `keras.Input({ shape: [784] })`
 * (or `keras.Input([784])`).
 */
export function Input(shapeOrArgs: Shape | InputLayerArgs, args: InputLayerArgs = {}): KerasTensor {
  const opts: InputLayerArgs = Array.isArray(shapeOrArgs) ? { ...args, shape: shapeOrArgs } : shapeOrArgs;
  return new InputLayer(opts).output;
}
