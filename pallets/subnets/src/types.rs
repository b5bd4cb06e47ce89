//! Records kept by the subnets pallet, and the hyperparameter bounds.

use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{Balance, BlockNumber};
use scale_info::TypeInfo;

/// A subnet other than the root network: who owns it and what it locked.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct SubnetRecord<AccountId> {
	/// The coldkey that created the subnet and may tune and dissolve it.
	pub owner: AccountId,
	/// The owner's hotkey, which receives the owner's emission cut.
	pub owner_hotkey: AccountId,
	/// Balance held from the owner until the subnet is dissolved.
	pub lock: Balance,
	/// Block the subnet was created.
	pub registered_at: BlockNumber,
}

/// The lock of the last subnet created, from which the next lock cost is derived.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct NetworkLock {
	pub amount: Balance,
	/// Block of the creation.
	pub block: BlockNumber,
}

/// Who is changing hyperparameters: root may set every field, the owner only some.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Authority {
	Root,
	Owner,
}

/// Bounds of the hyperparameters (inclusive).
pub mod bounds {
	use luxtensor_primitives::BlockNumber;

	pub const TEMPO: (u16, u16) = (10, 50_400);
	pub const MAX_ALLOWED_UIDS: (u16, u16) = (1, luxtensor_primitives::subnets::MAX_SUBNET_UIDS);
	/// Validators weigh every miner: 256 of them at 4096 uids is what an epoch can take in
	/// one block.
	pub const MAX_ALLOWED_VALIDATORS: u16 = 256;
	pub const MAX_IMMUNITY_PERIOD: BlockNumber = 72_000;
	pub const MAX_ACTIVITY_CUTOFF: BlockNumber = 100_000;
	/// Setting weights and serving are fee-free: a neuron waits at least a block between
	/// two, so neither can be made unlimited.
	pub const WEIGHTS_RATE_LIMIT: (BlockNumber, BlockNumber) = (1, 7200);
	pub const COMMIT_REVEAL_PERIOD: (u16, u16) = (1, 100);
	pub const MAX_BONDS_MOVING_AVERAGE: u32 = 999_999;
	pub const BURN_HALF_LIFE: (BlockNumber, BlockNumber) = (1, 36_000);
	/// `burn_increase_mult` lies within 1..=3.
	pub const MAX_BURN_INCREASE_MULT: u32 = 3;
	pub const SERVING_RATE_LIMIT: (BlockNumber, BlockNumber) = (1, 7200);
	/// `owner_cut` is at most 50%.
	pub const MAX_OWNER_CUT_PERCENT: u32 = 50;
}
