//! A test runtime: System, Balances and Stake, with hotkey owners played by an in-memory
//! double that tests edit.

use crate as pallet_stake;
use core::cell::RefCell;
use luxtensor_primitives::{
	currency::MDT,
	traits::{ColdkeySwapStatus, HotkeyOwnership},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{derive_impl, parameter_types, traits::ConstU128, PalletId},
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
pub const HOLDING_PERIOD: BlockNumber = 10;
pub const ED: Balance = 500;

/// Coldkeys with [`ENDOWMENT`].
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;

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

thread_local! {
	static OWNERS: RefCell<BTreeMap<AccountId, AccountId>> = const { RefCell::new(BTreeMap::new()) };
	static SWAPPING: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

/// Coldkeys with a swap scheduled, as registration would report them.
pub struct MockColdkeySwaps;
impl ColdkeySwapStatus<AccountId> for MockColdkeySwaps {
	fn is_swap_pending(coldkey: &AccountId) -> bool {
		SWAPPING.with(|swapping| swapping.borrow().contains(coldkey))
	}
}

pub fn schedule_swap(coldkey: AccountId) {
	SWAPPING.with(|swapping| swapping.borrow_mut().push(coldkey));
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

pub fn set_owner(hotkey: AccountId, coldkey: AccountId) {
	OWNERS.with(|owners| owners.borrow_mut().insert(hotkey, coldkey));
}

parameter_types! {
	pub const StakePalletId: PalletId = PalletId(*b"lux/stak");
	pub const MinStake: Balance = MIN_STAKE;
	pub const DefaultTake: Perbill = Perbill::from_percent(18);
	pub const TakeIncreaseInterval: BlockNumber = TAKE_INTERVAL;
	pub const TakeIncreaseDelay: BlockNumber = TAKE_DELAY;
	pub const HoldingPeriod: BlockNumber = HOLDING_PERIOD;
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
	type ColdkeySwaps = MockColdkeySwaps;
	type MaxPositions = polkadot_sdk::frame_support::traits::ConstU32<4>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> TestExternalities {
	OWNERS.with(|o| o.borrow_mut().clear());
	SWAPPING.with(|s| s.borrow_mut().clear());
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CHARLIE, DAVE].iter().map(|a| (*a, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("balances genesis");
	pallet_stake::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut storage)
		.expect("stake genesis");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
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
		Stake::do_try_state().expect("storage invariants hold");
		assert_issuance_conserved();
	});
}
