/**
 * The renderer of `keras.utils.plotModel`: Graphviz DOT → SVG with
 * `@viz-js/viz` (Graphviz compiled to wasm), SVG → PNG with
 * `@resvg/resvg-wasm`, and the files `toFile` asks for (`.svg`, `.png`,
 * `.dot`/`.gv`). Both wasm modules ship in their npm packages: no download,
 * no system Graphviz.
 *
 * The wasm modules load when this module is imported (top-level await, about
 * 0.2 s), so `plotModel` stays synchronous as in Keras.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { instance as vizInstance, type Viz } from "@viz-js/viz";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { plotModelHooks, type ModelPlot, type ModelPlotRenderer } from "../lib/utils/model-visualization.js";
import type { MimeBundle } from "./sink.js";

const require = createRequire(import.meta.url);

let resvgError = "";

async function loadResvg(): Promise<boolean> {
  try {
    await initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
    return true;
  } catch (e) {
    resvgError = String((e as Error)?.message ?? e);
    // Already initialised (a second copy of this module) is fine.
    return /already/i.test(resvgError);
  }
}

const [viz, resvgReady]: [Viz, boolean] = await Promise.all([vizInstance(), loadResvg()]);

/** Renders DOT text to SVG with Graphviz. Throws with Graphviz's messages when the DOT is invalid. */
export function dotToSvg(dot: string): string {
  const result = viz.render(dot, { format: "svg" });
  if (result.status !== "success") {
    throw new Error(`Graphviz could not render the graph: ${result.errors.map((e) => e.message).join("; ")}`);
  }
  return result.output;
}

/** The size Graphviz gave the SVG, in points (`width="974pt"`). */
export function svgSizePt(svg: string): { width: number; height: number } | null {
  const m = /<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/**
 * The SVG at screen size: Graphviz scales the drawing by `dpi / 72`
 * (2.78× at Keras's dpi=200); notebooks show it at its natural size instead.
 */
export function screenSvg(svg: string, dpi: number): string {
  const size = svgSizePt(svg);
  if (!size || !(dpi > 0) || dpi === 72) return svg;
  const k = 72 / dpi;
  return svg.replace(
    /(<svg[^>]*?\bwidth=")[\d.]+pt("[^>]*?\bheight=")[\d.]+pt"/,
    `$1${(size.width * k).toFixed(2)}pt$2${(size.height * k).toFixed(2)}pt"`,
  );
}

let fontCache: Uint8Array[] | null = null;

/** Font files for the PNG rasterizer: Liberation Sans (Helvetica's metrics), else DejaVu Sans, else any TrueType font found. */
function fonts(): Uint8Array[] {
  if (fontCache) return fontCache;
  const dirs = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts", "C:\\Windows\\Fonts"];
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !existsSync(dir)) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (/\.(ttf|otf)$/i.test(e.name)) found.push(p);
    }
  };
  for (const d of dirs) walk(d, 0);
  const pick = (re: RegExp): string[] => found.filter((f) => re.test(f.split(/[\\/]/).pop() ?? ""));
  let chosen = pick(/^LiberationSans-(Regular|Bold)\.ttf$/);
  if (chosen.length === 0) chosen = pick(/^DejaVuSans(-Bold)?\.ttf$/);
  if (chosen.length === 0) chosen = pick(/^(Arial|Helvetica)/i);
  if (chosen.length === 0) chosen = found.slice(0, 4);
  fontCache = chosen.map((f) => readFileSync(f));
  return fontCache;
}

/**
 * Rasterizes an SVG to PNG with resvg (wasm). `widthPx` is the width of the
 * image in pixels (default: the SVG's own size). Text needs a system font
 * (any TrueType font under /usr/share/fonts; Liberation Sans is preferred).
 */
export function svgToPng(svg: string, widthPx?: number): Uint8Array {
  if (!resvgReady) throw new Error(`PNG output needs @resvg/resvg-wasm, which could not be loaded (${resvgError}); write .svg or .dot instead.`);
  const fontBuffers = fonts();
  const family = fontBuffers.length ? undefined : "sans-serif";
  const r = new Resvg(svg, {
    background: "white",
    fitTo: widthPx ? { mode: "width", value: Math.max(1, Math.round(widthPx)) } : { mode: "original" },
    font: {
      fontBuffers,
      loadSystemFonts: false,
      defaultFontFamily: family ?? (fontBuffers.length ? "Liberation Sans" : "sans-serif"),
      sansSerifFamily: "Liberation Sans",
    },
  });
  const image = r.render();
  const png = image.asPng();
  image.free();
  r.free();
  return png;
}

/** Writes `data` to `path` through a temporary file, so a failed write leaves an existing file intact. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** The renderer installed in `plotModelHooks`. */
export const modelPlotRenderer: ModelPlotRenderer = {
  renderSvg: dotToSvg,
  writeFile(path: string, format: string, plot: { dot: string; svg: string; dpi: number }): void {
    switch (format) {
      case "svg":
        writeAtomic(path, plot.svg);
        return;
      case "dot":
      case "gv":
        writeAtomic(path, plot.dot + "\n");
        return;
      case "png": {
        // Graphviz already scaled the SVG to `dpi`: its size in points is the PNG's size in pixels.
        const size = svgSizePt(plot.svg);
        writeAtomic(path, svgToPng(plot.svg, size?.width));
        return;
      }
      default:
        throw new Error(`plotModel cannot write '.${format}' files (${path}): use .svg, .png or .dot.`);
    }
  },
  bundle(plot: ModelPlot): MimeBundle {
    const dpi = Number(/^dpi=([\d.]+);$/m.exec(plot.dot)?.[1] ?? 72);
    return { "image/svg+xml": screenSvg(plot.svg, dpi), "text/plain": plot.toString() };
  },
};

/** Installs the plotModel renderer (done when `display/` is imported). */
export function installPlotModelRenderer(): void {
  plotModelHooks.renderer = modelPlotRenderer;
}
