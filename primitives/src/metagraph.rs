//! A subnet's metagraph as the `NeuronsApi` runtime API returns it: every per-uid value as
//! a vector indexed by uid, all of them (`metagraph`) or the columns asked for
//! (`selective_metagraph`). Proportions are u16 (/65535).

use crate::{
	subnets::{AxonInfo, NetUid, PrometheusInfo, Uid},
	Balance, BlockNumber,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// One per-uid column of a metagraph, to ask `selective_metagraph` for.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum MetagraphField {
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
}

impl MetagraphField {
	/// Every column, in the order of [`Metagraph`]'s fields.
	pub const ALL: [Self; 20] = [
		Self::Hotkeys,
		Self::Coldkeys,
		Self::RegisteredAt,
		Self::Immune,
		Self::Active,
		Self::LastUpdate,
		Self::Stake,
		Self::Rank,
		Self::Trust,
		Self::Consensus,
		Self::Incentive,
		Self::Dividends,
		Self::ValidatorTrust,
		Self::ValidatorPermit,
		Self::Emission,
		Self::Axons,
		Self::Prometheus,
		Self::Weights,
		Self::Bonds,
		Self::ComputeScore,
	];
}

/// The state of the whole subnet, which every metagraph carries.
#[derive(Clone, Default, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MetagraphHeader {
	pub netuid: NetUid,
	/// Neurons: every column has this length.
	pub n: u16,
	/// The block this was read at.
	pub block: BlockNumber,
	/// Block of the subnet's last epoch (0 before the first).
	pub last_epoch_block: BlockNumber,
	/// Blocks between two epochs.
	pub tempo: u16,
	/// Emission accrued for the subnet's next epoch.
	pub pending_emission: Balance,
}

/// A subnet's whole state for clients (the `NeuronsApi.metagraph` runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct Metagraph<AccountId> {
	pub header: MetagraphHeader,
	pub hotkeys: Vec<AccountId>,
	pub coldkeys: Vec<AccountId>,
	/// Block each neuron registered.
	pub registered_at: Vec<BlockNumber>,
	/// Still within the immunity period.
	pub immune: Vec<bool>,
	/// Set weights within the activity cutoff.
	pub active: Vec<bool>,
	/// Block of the last accepted weights (0 if never).
	pub last_update: Vec<BlockNumber>,
	/// The hotkey's total stake: what Yuma weighs it by.
	pub stake: Vec<Balance>,
	pub rank: Vec<u16>,
	pub trust: Vec<u16>,
	pub consensus: Vec<u16>,
	pub incentive: Vec<u16>,
	pub dividends: Vec<u16>,
	pub validator_trust: Vec<u16>,
	pub validator_permit: Vec<bool>,
	/// Tokens each neuron earned at the last epoch.
	pub emission: Vec<Balance>,
	pub axons: Vec<Option<AxonInfo>>,
	pub prometheus: Vec<Option<PrometheusInfo>>,
	/// Each uid's weights as stored: `(uid, u16)` pairs, largest 65535.
	pub weights: Vec<Vec<(Uid, u16)>>,
	/// Each uid's bonds as stored: `(uid, u16)` pairs, each column's largest 65535.
	pub bonds: Vec<Vec<(Uid, u16)>>,
	/// On a compute subnet, each uid's share of the verified compute work scored at the
	/// last epoch.
	pub compute_score: Vec<u16>,
}

/// The columns of a metagraph that were asked for; the others are `None`
/// (the `NeuronsApi.selective_metagraph` runtime API).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SelectiveMetagraph<AccountId> {
	pub header: MetagraphHeader,
	pub hotkeys: Option<Vec<AccountId>>,
	pub coldkeys: Option<Vec<AccountId>>,
	pub registered_at: Option<Vec<BlockNumber>>,
	pub immune: Option<Vec<bool>>,
	pub active: Option<Vec<bool>>,
	pub last_update: Option<Vec<BlockNumber>>,
	pub stake: Option<Vec<Balance>>,
	pub rank: Option<Vec<u16>>,
	pub trust: Option<Vec<u16>>,
	pub consensus: Option<Vec<u16>>,
	pub incentive: Option<Vec<u16>>,
	pub dividends: Option<Vec<u16>>,
	pub validator_trust: Option<Vec<u16>>,
	pub validator_permit: Option<Vec<bool>>,
	pub emission: Option<Vec<Balance>>,
	pub axons: Option<Vec<Option<AxonInfo>>>,
	pub prometheus: Option<Vec<Option<PrometheusInfo>>>,
	pub weights: Option<Vec<Vec<(Uid, u16)>>>,
	pub bonds: Option<Vec<Vec<(Uid, u16)>>>,
	pub compute_score: Option<Vec<u16>>,
}

impl<AccountId> SelectiveMetagraph<AccountId> {
	/// The subnet-wide values and no column.
	pub fn empty(header: MetagraphHeader) -> Self {
		Self {
			header,
			hotkeys: None,
			coldkeys: None,
			registered_at: None,
			immune: None,
			active: None,
			last_update: None,
			stake: None,
			rank: None,
			trust: None,
			consensus: None,
			incentive: None,
			dividends: None,
			validator_trust: None,
			validator_permit: None,
			emission: None,
			axons: None,
			prometheus: None,
			weights: None,
			bonds: None,
			compute_score: None,
		}
	}
}

impl<AccountId> From<SelectiveMetagraph<AccountId>> for Metagraph<AccountId> {
	/// Columns that were not asked for are empty.
	fn from(selected: SelectiveMetagraph<AccountId>) -> Self {
		Self {
			header: selected.header,
			hotkeys: selected.hotkeys.unwrap_or_default(),
			coldkeys: selected.coldkeys.unwrap_or_default(),
			registered_at: selected.registered_at.unwrap_or_default(),
			immune: selected.immune.unwrap_or_default(),
			active: selected.active.unwrap_or_default(),
			last_update: selected.last_update.unwrap_or_default(),
			stake: selected.stake.unwrap_or_default(),
			rank: selected.rank.unwrap_or_default(),
			trust: selected.trust.unwrap_or_default(),
			consensus: selected.consensus.unwrap_or_default(),
			incentive: selected.incentive.unwrap_or_default(),
			dividends: selected.dividends.unwrap_or_default(),
			validator_trust: selected.validator_trust.unwrap_or_default(),
			validator_permit: selected.validator_permit.unwrap_or_default(),
			emission: selected.emission.unwrap_or_default(),
			axons: selected.axons.unwrap_or_default(),
			prometheus: selected.prometheus.unwrap_or_default(),
			weights: selected.weights.unwrap_or_default(),
			bonds: selected.bonds.unwrap_or_default(),
			compute_score: selected.compute_score.unwrap_or_default(),
		}
	}
}
