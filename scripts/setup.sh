#!/usr/bin/env bash
# Installs everything a fresh machine needs to build, run and test LuxTensor.
# Idempotent and quiet when everything is already present.
#   scripts/setup.sh               build and test tools (Rust, apt packages, Node.js suites)
#   scripts/setup.sh --build-only  only what `cargo build` needs (container images)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

build_only=false
case "${1:-}" in
  "") ;;
  --build-only) build_only=true ;;
  *) echo "usage: $0 [--build-only]" >&2; exit 2 ;;
esac

log() { echo "[setup] $*" >&2; }

# System packages: protoc for litep2p/libp2p, pkg-config + libssl-dev for litep2p's WebRTC
# stack, clang for wasm-opt-sys/C code, curl for waiting on RPC, nodejs/npm for e2e tests.
apt_packages=(protobuf-compiler pkg-config libssl-dev clang libclang-dev make curl git)
# A machine may carry its own Node.js outside of apt; apt's is needed only without one.
if ! $build_only && ! { command -v node && command -v npm; } >/dev/null; then
  apt_packages+=(nodejs npm)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust: the toolchain pinned in rust-toolchain.toml with its WASM targets and rust-src.
if ! command -v rustup >/dev/null; then
  log "installing rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain none >/dev/null
fi
cd "$LUXTENSOR_ROOT"
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
installed_targets=$(rustup target list --installed --toolchain "$toolchain" 2>/dev/null || true)
if ! grep -qx wasm32v1-none <<<"$installed_targets" || ! grep -qx wasm32-unknown-unknown <<<"$installed_targets"; then
  log "adding rust targets for $toolchain"
  rustup toolchain install "$toolchain" --profile minimal --no-self-update >/dev/null 2>&1 || true
  rustup target add --toolchain "$toolchain" wasm32v1-none wasm32-unknown-unknown >/dev/null
fi
installed_components=$(rustup component list --installed --toolchain "$toolchain" 2>/dev/null || true)
for component in rust-src rustfmt clippy; do
  if ! grep -q "^$component" <<<"$installed_components"; then
    log "adding rust component $component"
    rustup component add --toolchain "$toolchain" "$component" >/dev/null
  fi
done

# Node.js packages for the end-to-end and zombienet suites, from their lock files.
$build_only && exit 0
for dir in e2e zombienet; do
  if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
    log "installing npm packages in $dir/"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
done
exit 0
