#!/usr/bin/env bash
# The long run of the fuzz tests (scripts/test.sh runs proptest's default 256 cases):
#   scripts/fuzz.sh [CASES]     (default 100000 cases per target)
# Targets: the Yuma epoch on arbitrary inputs and the simulator's JSON reader
# (primitives/yuma/tests/fuzz.rs), and the node's JSON-RPC parameter parsers
# (node/src/rpc/fuzz.rs). A failure prints proptest's minimal failing input and the seed,
# which proptest also saves under the test's `*.proptest-regressions` file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

export PROPTEST_CASES="${1:-100000}"
started=$SECONDS
# The suite's profile and features, so the build is shared with scripts/test.sh.
cargo=(cargo test --release --workspace --locked --features luxtensor-agent/cheats)
echo "[fuzz] $PROPTEST_CASES cases per target"
"${cargo[@]}" --test fuzz
"${cargo[@]}" --bin luxtensor-node -- rpc::fuzz
echo "[fuzz] passed in $((SECONDS - started))s"
