//! Benchmarks of pallet-weights (v2), each in its worst case; `epoch` is parameterized by
//! the subnet's size, its validators and their stored weights.

use super::*;
use alloc::{vec, vec::Vec};
use luxtensor_primitives::{
	subnets::{NetUid, SubnetHyperparameters, Uid},
	traits::{Epoch, OnNeuronRegistered, OnSubnetDissolved},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{traits::Get, BoundedVec},
	frame_system::{self, RawOrigin},
};

/// Creates subnets, neurons and stake for the benchmarks: the runtime wires the pallets
/// owning them in.
pub trait BenchmarkHelper<AccountId> {
	/// A new subnet with these hyperparameters; returns its netuid.
	fn create_subnet(params: SubnetHyperparameters) -> NetUid;
	/// Registers `hotkey` as the subnet's next uid, at block 0.
	fn register(netuid: NetUid, hotkey: &AccountId);
	/// Gives `hotkey` this much stake.
	fn set_stake(hotkey: &AccountId, stake: Balance);
}

const NOW: BlockNumber = 10_000;

fn max_uids<T: Config>(n: u32) -> u16 {
	u16::try_from(n.min(T::MaxAllowedUids::get())).unwrap_or(u16::MAX).max(1)
}

/// A subnet of `n` neurons whose first `validators` hold permits and stake (as an earlier
/// epoch saw it, so it counts); block `NOW`.
fn subnet<T: Config>(n: u16, validators: u16, commit_reveal: bool) -> NetUid {
	let validators = validators.clamp(1, n);
	let params = SubnetHyperparameters {
		max_allowed_uids: n,
		max_allowed_validators: validators,
		min_allowed_weights: 0,
		weights_rate_limit: 0,
		commit_reveal_enabled: commit_reveal,
		..Default::default()
	};
	let netuid = T::BenchmarkHelper::create_subnet(params);
	for uid in 0..n {
		let hotkey = neuron::<T>(uid);
		T::BenchmarkHelper::register(netuid, &hotkey);
		Pallet::<T>::on_neuron_registered(netuid, uid);
		if uid < validators {
			T::BenchmarkHelper::set_stake(&hotkey, validator_stake(uid));
		}
	}
	// Every uid's last update kept (never, 0): what set_weights and the epoch read and write.
	LastUpdates::<T>::insert(netuid, BoundedVec::truncate_from(vec![0; n.into()]));
	EpochOutputs::<T>::mutate(netuid, |outputs| {
		let entries = outputs.validator_permit.iter_mut().zip(outputs.stake.iter_mut());
		for (uid, (permit, stake)) in (0..validators).zip(entries) {
			*permit = true;
			*stake = u64::try_from(validator_stake(uid)).unwrap_or(u64::MAX);
		}
	});
	frame_system::Pallet::<T>::set_block_number(NOW.into());
	netuid
}

fn validator_stake(uid: Uid) -> Balance {
	1_000_000_000_000 + Balance::from(uid)
}

fn neuron<T: Config>(uid: Uid) -> T::AccountId {
	account("neuron", uid.into(), 0)
}

