//! The readable JSON the `metagraph_*` and `stake_*` methods return, converted from the
//! runtime APIs' SCALE records: accounts as SS58 addresses, balances as decimal strings of
//! the smallest unit (1 MDT = 10^9; strings because JSON numbers lose precision past 2^53),
//! proportions as numbers in [0, 1], IP addresses as text.

use luxtensor_primitives::{
	metagraph::{ColumnRef, MetagraphField, SelectiveMetagraph},
	stake::{DelegateInfo, PoolId, StakePosition},
	subnets::{AxonInfo, NetUid, PrometheusInfo},
	AccountId, Balance, BlockNumber,
};
use polkadot_sdk::{
	sp_core::crypto::Ss58Codec,
	sp_runtime::{PerThing, Perbill},
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The column a JSON name stands for, or an error listing the names there are.
pub fn parse_field(name: &str) -> Result<MetagraphField, String> {
	MetagraphField::from_json_name(name).ok_or_else(|| {
		let known: Vec<_> =
			MetagraphField::ALL.into_iter().map(MetagraphField::json_name).collect();
		format!("unknown metagraph field '{name}'; the fields are: {}", known.join(", "))
	})
}

/// A page of a subnet's metagraph: the subnet-wide values (`n` neurons, the page's
/// `firstUid`), then each column asked for, indexed from `firstUid`.
pub fn metagraph_json(metagraph: &SelectiveMetagraph<AccountId>) -> Value {
	let header = &metagraph.header;
	let mut json = Map::new();
	json.insert("netuid".into(), header.netuid.into());
	json.insert("n".into(), header.n.into());
	json.insert("firstUid".into(), header.first_uid.into());
	json.insert("block".into(), header.block.into());
	json.insert("lastEpochBlock".into(), header.last_epoch_block.into());
	json.insert("tempo".into(), header.tempo.into());
	json.insert("pendingEmission".into(), balance(header.pending_emission).into());
	for (field, column) in metagraph.columns() {
		json.insert(field.json_name().into(), column_json(column));
	}
	Value::Object(json)
}

/// A column as JSON: accounts as SS58, balances as strings, proportions in [0, 1], rows of
/// weights and bonds as `[uid, value]` pairs as stored (the largest 65535).
fn column_json(column: ColumnRef<'_, AccountId>) -> Value {
	match column {
		ColumnRef::Accounts(keys) => keys.iter().map(address).collect(),
		ColumnRef::Blocks(blocks) => blocks.iter().copied().collect(),
		ColumnRef::Flags(flags) => flags.iter().copied().collect(),
		ColumnRef::Balances(amounts) => amounts.iter().map(|amount| balance(*amount)).collect(),
		ColumnRef::Proportions(values) => values.iter().map(|value| proportion(*value)).collect(),
		ColumnRef::Axons(axons) => endpoints_json(axons),
		ColumnRef::Prometheus(prometheus) => endpoints_json(prometheus),
		ColumnRef::Rows(rows) => rows
			.iter()
			.map(|row| {
				row.iter().map(|(uid, value)| Value::from(vec![*uid, *value])).collect::<Value>()
			})
			.collect(),
	}
}

fn endpoints_json<E: Copy + Into<EndpointJson>>(endpoints: &[Option<E>]) -> Value {
	endpoints
		.iter()
		.map(|endpoint| match endpoint {
			Some(endpoint) => serde_json::to_value((*endpoint).into()).unwrap_or(Value::Null),
			None => Value::Null,
		})
		.collect()
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

impl From<(AccountId, Balance)> for NominatorJson {
	fn from((coldkey, stake): (AccountId, Balance)) -> Self {
		Self { coldkey: address(&coldkey), stake: balance(stake) }
	}
}

/// One stake of a coldkey.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StakeJson {
	/// The hotkey's stake pool: the next page starts after the last one's.
	pub pool: PoolId,
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

impl From<DelegateInfo<AccountId>> for DelegateJson {
	fn from(delegate: DelegateInfo<AccountId>) -> Self {
		Self {
			hotkey: address(&delegate.hotkey),
			owner: delegate.owner.as_ref().map(address),
			take: fraction(delegate.take),
			total_stake: balance(delegate.total_stake),
			registrations: delegate.registrations,
			validator_permits: delegate.validator_permits,
		}
	}
}

impl From<StakePosition<AccountId>> for StakeJson {
	fn from(position: StakePosition<AccountId>) -> Self {
		Self {
			pool: position.pool,
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
			assert_eq!(parse_field(field.json_name()), Ok(field));
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
		let header = MetagraphHeader {
			netuid: 1,
			n: 2,
			first_uid: 1,
			pending_emission: u128::MAX,
			..Default::default()
		};
		let metagraph = SelectiveMetagraph {
			hotkeys: Some(vec![alice.clone()]),
			stake: Some(vec![20_000_000 * 1_000_000_000]),
			incentive: Some(vec![u16::MAX]),
			axons: Some(vec![Some(axon)]),
			weights: Some(vec![vec![(0, u16::MAX)]]),
			..SelectiveMetagraph::empty(header)
		};
		assert_eq!(
			metagraph_json(&metagraph),
			serde_json::json!({
				"netuid": 1, "n": 2, "firstUid": 1, "block": 0, "lastEpochBlock": 0, "tempo": 0,
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
