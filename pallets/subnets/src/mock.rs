//! A test runtime: System, Balances and Subnets, with hotkey ownership, neuron counts and
//! the dissolution hook played by in-memory doubles.

use crate as pallet_subnets;
use core::cell::RefCell;
use luxtensor_primitives::{
	subnets::{NetUid, ROOT_NETUID},
	traits::{HotkeyOwnership, Neurons, OnSubnetDissolved, OnSubnetScheduled},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchError, DispatchResult},
};
use std::collections::BTreeMap;

pub type AccountId = u64;

pub const MDT: Balance = luxtensor_primitives::currency::MDT;
pub const MIN_LOCK: Balance = 1_000 * MDT;
pub const LOCK_REDUCTION_INTERVAL: BlockNumber = 100_800;
pub const RATE_LIMIT: BlockNumber = 7_200;
pub const SUBNET_LIMIT: u16 = 4;

/// Well-funded coldkeys, and one without funds.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const POOR: AccountId = 3;
pub const ALICE_HOTKEY: AccountId = 11;
pub const BOB_HOTKEY: AccountId = 12;
pub const ENDOWMENT: Balance = 100_000 * MDT;

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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Subnets = pallet_subnets;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlockU32<Test>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static HOTKEY_OWNERS: RefCell<BTreeMap<AccountId, AccountId>> = const { RefCell::new(BTreeMap::new()) };
	static NEURON_COUNTS: RefCell<BTreeMap<NetUid, u16>> = const { RefCell::new(BTreeMap::new()) };
	static DISSOLVED: RefCell<Vec<NetUid>> = const { RefCell::new(Vec::new()) };
	static SCHEDULED: RefCell<Vec<(NetUid, u16, bool)>> = const { RefCell::new(Vec::new()) };
	/// The root network's members' hotkeys, by uid.
	static ROOT_MEMBERS: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

/// Hotkey ownership as pallet-registration keeps it: first claim wins.
pub struct MockHotkeyOwnership;
impl HotkeyOwnership<AccountId> for MockHotkeyOwnership {
	fn owner(hotkey: &AccountId) -> Option<AccountId> {
		HOTKEY_OWNERS.with(|owners| owners.borrow().get(hotkey).copied())
	}
	fn owned_hotkeys(coldkey: &AccountId) -> Vec<AccountId> {
		HOTKEY_OWNERS.with(|owners| {
			owners.borrow().iter().filter(|(_, owner)| *owner == coldkey).map(|(h, _)| *h).collect()
		})
	}

	fn claim(hotkey: &AccountId, coldkey: &AccountId) -> DispatchResult {
		HOTKEY_OWNERS.with(|owners| {
			let mut owners = owners.borrow_mut();
			match owners.get(hotkey) {
				Some(owner) if owner != coldkey => Err(DispatchError::Other("owned by another")),
				_ => {
					owners.insert(*hotkey, *coldkey);
					Ok(())
				}
			}
		})
	}
}

/// Neuron counts and root members set by tests; every other `Neurons` answer is empty.
pub struct MockNeurons;
impl Neurons<AccountId> for MockNeurons {
	fn neuron_count(netuid: NetUid) -> u16 {
		NEURON_COUNTS.with(|counts| counts.borrow().get(&netuid).copied().unwrap_or(0))
	}
	fn uid(netuid: NetUid, hotkey: &AccountId) -> Option<u16> {
		if netuid != ROOT_NETUID {
			return None;
		}
		ROOT_MEMBERS
			.with(|members| members.borrow().iter().position(|m| m == hotkey))
			.map(|uid| uid as u16)
	}
	fn hotkey(_: NetUid, _: u16) -> Option<AccountId> {
		None
	}
	fn registered_at(_: NetUid, _: u16) -> Option<BlockNumber> {
		None
	}
	fn is_immune(_: NetUid, _: u16) -> bool {
		false
	}
}

pub fn set_neuron_count(netuid: NetUid, count: u16) {
	NEURON_COUNTS.with(|counts| counts.borrow_mut().insert(netuid, count));
}

