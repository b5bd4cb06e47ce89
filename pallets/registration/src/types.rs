//! Records kept by the registration pallet.

#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

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
