/**
 * keras.losses: the Loss base, the 22 loss classes and their 22 functions
 * (Keras's snake_case names camelCased: `meanSquaredError`,
 * `binaryCrossentropy`, ...), and `get` / `serialize` / `deserialize`.
 *
 * Classes work with and without `new`: `losses.MeanSquaredError()`.
 */
import type { SerializedObject } from "../saving/serialized.js";
import {
  type CustomObjects,
  deserializeFromTable,
  isClassObject,
  type ModuleObject,
  type ModuleTable,
  serializeInstance,
} from "../saving/module-objects.js";
import { callable } from "../utils/callable.js";
import { toSnakeCase } from "../utils/naming.js";
import { Loss } from "./loss.js";
import * as L from "./losses.js";

export {
  Loss,
  type LossOptions,
  type Reduction,
  type MaskedLosses,
  type ReduceWeightedOptions,
  REDUCTIONS,
  standardizeReduction,
  squeezeOrExpandToSameRank,
  reduceValues,
  reduceWeightedValues,
  applyMask,
  setKerasMask,
  getKerasMask,
  divideNoNan,
} from "./loss.js";
export { ctcLoss } from "./ctc.js";
export {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  cosineSimilarity,
  huber,
  logCosh,
  hinge,
  squaredHinge,
  categoricalHinge,
  klDivergence,
  poisson,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyWithMask,
  ctc,
  dice,
  tversky,
  circle,
  categoricalGeneralizedCrossEntropy,
  LOSS_FUNCTIONS,
  LOSS_CLASSES,
  lossFunctionName,
  serializeLossFunction,
  deserializeLossFunction,
  type LossFunction,
  type LossFunctionWrapperOptions,
  type BasicLossOptions,
  type CosineSimilarityOptions,
  type CosineSimilarityFnOptions,
  type HuberOptions,
  type HuberFnOptions,
  type BinaryCrossentropyOptions,
  type BinaryCrossentropyFnOptions,
  type BinaryFocalCrossentropyOptions,
  type BinaryFocalCrossentropyFnOptions,
  type CategoricalCrossentropyOptions,
  type CategoricalCrossentropyFnOptions,
  type CategoricalFocalCrossentropyOptions,
  type CategoricalFocalCrossentropyFnOptions,
  type SparseCategoricalCrossentropyOptions,
  type SparseCategoricalCrossentropyFnOptions,
  type DiceOptions,
  type DiceFnOptions,
  type TverskyOptions,
  type TverskyFnOptions,
  type CircleOptions,
  type CircleFnOptions,
  type CategoricalGeneralizedCrossEntropyOptions,
  type CategoricalGeneralizedCrossEntropyFnOptions,
} from "./losses.js";

