//! Benchmarks of pallet-stake (v2), each in its worst case: the stake calls write new entries
//! or remove them on pools with dividends being released, and a swapped hotkey moves a pool,
//! a take and a take-increase record.

use super::*;
use luxtensor_primitives::{
	currency::MDT,
	traits::{HotkeyOwnership, OnColdkeySwapped, OnHotkeySwapped, StakeReward, StakeRewards},
	BlockNumber,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, Get},
	frame_system::{self, RawOrigin},
	sp_runtime::Perbill,
};

const NOW: BlockNumber = 10_000;

/// An account holding a million MDT.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MDT);
	who
}

/// A hotkey owned by `coldkey`, with a nominator's stake in its pool and dividends being
/// released into it, so every call settles a release.
fn delegate<T: Config>(index: u32, coldkey: &T::AccountId) -> T::AccountId {
	frame_system::Pallet::<T>::set_block_number(NOW.into());
	let hotkey: T::AccountId = account("hotkey", index, 0);
	T::HotkeyOwnership::set_owner(&hotkey, coldkey);
	let nominator = funded::<T>("nominator", index);
	Pallet::<T>::add_stake(RawOrigin::Signed(nominator).into(), hotkey.clone(), 100 * MDT)
		.expect("the nominator can stake");
	T::Currency::mint_into(&Pallet::<T>::stake_account(), MDT).expect("minted");
	let dividends =
		StakeReward { hotkey: hotkey.clone(), stake: 0, dividends: MDT, release_over: 100 };
	<Pallet<T> as StakeRewards<T::AccountId>>::reward(alloc::vec![dividends]);
	frame_system::Pallet::<T>::set_block_number(NOW.saturating_add(10).into());
	hotkey
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A first stake on a pool with a nominator: new share and index entries.
	#[benchmark]
	fn add_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), hotkey.clone(), 10 * MDT);

		assert!(Pallet::<T>::stake_of_coldkey(&hotkey, &coldkey) >= 10 * MDT - 1);
	}

	/// The last staker removing all of its stake while dividends are still to release: its
	/// share and index entries go, and the hotkey's owner gets the pool's shares for the
	/// dividends (owned shares, in the pool record).
	#[benchmark]
	fn remove_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		let nominator: T::AccountId = account("nominator", 0, 0);
		let all = Pallet::<T>::stake_of_coldkey(&hotkey, &nominator);

		#[extrinsic_call]
		_(RawOrigin::Signed(nominator.clone()), hotkey.clone(), all);

		assert_eq!(Pallet::<T>::stake_of_coldkey(&hotkey, &nominator), 0);
		let pool = Pools::<T>::get(&hotkey).expect("dividends still to release");
		assert!(pool.owned > 0 && pool.owned == pool.shares, "the owner holds them");
	}

	/// Moving all of a stake to a hotkey the coldkey had none on.
	#[benchmark]
	fn move_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let from = delegate::<T>(0, &coldkey);
		let to = delegate::<T>(1, &coldkey);
		Pallet::<T>::add_stake(RawOrigin::Signed(coldkey.clone()).into(), from.clone(), 10 * MDT)
			.expect("staked");
		let all = Pallet::<T>::stake_of_coldkey(&from, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), from, to.clone(), all);

		assert!(Pallet::<T>::stake_of_coldkey(&to, &coldkey) >= all - 1);
	}

	/// A decrease cancelling an announced increase.
	#[benchmark]
	fn decrease_take() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Takes::<T>::insert(&hotkey, Perbill::from_percent(1));
		PendingTakes::<T>::insert(&hotkey, (Perbill::from_percent(2), NOW.saturating_mul(2)));

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), Perbill::zero());

		assert_eq!(Pallet::<T>::take_of(&hotkey), Perbill::zero());
		assert!(!PendingTakes::<T>::contains_key(&hotkey));
	}

	/// An increase announced after an earlier one, once the interval has passed.
	#[benchmark]
	fn increase_take() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Takes::<T>::insert(&hotkey, Perbill::zero());
		LastTakeIncrease::<T>::insert(&hotkey, NOW);
		let later = NOW.saturating_add(T::TakeIncreaseInterval::get());
		frame_system::Pallet::<T>::set_block_number(later.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), T::DefaultTake::get());

		assert!(PendingTakes::<T>::contains_key(&hotkey));
	}

	/// A swapped hotkey with a pool, a take and a take increase to move.
	#[benchmark]
	fn on_hotkey_swapped() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Takes::<T>::insert(&hotkey, Perbill::zero());
		LastTakeIncrease::<T>::insert(&hotkey, NOW);
		PendingTakes::<T>::insert(&hotkey, (Perbill::from_percent(1), NOW));
		let new_hotkey: T::AccountId = account("new_hotkey", 0, 0);
		let pool = Pools::<T>::get(&hotkey);

		#[block]
		{
			Pallet::<T>::on_hotkey_swapped(&hotkey, &new_hotkey);
		}

		assert_eq!(Pools::<T>::get(&new_hotkey), pool);
		assert!(!Pools::<T>::contains_key(&hotkey));
	}

	/// A coldkey swap moving `p` positions (as many as staking and rewards can make) to a
	/// coldkey that had none.
	#[benchmark]
	fn on_coldkey_swapped(p: Linear<1, { T::MaxPositions::get().saturating_mul(2) }>) {
		let owner = funded::<T>("owner", 0);
		let old = funded::<T>("old", 0);
		for index in 0..p {
			let hotkey = delegate::<T>(index, &owner);
			Pallet::<T>::credit_stake(&hotkey, &old, 10 * MDT);
		}
		let new: T::AccountId = account("new", 0, 0);

		#[block]
		{
			Pallet::<T>::on_coldkey_swapped(&old, &new).expect("stake always moves");
		}

		assert_eq!(PositionCount::<T>::get(&new), p);
		assert_eq!(PositionCount::<T>::get(&old), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
