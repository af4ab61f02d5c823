/**
 * `keras.datasets.vega`: the tabular example datasets of the
 * `vega-datasets` npm package (penguins, cars, seattle-weather, stocks,
 * iris-like sets and more), read offline from the package's files.
 *
 * ```ts
 * const weather = keras.datasets.vega.load("seattle-weather");
 * const x = weather.toTensor(["temp_max", "temp_min", "precipitation", "wind"]);   // [1461, 4] float32
 * ```
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import type { MimeBundle } from "../utils/display-hooks.js";

/** A table cell: a number, a string, a boolean, or `null` for a missing value. */
export type Cell = number | string | boolean | null;

/** The folder of the `vega-datasets` package's data files. */
export function dataDir(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve("vega-datasets");
  } catch {
    throw new Error("The `vega-datasets` npm package is not installed; run `npm install vega-datasets` (tskeras depends on it).");
  }
  // The package's entry is build/index.js; its data/ folder sits beside build/.
  let dir = dirname(entry);
  for (let i = 0; i < 3 && !existsSync(join(dir, "data")); i++) dir = dirname(dir);
  return join(dir, "data");
}

const TABULAR_EXT = [".json", ".csv", ".tsv"];

/**
 * The names of the tabular datasets the package ships (JSON arrays of
 * records, CSV and TSV files), without their extension: `"cars"`,
 * `"penguins"`, `"seattle-weather"`, `"stocks"`, ...
 */
export function names(): string[] {
  const out = new Set<string>();
  for (const f of readdirSync(dataDir())) {
    if (TABULAR_EXT.includes(extname(f))) out.add(f.slice(0, -extname(f).length));
  }
  return [...out].sort();
}

/** Parses one CSV/TSV field as vega's `autoType` does for numbers, booleans and empties; dates stay strings. */
function autoType(raw: string): Cell {
  const s = raw.trim();
  if (s === "") return null;
  if (s === "true") return true;
  if (s === "false") return false;
  if (s === "NaN") return Number.NaN;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return raw;
}

