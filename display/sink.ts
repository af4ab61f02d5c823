/**
 * The interface between `display/` and a front end (the tskeras kernel, or a
 * test): `display/` builds MIME bundles and hands them to a sink; the sink
 * sends them (Jupyter `display_data` / `update_display_data` messages).
 */

/**
 * A Jupyter MIME bundle: MIME type → data. Text types hold strings, `*json`
 * types hold JSON values, and binary types (`image/png`) hold base64 strings.
 */
export type MimeBundle = { [mime: string]: unknown };

/** Options of {@link DisplaySink.display}. */
export interface DisplayOptions {
  /** The display id (`transient.display_id`); later {@link DisplaySink.update} calls with it replace this output. */
  displayId?: string;
  /** The output's metadata (e.g. `{ "image/png": { width: 200 } }`). */
  metadata?: Record<string, unknown>;
}

/** Where bundles go: what the kernel gives to `installNotebookDisplay`. */
export interface DisplaySink {
  /** Shows a new output (`display_data`). */
  display(bundle: MimeBundle, opts?: DisplayOptions): void;
  /** Replaces the output shown with `displayId` (`update_display_data`). */
  update(displayId: string, bundle: MimeBundle, metadata?: Record<string, unknown>): void;
  /** Clears the cell's output (`clear_output`); `wait` clears when the next output arrives. */
  clearOutput?(wait: boolean): void;
}

let counter = 0;

/** A fresh display id, unique in this process. */
export function newDisplayId(kind: string): string {
  counter += 1;
  return `tskeras-${kind}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
