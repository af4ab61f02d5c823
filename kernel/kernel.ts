/**
 * The Jupyter kernel: `tskeras kernel CONNECTION_FILE`.
 *
 * Shell requests are served one at a time on the main thread, where cells
 * run; heartbeat, control and iopub live in a worker thread so that they
 * answer while a cell is busy. SIGINT (from Jupyter, or from the worker on
 * interrupt_request) interrupts the running cell; the kernel keeps its state.
 */
import ts from "typescript";
import { readConnectionFile, type ConnectionInfo } from "./protocol/connection.js";
import { KernelServer } from "./protocol/server.js";
import type { Header, JsonObject, Message } from "./protocol/message.js";
import { Evaluator, type EvaluatorHost } from "./evaluator/evaluator.js";
import type { MimeBundle } from "./display.js";
import { version } from "../lib/version.js";
import { watchSigint } from "./protocol/sigint.js";

/** Options of `tskeras kernel`. */
export interface KernelOptions {
  /** Type-check cells before running them (default true; env TSKERAS_TYPECHECK=0 turns it off). */
  typeCheck?: boolean;
}

interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

/** The kernel_info_reply content. */
export function kernelInfo(): JsonObject {
  return {
    status: "ok",
    protocol_version: "5.4",
    implementation: "tskeras",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: ts.version,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
    },
    banner: `tskeras ${version}: Keras 3 for TypeScript (TypeScript ${ts.version}, Node ${process.version}). The global \`keras\` is the tskeras module.`,
    help_links: [{ text: "tskeras", url: "https://www.npmjs.com/package/tskeras" }],
    debugger: false,
  };
}

/** Code points → UTF-16 offset (Jupyter counts cursor positions in code points). */
export function codePointsToOffset(text: string, cp: number): number {
  let offset = 0;
  for (let i = 0; i < cp && offset < text.length; i++) {
    const c = text.codePointAt(offset)!;
    offset += c > 0xffff ? 2 : 1;
  }
  return offset;
}

/** UTF-16 offset → code points. */
export function offsetToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}

type WriteFn = typeof process.stdout.write;

