//! The subnets pallet's logic: lock cost, creation, dissolution, hyperparameter updates,
//! the `SubnetsInfo` interface and the storage invariants.

use crate::{
	bounds, Authority, ClearingSubnets, Config, Error, Event, HoldReason, Hyperparameters,
	LastNetworkLock, NetworkLock, Networks, Pallet, RootWeights, SubnetCount, SubnetIdentities,
	SubnetRecord,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	subnets::{HyperparametersUpdate, NetUid, SubnetHyperparameters, Uid, ROOT_NETUID},
	traits::{
		HotkeyOwnership, Neurons, OnColdkeySwapped, OnHotkeySwapped, OnNeuronRegistered,
		OnSubnetDissolved, OnSubnetScheduled, RootWeights as RootWeightsOf, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{InspectHold, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
			EnsureOrigin, Get,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{One, Saturating, UniqueSaturatedInto},
		DispatchError, DispatchResult, FixedU128, Perbill, Rounding,
	},
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The root network's defaults: as many members as validators, 64.
	pub(crate) fn root_defaults() -> SubnetHyperparameters {
		SubnetHyperparameters {
			max_allowed_uids: 64,
			max_allowed_validators: 64,
			..Default::default()
		}
	}

	/// `None` for [`Config::AdminOrigin`], the signer otherwise; any other origin fails.
	pub(crate) fn admin_or_signed(
		origin: T::RuntimeOrigin,
	) -> Result<Option<T::AccountId>, DispatchError> {
		match T::AdminOrigin::try_origin(origin) {
			Ok(_) => Ok(None),
			Err(origin) => Ok(Some(frame_system::ensure_signed(origin)?)),
		}
	}

	/// Fails unless `who` owns the subnet (the root network has no owner).
	pub(crate) fn ensure_owner(netuid: NetUid, who: &T::AccountId) -> DispatchResult {
		let record = Networks::<T>::get(netuid).ok_or_else(|| {
			if Hyperparameters::<T>::contains_key(netuid) {
				Error::<T>::NotSubnetOwner
			} else {
				Error::<T>::SubnetNotFound
			}
		})?;
		ensure!(record.owner == *who, Error::<T>::NotSubnetOwner);
		Ok(())
	}

	/// What creating a subnet locks now: twice the last lock, decaying linearly to nothing
	/// over `LockReductionInterval` blocks, and never below `NetworkMinLockCost`.
	pub fn network_lock_cost() -> Balance {
		let min = T::NetworkMinLockCost::get();
		let Some(last) = LastNetworkLock::<T>::get() else { return min };
		let doubled = last.amount.saturating_mul(2);
		let elapsed = Self::now().saturating_sub(last.block);
		let interval = T::LockReductionInterval::get().max(1);
		let decay = if elapsed >= interval {
			doubled
		} else {
			multiply_by_rational_with_rounding(
				doubled,
				elapsed.into(),
				interval.into(),
				Rounding::Down,
			)
			.unwrap_or(doubled)
		};
		doubled.saturating_sub(decay).max(min)
	}

	/// The lowest netuid under the limit neither in use nor still being cleared after a
	/// dissolution, if any is left.
	fn next_free_netuid() -> Option<NetUid> {
		(1..=T::SubnetLimit::get()).find(|netuid| {
			!Hyperparameters::<T>::contains_key(netuid)
				&& !ClearingSubnets::<T>::contains_key(netuid)
		})
	}

	/// Lets the other pallets remove up to `SubnetClearLimit` of each per-uid map of one
	/// dissolved subnet (the first in storage order); returns the weight used.
	pub(crate) fn clear_dissolved_subnet() -> Weight {
		let read = T::DbWeight::get().reads(1);
		let Some(netuid) = ClearingSubnets::<T>::iter_keys().next() else { return read };
		let (used, done) = T::OnSubnetDissolved::clear_subnet(netuid, T::SubnetClearLimit::get());
		if done {
			ClearingSubnets::<T>::remove(netuid);
			Self::deposit_event(Event::SubnetCleared { netuid });
		}
		used.saturating_add(read).saturating_add(T::DbWeight::get().writes(1))
	}

	pub(crate) fn do_register_network(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		max_lock: Balance,
	) -> Result<NetUid, DispatchError> {
		let now = Self::now();
		ensure!(SubnetCount::<T>::get() < T::SubnetLimit::get(), Error::<T>::SubnetLimitReached);
		if let Some(last) = LastNetworkLock::<T>::get() {
			ensure!(
				now >= last.block.saturating_add(T::NetworkRateLimit::get()),
				Error::<T>::NetworkRateLimited
			);
		}
		let netuid = Self::next_free_netuid().ok_or(Error::<T>::SubnetLimitReached)?;
		let lock = Self::network_lock_cost();
		ensure!(lock <= max_lock, Error::<T>::LockAboveMax);
		let reason = HoldReason::SubnetLock.into();
		ensure!(
			T::Currency::can_hold(&reason, &coldkey, lock),
			Error::<T>::InsufficientBalanceForLock
		);
		T::HotkeyOwnership::claim(&hotkey, &coldkey)
			.map_err(|_| Error::<T>::HotkeyOwnedByAnotherColdkey)?;
		T::Currency::hold(&reason, &coldkey, lock)?;

		Networks::<T>::insert(
			netuid,
			SubnetRecord {
				owner: coldkey.clone(),
				owner_hotkey: hotkey.clone(),
				lock,
				registered_at: now,
			},
		);
		let hyperparameters = SubnetHyperparameters::default();
		T::OnSubnetScheduled::on_subnet_registered(netuid, hyperparameters.tempo);
		Hyperparameters::<T>::insert(netuid, hyperparameters);
		SubnetCount::<T>::mutate(|count| count.saturating_inc());
		LastNetworkLock::<T>::put(NetworkLock { amount: lock, block: now });
		Self::deposit_event(Event::NetworkRegistered {
			netuid,
			owner: coldkey,
			owner_hotkey: hotkey,
			lock,
		});
		Ok(netuid)
	}

	/// Dissolves the subnet for `caller` (`None`: root); returns the weight of the hooks.
	pub(crate) fn do_dissolve_network(
		netuid: NetUid,
		caller: Option<&T::AccountId>,
	) -> Result<Weight, DispatchError> {
		ensure!(netuid != ROOT_NETUID, Error::<T>::CannotDissolveRootNetwork);
		let record = Networks::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		if let Some(who) = caller {
			ensure!(record.owner == *who, Error::<T>::NotSubnetOwner);
		}

		let hooks_weight = T::OnSubnetDissolved::on_subnet_dissolved(netuid);
		ClearingSubnets::<T>::insert(netuid, ());
		Self::forget_root_weights_on(netuid);
		Networks::<T>::remove(netuid);
		Hyperparameters::<T>::remove(netuid);
		SubnetIdentities::<T>::remove(netuid);
		SubnetCount::<T>::mutate(|count| count.saturating_dec());
		// Only an owner's own choice forfeits; root may dissolve a subnet for its own reasons.
		let forfeit = if caller.is_some() { Self::lock_forfeit(&record) } else { 0 };
		let forfeited = T::Currency::burn_held(
			&HoldReason::SubnetLock.into(),
			&record.owner,
			forfeit,
			Precision::BestEffort,
			Fortitude::Force,
		)?;
		let released = T::Currency::release(
			&HoldReason::SubnetLock.into(),
			&record.owner,
			record.lock.saturating_sub(forfeited),
			Precision::BestEffort,
		)?;
		Self::deposit_event(Event::NetworkDissolved {
			netuid,
			owner: record.owner,
			lock: released,
			forfeited,
		});
		Ok(hooks_weight)
	}

	/// What an owner dissolving its subnet forfeits of the lock: half of it at creation,
	/// falling linearly to nothing over `LockReductionInterval` blocks, as the raise its
	/// creation put on the next creator's lock decays. Creating subnets only to raise the
	/// price for others and dissolving them again is not free.
	pub(crate) fn lock_forfeit(record: &SubnetRecord<T::AccountId>) -> Balance {
		let interval = T::LockReductionInterval::get().max(1);
		let left = record.registered_at.saturating_add(interval).saturating_sub(Self::now());
		multiply_by_rational_with_rounding(
			record.lock / 2,
			left.min(interval).into(),
			interval.into(),
			Rounding::Down,
		)
		.unwrap_or(0)
	}

	/// The most root weight rows there can be: one per root member. What dissolving a
	/// subnet visits.
	pub(crate) fn root_weight_rows() -> u32 {
		T::Neurons::neuron_count(ROOT_NETUID).into()
	}

	/// Takes `netuid` out of every root member's weights (a row left empty goes).
	fn forget_root_weights_on(netuid: NetUid) {
		let rows: Vec<_> = RootWeights::<T>::iter()
			.filter(|(_, row)| row.iter().any(|(n, _)| *n == netuid))
			.collect();
		for (uid, mut row) in rows {
			row.retain(|(n, _)| *n != netuid);
			if row.is_empty() {
				RootWeights::<T>::remove(uid);
			} else {
				RootWeights::<T>::insert(uid, row);
			}
		}
	}

	pub(crate) fn do_set_hyperparameters(
		netuid: NetUid,
		caller: Option<&T::AccountId>,
		update: HyperparametersUpdate,
	) -> DispatchResult {
		let current = Hyperparameters::<T>::get(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		let authority = match caller {
			None => Authority::Root,
			Some(who) => {
				ensure!(netuid != ROOT_NETUID, Error::<T>::RequiresRoot);
				Self::ensure_owner(netuid, who)?;
				Authority::Owner
			}
		};
		ensure!(update != HyperparametersUpdate::default(), Error::<T>::EmptyUpdate);
		let tempo = current.tempo;
		let hyperparameters =
			Self::apply_update(current, update, authority, T::Neurons::neuron_count(netuid))?;
		if hyperparameters.tempo != tempo {
			T::OnSubnetScheduled::on_tempo_set(netuid, hyperparameters.tempo);
		}
		Hyperparameters::<T>::insert(netuid, hyperparameters.clone());
		Self::deposit_event(Event::HyperparametersSet { netuid, hyperparameters });
		Ok(())
	}

	/// The hyperparameters after `update` by `authority`, or the error naming the first
	/// field that is not the caller's to set or out of bounds.
	pub(crate) fn apply_update(
		current: SubnetHyperparameters,
		update: HyperparametersUpdate,
		authority: Authority,
		neuron_count: u16,
	) -> Result<SubnetHyperparameters, Error<T>> {
		// Destructured so that a new field cannot be forgotten here.
		let HyperparametersUpdate {
			tempo,
			max_allowed_uids,
			max_allowed_validators,
			immunity_period,
			activity_cutoff,
			min_allowed_weights,
			max_weight_limit,
			weights_rate_limit,
			weights_version_key,
			commit_reveal_enabled,
			commit_reveal_period,
			kappa,
			bonds_moving_average,
			min_burn,
			max_burn,
			burn_half_life,
			burn_increase_mult,
			registration_allowed,
			serving_rate_limit,
			min_stake_to_set_weights,
			owner_cut,
			compute_incentive_share,
		} = update;

		if authority == Authority::Owner {
			let sets_root_field = tempo.is_some()
				|| max_allowed_validators.is_some()
				|| kappa.is_some()
				|| min_stake_to_set_weights.is_some()
				|| owner_cut.is_some()
				|| compute_incentive_share.is_some();
			let raises_uids = max_allowed_uids.is_some_and(|uids| uids > current.max_allowed_uids);
			ensure!(!sets_root_field && !raises_uids, Error::<T>::RequiresRoot);
			ensure!(
				min_burn.is_none_or(|burn| burn >= T::OwnerMinBurnFloor::get()),
				Error::<T>::MinBurnOutOfBounds
			);
			ensure!(
				max_burn.is_none_or(|burn| burn <= T::OwnerMaxBurnCeiling::get()),
				Error::<T>::MaxBurnOutOfBounds
			);
		}

		let mut updated = current;
		fn set<V>(field: &mut V, value: Option<V>) {
			if let Some(value) = value {
				*field = value;
			}
		}
		set(&mut updated.tempo, tempo);
		set(&mut updated.max_allowed_uids, max_allowed_uids);
		set(&mut updated.max_allowed_validators, max_allowed_validators);
		set(&mut updated.immunity_period, immunity_period);
		set(&mut updated.activity_cutoff, activity_cutoff);
		set(&mut updated.min_allowed_weights, min_allowed_weights);
		set(&mut updated.max_weight_limit, max_weight_limit);
		set(&mut updated.weights_rate_limit, weights_rate_limit);
		set(&mut updated.weights_version_key, weights_version_key);
		set(&mut updated.commit_reveal_enabled, commit_reveal_enabled);
		set(&mut updated.commit_reveal_period, commit_reveal_period);
		set(&mut updated.kappa, kappa);
		set(&mut updated.bonds_moving_average, bonds_moving_average);
		set(&mut updated.min_burn, min_burn);
		set(&mut updated.max_burn, max_burn);
		set(&mut updated.burn_half_life, burn_half_life);
		set(&mut updated.burn_increase_mult, burn_increase_mult);
		set(&mut updated.registration_allowed, registration_allowed);
		set(&mut updated.serving_rate_limit, serving_rate_limit);
		set(&mut updated.min_stake_to_set_weights, min_stake_to_set_weights);
		set(&mut updated.owner_cut, owner_cut);
		set(&mut updated.compute_incentive_share, compute_incentive_share);

		// A new max_burn alone that is not above min_burn is max_burn's fault.
		if max_burn.is_some() && min_burn.is_none() {
			ensure!(updated.max_burn > updated.min_burn, Error::<T>::MaxBurnOutOfBounds);
		}
		Self::check_bounds(&updated, neuron_count)?;
		Ok(updated)
	}

	/// Every bound a subnet's hyperparameters must keep, whoever set them.
	pub(crate) fn check_bounds(
		params: &SubnetHyperparameters,
		neuron_count: u16,
	) -> Result<(), Error<T>> {
		fn within<V: PartialOrd>(value: V, (low, high): (V, V)) -> bool {
			low <= value && value <= high
		}
		ensure!(within(params.tempo, bounds::TEMPO), Error::<T>::TempoOutOfBounds);
		ensure!(
			within(params.max_allowed_uids, bounds::MAX_ALLOWED_UIDS)
				&& params.max_allowed_uids >= neuron_count,
			Error::<T>::MaxAllowedUidsOutOfBounds
		);
		ensure!(
			within(
				params.max_allowed_validators,
				(1, params.max_allowed_uids.min(bounds::MAX_ALLOWED_VALIDATORS))
			),
			Error::<T>::MaxAllowedValidatorsOutOfBounds
		);
		ensure!(
			params.immunity_period <= bounds::MAX_IMMUNITY_PERIOD,
			Error::<T>::ImmunityPeriodOutOfBounds
		);
		ensure!(
			within(params.activity_cutoff, (params.tempo.into(), bounds::MAX_ACTIVITY_CUTOFF)),
			Error::<T>::ActivityCutoffOutOfBounds
		);
		ensure!(
			params.min_allowed_weights <= params.max_allowed_uids,
			Error::<T>::MinAllowedWeightsOutOfBounds
		);
		ensure!(params.max_weight_limit >= 1, Error::<T>::MaxWeightLimitOutOfBounds);
		ensure!(
			within(params.weights_rate_limit, bounds::WEIGHTS_RATE_LIMIT),
			Error::<T>::WeightsRateLimitOutOfBounds
		);
		ensure!(
			within(params.commit_reveal_period, bounds::COMMIT_REVEAL_PERIOD),
			Error::<T>::CommitRevealPeriodOutOfBounds
		);
		ensure!(
			params.bonds_moving_average <= bounds::MAX_BONDS_MOVING_AVERAGE,
			Error::<T>::BondsMovingAverageOutOfBounds
		);
		ensure!(params.min_burn < params.max_burn, Error::<T>::MinBurnOutOfBounds);
		ensure!(
			within(params.burn_half_life, bounds::BURN_HALF_LIFE),
			Error::<T>::BurnHalfLifeOutOfBounds
		);
		ensure!(
			within(
				params.burn_increase_mult,
				(FixedU128::one(), FixedU128::from_u32(bounds::MAX_BURN_INCREASE_MULT))
			),
			Error::<T>::BurnIncreaseMultOutOfBounds
		);
		ensure!(
			within(params.serving_rate_limit, bounds::SERVING_RATE_LIMIT),
			Error::<T>::ServingRateLimitOutOfBounds
		);
		ensure!(
			params.owner_cut <= Perbill::from_percent(bounds::MAX_OWNER_CUT_PERCENT),
			Error::<T>::OwnerCutOutOfBounds
		);
		Ok(())
	}

	/// Storage invariants: the root network exists; every other subnet has exactly one owner
	/// record and the counter counts them; no live subnet is being cleared; identities belong
	/// to subnets; hyperparameters are within bounds; each owner's held balance is the sum of
	/// its subnets' locks.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;

		ensure!(Hyperparameters::<T>::contains_key(ROOT_NETUID), "the root network is missing");
		let mut locks: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut count: u16 = 0;
		for (netuid, record) in Networks::<T>::iter() {
			ensure!(netuid != ROOT_NETUID, "the root network has an owner record");
			ensure!(Hyperparameters::<T>::contains_key(netuid), "subnet without hyperparameters");
			let held = locks.entry(record.owner).or_default();
			*held = held.saturating_add(record.lock);
			count = count.saturating_add(1);
		}
		ensure!(count == SubnetCount::<T>::get(), "SubnetCount does not count the subnets");
		for netuid in ClearingSubnets::<T>::iter_keys() {
			ensure!(!Hyperparameters::<T>::contains_key(netuid), "a live subnet being cleared");
		}
		ensure!(count <= T::SubnetLimit::get(), "more subnets than the limit");
		for (netuid, params) in Hyperparameters::<T>::iter() {
			ensure!(
				netuid == ROOT_NETUID || Networks::<T>::contains_key(netuid),
				"hyperparameters of a subnet without owner record"
			);
			Self::check_bounds(&params, T::Neurons::neuron_count(netuid))
				.map_err(|_| "hyperparameters out of bounds")?;
		}
		for netuid in SubnetIdentities::<T>::iter_keys() {
			ensure!(Networks::<T>::contains_key(netuid), "identity of a missing subnet");
		}
		let members = T::Neurons::neuron_count(ROOT_NETUID);
		for (uid, row) in RootWeights::<T>::iter() {
			ensure!(uid < members, "root weights of a uid that is not a member");
			ensure!(!row.is_empty(), "an empty root weight row is kept");
			ensure!(
				row.windows(2).all(|pair| matches!(pair, [(a, _), (b, _)] if a < b)),
				"a root weight row is not in netuid order"
			);
			ensure!(
				row.iter().all(|(netuid, _)| Networks::<T>::contains_key(netuid)),
				"root weights on a subnet that does not exist"
			);
		}
		for (owner, lock) in locks {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::SubnetLock.into(), &owner) == lock,
				"held balance differs from the owner's subnet locks"
			);
		}
		Ok(())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Stores a subnet owned by `owner` with `params` and no lock, for other pallets'
	/// benchmarks.
	pub fn create_benchmark_subnet(owner: T::AccountId, params: SubnetHyperparameters) -> NetUid {
		let netuid = Self::next_free_netuid().unwrap_or(T::SubnetLimit::get());
		Networks::<T>::insert(
			netuid,
			SubnetRecord {
				owner: owner.clone(),
				owner_hotkey: owner,
				lock: 0,
				registered_at: Self::now(),
			},
		);
		T::OnSubnetScheduled::on_subnet_registered(netuid, params.tempo);
		Hyperparameters::<T>::insert(netuid, params);
		SubnetCount::<T>::mutate(|count| count.saturating_inc());
		netuid
	}
}

