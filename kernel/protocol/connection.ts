/** The Jupyter connection file: ports, transport, ip and key. */
import { readFileSync } from "node:fs";

/** The parsed connection file. */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

/** The five channels. */
export type Channel = "shell" | "iopub" | "stdin" | "control" | "hb";

/** Reads and validates a connection file. */
export function readConnectionFile(path: string): ConnectionInfo {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  return parseConnectionInfo(raw);
}

/** Validates a parsed connection file object. */
export function parseConnectionInfo(raw: Record<string, unknown>): ConnectionInfo {
  const transport = (raw.transport ?? "tcp") as string;
  if (transport !== "tcp" && transport !== "ipc") throw new Error(`connection file: unknown transport '${transport}'`);
  const ip = String(raw.ip ?? "127.0.0.1");
  const port = (name: string): number => {
    const v = Number(raw[name]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`connection file: bad ${name} '${String(raw[name])}'`);
    return v;
  };
  return {
    transport,
    ip,
    shell_port: port("shell_port"),
    iopub_port: port("iopub_port"),
    stdin_port: port("stdin_port"),
    control_port: port("control_port"),
    hb_port: port("hb_port"),
    key: String(raw.key ?? ""),
    signature_scheme: String(raw.signature_scheme ?? "hmac-sha256"),
    kernel_name: typeof raw.kernel_name === "string" ? raw.kernel_name : undefined,
  };
}

/** The ZeroMQ endpoint of a channel, bound to the connection file's ip only. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  if (info.transport === "ipc") return `ipc://${info.ip}-${port}`;
  const host = info.ip.includes(":") ? `[${info.ip}]` : info.ip;
  return `tcp://${host}:${port}`;
}
