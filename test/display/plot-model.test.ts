// keras.utils.modelToDot / plotModel: the DOT equals Keras's fixtures in
// structure (graph attributes, node labels, edges; ids differ), the SVG
// rendered by @viz-js/viz contains every layer, and toFile writes .svg, .dot
// and .png.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { beforeEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import "../../display/index.js";
import { ModelPlot, plotModelHooks } from "../../lib/utils/model-visualization.js";
import { fixture, nestedModel, parseDot, smallSequential, twoTower } from "./helpers.js";

/** A light XML well-formedness check: every tag closes in order. */
function checkXml(svg: string): void {
  const body = svg.replace(/<\?xml[^>]*\?>/, "").replace(/<!DOCTYPE[^>]*>/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

describe("modelToDot", () => {
  beforeEach(() => keras.backend.clearSession());

  it("equals model_to_dot_defaults.dot in structure (Functional, InputLayers included)", () => {
    const ours = parseDot(keras.utils.modelToDot(twoTower()));
    const theirs = parseDot(fixture("keras-text/model_to_dot_defaults.dot"));
    expect(ours.graphLines).toEqual(theirs.graphLines);
    expect(ours.labels).toEqual(theirs.labels);
    expect(ours.edges).toEqual(theirs.edges);
  });

  it("equals plot_model_full_options.dot (shapes, dtype, activations, trainable badges)", () => {
    const model = twoTower();
    model.getLayer("bn").trainable = false;
    const dot = keras.utils.modelToDot(model, {
      showShapes: true,
      showDtype: true,
      showLayerNames: true,
      showLayerActivations: true,
      showTrainable: true,
    });
    const ours = parseDot(dot);
    const theirs = parseDot(fixture("keras-text/plot_model_full_options.dot"));
    expect(ours.graphLines).toEqual(theirs.graphLines);
    expect(ours.labels).toEqual(theirs.labels);
    expect(ours.edges).toEqual(theirs.edges);
  });

  it("equals model_to_dot_sequential_show_shapes.dot (Sequential: no InputLayer node)", () => {
    const ours = parseDot(keras.utils.modelToDot(smallSequential(), { showShapes: true }));
    const theirs = parseDot(fixture("keras-text/model_to_dot_sequential_show_shapes.dot"));
    expect(ours).toEqual(theirs);
  });

  it("writes the exact line syntax of pydot", () => {
    const dot = keras.utils.modelToDot(smallSequential(), { rankdir: "LR", dpi: 96 });
    const lines = dot.split("\n");
    expect(lines.slice(0, 6)).toEqual(["digraph G {", "concentrate=True;", "dpi=96;", "rankdir=LR;", "splines=ortho;", "node [shape=record];"]);
    expect(lines.at(-1)).toBe("}");
    expect(lines.filter((l) => /^\d+ -> \d+ {2}\[penwidth=2\];$/.test(l))).toHaveLength(1);
  });

  it("without layer names shows only the class (plotModel's default)", () => {
    const dot = keras.utils.plotModel(smallSequential()).dot;
    expect(dot).toContain("<b>Dense</b></font>");
    expect(dot).not.toContain("<b>dense</b>");
  });

  it("expandNested draws nested models as dashed clusters with edges to their inner layers", () => {
    const flat = parseDot(keras.utils.modelToDot(nestedModel()));
    expect(flat.edges).toEqual(["x_in -> block", "block -> out"]);
    const dot = keras.utils.modelToDot(nestedModel(), { expandNested: true });
    expect(dot).toMatch(/subgraph cluster_block \{\nlabel=block;\nlabeljust=l;\nstyle=dashed;\n/);
    const nested = parseDot(dot);
    expect(nested.edges).toEqual(["inner_a -> inner_b", "x_in -> inner_a", "inner_b -> out"]);
    expect(nested.labels.some((l) => l.includes("<b>block</b>"))).toBe(false);
  });

  it("a subclassed model is one node", () => {
    class Tiny extends keras.Model {
      dense = keras.layers.Dense(2);
      override call(x: unknown): unknown {
        return this.dense.apply(x as never);
      }
    }
    const m = new Tiny({ name: "tiny" });
    m.build([null, 3]);
    const parsed = parseDot(keras.utils.modelToDot(m));
    expect(parsed.labels).toHaveLength(1);
    expect(parsed.labels[0]).toContain("<b>tiny</b> (Tiny)");
  });

  it("raises Keras's errors: unbuilt model, layer_range, unknown options", () => {
    const unbuilt = keras.Sequential([keras.layers.Dense(2)]);
    expect(() => keras.utils.modelToDot(unbuilt)).toThrow(/has not yet been built/);
    expect(() => keras.utils.plotModel(unbuilt)).toThrow(/has not yet been built/);
    expect(() => keras.utils.modelToDot(smallSequential(), { layerRange: ["a", "b"] } as never)).toThrow(/layer_range/);
    expect(() => keras.utils.modelToDot(smallSequential(), { shapes: true } as never)).toThrow(/Unrecognized keyword arguments: 'shapes'/);
  });
});

describe("plotModel", () => {
  beforeEach(() => keras.backend.clearSession());

  it("renders an SVG that parses and names every layer", () => {
    const model = twoTower();
    const plot = keras.utils.plotModel(model, { showShapes: true, showLayerNames: true });
    expect(plot).toBeInstanceOf(ModelPlot);
    expect(plot.svg).toMatch(/^<\?xml/);
    checkXml(plot.svg);
    for (const layer of model.layers) expect(plot.svg).toContain(`>${layer.name}</text>`);
    expect(plot.svg).toContain("(None, 32)");
  });

  it("displays as image/svg+xml at screen size", () => {
    const plot = keras.utils.plotModel(twoTower());
    const bundle = (plot as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
    expect(Object.keys(bundle).sort()).toEqual(["image/svg+xml", "text/plain"]);
    expect(bundle["text/plain"]).toBe("<ModelPlot of 'two_tower'>");
    const big = /<svg width="([\d.]+)pt"/.exec(plot.svg)![1];
    const small = /<svg width="([\d.]+)pt"/.exec(bundle["image/svg+xml"])![1];
    expect(Number(small)).toBeCloseTo((Number(big) * 72) / 200, 1);
  });

  it("toFile writes .svg, .dot and .png (PNG through resvg, sized at dpi)", () => {
    const dir = join(tmpdir(), `tskeras-plot-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const model = smallSequential();
      const svg = keras.utils.plotModel(model, { toFile: join(dir, "m.svg") });
      expect(svg.file).toBe(join(dir, "m.svg"));
      expect(readFileSync(join(dir, "m.svg"), "utf8")).toBe(svg.svg);
      keras.utils.plotModel(model, { toFile: join(dir, "m.dot"), showShapes: true });
      expect(readFileSync(join(dir, "m.dot"), "utf8")).toContain("Output shape: <b>(None, 3)</b>");
      keras.utils.plotModel(model, { toFile: join(dir, "m.png"), dpi: 72 });
      const png = readFileSync(join(dir, "m.png"));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const width = png.readUInt32BE(16);
      const svgWidth = Number(/<svg width="([\d.]+)pt"/.exec(keras.utils.plotModel(model, { dpi: 72 }).svg)![1]);
      expect(Math.abs(width - svgWidth)).toBeLessThanOrEqual(1);
      expect(() => keras.utils.plotModel(model, { toFile: join(dir, "m.pdf") })).toThrow(/cannot write '\.pdf'/);
      expect(existsSync(join(dir, "m.pdf"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains what to import when no renderer is installed", () => {
    const saved = plotModelHooks.renderer;
    plotModelHooks.renderer = null;
    try {
      expect(() => keras.utils.plotModel(smallSequential())).toThrow(/import "tskeras\/display"/);
    } finally {
      plotModelHooks.renderer = saved;
    }
  });
});
