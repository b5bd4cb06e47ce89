#!/usr/bin/env bash
# Writes the runtime's metadata, which luxtensor-client's typed API is generated from, to
# client/metadata/luxtensor.scale, from the built node (`luxtensor-node export-metadata`).
# `--check` fails if the committed file differs from what the node exports: regenerate and
# commit it after any runtime change (as the chain specs), then rebuild the client.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$LUXTENSOR_ROOT"

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

require_node_bin

committed=client/metadata/luxtensor.scale
exported=$(mktemp)
trap 'rm -f "$exported"' EXIT
"$LUXTENSOR_NODE_BIN" export-metadata --output "$exported"

if $check; then
  if ! cmp -s "$exported" "$committed"; then
    echo "error: $committed differs from the runtime's metadata: run scripts/gen-metadata.sh and commit it" >&2
    exit 1
  fi
  echo "$committed matches the runtime"
  exit 0
fi
cp "$exported" "$committed"
echo "wrote $committed ($(wc -c <"$committed") bytes)"
