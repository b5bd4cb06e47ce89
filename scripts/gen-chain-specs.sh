#!/usr/bin/env bash
# Generates the chain specs in chain-specs/ from the built node:
#   local.json / local.raw.json   the `local_testnet` preset (Alice, Bob, Charlie, Dave)
#   testnet-template.json         `testnet-spec` of testnet.example.json: a live network with
#                                 placeholder keys, no development accounts and no sudo
# `--check` regenerates into a temporary folder and fails if anything but the runtime code
# differs from the committed files. The WASM blob embeds the source paths of the clone that
# built it (panic locations), so its bytes differ between clones; everything else (genesis
# state, chain name, id, properties) must match exactly. Regenerate and commit the specs
# after any runtime change.
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

out_dir=chain-specs
if $check; then out_dir=$(mktemp -d); trap 'rm -rf "$out_dir"' EXIT; fi

export_spec() { # chain, output file, extra flags
  local log; log=$(mktemp)
  if ! "$LUXTENSOR_NODE_BIN" export-chain-spec --chain "$1" "${@:3}" >"$out_dir/$2" 2>"$log"; then
    echo "error: exporting the '$1' chain spec failed:" >&2; cat "$log" >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
}
export_spec local local.json
export_spec local local.raw.json --raw
log=$(mktemp)
if ! "$LUXTENSOR_NODE_BIN" testnet-spec --config chain-specs/testnet.example.json \
    >"$out_dir/testnet-template.json" 2>"$log"; then
  echo "error: building the testnet template failed:" >&2; cat "$log" >&2; rm -f "$log"; exit 1
fi
rm -f "$log"

if $check; then
  node "$LUXTENSOR_ROOT/scripts/compare-chain-specs.mjs" "$out_dir" chain-specs \
    local.json local.raw.json testnet-template.json
  exit 0
fi
echo "wrote chain-specs/{local.json,local.raw.json,testnet-template.json}"
