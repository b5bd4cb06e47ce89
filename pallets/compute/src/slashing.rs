//! The one slashing path: graduated, deferred, cancellable by the admin, shared with those who
//! proved the offence and burned.

use crate::{
	impls::ProviderOf, Config, Deadline, Error, Event, HoldReason, NextSlashId, Offences, Pallet,
	PendingSlash, Providers, SlashId, SlashReason, Slashes, WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{Balance, BlockNumber};
use polkadot_sdk::{
	frame_support::{
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Defensive, Get,
		},
		weights::Weight,
		BoundedVec,
	},
	sp_runtime::{traits::Saturating, DispatchResult},
};

impl<T: Config> Pallet<T> {
	/// The part of its bond a provider with `offences` earlier offences loses for `reason`:
	/// the reason's base fraction times one more than its earlier offences.
	pub fn slash_fraction(reason: SlashReason, offences: u32) -> polkadot_sdk::sp_runtime::Perbill {
		let base = match reason {
			SlashReason::FalseSpec => T::FalseSpecSlash::get(),
		};
		let parts = base.deconstruct().saturating_mul(offences.saturating_add(1));
		polkadot_sdk::sp_runtime::Perbill::from_parts(parts.min(1_000_000_000))
	}

	/// Schedules a slash of `provider` for `reason`, applied `SlashDeferDuration` blocks
	/// from `now`; the reward part goes to `beneficiaries`. The one path every offence takes.
	pub(crate) fn schedule_slash(
		hotkey: &T::AccountId,
		provider: &mut ProviderOf<T>,
		reason: SlashReason,
		beneficiaries: Vec<T::AccountId>,
		now: BlockNumber,
	) -> SlashId {
		let offences = Offences::<T>::get(&provider.owner);
		let amount = Self::slash_fraction(reason, offences).mul_floor(provider.bond);
		let slash_id = NextSlashId::<T>::mutate(|next| {
			let id = *next;
			*next = next.wrapping_add(1);
			id
		});
		let defer_end = now.saturating_add(T::SlashDeferDuration::get());
		let apply_at = Self::schedule_eventually(defer_end, Deadline::ApplySlash(slash_id))
			.unwrap_or_else(|| {
				polkadot_sdk::frame_support::defensive!("compute: no block to apply a slash");
				defer_end
			});
		Slashes::<T>::insert(
			slash_id,
			PendingSlash {
				provider: hotkey.clone(),
				reason,
				amount,
				apply_at,
				beneficiaries: BoundedVec::truncate_from(beneficiaries),
			},
		);
		provider.pending_slashes.saturating_inc();
		Offences::<T>::insert(&provider.owner, offences.saturating_add(1));
		Self::deposit_event(Event::SlashScheduled {
			slash_id,
			provider: hotkey.clone(),
			reason,
			amount,
			apply_at,
		});
		slash_id
	}

	pub(crate) fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		let slash = Slashes::<T>::take(slash_id).ok_or(Error::<T>::SlashNotFound)?;
		Self::unschedule(slash.apply_at, &Deadline::ApplySlash(slash_id));
		Providers::<T>::mutate(&slash.provider, |provider| {
			if let Some(provider) = provider {
				provider.pending_slashes.saturating_dec();
				Offences::<T>::mutate(&provider.owner, |offences| offences.saturating_dec());
			}
		});
		Self::deposit_event(Event::SlashCancelled { slash_id, provider: slash.provider });
		Ok(())
	}

	/// Takes a slash from the provider's bond (its active part first, then the newest
	/// unbonding chunks): the reward share to the beneficiaries, the rest burned.
	pub(crate) fn apply_slash(slash_id: SlashId) -> Weight {
		let weight = T::WeightInfo::apply_slash(T::AttestorsPerProvider::get());
		let Some(slash) = Slashes::<T>::take(slash_id) else {
			polkadot_sdk::frame_support::defensive!("compute: applying a missing slash");
			return weight;
		};
		let Some(mut provider) = Providers::<T>::get(&slash.provider) else {
			polkadot_sdk::frame_support::defensive!("compute: slash of a missing provider");
			return weight;
		};
		let slashed = slash.amount.min(provider.bond);
		let mut from_unbonding = slashed.saturating_sub(provider.active_bond());
		for chunk in provider.unbonding.iter_mut().rev() {
			let taken = from_unbonding.min(chunk.amount);
			chunk.amount.saturating_reduce(taken);
			from_unbonding.saturating_reduce(taken);
		}
		provider.unbonding.retain(|chunk| chunk.amount > 0);
		provider.bond.saturating_reduce(slashed);
		provider.pending_slashes.saturating_dec();

		let reason: T::RuntimeHoldReason = HoldReason::ProviderBond.into();
		let reward = T::SlashRewardShare::get().mul_floor(slashed);
		let count = Balance::try_from(slash.beneficiaries.len()).unwrap_or(Balance::MAX);
		let each = reward.checked_div(count).unwrap_or(0);
		let mut rewarded: Balance = 0;
		for beneficiary in &slash.beneficiaries {
			let paid = T::Currency::transfer_on_hold(
				&reason,
				&provider.owner,
				beneficiary,
				each,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.defensive_unwrap_or_default();
			rewarded.saturating_accrue(paid);
		}
		let burned = T::Currency::burn_held(
			&reason,
			&provider.owner,
			slashed.saturating_sub(rewarded),
			Precision::BestEffort,
			Fortitude::Force,
		)
		.defensive_unwrap_or_default();
		if rewarded.saturating_add(burned) != slashed {
			polkadot_sdk::frame_support::defensive!("compute: slashed more than was held");
		}
		Providers::<T>::insert(&slash.provider, provider);
		Self::deposit_event(Event::SlashApplied {
			slash_id,
			provider: slash.provider,
			reason: slash.reason,
			slashed,
			rewarded,
		});
		weight
	}
}
