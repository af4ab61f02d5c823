/**
 * `tskeras run NOTEBOOK.ipynb [--output OUT.ipynb]`: starts the kernel as a
 * subprocess, executes every code cell through the Jupyter protocol (as
 * nbclient does), writes the outputs into the notebook (nbformat 4) and
 * exits non-zero on the first failing cell, naming it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { KernelClient, type StartOptions } from "./client.js";
import type { Message } from "./protocol/message.js";
import { kernelInfo } from "./kernel.js";

/** One nbformat 4 output. */
export type NotebookOutput =
  | { output_type: "stream"; name: string; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; execution_count: number | null; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** An nbformat 4 cell (the fields the runner uses). */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** The result of running a notebook. */
export interface RunResult {
  notebook: Notebook;
  /** The first failing cell, if any. */
  failed?: { index: number; firstLine: string; ename: string; evalue: string };
}

/** Options of runNotebook. */
export interface RunOptions {
  /** Per-cell timeout in ms (default 10 minutes). */
  timeoutMs?: number;
  /** The kernel's working directory (default: the notebook's directory). */
  cwd?: string;
  /** How to start the kernel. */
  kernel?: StartOptions;
  /** Called before each code cell runs. */
  onCell?: (index: number, source: string) => void;
  /** Called with every iopub message the kernel sends (tests count display updates with it). */
  onIopub?: (message: Message) => void;
}

function sourceText(s: string | string[]): string {
  return Array.isArray(s) ? s.join("") : s;
}

/** Runs every code cell of `nb` in a fresh kernel; fills in outputs and execution counts. */
export async function runNotebook(nb: Notebook, options: RunOptions = {}): Promise<RunResult> {
  const client = await KernelClient.start({ cwd: options.cwd, ...options.kernel });
  const cellOf = new Map<string, number>(); // request msg_id → cell index
  const displays = new Map<string, NotebookOutput[]>(); // display_id → outputs showing it
  const clearPending = new Set<number>();
  const cells = nb.cells;

  const append = (idx: number, out: NotebookOutput): void => {
    const cell = cells[idx]!;
    if (clearPending.has(idx)) {
      clearPending.delete(idx);
      cell.outputs = [];
    }
    const outputs = (cell.outputs ??= []);
    const last = outputs[outputs.length - 1];
    if (out.output_type === "stream" && last?.output_type === "stream" && last.name === out.name) {
      last.text += out.text;
      return;
    }
    outputs.push(out);
  };

  client.onIopub = (m: Message) => {
    options.onIopub?.(m);
    const id = m.parent_header.msg_id;
    const idx = id ? cellOf.get(id) : undefined;
    if (idx === undefined) return;
    const c = m.content as Record<string, unknown>;
    const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
    switch (m.header.msg_type) {
      case "stream":
        append(idx, { output_type: "stream", name: String(c.name), text: String(c.text) });
        break;
      case "display_data": {
        const out: NotebookOutput = { output_type: "display_data", data: c.data as Record<string, unknown>, metadata: (c.metadata ?? {}) as Record<string, unknown> };
        append(idx, out);
        if (displayId) displays.set(displayId, [...(displays.get(displayId) ?? []), out]);
        break;
      }
      case "update_display_data":
        for (const out of (displayId && displays.get(displayId)) || []) {
          if (out.output_type === "display_data") {
            out.data = c.data as Record<string, unknown>;
            out.metadata = (c.metadata ?? {}) as Record<string, unknown>;
          }
        }
        break;
      case "execute_result":
        append(idx, {
          output_type: "execute_result",
          execution_count: Number(c.execution_count),
          data: c.data as Record<string, unknown>,
          metadata: (c.metadata ?? {}) as Record<string, unknown>,
        });
        break;
      case "error":
        append(idx, { output_type: "error", ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback ?? []) as string[] });
        break;
      case "clear_output":
        if (c.wait) clearPending.add(idx);
        else cells[idx]!.outputs = [];
        break;
    }
  };

  let failed: RunResult["failed"];
  try {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      if (cell.cell_type !== "code") continue;
      const code = sourceText(cell.source);
      cell.outputs = [];
      cell.execution_count = null;
      options.onCell?.(i, code);
      const timeoutMs = options.timeoutMs ?? 600_000;
      let reply: Message;
      try {
        ({ reply } = await client.execute(code, { timeoutMs, allowStdin: false, onSent: (id) => cellOf.set(id, i) }));
      } catch (e) {
        // No reply in time: report the cell (the partial notebook is still written) instead of crashing.
        const evalue = `the cell did not finish within ${Math.round(timeoutMs / 1000)} s (${(e as Error).message})`;
        (cell.outputs ??= []).push({ output_type: "error", ename: "TimeoutError", evalue, traceback: [`TimeoutError: ${evalue}`] });
        failed = { index: i, firstLine: code.split("\n")[0] ?? "", ename: "TimeoutError", evalue };
        break;
      }
      cell.execution_count = Number(reply.content.execution_count ?? null);
      if (reply.content.status !== "ok") {
        failed = {
          index: i,
          firstLine: code.split("\n")[0] ?? "",
          ename: String(reply.content.ename ?? "Error"),
          evalue: String(reply.content.evalue ?? reply.content.status),
        };
        break;
      }
    }
  } finally {
    await client.shutdown();
  }
  const info = kernelInfo();
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: "tskeras", display_name: "TypeScript (Keras)", language: "typescript" },
    language_info: info.language_info,
  };
  return { notebook: nb, failed };
}

/** The CLI: parses arguments, runs, writes, prints. */
export async function runNotebookCli(args: string[]): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  let timeoutMs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--output" || a === "-o") output = args[++i];
    else if (a.startsWith("--output=")) output = a.slice(9);
    else if (a === "--timeout") timeoutMs = Number(args[++i]) * 1000;
    else if (!input) input = a;
    else {
      process.stderr.write(`tskeras run: unexpected argument '${a}'\n`);
      return 2;
    }
  }
  if (!input) {
    process.stderr.write("Usage: tskeras run NOTEBOOK.ipynb [--output OUT.ipynb] [--timeout SECONDS]\n");
    return 2;
  }
  const path = resolve(input);
  const nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
  if (nb.nbformat !== 4) {
    process.stderr.write(`tskeras run: ${input} is nbformat ${nb.nbformat}; only nbformat 4 is supported\n`);
    return 2;
  }
  const { notebook, failed } = await runNotebook(nb, {
    cwd: dirname(path),
    timeoutMs,
    onCell: (i, src) => process.stderr.write(`[${i}] ${src.split("\n")[0]!.slice(0, 70)}\n`),
  });
  const outPath = resolve(output ?? input);
  writeFileSync(outPath, JSON.stringify(notebook, null, 1) + "\n");
  if (failed) {
    process.stderr.write(`tskeras run: cell ${failed.index} failed ("${failed.firstLine.slice(0, 80)}"): ${failed.ename}: ${failed.evalue}\n`);
    process.stdout.write(`Wrote the executed notebook (up to the failing cell) to ${outPath}\n`);
    return 1;
  }
  process.stdout.write(`Wrote the executed notebook to ${outPath}\n`);
  return 0;
}
