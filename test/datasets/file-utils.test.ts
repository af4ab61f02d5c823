import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DownloadError, extractArchive, getFile, hashFile, validateFile } from "../../lib/utils/file-utils.js";
import * as keras from "../../lib/index.js";
import { TempKerasHome, offlineFetch, tar } from "./helpers.js";

let home: TempKerasHome;
beforeEach(() => {
  home = new TempKerasHome();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  home.dispose();
});

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const md5 = (b: Uint8Array): string => createHash("md5").update(b).digest("hex");

/** A fetch that serves `body` from any URL, in chunks, and records the URLs asked for. */
function servingFetch(body: Uint8Array, urls: string[] = [], withLength = true): typeof fetch {
  return (async (input: unknown) => {
    urls.push(String(input));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < body.length; i += 7) controller.enqueue(body.slice(i, i + 7));
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: withLength ? { "content-length": String(body.length) } : {} });
  }) as typeof fetch;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("keras.utils.getFile", () => {
  it("is exported as keras.utils.getFile", () => {
    expect(keras.utils.getFile).toBe(getFile);
  });

  it("returns a cached file without downloading", async () => {
    const p = home.write("data.bin", Uint8Array.from([1, 2, 3]));
    vi.stubGlobal("fetch", () => {
      throw new Error("must not fetch");
    });
    expect(await getFile("data.bin", "https://example.invalid/data.bin")).toBe(p);
    expect(await getFile("data.bin", "https://example.invalid/data.bin", { fileHash: sha256(Uint8Array.from([1, 2, 3])) })).toBe(p);
    expect(await getFile("data.bin", "https://example.invalid/data.bin", { fileHash: md5(Uint8Array.from([1, 2, 3])) })).toBe(p);
  });

  it("downloads a missing file with a progress bar and checks its hash", async () => {
    const body = new Uint8Array(100).map((_, i) => i);
    const urls: string[] = [];
    vi.stubGlobal("fetch", servingFetch(body, urls));
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const p = await getFile(null, "https://example.invalid/dir/file.dat", { fileHash: sha256(body) });
    expect(p).toBe(home.path("file.dat"));
    expect(urls).toEqual(["https://example.invalid/dir/file.dat"]);
    expect(new Uint8Array(readFileSync(p))).toEqual(body);
    const text = out.join("");
    expect(text).toContain("Downloading data from https://example.invalid/dir/file.dat");
    expect(text).toMatch(/100\/100/);
    // no partial file left behind
    expect(readdirSync(home.path("")).filter((f) => f.includes(".part"))).toEqual([]);
  });

  it("downloads without a content-length, into cacheDir/cacheSubdir", async () => {
    const body = Uint8Array.from([5, 6, 7]);
    vi.stubGlobal("fetch", servingFetch(body, [], false));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const p = await getFile("x.bin", "https://example.invalid/y", { cacheDir: join(home.root, "c"), cacheSubdir: "sub", verbose: 0 });
    expect(p).toBe(join(home.root, "c", "sub", "x.bin"));
    expect(new Uint8Array(readFileSync(p))).toEqual(body);
  });

  it("rejects a download whose hash differs", async () => {
    vi.stubGlobal("fetch", servingFetch(Uint8Array.from([1])));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    await expect(getFile("f.bin", "https://example.invalid/f.bin", { fileHash: "0".repeat(64) })).rejects.toThrow(
      /Incomplete or corrupted file detected. The sha256 file hash does not match/,
    );
    await expect(getFile("g.bin", "https://example.invalid/g.bin", { fileHash: "0".repeat(32) })).rejects.toThrow(/The md5 file hash/);
  });

  it("downloads again when a cached file's hash differs", async () => {
    home.write("stale.bin", "old");
    const body = Uint8Array.from([4, 2]);
    const urls: string[] = [];
    vi.stubGlobal("fetch", servingFetch(body, urls));
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const p = await getFile("stale.bin", "https://example.invalid/stale.bin", { fileHash: sha256(body) });
    expect(urls.length).toBe(1);
    expect(out.join("")).toContain("A local file was found, but it seems to be incomplete or outdated");
    expect(new Uint8Array(readFileSync(p))).toEqual(body);
  });

  it("fails offline with a message naming the file and the folder to put it in (closed port)", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}/tf-keras-datasets/thing.npz`;
    const err = await getFile("thing.npz", origin, { fileHash: "a".repeat(64) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    const message = (err as Error).message;
    expect(message).toContain("Could not download thing.npz");
    expect(message).toContain(origin);
    expect(message).toContain(home.path("thing.npz"));
    expect(message).toContain(`folder: ${join(home.root, "datasets")}`);
    expect(existsSync(home.path("thing.npz"))).toBe(false);
  });

  it("keeps a mismatched cached file when offline, with offlineFallback", async () => {
    vi.stubGlobal("fetch", offlineFetch());
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const p = home.write("mine.npz", "hand-made");
    await expect(getFile("mine.npz", "https://example.invalid/mine.npz", { fileHash: "b".repeat(64) })).rejects.toThrow(DownloadError);
    // Keras would have deleted it; tskeras keeps the file.
    expect(readFileSync(p, "utf8")).toBe("hand-made");
    expect(await getFile("mine.npz", "https://example.invalid/mine.npz", { fileHash: "b".repeat(64), offlineFallback: true })).toBe(p);
    expect(out.join("")).toContain(`using the cached ${p} as it is`);
  });

  it("extracts tar.gz archives as Keras names them", async () => {
    vi.stubGlobal("fetch", offlineFetch());
    const archive = tar({ "inner/a.txt": new TextEncoder().encode("hello"), "../evil.txt": new TextEncoder().encode("x") });
    // fname without a dot: archive at <fname>_archive, extracted into <fname>/
    home.write("pack_archive", archive);
    const dir = await getFile("pack", "https://example.invalid/pack.tar.gz", { extract: true });
    expect(dir).toBe(home.path("pack"));
    expect(readFileSync(join(dir, "inner", "a.txt"), "utf8")).toBe("hello");
    expect(existsSync(home.path("evil.txt"))).toBe(false);
    // fname with a dot: archive at <fname>, extracted into <stem>_extracted/
    home.write("other.tar.gz", archive);
    const dir2 = await getFile("other.tar.gz", "https://example.invalid/other.tar.gz", { extract: true });
    expect(dir2).toBe(home.path("other_extracted"));
    expect(readFileSync(join(dir2, "inner", "a.txt"), "utf8")).toBe("hello");
  });

  it("uses an already extracted folder when the archive is gone", async () => {
    vi.stubGlobal("fetch", offlineFetch());
    home.write("ready/inner/a.txt", "x");
    expect(await getFile("ready", "https://example.invalid/ready.tar.gz", { extract: true })).toBe(home.path("ready"));
  });

  it("rejects paths as fname and a missing origin, as Keras does", async () => {
    await expect(getFile("a/b.npz", "https://example.invalid/b.npz")).rejects.toThrow(/Paths are no longer accepted/);
    await expect(getFile("b.npz", "")).rejects.toThrow(/specify the "origin"/);
    await expect(getFile(null, "https://example.invalid/")).rejects.toThrow(/Can't parse the file name/);
  });
});

describe("hashFile / validateFile / extractArchive", () => {
  it("hashes with sha256 and md5, auto-detecting by length", () => {
    const p = home.write("abc.txt", "abc");
    expect(hashFile(p)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashFile(p, "md5")).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(validateFile(p, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")).toBe(true);
    expect(validateFile(p, "900150983cd24fb0d6963f7d28e17f72")).toBe(true);
    expect(validateFile(p, "900150983cd24fb0d6963f7d28e17f73")).toBe(false);
  });

  it("extracts zip archives and reports unknown formats", async () => {
    const { zipSync } = await import("fflate");
    const z = home.write("z.zip", zipSync({ "d/f.txt": new TextEncoder().encode("zip!") }));
    expect(extractArchive(z, home.path("zout"))).toBe(true);
    expect(readFileSync(home.path("zout/d/f.txt"), "utf8")).toBe("zip!");
    const t = home.write("not-an-archive.bin", "plain text");
    expect(extractArchive(t, home.path("nothing"))).toBe(false);
    expect(extractArchive(z, home.path("zout2"), "tar")).toBe(false);
    expect(extractArchive(z, home.path("zout3"), null)).toBe(false);
  });
});
