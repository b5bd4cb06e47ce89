#!/usr/bin/env bash
# Runs this build's runtime migrations, with their pre/post-upgrade checks and every pallet's
# try_state, on the state of a live node (see scripts/try-runtime.mjs):
#   scripts/try-runtime.sh [NODE_HTTP_URL] [BLOCK_HASH]
# The URL defaults to http://127.0.0.1:9944, the block to that node's finalized head. Run it
# before proposing an upgrade, against a node of the network to upgrade.
# The runtime is built with its `try-runtime` feature in a target directory of its own (the
# node's build would otherwise get this WASM): `cargo check` of the runtime, which compiles
# only the WASM in full. The first build takes about 15 minutes on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

url="${1:-http://127.0.0.1:9944}"
block="${2:-}"
require_node_bin

target="${LUXTENSOR_TRY_RUNTIME_TARGET:-$(dirname "$CARGO_TARGET_DIR")/try-runtime-target}"
echo "[try-runtime] building the runtime with try-runtime (target $target)"
CARGO_TARGET_DIR="$target" cargo check --release --locked -p luxtensor-runtime --features try-runtime
wasm="$target/release/wbuild/luxtensor-runtime/luxtensor_runtime.compact.compressed.wasm"
[[ -f "$wasm" ]] || { echo "[try-runtime] no WASM at $wasm" >&2; exit 1; }

# The fork's chain spec takes its chain type and properties from the local spec; its genesis
# is the live state.
base=$(mktemp)
trap 'rm -f "$base"' EXIT
"$LUXTENSOR_NODE_BIN" export-chain-spec --chain local --raw >"$base" 2>/dev/null
node scripts/try-runtime.mjs "$url" "$wasm" "$LUXTENSOR_NODE_BIN" "$base" ${block:+"$block"}
