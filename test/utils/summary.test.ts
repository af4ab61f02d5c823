// model.summary(): the exact text Keras 3 prints, compared with summaries
// written by Python Keras (../shared/fixtures/keras/models/*.summary.txt and
// ../shared/fixtures/keras-text/summary_examples_*.txt), plus the rich-like
// table renderer's wrapping and Keras's size formatting.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { clearSession } from "../../lib/backend/index.js";
import type { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { Input } from "../../lib/layers/core/input-layer.js";
import { Layer } from "../../lib/layers/layer.js";
import { Dense } from "../../lib/layers/core/dense.js";
import { Embedding } from "../../lib/layers/core/embedding.js";
import { Dropout } from "../../lib/layers/regularization/dropout.js";
import { Concatenate } from "../../lib/layers/merging/concatenate.js";
import { Add } from "../../lib/layers/merging/add.js";
import { BatchNormalization } from "../../lib/layers/normalization/batch-normalization.js";
import { Conv2D } from "../../lib/layers/convolutional/conv2d.js";
import { MaxPooling2D } from "../../lib/layers/pooling/max-pooling2d.js";
import { Flatten } from "../../lib/layers/reshaping/flatten.js";
import "../../lib/layers/index.js";
import { loadModel } from "../../lib/saving/index.js";
import { Sequential } from "../../lib/models/sequential.js";
import { Functional } from "../../lib/models/functional.js";
import { Model } from "../../lib/models/model.js";
import { add as opsAdd } from "../../lib/ops/numpy/elementwise.js";
import {
  formatCount,
  formatFixed2,
  printSummary,
  readableMemorySize,
  summaryRows,
  summaryText,
} from "../../lib/utils/summary-utils.js";
import { computeColumnWidths, pyRound, renderTable, wrapText, type TableColumn } from "../../lib/utils/summary-table.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));

function fixturePath(path: string): string {
  return FIXTURES + path;
}

function fixture(path: string): string {
  return readFileSync(FIXTURES + path, "utf8");
}

/** The summaries of a summary_examples_*.txt file, each starting at a `Model: "..."` line. */
function examples(file: string): string[] {
  const text = fixture(`keras-text/${file}`);
  return text
    .split(/(?=^Model: ")/m)
    .filter((s) => s.length > 0)
    .map((s) => (s.endsWith("\n") ? s : s + "\n"));
}

function dense(units: number, args: ConstructorParameters<typeof Dense>[1] = {}): Dense {
  return new Dense(units, args);
}

/** Keras's two_tower model of summary_examples_*.txt. */
function twoTower(): Functional {
  const a = Input({ shape: [32], name: "input_a" });
  const b = Input({ shape: [16], name: "input_b" });
  const da = dense(8, { name: "dense_a" }).apply(a) as KerasTensor;
  const db = dense(8, { name: "dense_b" }).apply(b) as KerasTensor;
  const c = new Concatenate({ name: "concat" }).apply([da, db]) as KerasTensor;
  const n = new BatchNormalization({ name: "bn" }).apply(c) as KerasTensor;
  const block = new Sequential([dense(4), dense(4)], { name: "block" });
  const y = block.apply(n) as KerasTensor;
  const out = dense(1, { name: "head" }).apply(y) as KerasTensor;
  return new Functional({ inputs: [a, b], outputs: out, name: "two_tower" });
}

describe("summaryText against Keras's fixtures", () => {
  beforeEach(() => clearSession());

  it("a_mlp_sequential: Sequential with an Input, Dense, Dropout, Dense", () => {
    const model = new Sequential(
      [Input({ shape: [8] }), dense(16, { activation: "relu", name: "hidden" }), new Dropout(0.3), dense(3, { activation: "softmax", name: "probs" })],
      { name: "mlp_sequential" },
    );
    const text = summaryText(model, { lineLength: 88 });
    const json = JSON.parse(fixture("keras/models/a_mlp_sequential.json")) as { summary: string };
    expect(text).toBe(json.summary);
    expect(text + "\n").toBe(fixture("keras/models/a_mlp_sequential.summary.txt"));
  });

  it("b_functional_two_in_two_out: the Connected to column and its wrapping", () => {
    const a = Input({ shape: [6], name: "input_a" });
    const b = Input({ shape: [4], name: "input_b" });
    const concat = new Concatenate({ name: "concat" }).apply([a, b]) as KerasTensor;
    const hidden = dense(10, { activation: "relu", name: "hidden" }).apply(concat) as KerasTensor;
    const skip = new Add({ name: "skip_add" }).apply([concat, hidden]) as KerasTensor;
    const cls = dense(3, { activation: "softmax", name: "class_out" }).apply(skip) as KerasTensor;
    const reg = dense(1, { name: "reg_out" }).apply(skip) as KerasTensor;
    const model = new Functional({ inputs: [a, b], outputs: [cls, reg], name: "two_in_two_out" });
    const text = summaryText(model, { lineLength: 108 });
    const json = JSON.parse(fixture("keras/models/b_functional_two_in_two_out.json")) as { summary: string };
    expect(text).toBe(json.summary);
    expect(text + "\n").toBe(fixture("keras/models/b_functional_two_in_two_out.summary.txt"));
  });

  it("c_small_cnn: Conv2D, MaxPooling2D, BatchNormalization (non-trainable params), Flatten, Dense", () => {
    const model = new Sequential(
      [
        Input({ shape: [12, 12, 1] }),
        new Conv2D(4, 3, { activation: "relu", name: "conv" }),
        new MaxPooling2D(2, { name: "pool" }),
        new BatchNormalization({ name: "bn" }),
        new Flatten({ name: "flatten" }),
        dense(5, { activation: "softmax", name: "probs" }),
      ],
      { name: "small_cnn" },
    );
    const text = summaryText(model, { lineLength: 88 });
    const json = JSON.parse(fixture("keras/models/c_small_cnn.json")) as { summary: string };
    expect(text).toBe(json.summary);
    expect(text + "\n").toBe(fixture("keras/models/c_small_cnn.summary.txt"));
  });

  it("the models loaded from Keras's .keras fixtures print Keras's summary", async () => {
    for (const name of ["a_mlp_sequential", "b_functional_two_in_two_out", "c_small_cnn"]) {
      const json = JSON.parse(fixture(`keras/models/${name}.json`)) as { summary: string };
      const width = json.summary.split("\n")[1].length;
      const model = await loadModel(fixturePath(`keras/models/${name}.keras`));
      expect(summaryText(model, { lineLength: width }), name).toBe(json.summary);
      model.dispose();
    }
  });

  describe("summary_examples_COLUMNS200.txt", () => {
    const expected = examples("summary_examples_COLUMNS200.txt");
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.COLUMNS;
      process.env.COLUMNS = "200";
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    });

    it("has the 5 summaries", () => {
      expect(expected).toHaveLength(5);
    });

    function mySequential(): Sequential {
      return new Sequential([Input({ shape: [784] }), dense(64, { activation: "relu" }), dense(10, { activation: "softmax" })], {
        name: "my_sequential",
      });
    }

    it("Sequential at the default width 88", () => {
      expect(summaryText(mySequential())).toBe(expected[0]);
    });

    it("Optimizer params when the model has a built optimizer", () => {
      const model = mySequential();
      // Adam's slots (m and v per weight), its iteration counter and learning rate.
      const slots = model.trainableWeights.flatMap((w) => [
        { dtype: w.dtype, size: w.size },
        { dtype: w.dtype, size: w.size },
      ]);
      const optimizer = { built: true, variables: [{ dtype: "int64", size: 1 }, { dtype: "float32", size: 1 }, ...slots] };
      Object.assign(model, { optimizer, compiled: true });
      expect(summaryText(model)).toBe(expected[1]);
      const rows = summaryRows(model);
      expect(rows.totals.optimizer?.count).toBe(101782);
      expect(rows.totals.optimizer?.sizeText).toBe("397.59 KB");
      expect(rows.totals.total.text).toBe(" Total params: 152,672 (596.38 KB)");
    });

    it("branching Functional with a nested Sequential (4 columns, width 108)", () => {
      dense(1);
      dense(1); // dense, dense_1: the nested Sequential's layers are dense_2, dense_3
      expect(summaryText(twoTower())).toBe(expected[2]);
    });

    it("the same with expandNested and showTrainable (width 120)", () => {
      dense(1);
      dense(1);
      expect(summaryText(twoTower(), { expandNested: true, showTrainable: true })).toBe(expected[3]);
    });

    it("a linear Functional is sequential-like but lists its InputLayer", () => {
      const x = Input({ shape: [3], name: "input_layer_2" });
      const y = dense(2, { name: "dense_4" }).apply(x) as KerasTensor;
      const model = new Functional({ inputs: x, outputs: y, name: "functional_2" });
      expect(summaryText(model)).toBe(expected[4]);
    });
  });

  describe("summary_examples_non_tty_default_width.txt", () => {
    const expected = examples("summary_examples_non_tty_default_width.txt");
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.COLUMNS;
      // Python's shutil.get_terminal_size() falls back to 80 columns off a terminal.
      process.env.COLUMNS = "80";
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = saved;
    });

    it("unbuilt, then built Sequential at width 76", () => {
      expect(expected).toHaveLength(2);
      const model = new Sequential([dense(64, { activation: "relu" }), dense(10)]);
      expect(model.name).toBe("sequential");
      expect(summaryText(model)).toBe(expected[0]);
      model.build([null, 784]);
      expect(summaryText(model)).toBe(expected[1]);
      // An explicit lineLength gives the same.
      expect(summaryText(model, { lineLength: 76 })).toBe(expected[1]);
    });
  });
});

