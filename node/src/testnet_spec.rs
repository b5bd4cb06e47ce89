//! `luxtensor-node testnet-spec`: the chain spec of a live network from its operators' own
//! keys. The built-in `dev` and `local` specs endow the well-known development accounts and
//! give Alice sudo; a public network must not, so this command refuses those keys and takes
//! validators, balances, the technical committee and the optional sudo key from a JSON file
//! and the command line.

use crate::chain_spec::{luxtensor_chain_spec_with_genesis, ChainSpec};
use luxtensor_primitives::currency::{EXISTENTIAL_DEPOSIT, MDT};
use luxtensor_runtime::{
	genesis_config_presets::{luxtensor_genesis, GenesisValidator, VALIDATOR_BOND},
	AccountId, Balance,
};
use polkadot_sdk::{
	sc_cli,
	sc_service::ChainType,
	sp_core::{crypto::Ss58Codec, ed25519, sr25519},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use std::{collections::BTreeSet, path::PathBuf};

/// Writes the chain spec of a live network to stdout.
///
/// Validators, balances, the technical committee and sudo come from `--config` (see
/// `chain-specs/testnet.example.json`) followed by the `--validator`, `--balance`,
/// `--committee` and `--sudo` flags. Each validator's stash must hold at least the genesis
/// bond. Development keys (`//Alice`...) are refused.
#[derive(Debug, clap::Parser)]
pub struct TestnetSpecCmd {
	/// A JSON file: `name`, `id`, `protocolId`, `bootNodes`, `validators` (`stash`, `babe`,
	/// `grandpa` as SS58), `balances` (`[account, planck]` pairs), `technicalCommittee` (SS58
	/// accounts) and `sudo` (SS58 or null).
	#[arg(long, value_name = "FILE")]
	pub config: Option<PathBuf>,

	/// A genesis validator: `STASH,BABE,GRANDPA` (SS58 addresses of the stash account, its
	/// sr25519 BABE key and its ed25519 GRANDPA key). Repeatable.
	#[arg(long = "validator", value_name = "STASH,BABE,GRANDPA")]
	pub validators: Vec<String>,

	/// A genesis balance: `ACCOUNT=MDT` (whole MDT). Repeatable.
	#[arg(long = "balance", value_name = "ACCOUNT=MDT")]
	pub balances: Vec<String>,

	/// A technical committee member (SS58), who may whitelist calls for the fast track.
	/// Repeatable; without members, a root referendum appoints them.
	#[arg(long = "committee", value_name = "ACCOUNT")]
	pub committee: Vec<String>,

	/// The sudo key (SS58). Without it the network starts with no sudo, governed by
	/// referenda alone.
	#[arg(long)]
	pub sudo: Option<String>,

	/// The chain's name (default from the file, or "LuxTensor Testnet").
	#[arg(long)]
	pub name: Option<String>,

	/// The chain's id (default from the file, or "luxtensor_testnet").
	#[arg(long)]
	pub id: Option<String>,

	/// Write the raw spec (genesis storage) instead of the genesis patch.
	#[arg(long)]
	pub raw: bool,
}

/// The JSON file `--config` reads.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestnetConfig {
	/// Shown by wallets and explorers.
	#[serde(default)]
	pub name: Option<String>,
	/// Distinguishes the network's database and keystore folders.
	#[serde(default)]
	pub id: Option<String>,
	/// Separates the network's peer-to-peer traffic from other chains'.
	#[serde(default)]
	pub protocol_id: Option<String>,
	/// Multiaddresses new nodes first connect to.
	#[serde(default)]
	pub boot_nodes: Vec<String>,
	/// The genesis validators.
	#[serde(default)]
	pub validators: Vec<ValidatorKeys>,
	/// Genesis balances in planck.
	#[serde(default)]
	pub balances: Vec<(String, Balance)>,
	/// The technical committee's members.
	#[serde(default)]
	pub technical_committee: Vec<String>,
	/// The sudo key; none by default.
	#[serde(default)]
	pub sudo: Option<String>,
}

/// One genesis validator's addresses, as `luxtensor-node key inspect` prints them.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorKeys {
	pub stash: String,
	pub babe: String,
	pub grandpa: String,
}

impl TestnetSpecCmd {
	/// Builds the spec and prints it.
	pub fn run(&self) -> sc_cli::Result<()> {
		let json = self.chain_spec()?.as_json(self.raw)?;
		println!("{json}");
		Ok(())
	}

