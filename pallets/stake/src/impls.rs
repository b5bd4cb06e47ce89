//! The stake calls' logic, the pool bookkeeping behind them and behind rewards, the views,
//! the interfaces other pallets use, and the storage invariants.

use crate::{
	Config, Error, Event, LastTakeIncrease, NextPoolId, Pallet, PendingTakes, PoolHotkeys, PoolId,
	Pools, PositionCount, Share, Shares, StakePool, StakedPools, TakeChange, Takes, TotalStake,
	WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	traits::{
		ColdkeySwapStatus, HotkeyOwnership, OnColdkeySwapped, OnHotkeySwapped, StakeInfo,
		StakeReward, StakeRewards,
	},
	Balance, BlockNumber, PageRequest,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible::Mutate, tokens::Preservation, Get},
		weights::Weight,
		PalletId,
	},
	frame_system,
	sp_runtime::{
		traits::{AccountIdConversion, UniqueSaturatedInto},
		DispatchError, DispatchResult, Perbill,
	},
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The account holding all stake, derived from [`Config::PalletId`].
	pub fn stake_account() -> T::AccountId {
		<T::PalletId as Get<PalletId>>::get().into_account_truncating()
	}

	/// `hotkey`'s pool brought to now (released dividends counted), if it has one.
	fn pool_now(hotkey: &T::AccountId) -> Option<StakePool> {
		Pools::<T>::get(hotkey).map(|pool| pool.at(Self::now(), T::HoldingPeriod::get()))
	}

	/// `hotkey`'s pool brought to now, or a new one with a fresh id. A `u64` id never runs
	/// out: each pool costs at least the minimum stake.
	fn pool_now_or_new(hotkey: &T::AccountId) -> StakePool {
		Self::pool_now(hotkey).unwrap_or_else(|| {
			let mut next = NextPoolId::<T>::get();
			let pool = Self::new_pool(&mut next);
			NextPoolId::<T>::put(next);
			pool
		})
	}

	/// A new, empty pool with id `next`, which moves on to the next id.
	fn new_pool(next: &mut PoolId) -> StakePool {
		let id = *next;
		*next = next.saturating_add(1);
		StakePool::new(id, Self::now(), T::HoldingPeriod::get())
	}

	/// Stores `pool` for `hotkey`, or forgets it once nothing is left in it.
	fn put_pool(hotkey: &T::AccountId, pool: StakePool) {
		if pool.total() == 0 && pool.shares == 0 {
			Pools::<T>::remove(hotkey);
			PoolHotkeys::<T>::remove(pool.id);
		} else {
			Pools::<T>::insert(hotkey, pool);
		}
	}

	/// Adds `bought` shares of pool `id` to `coldkey`'s.
	fn add_shares(id: crate::PoolId, coldkey: &T::AccountId, bought: Share) {
		if bought == 0 {
			return;
		}
		let held = Shares::<T>::get(id, coldkey);
		if held.is_none() {
			StakedPools::<T>::insert(coldkey, id, ());
			PositionCount::<T>::mutate(coldkey, |count| *count = count.saturating_add(1));
		}
		Shares::<T>::insert(id, coldkey, held.unwrap_or(0).saturating_add(bought));
	}

	/// Whether `coldkey` owns `hotkey`, and so the shares its pool keeps for its owner.
	fn owns(hotkey: &T::AccountId, coldkey: &T::AccountId) -> bool {
		T::HotkeyOwnership::owner(hotkey).as_ref() == Some(coldkey)
	}

	/// The shares `coldkey` has in `hotkey`'s `pool`: its entry, and the pool's owned
	/// shares if it owns the hotkey.
	fn shares_of(hotkey: &T::AccountId, pool: &StakePool, coldkey: &T::AccountId) -> Share {
		let entry = Shares::<T>::get(pool.id, coldkey).unwrap_or(0);
		if pool.owned > 0 && Self::owns(hotkey, coldkey) {
			entry.saturating_add(pool.owned)
		} else {
			entry
		}
	}

	/// The stake `coldkey` owns on `hotkey` now.
	pub fn stake_of_coldkey(hotkey: &T::AccountId, coldkey: &T::AccountId) -> Balance {
		Self::pool_now(hotkey)
			.map_or(0, |pool| pool.value_of(Self::shares_of(hotkey, &pool, coldkey)))
	}

	/// One page of the hotkeys holding stake, with their stake now, in storage order (by
	/// the hash of the hotkey).
	pub fn staked_hotkeys(page: &PageRequest<T::AccountId>) -> Vec<(T::AccountId, Balance)> {
		let now = Self::now();
		let pools = match &page.start_after {
			Some(last) => Pools::<T>::iter_from(Pools::<T>::hashed_key_for(last)),
			None => Pools::<T>::iter(),
		};
		pools.take(page.capped_limit()).map(|(hotkey, pool)| (hotkey, pool.value(now))).collect()
	}

	/// One page of the coldkeys staking on `hotkey`, with their stake now, in storage order
	/// (by the hash of the coldkey).
	pub fn nominators(
		hotkey: &T::AccountId,
		page: &PageRequest<T::AccountId>,
	) -> Vec<(T::AccountId, Balance)> {
		let Some(pool) = Self::pool_now(hotkey) else { return Vec::new() };
		let owner = T::HotkeyOwnership::owner(hotkey);
		let mut page_of = Vec::new();
		let shares = match &page.start_after {
			Some(last) => {
				Shares::<T>::iter_prefix_from(pool.id, Shares::<T>::hashed_key_for(pool.id, last))
			}
			None => {
				// An owner with only the pool's owned shares has no entry: it comes first.
				if let Some(owner) = owner
					.as_ref()
					.filter(|owner| pool.owned > 0 && !Shares::<T>::contains_key(pool.id, owner))
				{
					page_of.push((owner.clone(), pool.value_of(pool.owned)));
				}
				Shares::<T>::iter_prefix(pool.id)
			}
		};
		let limit = page.capped_limit().saturating_sub(page_of.len());
		page_of.extend(shares.take(limit).map(|(coldkey, mut shares)| {
			if owner.as_ref() == Some(&coldkey) {
				shares = shares.saturating_add(pool.owned);
			}
			(coldkey, pool.value_of(shares))
		}));
		page_of
	}

	/// One page of the pools `coldkey` stakes in: each pool's id, hotkey and the coldkey's
	/// stake there now, in storage order (by the hash of the pool id). The first page also
	/// holds, ahead of them, the pools of hotkeys it owns where its only stake is what they
	/// earned it (a pool's owned shares, which have no entry to page over).
	pub fn stakes_of_coldkey(
		coldkey: &T::AccountId,
		page: &PageRequest<PoolId>,
	) -> Vec<(PoolId, T::AccountId, Balance)> {
		let mut positions = Vec::new();
		let pools = match page.start_after {
			Some(last) => StakedPools::<T>::iter_key_prefix_from(
				coldkey,
				StakedPools::<T>::hashed_key_for(coldkey, last),
			),
			None => {
				for hotkey in T::HotkeyOwnership::owned_hotkeys(coldkey) {
					let Some(pool) = Self::pool_now(&hotkey) else { continue };
					if pool.owned > 0 && !Shares::<T>::contains_key(pool.id, coldkey) {
						positions.push((pool.id, hotkey, pool.value_of(pool.owned)));
					}
				}
				StakedPools::<T>::iter_key_prefix(coldkey)
			}
		};
		positions.extend(
			pools
				.take(page.capped_limit())
				.filter_map(|id| PoolHotkeys::<T>::get(id).map(|hotkey| (id, hotkey)))
				.map(|(id, hotkey)| {
					let stake = Self::stake_of_coldkey(&hotkey, coldkey);
					(id, hotkey, stake)
				}),
		);
		positions
	}

	/// The take `hotkey` keeps of its dividends now: an announced increase once it applies,
	/// else the take its owner set, else [`Config::DefaultTake`].
	pub fn take_of(hotkey: &T::AccountId) -> Perbill {
		match PendingTakes::<T>::get(hotkey) {
			Some((take, applies_at)) if Self::now() >= applies_at => take,
			_ => Takes::<T>::get(hotkey).unwrap_or_else(T::DefaultTake::get),
		}
	}

	/// Adds `amount` to `coldkey`'s stake on `hotkey`, buying shares at their value. Moves
	/// no MDT and leaves [`TotalStake`] to the caller.
	pub(crate) fn credit_stake(hotkey: &T::AccountId, coldkey: &T::AccountId, amount: Balance) {
		let mut pool = Self::pool_now_or_new(hotkey);
		let bought = pool.shares_bought(amount);
		if bought > 0 && !pool.has_entries() {
			// Its first share entry: the id must lead back to the hotkey from now on.
			PoolHotkeys::<T>::insert(pool.id, hotkey);
		}
		pool.stake = pool.stake.saturating_add(amount);
		pool.shares = pool.shares.saturating_add(bought);
		pool.note_stake();
		Self::put_pool(hotkey, pool);
		Self::add_shares(pool.id, coldkey, bought);
	}

	/// Takes up to `amount` of `coldkey`'s stake off `hotkey`: at least
	/// [`Config::MinStake`] or all of it, and all of it when less would remain. Returns what
	/// was taken; moves no MDT and leaves [`TotalStake`] to the caller.
	///
	/// The hotkey's owner sells the pool's owned shares first, then its entry's.
	///
	/// When the last shares leave a pool with dividends still to release, the pool's owner
	/// gets shares for all that is left (worth its released stake now, and the rest as it is
	/// released), so no dividends are stranded without stakers.
	fn debit_stake(
		hotkey: &T::AccountId,
		coldkey: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, Error<T>> {
		let mut pool = Self::pool_now(hotkey).ok_or(Error::<T>::InsufficientStake)?;
		let entry = Shares::<T>::get(pool.id, coldkey).unwrap_or(0);
		let owned = if pool.owned > 0 && Self::owns(hotkey, coldkey) { pool.owned } else { 0 };
		let held = entry.saturating_add(owned);
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
		pool.note_stake();
		let from_owned = sold.min(owned);
		pool.owned = pool.owned.saturating_sub(from_owned);
		let from_entry = sold.saturating_sub(from_owned);
		if from_entry > 0 {
			let left = entry.saturating_sub(from_entry);
			if left == 0 {
				Shares::<T>::remove(pool.id, coldkey);
				StakedPools::<T>::remove(coldkey, pool.id);
				Self::drop_position(coldkey);
				if !pool.has_entries() {
					// Its last share entry: nothing is kept by its id any more.
					PoolHotkeys::<T>::remove(pool.id);
				}
			} else {
				Shares::<T>::insert(pool.id, coldkey, left);
			}
		}
		if pool.shares == 0 && pool.unreleased > 0 {
			// Pools exist only on owned hotkeys (`try_state`): the owner takes it all.
			pool.shares = pool.total();
			pool.owned = pool.shares;
		}
		Self::put_pool(hotkey, pool);
		Ok(amount)
	}

	/// One position of `coldkey` fewer.
	fn drop_position(coldkey: &T::AccountId) {
		PositionCount::<T>::mutate_exists(coldkey, |count| {
			*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
	}

	/// `coldkey` may stake on `hotkey`: it already does, or it has room for a position.
	fn ensure_room(hotkey: &T::AccountId, coldkey: &T::AccountId) -> Result<(), Error<T>> {
		let staked = Pools::<T>::get(hotkey)
			.is_some_and(|pool| StakedPools::<T>::contains_key(coldkey, pool.id));
		ensure!(
			staked || PositionCount::<T>::get(coldkey) < T::MaxPositions::get(),
			Error::<T>::TooManyPositions
		);
		Ok(())
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
		Self::ensure_room(&hotkey, &coldkey)?;
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
		ensure!(!T::ColdkeySwaps::is_swap_pending(&coldkey), Error::<T>::ColdkeySwapPending);
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
		Self::ensure_room(&to_hotkey, &coldkey)?;
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
			TakeChange::Decrease => {
				ensure!(take < current, Error::<T>::TakeNotLower);
				PendingTakes::<T>::remove(&hotkey);
				Takes::<T>::insert(&hotkey, take);
				Self::deposit_event(Event::TakeSet { hotkey, take });
			}
			TakeChange::Increase => {
				ensure!(take > current, Error::<T>::TakeNotHigher);
				ensure!(take <= T::DefaultTake::get(), Error::<T>::TakeTooHigh);
				let now = Self::now();
				if let Some(last) = LastTakeIncrease::<T>::get(&hotkey) {
					let next = last.saturating_add(T::TakeIncreaseInterval::get());
					ensure!(now >= next, Error::<T>::TakeIncreaseRateLimited);
				}
				// An earlier increase has applied by now (the interval exceeds the delay).
				Takes::<T>::insert(&hotkey, current);
				let applies_at = now.saturating_add(T::TakeIncreaseDelay::get());
				PendingTakes::<T>::insert(&hotkey, (take, applies_at));
				LastTakeIncrease::<T>::insert(&hotkey, now);
				Self::deposit_event(Event::TakeIncreaseAnnounced { hotkey, take, applies_at });
			}
		}
		Ok(())
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

	/// Storage invariants: stake adds up, and the stake account holds it all. Always built,
	/// so the tests of the pallets paying stake check them too.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::frame_support::traits::fungible::Inspect;

		let mut total = 0u128;
		let mut with_entries = 0usize;
		for (hotkey, pool) in Pools::<T>::iter() {
			// So a hotkey swap, which only goes to an unowned hotkey, never meets a pool.
			ensure!(T::HotkeyOwnership::owner(&hotkey).is_some(), "a pool on an unowned hotkey");
			let shares: u128 = Shares::<T>::iter_prefix_values(pool.id).sum();
			ensure!(
				shares.checked_add(pool.owned) == Some(pool.shares),
				"a pool's shares are not its stakers' and its owner's shares"
			);
			ensure!(
				pool.unreleased == 0 || pool.shares > 0,
				"dividends to release in a pool nobody stakes in"
			);
			// Only share entries are kept by id: only a pool with some needs the way back.
			let way_back = PoolHotkeys::<T>::get(pool.id);
			ensure!(
				way_back.as_ref() == pool.has_entries().then_some(&hotkey),
				"a pool's id does not lead back to its hotkey, or only it has share entries"
			);
			if way_back.is_some() {
				with_entries = with_entries.saturating_add(1);
			}
			ensure!(pool.id < NextPoolId::<T>::get(), "a pool id that was never handed out");
			total = total.saturating_add(pool.total());
		}
		ensure!(total == TotalStake::<T>::get(), "pools do not add up to the total stake");
		ensure!(
			PoolHotkeys::<T>::iter().count() == with_entries,
			"a pool id kept for a pool that is gone"
		);
		for (id, coldkey, shares) in Shares::<T>::iter() {
			ensure!(shares > 0, "an empty share entry is kept");
			ensure!(PoolHotkeys::<T>::contains_key(id), "shares of a missing pool");
			ensure!(
				StakedPools::<T>::contains_key(&coldkey, id),
				"shares missing from the coldkey index"
			);
		}
		let mut positions = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (coldkey, id, ()) in StakedPools::<T>::iter() {
			ensure!(Shares::<T>::contains_key(id, &coldkey), "an index entry without shares");
			let count = positions.entry(coldkey).or_default();
			*count = count.saturating_add(1);
		}
		ensure!(
			PositionCount::<T>::iter().collect::<alloc::collections::BTreeMap<_, _>>() == positions,
			"position counts do not match the coldkey index"
		);
		for (hotkey, (take, _)) in PendingTakes::<T>::iter() {
			ensure!(take <= T::DefaultTake::get(), "an announced take above the highest");
			ensure!(
				LastTakeIncrease::<T>::contains_key(&hotkey),
				"an announced take without its announcement block"
			);
		}
		// Anyone may transfer into the stake account: it holds at least the stake.
		let held = T::Currency::total_balance(&Self::stake_account());
		let deposit = T::Currency::minimum_balance();
		ensure!(
			held >= total.saturating_add(deposit),
			"the stake account holds less than the stake and its deposit"
		);
		Ok(())
	}
}

impl<T: Config> StakeInfo<T::AccountId> for Pallet<T> {
	fn stake_of(hotkey: &T::AccountId) -> Balance {
		Pools::<T>::get(hotkey).map_or(0, |pool| pool.value(Self::now()))
	}

	fn held_stake_of(hotkey: &T::AccountId) -> Balance {
		Pools::<T>::get(hotkey).map_or(0, |pool| pool.held(Self::now(), T::HoldingPeriod::get()))
	}
}

impl<T: Config> StakeRewards<T::AccountId> for Pallet<T> {
	fn stake_account() -> T::AccountId {
		Self::stake_account()
	}

	/// Each reward is one read and one write of the hotkey's pool: the owner's part buys the
	/// pool's owned shares, the dividends' rest waits to be released to everyone staking.
	fn reward(rewards: Vec<StakeReward<T::AccountId>>) {
		let now = Self::now();
		let mut paid: Balance = 0;
		// New pools (a miner's first earnings) take ids from one read and write of the counter;
		// with no share entries yet, they need no `PoolHotkeys` entry either.
		let mut next_id = None;
		for StakeReward { hotkey, stake, dividends, release_over } in rewards {
			if stake == 0 && dividends == 0 {
				continue;
			}
			let mut pool = Self::pool_now(&hotkey).unwrap_or_else(|| {
				Self::new_pool(next_id.get_or_insert_with(NextPoolId::<T>::get))
			});
			let take = if dividends > 0 { Self::take_of(&hotkey).mul_floor(dividends) } else { 0 };
			let mut for_owner = stake.saturating_add(take);
			let shared = dividends.saturating_sub(take);
			if pool.shares > 0 {
				if shared > 0 {
					pool.add_dividends(shared, now, release_over);
				}
			} else {
				// Nobody to share them with: the owner is everyone staking.
				for_owner = for_owner.saturating_add(shared);
			}
			if for_owner > 0 {
				pool.stake_for_owner(for_owner);
			}
			Self::put_pool(&hotkey, pool);
			paid = paid.saturating_add(stake).saturating_add(dividends);
		}
		if let Some(next) = next_id {
			NextPoolId::<T>::put(next);
		}
		TotalStake::<T>::mutate(|total| *total = total.saturating_add(paid));
	}
}

impl<T: Config> OnColdkeySwapped<T::AccountId> for Pallet<T> {
	/// Every position of `old` becomes `new`'s; where both stake on a hotkey, the shares add
	/// up. Nothing is bought or sold: each pool keeps its stake and shares. The shares pools
	/// keep for their owner follow the hotkeys, whose ownership the swap moves.
	fn on_coldkey_swapped(old: &T::AccountId, new: &T::AccountId) -> Result<Weight, DispatchError> {
		let pools: Vec<PoolId> = StakedPools::<T>::iter_key_prefix(old).collect();
		for &id in &pools {
			let shares = Shares::<T>::take(id, old).unwrap_or(0);
			StakedPools::<T>::remove(old, id);
			Self::add_shares(id, new, shares);
		}
		PositionCount::<T>::remove(old);
		Ok(T::WeightInfo::on_coldkey_swapped(u32::try_from(pools.len()).unwrap_or(u32::MAX)))
	}

	/// Positions from `add_stake`/`move_stake`, and as many from rewards on owned hotkeys.
	fn max_weight() -> Weight {
		T::WeightInfo::on_coldkey_swapped(T::MaxPositions::get().saturating_mul(2))
	}
}

impl<T: Config> OnHotkeySwapped<T::AccountId> for Pallet<T> {
	/// Everyone's stake on `old`, and its take (announced increases included), follow it to
	/// `new`. Registration only swaps
	/// to an unowned hotkey, and stake needs an owned one, so `new` holds none of these.
	fn on_hotkey_swapped(old: &T::AccountId, new: &T::AccountId) -> Weight {
		if let Some(pool) = Pools::<T>::take(old) {
			if pool.has_entries() {
				PoolHotkeys::<T>::insert(pool.id, new);
			}
			Pools::<T>::insert(new, pool);
		}
		if let Some(take) = Takes::<T>::take(old) {
			Takes::<T>::insert(new, take);
		}
		if let Some(block) = LastTakeIncrease::<T>::take(old) {
			LastTakeIncrease::<T>::insert(new, block);
		}
		if let Some(pending) = PendingTakes::<T>::take(old) {
			PendingTakes::<T>::insert(new, pending);
		}
		T::WeightInfo::on_hotkey_swapped()
	}

	fn max_weight() -> Weight {
		T::WeightInfo::on_hotkey_swapped()
	}
}
