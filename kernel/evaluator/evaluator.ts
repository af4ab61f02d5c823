/**
 * The evaluator: runs TypeScript cells in this process (`vm.runInThisContext`),
 * keeps their declarations, type-checks them with one language service, and
 * turns results and errors into what the kernel (or the REPL) shows.
 */
import vm from "node:vm";
import { createRequire, isBuiltin } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { compileCell, RUNTIME_SYMBOL_KEY, type CompiledCell } from "./compile.js";
import { TypeView, type CellDiagnostic, type Completions, type Inspection } from "./types.js";
import { isComplete, type IsComplete } from "./is-complete.js";
import { toMimeBundle, type MimeBundle, plainText } from "../display.js";
import { PACKAGE_ROOT } from "./paths.js";

export { PACKAGE_ROOT };

/** What the evaluator needs from its front end (the Jupyter kernel or the REPL). */
export interface EvaluatorHost {
  /** Shows a bundle; `update` replaces the output with the same display id. */
  display(bundle: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined, update: boolean): void;
  /** Clears the cell's output (`wait`: when the next output arrives). */
  clearOutput(wait: boolean): void;
  /** Asks the user for a line of input; rejects when the front end cannot. */
  input(prompt: string, password: boolean): Promise<string>;
}

/** How the evaluator is set up. */
export interface EvaluatorOptions {
  /** The notebook's directory (imports resolve from here). Default: process.cwd(). */
  cwd?: string;
  /** Type-check cells before running them. Default: true. */
  typeCheck?: boolean;
  /**
   * Rich notebook display (live training charts, HTML summaries, graphs):
   * true in the Jupyter kernel, false in the REPL (which prints Keras's text).
   * Default: false.
   */
  richDisplay?: boolean;
  /** Called with true when a cell's own code starts running and false when it ends (the kernel's SIGINT thread uses it). */
  onRunning?: (running: boolean) => void;
}

/** The part of display/index.ts the evaluator uses. */
interface DisplayModule {
  installNotebookDisplay(sink: {
    display(bundle: MimeBundle, opts?: { displayId?: string; metadata?: Record<string, unknown> }): void;
    update(displayId: string, bundle: MimeBundle, metadata?: Record<string, unknown>): void;
    clearOutput?(wait: boolean): void;
  }): void;
  flushNotebookDisplay(): Promise<void>;
}

/** The outcome of one cell. */
export type ExecuteOutcome =
  | { status: "ok"; result?: MimeBundle; value?: unknown }
  | { status: "error"; ename: string; evalue: string; traceback: string[]; interrupted: boolean; error?: unknown };

/** A handle on an output, returned by `display`. */
export interface DisplayHandle {
  /** The display id (transient.display_id). */
  readonly displayId: string;
  /** Replaces the output with `value` (update_display_data). */
  update(value: unknown): void;
  /** Empties the output. */
  clear(): void;
}

/** The documented hook through which library code (the trainer) sees the running cell's AbortSignal. */
export const CELL_SIGNAL_KEY: unique symbol = Symbol.for("tskeras.cellSignal") as never;

/** The global declarations cells see, as the type checker knows them. */
export const GLOBALS_DTS = `
import * as __tskeras_module from "tskeras";
declare global {
  /**
   * The tskeras module (Keras 3 for TypeScript), loaded on first use. An alias of the module, so its
   * types are reachable too: \`keras.Tensor\`, \`keras.Sequential\`, \`keras.LayerArgs\`.
   */
  export import keras = __tskeras_module;
  /** A handle on a displayed output. */
  interface TskerasDisplayHandle {
    /** The output's display id. */
    readonly displayId: string;
    /** Replaces the output with a new value (update_display_data). */
    update(value: unknown): void;
    /** Empties the output. */
    clear(): void;
  }
  /** Shows a value as rich output (its [Symbol.for("Jupyter.display")]() bundle, or text). */
  function display(value: unknown, options?: { displayId?: string; metadata?: Record<string, unknown>; raw?: boolean }): TskerasDisplayHandle;
  /** Clears the cell's output; with wait, when the next output arrives. */
  function clearOutput(options?: { wait?: boolean }): void;
  /** Asks the user for a line of text (a Jupyter input_request). */
  function input(prompt?: string): Promise<string>;
  /** Asks the user for a password (not echoed). */
  function password(prompt?: string): Promise<string>;
}
`;

