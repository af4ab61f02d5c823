/**
 * CSVLogger: streams the epoch results to a CSV file (Keras's
 * `callbacks/csv_logger.py`), in Python's `csv` excel dialect: `\r\n` line
 * ends, fields quoted only when needed, floats as Python's `repr`.
 *
 * ```
 * epoch,accuracy,loss,val_accuracy,val_loss
 * 0,0.61,1.045,0.35,1.1
 * ```
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { Callback, type Logs } from "./callback.js";
import { pyRepr } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of CSVLogger. */
export interface CSVLoggerOptions {
  /** The field separator. Default `","`. */
  separator?: string;
  /** Append to an existing file (continuing a training run) instead of overwriting it. Default false. */
  append?: boolean;
}

/**
 * Callback that streams epoch results to a CSV file.
 *
 * ```ts
 * await model.fit(x, y, { callbacks: [new keras.callbacks.CSVLogger("training.log")] });
 * ```
 */
export class CSVLogger extends Callback {
  /** The field separator. */
  sep: string;
  filename: string;
  append: boolean;
  /** The columns after `epoch`, fixed by the first epoch's logs. */
  keys: string[] | null = null;
  private appendHeader = true;
  private fd: number | null = null;
  private headerWritten = false;

  /**
   * @param filename The CSV file, e.g. `"run/log.csv"`.
   * @param options `separator` (default `","`) and `append` (default false).
   */
  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    this.sep = options.separator ?? ",";
    this.filename = String(filename);
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    let mode = "w";
    if (this.append) {
      if (existsSync(this.filename)) {
        const firstLine = readFileSync(this.filename, "utf8").split("\n", 1)[0];
        this.appendHeader = firstLine.length === 0;
      }
      mode = "a";
    }
    this.close();
    this.fd = openSync(this.filename, mode);
    this.headerWritten = false;
    this.keys = null;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const l: Record<string, unknown> = logs ?? {};
    if (this.fd === null) this.onTrainBegin();
    if (this.keys === null) {
      this.keys = Object.keys(l).sort();
      // Without validation in the first epoch, columns for it are added anyway.
      if (!this.keys.some((k) => k.startsWith("val_")) && this.keys.length) {
        this.keys.push(...this.keys.map((k) => `val_${k}`));
      }
    }
    if (!this.headerWritten) {
      if (this.appendHeader) this.writeRow(["epoch", ...this.keys]);
      this.headerWritten = true;
    }
    this.writeRow([String(epoch), ...this.keys.map((k) => handleValue(k in l ? l[k] : "NA"))]);
  }

  override onTrainEnd(): void {
    this.close();
  }

  private writeRow(fields: string[]): void {
    const line = fields.map((f) => this.quote(f)).join(this.sep) + "\r\n";
    writeSync(this.fd!, line);
  }

  /** Python csv's QUOTE_MINIMAL: quote fields holding the separator, a quote or a line break. */
  private quote(field: string): string {
    if (field.includes(this.sep) || field.includes('"') || /[\r\n]/.test(field)) {
      return `"${field.replace(/"/g, '""')}"`;
    }
    return field;
  }

  private close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
registerBuiltin("keras.callbacks", CSVLogger);

function handleValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return pyRepr(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v && typeof (v as Iterable<unknown>)[Symbol.iterator] === "function") {
    const items = Array.from(v as Iterable<unknown>, (x) => (typeof x === "number" ? pyRepr(x) : String(x)));
    return `"[${items.join(", ")}]"`;
  }
  return String(v);
}
