//! The records pallet-emission stores.

use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{subnets::NetUid, BlockNumber};
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
