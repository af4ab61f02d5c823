/**
 * The kernel's SIGINT thread. It waits inside `vm.runInThisContext` with
 * `breakOnSigint`, so Node's SIGINT watchdog wakes it on every SIGINT that no
 * more recent watchdog takes (the main thread's own, while a cell's
 * synchronous part runs, takes the signal first and stops that part itself).
 *
 * On a SIGINT it tells the main thread (a message the main thread answers by
 * raising the acknowledged count in the shared flags). When the main thread
 * does not answer within ACK_MS while a cell's code runs, the main thread is
 * stuck in JavaScript that runs outside `runInThisContext` (a busy loop after
 * the cell's first `await`): this thread then asks V8, through an inspector
 * session on the main thread, to terminate that execution. The main thread's
 * event loop goes on, reads the message and fails the cell as interrupted.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Session } from "node:inspector";
import vm from "node:vm";

/** Indexes in the shared Int32Array. */
export const FLAG_POSTED = 0;
export const FLAG_ACKED = 1;
/** 1 while a cell's own code runs on the main thread (only then is termination allowed). */
export const FLAG_RUNNING = 2;
/** Set to 1 to end this thread. */
export const FLAG_CLOSE = 3;

/** The message this thread posts on a SIGINT. */
export interface SigintMessage {
  type: "sigint";
  seq: number;
}

/** How long the main thread has to answer before its execution is terminated (ms). */
const ACK_MS = 150;

const flags = (workerData as { flags: Int32Array } | null)?.flags;
if (parentPort && flags) {
  const session = new Session();
  session.connectToMainThread();
  (globalThis as Record<string, unknown>).__tskerasSigintFlags = flags;
  // The wait wakes every 100 ms so that terminating this thread (process.exit joins it) is never stuck in Atomics.wait.
  const waitScript = new vm.Script(`while (Atomics.load(__tskerasSigintFlags, ${FLAG_CLOSE}) === 0) Atomics.wait(__tskerasSigintFlags, ${FLAG_CLOSE}, 0, 100);`);
  while (Atomics.load(flags, FLAG_CLOSE) === 0) {
    try {
      waitScript.runInThisContext({ breakOnSigint: true });
    } catch (e) {
      if ((e as { code?: string }).code !== "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw e;
      const seq = Atomics.add(flags, FLAG_POSTED, 1) + 1;
      parentPort.postMessage({ type: "sigint", seq } satisfies SigintMessage);
      const deadline = Date.now() + ACK_MS;
      while (Atomics.load(flags, FLAG_ACKED) < seq && Date.now() < deadline) {
        Atomics.wait(flags, FLAG_ACKED, Atomics.load(flags, FLAG_ACKED), 10);
      }
      if (Atomics.load(flags, FLAG_ACKED) < seq && Atomics.load(flags, FLAG_RUNNING) === 1) {
        session.post("Runtime.terminateExecution");
      }
    }
  }
  session.disconnect();
}
