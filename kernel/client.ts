/**
 * A small Jupyter client over ZeroMQ: starts a kernel process with a
 * connection file and talks the real protocol to it (shell, control and
 * stdin DEALERs, an iopub SUB, the heartbeat). Used by `tskeras run` and the
 * tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./protocol/connection.js";
import { decode, encode, makeHeader, SendQueue, Signer, type JsonObject, type Message } from "./protocol/message.js";
import { PACKAGE_ROOT } from "./evaluator/paths.js";

/** How to start a kernel. */
export interface StartOptions {
  /** The kernel's command line, `{connection_file}` replaced (default: this package's `tskeras kernel`). */
  argv?: string[];
  /** The kernel's working directory. */
  cwd?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Where the kernel's stderr goes (default: this process's stderr when TSKERAS_DEBUG is set, else collected). */
  stderr?: "inherit" | "collect";
  /** How long to wait for the kernel to answer kernel_info (ms, default 30000). */
  startTimeout?: number;
  /** How long one kernel_info attempt waits before the next is sent while the kernel starts (ms, default 2000). */
  pollInterval?: number;
}

/** The iopub messages and the reply of one request. */
export interface RequestResult {
  reply: Message;
  /** iopub messages whose parent is the request, from busy to idle (both excluded). */
  outputs: Message[];
}

/** Finds `n` free TCP ports on 127.0.0.1. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import("node:net").Server>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import("node:net").AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A client connected to a kernel process. */
export class KernelClient {
  readonly session = randomUUID();
  readonly signer: Signer;
  // The shell and stdin sockets share one identity: the kernel sends input_request to the shell request's sender.
  private readonly identity = randomUUID();
  private readonly shell = new zmq.Dealer({ linger: 0, routingId: this.identity });
  private readonly control = new zmq.Dealer({ linger: 0, routingId: `control-${this.identity}` });
  private readonly stdin = new zmq.Dealer({ linger: 0, routingId: this.identity });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly queues: Record<"shell" | "control" | "stdin", SendQueue>;
  private readonly replies = new Map<string, (m: Message) => void>();
  private readonly collectors = new Map<string, { msgs: Message[]; idle: () => void; busy: boolean; idleSeen: boolean }>();
  private closed = false;
  /** Every iopub message received, in order. */
  readonly iopubLog: Message[] = [];
  /** Answers input_request messages (default: rejects them). */
  onInput: (prompt: string, password: boolean) => string | Promise<string> = () => {
    throw new Error("no input handler");
  };
  /** Called for every iopub message. */
  onIopub: (m: Message) => void = () => undefined;
  /** The kernel's stderr so far (when collected). */
  stderrText = "";
  private exitPromise: Promise<number | null>;

  private constructor(
    readonly connection: ConnectionInfo,
    readonly proc: ChildProcess,
    private readonly connectionDir: string,
  ) {
    this.signer = new Signer(connection.key);
    this.queues = { shell: new SendQueue(this.shell), control: new SendQueue(this.control), stdin: new SendQueue(this.stdin) };
    this.exitPromise = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  }

  /** The kernel process's exit code once it ends. */
  get exited(): Promise<number | null> {
    return this.exitPromise;
  }

