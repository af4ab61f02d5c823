/** keras.layers: the pooling layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
import { callable } from "../../utils/callable.js";
import { AdaptiveAveragePooling1D as AdaptiveAveragePooling1DClass } from "./adaptive-average-pooling1d.js";
import { AdaptiveAveragePooling2D as AdaptiveAveragePooling2DClass } from "./adaptive-average-pooling2d.js";
import { AdaptiveAveragePooling3D as AdaptiveAveragePooling3DClass } from "./adaptive-average-pooling3d.js";
import { AdaptiveMaxPooling1D as AdaptiveMaxPooling1DClass } from "./adaptive-max-pooling1d.js";
import { AdaptiveMaxPooling2D as AdaptiveMaxPooling2DClass } from "./adaptive-max-pooling2d.js";
import { AdaptiveMaxPooling3D as AdaptiveMaxPooling3DClass } from "./adaptive-max-pooling3d.js";
import { AveragePooling1D as AveragePooling1DClass } from "./average-pooling1d.js";
import { AveragePooling2D as AveragePooling2DClass } from "./average-pooling2d.js";
import { AveragePooling3D as AveragePooling3DClass } from "./average-pooling3d.js";
import { GlobalAveragePooling1D as GlobalAveragePooling1DClass } from "./global-average-pooling1d.js";
import { GlobalAveragePooling2D as GlobalAveragePooling2DClass } from "./global-average-pooling2d.js";
import { GlobalAveragePooling3D as GlobalAveragePooling3DClass } from "./global-average-pooling3d.js";
import { GlobalMaxPooling1D as GlobalMaxPooling1DClass } from "./global-max-pooling1d.js";
import { GlobalMaxPooling2D as GlobalMaxPooling2DClass } from "./global-max-pooling2d.js";
import { GlobalMaxPooling3D as GlobalMaxPooling3DClass } from "./global-max-pooling3d.js";
import { MaxPooling1D as MaxPooling1DClass } from "./max-pooling1d.js";
import { MaxPooling2D as MaxPooling2DClass } from "./max-pooling2d.js";
import { MaxPooling3D as MaxPooling3DClass } from "./max-pooling3d.js";

// ---- layer classes (sorted; `export const X = callable(XClass); export type X = XClass;`)
export const AdaptiveAveragePooling1D = callable(AdaptiveAveragePooling1DClass); export type AdaptiveAveragePooling1D = AdaptiveAveragePooling1DClass;
export const AdaptiveAveragePooling2D = callable(AdaptiveAveragePooling2DClass); export type AdaptiveAveragePooling2D = AdaptiveAveragePooling2DClass;
export const AdaptiveAveragePooling3D = callable(AdaptiveAveragePooling3DClass); export type AdaptiveAveragePooling3D = AdaptiveAveragePooling3DClass;
export const AdaptiveMaxPooling1D = callable(AdaptiveMaxPooling1DClass); export type AdaptiveMaxPooling1D = AdaptiveMaxPooling1DClass;
export const AdaptiveMaxPooling2D = callable(AdaptiveMaxPooling2DClass); export type AdaptiveMaxPooling2D = AdaptiveMaxPooling2DClass;
export const AdaptiveMaxPooling3D = callable(AdaptiveMaxPooling3DClass); export type AdaptiveMaxPooling3D = AdaptiveMaxPooling3DClass;
export const AveragePooling1D = callable(AveragePooling1DClass); export type AveragePooling1D = AveragePooling1DClass;
export const AveragePooling2D = callable(AveragePooling2DClass); export type AveragePooling2D = AveragePooling2DClass;
export const AveragePooling3D = callable(AveragePooling3DClass); export type AveragePooling3D = AveragePooling3DClass;
export const GlobalAveragePooling1D = callable(GlobalAveragePooling1DClass); export type GlobalAveragePooling1D = GlobalAveragePooling1DClass;
export const GlobalAveragePooling2D = callable(GlobalAveragePooling2DClass); export type GlobalAveragePooling2D = GlobalAveragePooling2DClass;
export const GlobalAveragePooling3D = callable(GlobalAveragePooling3DClass); export type GlobalAveragePooling3D = GlobalAveragePooling3DClass;
export const GlobalMaxPooling1D = callable(GlobalMaxPooling1DClass); export type GlobalMaxPooling1D = GlobalMaxPooling1DClass;
export const GlobalMaxPooling2D = callable(GlobalMaxPooling2DClass); export type GlobalMaxPooling2D = GlobalMaxPooling2DClass;
export const GlobalMaxPooling3D = callable(GlobalMaxPooling3DClass); export type GlobalMaxPooling3D = GlobalMaxPooling3DClass;
export const MaxPooling1D = callable(MaxPooling1DClass); export type MaxPooling1D = MaxPooling1DClass;
export const MaxPooling2D = callable(MaxPooling2DClass); export type MaxPooling2D = MaxPooling2DClass;
export const MaxPooling3D = callable(MaxPooling3DClass); export type MaxPooling3D = MaxPooling3DClass;

// ---- Keras's aliases (the same classes)
export const AvgPool1D = AveragePooling1D; export type AvgPool1D = AveragePooling1DClass;
export const AvgPool2D = AveragePooling2D; export type AvgPool2D = AveragePooling2DClass;
export const AvgPool3D = AveragePooling3D; export type AvgPool3D = AveragePooling3DClass;
export const GlobalAvgPool1D = GlobalAveragePooling1D; export type GlobalAvgPool1D = GlobalAveragePooling1DClass;
export const GlobalAvgPool2D = GlobalAveragePooling2D; export type GlobalAvgPool2D = GlobalAveragePooling2DClass;
export const GlobalAvgPool3D = GlobalAveragePooling3D; export type GlobalAvgPool3D = GlobalAveragePooling3DClass;
export const GlobalMaxPool1D = GlobalMaxPooling1D; export type GlobalMaxPool1D = GlobalMaxPooling1DClass;
export const GlobalMaxPool2D = GlobalMaxPooling2D; export type GlobalMaxPool2D = GlobalMaxPooling2DClass;
export const GlobalMaxPool3D = GlobalMaxPooling3D; export type GlobalMaxPool3D = GlobalMaxPooling3DClass;
export const MaxPool1D = MaxPooling1D; export type MaxPool1D = MaxPooling1DClass;
export const MaxPool2D = MaxPooling2D; export type MaxPool2D = MaxPooling2DClass;
export const MaxPool3D = MaxPooling3D; export type MaxPool3D = MaxPooling3DClass;

// ---- option types
export type { BasePoolingArgs } from "./base-pooling.js";
export type { BaseGlobalPoolingArgs } from "./base-global-pooling.js";
export type { BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";
export type { AdaptiveAveragePooling1DArgs } from "./adaptive-average-pooling1d.js";
export type { AdaptiveAveragePooling2DArgs } from "./adaptive-average-pooling2d.js";
export type { AdaptiveAveragePooling3DArgs } from "./adaptive-average-pooling3d.js";
export type { AdaptiveMaxPooling1DArgs } from "./adaptive-max-pooling1d.js";
export type { AdaptiveMaxPooling2DArgs } from "./adaptive-max-pooling2d.js";
export type { AdaptiveMaxPooling3DArgs } from "./adaptive-max-pooling3d.js";
export type { AveragePooling1DArgs } from "./average-pooling1d.js";
export type { AveragePooling2DArgs } from "./average-pooling2d.js";
export type { AveragePooling3DArgs } from "./average-pooling3d.js";
export type { GlobalAveragePooling1DArgs } from "./global-average-pooling1d.js";
export type { GlobalAveragePooling2DArgs } from "./global-average-pooling2d.js";
export type { GlobalAveragePooling3DArgs } from "./global-average-pooling3d.js";
export type { GlobalMaxPooling1DArgs } from "./global-max-pooling1d.js";
export type { GlobalMaxPooling2DArgs } from "./global-max-pooling2d.js";
export type { GlobalMaxPooling3DArgs } from "./global-max-pooling3d.js";
export type { MaxPooling1DArgs } from "./max-pooling1d.js";
export type { MaxPooling2DArgs } from "./max-pooling2d.js";
export type { MaxPooling3DArgs } from "./max-pooling3d.js";
