//! The registration pallet's logic: prices, registration and replacement, endpoints, hotkey
//! swaps, the interfaces other pallets use, runtime API views and storage invariants.

use crate::{
	burn, AllowLoopbackEndpoints, Axons, BurnPrice, BurnPrices, ColdkeySwap, ColdkeySwaps, Config,
	Endpoint, Error, Event, HotkeyOwners, Hotkeys, NeuronCount, OwnedHotkeys, Pallet,
	PrometheusEndpoints, RegistrationBlocks, Uids, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use core::{
	cmp::Reverse,
	net::{Ipv4Addr, Ipv6Addr},
	ops::Range,
};
use luxtensor_primitives::{
	subnets::{
		IpType, NetUid, NeuronEpochInfo, NeuronInfoLite, SubnetHyperparameters, Uid,
		HOTKEY_OWNERSHIP_PREFIX, ROOT_NETUID,
	},
	traits::{
		ColdkeySwapStatus, EpochResults, HotkeyOwnership, Neurons, OnColdkeySwapped,
		OnHotkeySwapped, OnNeuronRegistered, OnSubnetDissolved, StakeInfo, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Precision, Preservation},
			Get,
		},
		weights::Weight,
	},
	frame_system,
	sp_runtime::{
		traits::{UniqueSaturatedInto, Verify},
		DispatchError, DispatchResult, FixedPointNumber,
	},
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The subnet's registration price at block `now`.
	pub(crate) fn registration_price(
		netuid: NetUid,
		params: &SubnetHyperparameters,
		now: BlockNumber,
	) -> Balance {
		let price = match BurnPrices::<T>::get(netuid) {
			None => params.min_burn,
			Some(BurnPrice { price, updated_at }) => {
				burn::decay(price, now.saturating_sub(updated_at), params.burn_half_life)
			}
		};
		Self::clamp_burn(price, params)
	}

	/// `price` within the subnet's `[min_burn, max_burn]`.
	fn clamp_burn(price: Balance, params: &SubnetHyperparameters) -> Balance {
		price.max(params.min_burn).min(params.max_burn)
	}

	/// What `burned_register` in the subnet costs now; `None` if it cannot be registered in.
	pub fn registration_cost(netuid: NetUid) -> Option<Balance> {
		if netuid == ROOT_NETUID {
			return None;
		}
		let params = T::Subnets::hyperparameters(netuid)?;
		Some(Self::registration_price(netuid, &params, Self::now()))
	}

	/// Fails unless `coldkey` can pay `amount` and keep its account.
	fn ensure_can_pay(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
		let spendable =
			T::Currency::reducible_balance(coldkey, Preservation::Preserve, Fortitude::Polite);
		ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
		Ok(())
	}

	fn burn(coldkey: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Currency::burn_from(
			coldkey,
			amount,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Ok(())
	}

	/// Registers `hotkey`; returns the subnet's neuron count before and the weight of the
	/// registration hooks.
	pub(crate) fn do_burned_register(
		netuid: NetUid,
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		max_burn: Balance,
	) -> Result<(u16, Weight), DispatchError> {
		ensure!(netuid != ROOT_NETUID, Error::<T>::CannotRegisterOnRootNetwork);
		let params = T::Subnets::hyperparameters(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		ensure!(params.registration_allowed, Error::<T>::RegistrationDisabled);
		ensure!(!Uids::<T>::contains_key(netuid, &hotkey), Error::<T>::AlreadyRegistered);
		let owner = HotkeyOwners::<T>::get(&hotkey);
		Self::ensure_may_own(owner.as_ref(), &hotkey, &coldkey)?;
		let now = Self::now();
		let price = Self::registration_price(netuid, &params, now);
		ensure!(price <= max_burn, Error::<T>::PriceAboveMax);
		Self::ensure_can_pay(&coldkey, price)?;

		let neuron_count = NeuronCount::<T>::get(netuid);
		let uid = if neuron_count < params.max_allowed_uids {
			NeuronCount::<T>::insert(netuid, neuron_count.saturating_add(1));
			neuron_count
		} else {
			let uid = Self::neuron_to_replace(netuid, &params, neuron_count, now)
				.ok_or(Error::<T>::NoNeuronToReplace)?;
			Self::clear_neuron(netuid, uid);
			uid
		};
		Self::burn(&coldkey, price)?;

		if owner.is_none() {
			Self::add_owned_hotkey(&hotkey, &coldkey)?;
		}
		Uids::<T>::insert(netuid, &hotkey, uid);
		Hotkeys::<T>::insert(netuid, uid, &hotkey);
		RegistrationBlocks::<T>::mutate(netuid, |blocks| {
			crate::types::set_registration_block(blocks, uid, now)
		});
		let next_price =
			Self::clamp_burn(params.burn_increase_mult.saturating_mul_int(price), &params);
		BurnPrices::<T>::insert(netuid, BurnPrice { price: next_price, updated_at: now });
		Self::deposit_event(Event::NeuronRegistered {
			netuid,
			uid,
			hotkey,
			coldkey,
			burned: price,
		});
		let hook_weight = T::OnNeuronRegistered::on_neuron_registered(netuid, uid);
		Ok((neuron_count, hook_weight))
	}

	/// Admits `hotkey` to the root network; returns the member count before and the weight of
	/// the registration hooks.
	pub(crate) fn do_root_register(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
	) -> Result<(u16, Weight), DispatchError> {
		ensure!(
			HotkeyOwners::<T>::get(&hotkey).as_ref() == Some(&coldkey),
			Error::<T>::NotHotkeyOwner
		);
		ensure!(!Uids::<T>::contains_key(ROOT_NETUID, &hotkey), Error::<T>::AlreadyRegistered);
		let params = T::Subnets::hyperparameters(ROOT_NETUID).ok_or(Error::<T>::SubnetNotFound)?;
		let members = NeuronCount::<T>::get(ROOT_NETUID);
		let uid = if members < params.max_allowed_uids {
			NeuronCount::<T>::insert(ROOT_NETUID, members.saturating_add(1));
			members
		} else {
			let weakest = (0..members)
				.filter_map(|uid| {
					let member = Hotkeys::<T>::get(ROOT_NETUID, uid)?;
					Some((T::Stake::held_stake_of(&member), Reverse(uid)))
				})
				.min();
			let Some((lowest, Reverse(uid))) = weakest else {
				return Err(Error::<T>::StakeTooLowForRoot.into());
			};
			// Held stake on both sides: a seat is neither won nor kept with borrowed stake.
			ensure!(T::Stake::held_stake_of(&hotkey) > lowest, Error::<T>::StakeTooLowForRoot);
			Self::clear_neuron(ROOT_NETUID, uid);
			uid
		};
		Uids::<T>::insert(ROOT_NETUID, &hotkey, uid);
		Hotkeys::<T>::insert(ROOT_NETUID, uid, &hotkey);
		RegistrationBlocks::<T>::mutate(ROOT_NETUID, |blocks| {
			crate::types::set_registration_block(blocks, uid, Self::now())
		});
		Self::deposit_event(Event::NeuronRegistered {
			netuid: ROOT_NETUID,
			uid,
			hotkey,
			coldkey,
			burned: 0,
		});
		let hook_weight = T::OnNeuronRegistered::on_neuron_registered(ROOT_NETUID, uid);
		Ok((members, hook_weight))
	}

	/// The uid a registration into the full subnet replaces: the lowest emission among the
	/// candidates, then the older registration, then the lower uid. Candidates are the
	/// neurons past immunity, topped up with the oldest immune ones to `MinReplaceableNeurons`.
	pub(crate) fn neuron_to_replace(
		netuid: NetUid,
		params: &SubnetHyperparameters,
		neuron_count: u16,
		now: BlockNumber,
	) -> Option<Uid> {
		let emissions = T::EpochResults::emissions(netuid);
		let mut candidates = Vec::with_capacity(neuron_count.into());
		let mut immune = Vec::new();
		let registered = RegistrationBlocks::<T>::get(netuid);
		for uid in 0..neuron_count {
			let registered_at = registered.get(usize::from(uid)).copied().unwrap_or_default();
			let emission = emissions.get(usize::from(uid)).copied().unwrap_or(0);
			let key = (emission, registered_at, uid);
			if now.saturating_sub(registered_at) < params.immunity_period {
				immune.push(key);
			} else {
				candidates.push(key);
			}
		}
		let replaceable = usize::from(T::MinReplaceableNeurons::get().min(neuron_count));
		if candidates.len() < replaceable {
			immune.sort_unstable_by_key(|&(_, registered_at, uid)| (registered_at, uid));
			let missing = replaceable.saturating_sub(candidates.len());
			candidates.extend(immune.into_iter().take(missing));
		}
		candidates.into_iter().min().map(|(_, _, uid)| uid)
	}

	/// Frees `uid` for a new neuron: unregisters its hotkey and clears its endpoints (other
	/// pallets hear of it through the registration hook).
	fn clear_neuron(netuid: NetUid, uid: Uid) {
		if let Some(old_hotkey) = Hotkeys::<T>::take(netuid, uid) {
			Uids::<T>::remove(netuid, &old_hotkey);
			Self::deposit_event(Event::NeuronReplaced { netuid, uid, old_hotkey });
		}
		Axons::<T>::remove(netuid, uid);
		PrometheusEndpoints::<T>::remove(netuid, uid);
	}

	/// Checks an endpoint: a specified IP of its type (loopback only where allowed), port > 0.
	pub(crate) fn check_endpoint(ip: u128, port: u16, ip_type: IpType) -> Result<(), Error<T>> {
		let allow_loopback = AllowLoopbackEndpoints::<T>::get();
		match ip_type {
			4 => {
				let ip = Ipv4Addr::from(u32::try_from(ip).map_err(|_| Error::<T>::InvalidIp)?);
				ensure!(!ip.is_unspecified() && !ip.is_broadcast(), Error::<T>::InvalidIp);
				ensure!(allow_loopback || !ip.is_loopback(), Error::<T>::InvalidIp);
			}
			6 => {
				let ip = Ipv6Addr::from(ip);
				ensure!(!ip.is_unspecified(), Error::<T>::InvalidIp);
				ensure!(allow_loopback || !ip.is_loopback(), Error::<T>::InvalidIp);
			}
			_ => return Err(Error::<T>::InvalidIpType),
		}
		ensure!(port != 0, Error::<T>::InvalidPort);
		Ok(())
	}

	/// The uid of `hotkey` if it may serve this `kind` of endpoint now: registered, a valid
	/// endpoint, and the last one of that kind at least `serving_rate_limit` blocks ago.
	/// Shared by the calls and the transaction pool's [`crate::CheckServing`].
	pub(crate) fn check_serving(
		netuid: NetUid,
		hotkey: &T::AccountId,
		kind: Endpoint,
		(ip, port, ip_type): (u128, u16, IpType),
	) -> Result<Uid, Error<T>> {
		let params = T::Subnets::hyperparameters(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		let uid = Uids::<T>::get(netuid, hotkey).ok_or(Error::<T>::NotRegistered)?;
		Self::check_endpoint(ip, port, ip_type)?;
		let last_served = match kind {
			Endpoint::Axon => Axons::<T>::get(netuid, uid).map(|axon| axon.block),
			Endpoint::Prometheus => {
				PrometheusEndpoints::<T>::get(netuid, uid).map(|prometheus| prometheus.block)
			}
		};
		if let Some(block) = last_served {
			ensure!(
				Self::now() >= block.saturating_add(params.serving_rate_limit),
				Error::<T>::ServingRateLimited
			);
		}
		Ok(uid)
	}

	/// The message a hotkey signs to let `coldkey` own it.
	pub fn ownership_message(coldkey: &T::AccountId) -> Vec<u8> {
		[HOTKEY_OWNERSHIP_PREFIX, &coldkey.encode()].concat()
	}

	/// `signature` is `hotkey`'s, over the ownership message of `coldkey`, signed raw or
	/// wrapped in `<Bytes>` tags as polkadot.js wallets sign messages.
	pub(crate) fn ensure_consent(
		hotkey: &T::AccountId,
		coldkey: &T::AccountId,
		signature: &T::HotkeySignature,
	) -> Result<(), Error<T>> {
		let message = Self::ownership_message(coldkey);
		let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>"].concat();
		ensure!(
			signature.verify(&message[..], hotkey) || signature.verify(&wrapped[..], hotkey),
			Error::<T>::InvalidHotkeySignature
		);
		Ok(())
	}

	/// `coldkey` may own `hotkey` (currently owned by `owner`): it already does, or the
	/// hotkey is unowned, is the coldkey itself and the coldkey has room for it. Others
	/// must `claim_hotkey` first.
	pub(crate) fn ensure_may_own(
		owner: Option<&T::AccountId>,
		hotkey: &T::AccountId,
		coldkey: &T::AccountId,
	) -> Result<(), Error<T>> {
		match owner {
			Some(owner) if owner != coldkey => Err(Error::<T>::HotkeyOwnedByAnotherColdkey),
			Some(_) => Ok(()),
			None if hotkey == coldkey => Self::ensure_room_for_hotkey(coldkey),
			None => Err(Error::<T>::HotkeyNotClaimed),
		}
	}

	/// `coldkey` owns fewer than `MaxHotkeysPerColdkey` hotkeys.
	pub(crate) fn ensure_room_for_hotkey(coldkey: &T::AccountId) -> Result<(), Error<T>> {
		let owned = OwnedHotkeys::<T>::decode_len(coldkey).unwrap_or(0);
		ensure!(owned < T::MaxHotkeysPerColdkey::get() as usize, Error::<T>::TooManyHotkeys);
		Ok(())
	}

	/// Makes `coldkey` the owner of the unowned `hotkey`.
	pub(crate) fn add_owned_hotkey(
		hotkey: &T::AccountId,
		coldkey: &T::AccountId,
	) -> Result<(), Error<T>> {
		OwnedHotkeys::<T>::try_mutate(coldkey, |owned| owned.try_push(hotkey.clone()))
			.map_err(|_| Error::<T>::TooManyHotkeys)?;
		HotkeyOwners::<T>::insert(hotkey, coldkey);
		Ok(())
	}

	pub(crate) fn do_schedule_coldkey_swap(old: T::AccountId, new: T::AccountId) -> DispatchResult {
		ensure!(old != new, Error::<T>::SameColdkey);
		ensure!(!ColdkeySwaps::<T>::contains_key(&old), Error::<T>::ColdkeySwapPending);
		let fee = T::ColdkeySwapCost::get();
		Self::ensure_can_pay(&old, fee)?;
		Self::burn(&old, fee)?;
		let applies_at = Self::now().saturating_add(T::ColdkeySwapDelay::get());
		ColdkeySwaps::<T>::insert(&old, ColdkeySwap { new: new.clone(), applies_at });
		Self::deposit_event(Event::ColdkeySwapScheduled { old, new, applies_at, fee });
		Ok(())
	}

	/// Applies `old`'s due swap; returns the hotkeys moved and the hooks' weight.
	pub(crate) fn do_apply_coldkey_swap(old: T::AccountId) -> Result<(u32, Weight), DispatchError> {
		let swap = ColdkeySwaps::<T>::get(&old).ok_or(Error::<T>::NoColdkeySwap)?;
		ensure!(Self::now() >= swap.applies_at, Error::<T>::ColdkeySwapNotDue);
		let new = swap.new;
		let moved = OwnedHotkeys::<T>::take(&old);
		let mut owned = OwnedHotkeys::<T>::get(&new);
		for hotkey in &moved {
			owned.try_push(hotkey.clone()).map_err(|_| Error::<T>::TooManyHotkeys)?;
			HotkeyOwners::<T>::insert(hotkey, &new);
		}
		OwnedHotkeys::<T>::insert(&new, owned);
		// The free balance first: the new coldkey then exists to take over held locks. The
		// old account keeps its existential deposit, so its nonce is never reset.
		let balance =
			T::Currency::reducible_balance(&old, Preservation::Preserve, Fortitude::Polite);
		if balance > 0 {
			T::Currency::transfer(&old, &new, balance, Preservation::Preserve)?;
		}
		let hook_weight = T::OnColdkeySwapped::on_coldkey_swapped(&old, &new)?;
		ColdkeySwaps::<T>::remove(&old);
		let hotkeys = u32::try_from(moved.len()).unwrap_or(u32::MAX);
		Self::deposit_event(Event::ColdkeySwapped { old, new, hotkeys, balance });
		Ok((hotkeys, hook_weight))
	}

	pub(crate) fn do_swap_hotkey(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		new_hotkey: T::AccountId,
	) -> DispatchResult {
		ensure!(
			HotkeyOwners::<T>::get(&hotkey).as_ref() == Some(&coldkey),
			Error::<T>::NotHotkeyOwner
		);
		ensure!(hotkey != new_hotkey, Error::<T>::SameHotkey);
		ensure!(!HotkeyOwners::<T>::contains_key(&new_hotkey), Error::<T>::NewHotkeyAlreadyOwned);
		Self::ensure_room_for_hotkey(&coldkey)?;
		let fee = T::HotkeySwapCost::get();
		Self::ensure_can_pay(&coldkey, fee)?;
		Self::burn(&coldkey, fee)?;

		Self::add_owned_hotkey(&new_hotkey, &coldkey)?;
		for netuid in T::Subnets::netuids() {
			if let Some(uid) = Uids::<T>::take(netuid, &hotkey) {
				Uids::<T>::insert(netuid, &new_hotkey, uid);
				Hotkeys::<T>::insert(netuid, uid, &new_hotkey);
			}
		}
		T::OnHotkeySwapped::on_hotkey_swapped(&hotkey, &new_hotkey);
		Self::deposit_event(Event::HotkeySwapped { coldkey, old_hotkey: hotkey, new_hotkey, fee });
		Ok(())
	}

	/// The neuron at `uid` as the runtime API shows it, with its last epoch's results.
	fn neuron_view(
		netuid: NetUid,
		uid: Uid,
		params: &SubnetHyperparameters,
		now: BlockNumber,
		registered_at: BlockNumber,
		epoch: NeuronEpochInfo,
	) -> Option<NeuronInfoLite<T::AccountId>> {
		let hotkey = Hotkeys::<T>::get(netuid, uid)?;
		let coldkey = HotkeyOwners::<T>::get(&hotkey)?;
		Some(NeuronInfoLite {
			netuid,
			uid,
			hotkey,
			coldkey,
			immune: now.saturating_sub(registered_at) < params.immunity_period,
			axon: Axons::<T>::get(netuid, uid),
			prometheus: PrometheusEndpoints::<T>::get(netuid, uid),
			registered_at,
			epoch,
		})
	}

	/// The neuron at `uid`, if any.
	pub fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfoLite<T::AccountId>> {
		let params = T::Subnets::hyperparameters(netuid)?;
		let epoch = T::EpochResults::neuron_epochs(netuid)
			.get(usize::from(uid))
			.copied()
			.unwrap_or_default();
		let registered_at = Self::registered_at(netuid, uid).unwrap_or_default();
		Self::neuron_view(netuid, uid, &params, Self::now(), registered_at, epoch)
	}

	/// The neurons of the subnet at `uids` (those that exist), by uid.
	pub fn neurons_lite(netuid: NetUid, uids: Range<Uid>) -> Vec<NeuronInfoLite<T::AccountId>> {
		let Some(params) = T::Subnets::hyperparameters(netuid) else { return Vec::new() };
		let now = Self::now();
		let mut epochs = T::EpochResults::neuron_epochs(netuid).into_iter().skip(uids.start.into());
		let registered = RegistrationBlocks::<T>::get(netuid);
		let n = NeuronCount::<T>::get(netuid);
		(uids.start.min(n)..uids.end.min(n))
			.filter_map(|uid| {
				let epoch = epochs.next().unwrap_or_default();
				let registered_at = registered.get(usize::from(uid)).copied().unwrap_or_default();
				Self::neuron_view(netuid, uid, &params, now, registered_at, epoch)
			})
			.collect()
	}

	/// Storage invariants: in every subnet, uid <-> hotkey is a bijection over `0..n` with a
	/// registration block and an owned hotkey each, `n` is within the subnet's limit, and no
	/// entry lies outside `0..n` or in a missing subnet.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		for (netuid, neuron_count) in NeuronCount::<T>::iter() {
			let params =
				T::Subnets::hyperparameters(netuid).ok_or("neurons in a missing subnet")?;
			ensure!(neuron_count <= params.max_allowed_uids, "more neurons than max_allowed_uids");
			for uid in 0..neuron_count {
				let hotkey = Hotkeys::<T>::get(netuid, uid).ok_or("a uid below n has no hotkey")?;
				ensure!(Uids::<T>::get(netuid, &hotkey) == Some(uid), "uid and hotkey disagree");
				ensure!(
					HotkeyOwners::<T>::contains_key(&hotkey),
					"registered hotkey without owner"
				);
			}
			let uids = Uids::<T>::iter_prefix(netuid).count();
			ensure!(uids == usize::from(neuron_count), "hotkeys registered beyond n");
			ensure!(
				RegistrationBlocks::<T>::decode_len(netuid) == Some(usize::from(neuron_count)),
				"registration blocks are not one per uid"
			);
		}
		// A dissolved subnet's entries are removed over a few blocks.
		let within =
			|netuid, uid| uid < NeuronCount::<T>::get(netuid) || T::Subnets::is_clearing(netuid);
		for (netuid, uid) in Hotkeys::<T>::iter_keys() {
			ensure!(within(netuid, uid), "hotkey at a uid beyond n");
		}
		for netuid in RegistrationBlocks::<T>::iter_keys() {
			ensure!(NeuronCount::<T>::contains_key(netuid), "registration blocks of no neurons");
		}
		for (netuid, uid) in Axons::<T>::iter_keys() {
			ensure!(within(netuid, uid), "axon of a uid beyond n");
		}
		for (netuid, uid) in PrometheusEndpoints::<T>::iter_keys() {
			ensure!(within(netuid, uid), "prometheus endpoint of a uid beyond n");
		}
		for netuid in BurnPrices::<T>::iter_keys() {
			ensure!(T::Subnets::exists(netuid), "burn price of a missing subnet");
		}
		let mut indexed = 0usize;
		for (coldkey, hotkeys) in OwnedHotkeys::<T>::iter() {
			for hotkey in &hotkeys {
				ensure!(
					HotkeyOwners::<T>::get(hotkey).as_ref() == Some(&coldkey),
					"an owned-hotkey index entry its owner does not match"
				);
			}
			indexed = indexed.saturating_add(hotkeys.len());
		}
		ensure!(
			HotkeyOwners::<T>::iter_keys().count() == indexed,
			"a hotkey owner missing from the coldkey index"
		);
		Ok(())
	}
}

