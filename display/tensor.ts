/**
 * Tensors in a notebook, the way NumPy prints arrays: a header line with the
 * shape and dtype, then the values (`[[1. 2.]\n [3. 4.]]`), with the middle
 * elided (`...`) for arrays of more than 1000 elements. Small 1-D and 2-D
 * tensors also come as an HTML table, and HxWx1 / HxWx3 / HxWx4 tensors as a
 * PNG image (through `keras.utils.arrayToImg`).
 */
import type { Tensor } from "../lib/backend/tfjs.js";
import { formatShape } from "../lib/backend/keras-tensor.js";
import { arrayToImg } from "../lib/utils/image-utils.js";
import { escapeHtml } from "./summary.js";
import type { MimeBundle } from "./sink.js";

/** NumPy's print options that matter here. */
export interface ArrayFormatOptions {
  /** Arrays with more elements are summarized. NumPy's default 1000. */
  threshold?: number;
  /** Items kept at each end of a summarized axis. NumPy's default 3. */
  edgeItems?: number;
  /** Significant digits of floats. NumPy's default 8. */
  precision?: number;
  /** Line width before wrapping. NumPy's default 75. */
  lineWidth?: number;
}

type Scalar = number | boolean | string;

const f32 = new Float32Array(1);

/** The shortest decimal text that reads back as `x` in float32 (or float64), as NumPy's float32 repr. */
function shortest(x: number, float32: boolean): string {
  if (!float32) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    f32[0] = Number(s);
    if (f32[0] === x) return String(Number(s));
  }
  return String(x);
}

