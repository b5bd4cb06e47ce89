//! The GPU compute market: providers with attested hardware, the model registry, slashing,
//! jobs and leases.

use super::RuntimeBlockWeights;
use crate::{
	currency::{deposit, MDT},
	time::{DAYS, MINUTES},
	Balance, Balances, BlockNumber, Hash, Registration, Runtime, RuntimeHoldReason, Subnets,
	Weights,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU16, ConstU32, Randomness},
		weights::Weight,
	},
	pallet_babe,
	sp_runtime::Perbill,
};

parameter_types! {
	/// 100 MDT for every provider, plus 50 MDT per GPU: a false claim of eight H100s risks
	/// 500 MDT.
	pub const ComputeBaseBond: Balance = 100 * MDT;
	pub const ComputeBondPerGpu: Balance = 50 * MDT;
	/// Each attestor on the majority side earns 1 MDT of the provider's fee.
	pub const AttestorFee: Balance = MDT;
	/// A first offence in a month takes 10% of the bond for a false spec, 5% for a wrong
	/// result and 1% for a timeout (plus the job's collateral); the n-th, n times as much.
	pub const FalseSpecSlash: Perbill = Perbill::from_percent(10);
	pub const WrongResultSlash: Perbill = Perbill::from_percent(5);
	pub const TimeoutSlash: Perbill = Perbill::from_percent(1);
	pub const OffenceWindow: BlockNumber = 30 * DAYS;
	/// Half a slash goes to those who proved the offence and 30% to the harmed poster; the
	/// rest (with any share nobody is there to take) goes to the treasury.
	pub const SlashRewardShare: Perbill = Perbill::from_percent(50);
	pub const SlashToPoster: Perbill = Perbill::from_percent(30);
	pub const ModelDepositBase: Balance = deposit(1, 0);
	pub const ModelDepositPerByte: Balance = deposit(0, 1);
	pub const AttestorBenchPeriod: BlockNumber = DAYS;
	/// Deadlines (draws, verdicts, timeouts, slashes) may use a quarter of a block; the rest
	/// wait for the next one.
	pub ComputeDeadlineBudget: Weight = RuntimeBlockWeights::get().max_block.saturating_div(4);

	// The windows below live in storage (`twox128(":<Name>:")`, SCALE `u32`) so root may
	// retune them with `system.setStorage` (the end-to-end tests shorten them). Keep
	// `ComputeUnbondingPeriod` above `ComputeSlashDeferDuration`: a bond must stay slashable
	// until a slash scheduled before its unbonding is applied.
	/// Attestors have 10 minutes after the draw to benchmark the machine and commit.
	pub storage AttestationCommitWindow: BlockNumber = 10 * MINUTES;
	/// Then 10 minutes to reveal.
	pub storage AttestationRevealWindow: BlockNumber = 10 * MINUTES;
	/// An active provider silent for 10 minutes is offline; heartbeats at most every
	/// minute.
	pub storage ComputeHeartbeatTimeout: BlockNumber = 10 * MINUTES;
	pub storage ComputeMinHeartbeatInterval: BlockNumber = MINUTES;
	/// A slash waits a day, in which root or the subnet-admin track may cancel it.
	pub storage ComputeSlashDeferDuration: BlockNumber = DAYS;
	/// Unbonded provider funds stay held, and slashable, for 7 days.
	pub storage ComputeUnbondingPeriod: BlockNumber = 7 * DAYS;
	/// Assigned providers have 5 minutes to accept (their agents watch for assignments).
	pub storage ComputeAcceptTimeout: BlockNumber = 5 * MINUTES;
	/// Replicas have 10 minutes to reveal once the reveal window opens.
	pub storage ComputeResultRevealWindow: BlockNumber = 10 * MINUTES;
	/// Validators drawn to check or judge a job have 30 minutes to re-run it and commit.
	pub storage ComputeReviewWindow: BlockNumber = 30 * MINUTES;
	/// A lease is billed at least every 10 minutes.
	pub storage ComputeMinLeasePeriod: BlockNumber = 10 * MINUTES;

	/// A job's deadline is at most 30 days away; an auction takes bids for at most a day.
	pub const MaxJobDuration: BlockNumber = 30 * DAYS;
	pub const MaxAuctionWindow: BlockNumber = DAYS;
	/// Held from every poster until the job ends: pays the tips of late steps.
	pub const JobDeposit: Balance = MDT / 10;
	/// Per replica, for the spot checks that verify results.
	pub const VerificationFee: Balance = MDT / 10;
	pub const AdvanceTip: Balance = MDT / 100;
	/// Held from a challenger until the jury decides; a job may be open to challenges for
	/// a day at most.
	pub const ChallengeBond: Balance = 10 * MDT;
	pub const MaxChallengeWindow: BlockNumber = DAYS;
	/// A replica's collateral is a fifth of what it is paid.
	pub const CollateralRatio: Perbill = Perbill::from_percent(20);
	/// Burned from every payment.
	pub const ProtocolFee: Perbill = Perbill::from_percent(5);
	pub const InitialReputation: Perbill = Perbill::from_percent(50);
	/// A reputation moves a tenth of the way up with each success, a twentieth down with
	/// each timeout and half-way down with a wrong result; left alone, its distance from
	/// the initial one halves every week.
	pub const SuccessWeight: Perbill = Perbill::from_percent(10);
	pub const TimeoutWeight: Perbill = Perbill::from_percent(5);
	pub const WrongResultWeight: Perbill = Perbill::from_percent(50);
	pub const ReputationHalfLife: BlockNumber = 7 * DAYS;
	/// Finished jobs stay readable for a day.
	pub const JobRetention: BlockNumber = DAYS;
	/// Settled work is counted per subnet tempo.
	pub const MetricsTempo: BlockNumber = 360;
	/// Periods a lease may run unpaid, waiting for a top-up, before it ends.
	pub const GracePeriods: u32 = 2;
}

