/**
 * The kernel benchmark: the tskeras kernel beside Deno's kernel (`deno
 * jupyter`, npm `deno`) and the tslab kernel (npm `tslab`), each started from
 * a connection file and driven by the same client code (kernel/client.ts) over
 * ZeroMQ, in one run.
 *
 *   node dist/bench/kernels.js [--cells=200] [--only=tskeras,deno,tslab]
 *
 * `npm run bench` runs it too and writes its table into bench/RESULTS.md.
 *
 * Figures per kernel (milliseconds, from the request sent to the reply and the
 * idle status received):
 * - first cell: from spawning the kernel process to the reply of its first
 *   `1+1` (start-up, connection and the first evaluation);
 * - `1+1`: the same cell over and over (`cells` times, after 10 unmeasured);
 * - new cells: `cells` different expression cells (`1+i`), so no kernel can
 *   answer from what it saw before;
 * - declarations: cells that each declare a new typed constant and use the
 *   previous one, so the history every type check sees grows;
 * - type error: a cell with a type error; a kernel that checks types rejects
 *   it without running it, so this is close to its type-check time.
 * The type-check cost per cell of tskeras is the difference of its new-cell
 * medians with checks on (the default) and off (TSKERAS_TYPECHECK=0).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../kernel/client.js";
import { TypeView } from "../kernel/evaluator/types.js";
import { GLOBALS_DTS } from "../kernel/evaluator/evaluator.js";

/** The repository root: the nearest folder above this file with tskeras's package.json (it runs from bench/ in tests, from dist/bench/ otherwise). */
const root = ((): string => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "tskeras") return dir;
    if (dirname(dir) === dir) throw new Error("bench/kernels: tskeras's package.json not found above this file");
  }
})();
const require = createRequire(join(root, "package.json"));

/** Median, 95th percentile, min and max of a sample (ms). */
export interface Stats {
  p50: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}

/** A kernel under test. */
export interface KernelUnderTest {
  id: string;
  name: string;
  /** The command line; `{connection_file}` is replaced. */
  argv: string[];
  env?: Record<string, string>;
  /** Whether it type-checks cells before it runs them. */
  typeChecks: boolean;
}

/** What one kernel gave. */
export interface KernelFigures {
  id: string;
  name: string;
  /** The kernel's own words about itself (implementation and version, from kernel_info). */
  version: string;
  typeChecks: boolean;
  firstCellMs: number;
  repeated: Stats;
  fresh: Stats;
  declarations: Stats;
  typeError: Stats;
  /** Whether the type-error cell came back as an error (it ran otherwise). */
  typeErrorReported: boolean;
  /** Cells whose reply or idle status never came (left out of the figures). */
  lost: number;
  error?: string;
}