/// Makes `hotkey` the root network's next member; returns its uid.
pub fn add_root_member(hotkey: AccountId) -> u16 {
	let count = ROOT_MEMBERS.with(|members| {
		let mut members = members.borrow_mut();
		members.push(hotkey);
		members.len() as u16
	});
	set_neuron_count(ROOT_NETUID, count);
	count - 1
}

/// Records which subnets were dissolved; their neurons are cleared `limit` at a time.
pub struct RecordDissolved;
impl OnSubnetDissolved for RecordDissolved {
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		DISSOLVED.with(|dissolved| dissolved.borrow_mut().push(netuid));
		Weight::from_parts(1_000, 0)
	}
	fn weight(_: NetUid) -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn clear_subnet(netuid: NetUid, limit: u32) -> (Weight, bool) {
		let left = MockNeurons::neuron_count(netuid).saturating_sub(limit as u16);
		set_neuron_count(netuid, left);
		(Weight::from_parts(100 * u64::from(limit), 0), left == 0)
	}
}

/// Records what the epoch schedule was told: `(netuid, tempo, registered)`.
pub struct RecordScheduled;
impl OnSubnetScheduled for RecordScheduled {
	fn on_subnet_registered(netuid: NetUid, tempo: u16) {
		SCHEDULED.with(|scheduled| scheduled.borrow_mut().push((netuid, tempo, true)));
	}
	fn on_tempo_set(netuid: NetUid, tempo: u16) {
		SCHEDULED.with(|scheduled| scheduled.borrow_mut().push((netuid, tempo, false)));
	}
}

pub fn scheduled() -> Vec<(NetUid, u16, bool)> {
	SCHEDULED.with(|scheduled| scheduled.borrow().clone())
}

pub fn dissolved() -> Vec<NetUid> {
	DISSOLVED.with(|dissolved| dissolved.borrow().clone())
}

parameter_types! {
	pub const NetworkMinLockCost: Balance = MIN_LOCK;
	pub const LockReductionInterval: BlockNumber = LOCK_REDUCTION_INTERVAL;
	pub const NetworkRateLimit: BlockNumber = RATE_LIMIT;
	pub const SubnetLimit: u16 = SUBNET_LIMIT;
	pub const SubnetClearLimit: u32 = 2;
	pub const OwnerMinBurnFloor: Balance = MDT / 2_000;
	pub const OwnerMaxBurnCeiling: Balance = 100 * MDT;
}

impl pallet_subnets::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type HotkeyOwnership = MockHotkeyOwnership;
	type Neurons = MockNeurons;
	type OnSubnetDissolved = RecordDissolved;
	type OnSubnetScheduled = RecordScheduled;
	type SubnetClearLimit = SubnetClearLimit;
	type NetworkMinLockCost = NetworkMinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type SubnetLimit = SubnetLimit;
	type OwnerMinBurnFloor = OwnerMinBurnFloor;
	type OwnerMaxBurnCeiling = OwnerMaxBurnCeiling;
	type MaxSubnets = ConstU32<{ SUBNET_LIMIT as u32 + 1 }>;
	type AdminOrigin = polkadot_sdk::frame_system::EnsureRoot<AccountId>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRootMembers;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockRootMembers;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockRootMembers {
	fn add_root_member(hotkey: &AccountId) {
		add_root_member(*hotkey);
	}
}

/// Alice and Bob hold [`ENDOWMENT`], the root network exists; runs `try_state` at the end.
pub fn new_test_ext() -> TestExternalities {
	HOTKEY_OWNERS.with(|owners| owners.borrow_mut().clear());
	NEURON_COUNTS.with(|counts| counts.borrow_mut().clear());
	DISSOLVED.with(|dissolved| dissolved.borrow_mut().clear());
	ROOT_MEMBERS.with(|members| members.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (POOR, 10 * MDT)],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in a fresh externality, then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Subnets::do_try_state().expect("invariants hold");
	});
}

use polkadot_sdk::frame_support::traits::Hooks;

/// Moves to block `number` (the pallet has no per-block hooks).
/// Moves to block `number`, running the pallet's `on_initialize` in each block on the way.
pub fn run_to_block(number: BlockNumber) {
	while System::block_number() < number {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Subnets::on_initialize(next);
	}
}
