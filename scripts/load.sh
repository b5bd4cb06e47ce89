#!/usr/bin/env bash
# Load test of a fresh `--dev` node (not part of scripts/test.sh: it saturates the machine):
#   scripts/load.sh [SECONDS] [ACCOUNTS] [SUBNETS]     (default 120 s, 200 accounts, no subnets)
# floods it with pre-signed transfers for SECONDS and reports per block extrinsics, weight
# used, authoring time, slot gaps and finality lag; fails if a block is over its weight
# limit, a transaction is lost (neither included nor refused) or finality lags > 5 blocks.
# With SUBNETS, the flood mixes in that many subnets with epochs due every 10 blocks, their
# validators' weights every block and stake moves (e2e/load/mix.mjs); it also fails if a
# subnet goes two tempos without an epoch.
# With LOAD_FOLLOWER=1 a second node (not a validator) follows the dev node over the network,
# and the time it took to verify and import each block is read from its Prometheus metrics.
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
follower_metrics=9616
if [[ -n "${LOAD_FOLLOWER:-}" ]]; then
	peer="$(curl -s -H 'content-type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_localPeerId","params":[]}' "http://127.0.0.1:$port" |
		sed -E 's/.*"result":"([^"]+)".*/\1/')"
	"$LUXTENSOR_NODE_BIN" --chain dev --base-path "$work/follower" --port 30334 --rpc-port 9989 \
		--prometheus-port "$follower_metrics" --bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$peer" \
		>"$work/follower.log" 2>&1 &
	follower=$!
	trap 'kill "$pid" "$follower" 2>/dev/null || true; rm -rf "$work"' EXIT
fi
node e2e/load/transfers.mjs "ws://127.0.0.1:$port" "$work/node.log" "$seconds" "$accounts" "$subnets"
if [[ -n "${LOAD_FOLLOWER:-}" ]]; then
	# Histogram of seconds per block; the blocks the follower imported were mostly full.
	curl -s "http://127.0.0.1:$follower_metrics/metrics" | awk '
		/^substrate_block_verification_and_import_time_sum/ { sum = $2 }
		/^substrate_block_verification_and_import_time_count/ { count = $2 }
		END { if (count > 0) printf "[load] the follower verified and imported %d blocks in %.0f ms each on average\n", count, 1000 * sum / count;
		      else print "[load] the follower imported no block" }'
fi
