#!/usr/bin/env bash
# Installs what `npm run test:webgpu` needs on a machine without a GPU:
# the Vulkan loader (libvulkan1) and SwiftShader, a Vulkan implementation on
# the CPU that Debian ships inside chromium-common (the chromium package's
# library folder: /usr/lib/chromium/libvk_swiftshader.so with its
# vk_swiftshader_icd.json). Dawn (the `webgpu` npm package) then finds a CPU
# adapter when VK_ICD_FILENAMES points at that json; tskeras sets it by itself
# when KERAS_BACKEND=webgpu is asked for and Vulkan finds no GPU.
#
# Idempotent: does nothing when both are there. Prints the ICD path last.
set -euo pipefail

ICD_CANDIDATES=(
  /usr/lib/chromium/vk_swiftshader_icd.json
  /usr/lib64/chromium/vk_swiftshader_icd.json
  /usr/lib/chromium-browser/vk_swiftshader_icd.json
)

find_icd() {
  local p
  for p in "${ICD_CANDIDATES[@]}"; do
    if [ -f "$p" ] && [ -f "$(dirname "$p")/libvk_swiftshader.so" ]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

have_loader() {
  ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' || [ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libvulkan.so.1 ]
}

if ! find_icd >/dev/null || ! have_loader; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # chromium-common holds SwiftShader; the chromium browser package itself is not needed.
  # Older releases without a separate chromium-common get the whole chromium package.
  pkgs=(libvulkan1)
  if apt-cache show chromium-common >/dev/null 2>&1; then pkgs+=(chromium-common); else pkgs+=(chromium); fi
  echo "install-webgpu: installing ${pkgs[*]}"
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

icd="$(find_icd)" || { echo "install-webgpu: SwiftShader's vk_swiftshader_icd.json not found after install" >&2; exit 1; }
have_loader || { echo "install-webgpu: the Vulkan loader libvulkan.so.1 is missing after install" >&2; exit 1; }
echo "install-webgpu: SwiftShader ICD at $icd (tskeras uses it for KERAS_BACKEND=webgpu when no GPU is found)"
