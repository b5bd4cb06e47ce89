//! Benchmarks of pallet-emission (v2), each in its worst case: the block's work visits every
//! subnet, and an epoch's payout pays every uid incentive, and the most validators there can
//! be dividends, into pools that have nominators.

use super::*;
use alloc::vec::Vec;
use luxtensor_primitives::{
	currency::MDT,
	subnets::{NetUid, SubnetHyperparameters},
	traits::{EpochPayouts, NeuronPayout, OnSubnetDissolved, StakeInfo, StakeRewards, SubnetsInfo},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{
			fungible::{Inspect, Mutate},
			Get,
		},
		BoundedVec,
	},
	frame_system,
};

/// Creates subnets and neurons for the benchmarks: the runtime wires the pallets owning them.
pub trait BenchmarkHelper<AccountId> {
	/// A new subnet with an owner and owner hotkey; returns its netuid.
	fn create_subnet(params: SubnetHyperparameters) -> NetUid;
	/// Registers `hotkey` as the subnet's next uid; some coldkey owns it afterwards.
	fn register(netuid: NetUid, hotkey: &AccountId);
	/// Makes `hotkey` (registered in a subnet) a member of the root network.
	fn add_root_member(hotkey: &AccountId);
	/// Sets a root member's weights over subnets.
	fn set_root_weights(hotkey: &AccountId, weights: Vec<(NetUid, u16)>);
	/// Stakes `amount` on `hotkey` for `coldkey`, which has the MDT.
	fn add_stake(coldkey: &AccountId, hotkey: &AccountId, amount: Balance);
	/// Lets the stake set so far count as held (moves the clock past a holding period).
	fn hold_stake();
}

const NOW: BlockNumber = 10_000;

/// An account holding a million MDT.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MDT);
	who
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A block's emission over `s` subnets, none of whose epochs is due, nor the root
	/// network's.
	#[benchmark]
	fn on_initialize(s: Linear<1, 128>) {
		let s = s.min(T::MaxSubnets::get().saturating_sub(1));
		// The subnets' first tempos start now, at their creation.
		frame_system::Pallet::<T>::set_block_number(NOW.into());
		for _ in 0..s {
			T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default());
		}
		frame_system::Pallet::<T>::set_block_number((NOW + 1).into());
		// The root epoch is not due either (it has a weight of its own).
		RootEpoch::<T>::put(RootEpochRecord { block: NOW, shares: BoundedVec::new() });

		#[block]
		{
			Pallet::<T>::on_block();
		}

		let subnets = EmittingSubnets::<T>::get();
		assert!(subnets.len() >= s as usize && subnets.iter().all(|subnet| subnet.pending > 0));
	}

	/// Paying an epoch of `n` uids, each earning incentive, the first `v` (its validators
	/// with permits, the only uids Yuma pays dividends) dividends too. Every stake pool is
	/// read cold here; in a block, the epoch has just read them (see `epoch_weight`).
	#[benchmark]
	fn pay_epoch(n: Linear<1, 4096>, v: Linear<0, 256>) {
		let v = v.min(n);
		let netuid = T::BenchmarkHelper::create_subnet(SubnetHyperparameters {
			max_allowed_uids: u16::try_from(n).unwrap_or(u16::MAX),
			..Default::default()
		});
		let mut payouts = Vec::new();
		for uid in 0..n {
			let hotkey: T::AccountId = account("neuron", uid, 0);
			T::BenchmarkHelper::register(netuid, &hotkey);
			let nominator = funded::<T>("nominator", uid);
			T::BenchmarkHelper::add_stake(&nominator, &hotkey, MDT);
			let dividends = if uid < v { MDT } else { 0 };
			payouts.push(NeuronPayout { hotkey: Some(hotkey), incentive: MDT, dividends });
		}
		let owner_cut = MDT;
		let drained = Balance::from(n + v).saturating_mul(MDT).saturating_add(owner_cut);
		let stake_account = T::Stake::stake_account();
		let stake_before = T::Currency::balance(&stake_account);

		#[block]
		{
			Pallet::<T>::distribute(
				netuid,
				drained,
				owner_cut,
				SubnetHyperparameters::default().tempo.into(),
				EpochPayouts { payouts, unpaid: 0 },
			);
		}

		assert_eq!(T::Currency::balance(&stake_account), stake_before + drained);
	}

	/// The root network's epoch: `m` staked members each weighing all of `s` subnets.
	#[benchmark]
	fn root_epoch(m: Linear<1, 64>, s: Linear<1, 128>) {
		let s = s.min(T::MaxSubnets::get().saturating_sub(1));
		let netuids: Vec<NetUid> = (0..s)
			.map(|_| T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default()))
			.collect();
		let first = netuids.first().copied().unwrap_or(1);
		let row: Vec<(NetUid, u16)> =
			netuids.iter().map(|&netuid| (netuid, 1 + netuid % 100)).collect();
		for member in 0..m {
			let hotkey: T::AccountId = account("member", member, 0);
			T::BenchmarkHelper::register(first, &hotkey);
			T::BenchmarkHelper::add_root_member(&hotkey);
			T::BenchmarkHelper::set_root_weights(&hotkey, row.clone());
			let staker = funded::<T>("staker", member);
			T::BenchmarkHelper::add_stake(&staker, &hotkey, MDT);
		}
		// Root consensus weighs held stake: with none, it would have nothing to weigh.
		T::BenchmarkHelper::hold_stake();
		let member: T::AccountId = account("member", 0, 0);
		assert!(T::Stake::held_stake_of(&member) > 0, "the members' stake counts");
		RootEpoch::<T>::kill();
		let emitting: Vec<NetUid> =
			T::Subnets::netuids().into_iter().filter(|&netuid| netuid != 0).collect();

		#[block]
		{
			Pallet::<T>::run_root_epoch_if_due(&emitting);
		}

		// (The mock keeps subnets across benchmark runs: the shares are checked in tests.rs.)
		assert!(RootEpoch::<T>::get().is_some());
	}

	/// Forgetting a subnet deferred among the most subnets there can be.
	#[benchmark]
	fn on_subnet_dissolved() {
		let netuid = T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default());
		let others = (1..T::MaxSubnets::get())
			.map(|i| u16::try_from(i).unwrap_or(u16::MAX).saturating_add(1000));
		let mut subnets: Vec<SubnetEmission> = others
			.clone()
			.map(|netuid| SubnetEmission { netuid, pending: MDT, last_epoch: 0, tempo: 1 })
			.collect();
		subnets.insert(0, SubnetEmission { netuid, pending: MDT, last_epoch: 0, tempo: 1 });
		EmittingSubnets::<T>::put(BoundedVec::truncate_from(subnets));
		let deferred: Vec<NetUid> = core::iter::once(netuid).chain(others).collect();
		DeferredEpochs::<T>::put(BoundedVec::truncate_from(deferred));

		#[block]
		{
			Pallet::<T>::on_subnet_dissolved(netuid);
		}

		assert_eq!(Pallet::<T>::subnet(netuid), None);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