/** Options of a kernel benchmark run. */
export interface KernelBenchOptions {
  /** Cells per series (default 200). */
  cells?: number;
  /** Kernel ids to run (default all). */
  only?: string[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** The result of a run. */
export interface KernelBenchResult {
  cells: number;
  kernels: KernelFigures[];
  /** tskeras's type-check cost per cell: new-cell p50 with checks on minus off. */
  tskerasTypeCheckMs: number | null;
  /** tskeras's type check of typical cells, in process, after 50 cells of history (every text new, so none is answered from the cache). */
  typicalChecks: Record<string, Stats>;
}

/** The cells of the in-process type-check table. */
const TYPICAL_CELLS: Record<string, string> = {
  "1+1": "1+1",
  "arithmetic on history": "f10(v3[0]) + f49(2)",
  "a Keras model": 'const model = keras.Sequential([keras.layers.Dense(4, { activation: "relu" }), keras.layers.Dense(1)]);\nmodel.compile({ optimizer: "adam", loss: "mse" });\nmodel',
  "a node import": 'import * as fs from "node:fs";\nfs.readdirSync(".").length',
};

/** Times tskeras's type check of typical cells in process (the TypeView the kernel uses). */
export function typicalTypeChecks(reps = 20): Record<string, Stats> {
  const cwd = mkdtempSync(join(tmpdir(), "bench-typeview-"));
  try {
    const view = new TypeView({ cwd, packageRoot: root, globals: GLOBALS_DTS });
    for (let i = 0; i < 50; i++) {
      const c = `const v${i}: number[] = [${i}, ${i + 1}];\nfunction f${i}(x: number) { return x + v${i}.length; }`;
      view.check(c);
      view.commit(c);
    }
    const out: Record<string, Stats> = {};
    for (const [name, code] of Object.entries(TYPICAL_CELLS)) {
      if (view.check(code).length) throw new Error(`type errors in the bench cell ${JSON.stringify(code)}`);
      const times: number[] = [];
      for (let i = 0; i < reps; i++) {
        const text = `${code}\n// ${i}`; // a new text each time: not answered from the cache
        const t0 = performance.now();
        view.check(text);
        times.push(performance.now() - t0);
      }
      out[name] = stats(times);
    }
    return out;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The path of the Deno executable npm installed. */
function denoExecutable(): string {
  const dir = dirname(require.resolve("deno/package.json"));
  const exe = join(dir, process.platform === "win32" ? "deno.exe" : "deno");
  if (existsSync(exe)) return exe;
  // Where the postinstall step did not link it, the package finds the platform binary itself.
  const api = require(join(dir, "install_api.cjs")) as { runInstall(): string };
  return api.runInstall();
}

/** The kernels compared: tskeras with and without type checks, Deno's, tslab's. */
export function kernelsUnderTest(): KernelUnderTest[] {
  const node = process.execPath;
  const tslab = join(dirname(require.resolve("tslab/package.json")), "bin", "tslab");
  return [
    { id: "tskeras", name: "tskeras (type check on, the default)", argv: [node, join(root, "bin", "tskeras.js"), "kernel", "{connection_file}"], typeChecks: true },
    {
      id: "tskeras-nocheck",
      name: "tskeras (type check off)",
      argv: [node, join(root, "bin", "tskeras.js"), "kernel", "{connection_file}"],
      env: { TSKERAS_TYPECHECK: "0" },
      typeChecks: false,
    },
    {
      id: "deno",
      name: "Deno (`deno jupyter`)",
      argv: [denoExecutable(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      typeChecks: false,
    },
    { id: "tslab", name: "tslab", argv: [node, tslab, "kernel", "--config-path", "{connection_file}"], typeChecks: true },
  ];
}

/** Median and friends of a sample. */
export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, n: s.length };
}

/** A cell whose reply or idle status never came (the kernel lost it), after this long. */
const LOST_AFTER_MS = 5000;

class LostReply extends Error {}

async function timed(k: KernelClient, code: string, expectOk: boolean): Promise<{ ms: number; status: string }> {
  const t0 = performance.now();
  // stop_on_error false: a kernel may abort the requests that follow an error otherwise (tslab does).
  let reply;
  try {
    ({ reply } = await k.execute(code, { timeoutMs: LOST_AFTER_MS, stopOnError: false }));
  } catch (e) {
    throw new LostReply(e instanceof Error ? e.message : String(e));
  }
  const ms = performance.now() - t0;
  const status = String(reply.content.status);
  if (expectOk && status !== "ok") throw new Error(`cell ${JSON.stringify(code)} failed: ${JSON.stringify(reply.content)}`);
  return { ms, status };
}

/** A kernel being measured: its client, figures so far and where each series stands. */
interface Contestant {
  spec: KernelUnderTest;
  k?: KernelClient;
  cwd: string;
  f: KernelFigures;
  times: Record<Series, number[]>;
  statuses: string[];
}

type Series = "1+1" | "new cells" | "declarations" | "type error";

/** The cells of each series (the i-th cell of a kernel's series). */
const SERIES_CELL: Record<Series, (i: number) => string> = {
  "1+1": () => "1+1",
  "new cells": (i) => `1+${i + 2}`,
  declarations: (i) => `const bench_v${i + 1}: number = bench_v${i} + ${i + 1};`,
  "type error": (i) => `const bench_bad${i}: string = ${i};`,
};

function emptyFigures(spec: KernelUnderTest): KernelFigures {
  const nan = stats([]);
  return { id: spec.id, name: spec.name, version: "?", typeChecks: spec.typeChecks, firstCellMs: NaN, repeated: nan, fresh: nan, declarations: nan, typeError: nan, typeErrorReported: false, lost: 0 };
}

/** Starts a kernel and times its first cell; on failure the contestant carries the error. */
async function startContestant(spec: KernelUnderTest): Promise<Contestant> {
  const c: Contestant = {
    spec,
    cwd: mkdtempSync(join(tmpdir(), `bench-kernel-${spec.id}-`)),
    f: emptyFigures(spec),
    times: { "1+1": [], "new cells": [], declarations: [], "type error": [] },
    statuses: [],
  };
  try {
    const t0 = performance.now();
    c.k = await KernelClient.start({ argv: spec.argv, env: spec.env, cwd: c.cwd, pollInterval: 20, startTimeout: 60_000 });
    await timed(c.k, "1+1", true);
    c.f.firstCellMs = performance.now() - t0;
    const info = (await c.k.request("shell", "kernel_info_request", {})).reply.content as {
      implementation?: string;
      implementation_version?: string;
      language_info?: { name?: string; version?: string };
    };
    c.f.version = `${info.implementation ?? "?"} ${info.implementation_version ?? ""} (${info.language_info?.name ?? "?"} ${info.language_info?.version ?? ""})`.replace(/\s+/g, " ");
    for (let i = 0; i < 10; i++) await timed(c.k, "1+1", true);
    await timed(c.k, "const bench_v0: number = 0;", true);
  } catch (e) {
    c.f.error = `start: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
  }
  return c;
}

/** Runs `n` cells of a series on one kernel (cells `from` .. `from + n - 1`). */
async function runBlock(c: Contestant, series: Series, from: number, n: number): Promise<void> {
  if (c.f.error || !c.k) return;
  for (let i = from; i < from + n; i++) {
    // tslab aborts every request that comes within 200 ms of an error (its issue 19): wait that out, untimed.
    if (series === "type error") await new Promise((r) => setTimeout(r, 250));
    try {
      const r = await timed(c.k, SERIES_CELL[series](i), series !== "type error");
      c.times[series].push(r.ms);
      if (series === "type error") c.statuses.push(r.status);
    } catch (e) {
      // A kernel that drops a reply now and then (tslab does, under a fast client) is still measured; after 5 such, it is not.
      if (e instanceof LostReply && ++c.f.lost < 5) continue;
      c.f.error = `${series}, cell ${i + 1}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
      return;
    }
  }
}

/**
 * Runs the kernel benchmark. Every kernel is started (one at a time: the
 * first-cell time), then each series runs in rounds: a block of cells on
 * each kernel in turn, the order flipped every round, so a change of load
 * during the run touches all kernels alike. A kernel that fails keeps the
 * series it finished, with its error; the others go on.
 */
export async function runKernelBench(opts: KernelBenchOptions = {}): Promise<KernelBenchResult> {
  const cells = opts.cells ?? 200;
  const contestants: Contestant[] = [];
  try {
    for (const spec of kernelsUnderTest()) {
      if (opts.only && !opts.only.includes(spec.id)) continue;
      const c = await startContestant(spec);
      opts.log?.(`kernel ${spec.id}: ${c.f.error ?? `first cell ${c.f.firstCellMs.toFixed(0)} ms`}`);
      contestants.push(c);
    }
    const plan: [Series, number][] = [
      ["1+1", cells],
      ["new cells", cells],
      ["declarations", Math.max(5, Math.min(cells, 100))],
      ["type error", Math.max(5, Math.min(cells, 20))],
    ];
    for (const [series, n] of plan) {
      const rounds = Math.min(10, n);
      let done = 0;
      for (let r = 0; r < rounds; r++) {
        const block = Math.floor((n * (r + 1)) / rounds) - done;
        const order = r % 2 === 0 ? contestants : [...contestants].reverse();
        for (const c of order) await runBlock(c, series, done, block);
        done += block;
      }
      opts.log?.(`kernels: ${series}: ` + contestants.map((c) => `${c.spec.id} ${stats(c.times[series]).p50.toFixed(2)} ms`).join(", "));
    }
    for (const c of contestants) {
      c.f.repeated = stats(c.times["1+1"]);
      c.f.fresh = stats(c.times["new cells"]);
      c.f.declarations = stats(c.times.declarations);
      c.f.typeError = stats(c.times["type error"]);
      if (c.statuses.includes("abort")) c.f.error ??= "the kernel aborted a cell after a type error";
      c.f.typeErrorReported = c.statuses.length > 0 && c.statuses.every((st) => st === "error");
    }
  } finally {
    for (const c of contestants) {
      await c.k?.shutdown();
      rmSync(c.cwd, { recursive: true, force: true });
    }
  }
  const kernels = contestants.map((c) => c.f);
  const on = kernels.find((k) => k.id === "tskeras" && Number.isFinite(k.fresh.p50));
  const off = kernels.find((k) => k.id === "tskeras-nocheck" && Number.isFinite(k.fresh.p50));
  const typicalChecks = !opts.only || opts.only.includes("tskeras") ? typicalTypeChecks() : {};
  return { cells, kernels, tskerasTypeCheckMs: on && off ? on.fresh.p50 - off.fresh.p50 : null, typicalChecks };
}

const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : "-");

/** The kernel section of bench/RESULTS.md. */
export function kernelMarkdown(r: KernelBenchResult): string {
  const lines: string[] = [];
  lines.push("## Kernels: tskeras, Deno, tslab");
  lines.push("");
  lines.push(
    `Execute round trips (ms, request sent to reply and idle status received) over the Jupyter protocol on ZeroMQ, every kernel started ` +
      `from a connection file and driven by the same client (kernel/client.ts) in this run (all four running, one request at a time); ${r.cells} cells per series ` +
      "after 10 unmeasured; every series runs in rounds (a block of cells on each kernel in turn, the order flipped every round). **1+1**: the same cell again and again. **new cells**: `1+i`, a different cell each time. " +
      "**declarations**: `const v_i: number = v_(i-1) + i`, so the history every check sees grows. " +
      "**type error**: `const bad: string = 1`, which a kernel that checks types rejects without running it. " +
      "**first cell**: from spawning the kernel to the reply of its first `1+1`.",
  );
  lines.push("");
  lines.push("| kernel | checks types | first cell | 1+1 p50 | 1+1 p95 | new cells p50 | new cells p95 | declarations p50 | type error p50 | type error reported |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const k of r.kernels) {
    lines.push(
      `| ${k.name} | ${k.typeChecks ? "yes" : "no"} | ${ms(k.firstCellMs)} | ${ms(k.repeated.p50)} | ${ms(k.repeated.p95)} | ${ms(k.fresh.p50)} | ${ms(k.fresh.p95)} | ${ms(k.declarations.p50)} | ${ms(k.typeError.p50)} | ${k.typeError.n === 0 ? "-" : k.typeErrorReported ? "yes" : "no (it ran)"} |`,
    );
  }
  lines.push("");
  for (const k of r.kernels) {
    const lost = k.lost ? `; **lost ${k.lost} repl${k.lost > 1 ? "ies" : "y"}** (no reply or idle status in ${LOST_AFTER_MS / 1000} s; those cells are left out)` : "";
    lines.push(`- ${k.name}: ${k.version}${lost}${k.error ? `; **stopped** (${k.error}), the series before it are complete` : ""}`);
  }
  if (r.tskerasTypeCheckMs !== null) {
    lines.push(`- tskeras's type check costs ${ms(r.tskerasTypeCheckMs)} ms per new cell (new-cell p50, checks on minus off); a cell run again with the same history is answered from the checker's cache.`);
  }
  const byId = (id: string): KernelFigures | undefined => r.kernels.find((k) => k.id === id && Number.isFinite(k.fresh.p50));
  const on = byId("tskeras");
  const off = byId("tskeras-nocheck");
  const vs = (a: KernelFigures | undefined, b: KernelFigures | undefined, what: string): void => {
    if (!a || !b) return;
    const rows = ([["1+1", "repeated"], ["new cells", "fresh"]] as const).map(([label, key]) => {
      const x = a[key].p50;
      const y = b[key].p50;
      return `${label} ${ms(x)} vs ${ms(y)} ms: ${x <= y ? "not slower" : `**slower by ${ms(x - y)} ms**`}`;
    });
    lines.push(`- ${what}: ${rows.join("; ")}.`);
  };
  if (on) {
    lines.push(
      `- Goal round trip p50 <= 5 ms (type check on, the default): 1+1 ${ms(on.repeated.p50)} ms: ${on.repeated.p50 <= 5 ? "met" : "**not met**"}; ` +
        `new cells ${ms(on.fresh.p50)} ms: ${on.fresh.p50 <= 5 ? "met" : "**not met**"} (each new cell pays a type check).`,
    );
  }
  if (off) lines.push(`- Round trip with the type check off: 1+1 ${ms(off.repeated.p50)} ms, new cells ${ms(off.fresh.p50)} ms.`);
  vs(on, byId("tslab"), "tskeras (type check on) against tslab, the other kernel that checks types");
  vs(off, byId("deno"), "tskeras (type check off) against Deno, which does not check types");
  vs(on, byId("deno"), "tskeras (type check on) against Deno");
  const typical = Object.entries(r.typicalChecks);
  if (typical.length) {
    lines.push("");
    lines.push("tskeras's type check of typical cells after 50 cells of history (in process, the TypeView the kernel uses; every text new, so none comes from the cache):");
    lines.push("");
    lines.push("| cell | p50 (ms) | p95 (ms) |");
    lines.push("|---|---:|---:|");
    for (const [name, st] of typical) lines.push(`| ${name} | ${ms(st.p50)} | ${ms(st.p95)} |`);
    const worst = Math.max(...typical.map(([, st]) => st.p50));
    lines.push("");
    lines.push(`- Goal type check p50 <= 150 ms: ${worst <= 150 ? "met" : "**not met**"} (slowest typical cell ${ms(worst)} ms).`);
  }
  lines.push("");
  return lines.join("\n");
}

function parseArgs(argv: string[]): KernelBenchOptions {
  const o: KernelBenchOptions = {};
  for (const a of argv) {
    const [k, v = ""] = a.split("=", 2);
    if (k === "--cells") o.cells = Number(v);
    else if (k === "--only") o.only = v.split(",").filter(Boolean);
    else throw new Error(`unknown option ${a} (use --cells=N, --only=tskeras,tskeras-nocheck,deno,tslab)`);
  }
  return o;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = parseArgs(process.argv.slice(2));
  const r = await runKernelBench({ ...opts, log: (l) => process.stdout.write(`[bench] ${l}\n`) });
  process.stdout.write("\n" + kernelMarkdown(r));
}
