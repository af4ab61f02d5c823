/**
 * SIGINT for the kernel: a thread of its own sees every signal, so a cell is
 * interrupted wherever the main thread is stuck (see sigint-worker.ts).
 */
import { Worker } from "node:worker_threads";
import { FLAG_ACKED, FLAG_CLOSE, FLAG_RUNNING, type SigintMessage } from "./sigint-worker.js";

/** The main thread's side of the SIGINT thread. */
export interface SigintWatcher {
  /** Marks whether a cell's own code runs (the SIGINT thread may terminate only that). */
  setRunning(running: boolean): void;
  /** Ends the thread. */
  close(): void;
}

/**
 * Starts the SIGINT thread; `onSigint` runs on the main thread for every
 * SIGINT. Returns undefined where the thread cannot start (no inspector in
 * this Node build): the caller falls back to `process.on("SIGINT")`.
 */
export function watchSigint(onSigint: () => void, log: (msg: string) => void): SigintWatcher | undefined {
  let flags: Int32Array;
  let worker: Worker;
  try {
    flags = new Int32Array(new SharedArrayBuffer(16));
    worker = new Worker(new URL("./sigint-worker.js", import.meta.url), { workerData: { flags }, stdout: false, stderr: false });
  } catch (e) {
    log(`SIGINT thread did not start: ${(e as Error).message}`);
    return undefined;
  }
  worker.unref();
  worker.on("message", (m: SigintMessage) => {
    if (m.type !== "sigint") return;
    Atomics.store(flags, FLAG_ACKED, m.seq);
    Atomics.notify(flags, FLAG_ACKED);
    onSigint();
  });
  worker.on("error", (e) => log(`SIGINT thread: ${e.message}`));
  return {
    setRunning(running) {
      Atomics.store(flags, FLAG_RUNNING, running ? 1 : 0);
    },
    close() {
      Atomics.store(flags, FLAG_CLOSE, 1);
      Atomics.notify(flags, FLAG_CLOSE);
    },
  };
}