impl<T: Config> Pallet<T> {
	/// Stores `hotkey`'s root weights, after checking them whole.
	pub(crate) fn do_set_root_weights(
		hotkey: T::AccountId,
		netuids: Vec<NetUid>,
		weights: Vec<u16>,
	) -> DispatchResult {
		let uid = T::Neurons::uid(ROOT_NETUID, &hotkey).ok_or(Error::<T>::NotRootMember)?;
		ensure!(netuids.len() == weights.len(), Error::<T>::RootWeightsLengthMismatch);
		let count = u32::try_from(netuids.len()).map_err(|_| Error::<T>::TooManyRootWeights)?;
		ensure!(count <= T::MaxSubnets::get(), Error::<T>::TooManyRootWeights);
		let mut row: Vec<(NetUid, u16)> = netuids.into_iter().zip(weights).collect();
		row.sort_unstable_by_key(|&(netuid, _)| netuid);
		for pair in row.windows(2) {
			if let [(a, _), (b, _)] = pair {
				ensure!(a != b, Error::<T>::DuplicateNetuid);
			}
		}
		for &(netuid, _) in &row {
			ensure!(netuid != ROOT_NETUID, Error::<T>::CannotWeighRootNetwork);
			ensure!(Hyperparameters::<T>::contains_key(netuid), Error::<T>::SubnetNotFound);
		}
		row.retain(|&(_, weight)| weight > 0);
		let row = BoundedVec::try_from(row).map_err(|_| Error::<T>::TooManyRootWeights)?;
		if row.is_empty() {
			RootWeights::<T>::remove(uid);
		} else {
			RootWeights::<T>::insert(uid, row);
		}
		Self::deposit_event(Event::RootWeightsSet { uid, hotkey, subnets: count });
		Ok(())
	}
}

