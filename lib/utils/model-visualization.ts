/**
 * `keras.utils.modelToDot` and `keras.utils.plotModel` (Keras's
 * `utils/model_visualization.py`).
 *
 * The DOT text is built here as plain strings, in the layout pydot writes for
 * Keras: graph attributes sorted (`concentrate=True; dpi=200; rankdir=TB;
 * splines=ortho;`), `node [shape=record];`, one record node per layer with an
 * HTML-like table label, edges `a -> b  [penwidth=2];`, and dashed clusters
 * for nested models with `expandNested`. Node ids are numbers unique to each
 * layer object, like Python's `id(layer)`.
 *
 * Rendering the DOT (Graphviz) and writing files is done by a renderer that
 * `display/` installs in {@link plotModelHooks} (`import "tskeras/display"`;
 * the tskeras kernel loads it), so this module stays free of wasm and files.
 */
import * as activations from "../activations/index.js";
import { formatShape } from "../backend/keras-tensor.js";
import type { Node } from "../ops/node.js";
import type { MimeBundle } from "./display-hooks.js";

/** Options of {@link modelToDot} (Keras's `model_to_dot` arguments, camelCase). */
export interface ModelToDotOptions {
  /** Show the input and output shapes of each layer. Default false. */
  showShapes?: boolean;
  /** Show the output dtype of each layer. Default false. */
  showDtype?: boolean;
  /** Show layer names (`name (ClassName)`) instead of only the class name. Default true for modelToDot, false for plotModel. */
  showLayerNames?: boolean;
  /** `"TB"` (vertical, default) or `"LR"` (horizontal); also `"BT"`, `"RL"`. */
  rankdir?: "TB" | "LR" | "BT" | "RL";
  /** Draw nested Sequential and Functional models as dashed clusters of their layers. Default false. */
  expandNested?: boolean;
  /** Image resolution in dots per inch. Default 200. */
  dpi?: number;
  /** Return a cluster (`subgraph cluster_<name> {...}`) instead of a whole graph. Default false. */
  subgraph?: boolean;
  /** Show the activation of layers that have one. Default false. */
  showLayerActivations?: boolean;
  /** Show whether each layer with weights is trainable. Default false. */
  showTrainable?: boolean;
  /** How edges are drawn: `"ortho"` (default), `"curved"`, `"polyline"`, `"spline"` or `"line"`. */
  splines?: "ortho" | "curved" | "polyline" | "spline" | "line";
}

/** Options of {@link plotModel}: those of {@link modelToDot} plus the output file. */
export interface PlotModelOptions extends Omit<ModelToDotOptions, "subgraph"> {
  /**
   * Also write the plot to this file; the extension picks the format:
   * `.svg`, `.png` or `.dot` (DOT text); none means `.png`. Keras's default is
   * `"model.png"`; tskeras writes no file unless asked.
   */
  toFile?: string;
}

/** What the plot reads of a layer. `Layer`, `Model`, `Sequential` and `Functional` all fit. */
interface LayerLike {
  readonly name: string;
  readonly className: string;
  readonly inboundNodes: Node[];
  readonly built?: boolean;
}

const MODEL_TO_DOT_KEYS = new Set([
  "showShapes",
  "showDtype",
  "showLayerNames",
  "rankdir",
  "expandNested",
  "dpi",
  "subgraph",
  "showLayerActivations",
  "showTrainable",
  "splines",
]);

// ------------------------------------------------------------------ ids

const ids = new WeakMap<object, string>();
let nextId = 0;

/** A number unique to `obj` for the life of the process (Python's `id`). */
function objectId(obj: object): string {
  let id = ids.get(obj);
  if (id === undefined) {
    nextId += 1;
    id = String(140000000000000 + nextId * 16);
    ids.set(obj, id);
  }
  return id;
}

// ------------------------------------------------------------------ model kinds

/** Objects and callable objects (layers and models are callable). */
function isObject(x: unknown): x is object {
  return (typeof x === "object" || typeof x === "function") && x !== null;
}

