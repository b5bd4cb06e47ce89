//! A test runtime: System, Balances and Compute, with subnets, neurons, hotkey owners,
//! validators and randomness played by in-memory doubles.

use crate as pallet_compute;
use codec::Encode;
use core::cell::RefCell;
use luxtensor_primitives::{
	compute::HardwareSpec,
	subnets::{NetUid, SubnetHyperparameters, Uid},
	traits::{HotkeyOwnership, Neurons, SubnetValidators, SubnetsInfo},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{Hooks, Randomness},
		weights::Weight,
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_core::H256,
	sp_io::{hashing::blake2_256, TestExternalities},
	sp_runtime::{BuildStorage, DispatchResult, Perbill},
};
use std::collections::BTreeMap;

pub type AccountId = u64;

pub const MDT: Balance = luxtensor_primitives::currency::MDT;
pub const ENDOWMENT: Balance = 1_000 * MDT;
pub const BASE_BOND: Balance = 10 * MDT;
pub const BOND_PER_GPU: Balance = 5 * MDT;
pub const ATTESTOR_FEE: Balance = MDT;
pub const DRAW_DELAY: BlockNumber = 2;
pub const COMMIT_WINDOW: BlockNumber = 5;
pub const REVEAL_WINDOW: BlockNumber = 5;
pub const BENCH_PERIOD: BlockNumber = 100;
pub const HEARTBEAT_TIMEOUT: BlockNumber = 20;
pub const MIN_HEARTBEAT_INTERVAL: BlockNumber = 5;
pub const UNBONDING_PERIOD: BlockNumber = 50;
pub const SLASH_DEFER: BlockNumber = 10;
pub const OFFENCE_WINDOW: BlockNumber = 100;
pub const REVIEW_WINDOW: BlockNumber = 10;
pub const MAX_DEADLINES_PER_BLOCK: u32 = 4;
pub const MODEL_DEPOSIT_BASE: Balance = MDT;
pub const MODEL_DEPOSIT_PER_BYTE: Balance = MDT / 100;
pub const MAX_REPLICAS: u32 = 5;
pub const MAX_BIDS: u32 = 6;
pub const MAX_JOBS_PER_POSTER: u32 = 8;
pub const MAX_JOBS_PER_PROVIDER: u32 = 4;
pub const ACCEPT_TIMEOUT: BlockNumber = 5;
pub const RESULT_REVEAL_WINDOW: BlockNumber = 4;
pub const MAX_JOB_DURATION: BlockNumber = 500;
pub const MAX_AUCTION_WINDOW: BlockNumber = 20;
pub const MIN_LEASE_PERIOD: BlockNumber = 5;
pub const GRACE_PERIODS: u32 = 2;
pub const JOB_DEPOSIT: Balance = 2 * MDT;
pub const VERIFICATION_FEE: Balance = MDT / 2;
pub const ADVANCE_TIP: Balance = MDT / 10;
pub const JOB_RETENTION: BlockNumber = 30;
pub const METRICS_TEMPO: BlockNumber = 100;
pub const REPUTATION_HALF_LIFE: BlockNumber = 200;

/// The compute subnet most tests use.
pub const NETUID: NetUid = 1;
/// A subnet that exists but is not a compute subnet.
pub const PLAIN_NETUID: NetUid = 2;

/// The provider most tests register, its owner, and a second one.
pub const COLDKEY: AccountId = 1;
pub const HOTKEY: AccountId = 11;
pub const COLDKEY_2: AccountId = 2;
pub const HOTKEY_2: AccountId = 12;
/// A coldkey with almost nothing.
pub const POOR: AccountId = 3;
pub const POOR_HOTKEY: AccountId = 13;
/// Receives the rest of every slash, as the treasury does in the runtime.
pub const TREASURY: AccountId = 9_999;
/// Validators 101..=105 of [`NETUID`], owned by coldkeys 201..=205.
pub const VALIDATORS: [AccountId; 5] = [101, 102, 103, 104, 105];

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
	pub type Compute = pallet_compute;
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
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static SUBNETS: RefCell<Vec<NetUid>> = const { RefCell::new(Vec::new()) };
	static NEURONS: RefCell<BTreeMap<(NetUid, AccountId), Uid>> = const { RefCell::new(BTreeMap::new()) };
	static OWNERS: RefCell<BTreeMap<AccountId, AccountId>> = const { RefCell::new(BTreeMap::new()) };
	static VALIDATOR_SETS: RefCell<BTreeMap<NetUid, Vec<(AccountId, Balance)>>> = const { RefCell::new(BTreeMap::new()) };
	static RANDOM_SEED: RefCell<u64> = const { RefCell::new(0) };
}