impl<T: Config> Neurons<T::AccountId> for Pallet<T> {
	fn neuron_count(netuid: NetUid) -> u16 {
		NeuronCount::<T>::get(netuid)
	}

	fn uid(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		// Entries of a dissolved subnet still being cleared lie beyond its count (0).
		Uids::<T>::get(netuid, hotkey).filter(|&uid| uid < NeuronCount::<T>::get(netuid))
	}

	fn hotkey(netuid: NetUid, uid: Uid) -> Option<T::AccountId> {
		Hotkeys::<T>::get(netuid, uid)
	}

	fn registered_at(netuid: NetUid, uid: Uid) -> Option<BlockNumber> {
		RegistrationBlocks::<T>::get(netuid).get(usize::from(uid)).copied()
	}

	fn registration_blocks(netuid: NetUid) -> Vec<BlockNumber> {
		RegistrationBlocks::<T>::get(netuid).into_inner()
	}

	fn is_immune(netuid: NetUid, uid: Uid) -> bool {
		let (Some(params), Some(registered_at)) =
			(T::Subnets::hyperparameters(netuid), Self::registered_at(netuid, uid))
		else {
			return false;
		};
		Self::now().saturating_sub(registered_at) < params.immunity_period
	}
}

impl<T: Config> HotkeyOwnership<T::AccountId> for Pallet<T> {
	fn owner(hotkey: &T::AccountId) -> Option<T::AccountId> {
		HotkeyOwners::<T>::get(hotkey)
	}

