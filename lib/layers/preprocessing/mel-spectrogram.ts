/**
 * MelSpectrogram: mel-scaled (and by default decibel) spectrograms of audio
 * (Keras's `layers/preprocessing/mel_spectrogram.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { stft } from "../../ops/math.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

const MEL_BREAK_FREQUENCY_HERTZ = 700.0;
const MEL_HIGH_FREQUENCY_Q = 1127.0;

/** Options of MelSpectrogram. */
export interface MelSpectrogramArgs extends LayerArgs {
  /** FFT size. Default 2048. */
  fftLength?: number;
  /** Samples between frames. Default 512. */
  sequenceStride?: number;
  /** Samples per frame (<= fftLength). Default `fftLength`. */
  sequenceLength?: number | null;
  /** `"hann"` (default), `"hamming"`, or null. */
  window?: "hann" | "hamming" | null;
  /** Samples per second. Default 16000. */
  samplingRate?: number;
  /** Number of mel bands. Default 128. */
  numMelBins?: number;
  /** Lowest frequency of the mel bands, in Hz. Default 20. */
  minFreq?: number;
  /** Highest frequency, in Hz. Default `samplingRate / 2`. */
  maxFreq?: number | null;
  /** Convert power to decibels. Default true. */
  powerToDb?: boolean;
  /** With `powerToDb`: the dynamic range kept below the maximum, in dB. Default 80. */
  topDb?: number;
  /** The exponent of the magnitude (2: power). Default 2. */
  magExp?: number;
  /** The floor of the power before the log. Default 1e-10. */
  minPower?: number;
  /** The reference power of 0 dB. Default 1. */
  refPower?: number;
}

/**
 * Mel spectrograms of audio `[batch, samples]` (or one signal `[samples]`):
 * |STFT|^magExp (centered frames), projected on `numMelBins` triangular mel
 * bands (HTK mel scale), optionally in decibels; output
 * `[batch, numMelBins, frames]`.
 *
 * ```ts
 * layers.MelSpectrogram({ numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048 })(audio);
 * ```
 */
export class MelSpectrogram extends Layer {
  readonly fftLength: number;
  readonly sequenceStride: number;
  readonly sequenceLength: number;
  readonly window: "hann" | "hamming" | null;
  readonly samplingRate: number;
  readonly numMelBins: number;
  readonly minFreq: number;
  readonly maxFreq: number;
  readonly powerToDb: boolean;
  readonly topDb: number;
  readonly magExp: number;
  readonly minPower: number;
  readonly refPower: number;

  constructor(args: MelSpectrogramArgs = {}) {
    const fftLength = args.fftLength ?? 2048;
    const sequenceLength = args.sequenceLength || fftLength;
    if (fftLength < sequenceLength) {
      throw new Error(`\`fft_length\` must be greater than or equal to   \`sequence_length\`. Received: \`sequence_length\`=${sequenceLength}, \`fft_length\`=${fftLength}.`);
    }
    super(args);
    this.fftLength = fftLength;
    this.sequenceStride = args.sequenceStride ?? 512;
    this.sequenceLength = sequenceLength;
    this.window = args.window === undefined ? "hann" : args.window;
    this.samplingRate = args.samplingRate ?? 16000;
    this.numMelBins = args.numMelBins ?? 128;
    this.minFreq = args.minFreq ?? 20.0;
    this.maxFreq = args.maxFreq || Math.trunc(this.samplingRate / 2);
    this.powerToDb = args.powerToDb ?? true;
    this.topDb = args.topDb ?? 80.0;
    this.magExp = args.magExp ?? 2.0;
    this.minPower = args.minPower ?? 1e-10;
    this.refPower = args.refPower ?? 1.0;
  }

  private static hertzToMel(f: number): number {
    return MEL_HIGH_FREQUENCY_Q * Math.log(1.0 + f / MEL_BREAK_FREQUENCY_HERTZ);
  }

  /** The `[numSpectrogramBins, numMelBins]` matrix of triangular mel filters (peak 1), as Keras (and TF) build it. */
  linearToMelWeightMatrix(numSpectrogramBins: number): Float32Array {
    const m = this.numMelBins;
    const f32 = Math.fround;
    const nyquist = this.samplingRate / 2;
    const lin = Array.from({ length: numSpectrogramBins }, (_, i) => f32((nyquist * i) / (numSpectrogramBins - 1))).slice(1);
    const binsMel = lin.map((f) => f32(MelSpectrogram.hertzToMel(f)));
    const lo = MelSpectrogram.hertzToMel(this.minFreq);
    const hi = MelSpectrogram.hertzToMel(this.maxFreq);
    const edges = Array.from({ length: m + 2 }, (_, i) => f32(lo + ((hi - lo) * i) / (m + 1)));
    const out = new Float32Array(numSpectrogramBins * m);
    binsMel.forEach((b, i) => {
      for (let j = 0; j < m; j++) {
        const lower = (b - edges[j]) / (edges[j + 1] - edges[j]);
        const upper = (edges[j + 2] - b) / (edges[j + 2] - edges[j + 1]);
        out[(i + 1) * m + j] = Math.max(0, Math.min(lower, upper));
      }
    });
    return out;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x0 = singleTensor(inputs, this.name);
    const x = x0.dtype === "float32" ? x0 : tf.cast(x0, "float32");
    const [re, im] = stft(x, this.sequenceLength, this.sequenceStride, this.fftLength, this.window, true) as [Tensor, Tensor];
    let spec = tf.sqrt(tf.add(tf.square(re), tf.square(im)));
    spec = tf.pow(spec, this.magExp);
    const bins = spec.shape[spec.rank - 1];
    const matrix = tf.tensor2d(this.linearToMelWeightMatrix(bins), [bins, this.numMelBins]);
    const flat = tf.reshape(spec, [-1, bins]);
    let out = tf.reshape(tf.matMul(flat, matrix), [...spec.shape.slice(0, -1), this.numMelBins]);
    if (this.powerToDb) {
      let logSpec = tf.mul(10, tf.div(tf.log(tf.maximum(out, this.minPower)), Math.LN10));
      logSpec = tf.sub(logSpec, 10 * Math.log10(Math.max(Math.abs(this.refPower), this.minPower)));
      out = tf.maximum(logSpec, tf.sub(tf.max(logSpec), this.topDb));
    }
    const r = out.rank;
    const perm = Array.from({ length: r }, (_, i) => i);
    perm[r - 1] = r - 2;
    perm[r - 2] = r - 1;
    return tf.transpose(out, perm);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const frames = (n: number | null): number | null => (n === null ? null : Math.floor((n + this.sequenceStride + 1) / this.sequenceStride));
    if (s.length === 1) return [this.numMelBins, frames(s[0])];
    return [s[0], this.numMelBins, frames(s[1])];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fft_length: this.fftLength,
      sequence_stride: this.sequenceStride,
      sequence_length: this.sequenceLength,
      window: this.window,
      sampling_rate: this.samplingRate,
      num_mel_bins: this.numMelBins,
      min_freq: this.minFreq,
      max_freq: this.maxFreq,
      power_to_db: this.powerToDb,
      top_db: this.topDb,
      mag_exp: this.magExp,
      min_power: this.minPower,
      ref_power: this.refPower,
    };
  }
}
registerBuiltin("keras.layers", MelSpectrogram);
