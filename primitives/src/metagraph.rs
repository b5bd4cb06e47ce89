//! A subnet's metagraph as the `NeuronsApi` runtime API returns it: per-uid values as
//! vectors indexed by uid (from the page's first uid), all of them (`metagraph`) or the
//! columns asked for (`selective_metagraph`). Proportions are u16 (/65535).
//!
//! The columns are listed once, in [`metagraph_columns!`]: the field enum, both records,
//! the JSON names and each column's kind come from that table, so adding a column is one
//! line there (and its values in the runtime's view).

use crate::{
	subnets::{AxonInfo, NetUid, PrometheusInfo, Uid, MAX_SUBNET_UIDS},
	Balance, BlockNumber,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// The most uids one metagraph page covers: a whole subnet.
pub const MAX_METAGRAPH_PAGE: u16 = MAX_SUBNET_UIDS;
/// The most uids one page covers when it has weights or bonds (each row up to 4096 pairs).
pub const MAX_METAGRAPH_ROWS_PAGE: u16 = 256;

/// The uids a metagraph page covers: `limit` of them from `start`, within the caps above.
#[derive(
	Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug, Default,
)]
pub struct UidRange {
	pub start: Uid,
	pub limit: u16,
}

impl UidRange {
	/// Every uid, as far as the caps allow.
	pub const ALL: Self = Self { start: 0, limit: MAX_METAGRAPH_PAGE };

	/// The uids of this range that exist in a subnet of `n` neurons, with the cap for
	/// `fields` applied.
	pub fn within(self, n: u16, fields: &[MetagraphField]) -> core::ops::Range<Uid> {
		let rows = fields.iter().any(|field| field.is_rows());
		let cap = if rows { MAX_METAGRAPH_ROWS_PAGE } else { MAX_METAGRAPH_PAGE };
		let start = self.start.min(n);
		start..start.saturating_add(self.limit.min(cap)).min(n)
	}
}

/// A column's values, by kind: what a view fills a column with.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Column<AccountId> {
	Accounts(Vec<AccountId>),
	Blocks(Vec<BlockNumber>),
	Flags(Vec<bool>),
	Balances(Vec<Balance>),
	/// Proportions in [0, 65535].
	Proportions(Vec<u16>),
	Axons(Vec<Option<AxonInfo>>),
	Prometheus(Vec<Option<PrometheusInfo>>),
	/// Sparse rows of `(uid, value)` pairs (weights, bonds).
	Rows(Vec<Vec<(Uid, u16)>>),
}

