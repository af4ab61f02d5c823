// model.summary() in a notebook: HTML table + Keras's exact text; a model as
// a cell's value displays the same; without a sink, the terminal text.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as keras from "../../lib/index.js";
import { installNotebookDisplay, summaryBundle, uninstallNotebookDisplay } from "../../display/index.js";
import { summaryText } from "../../lib/utils/summary-utils.js";
import { nestedModel, RecordingSink, twoTower } from "./helpers.js";

const display = (x: unknown): Record<string, string> => (x as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();

describe("summary bundle", () => {
  beforeEach(() => keras.backend.clearSession());
  afterEach(() => uninstallNotebookDisplay());

  it("Sequential: 3 columns, rows, totals with sizes, Keras's text as text/plain", () => {
    const model = keras.Sequential([keras.layers.Input({ shape: [784] }), keras.layers.Dense(64, { activation: "relu" }), keras.layers.Dense(10)], {
      name: "my_sequential",
    });
    const b = summaryBundle(model);
    expect(b["text/plain"]).toBe(summaryText(model).replace(/\n$/, ""));
    const html = b["text/html"] as string;
    expect(html).toContain('Model: "my_sequential"');
    expect(html.match(/<th /g)).toHaveLength(3);
    for (const h of ["Layer (type)", "Output Shape", "Param #"]) expect(html).toContain(`>${h}</th>`);
    expect(html).not.toContain("Connected to");
    expect(html).toContain("<b>dense</b> (Dense)");
    expect(html).toContain("(None, 64)");
    expect(html).toContain(">50,240<");
    expect(html).toContain("<b>Total params:</b>");
    expect(html).toContain("50,890");
    expect(html).toContain("(198.79 KB)");
    expect(html).not.toContain("Optimizer params");
  });

  it("Functional: Connected to column; optimizer params after compile + fit", async () => {
    const model = twoTower();
    const b = summaryBundle(model);
    const html = b["text/html"] as string;
    expect(html).toContain(">Connected to</th>");
    expect(html).toContain("dense_a[0][0]<br>dense_b[0][0]");
    model.compile({ optimizer: "adam", loss: "mse" });
    await model.fit([keras.ops.ones([4, 32]), keras.ops.ones([4, 16])], keras.ops.ones([4, 1]), { epochs: 1, verbose: 0 });
    const after = summaryBundle(model)["text/html"] as string;
    expect(after).toContain("<b>Optimizer params:</b>");
  });

  it("nested models are indented with expandNested", () => {
    const model = nestedModel();
    const b = summaryBundle(model, { expandNested: true });
    const html = b["text/html"] as string;
    expect(html).toContain('data-depth="1"');
    expect(html).toMatch(/padding-left:28px;[^"]*">.*└ .*<b>inner_a<\/b> \(Dense\)/);
    expect(b["text/plain"]).toContain("└ inner_a (Dense)");
  });

  it("a model as a cell's value displays its summary; a layer shows its text", () => {
    const model = twoTower();
    const b = display(model);
    expect(b["text/html"]).toContain("tskeras-summary");
    expect(b["text/plain"]).toBe(summaryText(model).replace(/\n$/, ""));
    const layer = model.getLayer("bn");
    expect(display(layer)).toEqual({ "text/plain": "<BatchNormalization name=bn, built=True>" });
    const unbuilt = keras.Sequential([keras.layers.Dense(2)], { name: "later" });
    expect(display(unbuilt)["text/plain"]).toMatch(/^<Sequential name=later, built=False>$/);
  });

  it("model.summary() goes to the sink when installed, to stdout otherwise", () => {
    const model = twoTower();
    const sink = new RecordingSink();
    installNotebookDisplay(sink, { svg: false });
    model.summary();
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0].type).toBe("display_data");
    expect(Object.keys(sink.messages[0].data!).sort()).toEqual(["text/html", "text/plain"]);
    // printFn still receives the text, as in Keras.
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines.join("")).toBe(summaryText(model));
    expect(sink.messages).toHaveLength(1);
    uninstallNotebookDisplay();
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      model.summary();
      expect(written).toEqual([summaryText(model)]);
    } finally {
      write.mockRestore();
    }
    expect(sink.messages).toHaveLength(1);
  });
});
