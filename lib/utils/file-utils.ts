/**
 * `keras.utils.getFile` and the file helpers behind it (Keras's
 * `keras/src/utils/file_utils.py`): the cache folder, downloads with a
 * progress bar, sha256/md5 checks, and tar / tar.gz / zip extraction.
 */
import { createHash } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { unzipSync } from "fflate";
import { kerasHome } from "../backend/config.js";
import { Progbar, printMsg } from "./progbar.js";

/** Hash algorithms {@link getFile} and {@link validateFile} accept. */
export type HashAlgorithm = "auto" | "sha256" | "md5";
/** Archive formats {@link extractArchive} understands. */
export type ArchiveFormat = "tar" | "zip";

/** Options of {@link getFile}: Keras's keyword arguments, camelCased. */
export interface GetFileOptions {
  /** Deprecated in Keras in favour of `extract`: whether the file is a tar archive to extract. */
  untar?: boolean;
  /** Deprecated in Keras in favour of `fileHash`: an md5 hash of the file. */
  md5Hash?: string | null;
  /** The expected sha256 (64 hex digits) or md5 (32) hash of the file. */
  fileHash?: string | null;
  /** Sub-folder of the cache folder where the file is saved. Default `"datasets"`. An absolute path is used as is. */
  cacheSubdir?: string;
  /** `"md5"`, `"sha256"` or `"auto"` (default: sha256 for a 64-digit hash, else md5). */
  hashAlgorithm?: HashAlgorithm;
  /** Whether to extract the archive (tar, tar.gz, zip); then the extraction folder is returned. */
  extract?: boolean;
  /** Formats to try when extracting: `"auto"` (default, tar then zip), one format, a list, or null for none. */
  archiveFormat?: "auto" | ArchiveFormat | ArchiveFormat[] | null;
  /** The cache folder. Default `$KERAS_HOME`, else `~/.keras`. */
  cacheDir?: string | null;
  /** Whether to download again even when the file is in the cache. */
  forceDownload?: boolean;
  /** Progress bar verbosity while downloading (Keras's `Progbar` verbose). Default 1. */
  verbose?: number;
  /**
   * tskeras only: when a cached file fails the hash check and downloading it
   * again fails too (no network), use the cached file with a warning instead
   * of throwing. The dataset loaders set this, so a file put in the cache by
   * hand (or a small test file) loads offline. Default false.
   */
  offlineFallback?: boolean;
}

function isWritableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Calculates a file's sha256 or md5 hash (hex). `"auto"` means sha256 here, as in Keras's `hash_file`. */
export function hashFile(fpath: string, algorithm: HashAlgorithm = "sha256", chunkSize = 65535): string {
  const hasher = createHash(algorithm === "md5" ? "md5" : "sha256");
  const fd = openSync(fpath, "r");
  try {
    const buf = Buffer.alloc(Math.max(1, chunkSize) * 16);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      hasher.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hasher.digest("hex");
}

/** The algorithm Keras's `resolve_hasher` picks: sha256 when asked or when the hash has 64 digits, else md5. */
export function resolveHashAlgorithm(algorithm: HashAlgorithm, fileHash?: string | null): "sha256" | "md5" {
  if (algorithm === "sha256") return "sha256";
  if (algorithm === "auto" && fileHash != null && fileHash.length === 64) return "sha256";
  return "md5";
}

/** Whether the file at `fpath` has the given sha256 or md5 hash. */
export function validateFile(fpath: string, fileHash: string, algorithm: HashAlgorithm = "auto"): boolean {
  return hashFile(fpath, resolveHashAlgorithm(algorithm, fileHash)) === String(fileHash);
}

/** One entry of a tar archive, as {@link readTar} returns it. */
export interface TarEntry {
  /** The path inside the archive (`/`-separated, no leading `./`). */
  name: string;
  /** `"file"`, `"directory"`, or `"other"` (links, devices: not extracted). */
  type: "file" | "directory" | "other";
  /** The content of a file (a view into the archive's bytes). */
  data: Uint8Array;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function tarNumber(field: Uint8Array): number {
  if (field[0]! & 0x80) {
    // GNU base-256 for sizes over 8 GiB.
    let v = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    return v;
  }
  const text = cString(field).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a tar archive (ustar, GNU long names, pax path headers), gunzipping
 * it first if it is gzip-compressed. Throws on a malformed archive.
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const bytes = isGzip(archive) ? new Uint8Array(gunzipSync(archive)) : archive;
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (pos + 512 <= bytes.length) {
    const header = bytes.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    const stored = tarNumber(header.subarray(148, 156));
    if (stored !== sum) throw new Error(`Not a valid tar archive: bad header checksum at byte ${pos}.`);
    const size = tarNumber(header.subarray(124, 136));
    const typeflag = String.fromCharCode(header[156]!);
    const magic = cString(header.subarray(257, 263));
    let name = cString(header.subarray(0, 100));
    if (magic.startsWith("ustar")) {
      const prefix = cString(header.subarray(345, 500));
      if (prefix) name = `${prefix}/${name}`;
    }
    const dataStart = pos + 512;
    if (dataStart + size > bytes.length) throw new Error("Not a valid tar archive: it is truncated.");
    const data = bytes.subarray(dataStart, dataStart + size);
    pos = dataStart + Math.ceil(size / 512) * 512;
    if (typeflag === "L") {
      longName = cString(data);
      continue;
    }
    if (typeflag === "x") {
      const text = new TextDecoder().decode(data);
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
      if (m) paxPath = m[1]!;
      continue;
    }
    if (typeflag === "g") continue;
    if (paxPath !== null) name = paxPath;
    else if (longName !== null) name = longName;
    paxPath = null;
    longName = null;
    name = name.replace(/^(\.\/)+/, "");
    const type = typeflag === "0" || typeflag === "\0" || typeflag === "7" ? "file" : typeflag === "5" ? "directory" : "other";
    if (name === "" || name === ".") continue;
    entries.push({ name, type, data });
  }
  return entries;
}

function safeTarget(root: string, member: string): string | null {
  if (isAbsolute(member) || /^[A-Za-z]:/.test(member)) return null;
  const target = resolve(root, normalize(member));
  const rootResolved = resolve(root);
  if (target !== rootResolved && !target.startsWith(rootResolved + sep)) return null;
  return target;
}

/** Whether `raw` (already gunzipped) starts with a valid tar header. */
function isTarFile(raw: Uint8Array): boolean {
  try {
    if (raw.length < 512) return false;
    const header = raw.subarray(0, 512);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    return tarNumber(header.subarray(148, 156)) === sum;
  } catch {
    return false;
  }
}

function isZipFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * Extracts a tar (optionally gzip-compressed) or zip archive into `path`.
 * Members whose path would leave `path` (absolute paths, `..`) and links are
 * skipped, as Keras's `filter_safe_paths` does. Returns whether an archive
 * of one of the formats was found and extracted.
 */
export function extractArchive(filePath: string, path = ".", archiveFormat: GetFileOptions["archiveFormat"] = "auto"): boolean {
  if (archiveFormat == null) return false;
  const formats: ArchiveFormat[] =
    archiveFormat === "auto" ? ["tar", "zip"] : typeof archiveFormat === "string" ? [archiveFormat] : archiveFormat;
  const bytes = new Uint8Array(readFileSync(filePath));
  let tarBytes: Uint8Array | null = null;
  const tarView = (): Uint8Array => {
    if (tarBytes === null) {
      try {
        tarBytes = isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
      } catch {
        tarBytes = new Uint8Array(0);
      }
    }
    return tarBytes;
  };
  for (const format of formats) {
    if (format !== "tar" && format !== "zip") throw new Error(`Archive format not implemented: ${String(format)}.`);
    const matches = format === "tar" ? isTarFile(tarView()) : isZipFile(bytes);
    if (!matches) continue;
    try {
      mkdirSync(path, { recursive: true });
      if (format === "tar") {
        for (const entry of readTar(tarView())) {
          const target = safeTarget(path, entry.name);
          if (target === null || entry.type === "other") continue;
          if (entry.type === "directory") mkdirSync(target, { recursive: true });
          else {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, entry.data);
          }
        }
      } else {
        const files = unzipSync(bytes);
        for (const [name, data] of Object.entries(files)) {
          const target = safeTarget(path, name);
          if (target === null) continue;
          if (name.endsWith("/")) mkdirSync(target, { recursive: true });
          else {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, data);
          }
        }
      }
    } catch (e) {
      rmSync(path, { recursive: true, force: true });
      throw e;
    }
    return true;
  }
  return false;
}

