/**
 * keras.layers: every layer class, callable with or without `new`
 * (`layers.Dense(4)` and `new layers.Dense(4)` both work, and
 * `class MyLayer extends layers.Dense` subclasses it), plus `Input`,
 * `InputSpec`, the `Layer` base and the functional merge helpers.
 *
 * Layers are listed alphabetically, one line each (append new ones in order).
 */
import { callable } from "../utils/callable.js";
import { deserializeKerasObject, serializeKerasObject, type CustomObjects } from "../saving/serialization-lib.js";
import { Activation as ActivationClass } from "./core/activation.js";
import { ActivityRegularization as ActivityRegularizationClass } from "./regularization/activity-regularization.js";
import { Add as AddClass } from "./merging/add.js";
import { AdditiveAttention as AdditiveAttentionClass } from "./attention/additive-attention.js";
import { AlphaDropout as AlphaDropoutClass } from "./regularization/alpha-dropout.js";
import { Attention as AttentionClass } from "./attention/attention.js";
import { Average as AverageClass } from "./merging/average.js";
import { BatchNormalization as BatchNormalizationClass } from "./normalization/batch-normalization.js";
import { Concatenate as ConcatenateClass } from "./merging/concatenate.js";
import { Cropping1D as Cropping1DClass } from "./reshaping/cropping1d.js";
import { Cropping2D as Cropping2DClass } from "./reshaping/cropping2d.js";
import { Cropping3D as Cropping3DClass } from "./reshaping/cropping3d.js";
import { Dense as DenseClass } from "./core/dense.js";
import { Dot as DotClass } from "./merging/dot.js";
import { Dropout as DropoutClass } from "./regularization/dropout.js";
import { ELU as ELUClass } from "./activations/elu.js";
import { EinsumDense as EinsumDenseClass } from "./core/einsum-dense.js";
import { Embedding as EmbeddingClass } from "./core/embedding.js";
import { Flatten as FlattenClass } from "./reshaping/flatten.js";
import { GaussianDropout as GaussianDropoutClass } from "./regularization/gaussian-dropout.js";
import { GaussianNoise as GaussianNoiseClass } from "./regularization/gaussian-noise.js";
import { GroupNormalization as GroupNormalizationClass } from "./normalization/group-normalization.js";
import { GroupedQueryAttention as GroupedQueryAttentionClass } from "./attention/grouped-query-attention.js";
import { Identity as IdentityClass } from "./core/identity.js";
import { InputLayer as InputLayerClass } from "./core/input-layer.js";
import { Lambda as LambdaClass } from "./core/lambda-layer.js";
import { Layer as LayerClass } from "./layer.js";
import { LayerNormalization as LayerNormalizationClass } from "./normalization/layer-normalization.js";
import { LeakyReLU as LeakyReLUClass } from "./activations/leaky-relu.js";
import { Maximum as MaximumClass } from "./merging/maximum.js";
import { Minimum as MinimumClass } from "./merging/minimum.js";
import { MultiHeadAttention as MultiHeadAttentionClass } from "./attention/multi-head-attention.js";
import { Multiply as MultiplyClass } from "./merging/multiply.js";
import { PReLU as PReLUClass } from "./activations/prelu.js";
import { Permute as PermuteClass } from "./reshaping/permute.js";
import { RMSNormalization as RMSNormalizationClass } from "./normalization/rms-normalization.js";
import { ReLU as ReLUClass } from "./activations/relu.js";
import { RepeatVector as RepeatVectorClass } from "./reshaping/repeat-vector.js";
import { Reshape as ReshapeClass } from "./reshaping/reshape.js";
import { ReversibleEmbedding as ReversibleEmbeddingClass } from "./core/reversible-embedding.js";
import { Softmax as SoftmaxClass } from "./activations/softmax.js";
import { SpatialDropout1D as SpatialDropout1DClass } from "./regularization/spatial-dropout.js";
import { SpatialDropout2D as SpatialDropout2DClass } from "./regularization/spatial-dropout.js";
import { SpatialDropout3D as SpatialDropout3DClass } from "./regularization/spatial-dropout.js";
import { SpectralNormalization as SpectralNormalizationClass } from "./normalization/spectral-normalization.js";
import { Subtract as SubtractClass } from "./merging/subtract.js";
import { UnitNormalization as UnitNormalizationClass } from "./normalization/unit-normalization.js";
import { UpSampling1D as UpSampling1DClass } from "./reshaping/up-sampling1d.js";
import { UpSampling2D as UpSampling2DClass } from "./reshaping/up-sampling2d.js";
import { UpSampling3D as UpSampling3DClass } from "./reshaping/up-sampling3d.js";
import { Wrapper as WrapperClass } from "./core/wrapper.js";
import { ZeroPadding1D as ZeroPadding1DClass } from "./reshaping/zero-padding1d.js";
import { ZeroPadding2D as ZeroPadding2DClass } from "./reshaping/zero-padding2d.js";
import { ZeroPadding3D as ZeroPadding3DClass } from "./reshaping/zero-padding3d.js";

