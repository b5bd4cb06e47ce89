//! The records pallet-emission stores.

use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{subnets::NetUid, Balance, BlockNumber};
use polkadot_sdk::frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// The root network's last epoch, read once a block by the emission split.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxSubnets))]
#[codec(mel_bound(MaxSubnets: Get<u32>))]
pub struct RootEpochRecord<MaxSubnets: Get<u32>> {
	/// The block it ran in; the next runs a root tempo later.
	pub block: BlockNumber,
	/// Each subnet's share of the subnets' emission: `(netuid, share)` in netuid order,
	/// shares out of 2^32, subnets without a share left out. Empty: equal shares.
	pub shares: BoundedVec<(NetUid, u64), MaxSubnets>,
}

/// A subnet that earns emission: what it accrued and when its next epoch is due. All of
/// them live in one storage value, read and written once a block.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SubnetEmission {
	/// The subnet.
	pub netuid: NetUid,
	/// Emission accrued since its last epoch, not yet minted.
	pub pending: Balance,
	/// The block of its last epoch (scheduled or forced), or of its registration before the
	/// first.
	pub last_epoch: BlockNumber,
	/// Its tempo: the next epoch is due this many blocks after the last.
	pub tempo: u16,
}

impl SubnetEmission {
	/// Whether its epoch is due at block `now`.
	pub fn is_due(&self, now: BlockNumber) -> bool {
		now >= self.last_epoch.saturating_add(self.tempo.max(1).into())
	}
}
