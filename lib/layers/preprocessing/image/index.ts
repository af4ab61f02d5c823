/** keras.layers: the image preprocessing and augmentation layers (callable with or without `new`). */
import { callable } from "../../../utils/callable.js";
import { RandomBrightness as RandomBrightnessClass } from "./random-brightness.js";
import { RandomContrast as RandomContrastClass } from "./random-contrast.js";
import { RandomCrop as RandomCropClass } from "./random-crop.js";
import { RandomFlip as RandomFlipClass } from "./random-flip.js";
import { RandomRotation as RandomRotationClass } from "./random-rotation.js";
import { RandomTranslation as RandomTranslationClass } from "./random-translation.js";
import { RandomZoom as RandomZoomClass } from "./random-zoom.js";

export const RandomBrightness = callable(RandomBrightnessClass); export type RandomBrightness = RandomBrightnessClass;
export const RandomContrast = callable(RandomContrastClass); export type RandomContrast = RandomContrastClass;
export const RandomCrop = callable(RandomCropClass); export type RandomCrop = RandomCropClass;
export const RandomFlip = callable(RandomFlipClass); export type RandomFlip = RandomFlipClass;
export const RandomRotation = callable(RandomRotationClass); export type RandomRotation = RandomRotationClass;
export const RandomTranslation = callable(RandomTranslationClass); export type RandomTranslation = RandomTranslationClass;
export const RandomZoom = callable(RandomZoomClass); export type RandomZoom = RandomZoomClass;

export type { BaseImagePreprocessingLayerArgs, RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
export type { RandomBrightnessArgs } from "./random-brightness.js";
export type { RandomContrastArgs } from "./random-contrast.js";
export type { RandomCropArgs } from "./random-crop.js";
export type { FlipMode, RandomFlipArgs } from "./random-flip.js";
export type { RandomRotationArgs } from "./random-rotation.js";
export type { RandomTranslationArgs } from "./random-translation.js";
export type { RandomZoomArgs } from "./random-zoom.js";