/** Calls a plain function over a loss function. */
export const LossFunctionWrapper = callable(L.LossFunctionWrapper);
export type LossFunctionWrapper = L.LossFunctionWrapper;
/** `keras.losses.MeanSquaredError`. */
export const MeanSquaredError = callable(L.MeanSquaredError);
export type MeanSquaredError = L.MeanSquaredError;
/** `keras.losses.MeanAbsoluteError`. */
export const MeanAbsoluteError = callable(L.MeanAbsoluteError);
export type MeanAbsoluteError = L.MeanAbsoluteError;
/** `keras.losses.MeanAbsolutePercentageError`. */
export const MeanAbsolutePercentageError = callable(L.MeanAbsolutePercentageError);
export type MeanAbsolutePercentageError = L.MeanAbsolutePercentageError;
/** `keras.losses.MeanSquaredLogarithmicError`. */
export const MeanSquaredLogarithmicError = callable(L.MeanSquaredLogarithmicError);
export type MeanSquaredLogarithmicError = L.MeanSquaredLogarithmicError;
/** `keras.losses.CosineSimilarity` (negative cosine). */
export const CosineSimilarity = callable(L.CosineSimilarity);
export type CosineSimilarity = L.CosineSimilarity;
/** `keras.losses.Huber`. */
export const Huber = callable(L.Huber);
export type Huber = L.Huber;
/** `keras.losses.LogCosh`. */
export const LogCosh = callable(L.LogCosh);
export type LogCosh = L.LogCosh;
/** `keras.losses.Hinge`. */
export const Hinge = callable(L.Hinge);
export type Hinge = L.Hinge;
/** `keras.losses.SquaredHinge`. */
export const SquaredHinge = callable(L.SquaredHinge);
export type SquaredHinge = L.SquaredHinge;
/** `keras.losses.CategoricalHinge`. */
export const CategoricalHinge = callable(L.CategoricalHinge);
export type CategoricalHinge = L.CategoricalHinge;
/** `keras.losses.KLDivergence`. */
export const KLDivergence = callable(L.KLDivergence);
export type KLDivergence = L.KLDivergence;
/** `keras.losses.Poisson`. */
export const Poisson = callable(L.Poisson);
export type Poisson = L.Poisson;
/** `keras.losses.BinaryCrossentropy`. */
export const BinaryCrossentropy = callable(L.BinaryCrossentropy);
export type BinaryCrossentropy = L.BinaryCrossentropy;
/** `keras.losses.BinaryFocalCrossentropy`. */
export const BinaryFocalCrossentropy = callable(L.BinaryFocalCrossentropy);
export type BinaryFocalCrossentropy = L.BinaryFocalCrossentropy;
/** `keras.losses.CategoricalCrossentropy`. */
export const CategoricalCrossentropy = callable(L.CategoricalCrossentropy);
export type CategoricalCrossentropy = L.CategoricalCrossentropy;
/** `keras.losses.CategoricalFocalCrossentropy`. */
export const CategoricalFocalCrossentropy = callable(L.CategoricalFocalCrossentropy);
export type CategoricalFocalCrossentropy = L.CategoricalFocalCrossentropy;
/** `keras.losses.SparseCategoricalCrossentropy`. */
export const SparseCategoricalCrossentropy = callable(L.SparseCategoricalCrossentropy);
export type SparseCategoricalCrossentropy = L.SparseCategoricalCrossentropy;
/** `keras.losses.CTC`. */
export const CTC = callable(L.CTC);
export type CTC = L.CTC;
/** `keras.losses.Dice`. */
export const Dice = callable(L.Dice);
export type Dice = L.Dice;
/** `keras.losses.Tversky`. */
export const Tversky = callable(L.Tversky);
export type Tversky = L.Tversky;
/** `keras.losses.Circle`. */
export const Circle = callable(L.Circle);
export type Circle = L.Circle;
/** `keras.losses.CategoricalGeneralizedCrossEntropy`. */
export const CategoricalGeneralizedCrossEntropy = callable(L.CategoricalGeneralizedCrossEntropy);
export type CategoricalGeneralizedCrossEntropy = L.CategoricalGeneralizedCrossEntropy;

/** A loss function or a Loss instance: what `get` returns. */
export type LossLike = Loss | L.LossFunction;

/** What `get` accepts: a name, a Loss, a Loss class, a function, or a serialized dict. */
export type LossIdentifier = string | Loss | L.LossFunction | SerializedObject | (new () => Loss);

const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of [Loss, L.LossFunctionWrapper, ...L.LOSS_CLASSES]) OBJECTS[cls.name] = cls as unknown as ModuleObject;
for (const [name, fn] of Object.entries(L.LOSS_FUNCTIONS)) OBJECTS[name] = fn as unknown as ModuleObject;
const ALIASES: Record<string, L.LossFunction> = {
  bce: L.binaryCrossentropy,
  BCE: L.binaryCrossentropy,
  kld: L.klDivergence,
  KLD: L.klDivergence,
  mae: L.meanAbsoluteError,
  MAE: L.meanAbsoluteError,
  mse: L.meanSquaredError,
  MSE: L.meanSquaredError,
  mape: L.meanAbsolutePercentageError,
  MAPE: L.meanAbsolutePercentageError,
  msle: L.meanSquaredLogarithmicError,
  MSLE: L.meanSquaredLogarithmicError,
  // Keras's legacy (`keras._legacy.losses`) names.
  logcosh: L.logCosh,
  kullback_leibler_divergence: L.klDivergence,
};
for (const [name, fn] of Object.entries(ALIASES)) OBJECTS[name] = fn as unknown as ModuleObject;

