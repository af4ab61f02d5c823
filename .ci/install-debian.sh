#!/usr/bin/env bash
# Installs the Debian packages the kernel tests need (real Jupyter clients):
# jupyter_kernel_test, jupyter_client, nbclient, nbconvert and jupyter-server;
# and chromium for the display browser test (test/display/browser.test.ts).
# Idempotent and quiet: does nothing when they are all installed already.
set -euo pipefail

# python3-ipykernel is not listed: no test needs it (Debian may pull it in as a dependency of jupyter-client).
PKGS=(python3-jupyter-kernel-test jupyter-client python3-nbclient jupyter-nbconvert jupyter-server chromium)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-debian: all ${#PKGS[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "install-debian: installing ${missing[*]}"
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-debian: done"