/** Runs the kernel until it is shut down; resolves with the exit code. */
export async function runKernel(connectionFile: string, options: KernelOptions = {}): Promise<number> {
  const connection: ConnectionInfo = readConnectionFile(connectionFile);
  const realStdout = process.stdout.write.bind(process.stdout) as WriteFn;
  const realStderr = process.stderr.write.bind(process.stderr) as WriteFn;
  const log = (msg: string): void => {
    realStderr(`[tskeras kernel] ${msg}\n`);
  };
  void realStdout;

  let parent: Partial<Header> = {};
  let currentRequest: Message | undefined;
  let executionCount = 0;
  const history: HistoryEntry[] = [];
  const HISTORY_SESSION = 1;

  // stdout/stderr of cells → stream messages, coalesced but in write order.
  let streamName: "stdout" | "stderr" | undefined;
  let streamText = "";
  let lastFlush = Date.now();
  let flushScheduled = false;
  const flush = (): void => {
    if (streamName && streamText) server.publish("stream", { name: streamName, text: streamText }, parent);
    streamName = undefined;
    streamText = "";
    lastFlush = Date.now();
  };
  const write = (name: "stdout" | "stderr", text: string): void => {
    if (streamName !== name) flush();
    streamName = name;
    streamText += text;
    if (Date.now() - lastFlush > 50 || streamText.length > 1 << 20) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        flush();
      });
    }
  };
  const patch = (name: "stdout" | "stderr"): WriteFn =>
    function (chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      write(name, text);
      const callback = typeof encoding === "function" ? encoding : cb;
      if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
      return true;
    } as WriteFn;

  const host: EvaluatorHost = {
    display(bundle: MimeBundle, metadata, displayId, update) {
      flush();
      const content: JsonObject = { data: bundle, metadata, transient: displayId ? { display_id: displayId } : {} };
      server.publish(update ? "update_display_data" : "display_data", content, parent);
    },
    clearOutput(wait) {
      flush();
      server.publish("clear_output", { wait }, parent);
    },
    input(prompt, password) {
      const req = currentRequest;
      if (!req || !req.content.allow_stdin) {
        return Promise.reject(new Error("input(): this front end does not accept input (allow_stdin is false)"));
      }
      flush();
      return server.requestInput(req, prompt, password);
    },
  };

  const typeCheck = options.typeCheck ?? process.env.TSKERAS_TYPECHECK !== "0";
  const onSigint = (): void => {
    evaluator.interrupt();
    server.cancelInput(new Error("input interrupted"));
  };
  // SIGINT goes to a thread of its own, which can stop a busy loop anywhere in a cell; a
  // process.on("SIGINT") listener would take the signal from it, so there is one only when the thread cannot start.
  const sigint = watchSigint(onSigint, log);
  if (!sigint) process.on("SIGINT", onSigint);
  // Whatever ends the process (shutdown, SIGTERM, a fatal error), the SIGINT thread ends with it.
  process.on("exit", () => sigint?.close());
  const evaluator = new Evaluator(host, { typeCheck, richDisplay: true, onRunning: (running) => sigint?.setRunning(running) });

  const server: KernelServer = new KernelServer(connection, (msg) => handle(msg), log);

  const shutdown = async (restart: boolean): Promise<void> => {
    log(`shutting down${restart ? " (restart)" : ""}`);
    flush();
    sigint?.close();
    await server.close();
    process.exit(0);
  };
  server.onShutdown = (restart) => void shutdown(restart);

  process.on("SIGTERM", () => process.exit(0));
  process.on("unhandledRejection", (reason) => {
    const text = reason instanceof Error ? evaluator.mapStack(String(reason.stack)) : String(reason);
    process.stderr.write(`Unhandled promise rejection: ${text}\n`);
  });
  process.on("uncaughtException", (err) => {
    process.stderr.write(`Uncaught exception: ${evaluator.mapStack(String(err.stack ?? err))}\n`);
  });

  async function execute(req: Message): Promise<void> {
    const c = req.content;
    const code = String(c.code ?? "");
    const silent = Boolean(c.silent);
    const storeHistory = c.store_history === undefined ? !silent : Boolean(c.store_history);
    const stopOnError = c.stop_on_error === undefined ? true : Boolean(c.stop_on_error);
    if (storeHistory && !silent) executionCount++;
    const count = executionCount;
    if (!silent) server.publish("execute_input", { code, execution_count: count }, req.header);

    // `name?` pages the inspection of `name`.
    const page = /^\s*([\w$][\w$.]*)\s*\?\s*$/.exec(code);
    if (page) {
      const name = page[1]!;
      const info = evaluator.inspect(name, name.length);
      const text = info ? `${info.signature}\n\n${info.documentation}`.trim() : `${name}: no information`;
      await server.reply(req, "execute_reply", {
        status: "ok",
        execution_count: count,
        payload: [{ source: "page", data: { "text/plain": text }, start: 0 }],
        user_expressions: {},
      });
      if (storeHistory) history.push({ session: HISTORY_SESSION, line: count, input: code, output: null });
      return;
    }

    const outcome = await evaluator.execute(code, storeHistory && !silent ? count : undefined);
    flush();
    if (outcome.status === "ok") {
      if (outcome.result && !silent) {
        server.publish("execute_result", { execution_count: count, data: outcome.result, metadata: {} }, req.header);
      }
      if (storeHistory) {
        const out = outcome.result?.["text/plain"];
        history.push({ session: HISTORY_SESSION, line: count, input: code, output: typeof out === "string" ? out : null });
      }
      await server.reply(req, "execute_reply", { status: "ok", execution_count: count, payload: [], user_expressions: {} });
    } else {
      const err = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
      if (!silent) server.publish("error", err, req.header);
      if (storeHistory) history.push({ session: HISTORY_SESSION, line: count, input: code, output: null });
      await server.reply(req, "execute_reply", { status: "error", execution_count: count, ...err, user_expressions: {}, payload: [] });
      if (stopOnError) {
        for (const queued of server.takeQueued("execute_request")) {
          server.publish("status", { execution_state: "busy" }, queued.header);
          await server.reply(queued, "execute_reply", { status: "aborted", execution_count: executionCount });
          server.publish("status", { execution_state: "idle" }, queued.header);
        }
      }
    }
  }

  function historyReply(c: JsonObject): JsonObject {
    const output = Boolean(c.output);
    const fmt = (h: HistoryEntry): unknown[] => [h.session, h.line, output ? [h.input, h.output] : h.input];
    const type = String(c.hist_access_type ?? "tail");
    let items: HistoryEntry[] = [];
    if (type === "tail") {
      const n = Number(c.n ?? 10);
      items = n > 0 ? history.slice(-n) : [];
    } else if (type === "range") {
      const session = Number(c.session ?? 0);
      const start = Number(c.start ?? 0);
      const stop = c.stop === undefined || c.stop === null ? Infinity : Number(c.stop);
      items = history.filter((h) => (session <= 0 || h.session === session) && h.line >= start && h.line < stop);
    } else if (type === "search") {
      const pattern = globToRegExp(String(c.pattern ?? "*"));
      let found = history.filter((h) => pattern.test(h.input));
      if (c.unique) {
        const seen = new Set<string>();
        const uniq: HistoryEntry[] = [];
        for (let i = found.length - 1; i >= 0; i--) {
          if (!seen.has(found[i]!.input)) {
            seen.add(found[i]!.input);
            uniq.unshift(found[i]!);
          }
        }
        found = uniq;
      }
      const n = c.n === undefined || c.n === null ? 0 : Number(c.n);
      items = n > 0 ? found.slice(-n) : found;
    }
    return { status: "ok", history: items.map(fmt) };
  }

  async function handle(req: Message): Promise<void> {
    const type = req.header.msg_type;
    parent = req.header;
    currentRequest = req;
    server.publish("status", { execution_state: "busy" }, req.header);
    try {
      switch (type) {
        case "execute_request":
          await execute(req);
          break;
        case "kernel_info_request":
          await server.reply(req, "kernel_info_reply", kernelInfo());
          break;
        case "complete_request": {
          const code = String(req.content.code ?? "");
          const cursor = codePointsToOffset(code, Number(req.content.cursor_pos ?? code.length));
          let reply: JsonObject;
          try {
            const r = evaluator.complete(code, cursor);
            reply = {
              status: "ok",
              matches: r.matches,
              cursor_start: offsetToCodePoints(code, r.cursorStart),
              cursor_end: offsetToCodePoints(code, r.cursorEnd),
              metadata: {
                _jupyter_types_experimental: r.types.map((t) => ({
                  ...t,
                  start: offsetToCodePoints(code, t.start),
                  end: offsetToCodePoints(code, t.end),
                })),
              },
            };
          } catch (e) {
            log(`complete: ${(e as Error).stack}`);
            reply = { status: "ok", matches: [], cursor_start: 0, cursor_end: 0, metadata: {} };
          }
          await server.reply(req, "complete_reply", reply);
          break;
        }
        case "inspect_request": {
          const code = String(req.content.code ?? "");
          const cursor = codePointsToOffset(code, Number(req.content.cursor_pos ?? code.length));
          let info;
          try {
            info = evaluator.inspect(code, cursor);
          } catch (e) {
            log(`inspect: ${(e as Error).stack}`);
          }
          const data: JsonObject = {};
          if (info) {
            data["text/plain"] = info.documentation ? `${info.signature}\n\n${info.documentation}` : info.signature;
            data["text/markdown"] = "```typescript\n" + info.signature + "\n```" + (info.documentation ? `\n\n${info.documentation}` : "");
          }
          await server.reply(req, "inspect_reply", { status: "ok", found: Boolean(info), data, metadata: {} });
          break;
        }
        case "is_complete_request": {
          const r = evaluator.isComplete(String(req.content.code ?? ""));
          await server.reply(req, "is_complete_reply", r.indent !== undefined ? { status: r.status, indent: r.indent } : { status: r.status });
          break;
        }
        case "history_request":
          await server.reply(req, "history_reply", historyReply(req.content));
          break;
        case "comm_info_request":
          await server.reply(req, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "comm_open":
          // No comm targets are registered: close it, as ipykernel does.
          server.publish("comm_close", { comm_id: String(req.content.comm_id ?? ""), data: {} }, req.header);
          break;
        case "comm_msg":
        case "comm_close":
          break;
        case "connect_request":
          await server.reply(req, "connect_reply", {
            status: "ok",
            shell_port: connection.shell_port,
            iopub_port: connection.iopub_port,
            stdin_port: connection.stdin_port,
            hb_port: connection.hb_port,
            control_port: connection.control_port,
          });
          break;
        case "shutdown_request": {
          const restart = Boolean(req.content.restart);
          await server.reply(req, "shutdown_reply", { status: "ok", restart });
          server.publish("status", { execution_state: "idle" }, req.header);
          await shutdown(restart);
          return;
        }
        default:
          log(`shell: unsupported ${type}`);
      }
    } finally {
      flush();
      server.publish("status", { execution_state: "idle" }, req.header);
    }
  }

  await server.start(kernelInfo());
  process.stdout.write = patch("stdout");
  process.stderr.write = patch("stderr");
  server.publish("status", { execution_state: "starting" }, {});
  log(`started (pid ${process.pid}, shell ${connection.ip}:${connection.shell_port})`);
  // Warm the type checker while the front end connects.
  if (typeCheck) {
    setTimeout(() => {
      try {
        evaluator.typeErrors("1");
      } catch (e) {
        log(`type checker warm-up: ${(e as Error).message}`);
      }
    }, 10);
  }
  return new Promise<number>(() => undefined);
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "s");
}
