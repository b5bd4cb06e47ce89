#!/usr/bin/env bash
# Builds the runtime with `fast-runtime` (2 s blocks, governance periods in minutes) as a WASM
# next to the production one:
#   $CARGO_TARGET_DIR/release/wbuild/luxtensor-runtime/luxtensor_runtime_fast.compact.compressed.wasm
# The e2e test of an enacted referendum runs the dev node on a chain spec carrying it
# (e2e/lib/node.js `fastRuntimeChainSpec`), so no second node binary is built.
# `cargo check` with the workspace's features (as clippy builds) runs the runtime's build script,
# which compiles the WASM; the native crates are only checked, reusing clippy's artifacts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

cargo check --release --workspace --all-targets --locked \
	--features luxtensor-agent/cheats,luxtensor-runtime/fast-runtime
wasm="$CARGO_TARGET_DIR/release/wbuild/luxtensor-runtime/luxtensor_runtime_fast.compact.compressed.wasm"
[[ -f "$wasm" ]] || { echo "error: $wasm was not built" >&2; exit 1; }
echo "$wasm"
