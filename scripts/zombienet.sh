#!/usr/bin/env bash
# Multi-node LuxTensor networks with zombienet's native provider and the release node
# binary from the build (`cargo build --release`):
#   scripts/zombienet.sh spawn               4 validators from zombienet/local.toml; Ctrl-C stops
#   scripts/zombienet.sh test [smoke|fault|compute|upgrade]  run zombienet/<name>.zndsl (all when omitted)
# The upgrade test starts the network on the previous release's runtime and upgrades it to the
# WASM runtime of the same build (LUXTENSOR_UPGRADE_WASM).
# The compute test also starts `luxtensor-agent` and `luxctl` from the same folder; build
# the agent with `--features luxtensor-agent/cheats` (scripts/test.sh does) for its cheater.
# Node logs stay under /tmp/zombie-*/ after a run; the last lines say where.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

usage() { echo "usage: $0 spawn | test [smoke|fault|compute|upgrade]" >&2; exit 2; }

if [[ ! -x "$LUXTENSOR_NODE_BIN" ]]; then
	echo "[zombienet] no node binary at $LUXTENSOR_NODE_BIN: run 'cargo build --release' (scripts/env.sh sets the target directory)" >&2
	exit 1
fi
# zombienet starts the `luxtensor-node` named in local.toml from PATH.
export PATH="$(dirname "$LUXTENSOR_NODE_BIN"):$PATH"
export LUXTENSOR_UPGRADE_WASM="${LUXTENSOR_UPGRADE_WASM:-$CARGO_TARGET_DIR/release/wbuild/luxtensor-runtime/luxtensor_runtime.compact.compressed.wasm}"

cd "$LUXTENSOR_ROOT/zombienet"
[[ -d node_modules ]] || npm ci --no-audit --no-fund
zombienet() { npx --no-install zombienet --provider native "$@"; }

case "${1:-}" in
spawn)
	zombienet spawn local.toml
	;;
test)
	tests=("${@:2}")
	[[ ${#tests[@]} -gt 0 ]] || tests=(smoke fault compute upgrade)
	for name in "${tests[@]}"; do
		[[ -f "$name.zndsl" ]] || { echo "[zombienet] no test zombienet/$name.zndsl" >&2; usage; }
		started=$SECONDS
		zombienet test "$name.zndsl"
		echo "[zombienet] $name passed in $((SECONDS - started))s"
	done
	;;
*)
	usage
	;;
esac
