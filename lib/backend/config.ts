/**
 * Keras's global configuration: floatx, epsilon, image data format and the
 * backend preference, read like Keras from `KERAS_BACKEND` and
 * `$KERAS_HOME/keras.json` (default `~/.keras/keras.json`).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The float dtypes tskeras accepts as `floatx`. */
export type FloatX = "float16" | "bfloat16" | "float32" | "float64";
/** Where the channels axis sits in image tensors. */
export type ImageDataFormat = "channels_last" | "channels_first";

interface KerasJson {
  floatx?: string;
  epsilon?: number;
  backend?: string;
  image_data_format?: string;
}

/** The folder Keras keeps its config and caches in: `$KERAS_HOME`, else `~/.keras`. */
export function kerasHome(): string {
  return process.env.KERAS_HOME ?? join(homedir(), ".keras");
}

function readKerasJson(): KerasJson {
  const file = join(kerasHome(), "keras.json");
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as KerasJson;
  } catch (e) {
    process.stderr.write(`tskeras: ignoring ${file}: ${(e as Error).message}\n`);
    return {};
  }
}

const fromFile = readKerasJson();
let floatxValue: FloatX = (fromFile.floatx as FloatX | undefined) ?? "float32";
let epsilonValue: number = fromFile.epsilon ?? 1e-7;
let imageDataFormatValue: ImageDataFormat =
  (fromFile.image_data_format as ImageDataFormat | undefined) ?? "channels_last";

/** The backend the user asked for, if any: `KERAS_BACKEND`, else keras.json's `backend`. */
export function requestedBackend(): string | undefined {
  const env = process.env.KERAS_BACKEND?.trim();
  if (env) return env;
  return fromFile.backend;
}

/** The default float dtype, `"float32"` unless configured. */
export function floatx(): FloatX {
  return floatxValue;
}

/** Sets the default float dtype. */
export function setFloatx(value: FloatX): void {
  const allowed: FloatX[] = ["float16", "bfloat16", "float32", "float64"];
  if (!allowed.includes(value)) {
    throw new Error(`Unknown floatx type: ${String(value)}. Expected one of ${allowed.join(", ")}.`);
  }
  floatxValue = value;
}

/** The fuzz factor used in numeric expressions, `1e-7` unless configured. */
export function epsilon(): number {
  return epsilonValue;
}

/** Sets the fuzz factor used in numeric expressions. */
export function setEpsilon(value: number): void {
  epsilonValue = value;
}

/** The image data format, `"channels_last"` unless configured. */
export function imageDataFormat(): ImageDataFormat {
  return imageDataFormatValue;
}

/** Sets the image data format. */
export function setImageDataFormat(value: ImageDataFormat): void {
  if (value !== "channels_last" && value !== "channels_first") {
    throw new Error(
      `The \`value\` argument must be one of {'channels_first', 'channels_last'}. Received: value=${String(value)}`,
    );
  }
  imageDataFormatValue = value;
}

/** Normalizes a `dataFormat` argument: the configured default when absent. */
export function standardizeDataFormat(dataFormat?: string | null): ImageDataFormat {
  if (dataFormat == null) return imageDataFormat();
  const v = dataFormat.toLowerCase();
  if (v !== "channels_last" && v !== "channels_first") {
    throw new Error(
      `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${dataFormat}`,
    );
  }
  return v;
}

// ------------------------------------------------------------------ run caps, flash attention, NNX

function envInt(name: string): number | null {
  const raw = process.env[name]?.trim();
  if (!raw) return null;
  const v = Number(raw);
  return Number.isInteger(v) ? v : null;
}

let maxEpochsValue: number | null = envInt("KERAS_MAX_EPOCHS");
let maxStepsPerEpochValue: number | null = envInt("KERAS_MAX_STEPS_PER_EPOCH");
let flashAttentionValue: false | null = null;

function checkCap(what: string, value: number | null): void {
  if (value !== null && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`${what} must be a positive integer or null. Received: ${String(value)}`);
  }
}

/**
 * Caps the number of epochs every `fit` runs (for debugging: run a script
 * quickly without editing it). `null` removes the cap. Also read from the
 * `KERAS_MAX_EPOCHS` environment variable.
 */
export function setMaxEpochs(maxEpochs: number | null): void {
  checkCap("maxEpochs", maxEpochs);
  maxEpochsValue = maxEpochs;
}

/**
 * Caps the number of steps of each epoch of `fit` (for debugging). `null`
 * removes the cap. Also read from the `KERAS_MAX_STEPS_PER_EPOCH`
 * environment variable.
 */
export function setMaxStepsPerEpoch(maxStepsPerEpoch: number | null): void {
  checkCap("maxStepsPerEpoch", maxStepsPerEpoch);
  maxStepsPerEpochValue = maxStepsPerEpoch;
}

/** The cap on `fit`'s epochs set by {@link setMaxEpochs} or `KERAS_MAX_EPOCHS`, or null. */
export function maxEpochs(): number | null {
  return maxEpochsValue;
}

/** The cap on steps per epoch set by {@link setMaxStepsPerEpoch} or `KERAS_MAX_STEPS_PER_EPOCH`, or null. */
export function maxStepsPerEpoch(): number | null {
  return maxStepsPerEpochValue;
}

/** `epochs` limited by {@link maxEpochs} (as Keras's trainers do, with a warning). */
export function capEpochs(epochs: number): number {
  if (maxEpochsValue && maxEpochsValue < epochs) {
    process.stderr.write(`Limiting epochs to ${maxEpochsValue}\n`);
    return maxEpochsValue;
  }
  return epochs;
}

/** `stepsPerEpoch` limited by {@link maxStepsPerEpoch}: a cap also applies when no step count was given. */
export function capStepsPerEpoch(stepsPerEpoch: number | null): number | null {
  if (maxStepsPerEpochValue && (!stepsPerEpoch || maxStepsPerEpochValue < stepsPerEpoch)) {
    process.stderr.write(`Limiting steps_per_epoch to ${maxStepsPerEpochValue}\n`);
    return maxStepsPerEpochValue;
  }
  return stepsPerEpoch;
}

/**
 * Lets attention layers use flash attention where they can (the default).
 * As in Keras, this resets the flag to "auto", so
 * {@link isFlashAttentionEnabled} returns `null` afterwards. tskeras's
 * `dotProductAttention` has no flash kernel and computes the same result
 * either way; the flag is stored for code that reads it.
 */
export function enableFlashAttention(): void {
  flashAttentionValue = null;
}

/** Forbids flash attention: {@link isFlashAttentionEnabled} returns `false`. */
export function disableFlashAttention(): void {
  flashAttentionValue = false;
}

/**
 * `false` after {@link disableFlashAttention}, else `null` ("auto": layers
 * may use it when the inputs allow), as Keras returns.
 */
export function isFlashAttentionEnabled(): false | null {
  return flashAttentionValue;
}

/** Whether Flax NNX features are enabled: always false (they belong to Keras's JAX backend). */
export function isNnxEnabled(): boolean {
  return false;
}
