#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, formatting, release build, clippy with
# warnings denied, unit and integration tests, chain-spec freshness, end-to-end tests,
# and the 4-validator zombienet smoke, fault, compute-network and runtime-upgrade tests.
# Build, clippy, the fast-runtime WASM's check and tests share the release profile and
# features so dependencies compile once; the tests' build of luxtensor-agent has its
# `--cheat` flags (feature `cheats`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

started=$SECONDS
FEATURES=(--features luxtensor-agent/cheats)
step() { echo; echo "==> [$((SECONDS - started))s] $*"; }

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo build --release"
cargo build --release --workspace --locked "${FEATURES[@]}"

step "cargo clippy (warnings denied)"
cargo clippy --release --workspace --all-targets --locked "${FEATURES[@]}" -- -D warnings

step "the fast-runtime WASM (the e2e test of an enacted referendum runs it)"
scripts/build-fast-runtime.sh

step "cargo test"
cargo test --release --workspace --locked "${FEATURES[@]}"

step "chain specs match what the node generates"
scripts/gen-chain-specs.sh --check

step "the client's metadata matches the runtime"
scripts/gen-metadata.sh --check

step "end-to-end tests"
(cd e2e && npm test)

step "zombienet: smoke, fault, compute-network and runtime-upgrade tests"
scripts/zombienet.sh test smoke fault compute upgrade

step "all passed in $((SECONDS - started))s"