impl<T: Config> RootWeightsOf for Pallet<T> {
	fn root_weights(uid: Uid) -> Vec<(NetUid, u16)> {
		RootWeights::<T>::get(uid).into_inner()
	}
}

/// A new root member starts without weights; other subnets keep none here.
impl<T: Config> OnNeuronRegistered for Pallet<T> {
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight {
		if netuid != ROOT_NETUID {
			return Weight::zero();
		}
		RootWeights::<T>::remove(uid);
		T::DbWeight::get().writes(1)
	}

	fn max_weight() -> Weight {
		T::DbWeight::get().writes(1)
	}
}

impl<T: Config> OnHotkeySwapped<T::AccountId> for Pallet<T> {
	/// The subnets whose owner cut goes to `old` send it to `new` from now on.
	fn on_hotkey_swapped(old: &T::AccountId, new: &T::AccountId) -> Weight {
		let owned: Vec<NetUid> = Networks::<T>::iter()
			.filter(|(_, record)| record.owner_hotkey == *old)
			.map(|(netuid, _)| netuid)
			.collect();
		for netuid in &owned {
			Networks::<T>::mutate(netuid, |record| {
				if let Some(record) = record {
					record.owner_hotkey = new.clone();
				}
			});
		}
		let visited = u64::from(SubnetCount::<T>::get());
		let moved = u64::try_from(owned.len()).unwrap_or(u64::MAX);
		T::DbWeight::get().reads_writes(visited, moved)
	}

