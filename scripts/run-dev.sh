#!/usr/bin/env bash
# Builds the node and runs a single-validator development chain (Alice authors and
# finalizes) with its database kept between runs and RPC on ws://127.0.0.1:9944.
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --log babe=debug`.
# Start from scratch: `luxtensor-node purge-chain --dev --base-path "$LUXTENSOR_DEV_BASE_PATH"`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

scripts/setup.sh
cargo build --release --workspace --locked

base_path="${LUXTENSOR_DEV_BASE_PATH:-$HOME/.local/share/luxtensor/dev}"
mkdir -p "$base_path"
echo "[run-dev] base path: $base_path; RPC: ws://127.0.0.1:9944; Prometheus: http://127.0.0.1:9615/metrics" >&2
exec "$LUXTENSOR_NODE_BIN" --dev --base-path "$base_path" --rpc-port 9944 --rpc-cors all "$@"