pub struct MockSubnets;
impl SubnetsInfo<AccountId> for MockSubnets {
	fn exists(netuid: NetUid) -> bool {
		SUBNETS.with(|subnets| subnets.borrow().contains(&netuid))
	}
	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters> {
		Self::exists(netuid).then(SubnetHyperparameters::default)
	}
	fn owner(_: NetUid) -> Option<AccountId> {
		None
	}
	fn owner_hotkey(_: NetUid) -> Option<AccountId> {
		None
	}
	fn netuids() -> Vec<NetUid> {
		SUBNETS.with(|subnets| subnets.borrow().clone())
	}
	fn registered_at(netuid: NetUid) -> Option<BlockNumber> {
		Self::exists(netuid).then_some(0)
	}
}

pub struct MockNeurons;
impl Neurons<AccountId> for MockNeurons {
	fn neuron_count(netuid: NetUid) -> u16 {
		NEURONS.with(|neurons| neurons.borrow().keys().filter(|(n, _)| *n == netuid).count() as u16)
	}
	fn uid(netuid: NetUid, hotkey: &AccountId) -> Option<Uid> {
		NEURONS.with(|neurons| neurons.borrow().get(&(netuid, *hotkey)).copied())
	}
	fn hotkey(netuid: NetUid, uid: Uid) -> Option<AccountId> {
		NEURONS.with(|neurons| {
			neurons
				.borrow()
				.iter()
				.find(|((n, _), u)| *n == netuid && **u == uid)
				.map(|((_, hotkey), _)| *hotkey)
		})
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

pub struct MockValidators;
impl SubnetValidators<AccountId> for MockValidators {
	fn validators(netuid: NetUid) -> Vec<(AccountId, Balance)> {
		VALIDATOR_SETS.with(|sets| sets.borrow().get(&netuid).cloned().unwrap_or_default())
	}
}

/// Randomness from a seed tests set, mixed with the subject as BABE's is.
pub struct MockRandomness;
impl Randomness<H256, BlockNumber> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, BlockNumber) {
		let seed = RANDOM_SEED.with(|seed| *seed.borrow());
		(H256(blake2_256(&(subject, seed).encode())), System::block_number())
	}
}

parameter_types! {
	pub const BaseBond: Balance = BASE_BOND;
	pub const BondPerGpu: Balance = BOND_PER_GPU;
	pub const AttestorFee: Balance = ATTESTOR_FEE;
	pub const FalseSpecSlash: Perbill = Perbill::from_percent(10);
	pub const SlashRewardShare: Perbill = Perbill::from_percent(50);
	pub const SlashToPoster: Perbill = Perbill::from_percent(40);
	pub const TreasuryAccount: AccountId = TREASURY;
	pub const WrongResultSlash: Perbill = Perbill::from_percent(5);
	pub const TimeoutSlash: Perbill = Perbill::from_percent(1);
	pub const ChallengeBond: Balance = 10 * MDT;	pub const ModelDepositBase: Balance = MODEL_DEPOSIT_BASE;
	pub const ModelDepositPerByte: Balance = MODEL_DEPOSIT_PER_BYTE;
	/// No limit unless a test lowers it.
	pub storage DeadlineWeightBudget: Weight = Weight::MAX;
	pub storage MaxActiveJobs: u32 = 64;
	pub const CollateralRatio: Perbill = Perbill::from_percent(20);
	pub const ProtocolFee: Perbill = Perbill::from_percent(5);
	pub const InitialReputation: Perbill = Perbill::from_percent(50);
	pub const SuccessWeight: Perbill = Perbill::from_percent(10);
	pub const TimeoutWeight: Perbill = Perbill::from_percent(5);
	pub const WrongResultWeight: Perbill = Perbill::from_percent(50);
	pub const JobDeposit: Balance = JOB_DEPOSIT;
	pub const VerificationFee: Balance = VERIFICATION_FEE;
	pub const AdvanceTip: Balance = ADVANCE_TIP;
}

