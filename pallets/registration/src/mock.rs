//! A test runtime: System, Balances and Registration, with subnets, epoch results and the
//! replacement hook played by in-memory doubles.

use crate as pallet_registration;
use core::cell::RefCell;
use luxtensor_primitives::{
	subnets::{NetUid, NeuronEpochInfo, SubnetHyperparameters, Uid, ROOT_NETUID},
	traits::{
		EpochResults, OnColdkeySwapped, OnHotkeySwapped, OnNeuronRegistered, StakeInfo, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, weights::Weight},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{testing::TestSignature, BuildStorage},
};
use std::collections::BTreeMap;

pub type AccountId = u64;

pub const MDT: Balance = luxtensor_primitives::currency::MDT;
pub const ENDOWMENT: Balance = 1_000 * MDT;
pub const SWAP_COST: Balance = MDT;
pub const MIN_REPLACEABLE: u16 = 10;
pub const COLDKEY_SWAP_DELAY: BlockNumber = 10;
/// The subnet most tests register in.
pub const NETUID: NetUid = 1;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const POOR: AccountId = 3;

/// `hotkey`'s consent to be owned by `coldkey`, as `claim_hotkey` checks it.
pub fn consent(hotkey: AccountId, coldkey: AccountId) -> TestSignature {
	TestSignature(hotkey, Registration::ownership_message(&coldkey))
}

/// `coldkey` claims `hotkey` with the hotkey's consent.
pub fn claim(coldkey: AccountId, hotkey: AccountId) {
	polkadot_sdk::frame_support::assert_ok!(Registration::claim_hotkey(
		RuntimeOrigin::signed(coldkey),
		hotkey,
		consent(hotkey, coldkey)
	));
}

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
	pub type Registration = pallet_registration;
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
	type ExistentialDeposit = polkadot_sdk::frame_support::traits::ConstU128<500>;
}

thread_local! {
	static SUBNETS: RefCell<BTreeMap<NetUid, SubnetHyperparameters>> = const { RefCell::new(BTreeMap::new()) };
	static EMISSIONS: RefCell<BTreeMap<(NetUid, Uid), Balance>> = const { RefCell::new(BTreeMap::new()) };
	static REGISTERED: RefCell<Vec<(NetUid, Uid)>> = const { RefCell::new(Vec::new()) };
	static SWAPPED: RefCell<Vec<(AccountId, AccountId)>> = const { RefCell::new(Vec::new()) };
	static COLDKEY_SWAPPED: RefCell<Vec<(AccountId, AccountId)>> = const { RefCell::new(Vec::new()) };
	static STAKE: RefCell<BTreeMap<AccountId, Balance>> = const { RefCell::new(BTreeMap::new()) };
	/// Stake that has not stayed a whole holding period yet, by hotkey.
	static UNHELD: RefCell<BTreeMap<AccountId, Balance>> = const { RefCell::new(BTreeMap::new()) };
}

/// Stake set by tests.
pub struct MockStake;
impl StakeInfo<AccountId> for MockStake {
	fn stake_of(hotkey: &AccountId) -> Balance {
		STAKE.with(|stake| stake.borrow().get(hotkey).copied().unwrap_or(0))
	}
	fn held_stake_of(hotkey: &AccountId) -> Balance {
		let unheld = UNHELD.with(|unheld| unheld.borrow().get(hotkey).copied().unwrap_or(0));
		Self::stake_of(hotkey).saturating_sub(unheld)
	}
}

/// Sets `hotkey`'s stake, all of it held.
pub fn set_stake(hotkey: AccountId, stake: Balance) {
	STAKE.with(|stakes| stakes.borrow_mut().insert(hotkey, stake));
	UNHELD.with(|unheld| unheld.borrow_mut().remove(&hotkey));
}

/// Adds `amount` to `hotkey`'s stake that is not held yet.
pub fn add_unheld_stake(hotkey: AccountId, amount: Balance) {
	let stake = MockStake::stake_of(&hotkey);
	STAKE.with(|stakes| stakes.borrow_mut().insert(hotkey, stake + amount));
	UNHELD.with(|unheld| *unheld.borrow_mut().entry(hotkey).or_default() += amount);
}

/// Subnets as pallet-subnets keeps them, edited by tests.
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

/// Creates (or replaces) a subnet with the given hyperparameters.
pub fn set_subnet(netuid: NetUid, params: SubnetHyperparameters) {
	SUBNETS.with(|subnets| subnets.borrow_mut().insert(netuid, params));
}

/// Changes some hyperparameters of an existing subnet.
pub fn tune(netuid: NetUid, change: impl FnOnce(&mut SubnetHyperparameters)) {
	SUBNETS.with(|subnets| change(subnets.borrow_mut().get_mut(&netuid).expect("subnet exists")));
}

pub fn remove_subnet(netuid: NetUid) {
	SUBNETS.with(|subnets| subnets.borrow_mut().remove(&netuid));
}

/// Epoch emissions set by tests.
pub struct MockEpochResults;
impl EpochResults for MockEpochResults {
	fn emissions(netuid: NetUid) -> Vec<Balance> {
		let n = crate::NeuronCount::<Test>::get(netuid);
		EMISSIONS.with(|emissions| {
			let emissions = emissions.borrow();
			(0..n).map(|uid| emissions.get(&(netuid, uid)).copied().unwrap_or(0)).collect()
		})
	}
	fn neuron_epochs(netuid: NetUid) -> Vec<NeuronEpochInfo> {
		Self::emissions(netuid)
			.into_iter()
			.map(|emission| NeuronEpochInfo { emission, ..Default::default() })
			.collect()
	}
}

