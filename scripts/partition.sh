#!/usr/bin/env bash
# A 2/2 network partition of four local validators, and its healing (scripts/partition.mjs):
#   scripts/partition.sh [PARTITION_SECONDS]     (default 90)
# Both halves keep authoring on their own forks without finalizing; once reconnected, all four
# agree on one chain and finalize past both forks, and no block finalized before the split
# changes. Not part of scripts/test.sh: it runs its own four nodes for about 4 minutes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"
require_node_bin

work="$(mktemp -d /tmp/luxtensor-partition-XXXXXX)"
"$LUXTENSOR_NODE_BIN" export-chain-spec --chain local --raw >"$work/local-raw.json" 2>/dev/null
if node scripts/partition.mjs "$LUXTENSOR_NODE_BIN" "$work/local-raw.json" "$work" "${1:-90}"; then
	rm -rf "$work"
else
	echo "[partition] node logs kept in $work" >&2
	exit 1
fi
