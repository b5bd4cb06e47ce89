#!/usr/bin/env bash
# Backup and restore of a node's chain, checked end to end:
#   scripts/backup-restore.sh [BLOCKS]     (default 20)
# runs a fresh `--dev` node until its best block is at least BLOCKS, stops it, exports its
# blocks (`export-blocks --binary`), imports them into an empty database (`import-blocks`,
# which re-executes every block and checks each state root), and compares the best block of
# both databases (`chain-info`): the same hash means the same header, state root included.
# Operators do the same with `--chain <spec> --base-path <dir>` instead of `--dev`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

blocks="${1:-20}"
node="$LUXTENSOR_NODE_BIN"
[[ -x "$node" ]] || { echo "[backup] no node binary at $node: run 'cargo build --release'" >&2; exit 1; }
work="$(mktemp -d)"
port=9977
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

best_number() {
	curl -s -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":[]}' "http://127.0.0.1:$port" |
		python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))' 2>/dev/null || echo 0
}

"$node" --dev --base-path "$work/original" --rpc-port "$port" >"$work/node.log" 2>&1 &
pid=$!
echo "[backup] node running until block #$blocks (6 s blocks)"
until [[ "$(best_number)" -ge "$blocks" ]]; do
	kill -0 "$pid" 2>/dev/null || { tail -20 "$work/node.log" >&2; exit 1; }
	sleep 3
done
kill -INT "$pid"
wait "$pid" || true
pid=

info() { "$node" chain-info --dev --base-path "$1" 2>/dev/null; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

started=$SECONDS
"$node" export-blocks --dev --base-path "$work/original" --binary "$work/blocks.bin" 2>"$work/export.log"
echo "[backup] exported $(stat -c %s "$work/blocks.bin") bytes in $((SECONDS - started)) s"
started=$SECONDS
"$node" import-blocks --dev --base-path "$work/restored" --binary "$work/blocks.bin" 2>"$work/import.log"
echo "[backup] imported in $((SECONDS - started)) s: $(grep -o 'Imported [0-9]* blocks.*' "$work/import.log" | tail -1)"

original="$(info "$work/original")"
restored="$(info "$work/restored")"
for side in original restored; do
	echo "[backup] $side: best #$(field best_number <<<"${!side}") $(field best_hash <<<"${!side}")"
done
if [[ "$(field best_hash <<<"$original")" != "$(field best_hash <<<"$restored")" ]]; then
	echo "[backup] FAILED: the restored database's best block differs" >&2
	exit 1
fi
echo "[backup] passed: the restored chain has the same best block and state root"
