//! The one slashing path: graduated, deferred, cancellable by the admin, shared with those who
//! proved the offence, the rest to the slash destination (the treasury).

use crate::{
	impls::ProviderOf, jobs::JobOf, Config, Deadline, Error, Event, HoldReason, NextSlashId,
	OffenceRecord, Offences, Outcome, Pallet, PendingSlash, Providers, Replica, SlashId,
	SlashReason, Slashes, WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	compute::{JobId, ProviderStatus},
	Balance, BlockNumber,
};
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
	sp_runtime::{traits::Saturating, DispatchResult, Perbill},
};

impl<T: Config> Pallet<T> {
	/// The offences of `owner` that count towards its next slash at `now`: none once its
	/// last is more than `OffenceWindow` blocks old.
	pub fn recent_offences(owner: &T::AccountId, now: BlockNumber) -> u32 {
		let record = Offences::<T>::get(owner);
		if now.saturating_sub(record.last) > T::OffenceWindow::get() {
			0
		} else {
			record.count
		}
	}

	/// The part of its bond a provider with `offences` recent offences loses for `reason`:
	/// the reason's base fraction times one more than those offences.
	pub fn slash_fraction(reason: SlashReason, offences: u32) -> Perbill {
		let base = match reason {
			SlashReason::FalseSpec => T::FalseSpecSlash::get(),
			SlashReason::WrongResult => T::WrongResultSlash::get(),
			SlashReason::MissedDeadline
			| SlashReason::MissedAcceptance
			| SlashReason::FailedLease => T::TimeoutSlash::get(),
		};
		let parts = base.deconstruct().saturating_mul(offences.saturating_add(1));
		Perbill::from_parts(parts.min(1_000_000_000))
	}