/** The error a cell gets when it is interrupted. */
export class InterruptError extends Error {
  override name = "KeyboardInterrupt";
  constructor(message = "Interrupted") {
    super(message);
  }
}

let displayCounter = 0;

/** Marks display handles: a cell whose value is one shows no result (as Python's display returns None). */
const DISPLAY_HANDLE = Symbol("tskeras.displayHandle");

/** Runs cells. One per process: it owns the global scope. */
export class Evaluator {
  readonly cwd: string;
  typeCheck: boolean;
  private view: TypeView | undefined;
  private readonly maps = new Map<string, CompiledCell>();
  private controller = new AbortController();
  private running = false;
  private readonly onRunning: ((running: boolean) => void) | undefined;
  private silentCount = 0;
  private kerasModule: unknown;
  private kerasLoading: Promise<unknown> | undefined;
  private readonly richDisplay: boolean;
  private displayModule: DisplayModule | null = null;
  private readonly requireFromCwd: NodeJS.Require;

  constructor(private readonly host: EvaluatorHost, options: EvaluatorOptions = {}) {
    this.cwd = resolvePath(options.cwd ?? process.cwd());
    this.typeCheck = options.typeCheck ?? true;
    this.richDisplay = options.richDisplay ?? false;
    this.onRunning = options.onRunning;
    this.requireFromCwd = createRequire(join(this.cwd, "__tskeras_notebook__.js"));
    this.installGlobals();
  }

