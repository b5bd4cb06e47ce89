//! Verified work feeding the compute subnet's incentive: each settled job credits its
//! agreeing replicas' uids with the protocol fee their pay burned (the fee times their
//! reputation; the rest of it went to the treasury); the subnet's epoch takes the scores
//! once per tempo.

use crate::{ComputeSubnets, Config, Pallet, Providers, TempoScores, WeightInfo};
use alloc::vec::Vec;
use luxtensor_primitives::{
	subnets::{NetUid, Uid},
	traits::{ComputeScores, Neurons, OnNeuronRegistered},
	Balance,
};
use polkadot_sdk::{
	frame_support::{traits::Get, weights::Weight},
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Where the provider's verified work scores: its uid on its compute subnet. A provider
	/// no longer registered there, or whose subnet is no longer a compute subnet, scores
	/// nowhere.
	pub(crate) fn score_slot(hotkey: &T::AccountId) -> Option<(NetUid, Uid)> {
		let netuid = Providers::<T>::get(hotkey)?.netuid;
		if !ComputeSubnets::<T>::contains_key(netuid) {
			return None;
		}
		Some((netuid, T::Neurons::uid(netuid, hotkey)?))
	}

	/// Credits `uid` with `score`: the protocol fee its pay for verified work burned.
	pub(crate) fn credit_score(netuid: NetUid, uid: Uid, score: Balance) {
		if !score.is_zero() {
			TempoScores::<T>::mutate(netuid, uid, |total| total.saturating_accrue(score));
		}
	}

	/// Forgets the scores of a subnet; returns how many uids had one.
	pub(crate) fn clear_scores(netuid: NetUid) -> u32 {
		TempoScores::<T>::clear_prefix(netuid, u32::MAX, None).unique
	}
}

impl<T: Config> ComputeScores for Pallet<T> {
	fn take_scores(netuid: NetUid) -> Option<Vec<(Uid, Balance)>> {
		ComputeSubnets::<T>::contains_key(netuid)
			.then(|| TempoScores::<T>::drain_prefix(netuid).collect())
	}

	/// A compute subnet's scores are at most one entry per uid; any other subnet's epoch
	/// only looks whether it is one.
	fn weight(netuid: NetUid) -> Weight {
		if ComputeSubnets::<T>::contains_key(netuid) {
			T::WeightInfo::take_scores(T::Neurons::neuron_count(netuid).into())
		} else {
			T::DbWeight::get().reads(1)
		}
	}
}

impl<T: Config> OnNeuronRegistered for Pallet<T> {
	/// A new neuron at `uid` does not inherit the scores of the one it replaced.
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight {
		TempoScores::<T>::remove(netuid, uid);
		Self::max_weight()
	}

	fn max_weight() -> Weight {
		T::WeightInfo::on_neuron_registered()
	}
}
