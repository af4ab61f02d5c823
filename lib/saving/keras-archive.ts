/**
 * The `.keras` archive: a ZIP (members stored, not compressed) holding
 * `metadata.json`, `config.json`, `model.weights.h5` and optional
 * `assets/...` (Keras's `saving_lib._save_model_to_fileobj`). Also reads the
 * unzipped directory form (`model.save(path, { zipped: false })`).
 */
import { unzipSync, zipSync, type Zippable } from "fflate";
import { isSerializedObject, type SerializedObject } from "./serialized.js";
import { pythonJsonDumps } from "./python-json.js";

/** The member names Keras uses. */
export const CONFIG_FILENAME = "config.json";
export const METADATA_FILENAME = "metadata.json";
export const WEIGHTS_H5_FILENAME = "model.weights.h5";
export const WEIGHTS_NPZ_FILENAME = "model.weights.npz";
export const ASSETS_DIRNAME = "assets";

/** What a `.keras` archive holds, parsed. */
export interface KerasArchive {
  /** The serialized model (`config.json`). */
  config: SerializedObject;
  /** `metadata.json` (`keras_version`, `date_saved`), or null when absent. */
  metadata: Record<string, unknown> | null;
  /** The bytes of `model.weights.h5`, or null when the archive has none. */
  weightsH5: Uint8Array | null;
  /** The bytes of `model.weights.npz` (never written by the public Keras API), or null. */
  weightsNpz: Uint8Array | null;
  /** The `assets/...` members, keyed by their path below `assets/`. */
  assets: Map<string, Uint8Array>;
  /** Every member name, in archive order. */
  members: string[];
}

/** What `writeKerasArchive` packs: each JSON member as an object, or as its ready text. */
export interface KerasArchiveContents {
  /** The serialized model (written with Python's `json.dumps` style). */
  config?: SerializedObject;
  /** `config.json` as text or bytes (instead of `config`). */
  configText?: string | Uint8Array;
  /** `metadata.json`'s content. */
  metadata?: Record<string, unknown>;
  /** `metadata.json` as text or bytes (instead of `metadata`). */
  metadataText?: string | Uint8Array;
  weightsH5?: Uint8Array | null;
  assets?: Map<string, Uint8Array>;
}