/** Where {@link getFile} keeps a file, without downloading anything. */
export interface CachePaths {
  /** The folder files are saved in (`cacheDir/cacheSubdir`). */
  datadir: string;
  /** Where the downloaded file is (or would be) saved. */
  downloadTarget: string;
  /** For `extract`: the folder the archive is extracted into. */
  extractionDir: string | null;
}

/** Works out {@link getFile}'s file and folder names as Keras does, creating the cache folder. */
export function resolveCachePaths(fname: string | null | undefined, origin: string, options: GetFileOptions = {}): CachePaths {
  const cacheDir = options.cacheDir ?? kerasHome();
  let datadirBase = cacheDir.startsWith("~") ? join(process.env.HOME ?? "", cacheDir.slice(1)) : cacheDir;
  if (!isWritableDir(datadirBase)) datadirBase = join(existsSync("/tmp") ? "/tmp" : tmpdir(), ".keras");
  const datadir = isAbsolute(options.cacheSubdir ?? "datasets")
    ? (options.cacheSubdir as string)
    : join(datadirBase, options.cacheSubdir ?? "datasets");
  mkdirSync(datadir, { recursive: true });
  const provided = fname != null && fname !== "";
  let name: string;
  if (!provided) {
    let urlPath = "";
    try {
      urlPath = new URL(origin).pathname;
    } catch {
      urlPath = origin;
    }
    name = decodeURIComponent(urlPath.split("/").pop() ?? "");
    if (!name || name === "." || name === "..") {
      throw new Error(`Can't parse the file name from the origin provided: '${origin}'. Please specify the \`fname\` argument.`);
    }
  } else {
    name = fname!;
    if (name.includes("/") || name.includes("\\")) {
      throw new Error(
        "Paths are no longer accepted as the `fname` argument. To specify the file's parent directory, " +
          `use the \`cacheDir\` argument. Received: fname=${name}`,
      );
    }
  }
  if (options.extract || options.untar) {
    if (provided && name.includes(".")) {
      const stem = name.slice(0, name.indexOf("."));
      return { datadir, downloadTarget: join(datadir, name), extractionDir: join(datadir, `${stem}_extracted`) };
    }
    return { datadir, downloadTarget: join(datadir, `${name}_archive`), extractionDir: join(datadir, name) };
  }
  return { datadir, downloadTarget: join(datadir, name), extractionDir: null };
}

