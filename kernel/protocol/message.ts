/**
 * Jupyter messages (protocol 5.4): the header, signing with HMAC-SHA256 and
 * the ZeroMQ wire format `[identities..., "<IDS|MSG>", hmac, header,
 * parent_header, metadata, content, buffers...]`.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** The protocol version this kernel speaks. */
export const PROTOCOL_VERSION = "5.4";

/** The delimiter between routing identities and the message proper. */
export const DELIMITER = "<IDS|MSG>";

/** A message header. */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [key: string]: unknown;
}

/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/** A decoded Jupyter message. */
export interface Message<C extends JsonObject = JsonObject> {
  /** ZeroMQ routing identities (ROUTER sockets), or the topic for iopub. */
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: JsonObject;
  content: C;
  buffers: Buffer[];
}

/** Signs and verifies messages with the connection file's key. */
export class Signer {
  private readonly key: Buffer;
  /** `scheme` is the connection file's signature_scheme ("hmac-sha256"). */
  constructor(key: string, readonly scheme = "hmac-sha256") {
    this.key = Buffer.from(key, "utf8");
    if (scheme !== "hmac-sha256") throw new Error(`unsupported signature scheme '${scheme}'`);
  }
  /** True when the key is empty: messages are then neither signed nor checked. */
  get disabled(): boolean {
    return this.key.length === 0;
  }
  /** The hex HMAC of the four JSON frames. */
  sign(frames: readonly (Buffer | string)[]): string {
    if (this.disabled) return "";
    const h = createHmac("sha256", this.key);
    for (const f of frames) h.update(f);
    return h.digest("hex");
  }
  /** Constant-time check of a signature against the frames. */
  verify(signature: string, frames: readonly (Buffer | string)[]): boolean {
    if (this.disabled) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    const given = Buffer.from(signature, "utf8");
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** Makes a new header. */
export function makeHeader(msgType: string, session: string, username = "kernel"): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Encodes a message into frames ready for `socket.send`. */
export function encode(
  signer: Signer,
  identities: readonly (Buffer | string)[],
  header: Header,
  parent: Partial<Header> | JsonObject,
  metadata: JsonObject,
  content: JsonObject,
  buffers: readonly Buffer[] = [],
): (Buffer | string)[] {
  const parts = [JSON.stringify(header), JSON.stringify(parent), JSON.stringify(metadata), JSON.stringify(content)];
  return [...identities, DELIMITER, signer.sign(parts), ...parts, ...buffers];
}

/** Why a set of frames could not be decoded. */
export class DecodeError extends Error {
  override name = "DecodeError";
}

/**
 * Decodes frames received from a socket. Throws DecodeError when the frames
 * are malformed or the signature is missing or wrong.
 */
export function decode(signer: Signer, frames: readonly Buffer[]): Message {
  const idx = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (idx < 0) throw new DecodeError("no <IDS|MSG> delimiter");
  if (frames.length < idx + 6) throw new DecodeError(`too few frames (${frames.length - idx - 1} after the delimiter)`);
  const signature = frames[idx + 1]!.toString("latin1");
  const parts = frames.slice(idx + 2, idx + 6);
  if (!signer.verify(signature, parts)) {
    throw new DecodeError(signature ? "bad signature" : "missing signature");
  }
  let header: unknown, parent: unknown, metadata: unknown, content: unknown;
  try {
    [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")) as unknown);
  } catch (e) {
    throw new DecodeError(`bad JSON: ${(e as Error).message}`);
  }
  if (!isObject(header) || typeof header.msg_type !== "string" || typeof header.msg_id !== "string") {
    throw new DecodeError("header without msg_type or msg_id");
  }
  return {
    identities: frames.slice(0, idx),
    header: header as Header,
    parent_header: isObject(parent) ? (parent as Partial<Header>) : {},
    metadata: isObject(metadata) ? metadata : {},
    content: isObject(content) ? content : {},
    buffers: frames.slice(idx + 6),
  };
}

/** True for a plain (non-array) object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Serializes sends on one ZeroMQ socket: zeromq 6 allows only one pending
 * `send` per socket, so writers queue here.
 */
export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: { send(frames: (Buffer | string)[]): Promise<void> }) {}
  /** Queues `frames`; the returned promise settles when they are handed to ZeroMQ. */
  send(frames: (Buffer | string)[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