describe("summary rows and layout", () => {
  beforeEach(() => clearSession());

  it("structured rows carry names, classes, shapes, counts, connections and depth", () => {
    dense(1);
    dense(1);
    const data = summaryRows(twoTower(), { expandNested: true, showTrainable: true, lineLength: 120 });
    expect(data.title).toBe('Model: "two_tower"');
    expect(data.sequentialLike).toBe(false);
    expect(data.columns.map((c) => c.header)).toEqual(["Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable"]);
    expect(data.columns.map((c) => c.renderedWidth)).toEqual([31, 27, 18, 27, 11]);
    const concat = data.rows.find((r) => r.name === "concat");
    expect(concat).toMatchObject({
      className: "Concatenate",
      outputShape: "(None, 16)",
      params: 0,
      paramsText: "0",
      connectedTo: ["dense_a[0][0]", "dense_b[0][0]"],
      trainable: "-",
      depth: 0,
    });
    const nested = data.rows.find((r) => r.name === "dense_3");
    expect(nested).toMatchObject({ label: "   └ dense_3 (Dense)", depth: 1, params: 20, connectedTo: [], trainable: "Y" });
    expect(data.totals.nonTrainable).toMatchObject({ count: 32, bytes: 128, sizeText: "128.00 B" });
  });

  it("keras.ops calls in a Functional graph are rows with 0 params", () => {
    const a = Input({ shape: [4], name: "a" });
    const b = Input({ shape: [4], name: "b" });
    const s = opsAdd(a, b) as KerasTensor;
    const y = dense(2, { name: "out" }).apply(s) as KerasTensor;
    const model = new Functional({ inputs: [a, b], outputs: y, name: "with_op" });
    const data = summaryRows(model, { lineLength: 108 });
    const op = data.rows.find((r) => r.className === "Add");
    expect(op).toMatchObject({ name: "add", label: "add (Add)", outputShape: "(None, 4)", params: 0, paramsText: "0" });
    expect(op?.connectedTo).toEqual(["a[0][0]", "b[0][0]"]);
    expect(data.rows.find((r) => r.name === "out")?.connectedTo).toEqual(["add[0][0]"]);
  });

  it("a shared layer makes a chain non-sequential and shows its node indices", () => {
    const x = Input({ shape: [4], name: "x" });
    const shared = dense(4, { name: "shared" });
    const h1 = shared.apply(x) as KerasTensor;
    const h2 = shared.apply(h1) as KerasTensor;
    const model = new Functional({ inputs: x, outputs: h2, name: "shared_chain" });
    const data = summaryRows(model, { lineLength: 108 });
    expect(data.sequentialLike).toBe(false);
    const row = data.rows.find((r) => r.name === "shared");
    expect(row?.connectedTo).toEqual(["x[0][0]", "shared[0][0]"]);
    expect(row?.outputShape).toBe("(None, 4)");
  });

  it("subclassed models: unbuilt layers print ? and 0 (unbuilt), then shapes from their build", () => {
    class TwoDense extends Model {
      first = dense(5, { name: "first" });
      second = dense(2, { name: "second" });
      override call(x: unknown): unknown {
        return this.second.apply(this.first.apply(x as KerasTensor));
      }
    }
    const model = new TwoDense({ name: "two_dense" });
    const unbuilt = summaryRows(model, { lineLength: 88 });
    expect(unbuilt.sequentialLike).toBe(true);
    expect(unbuilt.rows.map((r) => [r.label, r.outputShape, r.paramsText])).toEqual([
      ["first (Dense)", "?", "0 (unbuilt)"],
      ["second (Dense)", "?", "0 (unbuilt)"],
    ]);
    expect(unbuilt.totals.total.text).toBe(" Total params: 0 (0.00 B)");
    // Layers built by hand (no call on KerasTensors): the shape comes from computeOutputShape of the build shape.
    model.first.maybeBuild([null, 3]);
    model.second.maybeBuild([null, 5]);
    const built = summaryRows(model, { lineLength: 88 });
    expect(built.rows.map((r) => [r.outputShape, r.params])).toEqual([
      ["(None, 5)", 20],
      ["(None, 2)", 12],
    ]);
  });

  it("subclassed models: a built custom layer without computeOutputShape prints ? (Keras's NotImplementedError)", () => {
    class Doubler extends Layer {
      override call(x: unknown): unknown {
        return opsAdd(x as KerasTensor, x as KerasTensor);
      }
    }
    class WithCustom extends Model {
      custom = new Doubler({ name: "doubler" });
      head = dense(2, { name: "head" });
      override call(x: unknown): unknown {
        return this.head.apply(this.custom.apply(x as KerasTensor) as KerasTensor);
      }
    }
    const model = new WithCustom({ name: "with_custom" });
    model.custom.maybeBuild([null, 3]);
    model.head.maybeBuild([null, 3]);
    expect(summaryRows(model, { lineLength: 88 }).rows.map((r) => [r.label, r.outputShape])).toEqual([
      ["doubler (Doubler)", "?"],
      ["head (Dense)", "(None, 2)"],
    ]);
  });

  it("layerRange lists the layers between two names (regexes, inclusive)", () => {
    const model = new Sequential(
      [Input({ shape: [4] }), dense(4, { name: "d1" }), dense(4, { name: "d2" }), dense(4, { name: "d3" }), dense(4, { name: "d4" })],
      { name: "ranged" },
    );
    expect(summaryRows(model, { layerRange: ["d2", "d3"] }).rows.map((r) => r.name)).toEqual(["d2", "d3"]);
    expect(summaryRows(model, { layerRange: ["d3", "d2"] }).rows.map((r) => r.name)).toEqual(["d2", "d3"]);
    expect(summaryRows(model, { layerRange: ["d[24]", "d[24]"] }).rows.map((r) => r.name)).toEqual(["d2", "d3", "d4"]);
    expect(() => summaryRows(model, { layerRange: ["nope", "d2"] })).toThrow(/do not match the layer names/);
  });

  it("Embedding output shapes and a too-narrow line length", () => {
    const model = new Sequential([Input({ shape: [5], dtype: "int32" }), new Embedding(100, 8, { name: "emb" })], { name: "emb_model" });
    const row = summaryRows(model, { lineLength: 88 }).rows[0];
    expect(row).toMatchObject({ label: "emb (Embedding)", outputShape: "(None, 5, 8)", params: 800, paramsText: "800" });
    expect(() => summaryText(model, { lineLength: 8 })).toThrow("Insufficient console width to print summary.");
  });

  it("printSummary calls printFn once with the whole text, as Keras calls print_fn", () => {
    const model = new Sequential([Input({ shape: [2] }), dense(1)], { name: "tiny" });
    const calls: string[] = [];
    printSummary(model, { printFn: (s) => calls.push(s), lineLength: 60 });
    expect(calls).toEqual([summaryText(model, { lineLength: 60 })]);
    expect(calls[0].endsWith(" Non-trainable params: 0 (0.00 B)\n")).toBe(true);
  });
});

