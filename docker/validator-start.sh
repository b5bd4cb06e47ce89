#!/bin/sh
# Starts a LuxTensor validator in a container. At every start it puts the session keys
# derived from $SESSION_SEED (BABE: sr25519, GRANDPA: ed25519) into the keystore and makes
# a node key if there is none (both idempotent), then runs the node with the given flags.
#   SESSION_SEED  secret URI of the session keys, e.g. //Alice for the local chain spec
#   CHAIN         chain spec (default /chain-specs/local.raw.json)
#   BASE_PATH     database, keystore and node key (default /data)
#   NODE_BIN      the node binary (default /usr/local/bin/luxtensor-node)
set -eu
: "${SESSION_SEED:?set SESSION_SEED to the secret URI of this validator's session keys}"
chain="${CHAIN:-/chain-specs/local.raw.json}"
base_path="${BASE_PATH:-/data}"
node="${NODE_BIN:-/usr/local/bin/luxtensor-node}"

"$node" key insert --chain "$chain" --base-path "$base_path" \
	--key-type babe --scheme sr25519 --suri "$SESSION_SEED"
"$node" key insert --chain "$chain" --base-path "$base_path" \
	--key-type gran --scheme ed25519 --suri "$SESSION_SEED"
"$node" key generate-node-key --chain "$chain" --base-path "$base_path"

exec "$node" --chain "$chain" --base-path "$base_path" --validator "$@"
