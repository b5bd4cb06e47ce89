//! The readable JSON the `metagraph_*` and `stake_*` methods return, converted from the
//! runtime APIs' SCALE records: accounts as SS58 addresses, balances as decimal strings of
//! the smallest unit (1 MDT = 10^9; strings because JSON numbers lose precision past 2^53),
//! proportions as numbers in [0, 1], IP addresses as text.

use luxtensor_primitives::{
	metagraph::{MetagraphField, SelectiveMetagraph},
	stake::{DelegateInfo, StakePosition},
	subnets::{AxonInfo, NetUid, PrometheusInfo, Uid},
	AccountId, Balance, BlockNumber,
};
use polkadot_sdk::{
	sp_core::crypto::Ss58Codec,
	sp_runtime::{PerThing, Perbill},
};
use serde::Serialize;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The JSON name of each metagraph column, as `metagraph_selective` takes them.
pub fn field_name(field: MetagraphField) -> &'static str {
	use MetagraphField::*;
	match field {
		Hotkeys => "hotkeys",
		Coldkeys => "coldkeys",
		RegisteredAt => "registeredAt",
		Immune => "immune",
		Active => "active",
		LastUpdate => "lastUpdate",
		Stake => "stake",
		Rank => "rank",
		Trust => "trust",
		Consensus => "consensus",
		Incentive => "incentive",
		Dividends => "dividends",
		ValidatorTrust => "validatorTrust",
		ValidatorPermit => "validatorPermit",
		Emission => "emission",
		Axons => "axons",
		Prometheus => "prometheus",
		Weights => "weights",
		Bonds => "bonds",
		ComputeScore => "computeScore",
	}
}

/// The column a JSON name stands for, or an error listing the names there are.
pub fn parse_field(name: &str) -> Result<MetagraphField, String> {
	MetagraphField::ALL.into_iter().find(|field| field_name(*field) == name).ok_or_else(|| {
		let known: Vec<_> = MetagraphField::ALL.into_iter().map(field_name).collect();
		format!("unknown metagraph field '{name}'; the fields are: {}", known.join(", "))
	})
}

/// A subnet's metagraph: the subnet-wide values, then each column asked for (all of them
/// for `metagraph_get`), indexed by uid.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MetagraphJson {
	pub netuid: NetUid,
	pub n: u16,
	pub block: BlockNumber,
	pub last_epoch_block: BlockNumber,
	pub tempo: u16,
	pub pending_emission: String,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub hotkeys: Option<Vec<String>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub coldkeys: Option<Vec<String>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub registered_at: Option<Vec<BlockNumber>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub immune: Option<Vec<bool>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub active: Option<Vec<bool>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub last_update: Option<Vec<BlockNumber>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub stake: Option<Vec<String>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub rank: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub trust: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub consensus: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub incentive: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub dividends: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub validator_trust: Option<Vec<f64>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub validator_permit: Option<Vec<bool>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub emission: Option<Vec<String>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub axons: Option<Vec<Option<EndpointJson>>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub prometheus: Option<Vec<Option<EndpointJson>>>,
	/// Each uid's `[uid, weight]` pairs as stored, the largest weight 65535.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub weights: Option<Vec<Vec<(Uid, u16)>>>,
	/// Each uid's `[uid, bond]` pairs as stored, each column's largest bond 65535.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub bonds: Option<Vec<Vec<(Uid, u16)>>>,
	/// On a compute subnet, each uid's share of the verified work scored at the last epoch.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub compute_score: Option<Vec<f64>>,
}

/// An axon or Prometheus endpoint.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointJson {
	pub ip: String,
	pub port: u16,
	pub ip_type: u8,
	pub version: u32,
	/// Block of the last update.
	pub block: BlockNumber,
	/// Axons only: the transport protocol.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub protocol: Option<u8>,
}

/// A hotkey holding stake.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DelegateJson {
	pub hotkey: String,
	pub owner: Option<String>,
	pub take: f64,
	pub total_stake: String,
	pub nominators: Vec<NominatorJson>,
	pub registrations: Vec<NetUid>,
	pub validator_permits: Vec<NetUid>,
}

/// One coldkey's stake on a delegate.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NominatorJson {
	pub coldkey: String,
	pub stake: String,
}

/// One stake of a coldkey.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StakeJson {
	pub hotkey: String,
	pub coldkey: String,
	pub stake: String,
	pub hotkey_owner: Option<String>,
}

pub(super) fn address(account: &AccountId) -> String {
	account.to_ss58check()
}

pub(super) fn balance(amount: Balance) -> String {
	amount.to_string()
}

fn proportion(value: u16) -> f64 {
	f64::from(value) / f64::from(u16::MAX)
}

fn fraction(value: Perbill) -> f64 {
	f64::from(value.deconstruct()) / f64::from(Perbill::ACCURACY)
}

fn ip_text(ip: u128, ip_type: u8) -> String {
	match (ip_type, u32::try_from(ip)) {
		(4, Ok(v4)) => Ipv4Addr::from(v4).to_string(),
		_ => Ipv6Addr::from(ip).to_string(),
	}
}

fn map<T, U>(column: Option<Vec<T>>, convert: impl Fn(T) -> U) -> Option<Vec<U>> {
	column.map(|values| values.into_iter().map(convert).collect())
}