describe("rich table rendering (expected texts printed by rich 13.7)", () => {
  it("column widths at Keras's default widths", () => {
    const cols = (ws: number[]): TableColumn[] => ws.map((width) => ({ header: "", justify: "left", width }));
    expect(computeColumnWidths(cols([39, 31, 18]), 88)).toEqual([38, 29, 17]);
    expect(computeColumnWidths(cols([34, 26, 16]), 76)).toEqual([33, 24, 15]);
    expect(computeColumnWidths(cols([32, 28, 19, 29]), 108)).toEqual([31, 27, 17, 28]);
    // Positions that leave room: the table expands to its width.
    expect(computeColumnWidths(cols([9, 58, 4]), 138)).toEqual([20, 104, 10]);
  });

  it("wraps cells at spaces and ends words longer than a line with an ellipsis", () => {
    const columns: TableColumn[] = [
      { header: "Layer (type)", justify: "left", width: 39 },
      { header: "Output Shape", justify: "left", width: 31 },
      { header: "Param #", justify: "right", width: 18 },
    ];
    const rows = [
      ["a_very_long_layer_name_that_exceeds_the_column_width_by_far (Dense)", "(None, 10)", "1,000"],
      ["x (Dense)", "[(None, 3), (None, 1)]", "0 (unbuilt)"],
    ];
    expect(renderTable(columns, rows, 88).join("\n")).toBe(
      [
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓",
        "┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩",
        "│ a_very_long_layer_name_that_exceeds… │ (None, 10)                  │           1,000 │",
        "│ (Dense)                              │                             │                 │",
        "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤",
        "│ x (Dense)                            │ [(None, 3), (None, 1)]      │     0 (unbuilt) │",
        "└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘",
      ].join("\n"),
    );
  });

  it("header cells align to the bottom, body cells to the top; center justification", () => {
    const columns: TableColumn[] = [
      { header: "Param #", justify: "right", width: 4 },
      { header: "Connected to", justify: "center", width: 5 },
    ];
    expect(renderTable(columns, [["1,234 5", "a[0][0], b[0][0]"]], 20).join("\n")).toBe(
      [
        "┏━━━━━━━━┳━━━━━━━━━┓",
        "┃  Param ┃ Connec… ┃",
        "┃      # ┃   to    ┃",
        "┡━━━━━━━━╇━━━━━━━━━┩",
        "│  1,234 │ a[0][0… │",
        "│      5 │ b[0][0] │",
        "└────────┴─────────┘",
      ].join("\n"),
    );
  });

  it("wrapText keeps a trailing comma with its word and pads to the width", () => {
    expect(wrapText("input_a[0][0], input_b[0][0]", 26, "left")).toEqual(["input_a[0][0],            ", "input_b[0][0]             "]);
    expect(wrapText("concat[0][0], hidden[0][0]", 26, "left")).toEqual(["concat[0][0], hidden[0][0]"]);
    expect(wrapText("Y", 9, "center")).toEqual(["    Y    "]);
  });

  it("pyRound rounds half to even", () => {
    expect([0.5, 1.5, 2.5, 3.5, 3.33, 3.67].map(pyRound)).toEqual([0, 2, 2, 4, 3, 4]);
  });
});

