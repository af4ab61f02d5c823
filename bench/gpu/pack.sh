#!/usr/bin/env bash
# Packs what a GPU machine without network needs to run tskeras's webgpu tests
# and GPU benchmarks (bench/gpu/run.sh unpacks and runs them):
#
#   node.xz        this machine's node binary, compressed
#   debs/          the Vulkan loader from Debian (apt-get download libvulkan1)
#   app.tar.xz     package.json, tsconfig, vitest.webgpu.config.ts, lib/ (the
#                  tests import the sources), test/,
#                  generated/, the built dist/lib, bench/gpu/, and only the
#                  node_modules files a traced run opened (the `webgpu`
#                  package's linux-x64 Dawn only)
#
# Output: dist/gpu-pack/tskeras-gpu.tar (dist/ is git-ignored; hand it to the
# GPU machine as a carried path). Usage: bench/gpu/pack.sh [--no-trace]
#   --no-trace   reuse the file list of the last traced run (dist/gpu-pack/files.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
OUTDIR="$ROOT/dist/gpu-pack"
STAGE="$OUTDIR/stage"
TRACE=1
for a in "$@"; do
  case "$a" in
    --no-trace) TRACE=0 ;;
    *) echo "pack.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

step() { echo "pack.sh: $*" >&2; }

[ -f generated/tfjs-registrations.cjs ] || node scripts/bundle-tfjs-registrations.mjs
step "building dist/ (tsc -p tsconfig.build.json)"
npx tsc -p tsconfig.build.json >/dev/null 2>&1 || step "tsc reported type errors (emitted anyway)"
[ -f dist/lib/index.js ] || { echo "pack.sh: dist/lib/index.js missing after the build" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE/debs"

# --- node_modules: the files a real run opens -------------------------------------
if [ "$TRACE" = 1 ] || [ ! -f "$OUTDIR/files.txt" ]; then
  command -v strace >/dev/null || { echo "pack.sh: strace is needed to trace the run (apt-get install strace)" >&2; exit 1; }
  bash .ci/install-webgpu.sh >/dev/null
  TR="$OUTDIR/trace"
  # Opens and existence checks (vite stat()s files it never opens).
  SYSCALLS=open,openat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat
  rm -rf "$TR"; mkdir -p "$TR"
  step "tracing the webgpu tests (choice + training) and a smoke benchmark on every backend"
  # The choice and training tests load vitest end to end, the library from its sources, Dawn and
  # tfjs-backend-webgpu; the smoke benchmark loads dist/ on cpu, wasm and webgpu.
  KERAS_BACKEND=webgpu strace -f -qq -e trace="$SYSCALLS" -o "$TR/t" \
    node node_modules/vitest/vitest.mjs run -c vitest.webgpu.config.ts test/backend/webgpu-choice.test.ts >/dev/null 2>&1 || step "(traced test run failed; its file list is used anyway)"
  for b in cpu wasm webgpu; do
    strace -f -qq -e trace="$SYSCALLS" -o "$TR/b-$b" node bench/gpu/bench.mjs --worker --backend="$b" --size=smoke >/dev/null 2>&1 ||
      step "(traced $b benchmark failed)"
  done
  # Regular files under node_modules that a call found, relative to the root.
  cat "$TR"/t* "$TR"/b-* | grep -v ' = -1 ' | sed -n 's/^[0-9]* *[a-z0-9_]*([^"]*"\([^"]*\)".*/\1/p' |
    while read -r f; do
      case "$f" in /*) ;; *) f="$ROOT/$f" ;; esac
      f="$(realpath -m "$f")"
      case "$f" in "$ROOT"/node_modules/*) [ -f "$f" ] && echo "${f#"$ROOT"/}" ;; esac
    done | sort -u > "$OUTDIR/files.txt"
  rm -rf "$TR"
fi
# Every package.json on the way (module resolution reads them) and the whole linux-x64 Dawn.
{
  cat "$OUTDIR/files.txt"
  sed -n 's|^\(node_modules/\(@[^/]*/\)\{0,1\}[^/]*\)/.*|\1/package.json|p' "$OUTDIR/files.txt"
  find node_modules/webgpu -maxdepth 1 -type f
  find node_modules/webgpu/dist/linux-x64 -type f
} | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done > "$OUTDIR/files-all.txt"
step "node_modules: $(wc -l < "$OUTDIR/files-all.txt") files, $(xargs -d '\n' du -cb < "$OUTDIR/files-all.txt" | tail -1 | cut -f1) bytes"

# --- the app ---------------------------------------------------------------------------
{
  cat "$OUTDIR/files-all.txt"
  ls package.json tsconfig.json vitest.webgpu.config.ts
  find lib generated -type f
  find test -type f   # the suites vitest.webgpu.config.ts lists, and the helpers they import
  find dist/lib -type f ! -name '*.map'
  find bench/gpu -type f
} > "$OUTDIR/app-files.txt"
step "compressing the app (xz)"
tar -cf - --files-from="$OUTDIR/app-files.txt" | xz -6 -T0 > "$STAGE/app.tar.xz"

# The Keras fixtures the loss tests compare with (../shared/fixtures, beside the repository).
if [ -d ../shared/fixtures ]; then
  tar -cf - -C .. shared/fixtures | xz -6 -T0 > "$STAGE/shared.tar.xz"
fi

# --- node --------------------------------------------------------------------------------
NODE_BIN="$(readlink -f "$(command -v node)")"
step "compressing node $(node --version) ($NODE_BIN)"
xz -6 -T0 -c "$NODE_BIN" > "$STAGE/node.xz"
node --version > "$STAGE/node-version.txt"

# --- the Vulkan loader -------------------------------------------------------------------
step "downloading the Vulkan loader (apt-get download libvulkan1)"
(cd "$STAGE/debs" && apt-get download libvulkan1 >/dev/null 2>&1) ||
  cp /var/cache/apt/archives/libvulkan1_*.deb "$STAGE/debs/" 2>/dev/null ||
  { echo "pack.sh: could not get libvulkan1's .deb (apt-get update first?)" >&2; exit 1; }

cp bench/gpu/run.sh "$STAGE/run.sh"
tar -cf "$OUTDIR/tskeras-gpu.tar" -C "$STAGE" .
rm -rf "$STAGE"
SIZE=$(stat -c %s "$OUTDIR/tskeras-gpu.tar")
step "wrote dist/gpu-pack/tskeras-gpu.tar: $((SIZE / 1048576)) MiB ($SIZE bytes)"
if [ "$SIZE" -ge $((60 * 1048576)) ]; then
  echo "pack.sh: the pack is over 60 MiB; the GPU machine takes 64 MiB at most" >&2
  exit 1
fi
