//! Chain specifications built into the node: `dev` and `local`. Any other `--chain` value is
//! read as a path to a JSON chain spec (the ones in `chain-specs/`, or an operator's own);
//! `luxtensor-node testnet-spec` writes a live network's from its own keys.

use luxtensor_primitives::currency::{TOKEN_DECIMALS, TOKEN_SYMBOL};
use luxtensor_runtime::WASM_BINARY;
use polkadot_sdk::{
	sc_chain_spec::ChainSpecBuilder,
	sc_network::config::MultiaddrWithPeerId,
	sc_service::{self, ChainType, Properties},
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};

/// A chain spec of the LuxTensor runtime; no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// SS58 address format shown by wallets: the generic Substrate prefix for now.
const SS58_FORMAT: u32 = 42;

/// Token symbol, decimals and address format, shown by polkadot.js apps.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_FORMAT.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The WASM runtime is not available: this node was built with SKIP_WASM_BUILD; \
		 rebuild without it"
			.to_string()
	})
}

/// A chain spec of the LuxTensor runtime from a genesis patch (a live network's own keys,
/// see `testnet_spec`).
pub fn luxtensor_chain_spec_with_genesis(
	name: &str,
	id: &str,
	protocol_id: &str,
	chain_type: ChainType,
	genesis: serde_json::Value,
	boot_nodes: Vec<MultiaddrWithPeerId>,
) -> Result<ChainSpec, String> {
	Ok(builder(name, id, protocol_id, chain_type)?
		.with_genesis_config_patch(genesis)
		.with_boot_nodes(boot_nodes)
		.build())
}

/// A chain spec of the LuxTensor runtime from one of its genesis presets.
fn luxtensor_chain_spec(
	name: &str,
	id: &str,
	protocol_id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(builder(name, id, protocol_id, chain_type)?.with_genesis_config_preset_name(preset).build())
}

/// What every LuxTensor chain spec has: the runtime, its names and the token properties.
fn builder(
	name: &str,
	id: &str,
	protocol_id: &str,
	chain_type: ChainType,
) -> Result<ChainSpecBuilder, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id(protocol_id)
		.with_chain_type(chain_type)
		.with_properties(properties()))
}

/// A single-validator development chain: Alice authors and finalizes every block.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	luxtensor_chain_spec(
		"LuxTensor Development",
		"luxtensor_dev",
		"lux-dev",
		ChainType::Development,
		DEV_RUNTIME_PRESET,
	)
}

/// A local testnet of four validators (Alice, Bob, Charlie, Dave).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	luxtensor_chain_spec(
		"LuxTensor Local Testnet",
		"luxtensor_local",
		"lux-local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// Resolves a `--chain` value: a built-in name or a path to a JSON spec.
pub fn load_spec(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_chain_spec()?),
		path => Box::new(
			ChainSpec::from_json_file(std::path::PathBuf::from(path))
				.map_err(|error| format!("cannot load chain spec `{path}`: {error}"))?,
		),
	})
}
