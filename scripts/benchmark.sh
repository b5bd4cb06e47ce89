#!/usr/bin/env bash
# Benchmarks LuxTensor's own pallets in the runtime and writes their weights.rs:
#   scripts/benchmark.sh                  every LuxTensor pallet
#   scripts/benchmark.sh pallet_subnets   one of them
# Builds the node with `runtime-benchmarks` (a separate set of artifacts in the same target
# directory). Run on the reference machine: the weights are the measured times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

declare -A folders=([pallet_subnets]=subnets [pallet_registration]=registration [pallet_weights]=weights [pallet_emission]=emission [pallet_stake]=stake [pallet_compute]=compute)
# The epoch and payout benchmarks set up subnets of up to 4096 neurons (and epochs of up to
# a million weights), and compute's draw subnets of up to 256 validators after an epoch:
# fewer steps and repeats keep them under half an hour.
declare -A steps=([pallet_weights]=8 [pallet_emission]=8 [pallet_compute]=20) repeats=([pallet_weights]=3 [pallet_emission]=3 [pallet_compute]=10)
pallets=("$@")
[[ ${#pallets[@]} -gt 0 ]] || pallets=(pallet_subnets pallet_registration pallet_weights pallet_emission pallet_stake pallet_compute)

# The benchmark CLI's storage-access test runtime is for `benchmark storage`, not needed
# here, and its WASM cannot be built from this workspace.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p luxtensor-node --features runtime-benchmarks
for pallet in "${pallets[@]}"; do
	folder="${folders[$pallet]:-}"
	[[ -n "$folder" ]] || { echo "[benchmark] unknown pallet $pallet (known: ${!folders[*]})" >&2; exit 2; }
	echo "[benchmark] $pallet" >&2
	"$LUXTENSOR_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-${steps[$pallet]:-50}}" \
		--repeat "${REPEAT:-${repeats[$pallet]:-20}}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/frame-weight-template.hbs \
		--output "pallets/$folder/src/weights.rs"
done