function isSequential(x: unknown): boolean {
  return isObject(x) && "allLayers" in x && "graph" in x;
}

function isFunctional(x: unknown): boolean {
  return isObject(x) && !isSequential(x) && "graphOperations" in x && "graphNodesByDepth" in x;
}

function isNestedModel(x: unknown): boolean {
  return isSequential(x) || isFunctional(x);
}

function layersOf(model: object): LayerLike[] {
  return (model as { layers: LayerLike[] }).layers;
}

function outputsOf(model: object): { kerasHistory?: { operation: LayerLike; nodeIndex: number; tensorIndex: number } }[] {
  return (model as { outputs: [] }).outputs;
}

function inputsOf(model: object): { kerasHistory?: { operation: LayerLike } }[] {
  return (model as { inputs: [] }).inputs;
}

// ------------------------------------------------------------------ labels

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function isShapeArray(x: unknown): x is (number | null)[] {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
}

/** Python's `str()` of a structure of shapes (`(None, 8)`, `[(None, 8), (None, 8)]`). */
function structureText(x: unknown, leaf: (v: unknown) => string): string {
  if (isShapeArray(x)) return leaf(x);
  if (Array.isArray(x)) return `[${x.map((v) => structureText(v, leaf)).join(", ")}]`;
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    return `{${Object.entries(x as Record<string, unknown>)
      .map(([k, v]) => `'${k}': ${structureText(v, leaf)}`)
      .join(", ")}}`;
  }
  return leaf(x);
}

function mapTensors(x: unknown, f: (t: { shape: (number | null)[]; dtype: string }) => unknown): unknown {
  if (Array.isArray(x)) return x.map((v) => mapTensors(v, f));
  if (x !== null && typeof x === "object" && "shape" in x && "dtype" in x) return f(x as { shape: (number | null)[]; dtype: string });
  if (x !== null && typeof x === "object") {
    return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, mapTensors(v, f)]));
  }
  return x;
}

