/**
 * STFTSpectrogram: spectrograms of 1-D signals computed as convolutions with
 * STFT kernels (Keras's `layers/preprocessing/stft_spectrogram.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import { epsilon, standardizeDataFormat } from "../../backend/config.js";
import { STFT } from "../../initializers/constant-initializers.js";
import { getWindow } from "../../initializers/constant-initializers.js";
import { conv } from "../../ops/nn.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** What STFTSpectrogram outputs. */
export type SpectrogramMode = "log" | "magnitude" | "psd" | "real" | "imag" | "angle" | "stft";

/** Options of STFTSpectrogram. */
export interface STFTSpectrogramArgs extends LayerArgs {
  /** `"log"` (default), `"magnitude"`, `"psd"`, `"real"`, `"imag"`, `"angle"` or `"stft"` (real then imaginary parts). */
  mode?: SpectrogramMode;
  /** Samples per frame. Default 256. */
  frameLength?: number;
  /** Samples between frames. Default `frameLength / 2`. */
  frameStep?: number | null;
  /** FFT size (>= frameLength). Default the next power of two of `frameLength`. */
  fftLength?: number | null;
  /** A window name (`"hann"`, `"hamming"`, ...), values, or null. Default `"hann"`. */
  window?: string | number[] | null;
  /** Periodic (true) or symmetric (false, default) window. */
  periodic?: boolean;
  /** `"density"` (default), `"spectrum"` or null: how the window scales the kernels. */
  scaling?: "density" | "spectrum" | null;
  /** `"valid"` (default) or `"same"`. */
  padding?: "valid" | "same";
  /** Keep channels as a separate axis (`[batch, time, freq, channels]`). Default false. */
  expandDims?: boolean;
  /** `"channels_last"` (`[batch, time, channels]`) or `"channels_first"`; default from the Keras config. */
  dataFormat?: "channels_last" | "channels_first" | null;
}

/**
 * Spectrograms of signals `[batch, time, channels]` (channels_last): each
 * channel's STFT frames convolved with `real_kernel` / `imag_kernel`
 * (weights initialized by the STFT initializer, so they can be fine-tuned),
 * giving `[batch, frames, freqs * channels]`.
 *
 * ```ts
 * layers.STFTSpectrogram({ frameLength: 256, frameStep: 128, fftLength: 512 })(audio);
 * ```
 */
export class STFTSpectrogram extends Layer {
  readonly mode: SpectrogramMode;
  readonly frameLength: number;
  readonly frameStep: number | null;
  readonly fftLength: number | null;
  readonly window: string | number[] | null;
  readonly periodic: boolean;
  readonly scaling: "density" | "spectrum" | null;
  readonly padding: "valid" | "same";
  readonly expandDims: boolean;
  readonly dataFormat: "channels_last" | "channels_first";
  /** The cosine kernel (absent in `"imag"` mode). */
  realKernel: Variable | null = null;
  /** The sine kernel (absent in `"real"` mode). */
  imagKernel: Variable | null = null;
  private readonly step: number;
  private readonly nfft: number;

