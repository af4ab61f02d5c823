/** keras.layers: the convolutional layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
import { callable } from "../../utils/callable.js";
import { Conv1D as Conv1DClass } from "./conv1d.js";
import { Conv1DTranspose as Conv1DTransposeClass } from "./conv1d-transpose.js";
import { Conv2D as Conv2DClass } from "./conv2d.js";
import { Conv2DTranspose as Conv2DTransposeClass } from "./conv2d-transpose.js";
import { Conv3D as Conv3DClass } from "./conv3d.js";
import { Conv3DTranspose as Conv3DTransposeClass } from "./conv3d-transpose.js";
import { DepthwiseConv1D as DepthwiseConv1DClass } from "./depthwise-conv1d.js";
import { DepthwiseConv2D as DepthwiseConv2DClass } from "./depthwise-conv2d.js";
import { SeparableConv1D as SeparableConv1DClass } from "./separable-conv1d.js";
import { SeparableConv2D as SeparableConv2DClass } from "./separable-conv2d.js";

// ---- layer classes (sorted; `export const X = callable(XClass); export type X = XClass;`)
export const Conv1D = callable(Conv1DClass); export type Conv1D = Conv1DClass;
export const Conv1DTranspose = callable(Conv1DTransposeClass); export type Conv1DTranspose = Conv1DTransposeClass;
export const Conv2D = callable(Conv2DClass); export type Conv2D = Conv2DClass;
export const Conv2DTranspose = callable(Conv2DTransposeClass); export type Conv2DTranspose = Conv2DTransposeClass;
export const Conv3D = callable(Conv3DClass); export type Conv3D = Conv3DClass;
export const Conv3DTranspose = callable(Conv3DTransposeClass); export type Conv3DTranspose = Conv3DTransposeClass;
export const DepthwiseConv1D = callable(DepthwiseConv1DClass); export type DepthwiseConv1D = DepthwiseConv1DClass;
export const DepthwiseConv2D = callable(DepthwiseConv2DClass); export type DepthwiseConv2D = DepthwiseConv2DClass;
export const SeparableConv1D = callable(SeparableConv1DClass); export type SeparableConv1D = SeparableConv1DClass;
export const SeparableConv2D = callable(SeparableConv2DClass); export type SeparableConv2D = SeparableConv2DClass;

// ---- Keras's aliases (the same classes)
export const Convolution1D = Conv1D; export type Convolution1D = Conv1DClass;
export const Convolution1DTranspose = Conv1DTranspose; export type Convolution1DTranspose = Conv1DTransposeClass;
export const Convolution2D = Conv2D; export type Convolution2D = Conv2DClass;
export const Convolution2DTranspose = Conv2DTranspose; export type Convolution2DTranspose = Conv2DTransposeClass;
export const Convolution3D = Conv3D; export type Convolution3D = Conv3DClass;
export const Convolution3DTranspose = Conv3DTranspose; export type Convolution3DTranspose = Conv3DTransposeClass;
export const SeparableConvolution1D = SeparableConv1D; export type SeparableConvolution1D = SeparableConv1DClass;
export const SeparableConvolution2D = SeparableConv2D; export type SeparableConvolution2D = SeparableConv2DClass;

// ---- option types
export type { BaseConvArgs, ConvPadding, DataFormat, IntOrTuple } from "./base-conv.js";
export type { BaseConvTransposeArgs } from "./base-conv-transpose.js";
export type { BaseDepthwiseConvArgs } from "./base-depthwise-conv.js";
export type { BaseSeparableConvArgs } from "./base-separable-conv.js";
export type { Conv1DArgs } from "./conv1d.js";
export type { Conv2DArgs } from "./conv2d.js";
export type { Conv3DArgs } from "./conv3d.js";
export type { Conv1DTransposeArgs } from "./conv1d-transpose.js";
export type { Conv2DTransposeArgs } from "./conv2d-transpose.js";
export type { Conv3DTransposeArgs } from "./conv3d-transpose.js";
export type { DepthwiseConv1DArgs } from "./depthwise-conv1d.js";
export type { DepthwiseConv2DArgs } from "./depthwise-conv2d.js";
export type { SeparableConv1DArgs } from "./separable-conv1d.js";
export type { SeparableConv2DArgs } from "./separable-conv2d.js";
