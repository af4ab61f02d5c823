/**
 * The kernel's second thread: heartbeat, control and iopub sockets. It keeps
 * answering while the main thread runs a busy cell: interrupt_request makes
 * it send SIGINT to the process, and the main thread's iopub messages are
 * posted here and published in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { decode, encode, makeHeader, SendQueue, Signer, type JsonObject, type Message } from "./message.js";

/** What the main thread passes to the worker. */
export interface WorkerInit {
  connection: ConnectionInfo;
  session: string;
  kernelInfo: JsonObject;
}

/** Messages from the main thread to the worker. */
export type ToWorker = { type: "iopub"; frames: (Uint8Array | string)[] } | { type: "close" };

/** Messages from the worker to the main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "error"; message: string }
  | { type: "shutdown"; restart: boolean }
  | { type: "closed" };

const init = workerData as WorkerInit;
const port = parentPort!;
const signer = new Signer(init.connection.key, init.connection.signature_scheme);
const log = (msg: string): void => {
  process.stderr.write(`[tskeras kernel] ${msg}\n`);
};

const iopub = new zmq.Publisher({ linger: 1000, sendHighWaterMark: 0 });
const control = new zmq.Router({ linger: 1000 });
const hb = new zmq.Reply({ linger: 0 });
const iopubQ = new SendQueue(iopub);
const controlQ = new SendQueue(control);
let closing = false;

function publish(msgType: string, content: JsonObject, parent: JsonObject): Promise<void> {
  const header = makeHeader(msgType, init.session);
  return iopubQ.send(encode(signer, [`kernel.${init.session}.${msgType}`], header, parent, {}, content));
}

function replyControl(req: Message, msgType: string, content: JsonObject): Promise<void> {
  const header = makeHeader(msgType, init.session);
  return controlQ.send(encode(signer, req.identities, header, req.header, {}, content));
}

async function handleControl(req: Message): Promise<void> {
  const type = req.header.msg_type;
  await publish("status", { execution_state: "busy" }, req.header);
  switch (type) {
    case "kernel_info_request":
      await replyControl(req, "kernel_info_reply", init.kernelInfo);
      break;
    case "interrupt_request":
      process.kill(process.pid, "SIGINT");
      await replyControl(req, "interrupt_reply", { status: "ok" });
      break;
    case "shutdown_request": {
      const restart = Boolean(req.content.restart);
      await replyControl(req, "shutdown_reply", { status: "ok", restart });
      await publish("status", { execution_state: "idle" }, req.header);
      port.postMessage({ type: "shutdown", restart } satisfies FromWorker);
      // If the main thread is stuck in a busy cell, end the process anyway.
      setTimeout(() => process.kill(process.pid, "SIGTERM"), 2000).unref();
      return;
    }
    case "debug_request":
      await replyControl(req, "debug_reply", { status: "error", ename: "NotSupported", evalue: "no debugger", traceback: [] });
      break;
    default:
      log(`control: ignoring ${type}`);
  }
  await publish("status", { execution_state: "idle" }, req.header);
}

async function controlLoop(): Promise<void> {
  for await (const frames of control) {
    let msg: Message;
    try {
      msg = decode(signer, frames);
    } catch (e) {
      log(`control: dropped a message: ${(e as Error).message}`);
      continue;
    }
    try {
      await handleControl(msg);
    } catch (e) {
      log(`control: ${(e as Error).stack ?? String(e)}`);
    }
  }
}

async function hbLoop(): Promise<void> {
  for await (const frames of hb) {
    await hb.send(frames);
  }
}

port.on("message", (m: ToWorker) => {
  if (m.type === "iopub") {
    void iopubQ.send(m.frames.map((f) => (typeof f === "string" ? f : Buffer.from(f.buffer, f.byteOffset, f.byteLength)))).catch((e: unknown) => {
      if (!closing) log(`iopub: ${(e as Error).message}`);
    });
  } else if (m.type === "close") {
    closing = true;
    for (const s of [iopub, control, hb]) s.close();
    port.postMessage({ type: "closed" } satisfies FromWorker);
  }
});

try {
  const c = init.connection;
  await Promise.all([iopub.bind(endpoint(c, "iopub")), control.bind(endpoint(c, "control")), hb.bind(endpoint(c, "hb"))]);
  port.postMessage({ type: "ready" } satisfies FromWorker);
  controlLoop().catch((e: unknown) => {
    if (!closing) log(`control loop ended: ${(e as Error).message}`);
  });
  hbLoop().catch((e: unknown) => {
    if (!closing) log(`heartbeat loop ended: ${(e as Error).message}`);
  });
} catch (e) {
  port.postMessage({ type: "error", message: (e as Error).message } satisfies FromWorker);
}