  /** The type view (created on first use: loading TypeScript's libs takes a moment). */
  get types(): TypeView {
    this.view ??= new TypeView({ cwd: this.cwd, packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
    return this.view;
  }

  /** The AbortSignal of the running (or last) cell. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether a cell is running. */
  get busy(): boolean {
    return this.running;
  }

  /** Interrupts the running cell: its pending await rejects and its AbortSignal fires. */
  interrupt(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new InterruptError());
  }

  /** Loads tskeras (once); the global `keras` is bound to it. */
  loadKeras(): Promise<unknown> {
    this.kerasLoading ??= Promise.all([
      import(pathToFileURL(join(PACKAGE_ROOT, "dist", "lib", "index.js")).href),
      this.richDisplay ? this.loadDisplay() : Promise.resolve(),
    ]).then(([m]: [unknown, unknown]) => {
      this.kerasModule = m;
      return m;
    });
    return this.kerasLoading;
  }

  /** Loads display/ and connects it to this kernel's outputs (notebook mode only). */
  private async loadDisplay(): Promise<void> {
    const d = (await import(pathToFileURL(join(PACKAGE_ROOT, "dist", "display", "index.js")).href)) as DisplayModule;
    d.installNotebookDisplay({
      display: (bundle, opts = {}) => this.host.display(bundle, opts.metadata ?? {}, opts.displayId, false),
      update: (id, bundle, metadata = {}) => this.host.display(bundle, metadata, id, true),
      clearOutput: (wait) => this.host.clearOutput(wait),
    });
    this.displayModule = d;
  }

  private installGlobals(): void {
    const g = globalThis as Record<string | symbol, unknown>;
    const self = this;
    g[Symbol.for(RUNTIME_SYMBOL_KEY)] = {
      import: (spec: unknown) => this.importModule(String(spec)),
    };
    Object.defineProperty(g, CELL_SIGNAL_KEY, { configurable: true, get: () => this.controller.signal });
    Object.defineProperty(g, "keras", {
      configurable: true,
      enumerable: false,
      get() {
        if (self.kerasModule) return self.kerasModule;
        throw new Error("tskeras is still loading: use `import * as keras from \"tskeras\"` or `await import(\"tskeras\")`");
      },
      set(v: unknown) {
        Object.defineProperty(g, "keras", { configurable: true, writable: true, enumerable: true, value: v });
      },
    });
    g.display = (value: unknown, options: { displayId?: string; metadata?: Record<string, unknown>; raw?: boolean } = {}): DisplayHandle =>
      this.display(value, options);
    g.clearOutput = (options: { wait?: boolean } = {}): void => this.host.clearOutput(Boolean(options.wait));
    g.input = (prompt = ""): Promise<string> => this.input(String(prompt), false);
    g.password = (prompt = ""): Promise<string> => this.input(String(prompt), true);
    g.require = this.makeRequire();
    g[Symbol.for("tskeras.tslabSink")] = {
      display: (bundle: MimeBundle, id: string | undefined, update: boolean) => this.host.display(bundle, {}, id, update),
    };
  }

  private input(prompt: string, password: boolean): Promise<string> {
    const signal = this.controller.signal;
    return new Promise<string>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.host.input(prompt, password).then(
        (v) => {
          signal.removeEventListener("abort", onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
  }

  /** Shows `value` and returns a handle to update it. */
  display(value: unknown, options: { displayId?: string; metadata?: Record<string, unknown>; raw?: boolean } = {}): DisplayHandle {
    const displayId = options.displayId ?? `tskeras-${process.pid}-${++displayCounter}`;
    const metadata = options.metadata ?? {};
    const show = (v: unknown, update: boolean): void => {
      const bundle = options.raw && typeof v === "object" && v !== null ? (v as MimeBundle) : toMimeBundle(v);
      if (bundle instanceof Promise) void bundle.then((b) => this.host.display(b, metadata, displayId, update));
      else this.host.display(bundle, metadata, displayId, update);
    };
    show(value, false);
    const handle: DisplayHandle = {
      displayId,
      update: (v: unknown) => show(v, true),
      clear: () => this.host.display({ "text/plain": "" }, {}, displayId, true),
    };
    Object.defineProperty(handle, DISPLAY_HANDLE, { value: true });
    return handle;
  }

  private makeRequire(): NodeJS.Require {
    const base = this.requireFromCwd;
    const req = ((spec: string) => {
      if (spec === "tskeras") {
        if (this.kerasModule) return this.kerasModule;
        throw new Error("require('tskeras'): tskeras is an ES module with top-level await; use `import * as keras from \"tskeras\"`");
      }
      if (spec === "tslab") return base(join(PACKAGE_ROOT, "dist", "kernel", "tslab.js"));
      return base(spec);
    }) as NodeJS.Require;
    req.resolve = base.resolve;
    req.cache = base.cache;
    req.main = base.main;
    req.extensions = base.extensions;
    return req;
  }

  /** Imports a module the way a cell's `import` does: Node built-ins, tskeras, tslab, paths and packages from the notebook's directory. */
  async importModule(spec: string): Promise<unknown> {
    if (spec === "tskeras") return this.loadKeras();
    if (spec === "tslab") return import(pathToFileURL(join(PACKAGE_ROOT, "dist", "kernel", "tslab.js")).href);
    if (spec.startsWith("tskeras/")) return import(pathToFileURL(join(PACKAGE_ROOT, "dist", spec.slice(8))).href);
    if (isBuiltin(spec)) return import(spec);
    if (spec.startsWith("file:")) return import(spec);
    if (spec.startsWith(".") || isAbsolute(spec)) return import(pathToFileURL(resolvePath(this.cwd, spec)).href);
    return import(pathToFileURL(this.resolvePackage(spec)).href);
  }

  private resolvePackage(spec: string): string {
    try {
      return this.requireFromCwd.resolve(spec);
    } catch (e) {
      // ESM-only packages: read their package.json "exports" ourselves.
      const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec);
      if (!m) throw e;
      const [, name, sub] = m;
      for (let dir = this.cwd; ; dir = dirname(dir)) {
        const pkgDir = join(dir, "node_modules", name!);
        const pj = join(pkgDir, "package.json");
        if (existsSync(pj)) {
          const pkg = JSON.parse(readFileSync(pj, "utf8")) as { exports?: unknown; module?: string; main?: string };
          const target = exportTarget(pkg.exports, sub ? "." + sub : ".");
          if (target) return join(pkgDir, target);
          if (!sub) return join(pkgDir, pkg.module ?? pkg.main ?? "index.js");
          return join(pkgDir, sub);
        }
        if (dirname(dir) === dir) break;
      }
      throw e;
    }
  }

  /** Whether `code` is complete. */
  isComplete(code: string): IsComplete {
    return isComplete(code);
  }

  /** Completions at `cursor`. */
  complete(code: string, cursor: number): Completions {
    return this.types.complete(code, cursor);
  }

  /** Inspection at `cursor`. */
  inspect(code: string, cursor: number): Inspection | undefined {
    return this.types.inspect(code, cursor);
  }

  /** The type errors of `code` as the next cell. */
  typeErrors(code: string): CellDiagnostic[] {
    return this.types.check(code);
  }

  /**
   * Runs a cell. `count` names it in stack traces (`Cell[count]`); undefined
   * for cells outside the history.
   */
  async execute(code: string, count?: number): Promise<ExecuteOutcome> {
    const filename = count !== undefined ? `Cell[${count}]` : `Cell[silent-${++this.silentCount}]`;
    let compiled: CompiledCell;
    try {
      compiled = compileCell(code, filename);
    } catch (e) {
      return this.errorOutcome(e, false);
    }
    if (compiled.syntaxErrors.length) {
      const tb = compiled.syntaxErrors.map((d) => `${filename}:${d.line}:${d.col} - error TS${d.code}: ${d.message}`);
      return { status: "error", ename: "SyntaxError", evalue: compiled.syntaxErrors[0]!.message, traceback: [...tb, ...codeFrame(code, compiled.syntaxErrors[0]!)], interrupted: false };
    }
    const noCheck = !this.typeCheck || /^\s*\/\/\s*@ts-nocheck\b/.test(code);
    if (!noCheck) {
      const diags = this.types.check(code);
      if (diags.length) {
        const tb: string[] = [];
        for (const d of diags) {
          tb.push(`${filename}:${d.line}:${d.col} - error TS${d.code}: ${d.message}`);
          tb.push(...codeFrame(code, d));
        }
        return {
          status: "error",
          ename: "TypeScriptError",
          evalue: `${diags.length} type error${diags.length > 1 ? "s" : ""}: ${diags[0]!.message.split("\n")[0]}`,
          traceback: tb,
          interrupted: false,
        };
      }
    }
    this.maps.set(filename, compiled);
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.running = true;
    this.onRunning?.(true);
    try {
      if (/\bkeras\b/.test(code) && !this.kerasModule) await this.loadKeras();
      const g = globalThis as Record<string, unknown>;
      for (const name of compiled.declared) {
        if (!(name in g)) Object.defineProperty(g, name, { configurable: true, writable: true, enumerable: true, value: undefined });
      }
      const ran = vm.runInThisContext(compiled.js, { filename, breakOnSigint: true }) as
        | { value: unknown }
        | undefined
        | Promise<{ value: unknown } | undefined>;
      let out: { value: unknown } | undefined;
      if (ran instanceof Promise) {
        ran.catch(() => undefined);
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason as Error);
          if (signal.aborted) onAbort();
          else signal.addEventListener("abort", onAbort, { once: true });
        });
        aborted.catch(() => undefined);
        try {
          out = await Promise.race([ran, aborted]);
        } finally {
          if (onAbort) signal.removeEventListener("abort", onAbort);
        }
      } else {
        out = ran;
      }
      this.commit(code);
      // Chart SVGs render asynchronously: the cell's last display updates belong to it.
      if (this.displayModule) await this.displayModule.flushNotebookDisplay();
      const isHandle = typeof out?.value === "object" && out.value !== null && DISPLAY_HANDLE in out.value;
      if (compiled.hasResult && out && out.value !== undefined && !isHandle) {
        const bundle = await toMimeBundle(out.value);
        return { status: "ok", result: bundle, value: out.value };
      }
      return { status: "ok" };
    } catch (e) {
      this.commit(code);
      const interrupted =
        e instanceof InterruptError || (e as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
      if (interrupted && !signal.aborted) this.controller.abort(new InterruptError());
      return this.errorOutcome(e, interrupted);
    } finally {
      this.running = false;
      this.onRunning?.(false);
    }
  }

  private commit(code: string): void {
    try {
      if (this.view || this.typeCheck) this.types.commit(code);
    } catch {
      /* the type view is best effort */
    }
  }

  /** Maps `Cell[n]:line:col` positions in a stack to the cells' own lines. */
  mapStack(stack: string): string {
    return stack.replace(/(Cell\[[\w-]+\]):(\d+):(\d+)/g, (all, file: string, l: string, c: string) => {
      const cell = this.maps.get(file);
      if (!cell) return all;
      const line = Number(l) - 1;
      let col = Number(c) - 1;
      if (line === 0) col -= cell.prefixLength;
      const pos = cell.map.map(line, Math.max(0, col));
      return pos ? `${file}:${pos.line + 1}:${pos.col + 1}` : all;
    });
  }

  private errorOutcome(e: unknown, interrupted: boolean): ExecuteOutcome {
    if (interrupted) {
      const msg = e instanceof Error && !(e instanceof InterruptError) ? e.message : "Interrupted";
      return { status: "error", ename: "KeyboardInterrupt", evalue: msg, traceback: [`KeyboardInterrupt: ${msg}`], interrupted: true, error: e };
    }
    if (e instanceof Error || (typeof e === "object" && e !== null && "stack" in e)) {
      const err = e as Error;
      const ename = err.name || err.constructor?.name || "Error";
      const evalue = String(err.message ?? "");
      const stack = this.mapStack(String(err.stack ?? `${ename}: ${evalue}`));
      const lines = stack.split("\n").filter((line) => !isInternalFrame(line));
      return { status: "error", ename, evalue, traceback: lines, interrupted: false, error: e };
    }
    const text = plainText(e);
    return { status: "error", ename: "Error", evalue: `Uncaught ${text}`, traceback: [`Uncaught ${text}`], interrupted: false, error: e };
  }
}

function isInternalFrame(line: string): boolean {
  if (!/^\s+at /.test(line)) return false;
  return /node:internal|node:vm|\/kernel\/evaluator\/|\/dist\/kernel\/|\(<anonymous>\)$|^\s+at new Promise \(<anonymous>\)/.test(line);
}

/** The cell line of a diagnostic with a caret under its column. */
function codeFrame(code: string, d: { line: number; col: number }): string[] {
  const line = code.split("\n")[d.line - 1];
  if (line === undefined) return [];
  const gutter = `${d.line} | `;
  return [gutter + line, " ".repeat(gutter.length + d.col - 1) + "^"];
}

function exportTarget(exports: unknown, sub: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === "string") return sub === "." ? exports : undefined;
  if (Array.isArray(exports)) {
    for (const e of exports) {
      const t = exportTarget(e, sub);
      if (t) return t;
    }
    return undefined;
  }
  if (typeof exports === "object") {
    const obj = exports as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length && keys[0]!.startsWith(".")) return obj[sub] !== undefined ? pickCondition(obj[sub]) : undefined;
    return sub === "." ? pickCondition(obj) : undefined;
  }
  return undefined;
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = pickCondition(t);
      if (r) return r;
    }
    return undefined;
  }
  if (typeof target === "object" && target !== null) {
    const obj = target as Record<string, unknown>;
    for (const cond of ["node", "import", "default", "require"]) if (cond in obj) {
      const r = pickCondition(obj[cond]);
      if (r) return r;
    }
  }
  return undefined;
}
