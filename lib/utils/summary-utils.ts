/**
 * `model.summary()`: Keras's summary table (`keras/src/utils/summary_utils.py`),
 * as the exact plain text Keras prints (what `print_fn` receives, no colours)
 * and as structured rows for other renderers (HTML in notebooks).
 *
 * Layout rules, as Keras 3:
 * - Sequential, subclassed models, and Functional models whose graph is a
 *   plain chain (every depth has one node with at most one input tensor and no
 *   layer is used twice) get 3 columns `Layer (type) | Output Shape | Param #`
 *   (default width 88, positions `[0.45, 0.80, 1.0]`); other Functional models
 *   get a 4th column `Connected to` (default width 108, positions
 *   `[0.3, 0.56, 0.74, 1.0]`).
 * - `showTrainable` adds a centered `Trainable` column and 12 to the default
 *   width, and scales the positions by 0.9.
 * - The default width is `min(default, terminalColumns - 4)`, where the
 *   terminal width is `$COLUMNS`, else the TTY's width, else 80 (Python's
 *   `shutil.get_terminal_size`): 76 when stdout is not a terminal.
 * - The table is drawn as the `rich` library draws `Table(width=L,
 *   show_lines=True)` (see ./summary-table.ts).
 */
import type { KerasTensor } from "../backend/keras-tensor.js";
import type { Node } from "../ops/node.js";
import type { Operation } from "../ops/operation.js";
import { Layer } from "../layers/layer.js";
import { renderTable, computeColumnWidths, type Justify, type TableColumn } from "./summary-table.js";
import { isInteractiveLoggingEnabled, printMsg } from "./io-utils.js";

/** Options of `model.summary()` (Keras's `summary(line_length, positions, print_fn, expand_nested, show_trainable, layer_range)`). */
export interface SummaryOptions {
  /** Total width of the table in characters. Default: 88 (3 columns) or 108 (with `Connected to`), at most the terminal width minus 4. */
  lineLength?: number;
  /** Right edges of the columns as fractions of `lineLength`. Default `[0.45, 0.80, 1.0]` or `[0.3, 0.56, 0.74, 1.0]`. */
  positions?: number[];
  /** Receives the whole summary text (ending with a newline) once, as Keras's `print_fn`. Default: write it to stdout. */
  printFn?: (line: string) => void;
  /** Also list the layers of nested models, indented with `└`. Default false. */
  expandNested?: boolean;
  /** Add a `Trainable` column (Y / N / - for layers without weights). Default false. */
  showTrainable?: boolean;
  /** `[first, last]` layer names (regular expressions matched at the start of the name, both inclusive) to list. */
  layerRange?: [string, string];
}

/** One row of the summary table. */
export interface SummaryRow {
  /** The layer's (or op's) name. */
  name: string;
  /** Its class name, e.g. `"Dense"`. */
  className: string;
  /** The text of the `Layer (type)` cell: indentation prefix, name and `(ClassName)`. */
  label: string;
  /** The output shape text, e.g. `"(None, 10)"`, or `"?"` when unknown. */
  outputShape: string;
  /** The parameter count; `null` for a layer that is not built. */
  params: number | null;
  /** The text of the `Param #` cell: `"1,234"`, or `"0 (unbuilt)"`. */
  paramsText: string;
  /** The inbound connections, e.g. `["concat[0][0]", "hidden[0][0]"]` (empty for none); `null` without a `Connected to` column. */
  connectedTo: string[] | null;
  /** Whether the layer is trainable: `"Y"`, `"N"`, or `"-"` for layers without weights; `null` without a `Trainable` column. */
  trainable: "Y" | "N" | "-" | null;
  /** Nesting level: 0 for the model's own layers, 1 for layers of a nested model listed with `expandNested`, ... */
  depth: number;
  /** The cell texts, in column order, as printed. */
  cells: string[];
}

/** A totals line: parameter count and memory size. */
export interface SummaryTotal {
  /** Label as printed, e.g. `"Total params"`. */
  label: string;
  /** Number of scalars. */
  count: number;
  /** Memory size in bytes (sum over distinct variables of size × dtype bits / 8). */
  bytes: number;
  /** The size as Keras prints it, e.g. `"198.79 KB"`. */
  sizeText: string;
  /** The whole line as printed, e.g. `" Total params: 154 (616.00 B)"`. */
  text: string;
}

/** A summary column: header, justification, and widths. */
export interface SummaryColumn extends TableColumn {
  /** The rendered width in characters, padding included, borders excluded. */
  renderedWidth: number;
}

