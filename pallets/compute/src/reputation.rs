//! Providers' reputations: an exponential moving average over the outcomes of their jobs,
//! in fixed point, decaying towards the initial reputation when nothing happens.

use crate::{Config, Event, Outcome, Pallet, ReputationRecord, Reputations};
use luxtensor_primitives::{compute::Reputation, BlockNumber};
use polkadot_sdk::{
	frame_support::traits::Get,
	sp_runtime::{PerThing, Perbill},
};

/// More halvings than this leave nothing of a distance in parts per billion.
const MAX_HALVINGS: BlockNumber = 31;

impl<T: Config> Pallet<T> {
	/// A provider's reputation now.
	pub fn reputation(hotkey: &T::AccountId) -> Reputation {
		Reputations::<T>::get(hotkey)
			.map(|record| Self::decayed(record, Self::now()))
			.unwrap_or_else(T::InitialReputation::get)
	}

	/// `record` at `now`: its distance from the initial reputation halves every
	/// `ReputationHalfLife` blocks.
	fn decayed(record: ReputationRecord, now: BlockNumber) -> Reputation {
		let neutral = T::InitialReputation::get().deconstruct();
		let value = record.value.deconstruct();
		let halvings = now
			.saturating_sub(record.updated_at)
			.checked_div(T::ReputationHalfLife::get())
			.unwrap_or(0)
			.min(MAX_HALVINGS);
		let distance = value.abs_diff(neutral).checked_shr(halvings).unwrap_or(0);
		Perbill::from_parts(if value >= neutral {
			neutral.saturating_add(distance)
		} else {
			neutral.saturating_sub(distance)
		})
	}

	/// Moves the provider's reputation towards 1 (a success) or 0 (a timeout, a little; a
	/// wrong result, a lot).
	pub(crate) fn record_outcome(hotkey: &T::AccountId, outcome: Outcome, now: BlockNumber) {
		let current = Self::reputation(hotkey).deconstruct();
		let (target, weight) = match outcome {
			Outcome::Success => (Perbill::ACCURACY, T::SuccessWeight::get()),
			Outcome::Timeout => (0, T::TimeoutWeight::get()),
			Outcome::WrongResult => (0, T::WrongResultWeight::get()),
		};
		let step = weight.mul_floor(current.abs_diff(target));
		let value = Perbill::from_parts(if target >= current {
			current.saturating_add(step)
		} else {
			current.saturating_sub(step)
		});
		Reputations::<T>::insert(hotkey, ReputationRecord { value, updated_at: now });
		Self::deposit_event(Event::ReputationUpdated {
			provider: hotkey.clone(),
			outcome,
			reputation: value,
		});
	}
}