impl From<AxonInfo> for EndpointJson {
	fn from(axon: AxonInfo) -> Self {
		Self {
			ip: ip_text(axon.ip, axon.ip_type),
			port: axon.port,
			ip_type: axon.ip_type,
			version: axon.version,
			block: axon.block,
			protocol: Some(axon.protocol),
		}
	}
}

impl From<PrometheusInfo> for EndpointJson {
	fn from(endpoint: PrometheusInfo) -> Self {
		Self {
			ip: ip_text(endpoint.ip, endpoint.ip_type),
			port: endpoint.port,
			ip_type: endpoint.ip_type,
			version: endpoint.version,
			block: endpoint.block,
			protocol: None,
		}
	}
}

impl From<SelectiveMetagraph<AccountId>> for MetagraphJson {
	fn from(metagraph: SelectiveMetagraph<AccountId>) -> Self {
		let header = metagraph.header;
		Self {
			netuid: header.netuid,
			n: header.n,
			block: header.block,
			last_epoch_block: header.last_epoch_block,
			tempo: header.tempo,
			pending_emission: balance(header.pending_emission),
			hotkeys: map(metagraph.hotkeys, |key| address(&key)),
			coldkeys: map(metagraph.coldkeys, |key| address(&key)),
			registered_at: metagraph.registered_at,
			immune: metagraph.immune,
			active: metagraph.active,
			last_update: metagraph.last_update,
			stake: map(metagraph.stake, balance),
			rank: map(metagraph.rank, proportion),
			trust: map(metagraph.trust, proportion),
			consensus: map(metagraph.consensus, proportion),
			incentive: map(metagraph.incentive, proportion),
			dividends: map(metagraph.dividends, proportion),
			validator_trust: map(metagraph.validator_trust, proportion),
			validator_permit: metagraph.validator_permit,
			emission: map(metagraph.emission, balance),
			axons: map(metagraph.axons, |axon| axon.map(EndpointJson::from)),
			prometheus: map(metagraph.prometheus, |endpoint| endpoint.map(EndpointJson::from)),
			weights: metagraph.weights,
			bonds: metagraph.bonds,
			compute_score: map(metagraph.compute_score, proportion),
		}
	}
}

impl From<DelegateInfo<AccountId>> for DelegateJson {
	fn from(delegate: DelegateInfo<AccountId>) -> Self {
		Self {
			hotkey: address(&delegate.hotkey),
			owner: delegate.owner.as_ref().map(address),
			take: fraction(delegate.take),
			total_stake: balance(delegate.total_stake),
			nominators: delegate
				.nominators
				.into_iter()
				.map(|(coldkey, stake)| NominatorJson {
					coldkey: address(&coldkey),
					stake: balance(stake),
				})
				.collect(),
			registrations: delegate.registrations,
			validator_permits: delegate.validator_permits,
		}
	}
}

impl From<StakePosition<AccountId>> for StakeJson {
	fn from(position: StakePosition<AccountId>) -> Self {
		Self {
			hotkey: address(&position.hotkey),
			coldkey: address(&position.coldkey),
			stake: balance(position.stake),
			hotkey_owner: position.hotkey_owner.as_ref().map(address),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use luxtensor_primitives::metagraph::MetagraphHeader;
	use polkadot_sdk::sp_keyring::Sr25519Keyring;

	#[test]
	fn every_field_name_parses_back_and_unknown_names_are_listed() {
		for field in MetagraphField::ALL {
			assert_eq!(parse_field(field_name(field)), Ok(field));
		}
		let error = parse_field("stakes").unwrap_err();
		assert!(error.contains("'stakes'") && error.contains("validatorPermit"), "{error}");
	}

	#[test]
	fn metagraph_json_is_readable_and_omits_columns_not_asked_for() {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let axon = AxonInfo {
			block: 7,
			version: 1,
			ip: u128::from(u32::from(Ipv4Addr::new(10, 0, 0, 1))),
			port: 8091,
			ip_type: 4,
			protocol: 4,
		};
		let header =
			MetagraphHeader { netuid: 1, n: 1, pending_emission: u128::MAX, ..Default::default() };
		let metagraph = SelectiveMetagraph {
			hotkeys: Some(vec![alice.clone()]),
			stake: Some(vec![20_000_000 * 1_000_000_000]),
			incentive: Some(vec![u16::MAX]),
			axons: Some(vec![Some(axon)]),
			weights: Some(vec![vec![(0, u16::MAX)]]),
			..SelectiveMetagraph::empty(header)
		};
		let json = serde_json::to_value(MetagraphJson::from(metagraph)).unwrap();
		assert_eq!(
			json,
			serde_json::json!({
				"netuid": 1, "n": 1, "block": 0, "lastEpochBlock": 0, "tempo": 0,
				"pendingEmission": u128::MAX.to_string(),
				"hotkeys": [alice.to_ss58check()],
				"stake": ["20000000000000000"],
				"incentive": [1.0],
				"axons": [{"ip": "10.0.0.1", "port": 8091, "ipType": 4, "version": 1, "block": 7, "protocol": 4}],
				"weights": [[[0, 65535]]],
			})
		);
	}

	#[test]
	fn ipv6_endpoints_print_as_ipv6() {
		let ip = u128::from(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
		assert_eq!(ip_text(ip, 6), "2001:db8::1");
	}
}
