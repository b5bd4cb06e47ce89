//! # LuxTensor primitives
//!
//! The types every LuxTensor crate agrees on (accounts, balances, blocks) and the MDT token
//! constants. Pallets talk to each other through traits defined here and wired in the
//! runtime, so that no pallet depends on another's storage.

#![cfg_attr(not(feature = "std"), no_std)]
// Runtime code must never panic: no unchecked arithmetic, indexing, unwrap or expect.
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

extern crate alloc;

pub mod apis;
pub mod compute;
pub mod metagraph;
pub mod stake;
pub mod subnets;
pub mod traits;

use polkadot_sdk::sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature, OpaqueExtrinsic,
};

/// Most entries one page of a runtime API listing returns.
pub const MAX_PAGE_SIZE: u32 = 256;

/// Transaction-pool priority of the fee-free duties that keep consensus running: validators'
/// weights (set, commit, reveal) and compute providers' heartbeats. It is above any
/// fee-paying transaction's without a huge tip, so a flood of transfers neither delays them
/// nor gets them evicted from a full pool. Their pool extensions admit one per hotkey per
/// rate-limit window and only from hotkeys entitled to the duty, so the priority cannot be
/// used to spam.
pub const DUTY_PRIORITY: polkadot_sdk::sp_runtime::transaction_validity::TransactionPriority =
	1 << 62;

/// One page of a listing: the entries after `start_after` in the listing's order (from the
/// first if `None`), at most `limit`, capped at [`MAX_PAGE_SIZE`]. The next page starts after
/// the last entry returned; a page shorter than asked for is the last.
#[derive(
	Clone,
	PartialEq,
	Eq,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
	Debug,
)]
pub struct PageRequest<Key> {
	pub start_after: Option<Key>,
	pub limit: u32,
}

impl<Key> PageRequest<Key> {
	/// The first page, as long as allowed.
	pub fn first() -> Self {
		Self { start_after: None, limit: MAX_PAGE_SIZE }
	}

	/// `limit` within the cap.
	pub fn capped_limit(&self) -> usize {
		self.limit.min(MAX_PAGE_SIZE) as usize
	}
}

/// Block number: at 6 s per block a `u32` lasts over 800 years.
pub type BlockNumber = u32;

/// A transaction signature: sr25519 by default, ed25519 and ecdsa accepted
/// (`MultiSignature`), as polkadot.js and Substrate wallets produce.
pub type Signature = MultiSignature;

/// The public key type behind a [`Signature`] (a `MultiSigner`).
pub type AccountPublic = <Signature as Verify>::Signer;

/// An account on chain: the 32-byte id derived from an [`AccountPublic`].
pub type AccountId = <AccountPublic as IdentifyAccount>::AccountId;

/// Balance of an account, in the smallest unit (1 MDT = 10^9 units).
pub type Balance = u128;

/// Index of a transaction of an account.
pub type Nonce = u32;

/// Hash of a block or an extrinsic.
pub type Hash = polkadot_sdk::sp_core::H256;

/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// A block whose extrinsics are opaque bytes: what the node sees without knowing the runtime.
pub type OpaqueBlock = generic::Block<Header, OpaqueExtrinsic>;

/// Moment in milliseconds since the Unix epoch, as kept by the timestamp pallet.
pub type Moment = u64;

/// The MDT token: symbol, decimals and the units derived from them.
pub mod currency {
	use super::Balance;

	/// Token symbol shown by wallets and explorers.
	pub const TOKEN_SYMBOL: &str = "MDT";
	/// Decimal places of one MDT.
	pub const TOKEN_DECIMALS: u8 = 9;
	/// One MDT in the smallest unit.
	pub const MDT: Balance = 1_000_000_000;
	/// One thousandth of an MDT.
	pub const MILLI_MDT: Balance = MDT / 1_000;
	/// One millionth of an MDT.
	pub const MICRO_MDT: Balance = MDT / 1_000_000;
	/// The smallest unit (10^-9 MDT).
	pub const NANO_MDT: Balance = 1;
	/// The most MDT that will ever exist: 21,000,000.
	pub const MAX_SUPPLY: Balance = 21_000_000 * MDT;
	/// Emission of one block before the first halving: 0.5 MDT.
	pub const BLOCK_EMISSION: Balance = MDT / 2;
	/// Minimum balance an account must keep to exist: 500 nano-MDT.
	pub const EXISTENTIAL_DEPOSIT: Balance = 500 * NANO_MDT;

	/// The deposit for storing `items` entries of `bytes` bytes in total: 0.01 MDT per item
	/// and 10 micro-MDT per byte, so state growth is paid for and returned on removal.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance)
			.saturating_mul(MDT / 100)
			.saturating_add((bytes as Balance).saturating_mul(10 * MICRO_MDT))
	}
}

#[cfg(test)]
mod tests {
	use super::currency::*;

	#[test]
	fn token_constants_agree() {
		assert_eq!(MDT, 10u128.pow(TOKEN_DECIMALS as u32));
		assert_eq!(EXISTENTIAL_DEPOSIT * 2_000_000, MDT);
		assert_eq!(BLOCK_EMISSION * 2, MDT);
		assert_eq!(MAX_SUPPLY, 21_000_000_000_000_000);
		assert!(MAX_SUPPLY < u64::MAX as u128, "stake weights fit in u64 without saturation");
	}

	#[test]
	fn deposit_grows_with_items_and_bytes() {
		assert_eq!(deposit(0, 0), 0);
		assert_eq!(deposit(1, 0), MDT / 100);
		assert_eq!(deposit(1, 100), MDT / 100 + 1_000 * MICRO_MDT);
	}
}