describe("Keras's size and count formatting", () => {
  it("readableMemorySize", () => {
    expect(readableMemorySize(0)).toBe("0.00 B");
    expect(readableMemorySize(616)).toBe("616.00 B");
    expect(readableMemorySize(1023)).toBe("1023.00 B");
    expect(readableMemorySize(1024)).toBe("1.00 KB");
    expect(readableMemorySize(50890 * 4)).toBe("198.79 KB");
    expect(readableMemorySize(557 * 4)).toBe("2.18 KB");
    expect(readableMemorySize(3 * 1024 ** 2)).toBe("3.00 MB");
    expect(readableMemorySize(1.5 * 1024 ** 3)).toBe("1.50 GB");
    // Keras divides once more before giving up at PB: 2 EiB prints as "2.00 PB".
    expect(readableMemorySize(2 * 1024 ** 6)).toBe("2.00 PB");
    expect(readableMemorySize(2 * 1024 ** 5)).toBe("2.00 PB");
    // Python's "{:.2f}" rounds exact ties to even: 1152 B = 1.125 KB -> "1.12 KB".
    expect(readableMemorySize(1152)).toBe("1.12 KB");
    expect(readableMemorySize(0.125)).toBe("0.12 B");
    expect(readableMemorySize(0.375)).toBe("0.38 B");
  });

  it("formatFixed2 and formatCount", () => {
    expect(formatFixed2(2.675)).toBe("2.67"); // 2.67499999... as a double
    expect(formatFixed2(1.005)).toBe("1.00");
    expect(formatFixed2(0.625)).toBe("0.62");
    expect(formatFixed2(0.875)).toBe("0.88");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1000)).toBe("1,000");
    expect(formatCount(1234567)).toBe("1,234,567");
  });
});
