//! A test runtime: System and Weights, with subnets, neurons and stake played by in-memory
//! doubles that tests edit.

use crate as pallet_weights;
use core::cell::RefCell;
use luxtensor_primitives::{
	subnets::{NetUid, SubnetHyperparameters, Uid},
	traits::{ComputeScores, Neurons, OnNeuronRegistered, StakeInfo, SubnetsInfo},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU32},
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};
use std::collections::BTreeMap;

pub type AccountId = u64;

/// The subnet most tests use.
pub const NETUID: NetUid = 1;

#[polkadot_sdk::frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeError,
		RuntimeEvent,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Weights = pallet_weights;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlockU32<Test>;
}

thread_local! {
	static SUBNETS: RefCell<BTreeMap<NetUid, SubnetHyperparameters>> = const { RefCell::new(BTreeMap::new()) };
	/// Per subnet, each uid's (hotkey, registration block).
	static NEURONS: RefCell<BTreeMap<NetUid, Vec<(AccountId, BlockNumber)>>> = const { RefCell::new(BTreeMap::new()) };
	static STAKE: RefCell<BTreeMap<AccountId, Balance>> = const { RefCell::new(BTreeMap::new()) };
	/// Compute subnets and the scores of their current tempo.
	static COMPUTE_SCORES: RefCell<BTreeMap<NetUid, Vec<(Uid, Balance)>>> = const { RefCell::new(BTreeMap::new()) };
}

/// Makes `netuid` a compute subnet whose current tempo scored `scores`.
pub fn set_compute_scores(netuid: NetUid, scores: Vec<(Uid, Balance)>) {
	COMPUTE_SCORES.with(|all| all.borrow_mut().insert(netuid, scores));
}