/// A weight row over `count` uids other than `uid`.
fn row(n: u16, uid: Uid, count: usize) -> Vec<(Uid, u16)> {
	(0..n).filter(|&j| j != uid).take(count).map(|j| (j, 1 + (j % 1000))).collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Weights over `n` uids in a subnet of `n` neurons.
	#[benchmark]
	fn set_weights(n: Linear<1, 4096>) {
		let n = max_uids::<T>(n);
		let netuid = subnet::<T>(n, 1, false);
		let (dests, weights): (Vec<Uid>, Vec<u16>) = row(n, u16::MAX, n.into()).into_iter().unzip();

		#[extrinsic_call]
		_(RawOrigin::Signed(neuron::<T>(0)), netuid, dests, weights, 0);

		assert_eq!(Weights::<T>::get(netuid, 0).len(), usize::from(n));
	}

	/// A commit next to the most live commits allowed but one, in the largest subnet.
	#[benchmark]
	fn commit_weights() {
		let netuid = subnet::<T>(max_uids::<T>(u32::MAX), 1, true);
		let hotkey = neuron::<T>(0);
		let commits = (0..T::MaxUnrevealedCommits::get().saturating_sub(1))
			.map(|i| WeightCommit {
				hash: [i as u8; 32].into(),
				block: NOW,
				hotkey: hotkey.clone(),
			})
			.collect::<Vec<_>>();
		WeightCommits::<T>::insert(netuid, 0, BoundedVec::truncate_from(commits));

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey), netuid, [0xff; 32].into());

		assert_eq!(WeightCommits::<T>::get(netuid, 0).len() as u32, T::MaxUnrevealedCommits::get());
	}

	/// Revealing weights over `n` uids, behind the most commits, with the longest salt; the
	/// other commits were made by earlier hotkeys of the uid (swapped since), so each needs its
	/// own hash.
	#[benchmark]
	fn reveal_weights(n: Linear<1, 4096>) {
		let n = max_uids::<T>(n);
		let netuid = subnet::<T>(n, 1, true);
		let hotkey = neuron::<T>(0);
		let (uids, values): (Vec<Uid>, Vec<u16>) = row(n, u16::MAX, n.into()).into_iter().unzip();
		let salt = vec![7u16; T::MaxSaltLength::get() as usize];
		let hash = Pallet::<T>::commit_hash(&hotkey, netuid, &uids, &values, &salt, 0);
		let mut commits: Vec<_> = (0..T::MaxUnrevealedCommits::get().saturating_sub(1))
			.map(|i| WeightCommit {
				hash: [i as u8; 32].into(),
				block: NOW,
				hotkey: account::<T::AccountId>("swapped", i, 0),
			})
			.collect();
		commits.push(WeightCommit { hash, block: NOW, hotkey: hotkey.clone() });
		WeightCommits::<T>::insert(netuid, 0, BoundedVec::truncate_from(commits));
		// The reveal window: one tempo after the commit.
		let tempo = BlockNumber::from(SubnetHyperparameters::default().tempo);
		frame_system::Pallet::<T>::set_block_number((NOW + tempo).into());

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey), netuid, uids, values, salt, 0);

		assert_eq!(Weights::<T>::get(netuid, 0).len(), usize::from(n));
	}

	/// An epoch of a subnet of `n` neurons, `v` of them validators sharing `w` stored weights
	/// (each weighing at most every other neuron), with the bonds a previous epoch left.
	#[benchmark]
	fn epoch(n: Linear<1, 4096>, v: Linear<1, 256>, w: Linear<0, 1_048_576>) {
		let n = max_uids::<T>(n);
		let v = u16::try_from(v).unwrap_or(u16::MAX).clamp(1, n);
		let netuid = subnet::<T>(n, v, false);
		let per_row = (w as usize).div_ceil(usize::from(v));
		let mut left = w as usize;
		for uid in 0..v {
			let entries = row(n, uid, per_row.min(left));
			left -= entries.len();
			Pallet::<T>::store_weights(netuid, uid, Pallet::<T>::upscale(entries));
		}
		// A first epoch leaves bonds; the measured one runs in steady state.
		Pallet::<T>::run(netuid, 1_000_000_000);
		frame_system::Pallet::<T>::set_block_number((NOW + 1).into());

		#[block]
		{
			Pallet::<T>::run(netuid, 1_000_000_000);
		}

		assert_eq!(EpochOutputs::<T>::get(netuid).len(), usize::from(n));
	}

	/// A new neuron at a uid whose old neuron had full weights, bonds and commits, in the
	/// largest subnet.
	#[benchmark]
	fn on_neuron_registered() {
		let n = max_uids::<T>(u32::MAX);
		let netuid = subnet::<T>(n, 1, false);
		Pallet::<T>::store_weights(netuid, 0, Pallet::<T>::upscale(row(n, 0, n.into())));
		Bonds::<T>::insert(netuid, 0, BoundedVec::truncate_from(row(n, 0, n.into())));
		let commits = (0..T::MaxUnrevealedCommits::get())
			.map(|i| WeightCommit {
				hash: [i as u8; 32].into(),
				block: NOW,
				hotkey: neuron::<T>(0),
			})
			.collect::<Vec<_>>();
		WeightCommits::<T>::insert(netuid, 0, BoundedVec::truncate_from(commits));

		#[block]
		{
			Pallet::<T>::on_neuron_registered(netuid, 0);
		}

		assert!(!Weights::<T>::contains_key(netuid, 0));
	}

	/// Dissolving a subnet of `n` neurons, each with weights, bonds, a last update and commits:
	/// what goes at once, then `n` entries of each per-uid map (one block of the cleanup).
	#[benchmark]
	fn on_subnet_dissolved(n: Linear<0, 4096>) {
		let size = max_uids::<T>(n);
		let netuid = subnet::<T>(size, 1, false);
		let uids = u16::try_from(n).unwrap_or(u16::MAX).min(size);
		LastUpdates::<T>::insert(netuid, BoundedVec::truncate_from(vec![NOW; uids.into()]));
		for uid in 0..uids {
			Weights::<T>::insert(netuid, uid, BoundedVec::truncate_from(vec![(0, 1)]));
			Bonds::<T>::insert(netuid, uid, BoundedVec::truncate_from(vec![(0, 1)]));
			let commit =
				WeightCommit { hash: Default::default(), block: NOW, hotkey: neuron::<T>(uid) };
			WeightCommits::<T>::insert(netuid, uid, BoundedVec::truncate_from(vec![commit]));
		}

		#[block]
		{
			Pallet::<T>::on_subnet_dissolved(netuid);
			Pallet::<T>::clear_subnet(netuid, n);
		}

		assert_eq!(Weights::<T>::iter_prefix(netuid).count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
