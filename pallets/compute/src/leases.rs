//! Leases: GPUs reserved for a poster and billed per period from the escrow, with grace,
//! top-ups and termination by either side.

use crate::{
	jobs::JobOf, Config, Counters, Error, Event, HoldReason, Jobs, LeaseBilling, LeasedGpus,
	Outcome, Pallet, SlashReason, WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	compute::{JobId, JobKind, JobStatus},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight},
	sp_runtime::{traits::Saturating, DispatchResult, Perbill},
};

impl<T: Config> Pallet<T> {
	/// Rents `gpus` of the provider's GPUs out.
	pub(crate) fn reserve_gpus(hotkey: &T::AccountId, gpus: u16) {
		LeasedGpus::<T>::mutate(hotkey, |leased| {
			*leased = Some(leased.unwrap_or(0).saturating_add(gpus));
		});
		Counters::<T>::mutate(|counters| counters.gpus_leased.saturating_accrue(u32::from(gpus)));
	}

	/// Frees `gpus` of the provider's rented GPUs.
	pub(crate) fn release_gpus(hotkey: &T::AccountId, gpus: u16) {
		LeasedGpus::<T>::mutate_exists(hotkey, |leased| {
			let left = leased.unwrap_or(0).saturating_sub(gpus);
			*leased = (left > 0).then_some(left);
		});
		Counters::<T>::mutate(|counters| counters.gpus_leased.saturating_reduce(u32::from(gpus)));
	}

	fn period_blocks(job: &JobOf<T>) -> BlockNumber {
		match job.spec.kind {
			JobKind::Lease { period_blocks, .. } => period_blocks,
			_ => 1,
		}
	}

	/// Pays as many of the periods owed as the escrow covers.
	fn pay_owed(id: JobId, job: &mut JobOf<T>, billing: &mut LeaseBilling) {
		let Some(replica) = job.replicas.first().cloned() else { return };
		let available = job.escrow.saturating_sub(job.reserved);
		let periods = match available.checked_div(replica.unit_price) {
			Some(affordable) => u32::try_from(affordable).unwrap_or(u32::MAX).min(billing.owed),
			None => billing.owed,
		};
		if periods == 0 {
			return;
		}
		let amount = replica.unit_price.saturating_mul(Balance::from(periods));
		if Self::pay_provider(id, job, &replica, amount, Perbill::zero()) != amount {
			// The payout account cannot take it: the periods stay owed.
			return;
		}
		billing.billed.saturating_accrue(periods);
		billing.owed.saturating_reduce(periods);
		Self::deposit_event(Event::LeaseBilled { job: id, periods, amount });
	}

	/// The first block of a lease's next period: the period just served is billed. When the
	/// escrow falls short the lease runs in grace; owing more than `GracePeriods` periods,
	/// it ends and the provider gets what is left.
	pub(crate) fn bill_lease(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let weight = T::WeightInfo::bill_lease();
		let Some(mut billing) = job.lease else {
			polkadot_sdk::frame_support::defensive!("compute: billing a lease not running");
			Self::finish(id, job, JobStatus::Refunded, now);
			return weight;
		};
		let period = Self::period_blocks(job);
		billing.owed.saturating_inc();
		billing.period_start.saturating_accrue(period);
		Self::pay_owed(id, job, &mut billing);
		job.lease = Some(billing);
		if billing.owed > T::GracePeriods::get() {
			if let Some(replica) = job.replicas.first().cloned() {
				let rest = job.escrow.saturating_sub(job.reserved);
				Self::pay_provider(id, job, &replica, rest, Perbill::zero());
			}
			// The provider served to the end: the poster stopped paying.
			for replica in job.replicas.iter() {
				Self::record_outcome(&replica.provider, Outcome::Success, now);
			}
			Self::finish(id, job, JobStatus::Terminated, now);
			return weight;
		}
		if billing.owed > 0 {
			job.status = JobStatus::Grace;
			Self::deposit_event(Event::LeaseInGrace { job: id, owed: billing.owed });
		} else {
			job.status = JobStatus::Running;
		}
		if Self::set_timer(id, job, billing.period_start.saturating_add(period), now).is_err() {
			Self::finish(id, job, JobStatus::Terminated, now);
		}
		weight
	}

	pub(crate) fn do_top_up(poster: T::AccountId, id: JobId, amount: Balance) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		ensure!(job.poster == poster, Error::<T>::NotPoster);
		ensure!(job.spec.kind.is_lease(), Error::<T>::NotLease);
		ensure!(!job.status.is_finished(), Error::<T>::WrongJobPhase);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::hold(HoldReason::JobEscrow, &poster, amount)?;
		job.escrow.saturating_accrue(amount);
		Self::deposit_event(Event::ToppedUp { job: id, amount });
		if let (JobStatus::Grace, Some(mut billing)) = (job.status, job.lease) {
			Self::pay_owed(id, &mut job, &mut billing);
			job.lease = Some(billing);
			if billing.owed == 0 {
				job.status = JobStatus::Running;
			}
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	pub(crate) fn do_terminate_lease(who: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		ensure!(job.spec.kind.is_lease(), Error::<T>::NotLease);
		let (Some(mut billing), Some(replica)) = (job.lease, job.replicas.first().cloned()) else {
			return Err(Error::<T>::WrongJobPhase.into());
		};
		ensure!(
			matches!(job.status, JobStatus::Running | JobStatus::Grace),
			Error::<T>::WrongJobPhase
		);
		let by_provider = who == replica.provider || who == replica.owner;
		ensure!(by_provider || who == job.poster, Error::<T>::NotLeaseParty);
		let now = Self::now();
		// The periods owed, then the part of the current period used.
		Self::pay_owed(id, &mut job, &mut billing);
		job.lease = Some(billing);
		let period = Self::period_blocks(&job);
		let used = now.saturating_sub(billing.period_start).min(period);
		let pro_rata = replica
			.unit_price
			.saturating_mul(Balance::from(used))
			.checked_div(Balance::from(period))
			.unwrap_or(0);
		Self::pay_provider(id, &mut job, &replica, pro_rata, Perbill::zero());
		// A provider walking away from a lease its poster pays for is slashed: its collateral
		// and part of its bond.
		let walked_away = by_provider && job.status == JobStatus::Running;
		if walked_away {
			let poster = job.poster.clone();
			if let Some(replica) = job.replicas.iter_mut().next() {
				Self::slash_replica(
					id,
					&poster,
					replica,
					SlashReason::FailedLease,
					Vec::new(),
					now,
				);
			}
		}
		let outcome = if walked_away { Outcome::Timeout } else { Outcome::Success };
		Self::record_outcome(&replica.provider, outcome, now);
		Self::finish(id, &mut job, JobStatus::Terminated, now);
		Jobs::<T>::insert(id, job);
		Ok(())
	}
}
