#!/usr/bin/env bash
# Times the Yuma epoch compiled to wasm32, the way the runtime runs it, in Node.js's
# WebAssembly engine: seconds to build, against the half hour a runtime-benchmarks node
# takes. For profiling changes to primitives/yuma; the chain's weights still come from
# scripts/benchmark.sh.
#   scripts/bench-epoch-wasm.sh [N] [VALIDATORS] [RUNS]      defaults 4096 256 5
#   PROFILE=1 scripts/bench-epoch-wasm.sh ...                 also the 15 hottest functions
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
crate="$LUXTENSOR_ROOT/primitives/yuma/wasm-bench"
target="${CARGO_TARGET_DIR}-yuma-wasm"
cargo build --quiet --release --locked --target wasm32-unknown-unknown \
	--manifest-path "$crate/Cargo.toml" --target-dir "$target"
wasm="$target/wasm32-unknown-unknown/release/luxtensor_yuma_wasm_bench.wasm"
if [[ -z "${PROFILE:-}" ]]; then
	exec node "$crate/run.mjs" "$wasm" "$@"
fi
profiles="$(mktemp -d)"
trap 'rm -rf "$profiles"' EXIT
node --cpu-prof --cpu-prof-dir="$profiles" "$crate/run.mjs" "$wasm" "$@"
node "$crate/hottest.mjs" "$profiles"/*.cpuprofile
