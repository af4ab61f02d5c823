import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { layers } from "../../../lib/index.js";
import { STFTSpectrogram } from "../../../lib/layers/preprocessing/stft-spectrogram.js";
import { MelSpectrogram } from "../../../lib/layers/preprocessing/mel-spectrogram.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";

/** |DFT| of one windowed frame, density-scaled, for bins 0..nfft/2. */
function frameMagnitudes(x: number[], start: number, len: number, nfft: number): number[] {
  const w = Array.from({ length: len }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (len - 1)));
  const scale = Math.sqrt(w.reduce((a, b) => a + b * b, 0));
  const out: number[] = [];
  for (let f = 0; f <= nfft / 2; f++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < len; t++) {
      re += (x[start + t] * w[t] * Math.cos((-2 * Math.PI * t * f) / nfft)) / scale;
      im += (x[start + t] * w[t] * Math.sin((-2 * Math.PI * t * f) / nfft)) / scale;
    }
    out.push(Math.sqrt(Math.max(re * re + im * im, 1e-7)));
  }
  return out;
}

describe("STFTSpectrogram", () => {
  it("magnitude equals a direct windowed DFT; shapes of every mode; config", () => {
    const n = 40;
    const sig = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1));
    const x = tf.tensor3d(sig, [1, n, 1]);
    const layer = new STFTSpectrogram({ mode: "magnitude", frameLength: 16, frameStep: 8, fftLength: 16 });
    const y = layer(x);
    expect(y.shape).toEqual([1, 4, 9]);
    const expected = [0, 8, 16, 24].flatMap((s) => frameMagnitudes(sig, s, 16, 16));
    expectClose(y, expected, 1e-4);
    expect(layer.weights.map((w) => w.name)).toEqual(["real_kernel", "imag_kernel"]);
    const logL = layers.STFTSpectrogram({ mode: "log", frameLength: 16, frameStep: 8, fftLength: 16 });
    expectClose(logL(x), expected.map(Math.log), 1e-3);
    for (const mode of ["psd", "real", "imag", "angle"] as const) expect(new STFTSpectrogram({ mode, frameLength: 16, frameStep: 8 })(x).shape).toEqual([1, 4, 9]);
    expect(new STFTSpectrogram({ mode: "stft", frameLength: 16, frameStep: 8 })(x).shape).toEqual([1, 4, 18]);
    const stereo = new STFTSpectrogram({ frameLength: 16, frameStep: 8, expandDims: true });
    expect(stereo(tf.zeros([2, n, 2])).shape).toEqual([2, 4, 9, 2]);
    expect(stereo.computeOutputShape([null, n, 2])).toEqual([null, 4, 9, 2]);
    expect(layer(new KerasTensor([null, 160000, 1])).shape).toEqual([null, 19999, 9]);
    expect(new STFTSpectrogram({ frameLength: 256, frameStep: 128, fftLength: 512 }).computeOutputShape([3, 160000, 1])).toEqual([3, 1249, 257]);
    expect(layer.getConfig()).toMatchObject({ mode: "magnitude", frame_length: 16, frame_step: 8, fft_length: 16, window: "hann", periodic: false, scaling: "density", padding: "valid", data_format: "channels_last", expand_dims: false });
    expectRoundTrip(layer, x);
    expectNoLeaks(layer, () => tf.ones([1, n, 1]));
    x.dispose();
  });
});

describe("MelSpectrogram", () => {
  it("Keras docstring shapes, mel filters, a tone's energy in its band, config", () => {
    const m = layers.MelSpectrogram({ numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048 });
    const y = m(tf.randomUniform([4000]));
    expect(y.shape).toEqual([64, 16]);
    expect(m.computeOutputShape([16000])).toEqual([64, 63]);
    // Keras's docstring prints (2, 80, 125) here, but its compute_output_shape and the centered STFT give 126 frames.
    expect(new MelSpectrogram({ numMelBins: 80, samplingRate: 8000, sequenceStride: 128, fftLength: 2048 }).computeOutputShape([2, 16000])).toEqual([2, 80, 126]);
    y.dispose();
    const layer = new MelSpectrogram({ numMelBins: 16, samplingRate: 8000, sequenceStride: 128, fftLength: 256, powerToDb: false });
    const w = layer.linearToMelWeightMatrix(129);
    for (let j = 0; j < 129 * 16; j++) expect(w[j]).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < 16; j++) expect(w[j]).toBe(0);
    const tone = tf.tensor2d([Array.from({ length: 2048 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 8000))]);
    const spec = layer(tone);
    expect(spec.shape).toEqual([1, 16, 17]);
    const energy = tf.sum(spec, [0, 2]).arraySync() as number[];
    const peak = energy.indexOf(Math.max(...energy));
    // 1000 Hz on the HTK mel scale between 20 and 4000 Hz with 16 bands.
    const mel = (f: number): number => 1127 * Math.log(1 + f / 700);
    const pos = ((mel(1000) - mel(20)) / (mel(4000) - mel(20))) * 17 - 1;
    expect(Math.abs(peak - pos)).toBeLessThanOrEqual(1);
    const db = new MelSpectrogram({ numMelBins: 16, samplingRate: 8000, sequenceStride: 128, fftLength: 256 });
    const d = db(tone);
    const dv = d.dataSync();
    expect(Math.max(...dv) - Math.min(...dv)).toBeLessThanOrEqual(80 + 1e-3);
    expect(db.getConfig()).toMatchObject({ fft_length: 256, sequence_stride: 128, sequence_length: 256, window: "hann", sampling_rate: 8000, num_mel_bins: 16, min_freq: 20, max_freq: 4000, power_to_db: true, top_db: 80, mag_exp: 2, min_power: 1e-10, ref_power: 1 });
    expectRoundTrip(db, tone);
    expectNoLeaks(db, () => tf.ones([1, 512]));
    tf.dispose([tone, spec, d]);
  });
});
