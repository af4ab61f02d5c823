/** keras.layers: the preprocessing layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
import { callable } from "../../utils/callable.js";
import { CategoryEncoding as CategoryEncodingClass } from "./category-encoding.js";
import { CenterCrop as CenterCropClass } from "./center-crop.js";
import { Discretization as DiscretizationClass } from "./discretization.js";
import { HashedCrossing as HashedCrossingClass } from "./hashed-crossing.js";
import { Hashing as HashingClass } from "./hashing.js";
import { IntegerLookup as IntegerLookupClass } from "./integer-lookup.js";
import { MelSpectrogram as MelSpectrogramClass } from "./mel-spectrogram.js";
import { Normalization as NormalizationClass } from "./normalization.js";
import { Pipeline as PipelineClass } from "./pipeline.js";
import { Rescaling as RescalingClass } from "./rescaling.js";
import { Resizing as ResizingClass } from "./resizing.js";
import { STFTSpectrogram as STFTSpectrogramClass } from "./stft-spectrogram.js";
import { StringLookup as StringLookupClass } from "./string-lookup.js";
import { TextVectorization as TextVectorizationClass } from "./text-vectorization.js";

export * from "./image/index.js";
export type { AssetsDir, HasAssets, StringData } from "./preprocessing-utils.js";
export { assetsDirIn, hasAssets } from "./preprocessing-utils.js";

// ---- layer classes (sorted; `export const X = callable(XClass); export type X = XClass;`)
export const CategoryEncoding = callable(CategoryEncodingClass); export type CategoryEncoding = CategoryEncodingClass;
export const CenterCrop = callable(CenterCropClass); export type CenterCrop = CenterCropClass;
export const Discretization = callable(DiscretizationClass); export type Discretization = DiscretizationClass;
export const HashedCrossing = callable(HashedCrossingClass); export type HashedCrossing = HashedCrossingClass;
export const Hashing = callable(HashingClass); export type Hashing = HashingClass;
export const IntegerLookup = callable(IntegerLookupClass); export type IntegerLookup = IntegerLookupClass;
export const MelSpectrogram = callable(MelSpectrogramClass); export type MelSpectrogram = MelSpectrogramClass;
export const Normalization = callable(NormalizationClass); export type Normalization = NormalizationClass;
export const Pipeline = callable(PipelineClass); export type Pipeline = PipelineClass;
export const Rescaling = callable(RescalingClass); export type Rescaling = RescalingClass;
export const Resizing = callable(ResizingClass); export type Resizing = ResizingClass;
export const STFTSpectrogram = callable(STFTSpectrogramClass); export type STFTSpectrogram = STFTSpectrogramClass;
export const StringLookup = callable(StringLookupClass); export type StringLookup = StringLookupClass;
export const TextVectorization = callable(TextVectorizationClass); export type TextVectorization = TextVectorizationClass;
