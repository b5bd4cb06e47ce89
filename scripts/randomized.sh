#!/usr/bin/env bash
# The long run of the runtime's randomized call sequences (runtime/tests/randomized.rs;
# scripts/test.sh runs 40 of them):
#   scripts/randomized.sh [SEQUENCES] [STEPS] [SEED]   (default 10000 sequences of 100 steps,
#                                                      a seed from the clock)
# Each sequence is the setup plus STEPS generated steps; the invariants are checked after
# every block. A failure prints its seed and a shrunk sequence, and the script exits non-zero.
# LUXTENSOR_RANDOM_TRACE=1 prints every transaction's outcome (for one seed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

export LUXTENSOR_RANDOM_SEQUENCES="${1:-10000}"
export LUXTENSOR_RANDOM_STEPS="${2:-100}"
export LUXTENSOR_RANDOM_SEED="${3:-$(date +%s)}"
echo "[randomized] $LUXTENSOR_RANDOM_SEQUENCES sequences of $LUXTENSOR_RANDOM_STEPS steps from seed $LUXTENSOR_RANDOM_SEED"
# The suite's profile and features, so the build is shared with scripts/test.sh.
started=$SECONDS
cargo test --release --workspace --locked --features luxtensor-agent/cheats \
	--test randomized -- --nocapture
echo "[randomized] passed in $((SECONDS - started))s"