/// A column's values, borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ColumnRef<'a, AccountId> {
	Accounts(&'a [AccountId]),
	Blocks(&'a [BlockNumber]),
	Flags(&'a [bool]),
	Balances(&'a [Balance]),
	Proportions(&'a [u16]),
	Axons(&'a [Option<AxonInfo>]),
	Prometheus(&'a [Option<PrometheusInfo>]),
	Rows(&'a [Vec<(Uid, u16)>]),
}

/// The state of the whole subnet, which every metagraph page carries.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MetagraphHeader {
	pub netuid: NetUid,
	/// Neurons in the subnet (uids `0..n`).
	pub n: u16,
	/// The uid of each column's first value: the page covers `first_uid..first_uid + len`.
	pub first_uid: Uid,
	/// The block this was read at.
	pub block: BlockNumber,
	/// Block of the subnet's last epoch (0 before the first).
	pub last_epoch_block: BlockNumber,
	/// Blocks between two epochs.
	pub tempo: u16,
	/// Emission accrued for the subnet's next epoch.
	pub pending_emission: Balance,
}

/// The table of columns: `field: type => Variant, "jsonName", Kind;` with the field's docs.
macro_rules! metagraph_columns {
	($(
		$(#[doc = $doc:literal])*
		$field:ident: $ty:ty => $variant:ident, $json:literal, $kind:ident;
	)*) => {
		/// One per-uid column of a metagraph, to ask `selective_metagraph` for.
		#[derive(
			Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
		)]
		pub enum MetagraphField {
			$( $(#[doc = $doc])* $variant, )*
		}

		impl MetagraphField {
			/// Every column, in the order of [`Metagraph`]'s fields.
			pub const ALL: [Self; [$(Self::$variant),*].len()] = [$(Self::$variant),*];

			/// The column's name in JSON (`metagraph_selective` takes these).
			pub const fn json_name(self) -> &'static str {
				match self {
					$( Self::$variant => $json, )*
				}
			}

			/// The column named `name` in JSON, if any.
			pub fn from_json_name(name: &str) -> Option<Self> {
				Self::ALL.into_iter().find(|field| field.json_name() == name)
			}
		}

		/// A subnet's whole state for clients (the `NeuronsApi.metagraph` runtime API).
		#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
		pub struct Metagraph<AccountId> {
			pub header: MetagraphHeader,
			$( $(#[doc = $doc])* pub $field: Vec<$ty>, )*
		}

		/// The columns of a metagraph that were asked for; the others are `None`
		/// (the `NeuronsApi.selective_metagraph` runtime API).
		#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
		pub struct SelectiveMetagraph<AccountId> {
			pub header: MetagraphHeader,
			$( $(#[doc = $doc])* pub $field: Option<Vec<$ty>>, )*
		}

		impl<AccountId> SelectiveMetagraph<AccountId> {
			/// The subnet-wide values and no column.
			pub fn empty(header: MetagraphHeader) -> Self {
				Self { header, $( $field: None, )* }
			}

			/// Stores `column` as `field`'s values; a column of another kind is refused.
			pub fn set(
				&mut self,
				field: MetagraphField,
				column: Column<AccountId>,
			) -> Result<(), Column<AccountId>> {
				match (field, column) {
					$( (MetagraphField::$variant, Column::$kind(values)) => {
						self.$field = Some(values);
						Ok(())
					}, )*
					(_, column) => Err(column),
				}
			}

			/// The columns present, in table order.
			pub fn columns(&self) -> Vec<(MetagraphField, ColumnRef<'_, AccountId>)> {
				let mut columns = Vec::new();
				$( if let Some(values) = &self.$field {
					columns.push((MetagraphField::$variant, ColumnRef::$kind(values)));
				} )*
				columns
			}
		}

		impl<AccountId> From<SelectiveMetagraph<AccountId>> for Metagraph<AccountId> {
			/// Columns that were not asked for are empty.
			fn from(selected: SelectiveMetagraph<AccountId>) -> Self {
				Self { header: selected.header, $( $field: selected.$field.unwrap_or_default(), )* }
			}
		}
	};
}

metagraph_columns! {
	hotkeys: AccountId => Hotkeys, "hotkeys", Accounts;
	coldkeys: AccountId => Coldkeys, "coldkeys", Accounts;
	/// Block each neuron registered.
	registered_at: BlockNumber => RegisteredAt, "registeredAt", Blocks;
	/// Still within the immunity period.
	immune: bool => Immune, "immune", Flags;
	/// Set weights within the activity cutoff.
	active: bool => Active, "active", Flags;
	/// Block of the last accepted weights (0 if never).
	last_update: BlockNumber => LastUpdate, "lastUpdate", Blocks;
	/// The hotkey's total stake: what Yuma weighs it by.
	stake: Balance => Stake, "stake", Balances;
	rank: u16 => Rank, "rank", Proportions;
	trust: u16 => Trust, "trust", Proportions;
	consensus: u16 => Consensus, "consensus", Proportions;
	incentive: u16 => Incentive, "incentive", Proportions;
	dividends: u16 => Dividends, "dividends", Proportions;
	validator_trust: u16 => ValidatorTrust, "validatorTrust", Proportions;
	validator_permit: bool => ValidatorPermit, "validatorPermit", Flags;
	/// Tokens each neuron earned at the last epoch.
	emission: Balance => Emission, "emission", Balances;
	axons: Option<AxonInfo> => Axons, "axons", Axons;
	prometheus: Option<PrometheusInfo> => Prometheus, "prometheus", Prometheus;
	/// Each uid's weights as stored: `(uid, u16)` pairs, largest 65535.
	weights: Vec<(Uid, u16)> => Weights, "weights", Rows;
	/// Each uid's bonds as stored: `(uid, u16)` pairs, each column's largest 65535.
	bonds: Vec<(Uid, u16)> => Bonds, "bonds", Rows;
	/// On a compute subnet, each uid's share of the verified compute work scored at the
	/// last epoch.
	compute_score: u16 => ComputeScore, "computeScore", Proportions;
}

impl MetagraphField {
	/// Sparse rows (weights, bonds): pages with them cover fewer uids.
	pub fn is_rows(self) -> bool {
		matches!(self, Self::Weights | Self::Bonds)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_column_has_a_distinct_json_name_and_kind() {
		for field in MetagraphField::ALL {
			assert_eq!(MetagraphField::from_json_name(field.json_name()), Some(field));
		}
		let mut metagraph = SelectiveMetagraph::<u64>::empty(MetagraphHeader::default());
		assert!(metagraph.set(MetagraphField::Stake, Column::Balances(vec![5])).is_ok());
		assert!(metagraph.set(MetagraphField::Stake, Column::Flags(vec![true])).is_err());
		assert_eq!(metagraph.columns(), vec![(MetagraphField::Stake, ColumnRef::Balances(&[5]))]);
	}

	#[test]
	fn a_page_stays_within_the_subnet_and_the_caps() {
		let all = MetagraphField::ALL;
		assert_eq!(UidRange::ALL.within(4096, &[MetagraphField::Stake]), 0..4096);
		assert_eq!(UidRange::ALL.within(4096, &all), 0..256, "rows cap the page");
		assert_eq!(UidRange { start: 4000, limit: 500 }.within(4096, &[]), 4000..4096);
		assert_eq!(UidRange { start: 5000, limit: 10 }.within(4096, &[]), 4096..4096);
		assert_eq!(UidRange { start: 3, limit: 0 }.within(10, &[]), 3..3);
	}
}