	fn owned_hotkeys(coldkey: &T::AccountId) -> Vec<T::AccountId> {
		OwnedHotkeys::<T>::get(coldkey).into_inner()
	}

	fn claim(hotkey: &T::AccountId, coldkey: &T::AccountId) -> DispatchResult {
		let owner = HotkeyOwners::<T>::get(hotkey);
		Self::ensure_may_own(owner.as_ref(), hotkey, coldkey)?;
		if owner.is_none() {
			Self::add_owned_hotkey(hotkey, coldkey)?;
		}
		Ok(())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_owner(hotkey: &T::AccountId, coldkey: &T::AccountId) {
		// Benchmark coldkeys may own more hotkeys than a real one: past the index's bound,
		// only the owner is set.
		if Self::add_owned_hotkey(hotkey, coldkey).is_err() {
			HotkeyOwners::<T>::insert(hotkey, coldkey);
		}
	}
}

impl<T: Config> ColdkeySwapStatus<T::AccountId> for Pallet<T> {
	fn is_swap_pending(coldkey: &T::AccountId) -> bool {
		ColdkeySwaps::<T>::contains_key(coldkey)
	}
}

impl<T: Config> OnSubnetDissolved for Pallet<T> {
	/// The subnet has no neurons from now on (its count and burn price go); their entries
	/// go over the next blocks. Hotkey ownership stays: a hotkey belongs to its coldkey, not
	/// to a subnet.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		NeuronCount::<T>::remove(netuid);
		BurnPrices::<T>::remove(netuid);
		RegistrationBlocks::<T>::remove(netuid);
		T::WeightInfo::clear_subnet(0)
	}

	fn weight(_: NetUid) -> Weight {
		T::WeightInfo::clear_subnet(0)
	}

	fn clear_subnet(netuid: NetUid, limit: u32) -> (Weight, bool) {
		let results = [
			Uids::<T>::clear_prefix(netuid, limit, None),
			Hotkeys::<T>::clear_prefix(netuid, limit, None),
			Axons::<T>::clear_prefix(netuid, limit, None),
			PrometheusEndpoints::<T>::clear_prefix(netuid, limit, None),
		];
		let (removed, done) = luxtensor_primitives::traits::clearing_progress(&results);
		(T::WeightInfo::clear_subnet(removed), done)
	}
}
