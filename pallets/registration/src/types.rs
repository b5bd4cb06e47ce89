//! Records kept by the registration pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{Balance, BlockNumber};
use scale_info::TypeInfo;

/// A subnet's registration price as of a block, before the decay since.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct BurnPrice {
	pub price: Balance,
	/// Block at which `price` applied.
	pub updated_at: BlockNumber,
}

/// The kinds of endpoint a neuron serves, each with its own rate limit.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Debug)]
pub enum Endpoint {
	Axon,
	Prometheus,
}

/// A coldkey swap scheduled by the coldkey swapping out.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ColdkeySwap<AccountId> {
	/// The coldkey taking over.
	pub new: AccountId,
	/// The first block at which the swap may apply.
	pub applies_at: BlockNumber,
}