/// BABE's VRF output of the parent block: a block after any request the pallet is asked to
/// draw for (see its `DrawDelay`). Blocks without one (the first) fall back to the
/// randomness of the last epoch.
pub struct BabeRandomness;
impl Randomness<Hash, BlockNumber> for BabeRandomness {
	fn random(subject: &[u8]) -> (Hash, BlockNumber) {
		match pallet_babe::ParentBlockRandomness::<Runtime>::random(subject) {
			(Some(random), block) => (random, block),
			(None, block) => {
				(pallet_babe::RandomnessFromOneEpochAgo::<Runtime>::random(subject).0, block)
			}
		}
	}
}

impl pallet_compute::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Subnets = Subnets;
	type Neurons = Registration;
	type HotkeyOwnership = Registration;
	type Validators = Weights;
	type Randomness = BabeRandomness;
	type AdminOrigin = crate::governance::AdminOrigin;
	type BaseBond = ComputeBaseBond;
	type BondPerGpu = ComputeBondPerGpu;
	type MaxGpusPerProvider = ConstU16<64>;
	type AttestorsPerProvider = ConstU32<3>;
	type AttestorFee = AttestorFee;
	type DrawDelay = ConstU32<2>;
	type CommitWindow = AttestationCommitWindow;
	type RevealWindow = AttestationRevealWindow;
	type AttestorBenchPeriod = AttestorBenchPeriod;
	type HeartbeatTimeout = ComputeHeartbeatTimeout;
	type MinHeartbeatInterval = ComputeMinHeartbeatInterval;
	type UnbondingPeriod = ComputeUnbondingPeriod;
	type MaxUnbondingChunks = ConstU32<8>;
	type SlashDeferDuration = ComputeSlashDeferDuration;
	type FalseSpecSlash = FalseSpecSlash;
	type SlashRewardShare = SlashRewardShare;
	type SlashToPoster = SlashToPoster;
	type Treasury = crate::governance::TreasuryAccount;
	type WrongResultSlash = WrongResultSlash;
	type TimeoutSlash = TimeoutSlash;
	type OffenceWindow = OffenceWindow;
	type SpotCheckers = ConstU32<3>;
	type JurySize = ConstU32<5>;
	type MaxReporters = ConstU32<8>;
	type ReviewWindow = ComputeReviewWindow;
	type ChallengeBond = ChallengeBond;
	type MaxChallengeWindow = MaxChallengeWindow;
	type MaxDeadlinesPerBlock = ConstU32<64>;
	type DeadlineWeightBudget = ComputeDeadlineBudget;
	type ModelDepositBase = ModelDepositBase;
	type ModelDepositPerByte = ModelDepositPerByte;
	type MaxReplicas = ConstU32<5>;
	type MaxBidsPerJob = ConstU32<32>;
	type MaxProvidersPerClass = ConstU32<1024>;
	type MaxDrawCandidates = ConstU32<128>;
	type MaxActiveJobs = ConstU32<10_000>;
	type MaxJobsPerPoster = ConstU32<64>;
	type MaxJobsPerProvider = ConstU32<16>;
	type AcceptTimeout = ComputeAcceptTimeout;
	type ResultRevealWindow = ComputeResultRevealWindow;
	type MaxJobDuration = MaxJobDuration;
	type MaxAuctionWindow = MaxAuctionWindow;
	type MinLeasePeriod = ComputeMinLeasePeriod;
	type GracePeriods = GracePeriods;
	type JobDeposit = JobDeposit;
	type VerificationFee = VerificationFee;
	type CollateralRatio = CollateralRatio;
	type ProtocolFee = ProtocolFee;
	type AdvanceTip = AdvanceTip;
	type JobRetention = JobRetention;
	type InitialReputation = InitialReputation;
	type ReputationHalfLife = ReputationHalfLife;
	type SuccessWeight = SuccessWeight;
	type TimeoutWeight = TimeoutWeight;
	type WrongResultWeight = WrongResultWeight;
	type MetricsTempo = MetricsTempo;
	type WeightInfo = pallet_compute::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::BenchmarkSubnets;
}
