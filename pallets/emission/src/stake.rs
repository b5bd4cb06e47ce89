//! Stake: share-pool arithmetic, and the stake calls' logic.

use crate::{
	Config, Error, Event, LastTakeIncrease, NextPoolId, Pallet, PoolHotkeys, Pools, Share, Shares,
	StakePool, StakedPools, TakeChange, Takes, TotalStake,
};
use alloc::vec::Vec;
use luxtensor_primitives::{traits::HotkeyOwnership, Balance};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible::Mutate, tokens::Preservation, Get},
	},
	sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding, DispatchResult, Perbill, Rounding,
	},
};

impl StakePool {
	/// What `shares` of this pool are worth.
	pub fn value_of(&self, shares: Share) -> Balance {
		convert(shares, self.stake, self.shares, Rounding::Down)
	}

	/// The shares `amount` buys (rounded down: the pool keeps the rest).
	pub fn shares_bought(&self, amount: Balance) -> Share {
		convert(amount, self.shares, self.stake, Rounding::Down)
	}

	/// The shares to give up for `amount` (rounded up: the pool never pays out more).
	pub fn shares_sold(&self, amount: Balance) -> Share {
		convert(amount, self.shares, self.stake, Rounding::Up)
	}
}

/// `x · (numerator + 1) / (denominator + 1)`. Stake stays below the supply cap and shares
/// below stake (a share is worth at least 1), so this never overflows.
fn convert(x: u128, numerator: u128, denominator: u128, rounding: Rounding) -> u128 {
	multiply_by_rational_with_rounding(
		x,
		numerator.saturating_add(1),
		denominator.saturating_add(1),
		rounding,
	)
	.unwrap_or(0)
}

impl<T: Config> Pallet<T> {
	/// The stake `coldkey` owns on `hotkey`.
	pub fn stake_of_coldkey(hotkey: &T::AccountId, coldkey: &T::AccountId) -> Balance {
		Pools::<T>::get(hotkey)
			.map_or(0, |pool| pool.value_of(Shares::<T>::get(pool.id, coldkey).unwrap_or(0)))
	}

	/// Every hotkey holding stake, with its stake (in no particular order).
	pub fn staked_hotkeys() -> Vec<(T::AccountId, Balance)> {
		Pools::<T>::iter().map(|(hotkey, pool)| (hotkey, pool.stake)).collect()
	}

	/// Each coldkey staking on `hotkey` and its stake, most stake first.
	pub fn nominators(hotkey: &T::AccountId) -> Vec<(T::AccountId, Balance)> {
		let Some(pool) = Pools::<T>::get(hotkey) else { return Vec::new() };
		let mut nominators: Vec<_> = Shares::<T>::iter_prefix(pool.id)
			.map(|(coldkey, shares)| (coldkey, pool.value_of(shares)))
			.collect();
		nominators.sort_by_key(|(_, stake)| core::cmp::Reverse(*stake));
		nominators
	}

	/// Each hotkey `coldkey` stakes on and its stake there, most stake first.
	pub fn stakes_of_coldkey(coldkey: &T::AccountId) -> Vec<(T::AccountId, Balance)> {
		let mut stakes: Vec<_> = StakedPools::<T>::iter_key_prefix(coldkey)
			.filter_map(PoolHotkeys::<T>::get)
			.map(|hotkey| {
				let stake = Self::stake_of_coldkey(&hotkey, coldkey);
				(hotkey, stake)
			})
			.collect();
		stakes.sort_by_key(|(_, stake)| core::cmp::Reverse(*stake));
		stakes
	}

	/// The take `hotkey` keeps of its dividends.
	pub fn take_of(hotkey: &T::AccountId) -> Perbill {
		Takes::<T>::get(hotkey).unwrap_or_else(T::DefaultTake::get)
	}

	/// Adds `amount` to `coldkey`'s stake on `hotkey`, buying shares at their value. Moves
	/// no MDT and leaves [`TotalStake`] to the caller (payouts add to it once per epoch).
	pub(crate) fn credit_stake(hotkey: &T::AccountId, coldkey: &T::AccountId, amount: Balance) {
		let mut pool = Pools::<T>::get(hotkey).unwrap_or_else(|| Self::new_pool(hotkey));
		let bought = pool.shares_bought(amount);
		pool.stake = pool.stake.saturating_add(amount);
		pool.shares = pool.shares.saturating_add(bought);
		Pools::<T>::insert(hotkey, pool);
		if bought > 0 {
			let held = Shares::<T>::get(pool.id, coldkey);
			if held.is_none() {
				StakedPools::<T>::insert(coldkey, pool.id, ());
			}
			Shares::<T>::insert(pool.id, coldkey, held.unwrap_or(0).saturating_add(bought));
		}
	}