  constructor(args: STFTSpectrogramArgs = {}) {
    const frameLength = args.frameLength ?? 256;
    const frameStep = args.frameStep ?? null;
    const fftLength = args.fftLength ?? null;
    if (frameStep !== null && (frameStep > frameLength || frameStep < 1)) {
      throw new Error(`\`frame_step\` should be a positive integer not greater than \`frame_length\`. Received frame_step=${frameStep}, frame_length=${frameLength}`);
    }
    if (fftLength !== null && fftLength < frameLength) {
      throw new Error(`\`fft_length\` should be not less than \`frame_length\`. Received fft_length=${fftLength}, frame_length=${frameLength}`);
    }
    const mode = args.mode ?? "log";
    const modes = ["log", "magnitude", "psd", "real", "imag", "angle", "stft"];
    if (!modes.includes(mode)) throw new Error(`Output mode is invalid, it must be one of ${modes.join(", ")}. Received: mode=${mode}`);
    const scaling = args.scaling === undefined ? "density" : args.scaling;
    if (scaling !== null && scaling !== "density" && scaling !== "spectrum") {
      throw new Error(`Scaling is invalid, it must be \`None\`, 'density' or 'spectrum'. Received scaling=${String(scaling)}`);
    }
    const padding = args.padding ?? "valid";
    if (padding !== "valid" && padding !== "same") throw new Error(`Padding is invalid, it should be 'valid', 'same'. Received: padding=${String(padding)}`);
    const window = args.window === undefined ? "hann" : args.window;
    if (typeof window === "string") getWindow(window, 1, false);
    super(args);
    this.mode = mode;
    this.frameLength = frameLength;
    this.frameStep = frameStep;
    this.step = frameStep ?? Math.floor(frameLength / 2);
    this.fftLength = fftLength;
    this.nfft = fftLength ?? 2 ** Math.ceil(Math.log2(frameLength));
    this.window = window;
    this.periodic = args.periodic ?? false;
    this.scaling = scaling;
    this.padding = padding;
    this.expandDims = args.expandDims ?? false;
    this.dataFormat = standardizeDataFormat(args.dataFormat);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  override build(_inputShape: unknown): void {
    const shape = [this.frameLength, 1, Math.floor(this.nfft / 2) + 1];
    const init = (side: "real" | "imag"): STFT => new STFT({ side, window: this.window, scaling: this.scaling, periodic: this.periodic });
    if (this.mode !== "imag") this.realKernel = this.addWeight({ name: "real_kernel", shape, initializer: init("real") });
    if (this.mode !== "real") this.imagKernel = this.addWeight({ name: "imag_kernel", shape, initializer: init("imag") });
    this.built = true;
  }

  /** Convolves every channel with `kernel`: `[batch, channels, freqs, frames]`. */
  private applyConv(x: Tensor, kernel: Tensor): Tensor {
    const cl = this.dataFormat === "channels_last";
    const [b, d1, d2] = x.shape;
    const channels = cl ? d2 : d1;
    const time = cl ? d1 : d2;
    const signals = cl ? tf.reshape(tf.transpose(x, [0, 2, 1]), [-1, time, 1]) : tf.reshape(x, [-1, 1, time]);
    const out = conv(signals, kernel, this.step, this.padding, this.dataFormat) as Tensor;
    if (cl) {
      const [, frames, freqs] = out.shape;
      return tf.reshape(tf.transpose(out, [0, 2, 1]), [b, channels, freqs, frames]);
    }
    const [, freqs, frames] = out.shape;
    return tf.reshape(out, [b, channels, freqs, frames]);
  }

  private adjust(x: Tensor): Tensor {
    const [b, channels, freqs, frames] = x.shape;
    if (this.dataFormat === "channels_last") {
      if (this.expandDims) return tf.transpose(x, [0, 3, 2, 1]);
      return tf.transpose(tf.reshape(x, [b, channels * freqs, frames]), [0, 2, 1]);
    }
    if (this.expandDims) return tf.transpose(x, [0, 1, 3, 2]);
    return tf.reshape(x, [b, channels * freqs, frames]);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.dtype !== "float32") throw new TypeError(`Invalid input type. Expected \`float16\`, \`float32\` or \`float64\`. Received: input type=${x.dtype}`);
    const re = this.mode !== "imag" ? this.applyConv(x, (this.realKernel as Variable).value) : null;
    const im = this.mode !== "real" ? this.applyConv(x, (this.imagKernel as Variable).value) : null;
    if (this.mode === "real") return this.adjust(re as Tensor);
    if (this.mode === "imag") return this.adjust(im as Tensor);
    if (this.mode === "angle") return this.adjust(tf.atan2(im as Tensor, re as Tensor));
    if (this.mode === "stft") return this.adjust(tf.concat([re as Tensor, im as Tensor], 2));
    const power = tf.add(tf.square(re as Tensor), tf.square(im as Tensor));
    if (this.mode === "psd") {
      const f = power.shape[2] as number;
      const inner = tf.slice(power, [0, 0, 1, 0], [-1, -1, Math.max(f - 2, 0), -1]);
      return this.adjust(tf.add(power, tf.pad(inner, [[0, 0], [0, 0], [1, 1], [0, 0]])));
    }
    const linear = this.adjust(tf.sqrt(tf.maximum(power, epsilon())));
    if (this.mode === "magnitude") return linear;
    return tf.log(tf.maximum(linear, epsilon()));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const cl = this.dataFormat === "channels_last";
    const channels = cl ? s[2] : s[1];
    const time = cl ? s[1] : s[2];
    let freqs = Math.floor(this.nfft / 2) + 1;
    if (this.mode === "stft") freqs *= 2;
    const frames =
      time === null
        ? null
        : this.padding === "same"
          ? Math.ceil(time / this.step)
          : Math.floor((time - this.frameLength) / this.step) + 1;
    if (this.expandDims) return cl ? [s[0], frames, freqs, channels] : [s[0], channels, frames, freqs];
    const feat = channels === null ? null : freqs * channels;
    return cl ? [s[0], frames, feat] : [s[0], feat, frames];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mode: this.mode,
      frame_length: this.frameLength,
      frame_step: this.frameStep,
      fft_length: this.fftLength,
      window: this.window,
      periodic: this.periodic,
      scaling: this.scaling,
      padding: this.padding,
      data_format: this.dataFormat,
      expand_dims: this.expandDims,
    };
  }
}
registerBuiltin("keras.layers", STFTSpectrogram);
