#!/usr/bin/env bash
# Runs tskeras's webgpu tests and the GPU benchmarks on a machine without
# network, from the pack bench/gpu/pack.sh makes (dist/gpu-pack/tskeras-gpu.tar).
#
#   bench/gpu/run.sh [PACK] [--size=full|small] [--no-tests] [--no-bench]
#
# It unpacks node, the Vulkan loader (when the system has none) and the app
# into $TSKERAS_GPU_WORK (default /tmp/tskeras-gpu), finds the GPU's Vulkan
# driver (the NVIDIA ICD, written by hand when a container has the driver's
# libGLX_nvidia.so.0 but no manifest), runs `vitest -c vitest.webgpu.config.ts`
# with KERAS_BACKEND=webgpu, then bench/gpu/bench.mjs, and writes
# bench/RESULTS-gpu.md (in the repository it is run from) with the device
# named. Logs and results are also copied to $OUT when it is set.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." 2>/dev/null && pwd)"
PACK=""
SIZE=full
TESTS=1
BENCH=1
for a in "$@"; do
  case "$a" in
    --size=*) SIZE="${a#--size=}" ;;
    --no-tests) TESTS=0 ;;
    --no-bench) BENCH=0 ;;
    -*) echo "run.sh: unknown option $a" >&2; exit 2 ;;
    *) PACK="$a" ;;
  esac
done
[ -n "$PACK" ] || PACK="$REPO/dist/gpu-pack/tskeras-gpu.tar"
[ -f "$PACK" ] || { echo "run.sh: no pack at $PACK (make it with bench/gpu/pack.sh)" >&2; exit 1; }
WORK="${TSKERAS_GPU_WORK:-/tmp/tskeras-gpu}"
LOGS="$WORK/logs"
say() { echo "run.sh: $*" | tee -a "$LOGS/run.log" >&2; }

rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/app" "$LOGS"
tar -xf "$PACK" -C "$WORK"
xz -dc "$WORK/node.xz" > "$WORK/bin/node" && chmod +x "$WORK/bin/node" && rm -f "$WORK/node.xz"
xz -dc "$WORK/app.tar.xz" | tar -xf - -C "$WORK/app" && rm -f "$WORK/app.tar.xz"
# ../shared/fixtures as the tests find it beside the repository.
[ -f "$WORK/shared.tar.xz" ] && xz -dc "$WORK/shared.tar.xz" | tar -xf - -C "$WORK" && rm -f "$WORK/shared.tar.xz"
NODE="$WORK/bin/node"
export PATH="$WORK/bin:$PATH"
say "node $("$NODE" --version), pack $(basename "$PACK"), size $SIZE"

# --- the Vulkan loader ---------------------------------------------------------------
if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  say "Vulkan loader: the system's ($(ldconfig -p | grep 'libvulkan\.so\.1 ' | head -1 | sed 's/.*=> //'))"
else
  deb="$(ls "$WORK"/debs/libvulkan1_*.deb 2>/dev/null | head -1)"
  mkdir -p "$WORK/vulkan"
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$deb" "$WORK/vulkan"
  else
    (cd "$WORK/vulkan" && ar x "$deb" && tar -xf data.tar.* && rm -f data.tar.* control.tar.* debian-binary)
  fi
  libdir="$(dirname "$(find "$WORK/vulkan" -name 'libvulkan.so.1' | head -1)")"
  export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "Vulkan loader: unpacked from $(basename "$deb") into $libdir"
fi