impl pallet_compute::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Subnets = MockSubnets;
	type Neurons = MockNeurons;
	type HotkeyOwnership = MockOwnership;
	type Validators = MockValidators;
	type Randomness = MockRandomness;
	type AdminOrigin = EnsureRoot<AccountId>;
	type BaseBond = BaseBond;
	type BondPerGpu = BondPerGpu;
	type MaxGpusPerProvider = polkadot_sdk::frame_support::traits::ConstU16<8>;
	type AttestorsPerProvider = polkadot_sdk::frame_support::traits::ConstU32<3>;
	type AttestorFee = AttestorFee;
	type DrawDelay = polkadot_sdk::frame_support::traits::ConstU32<DRAW_DELAY>;
	type CommitWindow = polkadot_sdk::frame_support::traits::ConstU32<COMMIT_WINDOW>;
	type RevealWindow = polkadot_sdk::frame_support::traits::ConstU32<REVEAL_WINDOW>;
	type AttestorBenchPeriod = polkadot_sdk::frame_support::traits::ConstU32<BENCH_PERIOD>;
	type HeartbeatTimeout = polkadot_sdk::frame_support::traits::ConstU32<HEARTBEAT_TIMEOUT>;
	type MinHeartbeatInterval =
		polkadot_sdk::frame_support::traits::ConstU32<MIN_HEARTBEAT_INTERVAL>;
	type UnbondingPeriod = polkadot_sdk::frame_support::traits::ConstU32<UNBONDING_PERIOD>;
	type MaxUnbondingChunks = polkadot_sdk::frame_support::traits::ConstU32<2>;
	type SlashDeferDuration = polkadot_sdk::frame_support::traits::ConstU32<SLASH_DEFER>;
	type FalseSpecSlash = FalseSpecSlash;
	type SlashRewardShare = SlashRewardShare;
	type SlashToPoster = SlashToPoster;
	type Treasury = TreasuryAccount;
	type WrongResultSlash = WrongResultSlash;
	type TimeoutSlash = TimeoutSlash;
	type OffenceWindow = polkadot_sdk::frame_support::traits::ConstU32<OFFENCE_WINDOW>;
	type SpotCheckers = polkadot_sdk::frame_support::traits::ConstU32<3>;
	type JurySize = polkadot_sdk::frame_support::traits::ConstU32<5>;
	type MaxReporters = polkadot_sdk::frame_support::traits::ConstU32<8>;
	type ReviewWindow = polkadot_sdk::frame_support::traits::ConstU32<REVIEW_WINDOW>;
	type ChallengeBond = ChallengeBond;
	type MaxChallengeWindow = polkadot_sdk::frame_support::traits::ConstU32<100>;
	type MaxDeadlinesPerBlock =
		polkadot_sdk::frame_support::traits::ConstU32<MAX_DEADLINES_PER_BLOCK>;
	type DeadlineWeightBudget = DeadlineWeightBudget;
	type ModelDepositBase = ModelDepositBase;
	type ModelDepositPerByte = ModelDepositPerByte;
	type MaxReplicas = polkadot_sdk::frame_support::traits::ConstU32<MAX_REPLICAS>;
	type MaxBidsPerJob = polkadot_sdk::frame_support::traits::ConstU32<MAX_BIDS>;
	type MaxProvidersPerClass = polkadot_sdk::frame_support::traits::ConstU32<16>;
	type MaxDrawCandidates = polkadot_sdk::frame_support::traits::ConstU32<16>;
	type MaxActiveJobs = MaxActiveJobs;
	type MaxJobsPerPoster = polkadot_sdk::frame_support::traits::ConstU32<MAX_JOBS_PER_POSTER>;
	type MaxJobsPerProvider = polkadot_sdk::frame_support::traits::ConstU32<MAX_JOBS_PER_PROVIDER>;
	type AcceptTimeout = polkadot_sdk::frame_support::traits::ConstU32<ACCEPT_TIMEOUT>;
	type ResultRevealWindow = polkadot_sdk::frame_support::traits::ConstU32<RESULT_REVEAL_WINDOW>;
	type MaxJobDuration = polkadot_sdk::frame_support::traits::ConstU32<MAX_JOB_DURATION>;
	type MaxAuctionWindow = polkadot_sdk::frame_support::traits::ConstU32<MAX_AUCTION_WINDOW>;
	type MinLeasePeriod = polkadot_sdk::frame_support::traits::ConstU32<MIN_LEASE_PERIOD>;
	type GracePeriods = polkadot_sdk::frame_support::traits::ConstU32<GRACE_PERIODS>;
	type JobDeposit = JobDeposit;
	type VerificationFee = VerificationFee;
	type CollateralRatio = CollateralRatio;
	type ProtocolFee = ProtocolFee;
	type AdvanceTip = AdvanceTip;
	type JobRetention = polkadot_sdk::frame_support::traits::ConstU32<JOB_RETENTION>;
	type InitialReputation = InitialReputation;
	type ReputationHalfLife = polkadot_sdk::frame_support::traits::ConstU32<REPUTATION_HALF_LIFE>;
	type SuccessWeight = SuccessWeight;
	type TimeoutWeight = TimeoutWeight;
	type WrongResultWeight = WrongResultWeight;
	type MetricsTempo = polkadot_sdk::frame_support::traits::ConstU32<METRICS_TEMPO>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Makes `hotkey` a neuron of `netuid` owned by `coldkey`.
