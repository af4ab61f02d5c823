// Keeps README's coverage table true: it is computed from what tskeras
// exports against Keras 3's public names (../shared/reference/keras3-api.json).
// Regenerate with UPDATE_COVERAGE=1 npx vitest run test/coverage.test.ts
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as keras from "../lib/index.js";
import { snakeToCamel } from "../lib/utils/naming.js";

const root = join(import.meta.dirname, "..");
const apiPath = join(root, "..", "shared", "reference", "keras3-api.json");

/** Where each Keras namespace lives in tskeras. */
const NAMESPACES: Record<string, unknown> = {
  keras,
  "keras.ops": keras.ops,
  "keras.ops.numpy": keras.ops.numpy,
  "keras.ops.nn": keras.ops.nn,
  "keras.ops.linalg": keras.ops.linalg,
  "keras.ops.image": keras.ops.image,
  "keras.layers": keras.layers,
  "keras.activations": keras.activations,
  "keras.initializers": keras.initializers,
  "keras.regularizers": keras.regularizers,
  "keras.constraints": keras.constraints,
  "keras.random": keras.random,
  "keras.losses": keras.losses,
  "keras.metrics": keras.metrics,
  "keras.optimizers": keras.optimizers,
  "keras.optimizers.schedules": (keras.optimizers as unknown as { schedules?: unknown }).schedules,
  "keras.callbacks": keras.callbacks,
  "keras.backend": keras.backend,
  "keras.config": keras.config,
  "keras.models": keras.models,
  "keras.saving": keras.saving,
  "keras.utils": keras.utils,
};

/** The TypeScript spellings a Keras name may have. */
function candidates(name: string): string[] {
  if (name === "__version__") return ["__version__", "version"];
  const camel = snakeToCamel(name);
  return [name, camel];
}

function has(ns: unknown, name: string): boolean {
  if (ns === undefined || ns === null) return false;
  return candidates(name).some((c) => (ns as Record<string, unknown>)[c] !== undefined);
}

function coverageTable(): string {
  const api = JSON.parse(readFileSync(apiPath, "utf8")) as Record<string, string[]>;
  const rows: string[] = ["| namespace | Keras 3 names | in tskeras | not yet |", "| --- | ---: | ---: | --- |"];
  for (const [nsName, ns] of Object.entries(NAMESPACES)) {
    const names = api[nsName] ?? [];
    const missing = names.filter((n) => !has(ns, n));
    const done = names.length - missing.length;
    const list = missing.length === 0 ? "—" : missing.map((m) => `\`${m}\``).join(", ");
    rows.push(`| \`${nsName}\` | ${names.length} | ${done} | ${list} |`);
  }
  return rows.join("\n");
}

describe("README coverage table", () => {
  it("matches what tskeras exports", () => {
    expect(existsSync(apiPath), `${apiPath} is needed (../shared/reference beside the repo)`).toBe(true);
    const table = coverageTable();
    const readmePath = join(root, "README.md");
    const readme = readFileSync(readmePath, "utf8");
    const start = "<!-- coverage:start -->";
    const end = "<!-- coverage:end -->";
    const i = readme.indexOf(start);
    const j = readme.indexOf(end);
    expect(i).toBeGreaterThan(-1);
    expect(j).toBeGreaterThan(i);
    const current = readme.slice(i + start.length, j).trim();
    if (process.env.UPDATE_COVERAGE) {
      writeFileSync(readmePath, readme.slice(0, i + start.length) + "\n" + table + "\n" + readme.slice(j));
      return;
    }
    expect(current).toBe(table);
  });

  it("keras.ops has at least 150 of Keras's 337 names", () => {
    const api = JSON.parse(readFileSync(apiPath, "utf8")) as Record<string, string[]>;
    const done = api["keras.ops"].filter((n) => has(keras.ops, n)).length;
    expect(done).toBeGreaterThanOrEqual(150);
  });
});
