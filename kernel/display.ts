/**
 * The display protocol: turning values into Jupyter MIME bundles.
 *
 * A value with a `[Symbol.for("Jupyter.display")]()` method (the protocol of
 * Deno's kernel, which tskeras objects implement) returns its own bundle;
 * anything else is shown as `util.inspect` text without colours.
 */
import { inspect } from "node:util";

/** A Jupyter MIME bundle: MIME type → data (strings, or JSON for `application/json`-like types). */
export type MimeBundle = { [mime: string]: unknown };

/** The symbol of the display method. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** An object that displays itself. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** True when `value` has a display method. */
export function isDisplayable(value: unknown): value is Displayable {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}

/** Plain text of a value, as the Node REPL prints it but without colours. */
export function plainText(value: unknown): string {
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 100_000 });
}

/** Normalizes a bundle: binary data becomes base64, and text/plain is always there. */
export function normalizeBundle(bundle: MimeBundle, fallback: () => string): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, data] of Object.entries(bundle)) {
    if (data === undefined) continue;
    if (data instanceof Uint8Array) out[mime] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
    else if (typeof data === "string" || /json$/.test(mime)) out[mime] = data;
    else out[mime] = String(data);
  }
  if (!("text/plain" in out)) out["text/plain"] = fallback();
  return out;
}

/**
 * The bundle of `value`: its own when it is displayable (the method may be
 * async), else its inspected text.
 */
export function toMimeBundle(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (isDisplayable(value)) {
    let own: MimeBundle | Promise<MimeBundle>;
    try {
      own = value[JUPYTER_DISPLAY]();
    } catch (e) {
      return { "text/plain": plainText(value) + `\n(display failed: ${(e as Error).message})` };
    }
    const fallback = (): string => plainText(value);
    if (own && typeof (own as Promise<MimeBundle>).then === "function") {
      return (own as Promise<MimeBundle>).then(
        (b) => normalizeBundle(b ?? {}, fallback),
        (e: unknown) => ({ "text/plain": fallback() + `\n(display failed: ${(e as Error).message})` }),
      );
    }
    return normalizeBundle((own as MimeBundle) ?? {}, fallback);
  }
  return { "text/plain": plainText(value) };
}

/** The text a terminal shows for a bundle: text/plain. */
export function bundleText(bundle: MimeBundle): string {
  const t = bundle["text/plain"];
  return typeof t === "string" ? t : JSON.stringify(t);
}
