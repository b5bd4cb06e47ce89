//! Helpers shared by the runtime integration tests.

use luxtensor_runtime::{genesis_config_presets, AccountId, RuntimeGenesisConfig};
use polkadot_sdk::{
	sp_io::TestExternalities, sp_keyring::Sr25519Keyring, sp_runtime::BuildStorage,
};
use serde_json::Value;

/// Applies a preset's JSON patch onto the default genesis config, as chain-spec building
/// does, and builds the resulting storage.
pub fn preset_externalities(preset: &str) -> TestExternalities {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			}
			(base, patch) => *base = patch,
		}
	}
	let patch_bytes = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("preset {preset} exists"));
	let patch: Value = serde_json::from_slice(&patch_bytes).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	merge(&mut config, patch);
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("preset patch fits the genesis config");
	config.build_storage().expect("genesis builds").into()
}

pub fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}