# --- the GPU's Vulkan driver (ICD) -----------------------------------------------------
if command -v nvidia-smi >/dev/null; then nvidia-smi -L 2>&1 | tee -a "$LOGS/run.log" >&2; else say "no nvidia-smi"; fi
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  icd=""
  for d in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d /etc/glvnd/egl_vendor.d; do
    f="$(ls "$d"/nvidia*.json 2>/dev/null | head -1)"
    if [ -n "$f" ] && grep -q '"ICD"' "$f"; then icd="$f"; break; fi
  done
  if [ -z "$icd" ]; then
    glx="$(ldconfig -p 2>/dev/null | grep 'libGLX_nvidia\.so\.0 ' | head -1 | sed 's/.*=> //')"
    [ -n "$glx" ] || glx="$(ls /usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0 /usr/lib64/libGLX_nvidia.so.0 /usr/lib/libGLX_nvidia.so.0 2>/dev/null | head -1)"
    if [ -n "$glx" ]; then
      icd="$WORK/nvidia_icd.json"
      printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > "$icd"
      say "no NVIDIA Vulkan manifest; wrote $icd for $glx"
    fi
  fi
  if [ -n "$icd" ]; then
    export VK_ICD_FILENAMES="$icd"
    say "Vulkan ICD: $icd"
  else
    say "no NVIDIA Vulkan driver found (libGLX_nvidia.so.0): a container needs NVIDIA_DRIVER_CAPABILITIES to include 'graphics'"
    say "(tskeras falls back to SwiftShader for KERAS_BACKEND=webgpu if chromium is installed: a CPU, not the GPU)"
  fi
fi

# --- which adapter Dawn finds ------------------------------------------------------------
cd "$WORK/app"
"$NODE" --input-type=module -e '
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const a = await gpu.requestAdapter({ powerPreference: "high-performance" });
  console.log(a ? `Dawn adapter: ${JSON.stringify({ vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device, description: a.info.description, fallback: a.info.isFallbackAdapter })}` : "Dawn adapter: none");
' 2>&1 | tee -a "$LOGS/run.log" >&2

status=0
# --- tests -------------------------------------------------------------------------------
if [ "$TESTS" = 1 ]; then
  say "tests: KERAS_BACKEND=webgpu vitest run -c vitest.webgpu.config.ts"
  t0=$(date +%s)
  KERAS_BACKEND=webgpu "$NODE" node_modules/vitest/vitest.mjs run -c vitest.webgpu.config.ts > "$LOGS/tests.log" 2>&1
  rc=$?
  sed 's/\x1b\[[0-9;]*m//g' "$LOGS/tests.log" | grep -E '^ +(Test Files|Tests) ' | tee -a "$LOGS/run.log" >&2
  say "tests: exit $rc in $(( $(date +%s) - t0 )) s (log: $LOGS/tests.log)"
  [ "$rc" = 0 ] || status=1
fi

# --- benchmarks ----------------------------------------------------------------------------
if [ "$BENCH" = 1 ]; then
  say "benchmarks: bench/gpu/bench.mjs --size=$SIZE"
  mkdir -p "$REPO/bench"
  "$NODE" bench/gpu/bench.mjs --size="$SIZE" --out="$REPO/bench/RESULTS-gpu.md" --json="$LOGS/results-gpu.json" 2>&1 | tee "$LOGS/bench.log" >&2
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  if [ -f "$REPO/bench/RESULTS-gpu.md" ]; then
    {
      echo
      echo "## Tests"
      echo
      if [ "$TESTS" = 1 ]; then
        echo "\`KERAS_BACKEND=webgpu vitest run -c vitest.webgpu.config.ts\` on this machine:"
        echo
        sed 's/\x1b\[[0-9;]*m//g' "$LOGS/tests.log" | grep -E '^ +(Test Files|Tests|Duration) ' | sed 's/^ */    /'
      else
        echo "(not run)"
      fi
      echo
      echo "Setup: $(grep -E 'Vulkan|ICD|Dawn adapter' "$LOGS/run.log" | sed 's/^run.sh: //' | paste -sd ';' -)"
    } >> "$REPO/bench/RESULTS-gpu.md"
    cp "$REPO/bench/RESULTS-gpu.md" "$LOGS/"
  fi
fi

if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT" && cp -r "$LOGS"/. "$OUT"/
fi
say "done (exit $status)"
exit "$status"