/** The error {@link getFile} throws when a file is missing and cannot be downloaded. */
export class DownloadError extends Error {
  constructor(
    message: string,
    /** The URL that was tried. */
    readonly origin: string,
    /** Where the file is expected. */
    readonly target: string,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

function describeFetchError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause ? ` (${err.cause.code ?? err.cause.message ?? String(err.cause)})` : "";
  return `${err.message ?? String(e)}${cause}`;
}

async function download(origin: string, target: string, verbose: number): Promise<void> {
  const tmp = `${target}.part${process.pid}`;
  let fd: number | null = null;
  try {
    const response = await globalThis.fetch(origin);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    const lengthHeader = response.headers.get("content-length");
    const total = lengthHeader !== null && Number(lengthHeader) > 0 ? Number(lengthHeader) : null;
    const progbar = new Progbar(total, { verbose });
    fd = openSync(tmp, "w");
    let current = 0;
    let finished = false;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        writeSync(fd, value);
        current += value.length;
        if (total === null || current < total) progbar.update(current);
        else if (!finished) {
          progbar.update(total);
          finished = true;
        }
      }
    }
    if (total !== null && !finished) progbar.update(total);
    if (total === null) progbar.update(current, null, true);
    closeSync(fd);
    fd = null;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Downloads a file from a URL if it is not already in the cache, and returns
 * its path (Keras's `keras.utils.get_file`).
 *
 * The file goes to `cacheDir/cacheSubdir/fname` (default
 * `~/.keras/datasets/fname`, or under `$KERAS_HOME`). With `fileHash`, a
 * cached file whose hash differs is downloaded again, and a download whose
 * hash differs is an error. With `extract`, the archive (tar, tar.gz, zip) is
 * extracted and the extraction folder returned; an extraction folder that
 * already has content is reused (Keras extracts again on every call).
 *
 * When the file is missing and cannot be downloaded (no network), the error
 * names the file and the folder to put it in.
 *
 * ```ts
 * const path = await keras.utils.getFile("mnist.npz",
 *   "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz");
 * ```
 */
export async function getFile(
  fname: string | null | undefined,
  origin: string,
  options: GetFileOptions = {},
): Promise<string> {
  if (origin == null || origin === "") {
    throw new Error('Please specify the "origin" argument (URL of the file to download).');
  }
  let fileHash = options.fileHash ?? null;
  let hashAlgorithm: HashAlgorithm = options.hashAlgorithm ?? "auto";
  if (options.md5Hash != null && fileHash === null) {
    fileHash = options.md5Hash;
    hashAlgorithm = "md5";
  }
  const { downloadTarget, extractionDir } = resolveCachePaths(fname, origin, options);
  const algoName = resolveHashAlgorithm(hashAlgorithm, fileHash);

  let mustDownload: boolean;
  let cachedButMismatched = false;
  if (options.forceDownload) mustDownload = true;
  else if (existsSync(downloadTarget)) {
    mustDownload = false;
    if (fileHash !== null && !validateFile(downloadTarget, fileHash, hashAlgorithm)) {
      printMsg(
        `A local file was found, but it seems to be incomplete or outdated because the ${algoName} file hash ` +
          `does not match the original value of ${fileHash} so we will re-download the data.`,
      );
      mustDownload = true;
      cachedButMismatched = true;
    }
  } else if (extractionDir !== null && !options.forceDownload && dirHasContent(extractionDir)) {
    // Already extracted (e.g. by Python Keras, which keeps both); nothing to fetch.
    return extractionDir;
  } else mustDownload = true;

  if (mustDownload) {
    printMsg(`Downloading data from ${origin}`);
    try {
      await download(origin, downloadTarget, options.verbose ?? 1);
    } catch (e) {
      const what = basename(downloadTarget);
      if (cachedButMismatched && options.offlineFallback && existsSync(downloadTarget)) {
        printMsg(`Could not download ${origin} (${describeFetchError(e)}); using the cached ${downloadTarget} as it is.`);
        return extractionDir !== null ? extractOrReuse(downloadTarget, extractionDir, options) : downloadTarget;
      }
      throw new DownloadError(
        `Could not download ${what} from ${origin}: ${describeFetchError(e)}.\n` +
          `Without network access, download ${origin} on a machine that has it and put the file at ` +
          `${downloadTarget} (file name: ${what}, folder: ${dirname(downloadTarget)}).` +
          (fileHash !== null ? ` Its ${algoName} hash must be ${fileHash}.` : ""),
        origin,
        downloadTarget,
      );
    }
    if (fileHash !== null && !validateFile(downloadTarget, fileHash, hashAlgorithm)) {
      throw new Error(
        `Incomplete or corrupted file detected. The ${algoName} file hash does not match the provided value of ${fileHash}.`,
      );
    }
  }

  if (extractionDir !== null) {
    if (!mustDownload && dirHasContent(extractionDir) && isNewerThan(extractionDir, downloadTarget)) return extractionDir;
    return extractOrReuse(downloadTarget, extractionDir, options);
  }
  return downloadTarget;
}

function extractOrReuse(archive: string, extractionDir: string, options: GetFileOptions): string {
  if (dirHasContent(extractionDir) && isNewerThan(extractionDir, archive)) return extractionDir;
  const format = options.untar ? "tar" : options.archiveFormat;
  const ok = extractArchive(archive, extractionDir, format === undefined ? "auto" : format);
  if (!ok) process.emitWarning("Could not extract archive.");
  return extractionDir;
}

function dirHasContent(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

function isNewerThan(dir: string, file: string): boolean {
  try {
    return statSync(dir).mtimeMs >= statSync(file).mtimeMs;
  } catch {
    return false;
  }
}
