/**
 * The display protocol of tskeras objects, without any Jupyter code.
 *
 * Objects that a notebook shows richly (layers and models, tensors,
 * histories, plots) have a `[Symbol.for("Jupyter.display")]()` method, the
 * protocol of Deno's Jupyter kernel, which the tskeras kernel also follows.
 * The method returns a MIME bundle: `{ "text/plain": ..., "text/html": ... }`.
 *
 * `lib` only returns plain-text bundles by itself; the `display/` module
 * fills the renderers below (HTML summary tables, NumPy-style tensor text,
 * PNG images, ...). A renderer returns `null` to fall back to the text.
 */
import { tf } from "../backend/tfjs.js";

/** A MIME bundle: MIME type → data (a string, JSON for `*json` types, or bytes for images). */
export type MimeBundle = Record<string, unknown>;

/** The key of the display method (`Symbol.for("Jupyter.display")`). */
export const JUPYTER_DISPLAY: symbol = Symbol.for("Jupyter.display");

/** Renderers that `display/` fills; `null` means plain text. */
export const displayHooks: {
  /** Bundle of a layer or model (`value` is a `Layer`; models are layers). */
  layer: ((layer: unknown) => MimeBundle | null) | null;
  /** Bundle of a concrete tensor (a tfjs `Tensor`). */
  tensor: ((tensor: tf.Tensor) => MimeBundle | null) | null;
} = { layer: null, tensor: null };

/** The tfjs tensor's own text, used when no renderer is set. */
function tensorText(t: tf.Tensor): string {
  if (t.isDisposed) return `Tensor (disposed) shape=[${t.shape.join(", ")}] dtype=${t.dtype}`;
  return t.toString();
}

// Concrete tensors display through the same protocol. The method is defined
// once, non-enumerable, on tfjs's Tensor prototype (Variables inherit it).
{
  const proto = tf.Tensor.prototype as unknown as Record<symbol, unknown>;
  if (typeof proto[JUPYTER_DISPLAY] !== "function") {
    Object.defineProperty(proto, JUPYTER_DISPLAY, {
      configurable: true,
      enumerable: false,
      writable: true,
      value: function jupyterDisplay(this: tf.Tensor): MimeBundle {
        const own = displayHooks.tensor && !this.isDisposed ? displayHooks.tensor(this) : null;
        return own ?? { "text/plain": tensorText(this) };
      },
    });
  }
}