/** Everything `summaryText` prints, in structured form. */
export interface SummaryData {
  /** The model's name. */
  modelName: string;
  /** The title line, `Model: "name"`. */
  title: string;
  /** Whether the sequential (3-column) layout was used. */
  sequentialLike: boolean;
  /** Table width used. */
  lineLength: number;
  /** The columns. */
  columns: SummaryColumn[];
  /** The rows, in table order. */
  rows: SummaryRow[];
  /** The totals lines. `optimizer` is present only when the model has a built optimizer. */
  totals: {
    total: SummaryTotal;
    trainable: SummaryTotal;
    nonTrainable: SummaryTotal;
    optimizer?: SummaryTotal;
  };
}

/** A weight as the totals read it: element count and dtype. */
interface WeightLike {
  readonly dtype: string;
  readonly size?: number;
  readonly shape?: readonly number[];
}

/** What the summary reads from a model. `Model`, `Sequential` and `Functional` all fit. */
export interface SummarizableModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly trainableWeights: readonly WeightLike[];
  readonly nonTrainableWeights: readonly WeightLike[];
}

/** Bits per element of each dtype (Keras's `dtype_utils.DTYPE_TO_SIZE`). */
const DTYPE_BITS: Record<string, number> = {
  float16: 16,
  float32: 32,
  float64: 64,
  bfloat16: 16,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
  bool: 1,
  complex64: 64,
  complex128: 128,
};

function weightCount(w: WeightLike): number {
  if (typeof w.size === "number") return w.size;
  return (w.shape ?? []).reduce((a, b) => a * b, 1);
}

/** Number of scalars in `weights` (not deduplicated, as Keras's `count_params`). */
export function countParams(weights: readonly WeightLike[]): number {
  return weights.reduce((n, w) => n + weightCount(w), 0);
}

/** Memory of the distinct `weights` in bytes (Keras's `weight_memory_size`; may be fractional for bool). */
export function weightMemorySize(weights: readonly WeightLike[]): number {
  let bits = 0;
  for (const w of new Set(weights)) {
    const perParam = DTYPE_BITS[w.dtype];
    if (perParam === undefined) throw new Error(`Invalid dtype: ${w.dtype}`);
    bits += weightCount(w) * perParam;
  }
  return bits / 8;
}

/**
 * Formats `x` with 2 decimals as Python's `"{:.2f}"`: exact decimal value of
 * the double, ties to even (JS's `toFixed` rounds ties up).
 */
export function formatFixed2(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  if (abs >= 1e21) return (negative ? "-" : "") + abs.toFixed(2);
  const exact = abs.toFixed(100); // exact expansion of the double (at most ~1074 digits; 100 covers ties)
  const [intPart, frac] = exact.split(".");
  let scaled = BigInt(intPart) * 100n + BigInt(frac.slice(0, 2));
  const rest = frac.slice(2);
  const first = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1);
  if (first > 5 || (first === 5 && /[1-9]/.test(tail))) scaled += 1n;
  else if (first === 5 && scaled % 2n === 1n) scaled += 1n;
  const s = scaled.toString().padStart(3, "0");
  const out = `${s.slice(0, -2)}.${s.slice(-2)}`;
  return (negative ? "-" : "") + out;
}

/** A memory size as Keras prints it: `"616.00 B"`, `"198.79 KB"` (base 1024, units B to PB). */
export function readableMemorySize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${formatFixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${formatFixed2(size)} ${units[units.length - 1]}`;
}

/** An integer with thousands separators, as Python's `f"{n:,}"`. */
export function formatCount(n: number): string {
  const neg = n < 0;
  const digits = String(Math.abs(Math.trunc(n)));
  return (neg ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A shape as Keras's summary writes it: `(None, 10)`; note `(None)` for one dimension. */
function summaryShape(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? "None" : String(d))).join(", ")})`;
}

function isShape(x: unknown): x is (number | null)[] {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
}