/** Keras's `format_shape`: a dict becomes `k: v, ...`, braces removed; unknown is `?`. */
function formatShapeStructure(shapes: unknown): string {
  if (shapes === undefined || shapes === null) return "?";
  let text: string;
  if (typeof shapes === "object" && !Array.isArray(shapes)) {
    text = Object.entries(shapes as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${structureText(v, leafShape)}`)
      .join(", ");
  } else {
    text = structureText(shapes, leafShape);
  }
  return text.replace(/[{}]/g, "");
}

function leafShape(v: unknown): string {
  if (isShapeArray(v)) return formatShape(v);
  return String(v);
}

function activationName(fn: unknown): string {
  if (typeof fn !== "function") {
    const named = fn as { name?: unknown };
    return typeof named?.name === "string" ? named.name : String(fn);
  }
  try {
    const s = activations.serialize(fn as (...args: never[]) => unknown);
    if (typeof s === "string") return s;
  } catch {
    // Not a known activation: fall back to the function's name.
  }
  return fn.name || String(fn);
}

interface LabelOptions {
  showLayerNames: boolean;
  showLayerActivations: boolean;
  showDtype: boolean;
  showShapes: boolean;
  showTrainable: boolean;
}

/** Keras's `make_layer_label`: the HTML-like table of one node. */
function makeLayerLabel(layer: LayerLike, o: LabelOptions): string {
  const className = layer.className;
  let table = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">';
  const colspan = Math.max(1, Number(o.showDtype) + Number(o.showTrainable) + (o.showShapes ? 2 : 0));
  const title = o.showLayerNames ? `<b>${escapeHtml(layer.name)}</b> (${escapeHtml(className)})` : `<b>${escapeHtml(className)}</b>`;
  table += `<tr><td colspan="${colspan}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
  const activation = (layer as { activation?: unknown }).activation;
  if (o.showLayerActivations && "activation" in layer && activation !== null && activation !== undefined) {
    table +=
      `<tr><td bgcolor="white" colspan="${colspan}"><font point-size="14">` +
      `Activation: <b>${escapeHtml(activationName(activation))}</b></font></td></tr>`;
  }
  const cols: string[] = [];
  const cell = (text: string): string => `<td bgcolor="white"><font point-size="14">${text}</font></td>`;
  if (o.showShapes) {
    let inputShape: unknown = null;
    let outputShape: unknown = null;
    try {
      const l = layer as unknown as { input: unknown; output: unknown };
      inputShape = mapTensors(l.input, (t) => t.shape);
      outputShape = mapTensors(l.output, (t) => t.shape);
    } catch {
      inputShape = null;
      outputShape = null;
    }
    if (className !== "InputLayer") cols.push(cell(`Input shape: <b>${escapeHtml(formatShapeStructure(inputShape))}</b>`));
    cols.push(cell(`Output shape: <b>${escapeHtml(formatShapeStructure(outputShape))}</b>`));
  }
  if (o.showDtype) {
    let dtype: unknown = null;
    try {
      dtype = mapTensors((layer as unknown as { output: unknown }).output, (t) => t.dtype);
    } catch {
      dtype = null;
    }
    const text = dtype === null || dtype === undefined ? "?" : structureText(dtype, (v) => (Array.isArray(dtype) ? `'${String(v)}'` : String(v)));
    cols.push(cell(`Output dtype: <b>${escapeHtml(text)}</b>`));
  }
  const weights = (layer as { weights?: unknown[] }).weights;
  if (o.showTrainable && "trainable" in layer && Array.isArray(weights) && weights.length > 0) {
    if ((layer as { trainable: boolean }).trainable) {
      cols.push('<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>');
    } else {
      cols.push('<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>');
    }
  }
  if (cols.length) table += `<tr>${cols.join("")}</tr>`;
  table += "</table>>";
  return table;
}

// ------------------------------------------------------------------ the graph

/** pydot's `quote_if_necessary` for ids and attribute values. */
function dotId(s: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) || /^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return s;
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A graph or cluster under construction; `items` keep pydot's order of addition. */
class DotGraph {
  readonly items: (string | DotGraph)[] = [];
  private readonly edges = new Set<string>();
  constructor(
    readonly header: string,
    readonly attributes: [string, string][],
  ) {}

  addNode(layer: LayerLike, o: LabelOptions): void {
    const label = makeLayerLabel(layer, o);
    this.items.push(`${objectId(layer)} [border=0, fontname=Helvetica, label=${label}, margin=0];`);
  }

  addEdge(src: object, dst: object): void {
    const key = `${objectId(src)} -> ${objectId(dst)}`;
    if (this.edges.has(key)) return;
    this.edges.add(key);
    this.items.push(`${key}  [penwidth=2];`);
  }

  toString(): string {
    const lines = [`${this.header} {`];
    const attrs = this.attributes.filter(([k]) => k !== "node").sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [k, v] of attrs) lines.push(`${k}=${v};`);
    for (const [k, v] of this.attributes) if (k === "node") lines.push(`node [${v}];`);
    for (const item of this.items) lines.push(typeof item === "string" ? item : item.toString());
    lines.push("}");
    return lines.join("\n");
  }
}

function checkOptions(options: object, allowed: Set<string>): void {
  const o = options as Record<string, unknown>;
  if (o.layerRange !== undefined && o.layerRange !== null) throw new Error("Argument `layer_range` is no longer supported.");
  const unknown = Object.keys(o).filter((k) => !allowed.has(k) && k !== "layerRange" && o[k] !== undefined);
  if (unknown.length) throw new Error(`Unrecognized keyword arguments: ${unknown.map((k) => `'${k}'`).join(", ")}`);
}

function checkBuilt(model: unknown): void {
  if (!(model as { built?: boolean }).built) {
    throw new Error(
      "This model has not yet been built. Build the model first by calling `build()` or by calling the model on a batch of data.",
    );
  }
}

function buildDot(model: LayerLike, o: Required<Omit<ModelToDotOptions, "rankdir" | "splines">> & { rankdir: string; splines: string }): DotGraph {
  checkBuilt(model);
  let dot: DotGraph;
  if (o.subgraph) {
    dot = new DotGraph(`subgraph ${dotId(`cluster_${model.name}`)}`, [
      ["label", dotId(model.name)],
      ["labeljust", "l"],
      ["style", "dashed"],
    ]);
  } else {
    dot = new DotGraph("digraph G", [
      ["rankdir", dotId(o.rankdir)],
      ["concentrate", "True"],
      ["dpi", String(o.dpi)],
      ["splines", dotId(o.splines)],
      ["node", "shape=record"],
    ]);
  }
  const label: LabelOptions = {
    showLayerNames: o.showLayerNames,
    showLayerActivations: o.showLayerActivations,
    showDtype: o.showDtype,
    showShapes: o.showShapes,
    showTrainable: o.showTrainable,
  };
  let layers: LayerLike[];
  if (isSequential(model)) layers = layersOf(model);
  else if (!isFunctional(model)) {
    // Subclassed models are a single node.
    dot.addNode(model, label);
    return dot;
  } else layers = (model as unknown as { graphOperations: LayerLike[] }).graphOperations;

  for (const layer of layers) {
    if (o.expandNested && isNestedModel(layer)) dot.items.push(buildDot(layer, { ...o, subgraph: true }));
    else dot.addNode(layer, label);
  }

  if (isSequential(model)) {
    if (!o.expandNested) {
      for (let i = 0; i + 1 < layers.length; i++) dot.addEdge(layers[i], layers[i + 1]);
      return dot;
    }
    // The edge into the first layer comes from outside (the edge of the Sequential itself).
    layers = layers.slice(1);
  }

  let graphNodes: Set<Node> | null = null;
  if (isFunctional(model)) {
    graphNodes = new Set<Node>();
    for (const v of (model as unknown as { graphNodesByDepth: Map<number, Node[]> }).graphNodesByDepth.values()) {
      for (const n of v) graphNodes.add(n);
    }
  }
  for (const layer of layers) {
    for (const node of layer.inboundNodes) {
      if (graphNodes && !graphNodes.has(node)) continue;
      node.inputTensors.forEach((tensor, inputIndex) => {
        const history = tensor.kerasHistory;
        if (!history) return;
        const inputNode = history.operation.inboundNodes[history.nodeIndex];
        let source: LayerLike = inputNode.operation as unknown as LayerLike;
        let outputIndex = history.tensorIndex;
        let destination: LayerLike = layer;
        if (!o.expandNested) {
          dot.addEdge(source, layer);
          return;
        }
        while (isNestedModel(source)) {
          const h = outputsOf(source)[outputIndex]?.kerasHistory;
          if (!h) break;
          source = h.operation;
          outputIndex = h.tensorIndex;
        }
        while (isNestedModel(destination)) {
          if (isFunctional(destination)) {
            const op = inputsOf(destination)[inputIndex]?.kerasHistory?.operation;
            if (!op) break;
            destination = op;
          } else {
            destination = layersOf(destination)[0];
          }
        }
        dot.addEdge(source, destination);
      });
    }
  }
  return dot;
}

/**
 * The Graphviz DOT text of a model, as Keras's `model_to_dot` builds it
 * (Keras returns a `pydot.Dot`; this returns its text).
 *
 * ```ts
 * const dot = keras.utils.modelToDot(model, { showShapes: true });
 * ```
 * @throws Error when the model is not built, or for an unknown option.
 */
export function modelToDot(model: LayerLike, options: ModelToDotOptions = {}): string {
  checkOptions(options, MODEL_TO_DOT_KEYS);
  return buildDot(model, {
    showShapes: options.showShapes ?? false,
    showDtype: options.showDtype ?? false,
    showLayerNames: options.showLayerNames ?? true,
    rankdir: options.rankdir ?? "TB",
    expandNested: options.expandNested ?? false,
    dpi: options.dpi ?? 200,
    subgraph: options.subgraph ?? false,
    showLayerActivations: options.showLayerActivations ?? false,
    showTrainable: options.showTrainable ?? false,
    splines: options.splines ?? "ortho",
  }).toString();
}

/** Renders DOT and writes plot files: what `display/` installs in {@link plotModelHooks}. */
export interface ModelPlotRenderer {
  /** DOT text → SVG text (Graphviz). */
  renderSvg(dot: string): string;
  /** Writes the plot to `path` in `format` (`"svg"`, `"png"`, `"dot"`, ...); throws for a format it cannot write. */
  writeFile(path: string, format: string, plot: { dot: string; svg: string; dpi: number }): void;
  /** The bundle of a plot in a notebook; default `{ "image/svg+xml": svg, "text/plain": ... }`. */
  bundle?(plot: ModelPlot): MimeBundle;
}

/** The renderer of `plotModel`, installed by `display/` (`import "tskeras/display"`; the tskeras kernel loads it). */
export const plotModelHooks: { renderer: ModelPlotRenderer | null } = { renderer: null };

/** The result of {@link plotModel}: the DOT, the SVG, the file written; displays as the SVG in a notebook. */
export class ModelPlot {
  constructor(
    /** The DOT text. */
    readonly dot: string,
    /** The rendered SVG. */
    readonly svg: string,
    /** The file written, or null. */
    readonly file: string | null,
    /** The name of the model plotted. */
    readonly modelName: string,
  ) {}

  /** A MIME bundle for notebooks: the graph as `image/svg+xml`. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    const own = plotModelHooks.renderer?.bundle?.(this);
    return own ?? { "image/svg+xml": this.svg, "text/plain": this.toString() };
  }

  toString(): string {
    return `<ModelPlot of '${this.modelName}'${this.file ? ` written to ${this.file}` : ""}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

const PLOT_MODEL_KEYS = new Set([...MODEL_TO_DOT_KEYS, "toFile"].filter((k) => k !== "subgraph"));

/**
 * Plots a model's graph (Keras's `plot_model`): DOT from {@link modelToDot}
 * rendered to SVG with Graphviz (`@viz-js/viz`). In a notebook, the result
 * displays as the SVG; `toFile` also writes `.svg`, `.png` or `.dot`.
 *
 * Defaults are Keras's, among them `showLayerNames: false` (`modelToDot`'s is true).
 *
 * ```ts
 * keras.utils.plotModel(model, { showShapes: true, toFile: "model.png" });
 * ```
 * @throws Error when the model is not built, for an unknown option, or when
 *   no renderer is installed (outside the kernel, `import "tskeras/display"` first).
 */
export function plotModel(model: LayerLike, options: PlotModelOptions = {}): ModelPlot {
  checkBuilt(model);
  checkOptions(options, PLOT_MODEL_KEYS);
  const { toFile, ...dotOptions } = options;
  const dot = modelToDot(model, { ...dotOptions, showLayerNames: options.showLayerNames ?? false });
  const renderer = plotModelHooks.renderer;
  if (!renderer) {
    throw new Error(
      "plotModel renders with @viz-js/viz through tskeras's display module, which is not loaded. " +
        'Add `import "tskeras/display";` (the tskeras kernel loads it by itself), or use keras.utils.modelToDot(model) for the DOT text.',
    );
  }
  const svg = renderer.renderSvg(dot);
  let file: string | null = null;
  if (toFile !== undefined && toFile !== null) {
    file = String(toFile);
    const m = /\.([^./\\]+)$/.exec(file);
    const format = m ? m[1].toLowerCase() : "png";
    renderer.writeFile(file, format, { dot, svg, dpi: options.dpi ?? 200 });
  }
  return new ModelPlot(dot, svg, file, model.name);
}