	/// The file's entries followed by the command line's, checked.
	pub fn chain_spec(&self) -> Result<ChainSpec, String> {
		let mut config = match &self.config {
			Some(path) => {
				let text = std::fs::read_to_string(path)
					.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
				serde_json::from_str::<TestnetConfig>(&text)
					.map_err(|e| format!("{}: {e}", path.display()))?
			}
			None => TestnetConfig::default(),
		};
		for validator in &self.validators {
			let [stash, babe, grandpa] = validator.split(',').collect::<Vec<_>>()[..] else {
				return Err(format!("--validator {validator}: expected STASH,BABE,GRANDPA"));
			};
			config.validators.push(ValidatorKeys {
				stash: stash.trim().into(),
				babe: babe.trim().into(),
				grandpa: grandpa.trim().into(),
			});
		}
		for balance in &self.balances {
			let (account, amount) = balance
				.split_once('=')
				.ok_or_else(|| format!("--balance {balance}: expected ACCOUNT=MDT"))?;
			let mdt: Balance = amount.trim().parse().map_err(|_| {
				format!("--balance {balance}: `{amount}` is not a whole MDT amount")
			})?;
			let planck = mdt
				.checked_mul(MDT)
				.ok_or_else(|| format!("--balance {balance}: the amount is too large"))?;
			config.balances.push((account.trim().into(), planck));
		}
		config.technical_committee.extend(self.committee.iter().cloned());
		if self.sudo.is_some() {
			config.sudo = self.sudo.clone();
		}
		let genesis = Genesis::check(&config)?;
		let name = self.name.clone().or(config.name).unwrap_or("LuxTensor Testnet".into());
		let id = self.id.clone().or(config.id).unwrap_or("luxtensor_testnet".into());
		let protocol_id = config.protocol_id.unwrap_or("lux-test".into());
		let boot_nodes = config
			.boot_nodes
			.iter()
			.map(|address| address.parse().map_err(|e| format!("boot node {address}: {e}")))
			.collect::<Result<Vec<_>, String>>()?;
		luxtensor_chain_spec_with_genesis(
			&name,
			&id,
			&protocol_id,
			ChainType::Live,
			luxtensor_genesis(
				genesis.validators,
				genesis.balances,
				genesis.sudo,
				genesis.committee,
				false,
			),
			boot_nodes,
		)
	}
}

/// A checked genesis: keys parsed, none of them a development key, every stash able to bond.
struct Genesis {
	validators: Vec<GenesisValidator>,
	balances: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
	committee: Vec<AccountId>,
}

impl Genesis {
	fn check(config: &TestnetConfig) -> Result<Self, String> {
		if config.validators.is_empty() {
			return Err("a network needs at least one genesis validator (--validator or \
				`validators` in --config)"
				.into());
		}
		let mut balances = Vec::with_capacity(config.balances.len());
		let mut endowed = BTreeSet::new();
		for (address, amount) in &config.balances {
			let account = account(address)?;
			if *amount < EXISTENTIAL_DEPOSIT {
				return Err(format!(
					"balance of {address}: {amount} planck is below the existential deposit \
					 ({EXISTENTIAL_DEPOSIT})"
				));
			}
			if !endowed.insert(account.clone()) {
				return Err(format!("{address} has two balances"));
			}
			balances.push((account, *amount));
		}
		let mut stashes = BTreeSet::new();
		let mut validators = Vec::with_capacity(config.validators.len());
		for keys in &config.validators {
			let stash = account(&keys.stash)?;
			if !stashes.insert(stash.clone()) {
				return Err(format!("validator {} is listed twice", keys.stash));
			}
			let free = balances.iter().find(|(a, _)| *a == stash).map_or(0, |(_, b)| *b);
			let needed = VALIDATOR_BOND.saturating_add(EXISTENTIAL_DEPOSIT);
			if free < needed {
				return Err(format!(
					"validator {}: its stash holds {free} planck and needs at least {needed} \
					 (the {} MDT genesis bond and the existential deposit): add a balance",
					keys.stash,
					VALIDATOR_BOND / MDT
				));
			}
			let babe = sr25519::Public::from_ss58check(&keys.babe)
				.map_err(|e| format!("BABE key {}: {e:?}", keys.babe))?;
			let grandpa = ed25519::Public::from_ss58check(&keys.grandpa)
				.map_err(|e| format!("GRANDPA key {}: {e:?}", keys.grandpa))?;
			if let Some(dev) = Sr25519Keyring::iter().find(|k| k.public() == babe) {
				return Err(format!("BABE key {} is the development key of {dev:?}", keys.babe));
			}
			if let Some(dev) = Ed25519Keyring::iter().find(|k| k.public() == grandpa) {
				return Err(format!(
					"GRANDPA key {} is the development key of {dev:?}",
					keys.grandpa
				));
			}
			validators.push(GenesisValidator { stash, babe: babe.into(), grandpa: grandpa.into() });
		}
		let sudo = config.sudo.as_deref().map(account).transpose()?;
		let mut committee = Vec::with_capacity(config.technical_committee.len());
		for address in &config.technical_committee {
			let member = account(address)?;
			if committee.contains(&member) {
				return Err(format!("committee member {address} is listed twice"));
			}
			committee.push(member);
		}
		Ok(Self { validators, balances, sudo, committee })
	}
}

