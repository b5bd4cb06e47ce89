#!/usr/bin/env bash
# Measures luxctl against a fresh dev node: how long `luxctl metagraph` takes on a full subnet
# (256 uids unless given), run RUNS times (default 10), the metagraph runtime API alone, and
# the CLI binary's size. A report,
# not a test: the figures depend on the machine.
#   scripts/bench-luxctl.sh [UIDS] [RUNS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

uids=${1:-256}
runs=${2:-10}
cargo build --release --locked -p luxctl -p luxtensor-client --bins --examples >&2
luxctl="$CARGO_TARGET_DIR/release/luxctl"
populate="$CARGO_TARGET_DIR/release/examples/populate"

work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
"$LUXTENSOR_NODE_BIN" --dev --tmp --rpc-port "$port" --port $((port + 1)) --no-prometheus \
  --no-telemetry --no-mdns >"$work/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; rm -rf "$work"' EXIT
url="ws://127.0.0.1:$port"
for _ in $(seq 60); do
  curl -sf -H 'Content-Type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$port" >/dev/null && break
  sleep 1
done

export LUXCTL_URL=$url LUXCTL_WALLET_PATH=$work/wallets LUXCTL_PASSWORD=bench LUXCTL_CONFIG=$work/config.json
"$luxctl" wallet regen --wallet owner --uri //Alice >/dev/null
"$luxctl" wallet new-hotkey --wallet owner --hotkey subnet >/dev/null
"$luxctl" subnet create --wallet owner --hotkey subnet --yes >/dev/null 2>&1
"$populate" "$url" 1 "$uids"

millis() { date +%s%3N; }
measure() { # label, command...
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start; start=$(millis)
    "$@" >/dev/null
    times+=($(($(millis) - start)))
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$label: median $(sed -n "$(((runs + 1) / 2))p" <<<"$sorted") ms, min $(head -1 <<<"$sorted") ms, max $(tail -1 <<<"$sorted") ms over $runs runs"
}
n=$("$luxctl" metagraph 1 --json | grep -c '"uid"')
echo "subnet 1 has $n uids"
# The runtime API alone, over JSON-RPC's state_call: every column of every uid in one call
# (all fields but the weight and bond rows), and one page of the rows (256 uids).
le16() { printf '%02x%02x' $(($1 & 0xff)) $(($1 >> 8)); }
range=$(le16 0)$(le16 4096)
columns="0x$(le16 1)48000102030405060708090a0b0c0d0e0f1013$range"
rows="0x$(le16 1)$range"
state_call() { # method, params
  curl -sf -H 'Content-Type: application/json' -o /dev/null \
    -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"state_call\",\"params\":[\"$1\",\"$2\"]}" \
    "http://127.0.0.1:$port"
}
measure "NeuronsApi_selective_metagraph, every column of $n uids" state_call NeuronsApi_selective_metagraph "$columns"
measure "NeuronsApi_metagraph, the first page with rows (256 uids)" state_call NeuronsApi_metagraph "$rows"
measure "luxctl metagraph 1 (table)" "$luxctl" metagraph 1
measure "luxctl metagraph 1 --json" "$luxctl" metagraph 1 --json
measure "luxctl subnet list" "$luxctl" subnet list
echo "luxctl binary: $(stat -c %s "$luxctl") bytes"