pub fn add_neuron(netuid: NetUid, hotkey: AccountId, coldkey: AccountId) {
	let uid = MockNeurons::neuron_count(netuid);
	NEURONS.with(|neurons| neurons.borrow_mut().insert((netuid, hotkey), uid));
	OWNERS.with(|owners| owners.borrow_mut().insert(hotkey, coldkey));
}

/// Makes the validator set of `netuid` exactly `validators` (hotkey, stake).
pub fn set_validators(netuid: NetUid, validators: Vec<(AccountId, Balance)>) {
	VALIDATOR_SETS.with(|sets| sets.borrow_mut().insert(netuid, validators));
}

pub fn set_random_seed(seed: u64) {
	RANDOM_SEED.with(|cell| *cell.borrow_mut() = seed);
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId> for MockHelper {
	fn create_subnet() -> NetUid {
		let netuid =
			SUBNETS.with(|subnets| subnets.borrow().iter().max().copied().unwrap_or(0) + 1);
		SUBNETS.with(|subnets| subnets.borrow_mut().push(netuid));
		netuid
	}
	fn register_neuron(netuid: NetUid, hotkey: &AccountId, coldkey: &AccountId) {
		add_neuron(netuid, *hotkey, *coldkey);
	}
	fn add_validators(netuid: NetUid, validators: &[AccountId]) {
		for hotkey in validators {
			add_neuron(netuid, *hotkey, hotkey + 1_000_000);
		}
		set_validators(
			netuid,
			validators.iter().enumerate().map(|(i, v)| (*v, (i as Balance + 1) * MDT)).collect(),
		);
	}
}

/// A one-GPU spec.
pub fn spec(gpu_count: u16) -> HardwareSpec {
	HardwareSpec {
		gpu_model: b"NVIDIA A100 80GB".to_vec().try_into().expect("fits"),
		gpu_count,
		vram_per_gpu_mib: 81_920,
		compute_capability: luxtensor_primitives::compute::ComputeCapability { major: 8, minor: 0 },
		cpu_cores: 32,
		ram_mib: 262_144,
		disk_gib: 2_000,
		bandwidth_mbps: 10_000,
		region: *b"DE",
	}
}

/// Subnets [`NETUID`] (a compute subnet) and [`PLAIN_NETUID`]; the providers' hotkeys are
/// neurons of [`NETUID`], the validators too, with stakes 10..=50 MDT; block 1.
pub fn new_test_ext() -> TestExternalities {
	SUBNETS.with(|subnets| *subnets.borrow_mut() = vec![NETUID, PLAIN_NETUID]);
	NEURONS.with(|neurons| neurons.borrow_mut().clear());
	OWNERS.with(|owners| owners.borrow_mut().clear());
	VALIDATOR_SETS.with(|sets| sets.borrow_mut().clear());
	set_random_seed(0);
	add_neuron(NETUID, HOTKEY, COLDKEY);
	add_neuron(NETUID, HOTKEY_2, COLDKEY_2);
	add_neuron(NETUID, POOR_HOTKEY, POOR);
	for validator in VALIDATORS {
		add_neuron(NETUID, validator, validator + 100);
	}
	set_validators(
		NETUID,
		VALIDATORS.iter().enumerate().map(|(i, v)| (*v, (i as Balance + 1) * 10 * MDT)).collect(),
	);
	// The treasury exists from genesis, as in the runtime, so it takes any slash.
	let mut balances =
		vec![(COLDKEY, ENDOWMENT), (COLDKEY_2, ENDOWMENT), (POOR, MDT), (TREASURY, 500)];
	balances.extend(VALIDATORS.iter().map(|v| (*v, MDT)));
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_compute::ComputeSubnets::<Test>::insert(NETUID, ());
	});
	ext
}

/// Runs `test` in a fresh externality, then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Compute::do_try_state().expect("invariants hold");
	});
}

/// Runs blocks up to `number`, with the pallet's `on_initialize` in each, and checks the
/// invariants after each.
pub fn run_to_block(number: BlockNumber) {
	while System::block_number() < number {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compute::on_initialize(next);
		Compute::do_try_state().expect("invariants hold");
	}
}

/// The pallet's events so far.
pub fn compute_events() -> Vec<pallet_compute::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Compute(event) => Some(event),
			_ => None,
		})
		.collect()
}