	/// Schedules a slash of `provider` for `reason`, applied `SlashDeferDuration` blocks
	/// from `now`: its graduated fraction of the bond, plus `collateral` (already held under
	/// `JobCollateral`) for an offence in a job, whose poster `job` names. The reward part
	/// goes to `beneficiaries`. The one path every offence takes.
	pub(crate) fn schedule_slash(
		hotkey: &T::AccountId,
		provider: &mut ProviderOf<T>,
		reason: SlashReason,
		job: Option<(JobId, T::AccountId)>,
		collateral: Balance,
		beneficiaries: Vec<T::AccountId>,
		now: BlockNumber,
	) -> SlashId {
		let offences = Self::recent_offences(&provider.owner, now);
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
				collateral,
				job,
				apply_at,
				beneficiaries: BoundedVec::truncate_from(beneficiaries),
			},
		);
		provider.pending_slashes.saturating_inc();
		Offences::<T>::insert(
			&provider.owner,
			OffenceRecord { count: offences.saturating_add(1), last: now },
		);
		Self::deposit_event(Event::SlashScheduled {
			slash_id,
			provider: hotkey.clone(),
			reason,
			amount,
			collateral,
			apply_at,
		});
		slash_id
	}

	/// Schedules the slash of a job's replica: its collateral moves from the job to the
	/// slash.
	pub(crate) fn slash_replica(
		id: JobId,
		poster: &T::AccountId,
		replica: &mut Replica<T::AccountId>,
		reason: SlashReason,
		reporters: Vec<T::AccountId>,
		now: BlockNumber,
	) {
		let Some(mut provider) = Providers::<T>::get(&replica.provider) else {
			// A provider with jobs cannot leave: its collateral goes back with the job.
			polkadot_sdk::frame_support::defensive!("compute: slash of a job's missing provider");
			return;
		};
		let collateral = core::mem::take(&mut replica.collateral);
		let job = Some((id, poster.clone()));
		Self::schedule_slash(
			&replica.provider,
			&mut provider,
			reason,
			job,
			collateral,
			reporters,
			now,
		);
		Providers::<T>::insert(&replica.provider, provider);
	}

	/// Slashes the job's replicas that have not done `done` in time, for `reason`; their
	/// reputations count a timeout.
	pub(crate) fn slash_late(
		id: JobId,
		job: &mut JobOf<T>,
		done: fn(&Replica<T::AccountId>) -> bool,
		reason: SlashReason,
		now: BlockNumber,
	) {
		let poster = job.poster.clone();
		for replica in job.replicas.iter_mut().filter(|replica| !done(replica)) {
			Self::record_outcome(&replica.provider, Outcome::Timeout, now);
			Self::slash_replica(id, &poster, replica, reason, Vec::new(), now);
		}
	}

	pub(crate) fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		let slash = Slashes::<T>::take(slash_id).ok_or(Error::<T>::SlashNotFound)?;
		Self::unschedule(slash.apply_at, &Deadline::ApplySlash(slash_id));
		match Providers::<T>::get(&slash.provider) {
			Some(mut provider) => {
				provider.pending_slashes.saturating_dec();
				Offences::<T>::mutate(&provider.owner, |record| record.count.saturating_dec());
				Self::collateral_to_bond(&mut provider, slash.collateral);
				Providers::<T>::insert(&slash.provider, provider);
			}
			None => {
				polkadot_sdk::frame_support::defensive!("compute: slash of a missing provider");
			}
		}
		Self::deposit_event(Event::SlashCancelled { slash_id, provider: slash.provider });
		Ok(())
	}

	/// Takes a slash: the job collateral whole, then its amount from the provider's bond
	/// (the active part first, then the newest unbonding chunks). Of what is taken,
	/// `SlashToPoster` goes to the job's poster, `SlashRewardShare` to the beneficiaries, and
	/// the rest (with any share nobody could receive) to `Treasury`; what that
	/// cannot receive either is burned.
	pub(crate) fn apply_slash(slash_id: SlashId) -> Weight {
		// Going offline below the required bond is the liveness timeout's transition.
		let weight = T::WeightInfo::apply_slash(T::MaxReporters::get())
			.saturating_add(T::WeightInfo::expire_liveness());
		let Some(slash) = Slashes::<T>::take(slash_id) else {
			polkadot_sdk::frame_support::defensive!("compute: applying a missing slash");
			return weight;
		};
		let Some(before) = Providers::<T>::get(&slash.provider) else {
			polkadot_sdk::frame_support::defensive!("compute: slash of a missing provider");
			return weight;
		};
		let mut provider = before.clone();
		let from_bond = slash.amount.min(provider.bond);
		let mut from_unbonding = from_bond.saturating_sub(provider.active_bond());
		for chunk in provider.unbonding.iter_mut().rev() {
			let taken = from_unbonding.min(chunk.amount);
			chunk.amount.saturating_reduce(taken);
			from_unbonding.saturating_reduce(taken);
		}
		provider.unbonding.retain(|chunk| chunk.amount > 0);
		provider.bond.saturating_reduce(from_bond);
		provider.pending_slashes.saturating_dec();

		let owner = provider.owner.clone();
		let slashed = slash.collateral.saturating_add(from_bond);
		let mut holds =
			[(HoldReason::JobCollateral, slash.collateral), (HoldReason::ProviderBond, from_bond)];
		let to_poster = match &slash.job {
			Some((_, poster)) => Self::pay_from_holds(
				&owner,
				&mut holds,
				poster,
				T::SlashToPoster::get().mul_floor(slashed),
			),
			None => 0,
		};
		let count = Balance::try_from(slash.beneficiaries.len()).unwrap_or(Balance::MAX);
		let each = T::SlashRewardShare::get().mul_floor(slashed).checked_div(count).unwrap_or(0);
		let mut rewarded: Balance = 0;
		for beneficiary in &slash.beneficiaries {
			rewarded.saturating_accrue(Self::pay_from_holds(&owner, &mut holds, beneficiary, each));
		}
		let destination = T::Treasury::get();
		let rest = Self::pay_from_holds(&owner, &mut holds, &destination, Balance::MAX)
			.saturating_add(Self::burn_holds(&owner, holds));
		if to_poster.saturating_add(rewarded).saturating_add(rest) != slashed {
			polkadot_sdk::frame_support::defensive!("compute: slashed more than was held");
		}
		// Left with less than its hardware requires, it takes no work until it bonds more and
		// sends a heartbeat.
		let short = provider.active_bond() < Self::required_bond(&provider.spec);
		if short && provider.status == ProviderStatus::Active {
			if let Some(at) = provider.liveness_deadline.take() {
				Self::unschedule(at, &Deadline::Liveness(slash.provider.clone()));
			}
			provider.status = ProviderStatus::Offline;
			Self::deposit_event(Event::ProviderOffline { hotkey: slash.provider.clone() });
		}
		Self::store_provider(&slash.provider, Some(&before), provider);
		Self::deposit_event(Event::SlashApplied {
			slash_id,
			provider: slash.provider,
			reason: slash.reason,
			slashed,
			to_poster,
			rewarded,
		});
		weight
	}

	/// Burns what is left of `owner`'s `holds`; returns what was burned.
	pub(crate) fn burn_holds<const N: usize>(
		owner: &T::AccountId,
		holds: [(HoldReason, Balance); N],
	) -> Balance {
		let mut burned: Balance = 0;
		for (reason, left) in holds {
			let reason: T::RuntimeHoldReason = reason.into();
			burned.saturating_accrue(
				T::Currency::burn_held(
					&reason,
					owner,
					left,
					Precision::BestEffort,
					Fortitude::Force,
				)
				.defensive_unwrap_or_default(),
			);
		}
		burned
	}

	/// Pays `amount` to `to` from `owner`'s holds, in order, each at most its amount left;
	/// returns what was paid. A payment the recipient cannot take (an account that cannot
	/// exist with it) stays held.
	pub(crate) fn pay_from_holds(
		owner: &T::AccountId,
		holds: &mut [(HoldReason, Balance)],
		to: &T::AccountId,
		amount: Balance,
	) -> Balance {
		let mut paid: Balance = 0;
		for (reason, left) in holds.iter_mut() {
			let part = amount.saturating_sub(paid).min(*left);
			if part == 0 {
				continue;
			}
			let reason: T::RuntimeHoldReason = (*reason).into();
			let moved = T::Currency::transfer_on_hold(
				&reason,
				owner,
				to,
				part,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_default();
			left.saturating_reduce(moved);
			paid.saturating_accrue(moved);
		}
		paid
	}
}
