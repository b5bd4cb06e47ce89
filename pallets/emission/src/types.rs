//! Records kept by the emission pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use luxtensor_primitives::Balance;
use scale_info::TypeInfo;

/// A number of shares in a hotkey's stake pool.
pub type Share = u128;

/// A stake pool's identifier, which stays with the pool when its hotkey is swapped.
pub type PoolId = u64;

/// A hotkey's stake pool: the stake the hotkey counts, owned by its stakers in shares.
///
/// A share is worth `(stake + 1) / (shares + 1)`: the one virtual unit on each side keeps an
/// empty pool pricing at 1:1 and stops anyone inflating the price of a nearly empty pool
/// against later stakers. Shares are bought rounding down and sold rounding up, so their
/// value never falls and the shares' values never add up to more than `stake`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct StakePool {
	/// Its id, which keys its stakers' [`crate::Shares`].
	pub id: PoolId,
	/// The stake counted for the hotkey, its stakers' and rewards' together.
	pub stake: Balance,
	/// Shares its stakers own, all together.
	pub shares: Share,
}

/// Which way a take may change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TakeChange {
	Decrease,
	Increase,
}
