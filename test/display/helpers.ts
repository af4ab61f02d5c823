// Shared pieces of the display tests: Keras's fixture models, a recording
// sink that applies display / update messages as a notebook front end does.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as keras from "../../lib/index.js";
import type { KerasTensor } from "../../lib/backend/keras-tensor.js";
import type { DisplaySink, MimeBundle } from "../../display/sink.js";

export const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

export function fixture(path: string): string {
  return readFileSync(FIXTURES + path, "utf8");
}

const { layers } = keras;

/** The two-tower model of plot_model_full_options.dot / model_to_dot_defaults.dot. */
export function twoTower(): keras.Functional {
  const a = layers.Input({ shape: [32], name: "input_a" });
  const b = layers.Input({ shape: [16], name: "input_b" });
  const da = layers.Dense(8, { activation: "relu", name: "dense_a" }).apply(a) as KerasTensor;
  const db = layers.Dense(8, { activation: "relu", name: "dense_b" }).apply(b) as KerasTensor;
  const c = layers.Concatenate({ name: "concat" }).apply([da, db]) as KerasTensor;
  const n = layers.BatchNormalization({ name: "bn" }).apply(c) as KerasTensor;
  const out = layers.Dense(1, { activation: "sigmoid", name: "head" }).apply(n) as KerasTensor;
  return keras.Model({ inputs: [a, b], outputs: out, name: "two_tower" }) as keras.Functional;
}

/** The model of model_to_dot_sequential_show_shapes.dot. */
export function smallSequential(): keras.Sequential {
  return keras.Sequential([layers.Input({ shape: [4] }), layers.Dense(3, { name: "dense" }), layers.Dense(1, { name: "dense_1" })]);
}

/** A Functional model with a nested Sequential block (for expandNested). */
export function nestedModel(): keras.Functional {
  const a = layers.Input({ shape: [6], name: "x_in" });
  const block = keras.Sequential([layers.Input({ shape: [6] }), layers.Dense(4, { name: "inner_a" }), layers.Dense(4, { name: "inner_b" })], {
    name: "block",
  });
  const y = block.apply(a) as KerasTensor;
  const out = layers.Dense(1, { name: "out" }).apply(y) as KerasTensor;
  return keras.Model({ inputs: a, outputs: out, name: "nested" }) as keras.Functional;
}

/** One message the sink received. */
export interface SinkMessage {
  type: "display_data" | "update_display_data" | "clear_output";
  data?: MimeBundle;
  displayId?: string;
  metadata?: Record<string, unknown>;
}

/** A sink that records messages and keeps the outputs as a front end shows them (updates replace by display id). */
export class RecordingSink implements DisplaySink {
  readonly messages: SinkMessage[] = [];
  readonly outputs: { data: MimeBundle; displayId?: string; metadata: Record<string, unknown> }[] = [];

  display(bundle: MimeBundle, opts: { displayId?: string; metadata?: Record<string, unknown> } = {}): void {
    this.messages.push({ type: "display_data", data: bundle, displayId: opts.displayId, metadata: opts.metadata });
    this.outputs.push({ data: bundle, displayId: opts.displayId, metadata: opts.metadata ?? {} });
  }

  update(displayId: string, bundle: MimeBundle, metadata?: Record<string, unknown>): void {
    this.messages.push({ type: "update_display_data", data: bundle, displayId, metadata });
    for (const o of this.outputs) if (o.displayId === displayId) o.data = bundle;
  }

  clearOutput(wait: boolean): void {
    this.messages.push({ type: "clear_output", metadata: { wait } });
    this.outputs.length = 0;
  }

  count(type: SinkMessage["type"], mime?: string): number {
    return this.messages.filter((m) => m.type === type && (!mime || (m.data && mime in m.data))).length;
  }
}

/** Parses DOT into comparable structure: graph lines, nodes (id → label), edges (label pairs), clusters. */
export function parseDot(dot: string): {
  graphLines: string[];
  labels: string[];
  edges: string[];
  clusters: string[];
} {
  const lines = dot.trimEnd().split("\n");
  const idToLabel = new Map<string, string>();
  const graphLines: string[] = [];
  const clusters: string[] = [];
  const edgePairs: [string, string][] = [];
  for (const line of lines) {
    const node = /^(\d+) \[border=0, fontname=Helvetica, label=(<.*>), margin=0\];$/.exec(line);
    const edge = /^(\d+) -> (\d+) {2}\[penwidth=2\];$/.exec(line);
    if (node) idToLabel.set(node[1], node[2]);
    else if (edge) edgePairs.push([edge[1], edge[2]]);
    else if (line.startsWith("subgraph ")) clusters.push(line);
    else graphLines.push(line);
  }
  const name = (id: string): string => {
    const label = idToLabel.get(id) ?? "?";
    return /<b>([^<]+)<\/b>/.exec(label)?.[1] ?? label;
  };
  return {
    graphLines,
    labels: [...idToLabel.values()],
    edges: edgePairs.map(([a, b]) => `${name(a)} -> ${name(b)}`),
    clusters,
  };
}