	/// Every subnet visited and rewritten.
	fn max_weight() -> Weight {
		let limit = u64::from(T::SubnetLimit::get());
		T::DbWeight::get().reads_writes(limit, limit)
	}
}

impl<T: Config> OnColdkeySwapped<T::AccountId> for Pallet<T> {
	/// The subnets `old` owns become `new`'s, each lock now held from `new` (so dissolving
	/// releases it to `new`).
	fn on_coldkey_swapped(old: &T::AccountId, new: &T::AccountId) -> Result<Weight, DispatchError> {
		let owned: Vec<(NetUid, Balance)> = Networks::<T>::iter()
			.filter(|(_, record)| record.owner == *old)
			.map(|(netuid, record)| (netuid, record.lock))
			.collect();
		for (netuid, lock) in &owned {
			T::Currency::transfer_on_hold(
				&HoldReason::SubnetLock.into(),
				old,
				new,
				*lock,
				Precision::Exact,
				Restriction::OnHold,
				Fortitude::Polite,
			)?;
			Networks::<T>::mutate(netuid, |record| {
				if let Some(record) = record {
					record.owner = new.clone();
				}
			});
		}
		let visited = u64::from(SubnetCount::<T>::get());
		let moved = u64::try_from(owned.len()).unwrap_or(u64::MAX);
		// Each lock moved reads and writes both accounts and their holds.
		let weight = T::DbWeight::get()
			.reads_writes(visited.saturating_add(moved.saturating_mul(4)), moved.saturating_mul(5));
		Ok(weight)
	}

