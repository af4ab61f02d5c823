/** keras.utils.padSequences (Keras's `pad_sequences`). */
import { tf, type Tensor } from "../backend/tfjs.js";

/** Options of `padSequences`. */
export interface PadSequencesOptions {
  /** The output length. Default: the longest sequence. */
  maxlen?: number | null;
  /** `"int32"` (default) or `"float32"`. */
  dtype?: "int32" | "float32";
  /** Pad at the start (`"pre"`, default) or the end (`"post"`). */
  padding?: "pre" | "post";
  /** Cut long sequences at the start (`"pre"`, default) or the end (`"post"`). */
  truncating?: "pre" | "post";
  /** The padding value. Default 0. */
  value?: number;
}

/** Pads (or truncates) a list of sequences to one length, giving a 2-D tensor. */
export function padSequences(sequences: readonly (readonly number[])[], options: PadSequencesOptions = {}): Tensor {
  const padding = options.padding ?? "pre";
  const truncating = options.truncating ?? "pre";
  if (padding !== "pre" && padding !== "post") throw new Error(`padding type "${String(padding)}" not understood; use "pre" or "post".`);
  if (truncating !== "pre" && truncating !== "post") throw new Error(`truncating type "${String(truncating)}" not understood; use "pre" or "post".`);
  const maxlen = options.maxlen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  const value = options.value ?? 0;
  const out = new Float64Array(sequences.length * maxlen).fill(value);
  sequences.forEach((seq, i) => {
    const kept = seq.length <= maxlen ? seq : truncating === "pre" ? seq.slice(seq.length - maxlen) : seq.slice(0, maxlen);
    const offset = padding === "post" ? 0 : maxlen - kept.length;
    for (let j = 0; j < kept.length; j++) out[i * maxlen + offset + j] = kept[j];
  });
  const dtype = options.dtype ?? "int32";
  return tf.tensor2d(dtype === "int32" ? Int32Array.from(out) : Float32Array.from(out), [sequences.length, maxlen], dtype);
}
