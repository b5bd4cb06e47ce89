//! Benchmarks of pallet-emission (v2), each in its worst case: the stake calls write new
//! entries or remove them, the block's work visits every subnet, and an epoch's payout pays
//! every uid both incentive and dividends into pools that have nominators.

use super::*;
use alloc::{vec, vec::Vec};
use luxtensor_primitives::{
	currency::MDT,
	subnets::{NetUid, SubnetHyperparameters},
	traits::{
		EpochPayouts, HotkeyOwnership, NeuronPayout, OnHotkeySwapped, OnSubnetDissolved,
		SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, Get},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_runtime::Perbill,
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
}

const NOW: BlockNumber = 10_000;

/// An account holding a million MDT.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, 1_000_000 * MDT);
	who
}

/// A hotkey owned by `coldkey`, with a nominator's stake in its pool.
fn delegate<T: Config>(index: u32, coldkey: &T::AccountId) -> T::AccountId {
	let hotkey: T::AccountId = account("hotkey", index, 0);
	T::HotkeyOwnership::claim(&hotkey, coldkey).expect("a fresh hotkey");
	let nominator = funded::<T>("nominator", index);
	Pallet::<T>::add_stake(RawOrigin::Signed(nominator).into(), hotkey.clone(), 100 * MDT)
		.expect("the nominator can stake");
	hotkey
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A first stake on a pool with a nominator: new share and index entries.
	#[benchmark]
	fn add_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), hotkey.clone(), 10 * MDT);

		assert_eq!(Pallet::<T>::stake_of_coldkey(&hotkey, &coldkey), 10 * MDT);
	}

	/// Removing all of a stake: its share and index entries go.
	#[benchmark]
	fn remove_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Pallet::<T>::add_stake(RawOrigin::Signed(coldkey.clone()).into(), hotkey.clone(), 10 * MDT)
			.expect("staked");

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), hotkey.clone(), 10 * MDT);

		assert_eq!(Pallet::<T>::stake_of_coldkey(&hotkey, &coldkey), 0);
	}

	/// Moving all of a stake to a hotkey the coldkey had none on.
	#[benchmark]
	fn move_stake() {
		let coldkey = funded::<T>("coldkey", 0);
		let from = delegate::<T>(0, &coldkey);
		let to = delegate::<T>(1, &coldkey);
		Pallet::<T>::add_stake(RawOrigin::Signed(coldkey.clone()).into(), from.clone(), 10 * MDT)
			.expect("staked");

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), from, to.clone(), 10 * MDT);

		assert_eq!(Pallet::<T>::stake_of_coldkey(&to, &coldkey), 10 * MDT);
	}

	#[benchmark]
	fn decrease_take() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), Perbill::zero());

		assert_eq!(Pallet::<T>::take_of(&hotkey), Perbill::zero());
	}

	/// An increase after an earlier one, once the interval has passed.
	#[benchmark]
	fn increase_take() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Takes::<T>::insert(&hotkey, Perbill::zero());
		LastTakeIncrease::<T>::insert(&hotkey, NOW);
		let later = NOW.saturating_add(T::TakeIncreaseInterval::get());
		frame_system::Pallet::<T>::set_block_number(later.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), T::DefaultTake::get());

		assert_eq!(Pallet::<T>::take_of(&hotkey), T::DefaultTake::get());
	}

	/// A block's emission over `s` subnets, none of whose epochs is due.
	#[benchmark]
	fn on_initialize(s: Linear<1, 128>) {
		let s = s.min(T::MaxSubnets::get().saturating_sub(1));
		for _ in 0..s {
			T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default());
		}
		frame_system::Pallet::<T>::set_block_number(NOW.into());
		// The first block sees the subnets and starts their tempos.
		Pallet::<T>::on_block();

		#[block]
		{
			Pallet::<T>::on_block();
		}

		let netuids = T::Subnets::netuids();
		assert!(netuids.iter().skip(1).all(|netuid| PendingEmission::<T>::get(netuid) > 0));
	}

	/// Paying an epoch of `n` uids, each earning incentive and dividends.
	#[benchmark]
	fn pay_epoch(n: Linear<1, 4096>) {
		let netuid = T::BenchmarkHelper::create_subnet(SubnetHyperparameters {
			max_allowed_uids: u16::try_from(n).unwrap_or(u16::MAX),
			..Default::default()
		});
		for uid in 0..n {
			let hotkey: T::AccountId = account("neuron", uid, 0);
			T::BenchmarkHelper::register(netuid, &hotkey);
			let nominator = funded::<T>("nominator", uid);
			Pallet::<T>::add_stake(RawOrigin::Signed(nominator).into(), hotkey, MDT)
				.expect("the nominator can stake");
		}
		let payout = NeuronPayout { incentive: MDT, dividends: MDT };
		let payouts = vec![payout; n as usize];
		let owner_cut = MDT;
		let drained = Balance::from(n).saturating_mul(2 * MDT).saturating_add(owner_cut);
		let stake_before = TotalStake::<T>::get();

		#[block]
		{
			Pallet::<T>::distribute(
				netuid,
				drained,
				owner_cut,
				EpochPayouts { payouts, unpaid: 0 },
			);
		}

		assert_eq!(TotalStake::<T>::get(), stake_before + drained);
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
			Pallet::<T>::add_stake(RawOrigin::Signed(staker).into(), hotkey, MDT)
				.expect("the staker can stake");
		}
		LastRootEpochBlock::<T>::kill();
		let emitting: Vec<NetUid> =
			T::Subnets::netuids().into_iter().filter(|&netuid| netuid != 0).collect();

		#[block]
		{
			Pallet::<T>::run_root_epoch_if_due(&emitting);
		}

		// (The mock keeps subnets across benchmark runs: the shares are checked in tests.rs.)
		assert!(LastRootEpochBlock::<T>::get().is_some());
	}

	/// Forgetting a subnet deferred among the most subnets there can be.
	#[benchmark]
	fn on_subnet_dissolved() {
		let netuid = T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default());
		PendingEmission::<T>::insert(netuid, MDT);
		LastEpochBlock::<T>::insert(netuid, NOW);
		let deferred: Vec<NetUid> = (0..T::MaxSubnets::get())
			.map(|i| u16::try_from(i).unwrap_or(u16::MAX))
			.map(|i| if i == 0 { netuid } else { i.saturating_add(1000) })
			.collect();
		DeferredEpochs::<T>::put(BoundedVec::truncate_from(deferred));

		#[block]
		{
			Pallet::<T>::on_subnet_dissolved(netuid);
		}

		assert!(!PendingEmission::<T>::contains_key(netuid));
	}

	/// A swapped hotkey with a pool, a take and a take increase to move.
	#[benchmark]
	fn on_hotkey_swapped() {
		let coldkey = funded::<T>("coldkey", 0);
		let hotkey = delegate::<T>(0, &coldkey);
		Takes::<T>::insert(&hotkey, Perbill::zero());
		LastTakeIncrease::<T>::insert(&hotkey, NOW);
		let new_hotkey: T::AccountId = account("new_hotkey", 0, 0);

		#[block]
		{
			Pallet::<T>::on_hotkey_swapped(&hotkey, &new_hotkey);
		}

		assert_eq!(Pools::<T>::get(&new_hotkey).map(|pool| pool.stake), Some(100 * MDT));
		assert!(!Pools::<T>::contains_key(&hotkey));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