	/// Every subnet visited, owned and its lock moved.
	fn max_weight() -> Weight {
		let limit = u64::from(T::SubnetLimit::get());
		T::DbWeight::get().reads_writes(limit.saturating_mul(5), limit.saturating_mul(5))
	}
}

impl<T: Config> SubnetsInfo<T::AccountId> for Pallet<T> {
	fn exists(netuid: NetUid) -> bool {
		Hyperparameters::<T>::contains_key(netuid)
	}

	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters> {
		Hyperparameters::<T>::get(netuid)
	}

	fn owner(netuid: NetUid) -> Option<T::AccountId> {
		Networks::<T>::get(netuid).map(|record| record.owner)
	}

	fn owner_hotkey(netuid: NetUid) -> Option<T::AccountId> {
		Networks::<T>::get(netuid).map(|record| record.owner_hotkey)
	}

	fn netuids() -> Vec<NetUid> {
		let mut netuids: Vec<NetUid> = Hyperparameters::<T>::iter_keys().collect();
		netuids.sort_unstable();
		netuids
	}

	fn registered_at(netuid: NetUid) -> Option<BlockNumber> {
		Networks::<T>::get(netuid).map(|record| record.registered_at)
	}

	fn is_clearing(netuid: NetUid) -> bool {
		ClearingSubnets::<T>::contains_key(netuid)
	}
}
