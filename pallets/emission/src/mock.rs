//! A test runtime: System, Balances, Stake and Emission, with subnets, neurons, hotkey owners and
//! the Yuma epoch played by in-memory doubles that tests edit.

use crate as pallet_emission;
use crate::issuance::split;
use core::cell::RefCell;
use luxtensor_primitives::{
	currency::{BLOCK_EMISSION, MAX_SUPPLY, MDT},
	subnets::{NetUid, SubnetHyperparameters, Uid, ROOT_NETUID},
	traits::{
		Epoch, EpochPayouts, HotkeyOwnership, NeuronPayout, Neurons, OnSubnetScheduled,
		RootWeights, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU128, ConstU32, Hooks},
		weights::Weight,
		PalletId,
	},
	frame_system, pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchResult, Perbill},
};
use std::collections::BTreeMap;

pub type AccountId = u64;

pub const ENDOWMENT: Balance = 1_000 * MDT;
pub const MIN_STAKE: Balance = 2 * MDT / 1_000;
pub const TAKE_INTERVAL: BlockNumber = 216_000;
pub const TAKE_DELAY: BlockNumber = 100;
pub const ED: Balance = 500;
/// Stake counts as held after 10 to 20 blocks.
pub const HOLDING_PERIOD: BlockNumber = 10;

/// Coldkeys with [`ENDOWMENT`].
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// Subnet 1's owner coldkey and hotkey.
pub const OWNER: AccountId = 10;
pub const OWNER_HOTKEY: AccountId = 11;

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
	pub type Emission = pallet_emission;
	#[runtime::pallet_index(3)]
	pub type Stake = pallet_stake;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = frame_system::mocking::MockBlockU32<Test>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
}

/// A subnet of the double: its hyperparameters, owner (coldkey, hotkey) and neurons' hotkeys.
#[derive(Clone, Default)]
pub struct MockSubnet {
	pub params: SubnetHyperparameters,
	pub owner: Option<(AccountId, AccountId)>,
	pub hotkeys: Vec<AccountId>,
	/// Per uid, the parts of the epoch's incentive and dividends the uid earns.
	pub parts: Vec<(u64, u64)>,
	/// The weight the epoch declares.
	pub epoch_weight: Weight,
	/// The block it was created in.
	pub registered_at: BlockNumber,
}

thread_local! {
	static SUBNETS: RefCell<BTreeMap<NetUid, MockSubnet>> = const { RefCell::new(BTreeMap::new()) };
	static OWNERS: RefCell<BTreeMap<AccountId, AccountId>> = const { RefCell::new(BTreeMap::new()) };
	/// Each root member's weights over subnets, by root uid.
	static ROOT_WEIGHTS: RefCell<BTreeMap<Uid, Vec<(NetUid, u16)>>> = const { RefCell::new(BTreeMap::new()) };
	/// Every epoch run: (block, netuid, emission).
	static EPOCHS: RefCell<Vec<(BlockNumber, NetUid, Balance)>> = const { RefCell::new(Vec::new()) };
}

pub struct MockSubnets;
impl SubnetsInfo<AccountId> for MockSubnets {
	fn exists(netuid: NetUid) -> bool {
		SUBNETS.with(|subnets| subnets.borrow().contains_key(&netuid))
	}
	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters> {
		SUBNETS.with(|subnets| subnets.borrow().get(&netuid).map(|s| s.params.clone()))
	}
	fn owner(netuid: NetUid) -> Option<AccountId> {
		SUBNETS.with(|subnets| subnets.borrow().get(&netuid)?.owner.map(|(coldkey, _)| coldkey))
	}
	fn owner_hotkey(netuid: NetUid) -> Option<AccountId> {
		SUBNETS.with(|subnets| subnets.borrow().get(&netuid)?.owner.map(|(_, hotkey)| hotkey))
	}
	fn netuids() -> Vec<NetUid> {
		SUBNETS.with(|subnets| subnets.borrow().keys().copied().collect())
	}
	fn registered_at(netuid: NetUid) -> Option<BlockNumber> {
		let at = SUBNETS.with(|subnets| subnets.borrow().get(&netuid).map(|s| s.registered_at));
		at.filter(|_| netuid != ROOT_NETUID)
	}
}

pub struct MockNeurons;
impl Neurons<AccountId> for MockNeurons {
	fn neuron_count(netuid: NetUid) -> u16 {
		SUBNETS.with(|s| s.borrow().get(&netuid).map_or(0, |s| s.hotkeys.len() as u16))
	}
	fn uid(netuid: NetUid, hotkey: &AccountId) -> Option<Uid> {
		SUBNETS.with(|s| {
			s.borrow().get(&netuid)?.hotkeys.iter().position(|h| h == hotkey).map(|u| u as Uid)
		})
	}
	fn hotkey(netuid: NetUid, uid: Uid) -> Option<AccountId> {
		SUBNETS.with(|s| s.borrow().get(&netuid)?.hotkeys.get(uid as usize).copied())
	}
	fn registered_at(_: NetUid, _: Uid) -> Option<BlockNumber> {
		Some(0)
	}
	fn is_immune(_: NetUid, _: Uid) -> bool {
		false
	}
}