/** Splits delimited text into rows of fields, with RFC 4180 quotes. */
export function parseDelimited(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function formatCell(v: Cell): string {
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  return String(v);
}

/**
 * A small column table: column names, one array of cells per column, and
 * helpers to clean it and turn columns into tensors. Tables are immutable;
 * the helpers return new tables.
 */
export class Table {
  /** The column names, in file order. */
  readonly columns: string[];
  /** The number of rows. */
  readonly numRows: number;
  private readonly data: Map<string, Cell[]>;

  constructor(
    /** The dataset's name. */
    readonly name: string,
    columns: Record<string, Cell[]> | Map<string, Cell[]>,
  ) {
    this.data = columns instanceof Map ? new Map(columns) : new Map(Object.entries(columns));
    this.columns = [...this.data.keys()];
    const lengths = new Set([...this.data.values()].map((c) => c.length));
    if (lengths.size > 1) throw new Error(`Table ${name}: columns have different lengths (${[...lengths].join(", ")}).`);
    this.numRows = lengths.size === 0 ? 0 : [...lengths][0]!;
  }

  /** Builds a table from an array of records (rows as objects). Columns are the union of the keys, missing cells `null`. */
  static fromRecords(name: string, records: readonly Record<string, unknown>[]): Table {
    const cols = new Map<string, Cell[]>();
    records.forEach((rec, i) => {
      for (const k of Object.keys(rec)) if (!cols.has(k)) cols.set(k, new Array<Cell>(i).fill(null));
      for (const [k, col] of cols) {
        const v = rec[k];
        col.push(v === undefined || v === null ? null : typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : JSON.stringify(v));
      }
    });
    return new Table(name, cols);
  }

  /** The `[rows, columns]` shape. */
  get shape(): [number, number] {
    return [this.numRows, this.columns.length];
  }

  /** The cells of one column (a copy). */
  column(name: string): Cell[] {
    return this.col(name).slice();
  }

  private col(name: string): Cell[] {
    const c = this.data.get(name);
    if (c === undefined) throw new Error(`Table ${this.name} has no column '${name}'. Its columns: ${this.columns.join(", ")}.`);
    return c;
  }

  /** One column as numbers (`null` → NaN); throws, naming the column, when a cell is text. */
  numbers(name: string): number[] {
    return this.col(name).map((v, i) => {
      if (v === null) return Number.NaN;
      if (typeof v === "number") return v;
      if (typeof v === "boolean") return v ? 1 : 0;
      throw new Error(
        `Column '${name}' of ${this.name} is not numeric (row ${i}: ${JSON.stringify(v)}). ` +
          `Use table.categories("${name}") for category codes.`,
      );
    });
  }

  /**
   * Category codes of a column: `values` are the distinct values in sorted
   * order and `codes[i]` the index of row i's value (-1 for `null`).
   */
  categories(name: string): { values: Cell[]; codes: number[] } {
    const col = this.col(name);
    const values = [...new Set(col.filter((v) => v !== null))].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    const index = new Map(values.map((v, i) => [v, i]));
    return { values, codes: col.map((v) => (v === null ? -1 : index.get(v)!)) };
  }

  /** The rows as records (objects keyed by column). */
  toRecords(): Record<string, Cell>[] {
    return Array.from({ length: this.numRows }, (_, i) => this.row(i));
  }

  /** Row `i` as a record. */
  row(i: number): Record<string, Cell> {
    const out: Record<string, Cell> = {};
    for (const [k, c] of this.data) out[k] = c[i] ?? null;
    return out;
  }

  /** A table of only these columns, in this order. */
  select(columns: readonly string[]): Table {
    return new Table(this.name, new Map(columns.map((c) => [c, this.col(c).slice()])));
  }

  /** A table of the rows for which `predicate` holds. */
  filter(predicate: (row: Record<string, Cell>, index: number) => boolean): Table {
    const keep: number[] = [];
    for (let i = 0; i < this.numRows; i++) if (predicate(this.row(i), i)) keep.push(i);
    return this.take(keep);
  }

  /** A table without the rows that have a missing value (`null` or NaN) in `columns` (default: any column). */
  dropNa(columns: readonly string[] = this.columns): Table {
    const cols = columns.map((c) => this.col(c));
    const keep: number[] = [];
    for (let i = 0; i < this.numRows; i++) {
      if (cols.every((c) => c[i] !== null && !(typeof c[i] === "number" && Number.isNaN(c[i])))) keep.push(i);
    }
    return this.take(keep);
  }

  /** The first `n` rows (default 5). */
  head(n = 5): Table {
    return this.take(Array.from({ length: Math.min(n, this.numRows) }, (_, i) => i));
  }

  private take(rows: readonly number[]): Table {
    return new Table(this.name, new Map([...this.data].map(([k, c]) => [k, rows.map((r) => c[r]!)])));
  }

  /**
   * The given numeric columns as a `float32` tensor: `[rows, columns.length]`
   * for a list of columns, `[rows]` for a single column name. Default: every
   * numeric column. Missing values become NaN (use {@link dropNa} first).
   */
  toTensor(columns?: string | readonly string[], dtype: "float32" | "int32" = "float32"): Tensor {
    if (typeof columns === "string") {
      const v = this.numbers(columns);
      return dtype === "int32" ? tf.tensor1d(Int32Array.from(v), "int32") : tf.tensor1d(Float32Array.from(v), "float32");
    }
    const cols = columns ?? this.columns.filter((c) => this.col(c).every((v) => v === null || typeof v === "number"));
    const data = cols.map((c) => this.numbers(c));
    const flat = dtype === "int32" ? new Int32Array(this.numRows * cols.length) : new Float32Array(this.numRows * cols.length);
    for (let i = 0; i < this.numRows; i++) for (let j = 0; j < cols.length; j++) flat[i * cols.length + j] = data[j]![i]!;
    return tf.tensor2d(flat, [this.numRows, cols.length], dtype);
  }

  /** A text rendering of the first rows. */
  toString(maxRows = 10): string {
    const rows = Math.min(maxRows, this.numRows);
    const cells = [this.columns, ...Array.from({ length: rows }, (_, i) => this.columns.map((c) => formatCell(this.data.get(c)![i]!)))];
    const widths = this.columns.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
    const lines = cells.map((r) => r.map((s, j) => s.padStart(widths[j]!)).join("  "));
    return `${this.name}: ${this.numRows} rows × ${this.columns.length} columns\n${lines.join("\n")}${this.numRows > rows ? "\n..." : ""}`;
  }

  /** Notebook display: an HTML table of the first 10 rows, plus the text. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    const rows = Math.min(10, this.numRows);
    const head = `<tr>${this.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
    const body = Array.from(
      { length: rows },
      (_, i) => `<tr>${this.columns.map((c) => `<td>${escapeHtml(formatCell(this.data.get(c)![i]!))}</td>`).join("")}</tr>`,
    ).join("");
    const html =
      `<div><b>${escapeHtml(this.name)}</b>: ${this.numRows} rows × ${this.columns.length} columns` +
      `<table><thead>${head}</thead><tbody>${body}</tbody></table>${this.numRows > rows ? "…" : ""}</div>`;
    return { "text/plain": this.toString(), "text/html": html };
  }
}

/** Finds the file of a dataset name: `"cars"`, `"cars.json"`, `"seattle_weather"`. */
function resolveFile(name: string): string {
  const dir = dataDir();
  const files = readdirSync(dir);
  if (files.includes(name) && TABULAR_EXT.includes(extname(name))) return join(dir, name);
  const wanted = [name, name.replace(/_/g, "-")];
  for (const w of wanted) {
    for (const ext of TABULAR_EXT) if (files.includes(w + ext)) return join(dir, w + ext);
  }
  throw new Error(`vega-datasets has no tabular dataset '${name}'. Available: ${names().join(", ")}.`);
}

/** Reads a table from CSV or TSV text. */
export function tableFromDelimited(name: string, text: string, delimiter = ","): Table {
  const [header, ...rows] = parseDelimited(text, delimiter);
  if (!header) return new Table(name, {});
  const cols = new Map<string, Cell[]>(header.map((h) => [h, []]));
  for (const r of rows) header.forEach((h, j) => cols.get(h)!.push(autoType(r[j] ?? "")));
  return new Table(name, cols);
}

/**
 * Loads a tabular dataset of the `vega-datasets` package as a {@link Table}
 * (offline; the package is a dependency of tskeras). Names as the package's
 * files, with or without extension: `"penguins"`, `"cars"`,
 * `"seattle-weather"`, `"stocks"`, `"iowa-electricity"`, ... ({@link names}
 * lists them). CSV numbers become numbers, empty cells `null`; dates stay
 * strings.
 *
 * ```ts
 * const penguins = keras.datasets.vega.load("penguins").dropNa();
 * const x = penguins.toTensor(["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]);
 * const y = penguins.categories("Species").codes;
 * ```
 */
export function load(name: string): Table {
  const file = resolveFile(name);
  const base = file.slice(file.lastIndexOf("/") + 1);
  const stem = base.slice(0, -extname(base).length);
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".csv")) return tableFromDelimited(stem, text, ",");
  if (file.endsWith(".tsv")) return tableFromDelimited(stem, text, "\t");
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
    throw new Error(`vega-datasets '${stem}' is not a table (an array of records); read ${file} yourself.`);
  }
  return Table.fromRecords(stem, parsed as Record<string, unknown>[]);
}