pub fn set_emission(netuid: NetUid, uid: Uid, emission: Balance) {
	EMISSIONS.with(|emissions| emissions.borrow_mut().insert((netuid, uid), emission));
}

/// Records the uids the registration hook was told about.
pub struct RecordRegistered;
impl OnNeuronRegistered for RecordRegistered {
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight {
		REGISTERED.with(|registered| registered.borrow_mut().push((netuid, uid)));
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

pub fn registered_uids() -> Vec<(NetUid, Uid)> {
	REGISTERED.with(|registered| registered.borrow().clone())
}

/// Records the hotkey swaps the hook was told about.
pub struct RecordSwapped;
impl OnHotkeySwapped<AccountId> for RecordSwapped {
	fn on_hotkey_swapped(old: &AccountId, new: &AccountId) -> Weight {
		SWAPPED.with(|swapped| swapped.borrow_mut().push((*old, *new)));
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

pub fn swapped_hotkeys() -> Vec<(AccountId, AccountId)> {
	SWAPPED.with(|swapped| swapped.borrow().clone())
}

/// Records coldkey swaps, as stake and subnets would follow them; fails while
/// [`FailColdkeySwaps`] is set.
pub struct RecordColdkeySwapped;
impl OnColdkeySwapped<AccountId> for RecordColdkeySwapped {
	fn on_coldkey_swapped(
		old: &AccountId,
		new: &AccountId,
	) -> Result<Weight, polkadot_sdk::sp_runtime::DispatchError> {
		if FailColdkeySwaps::get() {
			return Err("the stake cannot move".into());
		}
		COLDKEY_SWAPPED.with(|swapped| swapped.borrow_mut().push((*old, *new)));
		Ok(Weight::zero())
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

pub fn swapped_coldkeys() -> Vec<(AccountId, AccountId)> {
	COLDKEY_SWAPPED.with(|swapped| swapped.borrow().clone())
}

parameter_types! {
	pub const MaxAllowedUids: u16 = 4096;
	pub const MinReplaceableNeurons: u16 = MIN_REPLACEABLE;
	pub const HotkeySwapCost: Balance = SWAP_COST;
	pub const MaxSubnets: u32 = 129;
	pub static MaxHotkeysPerColdkey: u32 = 64;
	pub const ColdkeySwapDelay: BlockNumber = COLDKEY_SWAP_DELAY;
	pub const ColdkeySwapCost: Balance = SWAP_COST;
	pub static FailColdkeySwaps: bool = false;
}

impl pallet_registration::Config for Test {
	type HotkeySignature = TestSignature;
	type Currency = Balances;
	type Subnets = MockSubnets;
	type EpochResults = MockEpochResults;
	type Stake = MockStake;
	type OnNeuronRegistered = RecordRegistered;
	type OnHotkeySwapped = RecordSwapped;
	type MaxAllowedUids = MaxAllowedUids;
	type MinReplaceableNeurons = MinReplaceableNeurons;
	type HotkeySwapCost = HotkeySwapCost;
	type MaxSubnets = MaxSubnets;
	type MaxHotkeysPerColdkey = MaxHotkeysPerColdkey;
	type ColdkeySwapDelay = ColdkeySwapDelay;
	type ColdkeySwapCost = ColdkeySwapCost;
	type OnColdkeySwapped = RecordColdkeySwapped;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSubnetCreator;
}

/// Creates benchmark subnets in the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockSubnetCreator;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, TestSignature> for MockSubnetCreator {
	fn signing_hotkey(message: &[u8]) -> (AccountId, TestSignature) {
		let hotkey = 70_000;
		(hotkey, TestSignature(hotkey, message.to_vec()))
	}
	fn create_subnet(params: SubnetHyperparameters) -> NetUid {
		let netuid = SUBNETS.with(|subnets| subnets.borrow().keys().max().map_or(1, |n| n + 1));
		set_subnet(netuid, params);
		netuid
	}
	fn set_root_capacity(members: u16) {
		tune(ROOT_NETUID, |params| params.max_allowed_uids = members);
	}
	fn set_stake(_: &AccountId, hotkey: &AccountId, stake: Balance) {
		set_stake(*hotkey, stake);
	}
	fn hold_stake() {}
}

/// The root network and subnet [`NETUID`] with default hyperparameters; Alice and Bob hold
/// [`ENDOWMENT`]; block 1.
pub fn new_test_ext() -> TestExternalities {
	SUBNETS.with(|subnets| subnets.borrow_mut().clear());
	EMISSIONS.with(|emissions| emissions.borrow_mut().clear());
	REGISTERED.with(|registered| registered.borrow_mut().clear());
	STAKE.with(|stake| stake.borrow_mut().clear());
	UNHELD.with(|unheld| unheld.borrow_mut().clear());
	COLDKEY_SWAPPED.with(|swapped| swapped.borrow_mut().clear());
	MaxHotkeysPerColdkey::set(64);
	FailColdkeySwaps::set(false);
	set_subnet(ROOT_NETUID, SubnetHyperparameters::default());
	set_subnet(NETUID, SubnetHyperparameters::default());
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, ENDOWMENT), (BOB, ENDOWMENT), (POOR, MDT / 10_000)],
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
		Registration::do_try_state().expect("invariants hold");
	});
}

pub fn run_to_block(number: BlockNumber) {
	System::set_block_number(number);
}