export { Input } from "./core/input-layer.js";
export { InputSpec } from "./input-spec.js";

// ---- layer classes (sorted; `export const X = callable(XClass); export type X = XClass;`)
export const Activation = callable(ActivationClass); export type Activation = ActivationClass;
export const ActivityRegularization = callable(ActivityRegularizationClass); export type ActivityRegularization = ActivityRegularizationClass;
export const Add = callable(AddClass); export type Add = AddClass;
export const AdditiveAttention = callable(AdditiveAttentionClass); export type AdditiveAttention = AdditiveAttentionClass;
export const AlphaDropout = callable(AlphaDropoutClass); export type AlphaDropout = AlphaDropoutClass;
export const Attention = callable(AttentionClass); export type Attention = AttentionClass;
export const Average = callable(AverageClass); export type Average = AverageClass;
export const BatchNormalization = callable(BatchNormalizationClass); export type BatchNormalization = BatchNormalizationClass;
export const Concatenate = callable(ConcatenateClass); export type Concatenate = ConcatenateClass;
export const Cropping1D = callable(Cropping1DClass); export type Cropping1D = Cropping1DClass;
export const Cropping2D = callable(Cropping2DClass); export type Cropping2D = Cropping2DClass;
export const Cropping3D = callable(Cropping3DClass); export type Cropping3D = Cropping3DClass;
export const Dense = callable(DenseClass); export type Dense = DenseClass;
export const Dot = callable(DotClass); export type Dot = DotClass;
export const Dropout = callable(DropoutClass); export type Dropout = DropoutClass;
export const ELU = callable(ELUClass); export type ELU = ELUClass;
export const EinsumDense = callable(EinsumDenseClass); export type EinsumDense = EinsumDenseClass;
export const Embedding = callable(EmbeddingClass); export type Embedding = EmbeddingClass;
export const Flatten = callable(FlattenClass); export type Flatten = FlattenClass;
export const GaussianDropout = callable(GaussianDropoutClass); export type GaussianDropout = GaussianDropoutClass;
export const GaussianNoise = callable(GaussianNoiseClass); export type GaussianNoise = GaussianNoiseClass;
export const GroupNormalization = callable(GroupNormalizationClass); export type GroupNormalization = GroupNormalizationClass;
export const GroupQueryAttention = callable(GroupedQueryAttentionClass); export type GroupQueryAttention = GroupedQueryAttentionClass;
export const GroupedQueryAttention = callable(GroupedQueryAttentionClass); export type GroupedQueryAttention = GroupedQueryAttentionClass;
export const Identity = callable(IdentityClass); export type Identity = IdentityClass;
export const InputLayer = callable(InputLayerClass); export type InputLayer = InputLayerClass;
export const Lambda = callable(LambdaClass); export type Lambda = LambdaClass;
export const Layer = callable(LayerClass); export type Layer = LayerClass;
export const LayerNormalization = callable(LayerNormalizationClass); export type LayerNormalization = LayerNormalizationClass;
export const LeakyReLU = callable(LeakyReLUClass); export type LeakyReLU = LeakyReLUClass;
export const Maximum = callable(MaximumClass); export type Maximum = MaximumClass;
export const Minimum = callable(MinimumClass); export type Minimum = MinimumClass;
export const MultiHeadAttention = callable(MultiHeadAttentionClass); export type MultiHeadAttention = MultiHeadAttentionClass;
export const Multiply = callable(MultiplyClass); export type Multiply = MultiplyClass;
export const PReLU = callable(PReLUClass); export type PReLU = PReLUClass;
export const Permute = callable(PermuteClass); export type Permute = PermuteClass;
export const RMSNormalization = callable(RMSNormalizationClass); export type RMSNormalization = RMSNormalizationClass;
export const ReLU = callable(ReLUClass); export type ReLU = ReLUClass;
export const RepeatVector = callable(RepeatVectorClass); export type RepeatVector = RepeatVectorClass;
export const Reshape = callable(ReshapeClass); export type Reshape = ReshapeClass;
export const ReversibleEmbedding = callable(ReversibleEmbeddingClass); export type ReversibleEmbedding = ReversibleEmbeddingClass;
export const Softmax = callable(SoftmaxClass); export type Softmax = SoftmaxClass;
export const SpatialDropout1D = callable(SpatialDropout1DClass); export type SpatialDropout1D = SpatialDropout1DClass;
export const SpatialDropout2D = callable(SpatialDropout2DClass); export type SpatialDropout2D = SpatialDropout2DClass;
export const SpatialDropout3D = callable(SpatialDropout3DClass); export type SpatialDropout3D = SpatialDropout3DClass;
export const SpectralNormalization = callable(SpectralNormalizationClass); export type SpectralNormalization = SpectralNormalizationClass;
export const Subtract = callable(SubtractClass); export type Subtract = SubtractClass;
export const UnitNormalization = callable(UnitNormalizationClass); export type UnitNormalization = UnitNormalizationClass;
export const UpSampling1D = callable(UpSampling1DClass); export type UpSampling1D = UpSampling1DClass;
export const UpSampling2D = callable(UpSampling2DClass); export type UpSampling2D = UpSampling2DClass;
export const UpSampling3D = callable(UpSampling3DClass); export type UpSampling3D = UpSampling3DClass;
export const Wrapper = callable(WrapperClass); export type Wrapper = WrapperClass;
export const ZeroPadding1D = callable(ZeroPadding1DClass); export type ZeroPadding1D = ZeroPadding1DClass;
export const ZeroPadding2D = callable(ZeroPadding2DClass); export type ZeroPadding2D = ZeroPadding2DClass;
export const ZeroPadding3D = callable(ZeroPadding3DClass); export type ZeroPadding3D = ZeroPadding3DClass;