	/// An empty pool for `hotkey` with a fresh id. A `u64` id never runs out: each pool
	/// costs at least the minimum stake.
	fn new_pool(hotkey: &T::AccountId) -> StakePool {
		let id = NextPoolId::<T>::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		});
		PoolHotkeys::<T>::insert(id, hotkey);
		StakePool { id, stake: 0, shares: 0 }
	}

	/// Pays `amount` into `hotkey`'s pool, raising every share's value; with no shares to
	/// raise, it is staked for `owner` instead. Leaves [`TotalStake`] to the caller.
	pub(crate) fn grow_pool(hotkey: &T::AccountId, owner: &T::AccountId, amount: Balance) {
		match Pools::<T>::get(hotkey) {
			Some(mut pool) if pool.shares > 0 => {
				pool.stake = pool.stake.saturating_add(amount);
				Pools::<T>::insert(hotkey, pool);
			}
			_ => Self::credit_stake(hotkey, owner, amount),
		}
	}

	/// Takes up to `amount` of `coldkey`'s stake off `hotkey`: at least
	/// [`Config::MinStake`] or all of it, and all of it when less would remain. Returns what
	/// was taken; moves no MDT and leaves [`TotalStake`] to the caller.
	pub(crate) fn debit_stake(
		hotkey: &T::AccountId,
		coldkey: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, Error<T>> {
		let mut pool = Pools::<T>::get(hotkey).ok_or(Error::<T>::InsufficientStake)?;
		let held = Shares::<T>::get(pool.id, coldkey).unwrap_or(0);
		let value = pool.value_of(held);
		ensure!(amount <= value && value > 0, Error::<T>::InsufficientStake);
		let min_stake = T::MinStake::get();
		ensure!(amount >= min_stake || amount == value, Error::<T>::AmountBelowMinimum);
		let (amount, sold) = if value.saturating_sub(amount) < min_stake {
			(value, held)
		} else {
			(amount, pool.shares_sold(amount).min(held))
		};
		pool.stake = pool.stake.saturating_sub(amount);
		pool.shares = pool.shares.saturating_sub(sold);
		if pool.stake == 0 && pool.shares == 0 {
			Pools::<T>::remove(hotkey);
			PoolHotkeys::<T>::remove(pool.id);
		} else {
			Pools::<T>::insert(hotkey, pool);
		}
		let left = held.saturating_sub(sold);
		if left == 0 {
			Shares::<T>::remove(pool.id, coldkey);
			StakedPools::<T>::remove(coldkey, pool.id);
		} else {
			Shares::<T>::insert(pool.id, coldkey, left);
		}
		Ok(amount)
	}

	fn ensure_owned(hotkey: &T::AccountId) -> Result<T::AccountId, Error<T>> {
		T::HotkeyOwnership::owner(hotkey).ok_or(Error::<T>::HotkeyNotRegistered)
	}

	pub(crate) fn do_add_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount >= T::MinStake::get(), Error::<T>::AmountBelowMinimum);
		Self::ensure_owned(&hotkey)?;
		T::Currency::transfer(&coldkey, &Self::stake_account(), amount, Preservation::Preserve)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Self::credit_stake(&hotkey, &coldkey, amount);
		TotalStake::<T>::mutate(|total| *total = total.saturating_add(amount));
		Self::deposit_event(Event::StakeAdded { coldkey, hotkey, amount });
		Ok(())
	}

	pub(crate) fn do_remove_stake(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let amount = Self::debit_stake(&hotkey, &coldkey, amount)?;
		// The stake account holds all stake plus its own existential deposit.
		T::Currency::transfer(&Self::stake_account(), &coldkey, amount, Preservation::Preserve)?;
		TotalStake::<T>::mutate(|total| *total = total.saturating_sub(amount));
		Self::deposit_event(Event::StakeRemoved { coldkey, hotkey, amount });
		Ok(())
	}

	pub(crate) fn do_move_stake(
		coldkey: T::AccountId,
		from_hotkey: T::AccountId,
		to_hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(from_hotkey != to_hotkey, Error::<T>::SameHotkey);
		Self::ensure_owned(&to_hotkey)?;
		let amount = Self::debit_stake(&from_hotkey, &coldkey, amount)?;
		Self::credit_stake(&to_hotkey, &coldkey, amount);
		Self::deposit_event(Event::StakeMoved { coldkey, from_hotkey, to_hotkey, amount });
		Ok(())
	}

	pub(crate) fn do_set_take(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		take: Perbill,
		change: TakeChange,
	) -> DispatchResult {
		ensure!(
			T::HotkeyOwnership::owner(&hotkey).as_ref() == Some(&coldkey),
			Error::<T>::NotHotkeyOwner
		);
		let current = Self::take_of(&hotkey);
		match change {
			TakeChange::Decrease => ensure!(take < current, Error::<T>::TakeNotLower),
			TakeChange::Increase => {
				ensure!(take > current, Error::<T>::TakeNotHigher);
				ensure!(take <= T::DefaultTake::get(), Error::<T>::TakeTooHigh);
				let now = Self::now();
				if let Some(last) = LastTakeIncrease::<T>::get(&hotkey) {
					let next = last.saturating_add(T::TakeIncreaseInterval::get());
					ensure!(now >= next, Error::<T>::TakeIncreaseRateLimited);
				}
				LastTakeIncrease::<T>::insert(&hotkey, now);
			}
		}
		Takes::<T>::insert(&hotkey, take);
		Self::deposit_event(Event::TakeSet { hotkey, take });
		Ok(())
	}

	/// Moves `old`'s pool (its stake and every staker's shares), take and take-increase
	/// record to `new`. Registration only swaps to an unowned hotkey, and stake needs an
	/// owned one, so `new` holds none of these.
	pub(crate) fn move_hotkey_stake(old: &T::AccountId, new: &T::AccountId) {
		if let Some(pool) = Pools::<T>::take(old) {
			PoolHotkeys::<T>::insert(pool.id, new);
			Pools::<T>::insert(new, pool);
		}
		if let Some(take) = Takes::<T>::take(old) {
			Takes::<T>::insert(new, take);
		}
		if let Some(block) = LastTakeIncrease::<T>::take(old) {
			LastTakeIncrease::<T>::insert(new, block);
		}
	}

	/// Gives the stake account its existential deposit if it lacks one.
	pub(crate) fn endow_stake_account() {
		use polkadot_sdk::frame_support::traits::fungible::Inspect;
		let account = Self::stake_account();
		let deposit = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&account);
		if balance < deposit {
			// Minting up to the existential deposit cannot fail below the supply cap.
			let _ = T::Currency::mint_into(&account, deposit.saturating_sub(balance));
		}
	}
}
