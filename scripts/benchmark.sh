#!/usr/bin/env bash
# Benchmarks pallets in the runtime and writes their weights:
#   scripts/benchmark.sh                  every LuxTensor pallet (pallets/<name>/src/weights.rs)
#   scripts/benchmark.sh governance       the polkadot-sdk governance and treasury pallets this
#                                         runtime configures (runtime/src/weights/<pallet>.rs)
#   scripts/benchmark.sh pallet_subnets   one of either
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
# polkadot-sdk's pallets have many benchmarks with up to three components each: 20 steps and 5
# repeats keep all eight within about twenty minutes.
governance=(pallet_scheduler pallet_preimage pallet_referenda pallet_conviction_voting pallet_whitelist pallet_collective pallet_treasury pallet_identity)
for pallet in "${governance[@]}"; do steps[$pallet]=20 repeats[$pallet]=5; done
pallets=("$@")
[[ ${#pallets[@]} -gt 0 ]] || pallets=(pallet_subnets pallet_registration pallet_weights pallet_emission pallet_stake pallet_compute)
[[ "${pallets[*]}" != governance ]] || pallets=("${governance[@]}")

# The benchmark CLI's storage-access test runtime is for `benchmark storage`, not needed
# here, and its WASM cannot be built from this workspace.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p luxtensor-node --features runtime-benchmarks
for pallet in "${pallets[@]}"; do
	folder="${folders[$pallet]:-}"
	if [[ -n "$folder" ]]; then
		output=(--template scripts/frame-weight-template.hbs --output "pallets/$folder/src/weights.rs")
	elif [[ " ${governance[*]} " == *" $pallet "* ]]; then
		output=(--output "runtime/src/weights/$pallet.rs")
	else
		echo "[benchmark] unknown pallet $pallet (known: ${!folders[*]} ${governance[*]})" >&2
		exit 2
	fi
	echo "[benchmark] $pallet" >&2
	"$LUXTENSOR_NODE_BIN" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-${steps[$pallet]:-50}}" \
		--repeat "${REPEAT:-${repeats[$pallet]:-20}}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		"${output[@]}"
	if [[ -z "$folder" ]]; then
		# The default template names frame_support, frame_system and the pallet at the crate
		# root; this runtime reaches them through the polkadot-sdk umbrella crate.
		sed -i 's/^use frame_support::{traits::Get, weights::Weight};/use polkadot_sdk::{*, frame_support::{traits::Get, weights::Weight}};/' \
			"runtime/src/weights/$pallet.rs"
	fi
done