  /** Starts a kernel and connects to it. */
  static async start(options: StartOptions = {}): Promise<KernelClient> {
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    const connection: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell!,
      iopub_port: iopub!,
      stdin_port: stdin!,
      control_port: control!,
      hb_port: hb!,
      key: randomBytes(16).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "tskeras",
    };
    const dir = mkdtempSync(join(tmpdir(), "tskeras-conn-"));
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(connection));
    const argv = (options.argv ?? [process.execPath, join(PACKAGE_ROOT, "bin", "tskeras.js"), "kernel", "{connection_file}"]).map((a) =>
      a === "{connection_file}" ? file : a,
    );
    const collect = (options.stderr ?? (process.env.TSKERAS_DEBUG ? "inherit" : "collect")) === "collect";
    const proc = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "inherit", collect ? "pipe" : "inherit"],
    });
    const client = new KernelClient(connection, proc, dir);
    proc.stderr?.on("data", (d: Buffer) => {
      client.stderrText += d.toString();
    });
    client.connect();
    await client.waitReady(options.startTimeout ?? 30_000, options.pollInterval ?? 2000);
    return client;
  }

  private connect(): void {
    const c = this.connection;
    this.shell.connect(endpoint(c, "shell"));
    this.control.connect(endpoint(c, "control"));
    this.stdin.connect(endpoint(c, "stdin"));
    this.iopub.connect(endpoint(c, "iopub"));
    this.iopub.subscribe();
    void this.readLoop(this.shell, "shell");
    void this.readLoop(this.control, "control");
    void this.readLoop(this.stdin, "stdin");
    void this.iopubLoop();
  }

  private async readLoop(sock: zmq.Dealer, name: string): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(this.signer, frames);
        } catch (e) {
          process.stderr.write(`[client] ${name}: dropped: ${(e as Error).message}\n`);
          continue;
        }
        if (name === "stdin" && msg.header.msg_type === "input_request") {
          void this.answerInput(msg);
          continue;
        }
        const parentId = msg.parent_header.msg_id;
        const waiter = parentId ? this.replies.get(parentId) : undefined;
        if (waiter) {
          this.replies.delete(parentId!);
          waiter(msg);
        }
      }
    } catch {
      /* closed */
    }
  }

  private async answerInput(req: Message): Promise<void> {
    let value = "";
    try {
      value = await this.onInput(String(req.content.prompt ?? ""), Boolean(req.content.password));
    } catch {
      value = "";
    }
    const header = makeHeader("input_reply", this.session, "client");
    await this.queues.stdin.send(encode(this.signer, [], header, req.header, {}, { value }));
  }

  private async iopubLoop(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        let msg: Message;
        try {
          msg = decode(this.signer, frames);
        } catch (e) {
          process.stderr.write(`[client] iopub: dropped: ${(e as Error).message}\n`);
          continue;
        }
        this.iopubLog.push(msg);
        this.onIopub(msg);
        const parentId = msg.parent_header.msg_id;
        const col = parentId ? this.collectors.get(parentId) : undefined;
        if (!col) continue;
        if (msg.header.msg_type === "execute_input") {
          continue;
        } else if (msg.header.msg_type === "status") {
          const state = msg.content.execution_state;
          if (state === "busy") col.busy = true;
          else if (state === "idle") {
            col.idleSeen = true;
            col.idle();
          }
        } else {
          col.msgs.push(msg);
        }
      }
    } catch {
      /* closed */
    }
  }

  /**
   * Sends kernel_info every `pollMs` until one of them is answered with its
   * reply and idle status (the kernel may not be bound yet, or the iopub
   * subscription may miss the first status). Any attempt's answer counts, so a
   * kernel slower to answer than `pollMs` still gets ready.
   */
  private async waitReady(timeoutMs: number, pollMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    let wake: () => void = () => undefined;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`kernel exited with ${this.proc.exitCode} before it was ready:\n${this.stderrText}`);
      const remaining = Math.max(1, deadline - Date.now());
      // Attempts that are still pending once the kernel is ready end when the kernel answers them (or at the deadline, not keeping the process alive).
      this.request("shell", "kernel_info_request", {}, { timeoutMs: remaining, waitIdle: true, unrefTimer: true }).then(
        () => {
          ready = true;
          wake();
        },
        () => undefined,
      );
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(pollMs, remaining));
      });
      if (ready) return;
    }
    throw new Error(`kernel did not answer kernel_info in ${timeoutMs} ms:\n${this.stderrText}`);
  }

  /** Sends raw frames on a channel (for tests of malformed messages). */
  sendRaw(channel: "shell" | "control" | "stdin", frames: (Buffer | string)[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  /** Builds the frames of a request without sending it. */
  frames(msgType: string, content: JsonObject): { msgId: string; frames: (Buffer | string)[] } {
    const header = makeHeader(msgType, this.session, "client");
    return { msgId: header.msg_id, frames: encode(this.signer, [], header, {}, {}, content) };
  }

  /**
   * Sends a request and waits for its reply (and, with waitIdle, for the idle
   * status that ends its iopub messages).
   */
  async request(
    channel: "shell" | "control",
    msgType: string,
    content: JsonObject,
    opts: { timeoutMs?: number; waitIdle?: boolean; onSent?: (msgId: string) => void; unrefTimer?: boolean } = {},
  ): Promise<RequestResult> {
    const header = makeHeader(msgType, this.session, "client");
    const id = header.msg_id;
    opts.onSent?.(id);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const waitIdle = opts.waitIdle ?? true;
    let onIdle: () => void = () => undefined;
    const idle = new Promise<void>((resolve) => (onIdle = resolve));
    const col = { msgs: [] as Message[], idle: onIdle, busy: false, idleSeen: false };
    this.collectors.set(id, col);
    const reply = new Promise<Message>((resolve) => this.replies.set(id, resolve));
    await this.queues[channel].send(encode(this.signer, [], header, {}, {}, content));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${msgType}: no ${waitIdle ? "reply/idle" : "reply"} in ${timeoutMs} ms`)), timeoutMs);
      if (opts.unrefTimer) timer.unref();
    });
    try {
      const r = await Promise.race([reply, timeout]);
      if (waitIdle) await Promise.race([idle, timeout]);
      return { reply: r, outputs: col.msgs };
    } finally {
      clearTimeout(timer);
      this.replies.delete(id);
      this.collectors.delete(id);
    }
  }

  /** Executes code and collects its outputs. */
  execute(
    code: string,
    opts: {
      allowStdin?: boolean;
      silent?: boolean;
      storeHistory?: boolean;
      stopOnError?: boolean;
      timeoutMs?: number;
      /** Called with the request's msg_id before it is sent. */
      onSent?: (msgId: string) => void;
    } = {},
  ): Promise<RequestResult> {
    return this.request(
      "shell",
      "execute_request",
      {
        code,
        silent: opts.silent ?? false,
        store_history: opts.storeHistory ?? true,
        user_expressions: {},
        allow_stdin: opts.allowStdin ?? false,
        stop_on_error: opts.stopOnError ?? true,
      },
      { timeoutMs: opts.timeoutMs, onSent: opts.onSent },
    );
  }

  /** Sends interrupt_request on control. */
  interrupt(): Promise<RequestResult> {
    return this.request("control", "interrupt_request", {}, { waitIdle: false, timeoutMs: 10_000 });
  }

  /** Checks the heartbeat: resolves with the round trip in ms. */
  async heartbeat(timeoutMs = 5000): Promise<number> {
    const req = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    req.connect(endpoint(this.connection, "hb"));
    try {
      const t0 = performance.now();
      await req.send("ping");
      const [pong] = await req.receive();
      if (pong?.toString() !== "ping") throw new Error("bad heartbeat echo");
      return performance.now() - t0;
    } finally {
      req.close();
    }
  }

  /** Asks the kernel to shut down and waits for the process to end. */
  async shutdown(restart = false): Promise<void> {
    if (this.proc.exitCode === null) {
      try {
        await this.request("control", "shutdown_request", { restart }, { waitIdle: false, timeoutMs: 5000 });
      } catch {
        /* killed below */
      }
      const t = setTimeout(() => this.proc.kill("SIGKILL"), 5000);
      await this.exitPromise;
      clearTimeout(t);
    }
    this.close();
  }

  /** Closes the sockets (and kills the kernel if it still runs). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub]) s.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    rmSync(this.connectionDir, { recursive: true, force: true });
  }
}
