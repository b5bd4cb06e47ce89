//! Helpers shared by the runtime integration tests.
// Each test binary uses a subset of them.
#![allow(dead_code)]

use luxtensor_primitives::{
	compute::{ComputeCapability, HardwareSpec},
	subnets::NetUid,
};
use luxtensor_runtime::{
	genesis_config_presets, AccountId, Registration, RuntimeEvent, RuntimeGenesisConfig,
	RuntimeOrigin, Signature, Subnets, System,
};
use polkadot_sdk::{
	frame_support::assert_ok,
	sp_core::{sr25519, Pair},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{BuildStorage, Storage},
};
use serde_json::Value;

/// Applies a preset's JSON patch onto the default genesis config, as chain-spec building
/// does, and builds the resulting storage.
pub fn preset_externalities(preset: &str) -> TestExternalities {
	preset_storage(preset).into()
}

/// The genesis storage of a preset (see [`preset_externalities`]).
pub fn preset_storage(preset: &str) -> Storage {
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
	config.build_storage().expect("genesis builds")
}

pub fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

fn hotkey_pair(seed: u8) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[seed; 32])
}

/// Hotkey number `seed`: a real sr25519 key, so it can consent to an owner.
pub fn hotkey(seed: u8) -> AccountId {
	hotkey_pair(seed).public().into()
}

/// Hotkey `seed`'s signature letting `coldkey` own it.
pub fn consent(seed: u8, coldkey: &AccountId) -> Signature {
	hotkey_pair(seed).sign(&Registration::ownership_message(coldkey)).into()
}

/// `coldkey` claims hotkey `seed`, as a client does before its first registration.
pub fn claim_hotkey(coldkey: &AccountId, seed: u8) {
	assert_ok!(Registration::claim_hotkey(
		RuntimeOrigin::signed(coldkey.clone()),
		hotkey(seed),
		consent(seed, coldkey)
	));
}

/// `coldkey` claims hotkey `seed` and registers a subnet with it as the owner hotkey;
/// returns the subnet's netuid.
pub fn register_subnet(coldkey: &AccountId, seed: u8) -> NetUid {
	claim_hotkey(coldkey, seed);
	assert_ok!(Subnets::register_network(
		RuntimeOrigin::signed(coldkey.clone()),
		hotkey(seed),
		u128::MAX
	));
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Subnets(pallet_subnets::Event::NetworkRegistered { netuid, .. }) => {
				Some(netuid)
			}
			_ => None,
		})
		.expect("NetworkRegistered")
}

/// A valid declaration of `gpu_count` NVIDIA H100s.
pub fn h100(gpu_count: u16) -> HardwareSpec {
	HardwareSpec {
		gpu_model: b"NVIDIA H100 80GB".to_vec().try_into().expect("fits"),
		gpu_count,
		vram_per_gpu_mib: 81_920,
		compute_capability: ComputeCapability { major: 9, minor: 0 },
		cpu_cores: 64,
		ram_mib: 524_288,
		disk_gib: 4_000,
		bandwidth_mbps: 25_000,
		region: *b"FI",
	}
}
