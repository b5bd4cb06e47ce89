//! Records kept by the registration pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{subnets::Uid, Balance, BlockNumber};
use polkadot_sdk::frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;

/// The block each uid of a subnet registered, by uid (`0..n`).
pub type RegistrationBlockList<T> = BoundedVec<BlockNumber, UidBound<T>>;

/// [`crate::Config::MaxAllowedUids`] as the `u32` bound of a vector.
pub struct UidBound<T>(core::marker::PhantomData<T>);

impl<T: crate::Config> Get<u32> for UidBound<T> {
	fn get() -> u32 {
		T::MaxAllowedUids::get().into()
	}
}

/// Sets the registration block of `uid`, a uid below n or the next one (n); past that, or
/// beyond the bound, changes nothing.
pub(crate) fn set_registration_block<T: crate::Config>(
	blocks: &mut RegistrationBlockList<T>,
	uid: Uid,
	block: BlockNumber,
) {
	let index = usize::from(uid);
	if index == blocks.len() {
		// Full (beyond the bound): nothing to set.
		let _ = blocks.try_push(block);
	} else if let Some(slot) = blocks.get_mut(index) {
		*slot = block;
	}
}

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
