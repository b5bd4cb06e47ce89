//! Metagraph sync: a subnet's columns fetched page by page at one block and joined, full or
//! selective, and a cache that keeps each sync for a time to live.

use crate::{client::Client, error::Error, types::*, At};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// Uids per page the runtime API gives: all of them, or 256 with weights or bonds.
const COLUMNS_PAGE: u16 = 4096;
const ROWS_PAGE: u16 = 256;

/// Every column, in the runtime's table order.
pub fn all_fields() -> Vec<MetagraphField> {
	use MetagraphField::*;
	vec![
		Hotkeys,
		Coldkeys,
		RegisteredAt,
		Immune,
		Active,
		LastUpdate,
		Stake,
		Rank,
		Trust,
		Consensus,
		Incentive,
		Dividends,
		ValidatorTrust,
		ValidatorPermit,
		Emission,
		Axons,
		Prometheus,
		Weights,
		Bonds,
		ComputeScore,
	]
}

/// The column's JSON name (as the node's `metagraph_selective` JSON-RPC method takes it).
/// The match is exhaustive, so a column added to the runtime fails the build here.
pub fn field_name(field: &MetagraphField) -> &'static str {
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

/// The column named `name` in JSON.
pub fn field_by_name(name: &str) -> Option<MetagraphField> {
	all_fields().into_iter().find(|field| field_name(field) == name)
}

/// Subnet `netuid`'s `fields` for every uid, as of `at` (`None`: no such subnet).
pub async fn sync(
	at: &At,
	netuid: NetUid,
	fields: &[MetagraphField],
) -> Result<Option<SelectiveMetagraph>, Error> {
	let rows =
		fields.iter().any(|field| matches!(field, MetagraphField::Weights | MetagraphField::Bonds));
	let limit = if rows { ROWS_PAGE } else { COLUMNS_PAGE };
	let mut start: Uid = 0;
	let mut joined: Option<SelectiveMetagraph> = None;
	loop {
		let range = UidRange { start, limit };
		let Some(page) = at.metagraph_page(netuid, fields.to_vec(), range).await? else {
			return Ok(None);
		};
		let n = page.header.n;
		joined = Some(match joined {
			None => page,
			Some(joined) => append(joined, page),
		});
		start = start.saturating_add(limit);
		if start >= n {
			if let Some(joined) = joined.as_mut() {
				joined.header.first_uid = 0;
			}
			return Ok(joined);
		}
	}
}

/// `page`'s columns appended to `into`'s. The destructuring names every column, so one
/// added to the runtime fails the build here rather than being dropped.
fn append(mut into: SelectiveMetagraph, page: SelectiveMetagraph) -> SelectiveMetagraph {
	macro_rules! append_columns {
		($($column:ident),*) => {
			let SelectiveMetagraph { header: _, $($column),* } = page;
			$(
				if let (Some(joined), Some(more)) = (into.$column.as_mut(), $column) {
					joined.extend(more);
				}
			)*
		};
	}
	append_columns!(
		hotkeys,
		coldkeys,
		registered_at,
		immune,
		active,
		last_update,
		stake,
		rank,
		trust,
		consensus,
		incentive,
		dividends,
		validator_trust,
		validator_permit,
		emission,
		axons,
		prometheus,
		weights,
		bonds,
		compute_score
	);
	into
}

/// A synced metagraph and when it was synced, per subnet and set of columns.
type Entries = HashMap<(NetUid, String), (Instant, Arc<SelectiveMetagraph>)>;

/// Synced metagraphs kept for `ttl`, per subnet and set of columns.
pub struct MetagraphCache {
	ttl: Duration,
	entries: Mutex<Entries>,
}

impl MetagraphCache {
	/// A cache whose entries live `ttl`.
	pub fn new(ttl: Duration) -> Self {
		Self { ttl, entries: Mutex::new(HashMap::new()) }
	}

	/// Subnet `netuid`'s `fields`: from the cache while fresh, else synced at the best block.
	pub async fn get(
		&self,
		client: &Client,
		netuid: NetUid,
		fields: &[MetagraphField],
	) -> Result<Option<Arc<SelectiveMetagraph>>, Error> {
		let key = (netuid, format!("{fields:?}"));
		if let Some((synced, metagraph)) = self.lock().get(&key) {
			if synced.elapsed() < self.ttl {
				return Ok(Some(metagraph.clone()));
			}
		}
		let at = client.at_best().await?;
		let Some(metagraph) = sync(&at, netuid, fields).await? else {
			self.invalidate(netuid);
			return Ok(None);
		};
		let metagraph = Arc::new(metagraph);
		self.lock().insert(key, (Instant::now(), metagraph.clone()));
		Ok(Some(metagraph))
	}

	/// Drops what is kept of subnet `netuid` (after a transaction that changed it).
	pub fn invalidate(&self, netuid: NetUid) {
		self.lock().retain(|(cached, _), _| *cached != netuid);
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
		self.entries.lock().unwrap_or_else(|e| e.into_inner())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_column_has_a_distinct_name_that_finds_it() {
		let fields = all_fields();
		let mut names: Vec<&str> = fields.iter().map(field_name).collect();
		names.sort();
		names.dedup();
		assert_eq!(names.len(), fields.len());
		assert!(matches!(field_by_name("computeScore"), Some(MetagraphField::ComputeScore)));
		assert!(field_by_name("nope").is_none());
	}
}