pub struct MockOwnership;
impl HotkeyOwnership<AccountId> for MockOwnership {
	fn owner(hotkey: &AccountId) -> Option<AccountId> {
		OWNERS.with(|owners| owners.borrow().get(hotkey).copied())
	}
	fn owned_hotkeys(coldkey: &AccountId) -> Vec<AccountId> {
		OWNERS.with(|owners| {
			owners.borrow().iter().filter(|(_, owner)| *owner == coldkey).map(|(h, _)| *h).collect()
		})
	}
	fn claim(hotkey: &AccountId, coldkey: &AccountId) -> DispatchResult {
		OWNERS.with(|owners| owners.borrow_mut().insert(*hotkey, *coldkey));
		Ok(())
	}
}

pub struct MockRootWeights;
impl RootWeights for MockRootWeights {
	fn root_weights(uid: Uid) -> Vec<(NetUid, u16)> {
		ROOT_WEIGHTS.with(|weights| weights.borrow().get(&uid).cloned().unwrap_or_default())
	}
}

pub fn set_root_weights(uid: Uid, row: Vec<(NetUid, u16)>) {
	ROOT_WEIGHTS.with(|weights| weights.borrow_mut().insert(uid, row));
}

/// An epoch that pays half of the emission as incentive and half as dividends, each split by
/// the subnet's `parts`; a half with no parts at all is unpaid.
pub struct MockEpoch;
impl Epoch<AccountId> for MockEpoch {
	fn run(netuid: NetUid, emission: Balance) -> EpochPayouts<AccountId> {
		EPOCHS.with(|e| e.borrow_mut().push((System::block_number(), netuid, emission)));
		let parts = SUBNETS.with(|s| s.borrow().get(&netuid).map(|s| s.parts.clone()));
		let parts = parts.unwrap_or_default();
		let incentive_total = emission / 2;
		let mut payouts: Vec<_> = (0..parts.len())
			.map(|uid| NeuronPayout {
				hotkey: MockNeurons::hotkey(netuid, uid as Uid),
				incentive: 0,
				dividends: 0,
			})
			.collect();
		let mut unpaid = 0;
		for (half, total) in [(0, incentive_total), (1, emission - incentive_total)] {
			let shares: Vec<(usize, u64)> = parts
				.iter()
				.enumerate()
				.map(|(uid, p)| (uid, if half == 0 { p.0 } else { p.1 }))
				.collect();
			if shares.iter().all(|(_, share)| *share == 0) {
				unpaid += total;
				continue;
			}
			for (uid, amount) in split(total, &shares) {
				if half == 0 {
					payouts[uid].incentive += amount;
				} else {
					payouts[uid].dividends += amount;
				}
			}
		}
		EpochPayouts { payouts, unpaid }
	}
	fn weight(netuid: NetUid) -> Weight {
		SUBNETS.with(|s| s.borrow().get(&netuid).map_or(Weight::zero(), |s| s.epoch_weight))
	}
	fn last_epoch_block(netuid: NetUid) -> Option<BlockNumber> {
		EPOCHS.with(|e| e.borrow().iter().rev().find(|(_, n, _)| *n == netuid).map(|(b, _, _)| *b))
	}
}

parameter_types! {
	pub const StakePalletId: PalletId = PalletId(*b"lux/stak");
	pub const BlockEmission: Balance = BLOCK_EMISSION;
	pub const MaxSupply: Balance = MAX_SUPPLY;
	pub const NposShare: Perbill = Perbill::from_percent(10);
	pub const MinStake: Balance = MIN_STAKE;
	pub const DefaultTake: Perbill = Perbill::from_percent(18);
	pub const TakeIncreaseInterval: BlockNumber = TAKE_INTERVAL;
	pub const TakeIncreaseDelay: BlockNumber = TAKE_DELAY;
	pub const HoldingPeriod: BlockNumber = HOLDING_PERIOD;
	pub const EpochWeightBudget: Weight = Weight::from_parts(1_000_000_000_000, u64::MAX);
}

impl pallet_stake::Config for Test {
	type Currency = Balances;
	type HotkeyOwnership = MockOwnership;
	type PalletId = StakePalletId;
	type MinStake = MinStake;
	type DefaultTake = DefaultTake;
	type TakeIncreaseInterval = TakeIncreaseInterval;
	type TakeIncreaseDelay = TakeIncreaseDelay;
	type HoldingPeriod = HoldingPeriod;
	type ColdkeySwaps = ();
	type MaxPositions = polkadot_sdk::frame_support::traits::ConstU32<64>;
	type WeightInfo = ();
}

