/**
 * tslab's display API, so notebooks written for the tslab kernel run
 * unchanged: `import * as tslab from "tslab"` resolves to this module in the
 * tskeras kernel.
 */
import { randomBytes } from "node:crypto";
import { version as tsVersion } from "typescript";

/** What the kernel provides to this module (set by the evaluator). */
export interface TslabSink {
  display(bundle: { [mime: string]: string }, displayId: string | undefined, update: boolean): void;
}

const SINK_KEY = Symbol.for("tskeras.tslabSink");

/** tslab's Display: each method shows one kind of content. */
export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

class DisplayImpl implements Display {
  private shown = false;
  constructor(private readonly id?: string) {}
  javascript(s: string): void {
    this.raw("text/javascript", s);
  }
  html(s: string): void {
    this.raw("text/html", s);
  }
  markdown(s: string): void {
    this.raw("text/markdown", s);
  }
  latex(s: string): void {
    this.raw("text/latex", s);
  }
  svg(s: string): void {
    this.raw("image/svg+xml", s);
  }
  png(b: Uint8Array): void {
    this.raw("image/png", b);
  }
  jpeg(b: Uint8Array): void {
    this.raw("image/jpeg", b);
  }
  gif(b: Uint8Array): void {
    this.raw("image/gif", b);
  }
  pdf(b: Uint8Array): void {
    this.raw("application/pdf", b);
  }
  text(s: string): void {
    this.raw("text/plain", s);
  }
  raw(contentType: string, b: string | Uint8Array): void {
    const sink = (globalThis as Record<symbol, unknown>)[SINK_KEY] as TslabSink | undefined;
    if (!sink) throw new Error("tslab display is available only inside the tskeras kernel");
    const data = typeof b === "string" ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
    const update = this.id !== undefined && this.shown;
    if (this.id !== undefined) this.shown = true;
    sink.display({ [contentType]: data }, this.id, update);
  }
}

/** Returns a Display that shows one output and overwrites it on each later call. */
export function newDisplay(): Display {
  return new DisplayImpl(randomBytes(8).toString("hex"));
}

/** Displays rich content: `tslab.display.html("<b>hi</b>")`. */
export const display: Display = new DisplayImpl();

/** Versions, as tslab reports them. */
export const versions: { tslab: string; typescript: string; node: string } = {
  tslab: "tskeras",
  typescript: tsVersion,
  node: process.version,
};

/** Whether the code runs in a browser (never, here). */
export function isBrowser(): boolean {
  return false;
}

/** Whether the code runs in Node (always, here). */
export function isNode(): boolean {
  return true;
}