/** Every name `get` and `deserialize` accept: class names, snake_case function names, aliases. */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = { module: "keras.losses", kind: "loss", objects: OBJECTS, base: Loss };

/**
 * Keras's serialized form of a loss: `{module: "keras.losses", class_name:
 * "MeanSquaredError", config: {...}, registered_name: null}` for a Loss, the
 * function form for a loss function.
 */
export function serialize(loss: Loss | L.LossFunction): SerializedObject {
  if (loss instanceof Loss) return serializeInstance(loss, TABLE.module);
  if (typeof loss === "function") return L.serializeLossFunction(loss);
  throw new TypeError(`Cannot serialize ${String(loss)} as a loss: expected a Loss or a loss function.`);
}

/** Builds a loss (a Loss instance or a function) from its serialized form or a name. */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): LossLike {
  const obj = deserializeFromTable(config, TABLE, customObjects);
  if (obj instanceof Loss || typeof obj === "function") return obj as LossLike;
  throw new Error(`Could not interpret loss identifier: ${JSON.stringify(config)}`);
}

/**
 * Keras's `keras.losses.get`: `"categorical_crossentropy"` (or an alias such
 * as `"mse"`) gives the function, `"CategoricalCrossentropy"` an instance
 * with default options; a serialized dict is deserialized; a Loss class is
 * instantiated; Loss instances and functions are returned as they are.
 * `null`/`undefined` give null. Unknown names throw an Error listing every
 * valid name.
 */
export function get(identifier: LossIdentifier | null | undefined): LossLike | null {
  if (identifier == null) return null;
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === "string") return deserialize(identifier);
  if (typeof identifier === "function") {
    if (isClassObject(identifier, Loss)) {
      const inst = new (identifier as new () => unknown)();
      if (inst instanceof Loss) return inst;
      throw new Error(`Could not interpret loss identifier: ${identifier.name} is a class but not a keras.losses.Loss.`);
    }
    return identifier as L.LossFunction;
  }
  if (typeof identifier === "object") return deserialize(identifier);
  throw new Error(`Could not interpret loss identifier: ${String(identifier)}`);
}

/** Shapes (or tensors) of labels and predictions, for resolving `"crossentropy"`. */
interface HasShape {
  shape: readonly (number | null)[];
}

/**
 * Keras's `compile_utils.get_loss`: what `compile({loss})` makes of an
 * identifier, always a Loss (or null for no loss). Functions and names of
 * functions are wrapped in a `LossFunctionWrapper` named by the string given
 * (`"mse"`) or by the function's Keras name (`"mean_squared_error"`).
 * `"crossentropy"`/`"ce"` picks binary (predictions with a last dimension of
 * 1), sparse categorical (labels of lower rank, or a last dimension of 1
 * against several classes) or categorical crossentropy from `yTrue` and
 * `yPred`.
 */
export function getLoss(identifier: LossIdentifier | null | undefined, yTrue?: HasShape | null, yPred?: HasShape | null): Loss | null {
  if (identifier == null) return null;
  let obj: LossLike | null;
  if (typeof identifier === "string" && ["crossentropy", "ce"].includes(identifier.toLowerCase())) {
    if (!yTrue || !yPred) {
      throw new Error(`The loss "${identifier}" is resolved from the shapes of y_true and y_pred; pass them to getLoss.`);
    }
    const tLast = yTrue.shape[yTrue.shape.length - 1];
    const pLast = yPred.shape[yPred.shape.length - 1];
    const isBinary = pLast === 1;
    const isSparse = yTrue.shape.length < yPred.shape.length || (tLast === 1 && (pLast ?? 0) > 1);
    obj = isBinary ? L.binaryCrossentropy : isSparse ? L.sparseCategoricalCrossentropy : L.categoricalCrossentropy;
  } else {
    obj = get(identifier);
  }
  if (obj === null) return null;
  if (obj instanceof Loss) return obj;
  let name: string;
  if (typeof identifier === "string") name = identifier;
  else {
    const keras = L.lossFunctionName(obj);
    name = keras in L.LOSS_FUNCTIONS || keras.includes(">") ? keras : toSnakeCase(keras);
  }
  return new L.LossFunctionWrapper(obj, { name });
}