/** Formats the numbers of one float array as NumPy does: uniform style, aligned. */
function floatFormatter(values: number[], precision: number, float32: boolean): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const maxAbs = abs.length ? Math.max(...abs) : 0;
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const scientific = abs.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  const special = (v: number): string | null => (Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : null);
  if (scientific) {
    // d.dddde±XX, mantissa digits uniform across the array.
    let digits = 0;
    for (const v of finite) {
      const [m] = Number(shortest(v, float32)).toExponential().split("e");
      const frac = m.split(".")[1] ?? "";
      digits = Math.max(digits, Math.min(precision, frac.length));
    }
    const fmt = (v: number): string => {
      const sp = special(v);
      if (sp) return sp;
      const [m, e] = v.toExponential(digits).split("e");
      const exp = Number(e);
      return `${digits === 0 ? `${m}.` : m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    };
    const width = Math.max(...values.map((v) => fmt(v).length));
    return (v) => fmt(v).padStart(width);
  }
  // Fixed notation: integral part, a point, then as many fraction digits as the longest needs (at most `precision`).
  const parts = values.map((v) => {
    const sp = special(v);
    if (sp) return { int: sp, frac: null as string | null };
    let s = shortest(Number(v.toFixed(precision)), float32);
    if (s.includes("e")) s = v.toFixed(precision).replace(/0+$/, "");
    const [i, f = ""] = s.split(".");
    return { int: i === "-0" || Object.is(v, -0) ? "-0" : i, frac: f };
  });
  const intWidth = Math.max(0, ...parts.filter((p) => p.frac !== null).map((p) => p.int.length));
  const fracWidth = Math.max(0, ...parts.map((p) => (p.frac === null ? 0 : p.frac.length)));
  const map = new Map<number, string>();
  values.forEach((v, i) => {
    const p = parts[i];
    const text = p.frac === null ? p.int.padStart(intWidth + 1 + fracWidth) : `${p.int.padStart(intWidth)}.${p.frac.padEnd(fracWidth)}`;
    map.set(v, text);
  });
  return (v) => map.get(v) ?? String(v);
}

/** The formatter of one array's elements, by dtype: all elements get the same width. */
function formatter(values: Scalar[], dtype: string, precision: number): (v: Scalar) => string {
  if (dtype === "bool") {
    const width = values.some((v) => v === false || v === 0) ? 5 : 4;
    return (v) => (v === true || v === 1 ? "True" : "False").padStart(width);
  }
  if (dtype === "string") {
    const texts = values.map((v) => `'${String(v)}'`);
    const width = Math.max(0, ...texts.map((t) => t.length));
    return (v) => `'${String(v)}'`.padStart(width);
  }
  if (dtype === "int32" || dtype === "int64" || dtype === "uint8" || dtype === "int16" || dtype === "int8") {
    const width = Math.max(1, ...values.map((v) => String(v).length));
    return (v) => String(v).padStart(width);
  }
  if (dtype === "complex64") return (v) => String(v);
  const f = floatFormatter(values as number[], precision, dtype === "float32" || dtype === "float16");
  return (v) => f(Number(v));
}

/**
 * The values of an array as NumPy's `str(array)` writes them: nested
 * brackets, one row per line, blank lines between blocks of rank-3 and more,
 * `...` in the middle of long axes when the array has more than `threshold`
 * elements.
 */
export function formatArrayValues(data: ArrayLike<Scalar>, shape: readonly number[], dtype: string, options: ArrayFormatOptions = {}): string {
  const threshold = options.threshold ?? 1000;
  const edge = options.edgeItems ?? 3;
  const precision = options.precision ?? 8;
  const lineWidth = options.lineWidth ?? 75;
  const size = shape.reduce((a, b) => a * b, 1);
  const summarize = size > threshold;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  const kept = (n: number): (number | null)[] =>
    summarize && n > 2 * edge ? [...Array.from({ length: edge }, (_, i) => i), null, ...Array.from({ length: edge }, (_, i) => n - edge + i)] : Array.from({ length: n }, (_, i) => i);
  // Collect the shown values first: the format depends on all of them.
  const shown: Scalar[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(data[offset]);
      return;
    }
    for (const i of kept(shape[axis])) if (i !== null) collect(axis + 1, offset + i * strides[axis]);
  };
  if (shape.length === 0) return formatter([data[0]], dtype, precision)(data[0]).trim();
  collect(0, 0);
  const fmt = formatter(shown, dtype, precision);
  const render = (axis: number, offset: number, indent: string): string => {
    const idx = kept(shape[axis]);
    if (axis === shape.length - 1) {
      const items = idx.map((i) => (i === null ? "..." : fmt(data[offset + i * strides[axis]])));
      // Wrap the row at the line width, continuation lines aligned after the bracket.
      const lines: string[] = [];
      let line = "";
      for (const item of items) {
        const candidate = line ? `${line} ${item}` : item;
        if (line && indent.length + 1 + candidate.length + 1 > lineWidth) {
          lines.push(line);
          line = item;
        } else line = candidate;
      }
      lines.push(line);
      return `[${lines.join(`\n${indent} `)}]`;
    }
    const blank = "\n".repeat(Math.max(1, shape.length - axis - 1));
    const parts = idx.map((i) => (i === null ? "..." : render(axis + 1, offset + i * strides[axis], indent + " ")));
    return `[${parts.join(`${blank}${indent} `)}]`;
  };
  if (shape.some((d) => d === 0)) return `[]`;
  return render(0, 0, "");
}

/** The text of a tensor: `Tensor shape=(2, 3) dtype=float32` and NumPy's rendering of the values. */
export function tensorText(t: Tensor, options: ArrayFormatOptions = {}): string {
  const header = `Tensor shape=${formatShape(t.shape)} dtype=${t.dtype}`;
  if (t.isDisposed) return `${header} (disposed)`;
  const data = t.dataSync() as unknown as ArrayLike<Scalar>;
  return `${header}\n${formatArrayValues(data, t.shape, t.dtype, options)}`;
}

/** The HTML table of a small 1-D or 2-D tensor (row and column indices as headers). */
export function tensorHtml(t: Tensor, options: ArrayFormatOptions = {}): string {
  const data = Array.from(t.dataSync() as unknown as ArrayLike<Scalar>);
  const rows: number = t.rank === 1 ? 1 : t.shape[0];
  const cols: number = (t.rank === 1 ? t.shape[0] : t.shape[1]) ?? 0;
  const fmt = formatter(data, t.dtype, options.precision ?? 8);
  const th = "padding:2px 8px;color:#666;font-weight:normal;text-align:right;border-bottom:1px solid #ccc";
  const td = "padding:2px 8px;text-align:right";
  const head = `<tr><th style="${th}"></th>${Array.from({ length: cols }, (_, j) => `<th style="${th}">${j}</th>`).join("")}</tr>`;
  const body = Array.from({ length: rows }, (_, i) => {
    const cells = Array.from({ length: cols }, (_, j) => `<td style="${td}">${escapeHtml(fmt(data[i * cols + j]).trim())}</td>`).join("");
    return `<tr><th style="${th};border-bottom:none">${t.rank === 1 ? "" : i}</th>${cells}</tr>`;
  }).join("");
  return (
    `<div class="tskeras-tensor"><div style="font-size:12px;color:#555;margin-bottom:2px">Tensor shape=${escapeHtml(formatShape(t.shape))} dtype=${t.dtype}</div>` +
    `<table style="border-collapse:collapse;font-family:var(--jp-code-font-family,monospace);font-size:12px">${head}${body}</table></div>`
  );
}

/** Whether a tensor looks like one image: HxWx1, HxWx3 or HxWx4, at least 8 pixels a side. */
export function isImageTensor(t: Tensor): boolean {
  if (t.rank !== 3 || t.dtype === "string" || t.dtype === "complex64") return false;
  const [h, w, c] = t.shape;
  return (c === 1 || c === 3 || c === 4) && h >= 8 && w >= 8 && h <= 8192 && w <= 8192;
}

/**
 * The bundle of a tensor: NumPy-style text, plus an HTML table for small
 * 1-D (≤ 64 values) and 2-D (≤ 32×16) tensors, plus a PNG for image tensors.
 */
export function tensorBundle(t: Tensor, options: ArrayFormatOptions = {}): MimeBundle {
  const bundle: MimeBundle = { "text/plain": tensorText(t, options) };
  if (t.isDisposed) return bundle;
  const [d0 = 0, d1 = 0] = t.shape;
  if ((t.rank === 1 && d0 > 0 && d0 <= 64) || (t.rank === 2 && d0 > 0 && d1 > 0 && d0 <= 32 && d1 <= 16)) {
    if (t.dtype !== "complex64") bundle["text/html"] = tensorHtml(t, options);
  }
  if (isImageTensor(t)) {
    const img = arrayToImg(t, { dataFormat: "channels_last" });
    bundle["image/png"] = Buffer.from(img.toPng()).toString("base64");
  }
  return bundle;
}
