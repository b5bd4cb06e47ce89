#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, formatting, release build, clippy with
# warnings denied, unit and integration tests, chain-spec freshness, end-to-end tests,
# and the 4-validator zombienet smoke and fault tests.
# Build, clippy and tests share the release profile so dependencies compile once.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

started=$SECONDS
step() { echo; echo "==> [$((SECONDS - started))s] $*"; }

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo build --release"
cargo build --release --workspace --locked

step "cargo clippy (warnings denied)"
cargo clippy --release --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --release --workspace --locked

step "chain specs match what the node generates"
scripts/gen-chain-specs.sh --check

step "the client's metadata matches the runtime"
scripts/gen-metadata.sh --check

step "end-to-end tests"
(cd e2e && npm test)

step "zombienet: smoke and fault tests"
scripts/zombienet.sh test smoke fault

step "all passed in $((SECONDS - started))s"
