//! Genesis presets: `development` (Alice validates alone) and `local_testnet` (Alice, Bob,
//! Charlie and Dave validate, so one can fail and GRANDPA still finalizes). Both keep sudo
//! (Alice) for testing, beside governance with Alice, Bob and Charlie on the technical
//! committee.
//!
//! BABE and GRANDPA authorities are not set here: Session fills them from `session.keys`.

use crate::{
	currency::MDT, time::BABE_GENESIS_EPOCH_CONFIG, AccountId, BabeConfig, BabeId, Balance,
	BalancesConfig, GrandpaId, RegistrationConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, StakingConfig, SudoConfig, TechnicalCommitteeConfig,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_staking::StakerStatus;
use polkadot_sdk::*;
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Free balance of each well-known development account at genesis.
pub const ENDOWMENT: Balance = 100_000 * MDT;
/// Bond of each genesis validator.
pub const VALIDATOR_BOND: Balance = 10_000 * MDT;
/// Smallest bond to validate, and to nominate.
pub const MIN_VALIDATOR_BOND: Balance = 100 * MDT;
pub const MIN_NOMINATOR_BOND: Balance = 10 * MDT;

/// A genesis validator: its stash account and its BABE and GRANDPA session keys.
pub struct GenesisValidator {
	pub stash: AccountId,
	pub babe: BabeId,
	pub grandpa: GrandpaId,
}

impl GenesisValidator {
	/// The validator a `--alice`-style dev keyring account runs: the keys `key insert` and
	/// `--dev` place in the keystore derive from the same seed.
	pub fn from_keyring(sr25519: Sr25519Keyring, ed25519: Ed25519Keyring) -> Self {
		Self {
			stash: sr25519.to_account_id(),
			babe: sr25519.public().into(),
			grandpa: ed25519.public().into(),
		}
	}
}

/// The genesis state: `balances` are endowed, each validator bonds [`VALIDATOR_BOND`] from
/// its stash and registers its session keys, `sudo` (if any) holds the sudo key and
/// `technical_committee` whitelists calls for the fast track. Neurons may serve on loopback
/// addresses only with `allow_loopback_endpoints` (development chains).
pub fn luxtensor_genesis(
	validators: Vec<GenesisValidator>,
	balances: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	technical_committee: Vec<AccountId>,
	allow_loopback_endpoints: bool,
) -> Value {
	let validator_count = u32::try_from(validators.len()).unwrap_or(u32::MAX);
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|v| {
					let keys = SessionKeys { babe: v.babe.clone(), grandpa: v.grandpa.clone() };
					(v.stash.clone(), v.stash.clone(), keys)
				})
				.collect::<Vec<_>>(),
		},
		staking: StakingConfig {
			validator_count,
			// The network keeps going with one validator short of the genesis set.
			minimum_validator_count: validator_count.saturating_sub(1).max(1),
			stakers: validators
				.iter()
				.map(|v| {
					(v.stash.clone(), v.stash.clone(), VALIDATOR_BOND, StakerStatus::Validator)
				})
				.collect::<Vec<_>>(),
			min_validator_bond: MIN_VALIDATOR_BOND,
			min_nominator_bond: MIN_NOMINATOR_BOND,
		},
		sudo: SudoConfig { key: sudo },
		technical_committee: TechnicalCommitteeConfig { members: technical_committee },
		registration: RegistrationConfig { allow_loopback_endpoints },
	})
}

/// All well-known development accounts (Alice..Ferdie, One, Two and their `//stash`), each
/// with [`ENDOWMENT`].
fn well_known_accounts() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::iter().map(|k| (k.to_account_id(), ENDOWMENT)).collect()
}

/// Alice, Bob and Charlie: two of them whitelist a call.
fn development_committee() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

fn development_config_genesis() -> Value {
	luxtensor_genesis(
		vec![GenesisValidator::from_keyring(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		well_known_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		development_committee(),
		true,
	)
}

fn local_testnet_genesis() -> Value {
	luxtensor_genesis(
		vec![
			GenesisValidator::from_keyring(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			GenesisValidator::from_keyring(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			GenesisValidator::from_keyring(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			GenesisValidator::from_keyring(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		well_known_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		development_committee(),
		false,
	)
}

/// The JSON of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development_config_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