/// An SS58 account that is not a well-known development account.
fn account(address: &str) -> Result<AccountId, String> {
	let account = AccountId::from_ss58check(address)
		.map_err(|e| format!("account {address}: not an SS58 address ({e:?})"))?;
	if let Some(dev) = Sr25519Keyring::iter().find(|k| k.to_account_id() == account) {
		return Err(format!(
			"account {address} is the development account {dev:?}, whose secret is public"
		));
	}
	Ok(account)
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;
	use polkadot_sdk::sc_chain_spec::ChainSpec as _;

	/// Keys no one should use for anything: derived from a phrase written here.
	fn example_keys(name: &str) -> (String, String, String) {
		use polkadot_sdk::sp_core::Pair;
		let phrase = format!("{} {name}", "bottom drive obey lake curtain smoke basket hold race");
		let sr = sr25519::Pair::from_string(&format!("//{phrase}"), None).unwrap().public();
		let ed = ed25519::Pair::from_string(&format!("//{phrase}"), None).unwrap().public();
		(AccountId::from(sr).to_ss58check(), sr.to_ss58check(), ed.to_ss58check())
	}

	fn cmd(args: &[&str]) -> TestnetSpecCmd {
		TestnetSpecCmd::parse_from(std::iter::once("testnet-spec").chain(args.iter().copied()))
	}

	fn refusal(args: &[&str]) -> String {
		cmd(args).chain_spec().err().expect("the spec is refused")
	}

	#[test]
	fn development_keys_are_refused() {
		let alice = Sr25519Keyring::Alice.to_account_id().to_ss58check();
		let (_, babe, grandpa) = example_keys("one");
		let validator = format!("{alice},{babe},{grandpa}");
		let error = refusal(&["--validator", &validator, "--balance", &format!("{alice}=20000")]);
		assert!(error.contains("development account Alice"), "{error}");
	}

	#[test]
	fn a_stash_must_hold_its_bond_and_a_network_needs_a_validator() {
		let (stash, babe, grandpa) = example_keys("one");
		let validator = format!("{stash},{babe},{grandpa}");
		let error = refusal(&["--validator", &validator, "--balance", &format!("{stash}=100")]);
		assert!(error.contains("needs at least"), "{error}");
		assert!(refusal(&[]).contains("at least one genesis validator"));
	}

	#[test]
	fn a_live_spec_without_sudo_from_the_command_line() {
		let (stash, babe, grandpa) = example_keys("one");
		let validator = format!("{stash},{babe},{grandpa}");
		let Ok(spec) =
			cmd(&["--validator", &validator, "--balance", &format!("{stash}=20000")]).chain_spec()
		else {
			panic!("a valid spec");
		};
		assert_eq!(spec.chain_type(), ChainType::Live);
		let json = spec.as_json(false).expect("the spec serializes");
		assert!(json.contains(&stash), "the stash is endowed and bonds");
		assert!(json.contains("\"key\": null"), "no sudo key: {json}");
	}

	#[test]
	fn the_technical_committee_comes_from_the_command_line() {
		let (stash, babe, grandpa) = example_keys("one");
		let (member, _, _) = example_keys("member");
		let validator = format!("{stash},{babe},{grandpa}");
		let balance = format!("{stash}=20000");
		let args = ["--validator", &validator, "--balance", &balance, "--committee", &member];
		let json = cmd(&args).chain_spec().expect("a valid spec").as_json(false).unwrap();
		assert!(json.contains("technicalCommittee") && json.contains(&member), "{json}");

		let twice = [&args[..], &["--committee", &member]].concat();
		assert!(refusal(&twice).contains("listed twice"));
		let alice = Sr25519Keyring::Alice.to_account_id().to_ss58check();
		let dev = [&args[..4], &["--committee", &alice]].concat();
		assert!(refusal(&dev).contains("development account Alice"));
	}
}
