#!/usr/bin/env bash
# Load test of a fresh `--dev` node (not part of scripts/test.sh: it saturates the machine):
#   scripts/load.sh [SECONDS] [ACCOUNTS] [SUBNETS]     (default 120 s, 200 accounts, no subnets)
# floods it with pre-signed transfers for SECONDS and reports per block extrinsics, weight
# used, authoring time, slot gaps and finality lag; fails if a block is over its weight
# limit, a transaction is lost (neither included nor refused) or finality lags > 5 blocks.
# With SUBNETS, the flood mixes in that many subnets with epochs due every 10 blocks, their
# validators' weights every block and stake moves (e2e/load/mix.mjs); it also fails if a
# subnet goes two tempos without an epoch.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

seconds="${1:-120}"
accounts="${2:-200}"
subnets="${3:-0}"
[[ -x "$LUXTENSOR_NODE_BIN" ]] || { echo "[load] no node binary at $LUXTENSOR_NODE_BIN: run 'cargo build --release'" >&2; exit 1; }
[[ -d e2e/node_modules ]] || (cd e2e && npm ci --no-audit --no-fund)
work="$(mktemp -d)"
port=9988
"$LUXTENSOR_NODE_BIN" --dev --base-path "$work/db" --rpc-port "$port" --rpc-max-connections 1000 \
	>"$work/node.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 60); do
	curl -s -o /dev/null "http://127.0.0.1:$port" && break
	sleep 1
done
node e2e/load/transfers.mjs "ws://127.0.0.1:$port" "$work/node.log" "$seconds" "$accounts" "$subnets"