impl pallet_emission::Config for Test {
	type Currency = Balances;
	type Stake = Stake;
	type Subnets = MockSubnets;
	type Neurons = MockNeurons;
	type Epoch = MockEpoch;
	type RootWeights = MockRootWeights;
	type BlockEmission = BlockEmission;
	type MaxSupply = MaxSupply;
	type NposShare = NposShare;
	type EpochWeightBudget = EpochWeightBudget;
	type MaxSubnets = ConstU32<129>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn create_subnet(params: SubnetHyperparameters) -> NetUid {
		let netuid = SUBNETS.with(|s| s.borrow().keys().last().map_or(1, |last| last + 1));
		add_subnet(netuid, params.tempo);
		netuid
	}
	fn register(netuid: NetUid, hotkey: &AccountId) {
		add_neuron(netuid, *hotkey, *hotkey + 1_000_000, (1, 1));
	}
	fn add_root_member(hotkey: &AccountId) {
		edit_subnet(ROOT_NETUID, |root| root.hotkeys.push(*hotkey));
	}
	fn set_root_weights(hotkey: &AccountId, weights: Vec<(NetUid, u16)>) {
		let uid = MockNeurons::uid(ROOT_NETUID, hotkey).expect("a root member");
		set_root_weights(uid, weights);
	}
	fn add_stake(coldkey: &AccountId, hotkey: &AccountId, amount: Balance) {
		Stake::add_stake(RuntimeOrigin::signed(*coldkey), *hotkey, amount).expect("staked");
	}
	fn hold_stake() {
		System::set_block_number(System::block_number() + 2 * HOLDING_PERIOD);
	}
}

/// Adds subnet `netuid` with `tempo`, owned by ([`OWNER`], [`OWNER_HOTKEY`]).
pub fn add_subnet(netuid: NetUid, tempo: u16) {
	let params = SubnetHyperparameters { tempo, ..Default::default() };
	let registered_at = System::block_number();
	let owner = Some((OWNER, OWNER_HOTKEY));
	let subnet = MockSubnet { params, owner, registered_at, ..Default::default() };
	SUBNETS.with(|subnets| subnets.borrow_mut().insert(netuid, subnet));
	set_owner(OWNER_HOTKEY, OWNER);
	Emission::on_subnet_registered(netuid, tempo);
}

/// Sets a subnet's tempo, as pallet-subnets does: the schedule hears of it.
pub fn set_tempo(netuid: NetUid, tempo: u16) {
	edit_subnet(netuid, |subnet| subnet.params.tempo = tempo);
	Emission::on_tempo_set(netuid, tempo);
}

/// Changes a subnet of the double.
pub fn edit_subnet(netuid: NetUid, change: impl FnOnce(&mut MockSubnet)) {
	SUBNETS.with(|subnets| change(subnets.borrow_mut().get_mut(&netuid).expect("subnet exists")));
}

pub fn remove_subnet(netuid: NetUid) {
	SUBNETS.with(|subnets| subnets.borrow_mut().remove(&netuid));
}

/// Registers `hotkey` (owned by `coldkey`) in the subnet, earning `parts` of each epoch.
pub fn add_neuron(netuid: NetUid, hotkey: AccountId, coldkey: AccountId, parts: (u64, u64)) {
	set_owner(hotkey, coldkey);
	edit_subnet(netuid, |subnet| {
		subnet.hotkeys.push(hotkey);
		subnet.parts.push(parts);
	});
}

pub fn set_owner(hotkey: AccountId, coldkey: AccountId) {
	OWNERS.with(|owners| owners.borrow_mut().insert(hotkey, coldkey));
}

/// The epochs run so far: (block, netuid, emission).
pub fn epochs() -> Vec<(BlockNumber, NetUid, Balance)> {
	EPOCHS.with(|e| e.borrow().clone())
}

pub fn new_test_ext() -> TestExternalities {
	SUBNETS.with(|s| s.borrow_mut().clear());
	OWNERS.with(|o| o.borrow_mut().clear());
	EPOCHS.with(|e| e.borrow_mut().clear());
	ROOT_WEIGHTS.with(|w| w.borrow_mut().clear());
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, OWNER].iter().map(|a| (*a, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("balances genesis");
	pallet_stake::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut storage)
		.expect("stake genesis");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		// The root network exists and never earns.
		let root = MockSubnet { params: SubnetHyperparameters::default(), ..Default::default() };
		SUBNETS.with(|subnets| subnets.borrow_mut().insert(ROOT_NETUID, root));
	});
	ext
}

/// Total issuance equals the sum of every account's balance (free and held).
pub fn assert_issuance_conserved() {
	let accounts: Balance = frame_system::Account::<Test>::iter()
		.map(|(_, info)| info.data.free + info.data.reserved)
		.sum();
	assert_eq!(Balances::total_issuance(), accounts, "issuance is the sum of all balances");
}

/// Runs `f` in fresh externalities and checks the storage invariants afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Emission::do_try_state().expect("emission's storage invariants hold");
		Stake::do_try_state().expect("stake's storage invariants hold");
		assert_issuance_conserved();
	});
}

/// Runs blocks up to `block`, each with Emission's `on_initialize`.
pub fn run_to_block(block: BlockNumber) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Emission::on_initialize(next);
	}
}