/** Thrown for files that are not readable `.keras` archives. */
export class KerasArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KerasArchiveError";
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function isZip(bytes: Uint8Array): boolean {
  // Local file header "PK\x03\x04", or the end record of an empty archive "PK\x05\x06".
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

function parseJson(text: string, member: string, source: string): unknown {
  try {
    return JSON.parse(pythonJsonToJs(text), (_key, value: unknown) =>
      typeof value === "string" && value.startsWith("\u0000") && value in SPECIAL_FLOATS ? SPECIAL_FLOATS[value] : value,
    );
  } catch (e) {
    throw new KerasArchiveError(`${source}: ${member} is not valid JSON (${(e as Error).message}).`);
  }
}

const SPECIAL_FLOATS: Record<string, number> = {
  "\u0000NaN": NaN,
  "\u0000Infinity": Infinity,
  "\u0000-Infinity": -Infinity,
};

/**
 * Python's `json.dumps` writes `NaN`, `Infinity` and `-Infinity`, which
 * `JSON.parse` rejects; they become marked strings that the reviver turns back into numbers.
 * Only bare tokens outside strings are touched.
 */
function pythonJsonToJs(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith("NaN", i)) {
      out += '"\\u0000NaN"';
      i += 3;
    } else if (text.startsWith("-Infinity", i)) {
      out += '"\\u0000-Infinity"';
      i += 9;
    } else if (text.startsWith("Infinity", i)) {
      out += '"\\u0000Infinity"';
      i += 8;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function fromMembers(files: Record<string, Uint8Array>, names: string[], source: string): KerasArchive {
  const configBytes = files[CONFIG_FILENAME];
  if (!configBytes) {
    throw new KerasArchiveError(
      `${source} is not a valid .keras archive: it has no ${CONFIG_FILENAME} ` +
        `(members: ${names.length ? names.join(", ") : "none"}). Save models with model.save("name.keras").`,
    );
  }
  const config = parseJson(decoder.decode(configBytes), CONFIG_FILENAME, source);
  if (!isSerializedObject(config)) {
    throw new KerasArchiveError(
      `${source}: ${CONFIG_FILENAME} does not describe a Keras object (expected {"class_name", "config", ...}).`,
    );
  }
  const metaBytes = files[METADATA_FILENAME];
  const metadata = metaBytes ? (parseJson(decoder.decode(metaBytes), METADATA_FILENAME, source) as Record<string, unknown>) : null;
  const assets = new Map<string, Uint8Array>();
  for (const name of names) {
    if (name.startsWith(ASSETS_DIRNAME + "/") && !name.endsWith("/")) assets.set(name.slice(ASSETS_DIRNAME.length + 1), files[name]);
  }
  return {
    config,
    metadata,
    weightsH5: files[WEIGHTS_H5_FILENAME] ?? null,
    weightsNpz: files[WEIGHTS_NPZ_FILENAME] ?? null,
    assets,
    members: names,
  };
}

/**
 * Parses the bytes of a `.keras` file. `source` names the file in error
 * messages. Throws a `KerasArchiveError` for data that is not a ZIP, a
 * truncated or corrupt ZIP, or an archive without `config.json`.
 */
export function readKerasArchive(bytes: Uint8Array, source = "The data"): KerasArchive {
  if (!isZip(bytes)) {
    throw new KerasArchiveError(
      `${source} is not a .keras file: it is not a zip archive` +
        (bytes.length === 0 ? " (it is empty)." : ".") +
        " A .keras file is the zip written by model.save() in Keras 3 (legacy .h5 files are not supported).",
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new KerasArchiveError(
      `${source} is not a readable .keras archive: the zip is truncated or corrupt (${(e as Error).message}).`,
    );
  }
  return fromMembers(files, Object.keys(files), source);
}

/**
 * Packs a `.keras` archive: `metadata.json`, `config.json`,
 * `model.weights.h5`, then the assets, stored uncompressed like Keras.
 */
export function writeKerasArchive(contents: KerasArchiveContents): Uint8Array {
  const zippable: Zippable = {};
  const fixed = { level: 0 as const, mtime: new Date(1980, 0, 1) };
  const bytesOf = (text: string | Uint8Array | undefined, value: unknown, member: string): Uint8Array => {
    if (text !== undefined) return typeof text === "string" ? encoder.encode(text) : text;
    if (value === undefined) throw new Error(`writeKerasArchive: no content for ${member}.`);
    return encoder.encode(pythonJsonDumps(value));
  };
  zippable[METADATA_FILENAME] = [bytesOf(contents.metadataText, contents.metadata ?? {}, METADATA_FILENAME), fixed];
  zippable[CONFIG_FILENAME] = [bytesOf(contents.configText, contents.config, CONFIG_FILENAME), fixed];
  if (contents.weightsH5) zippable[WEIGHTS_H5_FILENAME] = [contents.weightsH5, { level: 0 }];
  for (const [name, data] of contents.assets ?? []) zippable[`${ASSETS_DIRNAME}/${name}`] = [data, fixed];
  return zipSync(zippable, { level: 0 });
}

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  readdir(path: string, options: { recursive: true }): Promise<string[]>;
}

async function nodeFs(): Promise<NodeFs> {
  const mod = (await import("node:fs/promises")) as unknown as NodeFs;
  return mod;
}

/**
 * Reads a `.keras` file (or the directory Keras writes with
 * `zipped=False`) from disk. Throws when the path does not exist, and
 * `KerasArchiveError` for anything that is not a `.keras` archive.
 */
export async function readKerasFile(path: string): Promise<KerasArchive> {
  const fs = await nodeFs();
  let isDir: boolean;
  try {
    isDir = (await fs.stat(path)).isDirectory();
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") {
      throw new KerasArchiveError(
        `File not found: filepath=${path}. Please ensure the file is an accessible \`.keras\` zip file.`,
      );
    }
    throw e;
  }
  if (isDir) {
    const names = (await fs.readdir(path, { recursive: true })).map((n) => n.split("\\").join("/"));
    const files: Record<string, Uint8Array> = {};
    for (const name of names) {
      try {
        files[name] = await fs.readFile(`${path}/${name}`);
      } catch {
        // a sub-directory
      }
    }
    return fromMembers(files, Object.keys(files), `The directory '${path}'`);
  }
  const bytes = await fs.readFile(path);
  return readKerasArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `The file '${path}'`);
}