/** Python's `str()` of a structure of shape texts, quotes removed. */
function structureText(x: unknown): string {
  if (typeof x === "string") return x;
  if (isShape(x)) return summaryShape(x);
  if (Array.isArray(x)) return `[${x.map(structureText).join(", ")}]`;
  if (x !== null && typeof x === "object") {
    return `{${Object.entries(x as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${structureText(v)}`)
      .join(", ")}}`;
  }
  return String(x);
}

function countShapes(x: unknown): number {
  if (isShape(x)) return 1;
  if (Array.isArray(x)) return x.reduce((n: number, v) => n + countShapes(v), 0);
  if (x !== null && typeof x === "object") return Object.values(x as Record<string, unknown>).reduce((n: number, v) => n + countShapes(v), 0);
  return 0;
}

function firstShape(x: unknown): (number | null)[] | null {
  if (isShape(x)) return x;
  const values = Array.isArray(x) ? x : x !== null && typeof x === "object" ? Object.values(x as Record<string, unknown>) : [];
  for (const v of values) {
    const s = firstShape(v);
    if (s) return s;
  }
  return null;
}

/**
 * The `Output Shape` cell of a layer (Keras's `format_layer_shape`): the
 * outputs of its last call on symbolic tensors, else the output shape
 * computed from the shape it was built with, else `"?"`.
 */
export function formatLayerShape(op: Operation): string {
  const nodes = op.inboundNodes;
  const buildConfig = op instanceof Layer ? op.getBuildConfig() : null;
  if (nodes.length === 0 && buildConfig === null) return "?";
  if (nodes.length > 0) {
    const outputs: KerasTensor[] = nodes[nodes.length - 1].outputTensors;
    const texts = outputs.map((t) => summaryShape(t.shape));
    if (texts.length === 1) return texts[0];
    return `[${texts.join(", ")}]`;
  }
  try {
    const out = (op as Layer).computeOutputShape(buildConfig?.input_shape);
    // The base Layer answers a sentinel symbol when a subclass does not implement it (Keras raises NotImplementedError).
    if (typeof out === "symbol" || out === undefined || out === null) return "?";
    if (countShapes(out) === 1) return summaryShape(firstShape(out) as (number | null)[]);
    return structureText(out);
  } catch {
    return "?";
  }
}

/** The nested-model layers of `op` when it has any (`hasattr(layer, "layers") and layer.layers`). */
function nestedLayers(op: Operation): readonly Layer[] {
  if (!(op instanceof Layer) || !("layers" in op)) return [];
  const layers: unknown = (op as unknown as { layers: unknown }).layers;
  return Array.isArray(layers) ? (layers as Layer[]) : [];
}

interface FunctionalLike {
  readonly graphOperations: Operation[];
  readonly graphNodesByDepth: Map<number, Node[]>;
  readonly layers: readonly Layer[];
}

function isSequentialModel(model: object): boolean {
  return "allLayers" in model;
}

function asFunctional(model: object): FunctionalLike | null {
  return "graphNodesByDepth" in model && "graphOperations" in model ? (model as unknown as FunctionalLike) : null;
}

/** The terminal width as Python's `shutil.get_terminal_size().columns`: `$COLUMNS`, the TTY width, else 80. */
function terminalColumns(): number {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; stdout?: { isTTY?: boolean; columns?: number } } }).process;
  const env = proc?.env?.COLUMNS;
  if (env !== undefined) {
    const n = Number.parseInt(env, 10);
    if (Number.isFinite(n) && n > 0) return n;
  }
  const stdout = proc?.stdout;
  if (stdout?.isTTY && typeof stdout.columns === "number" && stdout.columns > 0) return stdout.columns;
  return 80;
}

/** Keras's `get_layer_index_bound_by_layer_name`: `[start, end)` of the layers in `layerRange`. */
function layerIndexBounds(layers: readonly Operation[], layerRange?: readonly [string, string]): [number, number] {
  if (layerRange === undefined || layerRange === null) return [0, layers.length];
  if (!Array.isArray(layerRange) || layerRange.length !== 2) {
    const len = Array.isArray(layerRange) ? (layerRange as unknown[]).length : "?";
    throw new Error(
      `layer_range must be a list or tuple of length 2. Received: layer_range = ${JSON.stringify(layerRange)} of length ${len}`,
    );
  }
  if (typeof layerRange[0] !== "string" || typeof layerRange[1] !== "string") {
    throw new Error(`layer_range should contain string type only. Received: ${JSON.stringify(layerRange)}`);
  }
  const matcher = (p: string): RegExp => new RegExp(`^(?:${p})`);
  const lowerRe = matcher(layerRange[0]);
  const upperRe = matcher(layerRange[1]);
  const lower = layers.flatMap((l, i) => (lowerRe.test(l.name) ? [i] : []));
  const upper = layers.flatMap((l, i) => (upperRe.test(l.name) ? [i] : []));
  if (lower.length === 0 || upper.length === 0) {
    throw new Error(
      `Passed layer_names do not match the layer names in the model. Received: ${JSON.stringify(layerRange)}`,
    );
  }
  if (Math.min(...lower) > Math.max(...upper)) return [Math.min(...upper), Math.max(...lower) + 1];
  return [Math.min(...lower), Math.max(...upper) + 1];
}

/** Whether a Functional graph is a plain chain (Keras's sequential-like test). */
function functionalIsSequentialLike(f: FunctionalLike): boolean {
  const nodes = new Set<Node>();
  for (const v of f.graphNodesByDepth.values()) {
    if (v.length > 1 || (v.length === 1 && v[0].inputTensors.length > 1)) return false;
    for (const n of v) nodes.add(n);
  }
  // A layer with two nodes in the graph is shared.
  for (const layer of f.layers) {
    let count = 0;
    for (const node of layer.inboundNodes) if (nodes.has(node)) count++;
    if (count > 1) return false;
  }
  return true;
}

/** The optimizer's variables when the model is compiled with a built optimizer. */
function optimizerVariables(model: object): readonly WeightLike[] | null {
  const m = model as { compiled?: unknown; optimizer?: unknown };
  if (m.compiled === false) return null;
  const opt = m.optimizer;
  if (opt === null || typeof opt !== "object") return null;
  const o = opt as { built?: unknown; variables?: unknown };
  const vars = o.variables;
  if (!Array.isArray(vars)) return null;
  const built = typeof o.built === "boolean" ? o.built : vars.length > 0;
  if (!built) return null;
  return vars.filter(
    (v): v is WeightLike => v !== null && typeof v === "object" && typeof (v as WeightLike).dtype === "string",
  );
}

function total(label: string, count: number, bytes: number): SummaryTotal {
  const sizeText = readableMemorySize(bytes);
  return { label, count, bytes, sizeText, text: ` ${label}: ${formatCount(count)} (${sizeText})` };
}

/**
 * The summary of `model` in structured form: title, columns (with the widths
 * they render at), one row per listed layer (nested layers too with
 * `expandNested`), and the totals. `summaryText` renders exactly this.
 */
export function summaryRows(model: SummarizableModel, options: SummaryOptions = {}): SummaryData {
  const functional = isSequentialModel(model) ? null : asFunctional(model);
  let sequentialLike = true;
  let ops: readonly Operation[] = model.layers;
  if (functional) {
    ops = functional.graphOperations;
    sequentialLike = functionalIsSequentialLike(functional);
  }

  let defaultLineLength: number;
  let positions: number[];
  const headers: string[] = ["Layer (type)", "Output Shape", "Param #"];
  const justify: Justify[] = ["left", "left", "right"];
  let relevantNodes: Set<Node> | null = null;
  if (sequentialLike) {
    defaultLineLength = 88;
    positions = options.positions && options.positions.length ? [...options.positions] : [0.45, 0.8, 1.0];
  } else {
    defaultLineLength = 108;
    positions = options.positions && options.positions.length ? [...options.positions] : [0.3, 0.56, 0.74, 1.0];
    headers.push("Connected to");
    justify.push("left");
    relevantNodes = new Set<Node>();
    for (const v of (functional as FunctionalLike).graphNodesByDepth.values()) for (const n of v) relevantNodes.add(n);
  }
  const showTrainable = options.showTrainable ?? false;
  if (showTrainable) {
    defaultLineLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1.0];
    headers.push("Trainable");
    justify.push("center");
  }
  defaultLineLength = Math.min(defaultLineLength, terminalColumns() - 4);
  const lineLength = options.lineLength || defaultLineLength;

  const widths: number[] = [];
  let current = 0;
  for (const pos of positions) {
    const width = Math.trunc(pos * lineLength) - current;
    if (width < 4) throw new Error("Insufficient console width to print summary.");
    widths.push(width);
    current += width;
  }
  const tableColumns: TableColumn[] = headers.map((header, i) => ({ header, justify: justify[i] ?? "left", width: widths[i] }));
  const rendered = computeColumnWidths(tableColumns, lineLength);
  const columns: SummaryColumn[] = tableColumns.map((c, i) => ({ ...c, renderedWidth: rendered[i] }));

  const connections = (op: Operation): string[] => {
    const out: string[] = [];
    for (const node of op.inboundNodes) {
      if (relevantNodes && relevantNodes.size && !relevantNodes.has(node)) continue;
      for (const kt of node.inputTensors) {
        const h = kt.kerasHistory;
        if (!h) continue;
        out.push(`${h.operation.name}[${h.nodeIndex}][${h.tensorIndex}]`);
      }
    }
    return out;
  };

  const layerRow = (op: Operation, depth: number): SummaryRow => {
    const prefix = depth ? `${"   ".repeat(depth)}└ ` : "";
    const label = `${prefix}${op.name} (${op.className})`;
    const outputShape = formatLayerShape(op);
    let params: number | null;
    let paramsText: string;
    if (!(op instanceof Layer)) {
      params = 0;
      paramsText = "0";
    } else if (!op.built) {
      params = null;
      paramsText = "0 (unbuilt)";
    } else {
      params = op.countParams();
      paramsText = formatCount(params);
    }
    const cells = [label, outputShape, paramsText];
    let connectedTo: string[] | null = null;
    if (!sequentialLike) {
      connectedTo = connections(op);
      cells.push(connectedTo.length ? connectedTo.join(", ") : "-");
    }
    let trainable: SummaryRow["trainable"] = null;
    if (showTrainable) {
      trainable = op instanceof Layer && op.weights.length > 0 ? (op.trainable ? "Y" : "N") : "-";
      cells.push(trainable);
    }
    return { name: op.name, className: op.className, label, outputShape, params, paramsText, connectedTo, trainable, depth, cells };
  };

  const rowsOf = (op: Operation, depth: number): SummaryRow[] => {
    const rows = [layerRow(op, depth)];
    if (options.expandNested) {
      for (const inner of nestedLayers(op)) rows.push(...rowsOf(inner, depth + 1));
    }
    return rows;
  };

  const [start, end] = layerIndexBounds(ops, options.layerRange);
  const rows: SummaryRow[] = [];
  for (const op of ops.slice(start, end)) rows.push(...rowsOf(op, 0));

  const collected = (model as { collectedTrainableWeights?: unknown }).collectedTrainableWeights;
  const trainableWeights = Array.isArray(collected) ? (collected as WeightLike[]) : model.trainableWeights;
  const trainableCount = countParams(trainableWeights);
  const trainableBytes = weightMemorySize(trainableWeights);
  const nonTrainableCount = countParams(model.nonTrainableWeights);
  const nonTrainableBytes = weightMemorySize(model.nonTrainableWeights);
  const optVars = optimizerVariables(model);
  const optCount = optVars ? countParams(optVars) : 0;
  const optBytes = optVars ? weightMemorySize(optVars) : 0;

  const totals: SummaryData["totals"] = {
    total: total("Total params", trainableCount + nonTrainableCount + optCount, trainableBytes + nonTrainableBytes + optBytes),
    trainable: total("Trainable params", trainableCount, trainableBytes),
    nonTrainable: total("Non-trainable params", nonTrainableCount, nonTrainableBytes),
  };
  if (optVars) totals.optimizer = total("Optimizer params", optCount, optBytes);

  return {
    modelName: model.name,
    title: `Model: "${model.name}"`,
    sequentialLike,
    lineLength,
    columns,
    rows,
    totals,
  };
}

/** Renders structured summary data as Keras's plain text (ends with a newline). */
export function renderSummary(data: SummaryData): string {
  const lines = [data.title];
  lines.push(...renderTable(data.columns, data.rows.map((r) => r.cells), data.lineLength));
  lines.push(data.totals.total.text, data.totals.trainable.text, data.totals.nonTrainable.text);
  if (data.totals.optimizer) lines.push(data.totals.optimizer.text);
  return lines.join("\n") + "\n";
}

/**
 * The summary text exactly as Keras prints it with `print_fn` (no colours):
 * title line, table, totals lines; it ends with a newline.
 */
export function summaryText(model: SummarizableModel, options: SummaryOptions = {}): string {
  return renderSummary(summaryRows(model, options));
}

/**
 * Set by a notebook front end (`display/`): when set, `model.summary()`
 * without `printFn` calls it instead of writing the text to stdout (a
 * notebook shows an HTML table plus the text).
 */
export const summaryDisplayHook: {
  render: ((model: SummarizableModel, options: SummaryOptions) => void) | null;
} = { render: null };

/**
 * Prints the summary: to `options.printFn` (called once with the whole text,
 * as Keras calls `print_fn`), else to {@link summaryDisplayHook} when a
 * notebook display is installed, else to stdout.
 */
export function printSummary(model: SummarizableModel, options: SummaryOptions = {}): void {
  // With interactive logging off, Keras sends the summary to the log (print_msg).
  if (!options.printFn && !isInteractiveLoggingEnabled()) {
    printMsg(summaryText(model, options), false);
    return;
  }
  if (!options.printFn && summaryDisplayHook.render) {
    summaryDisplayHook.render(model, options);
    return;
  }
  const text = summaryText(model, options);
  if (options.printFn) {
    options.printFn(text);
    return;
  }
  const proc = (globalThis as { process?: { stdout?: { write?: (s: string) => unknown } } }).process;
  if (proc?.stdout?.write) proc.stdout.write(text);
  else console.log(text.replace(/\n$/, ""));
}
