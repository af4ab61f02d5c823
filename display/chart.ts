/**
 * Charts: Vega-Lite v5 specs, rendered to SVG in Node with `vega-lite` and
 * `vega` (renderer "none": no canvas, no browser), so every chart bundle
 * carries both `application/vnd.vegalite.v5+json` (drawn by JupyterLab, VS
 * Code, nteract) and `image/svg+xml` (for front ends without Vega).
 */
import { VEGALITE_MIME, type VegaLiteSpec } from "../lib/utils/history-plot.js";
import type { MimeBundle } from "./sink.js";

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");

let modules: Promise<[VegaModule, VegaLiteModule]> | null = null;

/** Loads vega and vega-lite once (about half a second the first time). */
function loadVega(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]);
  return modules;
}

/** Starts loading vega in the background, so the first chart of a `fit` is not late. */
export function preloadVega(): void {
  void loadVega().catch(() => undefined);
}

/** Compiles a Vega-Lite spec to a Vega spec; throws with vega-lite's message when the spec is invalid. */
export async function compileVegaLite(spec: VegaLiteSpec): Promise<Record<string, unknown>> {
  const [, vl] = await loadVega();
  return vl.compile(spec as never).spec as unknown as Record<string, unknown>;
}

/** Renders a Vega-Lite spec to SVG text in Node. */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await loadVega();
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The bundle of a chart: the Vega-Lite spec, its SVG rendered in Node, and a
 * text line. When the SVG cannot be rendered the bundle has the spec and the text.
 */
export async function chartBundleWithSvg(spec: VegaLiteSpec, text: string): Promise<MimeBundle> {
  const bundle: MimeBundle = { [VEGALITE_MIME]: spec, "text/plain": text };
  try {
    bundle["image/svg+xml"] = await vegaLiteToSvg(spec);
  } catch (e) {
    bundle["text/plain"] = `${text}\n(chart SVG not rendered: ${(e as Error).message})`;
  }
  return bundle;
}
