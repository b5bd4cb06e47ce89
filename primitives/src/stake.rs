//! Stake as the `StakeApi` runtime API returns it.

use crate::{subnets::NetUid, Balance};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::sp_runtime::Perbill;
use scale_info::TypeInfo;

/// A hotkey that holds stake, with everyone staking on it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct DelegateInfo<AccountId> {
	pub hotkey: AccountId,
	/// The coldkey owning the hotkey, which receives its take.
	pub owner: Option<AccountId>,
	/// The share of the hotkey's dividends its owner keeps.
	pub take: Perbill,
	/// All stake on the hotkey: what Yuma weighs it by. Its stakers are listed, a page at
	/// a time, by `StakeApi.nominators`.
	pub total_stake: Balance,
	/// The subnets the hotkey is registered on.
	pub registrations: Vec<NetUid>,
	/// The subnets where it holds a validator permit.
	pub validator_permits: Vec<NetUid>,
}

/// A stake pool's identifier, which stays with the pool when its hotkey is swapped; the key
/// `stake_info_for_coldkey` pages by.
pub type PoolId = u64;

/// A coldkey's stake on one hotkey.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct StakePosition<AccountId> {
	/// The hotkey's stake pool (pass the last one's as the next page's `start_after`).
	pub pool: PoolId,
	pub hotkey: AccountId,
	pub coldkey: AccountId,
	/// What the coldkey's shares of the hotkey's pool are worth now.
	pub stake: Balance,
	/// The coldkey owning the hotkey (the staker itself, or a delegate's owner).
	pub hotkey_owner: Option<AccountId>,
}
