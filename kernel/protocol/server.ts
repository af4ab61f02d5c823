/**
 * The main thread's side of the sockets: shell and stdin ROUTERs, plus the
 * worker thread that owns heartbeat, control and iopub.
 */
import { Worker } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { decode, encode, makeHeader, SendQueue, Signer, type Header, type JsonObject, type Message } from "./message.js";
import type { FromWorker, ToWorker, WorkerInit } from "./worker.js";

/** Writes a kernel log line to the real stderr (never into a cell's output). */
export type Logger = (msg: string) => void;

/** Handles shell requests one at a time. */
export type ShellHandler = (msg: Message) => Promise<void>;

/** The kernel's sockets. */
export class KernelServer {
  /** This kernel's session id (header.session of every message it sends). */
  readonly session = randomUUID();
  private readonly signer: Signer;
  private readonly shell = new zmq.Router({ linger: 1000 });
  private readonly stdin = new zmq.Router({ linger: 0 });
  private readonly shellQ: SendQueue;
  private readonly stdinQ: SendQueue;
  private worker: Worker | undefined;
  private readonly queue: Message[] = [];
  private processing = false;
  private pendingInput: { resolve: (v: string) => void; reject: (e: Error) => void } | undefined;
  private closed = false;
  /** Called when a shutdown_request arrived (on control or shell). */
  onShutdown: (restart: boolean) => void = () => undefined;
  /** Malformed or badly signed messages dropped so far. */
  dropped = 0;

  constructor(
    private readonly connection: ConnectionInfo,
    private readonly handler: ShellHandler,
    private readonly log: Logger,
  ) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.shellQ = new SendQueue(this.shell);
    this.stdinQ = new SendQueue(this.stdin);
  }

  /** Binds all sockets (shell and stdin here, the rest in the worker) and starts serving. */
  async start(kernelInfo: JsonObject): Promise<void> {
    const c = this.connection;
    await Promise.all([this.shell.bind(endpoint(c, "shell")), this.stdin.bind(endpoint(c, "stdin"))]);
    const init: WorkerInit = { connection: c, session: this.session, kernelInfo };
    const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: init, stdout: false, stderr: false });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type === "ready") resolve();
        else if (m.type === "error") reject(new Error(`kernel worker: ${m.message}`));
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
    worker.on("message", (m: FromWorker) => {
      if (m.type === "shutdown") this.onShutdown(m.restart);
    });
    worker.on("error", (e) => this.log(`worker error: ${e.stack ?? e.message}`));
    worker.unref();
    void this.shellLoop();
    void this.stdinLoop();
  }

  private async shellLoop(): Promise<void> {
    try {
      for await (const frames of this.shell) {
        let msg: Message;
        try {
          msg = decode(this.signer, frames);
        } catch (e) {
          this.dropped++;
          this.log(`shell: dropped a message: ${(e as Error).message}`);
          continue;
        }
        this.queue.push(msg);
        void this.drain();
      }
    } catch (e) {
      if (!this.closed) this.log(`shell loop ended: ${(e as Error).message}`);
    }
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length) {
        const msg = this.queue.shift()!;
        try {
          await this.handler(msg);
        } catch (e) {
          this.log(`error handling ${msg.header.msg_type}: ${(e as Error).stack ?? String(e)}`);
        }
      }
    } finally {
      this.processing = false;
    }
  }

  /** Removes and returns the queued shell requests of one type (used to abort executes after an error). */
  takeQueued(msgType: string): Message[] {
    const taken = this.queue.filter((m) => m.header.msg_type === msgType);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.header.msg_type === msgType) this.queue.splice(i, 1);
    return taken;
  }

  private async stdinLoop(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        let msg: Message;
        try {
          msg = decode(this.signer, frames);
        } catch (e) {
          this.dropped++;
          this.log(`stdin: dropped a message: ${(e as Error).message}`);
          continue;
        }
        if (msg.header.msg_type === "input_reply" && this.pendingInput) {
          const p = this.pendingInput;
          this.pendingInput = undefined;
          p.resolve(String(msg.content.value ?? ""));
        } else {
          this.log(`stdin: unexpected ${msg.header.msg_type}`);
        }
      }
    } catch (e) {
      if (!this.closed) this.log(`stdin loop ended: ${(e as Error).message}`);
    }
  }

  /** Publishes a message on iopub (through the worker, in order). */
  publish(msgType: string, content: JsonObject, parent: Partial<Header>, metadata: JsonObject = {}): void {
    if (this.closed || !this.worker) return;
    const header = makeHeader(msgType, this.session);
    const frames = encode(this.signer, [`kernel.${this.session}.${msgType}`], header, parent, metadata, content);
    this.worker.postMessage({ type: "iopub", frames } satisfies ToWorker);
  }

  /** Replies to a shell request. */
  reply(req: Message, msgType: string, content: JsonObject, metadata: JsonObject = {}): Promise<void> {
    const header = makeHeader(msgType, this.session);
    return this.shellQ.send(encode(this.signer, req.identities, header, req.header, metadata, content));
  }

  /** Sends input_request to the client of `req` and waits for its input_reply. */
  requestInput(req: Message, prompt: string, password: boolean): Promise<string> {
    if (this.pendingInput) return Promise.reject(new Error("another input request is pending"));
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      const header = makeHeader("input_request", this.session);
      this.stdinQ
        .send(encode(this.signer, req.identities, header, req.header, {}, { prompt, password }))
        .catch((e: unknown) => {
          this.pendingInput = undefined;
          reject(e as Error);
        });
    });
  }

  /** Cancels a pending input request (after an interrupt). */
  cancelInput(reason: Error): void {
    const p = this.pendingInput;
    this.pendingInput = undefined;
    p?.reject(reason);
  }

  /** Closes every socket and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        worker.on("message", (m: FromWorker) => {
          if (m.type === "closed") {
            clearTimeout(t);
            resolve();
          }
        });
        worker.postMessage({ type: "close" } satisfies ToWorker);
      });
      await worker.terminate();
    }
    this.shell.close();
    this.stdin.close();
  }
}
