#!/usr/bin/env bash
# Throughput and latency of a fresh `--dev` node under a flood of pre-signed balance
# transfers from many accounts (not part of scripts/test.sh: it saturates the machine):
#   scripts/bench-tps.sh [SECONDS] [ACCOUNTS]      (default 60 s, 200 accounts)
# Reports transfers per block and per second, the share of offers the pool took at once,
# the authoring time of each block, the time a second node took to verify and import them,
# and each transfer's latency from its first offer to a best block and to finality; fails if
# a transaction is neither included nor refused. scripts/load.sh with SUBNETS adds the
# subnet mix (weights, stake calls, epochs in the same blocks).
set -euo pipefail
LOAD_FOLLOWER=1 exec "$(dirname "${BASH_SOURCE[0]}")/load.sh" "${1:-60}" "${2:-200}" 0
