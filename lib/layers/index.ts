/**
 * keras.layers: every layer class, callable with or without `new`
 * (`layers.Dense(4)` and `new layers.Dense(4)` both work, and
 * `class MyLayer extends layers.Dense` subclasses it), plus `Input`,
 * `InputSpec`, the `Layer` base and the functional merge helpers.
 *
 * Layers are listed alphabetically, one line each (append new ones in order).
 */
import { callable } from "../utils/callable.js";
import { Activation as ActivationClass } from "./core/activation.js";
import { Add as AddClass } from "./merging/add.js";
import { Average as AverageClass } from "./merging/average.js";
import { BatchNormalization as BatchNormalizationClass } from "./normalization/batch-normalization.js";
import { Concatenate as ConcatenateClass } from "./merging/concatenate.js";
import { Dense as DenseClass } from "./core/dense.js";
import { Dot as DotClass } from "./merging/dot.js";
import { Dropout as DropoutClass } from "./regularization/dropout.js";
import { ELU as ELUClass } from "./activations/elu.js";
import { EinsumDense as EinsumDenseClass } from "./core/einsum-dense.js";
import { Embedding as EmbeddingClass } from "./core/embedding.js";
import { Flatten as FlattenClass } from "./reshaping/flatten.js";
import { Identity as IdentityClass } from "./core/identity.js";
import { InputLayer as InputLayerClass } from "./core/input-layer.js";
import { Lambda as LambdaClass } from "./core/lambda-layer.js";
import { Layer as LayerClass } from "./layer.js";
import { LayerNormalization as LayerNormalizationClass } from "./normalization/layer-normalization.js";
import { LeakyReLU as LeakyReLUClass } from "./activations/leaky-relu.js";
import { Maximum as MaximumClass } from "./merging/maximum.js";
import { Minimum as MinimumClass } from "./merging/minimum.js";
import { Multiply as MultiplyClass } from "./merging/multiply.js";
import { Permute as PermuteClass } from "./reshaping/permute.js";
import { PReLU as PReLUClass } from "./activations/prelu.js";
import { ReLU as ReLUClass } from "./activations/relu.js";
import { RepeatVector as RepeatVectorClass } from "./reshaping/repeat-vector.js";
import { Reshape as ReshapeClass } from "./reshaping/reshape.js";
import { Softmax as SoftmaxClass } from "./activations/softmax.js";
import { Subtract as SubtractClass } from "./merging/subtract.js";

export { Input } from "./core/input-layer.js";
export { InputSpec } from "./input-spec.js";

// ---- layer classes (sorted; `export const X = callable(XClass); export type X = XClass;`)
export const Activation = callable(ActivationClass); export type Activation = ActivationClass;
export const Add = callable(AddClass); export type Add = AddClass;
export const Average = callable(AverageClass); export type Average = AverageClass;
export const BatchNormalization = callable(BatchNormalizationClass); export type BatchNormalization = BatchNormalizationClass;
export const Concatenate = callable(ConcatenateClass); export type Concatenate = ConcatenateClass;
export const Dense = callable(DenseClass); export type Dense = DenseClass;
export const Dot = callable(DotClass); export type Dot = DotClass;
export const Dropout = callable(DropoutClass); export type Dropout = DropoutClass;
export const ELU = callable(ELUClass); export type ELU = ELUClass;
export const EinsumDense = callable(EinsumDenseClass); export type EinsumDense = EinsumDenseClass;
export const Embedding = callable(EmbeddingClass); export type Embedding = EmbeddingClass;
export const Flatten = callable(FlattenClass); export type Flatten = FlattenClass;
export const Identity = callable(IdentityClass); export type Identity = IdentityClass;
export const InputLayer = callable(InputLayerClass); export type InputLayer = InputLayerClass;
export const Lambda = callable(LambdaClass); export type Lambda = LambdaClass;
export const Layer = callable(LayerClass); export type Layer = LayerClass;
export const LayerNormalization = callable(LayerNormalizationClass); export type LayerNormalization = LayerNormalizationClass;
export const LeakyReLU = callable(LeakyReLUClass); export type LeakyReLU = LeakyReLUClass;
export const Maximum = callable(MaximumClass); export type Maximum = MaximumClass;
export const Minimum = callable(MinimumClass); export type Minimum = MinimumClass;
export const Multiply = callable(MultiplyClass); export type Multiply = MultiplyClass;
export const PReLU = callable(PReLUClass); export type PReLU = PReLUClass;
export const Permute = callable(PermuteClass); export type Permute = PermuteClass;
export const ReLU = callable(ReLUClass); export type ReLU = ReLUClass;
export const RepeatVector = callable(RepeatVectorClass); export type RepeatVector = RepeatVectorClass;
export const Reshape = callable(ReshapeClass); export type Reshape = ReshapeClass;
export const Softmax = callable(SoftmaxClass); export type Softmax = SoftmaxClass;
export const Subtract = callable(SubtractClass); export type Subtract = SubtractClass;

// ---- functional merge helpers (Keras's keras.layers.add, concatenate, ...)
export { add } from "./merging/add.js";
export { average } from "./merging/average.js";
export { concatenate } from "./merging/concatenate.js";
export { dot } from "./merging/dot.js";
export { maximum } from "./merging/maximum.js";
export { minimum } from "./merging/minimum.js";
export { multiply } from "./merging/multiply.js";
export { subtract } from "./merging/subtract.js";

// ---- option types
export type { ActivationArgs } from "./core/activation.js";
export type { BatchNormalizationArgs, RenormClipping } from "./normalization/batch-normalization.js";
export type { ConcatenateArgs } from "./merging/concatenate.js";
export type { DenseArgs } from "./core/dense.js";
export type { DotArgs } from "./merging/dot.js";
export type { DropoutArgs } from "./regularization/dropout.js";
export type { ELUArgs } from "./activations/elu.js";
export type { EinsumDenseArgs } from "./core/einsum-dense.js";
export type { EmbeddingArgs } from "./core/embedding.js";
export type { FlattenArgs } from "./reshaping/flatten.js";
export type { InputLayerArgs } from "./core/input-layer.js";
export type { LambdaArgs, LambdaFunction } from "./core/lambda-layer.js";
export type { LayerArgs, CallArgs, AddWeightOptions } from "./layer.js";
export type { LayerNormalizationArgs } from "./normalization/layer-normalization.js";
export type { LeakyReLUArgs } from "./activations/leaky-relu.js";
export type { MergeArgs } from "./merging/base-merge.js";
export type { PReLUArgs } from "./activations/prelu.js";
export type { PermuteArgs } from "./reshaping/permute.js";
export type { ReLUArgs } from "./activations/relu.js";
export type { RepeatVectorArgs } from "./reshaping/repeat-vector.js";
export type { ReshapeArgs } from "./reshaping/reshape.js";
export type { SoftmaxArgs } from "./activations/softmax.js";

// ---- the other categories, each exported from its folder's barrel (same pattern as above)
export * from "./convolutional/index.js";
export * from "./pooling/index.js";
export * from "./rnn/index.js";
export * from "./preprocessing/index.js";