pub struct MockComputeScores;
impl ComputeScores for MockComputeScores {
	fn take_scores(netuid: NetUid) -> Option<Vec<(Uid, Balance)>> {
		COMPUTE_SCORES.with(|all| all.borrow_mut().get_mut(&netuid).map(core::mem::take))
	}
	fn weight(_: NetUid) -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

pub struct MockSubnets;
impl SubnetsInfo<AccountId> for MockSubnets {
	fn exists(netuid: NetUid) -> bool {
		SUBNETS.with(|subnets| subnets.borrow().contains_key(&netuid))
	}
	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters> {
		SUBNETS.with(|subnets| subnets.borrow().get(&netuid).cloned())
	}
	fn owner(_: NetUid) -> Option<AccountId> {
		None
	}
	fn owner_hotkey(_: NetUid) -> Option<AccountId> {
		None
	}
	fn netuids() -> Vec<NetUid> {
		SUBNETS.with(|subnets| subnets.borrow().keys().copied().collect())
	}
	fn registered_at(netuid: NetUid) -> Option<BlockNumber> {
		Self::exists(netuid).then_some(0)
	}
}

pub struct MockNeurons;
impl Neurons<AccountId> for MockNeurons {
	fn neuron_count(netuid: NetUid) -> u16 {
		NEURONS.with(|neurons| neurons.borrow().get(&netuid).map_or(0, |n| n.len() as u16))
	}
	fn uid(netuid: NetUid, hotkey: &AccountId) -> Option<Uid> {
		NEURONS.with(|neurons| {
			let neurons = neurons.borrow();
			neurons.get(&netuid)?.iter().position(|(h, _)| h == hotkey).map(|uid| uid as Uid)
		})
	}
	fn hotkey(netuid: NetUid, uid: Uid) -> Option<AccountId> {
		NEURONS.with(|n| n.borrow().get(&netuid)?.get(uid as usize).map(|(hotkey, _)| *hotkey))
	}
	fn registered_at(netuid: NetUid, uid: Uid) -> Option<BlockNumber> {
		NEURONS.with(|n| n.borrow().get(&netuid)?.get(uid as usize).map(|(_, block)| *block))
	}
	fn is_immune(_: NetUid, _: Uid) -> bool {
		false
	}
}

pub struct MockStake;
impl StakeInfo<AccountId> for MockStake {
	fn stake_of(hotkey: &AccountId) -> Balance {
		STAKE.with(|stake| stake.borrow().get(hotkey).copied().unwrap_or(0))
	}
	fn held_stake_of(hotkey: &AccountId) -> Balance {
		Self::stake_of(hotkey)
	}
}

parameter_types! {
	pub const MaxAllowedUids: u32 = 4096;
}

impl pallet_weights::Config for Test {
	type AdminOrigin = polkadot_sdk::frame_system::EnsureRoot<AccountId>;
	type Subnets = MockSubnets;
	type Neurons = MockNeurons;
	type Stake = MockStake;
	type ComputeScores = MockComputeScores;
	type MaxAllowedUids = MaxAllowedUids;
	type MaxUnrevealedCommits = ConstU32<10>;
	type MaxSaltLength = ConstU32<32>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Creates a subnet (tests start with none).
pub fn add_subnet(netuid: NetUid, params: SubnetHyperparameters) {
	SUBNETS.with(|subnets| subnets.borrow_mut().insert(netuid, params));
	NEURONS.with(|neurons| {
		neurons.borrow_mut().entry(netuid).or_default();
	});
}

/// Forgets a subnet and its neurons.
pub fn remove_subnet(netuid: NetUid) {
	SUBNETS.with(|subnets| subnets.borrow_mut().remove(&netuid));
	NEURONS.with(|neurons| neurons.borrow_mut().remove(&netuid));
}

/// Changes some hyperparameters of an existing subnet.
pub fn tune(netuid: NetUid, change: impl FnOnce(&mut SubnetHyperparameters)) {
	SUBNETS.with(|subnets| change(subnets.borrow_mut().get_mut(&netuid).expect("subnet exists")));
}

/// Registers `hotkey` now, as registration does: the next uid, or `replace` if given.
pub fn register(netuid: NetUid, hotkey: AccountId, replace: Option<Uid>) -> Uid {
	let now = System::block_number();
	let uid = NEURONS.with(|neurons| {
		let mut neurons = neurons.borrow_mut();
		let subnet = neurons.get_mut(&netuid).expect("subnet exists");
		match replace {
			Some(uid) => {
				subnet[uid as usize] = (hotkey, now);
				uid
			}
			None => {
				subnet.push((hotkey, now));
				(subnet.len() - 1) as Uid
			}
		}
	});
	<Weights as OnNeuronRegistered>::on_neuron_registered(netuid, uid);
	uid
}

/// Gives `old`'s uids and stake to `new`, as a hotkey swap does.
pub fn swap_hotkey(old: AccountId, new: AccountId) {
	NEURONS.with(|neurons| {
		for (hotkey, _) in neurons.borrow_mut().values_mut().flatten() {
			if *hotkey == old {
				*hotkey = new;
			}
		}
	});
	STAKE.with(|s| {
		let stake = s.borrow_mut().remove(&old).unwrap_or_default();
		s.borrow_mut().insert(new, stake);
	});
}

pub fn set_stake(hotkey: AccountId, stake: Balance) {
	STAKE.with(|s| s.borrow_mut().insert(hotkey, stake));
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn create_subnet(params: SubnetHyperparameters) -> NetUid {
		let netuid = SUBNETS.with(|s| s.borrow().keys().last().map_or(1, |last| last + 1));
		add_subnet(netuid, params);
		netuid
	}
	fn register(netuid: NetUid, hotkey: &AccountId) {
		NEURONS.with(|n| n.borrow_mut().get_mut(&netuid).expect("subnet").push((*hotkey, 0)));
	}
	fn set_stake(hotkey: &AccountId, stake: Balance) {
		set_stake(*hotkey, stake);
	}
}

pub fn new_test_ext() -> TestExternalities {
	SUBNETS.with(|s| s.borrow_mut().clear());
	NEURONS.with(|n| n.borrow_mut().clear());
	STAKE.with(|s| s.borrow_mut().clear());
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `f` in fresh externalities and checks the storage invariants afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Weights::do_try_state().expect("storage invariants hold");
	});
}

pub fn run_to_block(block: BlockNumber) {
	System::set_block_number(block);
}