// ---- functional merge helpers (Keras's keras.layers.add, concatenate, ...)
export { add } from "./merging/add.js";
export { average } from "./merging/average.js";
export { concatenate } from "./merging/concatenate.js";
export { dot } from "./merging/dot.js";
export { maximum } from "./merging/maximum.js";
export { minimum } from "./merging/minimum.js";
export { multiply } from "./merging/multiply.js";
export { subtract } from "./merging/subtract.js";

// ---- keras.layers.serialize / deserialize
/** Keras's `keras.layers.serialize`: the `{module, class_name, config, registered_name}` dict of a layer. */
export function serialize(layer: LayerClass): Record<string, unknown> {
  return serializeKerasObject(layer) as Record<string, unknown>;
}

/** Keras's `keras.layers.deserialize`: the layer described by `serialize`'s output (custom classes through `customObjects`). */
export function deserialize(config: Record<string, unknown>, customObjects: CustomObjects = {}): LayerClass {
  const obj = deserializeKerasObject(config, customObjects);
  if (!(obj instanceof LayerClass)) {
    throw new Error(`keras.layers.deserialize: the config does not describe a layer. Received: class_name=${String(config.class_name)}`);
  }
  return obj;
}

// ---- option types
export type { ActivationArgs } from "./core/activation.js";
export type { ActivityRegularizationArgs } from "./regularization/activity-regularization.js";
export type { AdditiveAttentionArgs } from "./attention/additive-attention.js";
export type { AlphaDropoutArgs } from "./regularization/alpha-dropout.js";
export type { AttentionArgs, AttentionCallArgs } from "./attention/attention.js";
export type { BatchNormalizationArgs, RenormClipping } from "./normalization/batch-normalization.js";
export type { ConcatenateArgs } from "./merging/concatenate.js";
export type { Cropping1DArgs } from "./reshaping/cropping1d.js";
export type { Cropping2DArgs, Cropping2DSpec } from "./reshaping/cropping2d.js";
export type { Cropping3DArgs, Cropping3DSpec } from "./reshaping/cropping3d.js";
export type { DenseArgs } from "./core/dense.js";
export type { DotArgs } from "./merging/dot.js";
export type { DropoutArgs } from "./regularization/dropout.js";
export type { ELUArgs } from "./activations/elu.js";
export type { EinsumDenseArgs } from "./core/einsum-dense.js";
export type { EmbeddingArgs } from "./core/embedding.js";
export type { FlattenArgs } from "./reshaping/flatten.js";
export type { GaussianDropoutArgs } from "./regularization/gaussian-dropout.js";
export type { GaussianNoiseArgs } from "./regularization/gaussian-noise.js";
export type { GroupNormalizationArgs } from "./normalization/group-normalization.js";
export type { GroupedQueryAttentionArgs } from "./attention/grouped-query-attention.js";
export type { InputLayerArgs } from "./core/input-layer.js";
export type { LambdaArgs, LambdaFunction } from "./core/lambda-layer.js";
export type { LayerArgs, CallArgs, AddWeightOptions } from "./layer.js";
export type { LayerNormalizationArgs } from "./normalization/layer-normalization.js";
export type { LeakyReLUArgs } from "./activations/leaky-relu.js";
export type { MergeArgs } from "./merging/base-merge.js";
export type { MultiHeadAttentionArgs, MultiHeadAttentionCallArgs } from "./attention/multi-head-attention.js";
export type { PReLUArgs } from "./activations/prelu.js";
export type { PermuteArgs } from "./reshaping/permute.js";
export type { RMSNormalizationArgs } from "./normalization/rms-normalization.js";
export type { ReLUArgs } from "./activations/relu.js";
export type { RepeatVectorArgs } from "./reshaping/repeat-vector.js";
export type { ReshapeArgs } from "./reshaping/reshape.js";
export type { ReversibleEmbeddingArgs, ReversibleEmbeddingCallArgs } from "./core/reversible-embedding.js";
export type { SoftmaxArgs } from "./activations/softmax.js";
export type { SpatialDropoutArgs, SpatialDropoutNDArgs } from "./regularization/spatial-dropout.js";
export type { SpectralNormalizationArgs } from "./normalization/spectral-normalization.js";
export type { UnitNormalizationArgs } from "./normalization/unit-normalization.js";
export type { UpSampling1DArgs } from "./reshaping/up-sampling1d.js";
export type { UpSampling2DArgs } from "./reshaping/up-sampling2d.js";
export type { UpSampling3DArgs } from "./reshaping/up-sampling3d.js";
export type { WrapperArgs } from "./core/wrapper.js";
export type { ZeroPadding1DArgs } from "./reshaping/zero-padding1d.js";
export type { ZeroPadding2DArgs, ZeroPadding2DSpec } from "./reshaping/zero-padding2d.js";
export type { ZeroPadding3DArgs, ZeroPadding3DSpec } from "./reshaping/zero-padding3d.js";

// ---- the other categories, each exported from its folder's barrel (same pattern as above)
export * from "./convolutional/index.js";
export * from "./pooling/index.js";
export * from "./rnn/index.js";
export * from "./preprocessing/index.js";
