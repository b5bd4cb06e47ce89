# Shared environment for every LuxTensor script: sourced, never executed.
# The cargo target directory lives outside the clone so CI and later clones reuse the build.
LUXTENSOR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LUXTENSOR_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/luxtensor/target}"
# With the target directory outside the repository, wasm-builder must be told where the
# workspace (and its Cargo.lock) is.
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$LUXTENSOR_ROOT}"
export PATH="$HOME/.cargo/bin:$PATH"
LUXTENSOR_NODE_BIN="$CARGO_TARGET_DIR/release/luxtensor-node"
export LUXTENSOR_NODE_BIN

# Fails with a hint when the node binary has not been built.
require_node_bin() {
  if [ ! -x "$LUXTENSOR_NODE_BIN" ]; then
    echo "error: $LUXTENSOR_NODE_BIN not found: run 'cargo build --release' first" >&2
    exit 1
  fi
}
