//! # Compute
//!
//! ModernTensor's GPU compute market: providers offering attested hardware, the model
//! registry, jobs and leases paid in escrow, one slashing path, and network metrics.
//!
//! ## Pallet API
//!
//! - Providers: [`Pallet::register_provider`], [`Pallet::update_provider`],
//!   [`Pallet::heartbeat`] (fee-free, checked in the pool by [`CheckHeartbeat`]),
//!   [`Pallet::bond_more`], [`Pallet::unbond`], [`Pallet::withdraw_unbonded`],
//!   [`Pallet::deregister`].
//! - Attestation: [`Pallet::attest_commit`], [`Pallet::attest_reveal`].
//! - Models: [`Pallet::register_model`], [`Pallet::update_model_metadata`],
//!   [`Pallet::deprecate_model`], [`Pallet::transfer_model`], [`Pallet::remove_model`].
//! - Jobs: [`Pallet::post_job`], [`Pallet::cancel_job`], [`Pallet::place_bid`],
//!   [`Pallet::accept_assignment`], [`Pallet::commit_result`], [`Pallet::reveal_result`],
//!   [`Pallet::top_up`], [`Pallet::terminate_lease`], [`Pallet::advance`].
//! - Admin: [`Pallet::set_compute_subnet`], [`Pallet::cancel_slash`].
//!
//! ## Overview
//!
//! A provider is a hotkey registered as a neuron on a compute subnet (a flag set by
//! [`Config::AdminOrigin`]). Its coldkey registers it with a [`HardwareSpec`] and holds a
//! bond that grows with the GPUs declared ([`Config::BaseBond`] + [`Config::BondPerGpu`]
//! each), plus the attestors' fee.
//!
//! Nobody trusts a self-report: [`Config::AttestorsPerProvider`] validators of the subnet
//! are drawn, stake-weighted and without repetition, from randomness of a block after the
//! request ([`Config::DrawDelay`]), so neither side chooses them. Each benchmarks the machine
//! off chain, commits `blake2_256((provider, score, verdict, salt).encode())`, then reveals.
//! A majority of `true` verdicts makes the provider `Active` with the median score of those
//! verdicts; a majority of `false` leaves it `Rejected` and schedules a slash of its bond.
//! A round without a majority is redrawn once; after a second, the provider stays pending
//! and may leave unslashed: nobody is punished without a verdict. Attestors on the
//! majority side are paid [`Config::AttestorFee`]; those who did not reveal or voted
//! against the majority are left out of draws for [`Config::AttestorBenchPeriod`] blocks.
//!
//! Every offence (a false spec, a wrong result, a missed acceptance or deadline, a failed
//! lease) takes one slashing path: a base fraction of the bond per [`SlashReason`],
//! multiplied by one more than the owner's offences within [`Config::OffenceWindow`] (which
//! survive leaving and registering again), plus the job's collateral for an offence in a
//! job. It is applied [`Config::SlashDeferDuration`] blocks after it is scheduled unless
//! the admin origin cancels it, and split between the harmed poster
//! ([`Config::SlashToPoster`]), those who proved the offence ([`Config::SlashRewardShare`])
//! and a burn. Slashes come from the bond and collateral holds, never more.
//!
//! A job holds its escrow from the poster (`max_unit_price` x units x replicas, the
//! verification fees and a deposit: [`Pallet::quote`]). Its providers are named
//! (`Direct`), drawn from randomness of a later block among the eligible active providers,
//! no two of one coldkey (`Random`, from a per-class index read from a random point, at
//! most [`Config::MaxDrawCandidates`] records), or the lowest bids of an auction. Each
//! accepts within [`Config::AcceptTimeout`], moving a collateral out of its bond; terms
//! (price, payout) are fixed at assignment. Replicas commit to a result hash before the
//! deadline and reveal it after, so none can copy another; a quorum of equal hashes is
//! paid (less the [`Config::ProtocolFee`]) and the rest of the escrow returns,
//! replicas outside the quorum are slashed. With the job's `spot_check` chance, rolled from
//! randomness of a block after the commits, [`Config::SpotCheckers`] validators re-run it
//! and commit before the reveals open; results that disagree, or checkers contradicting the
//! quorum, go to a jury of [`Config::JurySize`] (two thirds decide), as does a challenge of
//! the winning result within the job's `challenge_window` (bonded with
//! [`Config::ChallengeBond`]). Reviewers on the deciding side share the verification fees;
//! the others are benched from draws. Without a verdict everything is
//! refunded: the market fails closed. Leases reserve GPUs and are billed per period from
//! the escrow, with grace, top-ups and termination by either side.
//!
//! Everything that waits on time (draws, closing attestations, heartbeat timeouts,
//! slashes, every job step) sits in a bounded per-block deadline queue that `on_initialize`
//! works off within a weight budget (the rest moves on, and `advance` applies a late job
//! step for a tip): no hook scans providers or jobs. Network metrics are counters kept on
//! every transition.

#![cfg_attr(not(feature = "std"), no_std)]
// Runtime code must never panic; only FRAME's expansion of `pallet` (which uses `expect`)
// and the benchmarks are exempt.
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

mod attestation;
#[cfg(feature = "runtime-benchmarks")]
#[allow(
	clippy::expect_used,
	clippy::unwrap_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]
pub mod benchmarking;
mod cid;
mod extension;
mod impls;
mod jobs;
mod leases;
#[cfg(test)]
mod mock;
mod models;
mod reputation;
mod reviews;
mod scores;
mod slashing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_jobs;
mod try_state;
mod types;
mod views;
pub mod weights;

pub use extension::CheckHeartbeat;
/// Most uids a subnet holds: bounds the compute scores kept for one.
pub const MAX_UIDS: u32 = luxtensor_primitives::subnets::MAX_SUBNET_UIDS as u32;
/// Most validators a subnet has: bounds the draws of attestors and reviewers.
pub const MAX_VALIDATORS: u32 = 256;

pub use types::*;

#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use luxtensor_primitives::{
		compute::{
			ComputeCounters, ContentId, GpuModel, GpuTotals, HardwareSpec, JobCounters, JobId,
			JobSpec, JobStatus, ModelId, ModelKind, ModelMetadata, ModelName, ModelVersion,
			PerformanceClass, Reputation, Score,
		},
		subnets::{NetUid, Uid},
		traits::{HotkeyOwnership, Neurons, SubnetValidators, SubnetsInfo},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::{
				fungible::{Mutate, MutateHold},
				Randomness,
			},
		},
		frame_system::pallet_prelude::*,
		sp_core::H256,
		sp_runtime::Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds, fees and deposits are held in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Which subnets exist.
		type Subnets: SubnetsInfo<Self::AccountId>;

		/// The neurons of subnets: a provider's hotkey must be one.
		type Neurons: Neurons<Self::AccountId>;

		/// Which coldkey owns a hotkey: it registers and manages the provider.
		type HotkeyOwnership: HotkeyOwnership<Self::AccountId>;

		/// The validators attestors are drawn from.
		type Validators: SubnetValidators<Self::AccountId>;

		/// On-chain randomness (BABE's VRF output of the parent block in the runtime).
		type Randomness: Randomness<H256, BlockNumberFor<Self>>;

		/// Marks compute subnets and cancels scheduled slashes.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Bond every provider holds, whatever its hardware.
		#[pallet::constant]
		type BaseBond: Get<Balance>;

		/// Bond added for each GPU declared.
		#[pallet::constant]
		type BondPerGpu: Get<Balance>;

		/// Most GPUs one provider may declare.
		#[pallet::constant]
		type MaxGpusPerProvider: Get<u16>;

		/// Attestors drawn for each attestation round.
		#[pallet::constant]
		type AttestorsPerProvider: Get<u32>;

		/// Paid to each attestor on the majority side, from the provider's held fee.
		#[pallet::constant]
		type AttestorFee: Get<Balance>;

		/// Blocks between an attestation request and the draw of its attestors: at least 2,
		/// so the randomness comes from a block after the request's.
		#[pallet::constant]
		type DrawDelay: Get<BlockNumber>;

		/// Blocks attestors have to commit after the draw.
		#[pallet::constant]
		type CommitWindow: Get<BlockNumber>;

		/// Blocks attestors have to reveal after the commit window.
		#[pallet::constant]
		type RevealWindow: Get<BlockNumber>;

		/// Blocks an attestor who failed to reveal or voted against the majority is left
		/// out of draws.
		#[pallet::constant]
		type AttestorBenchPeriod: Get<BlockNumber>;

		/// Blocks without a heartbeat after which an active provider is `Offline`.
		#[pallet::constant]
		type HeartbeatTimeout: Get<BlockNumber>;

		/// Fewest blocks between two heartbeats of a provider.
		#[pallet::constant]
		type MinHeartbeatInterval: Get<BlockNumber>;

		/// Blocks unbonded funds (and a leaving provider's bond) stay held, and slashable.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumber>;

		/// Most unbonding chunks a provider may have at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32> + Clone;

		/// Blocks between scheduling a slash and applying it, in which the admin origin may
		/// cancel it.
		#[pallet::constant]
		type SlashDeferDuration: Get<BlockNumber>;

		/// Part of the bond a first false-spec slash takes; with `n` offences before it in the
		/// window, `n + 1` times as much.
		#[pallet::constant]
		type FalseSpecSlash: Get<Perbill>;

		/// Part of the bond a first wrong-result slash takes, graduated as `FalseSpecSlash`;
		/// the job's collateral is taken too.
		#[pallet::constant]
		type WrongResultSlash: Get<Perbill>;

		/// Part of the bond a first slash for a missed acceptance, a missed deadline or a
		/// failed lease takes, graduated as `FalseSpecSlash`; the job's collateral is taken
		/// too.
		#[pallet::constant]
		type TimeoutSlash: Get<Perbill>;

		/// Blocks an offence counts towards the graduation of the next: a coldkey's count
		/// starts afresh when its last offence is older than this.
		#[pallet::constant]
		type OffenceWindow: Get<BlockNumber>;

		/// Part of a slash shared by those who proved the offence (attestors, checkers, a
		/// challenger); with nobody to share it, it goes with the rest of the slash.
		#[pallet::constant]
		type SlashRewardShare: Get<Perbill>;

		/// Part of a slash for a job offence that goes to the job's poster; the rest of a
		/// slash, after the reward share, goes to `Treasury`.
		#[pallet::constant]
		type SlashToPoster: Get<Perbill>;

		/// Receives the rest of every slash and the part of each protocol fee the compute
		/// incentive does not pay back (the treasury's account in the runtime); what it
		/// cannot receive (less than an existential deposit to an account that does not
		/// exist) is burned.
		type Treasury: Get<Self::AccountId>;

		/// Most deadlines one block's queue holds; later ones spill to the next blocks.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// Most weight `on_initialize` spends on due deadlines (it always works off at least
		/// one); the rest move to the next block.
		#[pallet::constant]
		type DeadlineWeightBudget: Get<Weight>;

		/// Deposit held for each registered model.
		#[pallet::constant]
		type ModelDepositBase: Get<Balance>;

		/// Deposit held per byte of a model's name, content id and metadata.
		#[pallet::constant]
		type ModelDepositPerByte: Get<Balance>;

		/// Most providers one job may have (its replicas).
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Most bids one auction holds.
		#[pallet::constant]
		type MaxBidsPerJob: Get<u32>;

		/// Most active providers of one performance class that random draws see.
		#[pallet::constant]
		type MaxProvidersPerClass: Get<u32>;

		/// Most provider records one random draw reads (from a random starting point).
		#[pallet::constant]
		type MaxDrawCandidates: Get<u32>;

		/// Most unfinished jobs in the market.
		#[pallet::constant]
		type MaxActiveJobs: Get<u32>;

		/// Most unfinished jobs one poster may have.
		#[pallet::constant]
		type MaxJobsPerPoster: Get<u32>;

		/// Most unfinished jobs one provider may be assigned.
		#[pallet::constant]
		type MaxJobsPerProvider: Get<u32>;

		/// Blocks an assigned provider has to accept.
		#[pallet::constant]
		type AcceptTimeout: Get<BlockNumber>;

		/// Blocks replicas have to reveal their results once the reveal window opens.
		#[pallet::constant]
		type ResultRevealWindow: Get<BlockNumber>;

		/// Furthest a job's deadline may be from its posting.
		#[pallet::constant]
		type MaxJobDuration: Get<BlockNumber>;

		/// Longest auction window.
		#[pallet::constant]
		type MaxAuctionWindow: Get<BlockNumber>;

		/// Shortest lease period.
		#[pallet::constant]
		type MinLeasePeriod: Get<BlockNumber>;

		/// Periods a lease may run unpaid (waiting for a top-up) before it ends.
		#[pallet::constant]
		type GracePeriods: Get<u32>;

		/// Deposit every job holds until it ends.
		#[pallet::constant]
		type JobDeposit: Get<Balance>;

		/// Held per replica for verifying its result (returned until spot checks use it).
		#[pallet::constant]
		type VerificationFee: Get<Balance>;

		/// Part of a replica's value it holds as collateral, from its free bond, once it
		/// accepts.
		#[pallet::constant]
		type CollateralRatio: Get<Perbill>;

		/// Part of every payment taken as the protocol fee. Of a job's fee, the provider's
		/// reputation times it is burned and credited to its score (what the compute
		/// incentive may pay back); the rest, and a lease's whole fee, goes to `Treasury`.
		#[pallet::constant]
		type ProtocolFee: Get<Perbill>;

		/// Paid from a late job's deposit to whoever applies its due step with `advance`.
		#[pallet::constant]
		type AdvanceTip: Get<Balance>;

		/// Blocks a finished job stays readable before it is removed.
		#[pallet::constant]
		type JobRetention: Get<BlockNumber>;

		/// Reputation of a provider without settled work, and what reputations decay
		/// towards.
		#[pallet::constant]
		type InitialReputation: Get<Reputation>;

		/// Blocks in which a reputation's distance from `InitialReputation` halves when
		/// nothing new happens.
		#[pallet::constant]
		type ReputationHalfLife: Get<BlockNumber>;

		/// How far a success moves a reputation towards 1 (an exponential moving average).
		#[pallet::constant]
		type SuccessWeight: Get<Perbill>;

		/// How far a timeout moves a reputation towards 0.
		#[pallet::constant]
		type TimeoutWeight: Get<Perbill>;

		/// How far a wrong result moves a reputation towards 0.
		#[pallet::constant]
		type WrongResultWeight: Get<Perbill>;

		/// Blocks per tempo of the settled-work metrics.
		#[pallet::constant]
		type MetricsTempo: Get<BlockNumber>;

		/// Validators drawn for a spot check; a majority of them decides it.
		#[pallet::constant]
		type SpotCheckers: Get<u32>;

		/// Validators drawn for a jury (at least `SpotCheckers`); two thirds of them decide.
		#[pallet::constant]
		type JurySize: Get<u32>;

		/// Most accounts sharing a slash's reward: at least `AttestorsPerProvider`, and
		/// `JurySize` plus a challenger.
		#[pallet::constant]
		type MaxReporters: Get<u32>;

		/// Blocks drawn reviewers have to re-run a job and commit their result; they reveal
		/// in the `ResultRevealWindow` after.
		#[pallet::constant]
		type ReviewWindow: Get<BlockNumber>;

		/// Held from whoever challenges a result until the jury decides: it pays the winners
		/// and the jurors if the challenge fails.
		#[pallet::constant]
		type ChallengeBond: Get<Balance>;

		/// The longest challenge window a job may ask for.
		#[pallet::constant]
		type MaxChallengeWindow: Get<BlockNumber>;

		/// Weights of this pallet's calls and deadlines, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Makes compute subnets, neurons and validators for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A provider's bond, slashable until it is withdrawn.
		#[codec(index = 0)]
		ProviderBond,
		/// The fee a provider pays its attestors, held while its attestation is open.
		#[codec(index = 1)]
		AttestationFee,
		/// The storage deposit of a registered model.
		#[codec(index = 2)]
		ModelDeposit,
		/// A job's escrow: the most its providers can be paid, verification fees and its
		/// deposit, held from the poster until the job ends.
		#[codec(index = 3)]
		JobEscrow,
		/// A provider's collateral for a job it accepted, moved out of its bond.
		#[codec(index = 4)]
		JobCollateral,
		/// A challenger's bond, held until the jury decides.
		#[codec(index = 5)]
		ChallengeBond,
	}

	/// Subnets whose neurons may register as providers, set by the admin origin.
	#[pallet::storage]
	pub type ComputeSubnets<T: Config> = StorageMap<_, Twox64Concat, NetUid, (), OptionQuery>;

	/// Every provider, by hotkey.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Provider<T::AccountId, T::MaxUnbondingChunks>,
		OptionQuery,
	>;

	/// The open hardware attestation of each provider that has one.
	#[pallet::storage]
	pub type Attestations<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Attestation<T::AccountId, T::AttestorsPerProvider>,
		OptionQuery,
	>;

	/// Attestors left out of draws until the given block (entries past it are removed when
	/// next met).
	#[pallet::storage]
	pub type BenchedAttestors<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumber, OptionQuery>;

	/// What is due at each block, worked off by `on_initialize`.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumber,
		BoundedVec<Deadline<T::AccountId>, T::MaxDeadlinesPerBlock>,
		OptionQuery,
	>;

	/// Slashes scheduled and not yet applied or cancelled.
	#[pallet::storage]
	pub type Slashes<T: Config> = StorageMap<
		_,
		Twox64Concat,
		SlashId,
		PendingSlash<T::AccountId, T::MaxReporters>,
		OptionQuery,
	>;

	/// Recent slashes, applied or pending, against each coldkey's providers. The graduated
	/// slash grows with them, and they outlive providers: leaving and registering again does
	/// not reset them; only `OffenceWindow` blocks without an offence do.
	#[pallet::storage]
	pub type Offences<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OffenceRecord, ValueQuery>;

	/// The id the next slash gets: ids are never reused.
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Every registered model, by id.
	#[pallet::storage]
	pub type Models<T: Config> =
		StorageMap<_, Twox64Concat, ModelId, Model<T::AccountId>, OptionQuery>;

	/// The model id of each (name, version): no two models share both.
	#[pallet::storage]
	pub type ModelIds<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ModelName,
		Twox64Concat,
		ModelVersion,
		ModelId,
		OptionQuery,
	>;

	/// The id the next model gets: ids are never reused.
	#[pallet::storage]
	pub type NextModelId<T: Config> = StorageValue<_, ModelId, ValueQuery>;

	/// Providers by status, GPUs online and offline, models: kept on every transition.
	#[pallet::storage]
	pub type Counters<T: Config> = StorageValue<_, ComputeCounters, ValueQuery>;

	/// Attested GPUs per GPU model (entries at zero are removed).
	#[pallet::storage]
	pub type GpusByModel<T: Config> =
		StorageMap<_, Blake2_128Concat, GpuModel, GpuTotals, OptionQuery>;

	/// Attested GPUs per performance class (entries at zero are removed).
	#[pallet::storage]
	pub type GpusByClass<T: Config> =
		StorageMap<_, Twox64Concat, PerformanceClass, GpuTotals, OptionQuery>;

	/// Every job, by id; finished ones are removed [`Config::JobRetention`] blocks after they
	/// end.
	#[pallet::storage]
	pub type Jobs<T: Config> =
		StorageMap<_, Twox64Concat, JobId, Job<T::AccountId, T::MaxReplicas>, OptionQuery>;

	/// The id the next job gets: ids are never reused.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// The bids of each auction, kept until its job ends (later bids replace providers
	/// that do not accept).
	#[pallet::storage]
	pub type Bids<T: Config> = StorageMap<
		_,
		Twox64Concat,
		JobId,
		BoundedVec<Bid<T::AccountId>, T::MaxBidsPerJob>,
		OptionQuery,
	>;

	/// Unfinished jobs of each poster.
	#[pallet::storage]
	pub type PosterJobs<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// GPUs of each provider rented by running leases (entries at zero are removed).
	#[pallet::storage]
	pub type LeasedGpus<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u16, OptionQuery>;

	/// Providers' reputations as they last changed (read them decayed with
	/// [`Pallet::reputation`]); a provider without an entry has
	/// [`Config::InitialReputation`].
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ReputationRecord, OptionQuery>;

	/// Active providers by performance class: what random draws pick from.
	#[pallet::storage]
	pub type ActiveProviders<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PerformanceClass,
		BoundedVec<T::AccountId, T::MaxProvidersPerClass>,
		ValueQuery,
	>;

	/// Verified work of each compute subnet since its last epoch, by uid: the protocol fees
	/// burned on the uid's settled jobs (each job's fee times the uid's reputation then).
	/// The epoch takes them ([`luxtensor_primitives::traits::ComputeScores`]); a new neuron
	/// at the uid starts from zero.
	#[pallet::storage]
	pub type TempoScores<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, Balance, ValueQuery>;

	/// The open review of a job: a spot check or a jury, with its sampled validators. Kept
	/// until the job ends (a spot check's checkers share the slashes it proves).
	#[pallet::storage]
	pub type Reviews<T: Config> =
		StorageMap<_, Twox64Concat, JobId, Review<T::AccountId, T::JurySize>, OptionQuery>;

	/// Unfinished jobs by kind, and settled work this tempo and the last.
	#[pallet::storage]
	pub type JobStats<T: Config> = StorageValue<_, JobCounters, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The subnet was marked (or unmarked) as a compute subnet.
		ComputeSubnetSet { netuid: NetUid, enabled: bool },
		/// A provider registered: `bond` and `attestation_fee` are held from its owner.
		ProviderRegistered {
			hotkey: T::AccountId,
			owner: T::AccountId,
			netuid: NetUid,
			bond: Balance,
			attestation_fee: Balance,
		},
		/// A provider's price or payout changed (for future jobs), or its hardware, which
		/// must be attested again.
		ProviderUpdated { hotkey: T::AccountId, spec_changed: bool },
		/// A provider's bond grew.
		Bonded { hotkey: T::AccountId, amount: Balance },
		/// Part of a provider's bond started unbonding.
		Unbonding { hotkey: T::AccountId, amount: Balance, unlock_at: BlockNumber },
		/// Unbonded funds were released to the owner.
		Withdrawn { hotkey: T::AccountId, amount: Balance },
		/// A provider deregistered; its bond is released from `unlock_at`.
		ProviderLeaving { hotkey: T::AccountId, unlock_at: BlockNumber },
		/// A leaving provider withdrew the rest of its bond and is gone.
		ProviderRemoved { hotkey: T::AccountId },
		/// A provider sent no heartbeat in time and gets no new work.
		ProviderOffline { hotkey: T::AccountId },
		/// An offline provider is back.
		ProviderOnline { hotkey: T::AccountId },
		/// An attestation round of the provider was opened; attestors are drawn at `draw_at`.
		AttestationRequested { provider: T::AccountId, round: u8, draw_at: BlockNumber },
		/// Attestors were drawn: they commit before `commit_end` and reveal before
		/// `reveal_end`.
		AttestorsDrawn {
			provider: T::AccountId,
			attestors: BoundedVec<T::AccountId, T::AttestorsPerProvider>,
			commit_end: BlockNumber,
			reveal_end: BlockNumber,
		},
		/// An attestor committed to its report.
		AttestationCommitted { provider: T::AccountId, attestor: T::AccountId },
		/// An attestor revealed its report.
		AttestationRevealed {
			provider: T::AccountId,
			attestor: T::AccountId,
			score: Score,
			verdict: bool,
		},
		/// A majority confirmed the provider's hardware: it is active with this score.
		ProviderAttested { provider: T::AccountId, score: Score, class: PerformanceClass },
		/// A majority found the provider's hardware false: it is rejected and a slash is
		/// scheduled.
		ProviderRejected { provider: T::AccountId, slash_id: SlashId },
		/// A round ended without a majority: it is redrawn once, then the provider stays
		/// pending, unslashed.
		AttestationInconclusive { provider: T::AccountId, round: u8, redrawn: bool },
		/// An attestor on the majority side was paid.
		AttestorPaid { provider: T::AccountId, attestor: T::AccountId, fee: Balance },
		/// An attestor failed its duty and is left out of draws until `until`.
		AttestorPenalized {
			provider: T::AccountId,
			attestor: T::AccountId,
			fault: AttestorFault,
			until: BlockNumber,
		},
		/// The block's deadline budget was spent: `count` deadlines moved to later blocks.
		DeadlinesDeferred { count: u32 },
		/// A slash of `amount` from the bond and `collateral` from a job was scheduled; the
		/// admin origin may cancel it until `apply_at`.
		SlashScheduled {
			slash_id: SlashId,
			provider: T::AccountId,
			reason: SlashReason,
			amount: Balance,
			collateral: Balance,
			apply_at: BlockNumber,
		},
		/// A scheduled slash was cancelled.
		SlashCancelled { slash_id: SlashId, provider: T::AccountId },
		/// A slash took `slashed` from the provider's collateral and bond: `to_poster` went to
		/// the harmed poster, `rewarded` to those who proved the offence, the rest to the
		/// slash destination (the treasury).
		SlashApplied {
			slash_id: SlashId,
			provider: T::AccountId,
			reason: SlashReason,
			slashed: Balance,
			to_poster: Balance,
			rewarded: Balance,
		},
		/// A model was registered, holding `deposit` from its owner.
		ModelRegistered {
			id: ModelId,
			owner: T::AccountId,
			name: ModelName,
			version: ModelVersion,
			deposit: Balance,
		},
		/// A model's metadata changed; its deposit is now `deposit`.
		ModelMetadataUpdated { id: ModelId, deposit: Balance },
		/// A model was deprecated: it takes no new jobs.
		ModelDeprecated { id: ModelId },
		/// A model (and its deposit) moved to a new owner.
		ModelTransferred { id: ModelId, from: T::AccountId, to: T::AccountId },
		/// A model was removed and its deposit returned.
		ModelRemoved { id: ModelId, deposit: Balance },
		/// A job was posted, holding `escrow` from its poster.
		JobPosted { job: JobId, poster: T::AccountId, escrow: Balance },
		/// A provider bid in a job's auction.
		BidPlaced { job: JobId, provider: T::AccountId, unit_price: Balance },
		/// Providers were assigned to a job at these unit prices: each must accept before
		/// `accept_by`.
		JobAssigned {
			job: JobId,
			providers: BoundedVec<(T::AccountId, Balance), T::MaxReplicas>,
			accept_by: BlockNumber,
		},
		/// A provider accepted its assignment, holding `collateral` from its bond.
		AssignmentAccepted { job: JobId, provider: T::AccountId, collateral: Balance },
		/// A provider did not accept in time and was replaced.
		ProviderReplaced { job: JobId, missing: T::AccountId, replacement: T::AccountId },
		/// Every provider accepted: the job runs.
		JobStarted { job: JobId },
		/// A replica committed to its result.
		ResultCommitted { job: JobId, provider: T::AccountId },
		/// Replicas reveal their results until `reveal_end`.
		RevealStarted { job: JobId, reveal_end: BlockNumber },
		/// A replica revealed its result.
		ResultRevealed { job: JobId, provider: T::AccountId, result_hash: H256 },
		/// A provider was paid `amount` for its work, `fee` of it the protocol fee: `burned`
		/// was burned (and scores the provider's work), the rest went to the treasury.
		ProviderPaid {
			job: JobId,
			provider: T::AccountId,
			amount: Balance,
			fee: Balance,
			burned: Balance,
		},
		/// A quorum agreed on the job's result: the poster gets `output`.
		JobSettled { job: JobId, result_hash: H256, output: ContentId },
		/// A job ended with `status`; `refunded` went back to its poster.
		JobFinished { job: JobId, status: JobStatus, refunded: Balance },
		/// A lease billed `periods` periods.
		LeaseBilled { job: JobId, periods: u32, amount: Balance },
		/// A lease's escrow cannot pay `owed` periods: it runs in grace until topped up.
		LeaseInGrace { job: JobId, owed: u32 },
		/// The poster added `amount` to a job's escrow.
		ToppedUp { job: JobId, amount: Balance },
		/// Someone applied a job's late step and got `tip` from its deposit.
		JobAdvanced { job: JobId, by: T::AccountId, tip: Balance },
		/// A finished job's record was removed.
		JobPruned { job: JobId },
		/// A provider's part in a job moved its reputation.
		ReputationUpdated { provider: T::AccountId, outcome: Outcome, reputation: Reputation },
		/// The job's spot check was not drawn (or nobody could check it): reveals open.
		SpotCheckSkipped { job: JobId },
		/// Validators were drawn to review the job: they commit their results until
		/// `commit_end`, then reveal.
		ReviewersDrawn {
			job: JobId,
			kind: ReviewKind<T::AccountId>,
			reviewers: BoundedVec<T::AccountId, T::JurySize>,
			commit_end: BlockNumber,
		},
		/// A reviewer committed its result.
		ReviewCommitted { job: JobId, reviewer: T::AccountId },
		/// A reviewer revealed its result.
		ReviewRevealed { job: JobId, reviewer: T::AccountId, result_hash: H256 },
		/// A review closed with `verdict` (none: no majority).
		ReviewClosed { job: JobId, verdict: Option<H256> },
		/// A reviewer on the majority side was paid from the job's verification fees.
		ReviewerPaid { job: JobId, reviewer: T::AccountId, amount: Balance },
		/// A reviewer that did not commit, did not reveal, or revealed against the majority
		/// is left out of draws until `until`.
		ReviewerBenched {
			job: JobId,
			reviewer: T::AccountId,
			fault: AttestorFault,
			until: BlockNumber,
		},
		/// The job's results disagree, or a spot check contradicted them: a jury decides.
		JobDisputed { job: JobId },
		/// A result won: it may be challenged until `until`.
		ResultChallengeable { job: JobId, result_hash: H256, until: BlockNumber },
		/// `challenger` challenged the winning result, holding `bond`: a jury decides.
		ResultChallenged {
			job: JobId,
			challenger: T::AccountId,
			provider: T::AccountId,
			evidence: ContentId,
			bond: Balance,
		},
		/// A challenge was decided: `upheld` (none: no verdict, the bond returned).
		ChallengeResolved { job: JobId, challenger: T::AccountId, upheld: Option<bool> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid.
		SubnetNotFound,
		/// The subnet is not a compute subnet.
		NotComputeSubnet,
		/// The hotkey is not a neuron of the subnet.
		NotNeuron,
		/// The caller does not own the hotkey.
		NotHotkeyOwner,
		/// The hotkey is already a provider.
		AlreadyProvider,
		/// No provider has this hotkey.
		ProviderNotFound,
		/// The GPU model name is empty or not printable ASCII.
		InvalidGpuModel,
		/// The GPU count is zero or above [`Config::MaxGpusPerProvider`].
		GpuCountOutOfBounds,
		/// A GPU must have memory.
		ZeroVram,
		/// CPU cores and RAM must be nonzero.
		ZeroCpuOrRam,
		/// The region is not two upper-case letters.
		InvalidRegion,
		/// The caller's balance cannot cover the bond, fee or deposit.
		InsufficientBalance,
		/// The update changes nothing.
		EmptyUpdate,
		/// The provider is leaving: it can only withdraw.
		ProviderLeaving,
		/// The provider has jobs in progress.
		HasOpenWork,
		/// The provider's attestation is still open: wait for its verdict.
		AttestationInProgress,
		/// Heartbeats must be at least [`Config::MinHeartbeatInterval`] blocks apart.
		HeartbeatTooSoon,
		/// The amount must be nonzero.
		ZeroAmount,
		/// Unbonding this would leave less than the bond the declared hardware requires.
		BondBelowRequired,
		/// The provider already has [`Config::MaxUnbondingChunks`] chunks unbonding.
		TooManyUnbondingChunks,
		/// Nothing can be withdrawn yet.
		NothingToWithdraw,
		/// A slash against the provider is pending: funds stay held until it is applied.
		SlashPending,
		/// The deadline queues of the next blocks are full; try again later.
		DeadlineQueueFull,
		/// The provider has no open attestation.
		NoAttestation,
		/// The caller is not an attestor of this round.
		NotAttestor,
		/// Commits are not accepted now (attestors not drawn yet, or the window passed).
		NotCommitPhase,
		/// Reveals are not accepted now (still committing, or the window passed).
		NotRevealPhase,
		/// The attestor (or the job's replica) already committed.
		AlreadyCommitted,
		/// The attestor (or the job's replica) did not commit, so it has nothing to reveal.
		NotCommitted,
		/// The attestor (or the job's replica) already revealed.
		AlreadyRevealed,
		/// The reveal does not hash to the commitment.
		RevealMismatch,
		/// No pending slash has this id.
		SlashNotFound,
		/// A model name must not be empty.
		EmptyModelName,
		/// The content id is not multibase base32 (`b...`).
		ContentIdNotBase32,
		/// The content id is not a CID of version 1.
		ContentIdNotVersion1,
		/// The content id's codec is none of raw, dag-pb, dag-cbor, dag-json.
		ContentIdUnsupportedCodec,
		/// The content id's hash is none of sha2-256, blake2b-256, blake3.
		ContentIdUnsupportedHash,
		/// The content id's digest is not 32 bytes.
		ContentIdBadDigest,
		/// A model with this name and version exists.
		ModelAlreadyRegistered,
		/// No model has this id.
		ModelNotFound,
		/// Only the model's owner may do this.
		NotModelOwner,
		/// The model is already deprecated.
		ModelAlreadyDeprecated,
		/// Jobs refer to the model.
		ModelInUse,
		/// The model already belongs to this account.
		TransferToSelf,
		/// Every model id has been used.
		ModelIdsExhausted,
		/// The model is deprecated: it takes no new jobs.
		ModelDeprecated,
		/// A job must have at least one unit, step or period.
		ZeroUnits,
		/// Checkpoints must come every 1 to `steps` steps.
		InvalidCheckpointInterval,
		/// A lease period is shorter than [`Config::MinLeasePeriod`].
		LeasePeriodTooShort,
		/// A lease has one replica and a quorum of one.
		LeaseNeedsOneReplica,
		/// Replicas must be 1 to [`Config::MaxReplicas`].
		ReplicasOutOfBounds,
		/// The quorum must be more than half the replicas and at most all of them.
		InvalidQuorum,
		/// The maximum unit price must be nonzero.
		ZeroPrice,
		/// The deadline leaves no time to assign, accept and run the job.
		DeadlineTooSoon,
		/// The deadline is further than [`Config::MaxJobDuration`].
		DeadlineTooFar,
		/// A direct assignment names one provider: one replica.
		DirectNeedsOneReplica,
		/// The auction window must be 1 to [`Config::MaxAuctionWindow`] blocks.
		InvalidAuctionWindow,
		/// The poster has [`Config::MaxJobsPerPoster`] unfinished jobs.
		TooManyJobs,
		/// The market has [`Config::MaxActiveJobs`] unfinished jobs.
		MarketFull,
		/// Fewer eligible providers than replicas (for this hardware, price, reputation).
		NoMatchingProvider,
		/// The provider is not active (attested and live).
		ProviderNotActive,
		/// The provider's price is above the job's maximum unit price.
		PriceAboveMax,
		/// The provider's GPUs are not what the job needs.
		HardwareMismatch,
		/// The provider's reputation is below the job's minimum.
		ReputationTooLow,
		/// The provider has [`Config::MaxJobsPerProvider`] jobs, or too few GPUs not leased.
		ProviderBusy,
		/// The provider's bond above what its hardware requires cannot hold the collateral.
		InsufficientFreeBond,
		/// Every job id has been used.
		JobIdsExhausted,
		/// No job has this id.
		JobNotFound,
		/// Only the job's poster may do this.
		NotPoster,
		/// The job is not in a state that allows this.
		WrongJobPhase,
		/// The job is not an auction.
		NotAuction,
		/// The auction's window has ended.
		AuctionClosed,
		/// The auction has [`Config::MaxBidsPerJob`] bids.
		TooManyBids,
		/// The caller is not a provider of this job.
		NotJobProvider,
		/// The provider already accepted.
		AlreadyAccepted,
		/// The time to accept has passed.
		AcceptWindowClosed,
		/// A provider accepted: the job can no longer be cancelled.
		JobAccepted,
		/// Results must be committed before the job's deadline.
		CommitWindowClosed,
		/// The reveal window has ended.
		RevealWindowClosed,
		/// Only a lease can do this.
		NotLease,
		/// Only the lease's poster or its provider may end it.
		NotLeaseParty,
		/// Leases have no results to commit.
		LeaseHasNoResults,
		/// The job has no step due yet.
		NotDue,
		/// A lease has no results to check or challenge: its spot check and challenge window
		/// must be zero.
		LeaseHasNoVerification,
		/// The challenge window is longer than `MaxChallengeWindow`.
		ChallengeWindowTooLong,
		/// The job has no review open to this.
		NoReview,
		/// The caller was not drawn for the job's review.
		NotReviewer,
		/// The review's commit window is not open.
		ReviewCommitClosed,
		/// The review's reveals are not open.
		ReviewRevealClosed,
		/// Only a replica with the winning result can be challenged.
		NotWinningReplica,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Mark a subnet as a compute subnet (its neurons may register as providers), or
		/// unmark it (registered providers stay; the scores of its tempo are dropped and its
		/// epochs pay by Yuma alone).
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (root or the subnet-admin track).
		///
		/// ## Errors
		/// `SubnetNotFound`.
		///
		/// ## Events
		/// `ComputeSubnetSet`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_compute_subnet().saturating_add(T::WeightInfo::take_scores(MAX_UIDS)))]
		pub fn set_compute_subnet(
			origin: OriginFor<T>,
			netuid: NetUid,
			enabled: bool,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(T::Subnets::exists(netuid), Error::<T>::SubnetNotFound);
			if enabled {
				ComputeSubnets::<T>::insert(netuid, ());
			} else {
				ComputeSubnets::<T>::remove(netuid);
				Self::clear_scores(netuid);
			}
			Self::deposit_event(Event::ComputeSubnetSet { netuid, enabled });
			Ok(())
		}

		/// Register `hotkey` as a provider of the hardware in `spec` on a compute subnet.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey owning `hotkey`.
		///
		/// ## Details
		/// `hotkey` must be a neuron of `netuid`. Holds the bond (`BaseBond` + `BondPerGpu`
		/// per GPU) and the attestors' fee (`AttestorFee` x `AttestorsPerProvider`) from the
		/// caller. The provider starts `PendingAttestation`: attestors are drawn `DrawDelay`
		/// blocks later. `ask_price` is per unit of work; `payout` receives job payments.
		///
		/// ## Errors
		/// `NotComputeSubnet`, `NotNeuron`, `NotHotkeyOwner`, `AlreadyProvider`, a spec
		/// error (`InvalidGpuModel`, `GpuCountOutOfBounds`, `ZeroVram`, `ZeroCpuOrRam`,
		/// `InvalidRegion`), `InsufficientBalance`, `DeadlineQueueFull`.
		///
		/// ## Events
		/// `ProviderRegistered`, `AttestationRequested`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::register_provider())]
		pub fn register_provider(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			netuid: NetUid,
			spec: HardwareSpec,
			ask_price: Balance,
			payout: T::AccountId,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_register_provider(coldkey, hotkey, netuid, spec, ask_price, payout)
		}

		/// Change a provider's price, payout account or hardware: the fields that are set.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's owner (coldkey).
		///
		/// ## Details
		/// Price and payout apply to jobs assigned from now on. A new `spec` (allowed with no
		/// jobs in progress and no attestation open, also to retry after a rejection) sends
		/// the provider back to `PendingAttestation`, holds the fee of a new attestation and
		/// any bond the new hardware requires beyond the current one.
		///
		/// ## Errors
		/// `ProviderNotFound`, `NotHotkeyOwner`, `EmptyUpdate`, `ProviderLeaving`,
		/// `HasOpenWork`, `AttestationInProgress`, a spec error, `InsufficientBalance`,
		/// `DeadlineQueueFull`.
		///
		/// ## Events
		/// `ProviderUpdated`; with a new spec also `AttestationRequested`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::update_provider())]
		pub fn update_provider(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			ask_price: Option<Balance>,
			payout: Option<T::AccountId>,
			spec: Option<HardwareSpec>,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_update_provider(coldkey, hotkey, ask_price, payout, spec)
		}

		/// Tell the chain the provider is live. Fee-free, and checked in the transaction
		/// pool, so only a useful heartbeat gets in.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's hotkey.
		///
		/// ## Details
		/// An active provider silent for `HeartbeatTimeout` blocks turns `Offline` and gets
		/// no new work; its next heartbeat makes it `Active` again. At most one heartbeat
		/// every `MinHeartbeatInterval` blocks.
		///
		/// ## Errors
		/// `ProviderNotFound`, `ProviderLeaving`, `HeartbeatTooSoon`, `DeadlineQueueFull`.
		///
		/// ## Events
		/// `ProviderOnline` when it was offline.
		#[pallet::call_index(3)]
		#[pallet::weight((T::WeightInfo::heartbeat(), DispatchClass::Normal, Pays::No))]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_heartbeat(hotkey)
		}

		/// Add to a provider's bond.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's owner.
		///
		/// ## Errors
		/// `ProviderNotFound`, `NotHotkeyOwner`, `ProviderLeaving`, `ZeroAmount`,
		/// `InsufficientBalance`.
		///
		/// ## Events
		/// `Bonded`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::bond_more())]
		pub fn bond_more(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_bond_more(coldkey, hotkey, amount)
		}

		/// Start unbonding part of a provider's bond above what its hardware requires.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's owner.
		///
		/// ## Details
		/// The amount stays held (and slashable) for `UnbondingPeriod` blocks, then
		/// `withdraw_unbonded` releases it. Refused while the provider has jobs in progress.
		///
		/// ## Errors
		/// `ProviderNotFound`, `NotHotkeyOwner`, `ProviderLeaving`, `ZeroAmount`,
		/// `HasOpenWork`, `BondBelowRequired`, `TooManyUnbondingChunks`.
		///
		/// ## Events
		/// `Unbonding`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_unbond(coldkey, hotkey, amount)
		}

		/// Release unbonded funds whose unbonding period has passed; for a leaving provider
		/// past its unlock block, release everything and remove it.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's owner.
		///
		/// ## Errors
		/// `ProviderNotFound`, `NotHotkeyOwner`, `SlashPending`, `NothingToWithdraw`.
		///
		/// ## Events
		/// `Withdrawn`; `ProviderRemoved` when the provider is gone.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>, hotkey: T::AccountId) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(coldkey, hotkey)
		}

		/// Stop providing: the provider gets no more work and its bond is released
		/// `UnbondingPeriod` blocks from now (see `withdraw_unbonded`).
		///
		/// ## Dispatch Origin
		/// Signed by the provider's owner.
		///
		/// ## Details
		/// Refused while jobs are in progress or an attestation is open, so a verdict cannot
		/// be dodged by leaving.
		///
		/// ## Errors
		/// `ProviderNotFound`, `NotHotkeyOwner`, `ProviderLeaving`, `HasOpenWork`,
		/// `AttestationInProgress`.
		///
		/// ## Events
		/// `ProviderLeaving`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::deregister())]
		pub fn deregister(origin: OriginFor<T>, hotkey: T::AccountId) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_deregister(coldkey, hotkey)
		}

		/// Commit to a hardware report on `provider`:
		/// `commitment = blake2_256((provider, score, verdict, salt).encode())`.
		///
		/// ## Dispatch Origin
		/// Signed by a validator hotkey drawn as the provider's attestor.
		///
		/// ## Details
		/// Accepted from the draw until the commit window ends; the reveal follows in the
		/// reveal window, so attestors cannot copy each other.
		///
		/// ## Errors
		/// `NoAttestation`, `NotCommitPhase`, `NotAttestor`, `AlreadyCommitted`.
		///
		/// ## Events
		/// `AttestationCommitted`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::attest_commit())]
		pub fn attest_commit(
			origin: OriginFor<T>,
			provider: T::AccountId,
			commitment: H256,
		) -> DispatchResult {
			let attestor = ensure_signed(origin)?;
			Self::do_attest_commit(attestor, provider, commitment)
		}

		/// Reveal the report committed to with `attest_commit`.
		///
		/// ## Dispatch Origin
		/// Signed by the attestor that committed.
		///
		/// ## Details
		/// `score` is the measured benchmark score, `verdict` whether the machine matches the
		/// declared spec. When every attestor has revealed, the attestation closes at once.
		///
		/// ## Errors
		/// `NoAttestation`, `NotRevealPhase`, `NotAttestor`, `NotCommitted`,
		/// `AlreadyRevealed`, `RevealMismatch`.
		///
		/// ## Events
		/// `AttestationRevealed`; on closing, the verdict's events.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::attest_reveal()
				.saturating_add(T::WeightInfo::close_attestation(T::AttestorsPerProvider::get()))
		)]
		pub fn attest_reveal(
			origin: OriginFor<T>,
			provider: T::AccountId,
			score: Score,
			verdict: bool,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let attestor = ensure_signed(origin)?;
			Self::do_attest_reveal(attestor, provider, AttestorReport { score, verdict }, salt)
		}

		/// Cancel a scheduled slash before it is applied.
		///
		/// ## Dispatch Origin
		/// [`Config::AdminOrigin`] (root or the subnet-admin track).
		///
		/// ## Errors
		/// `SlashNotFound`.
		///
		/// ## Events
		/// `SlashCancelled`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::cancel_slash())]
		pub fn cancel_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_cancel_slash(slash_id)
		}

		/// Register a model that jobs can refer to by its id.
		///
		/// ## Dispatch Origin
		/// Signed by the account that will own it.
		///
		/// ## Details
		/// `content_id` is a CIDv1 in base32 text (`bafy...`, as `ipfs add --cid-version 1`
		/// prints) with a raw, dag-pb, dag-cbor or dag-json codec and a 32-byte sha2-256,
		/// blake2b-256 or blake3 digest. No two models share a name and version. Holds
		/// `ModelDepositBase` + `ModelDepositPerByte` per byte of name, content id and
		/// metadata until the model is removed.
		///
		/// ## Errors
		/// `EmptyModelName`, a `ContentId...` error, `ModelAlreadyRegistered`,
		/// `InsufficientBalance`, `ModelIdsExhausted`.
		///
		/// ## Events
		/// `ModelRegistered`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::register_model())]
		pub fn register_model(
			origin: OriginFor<T>,
			name: ModelName,
			content_id: ContentId,
			version: ModelVersion,
			kind: ModelKind,
			metadata: ModelMetadata,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_model(owner, name, content_id, version, kind, metadata)
		}

		/// Replace a model's metadata; the deposit follows its new size.
		///
		/// ## Dispatch Origin
		/// Signed by the model's owner.
		///
		/// ## Errors
		/// `ModelNotFound`, `NotModelOwner`, `InsufficientBalance`.
		///
		/// ## Events
		/// `ModelMetadataUpdated`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::update_model_metadata())]
		pub fn update_model_metadata(
			origin: OriginFor<T>,
			id: ModelId,
			metadata: ModelMetadata,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_update_model_metadata(owner, id, metadata)
		}

		/// Deprecate a model: it stays readable but takes no new jobs.
		///
		/// ## Dispatch Origin
		/// Signed by the model's owner.
		///
		/// ## Errors
		/// `ModelNotFound`, `NotModelOwner`, `ModelAlreadyDeprecated`.
		///
		/// ## Events
		/// `ModelDeprecated`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::deprecate_model())]
		pub fn deprecate_model(origin: OriginFor<T>, id: ModelId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_deprecate_model(owner, id)
		}

		/// Give a model, and the deposit held for it, to another account.
		///
		/// ## Dispatch Origin
		/// Signed by the model's owner.
		///
		/// ## Errors
		/// `ModelNotFound`, `NotModelOwner`, `TransferToSelf`.
		///
		/// ## Events
		/// `ModelTransferred`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::transfer_model())]
		pub fn transfer_model(
			origin: OriginFor<T>,
			id: ModelId,
			new_owner: T::AccountId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_transfer_model(owner, id, new_owner)
		}

		/// Remove a model no job refers to and return its deposit. Its id is never reused.
		///
		/// ## Dispatch Origin
		/// Signed by the model's owner.
		///
		/// ## Errors
		/// `ModelNotFound`, `NotModelOwner`, `ModelInUse`.
		///
		/// ## Events
		/// `ModelRemoved`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_model())]
		pub fn remove_model(origin: OriginFor<T>, id: ModelId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_remove_model(owner, id)
		}

		/// Post a job and hold its escrow (see `ComputeApi::quote`).
		///
		/// ## Dispatch Origin
		/// Signed by the poster.
		///
		/// ## Details
		/// Escrow = `max_unit_price` x units x replicas + `VerificationFee` x replicas +
		/// `JobDeposit`; what is not paid out returns when the job ends. `Direct` assigns the
		/// named provider now; `Random` draws providers `DrawDelay` blocks later, among the
		/// active ones with the hardware, price and reputation asked, no two of one coldkey;
		/// `Auction` takes bids for `window` blocks. Assigned providers have `AcceptTimeout`
		/// blocks to accept. A job without a verdict by its deadline is refunded in full.
		///
		/// ## Errors
		/// A spec error (`ZeroUnits`, `InvalidCheckpointInterval`, `LeasePeriodTooShort`,
		/// `LeaseNeedsOneReplica`, `ReplicasOutOfBounds`, `InvalidQuorum`, `ZeroPrice`,
		/// `GpuCountOutOfBounds`, `DeadlineTooSoon`, `DeadlineTooFar`,
		/// `DirectNeedsOneReplica`, `InvalidAuctionWindow`, a `ContentId...` error),
		/// `ModelNotFound`, `ModelDeprecated`, `TooManyJobs`, `MarketFull`, for `Direct` an
		/// eligibility error (`ProviderNotFound`, `ProviderNotActive`, `NotNeuron`,
		/// `PriceAboveMax`, `HardwareMismatch`, `ProviderBusy`, `ReputationTooLow`,
		/// `InsufficientFreeBond`), for `Random` `NoMatchingProvider`,
		/// `InsufficientBalance`, `DeadlineQueueFull`.
		///
		/// ## Events
		/// `JobPosted`; for `Direct` also `JobAssigned`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::post_job(T::MaxDrawCandidates::get()))]
		pub fn post_job(origin: OriginFor<T>, spec: JobSpec<T::AccountId>) -> DispatchResult {
			let poster = ensure_signed(origin)?;
			Self::do_post_job(poster, spec)
		}

		/// Cancel a job nobody has accepted yet: everything held is returned.
		///
		/// ## Dispatch Origin
		/// Signed by the poster.
		///
		/// ## Errors
		/// `JobNotFound`, `NotPoster`, `WrongJobPhase`, `JobAccepted`.
		///
		/// ## Events
		/// `JobFinished` (`Cancelled`).
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::cancel_job(T::MaxReplicas::get()))]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let poster = ensure_signed(origin)?;
			Self::do_cancel_job(poster, job)
		}

		/// Bid `unit_price` in a job's auction; a second bid replaces the first.
		///
		/// ## Dispatch Origin
		/// Signed by the provider's hotkey.
		///
		/// ## Details
		/// When the window ends the lowest bids win (ties: higher reputation, then lower
		/// account), at most one per coldkey, and are paid their bid.
		///
		/// ## Errors
		/// `JobNotFound`, `NotAuction`, `AuctionClosed`, an eligibility error, `TooManyBids`.
		///
		/// ## Events
		/// `BidPlaced`.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::place_bid(T::MaxBidsPerJob::get()))]
		pub fn place_bid(
			origin: OriginFor<T>,
			job: JobId,
			#[pallet::compact] unit_price: Balance,
		) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_place_bid(provider, job, unit_price)
		}

		/// Accept an assignment: the collateral (`CollateralRatio` of the replica's value)
		/// moves from the provider's bond into a hold for the job.
		///
		/// ## Dispatch Origin
		/// Signed by the assigned provider's hotkey.
		///
		/// ## Details
		/// When every provider has accepted the job runs; a lease reserves its GPUs and is
		/// billed from then on.
		///
		/// ## Errors
		/// `JobNotFound`, `WrongJobPhase`, `AcceptWindowClosed`, `NotJobProvider`,
		/// `AlreadyAccepted`, `ProviderNotFound`, `ProviderBusy`, `InsufficientFreeBond`,
		/// `DeadlineQueueFull`.
		///
		/// ## Events
		/// `AssignmentAccepted`; with the last, `JobStarted`.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::accept_assignment(T::MaxReplicas::get()))]
		pub fn accept_assignment(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_accept_assignment(provider, job)
		}

		/// Commit to a result:
		/// `commitment = blake2_256((job, provider, result_hash, salt).encode())`.
		///
		/// ## Dispatch Origin
		/// Signed by a provider of the job that accepted.
		///
		/// ## Details
		/// Before the job's deadline. When every replica has committed the reveal window
		/// opens at once; otherwise at the deadline, if a quorum committed.
		///
		/// ## Errors
		/// `JobNotFound`, `LeaseHasNoResults`, `WrongJobPhase`, `CommitWindowClosed`,
		/// `NotJobProvider`, `AlreadyCommitted`, `DeadlineQueueFull`.
		///
		/// ## Events
		/// `ResultCommitted`; with the last, `RevealStarted`.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::commit_result(T::MaxReplicas::get()))]
		pub fn commit_result(origin: OriginFor<T>, job: JobId, commitment: H256) -> DispatchResult {
			let provider = ensure_signed(origin)?;
			Self::do_commit_result(provider, job, commitment)
		}

		/// Reveal the result committed to: its hash, and where the output is (a CIDv1).
		///
		/// ## Dispatch Origin
		/// Signed by a provider of the job that committed.
		///
		/// ## Details
		/// In the reveal window. When every replica that committed has revealed, the job
		/// settles at once: a quorum of equal result hashes is paid (less the protocol
		/// fee), replicas outside it are slashed, the poster gets the rest
		/// of its escrow; without a quorum everything is refunded.
		///
		/// ## Errors
		/// `JobNotFound`, `WrongJobPhase`, `RevealWindowClosed`, `NotJobProvider`,
		/// `NotCommitted`, `AlreadyRevealed`, `RevealMismatch`, a `ContentId...` error.
		///
		/// ## Events
		/// `ResultRevealed`; on settling, those of the settlement.
		#[pallet::call_index(21)]
		#[pallet::weight(
			T::WeightInfo::reveal_result(T::MaxReplicas::get())
				.saturating_add(T::WeightInfo::close_results(T::MaxReplicas::get()))
		)]
		pub fn reveal_result(
			origin: OriginFor<T>,
			job: JobId,
			result_hash: H256,
			output: ContentId,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let provider = ensure_signed(origin)?;
			Self::do_reveal_result(provider, job, result_hash, output, salt)
		}

		/// Add to a lease's escrow; a lease in grace pays what it owes and runs again.
		///
		/// ## Dispatch Origin
		/// Signed by the poster.
		///
		/// ## Errors
		/// `JobNotFound`, `NotPoster`, `NotLease`, `WrongJobPhase`, `ZeroAmount`,
		/// `InsufficientBalance`.
		///
		/// ## Events
		/// `ToppedUp`; `LeaseBilled` when owed periods were paid.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::top_up())]
		pub fn top_up(
			origin: OriginFor<T>,
			job: JobId,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			let poster = ensure_signed(origin)?;
			Self::do_top_up(poster, job, amount)
		}

		/// End a running lease now: the provider is paid for the periods owed and the part of
		/// the current period used, the poster gets the rest.
		///
		/// ## Dispatch Origin
		/// Signed by the poster, or by the provider's hotkey (which is then slashed for a
		/// failed lease).
		///
		/// ## Errors
		/// `JobNotFound`, `NotLease`, `WrongJobPhase`, `NotLeaseParty`.
		///
		/// ## Events
		/// `LeaseBilled`, `SlashScheduled` (provider's side), `JobFinished`
		/// (`Terminated`).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::terminate_lease())]
		pub fn terminate_lease(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_terminate_lease(who, job)
		}

		/// Apply a job's step that is due but was not applied yet (the block's deadline
		/// budget was spent), for `AdvanceTip` from the job's deposit.
		///
		/// ## Dispatch Origin
		/// Signed by anyone.
		///
		/// ## Errors
		/// `JobNotFound`, `NotDue`.
		///
		/// ## Events
		/// `JobAdvanced` and those of the step.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::advance().saturating_add(Pallet::<T>::max_job_step_weight()))]
		pub fn advance(origin: OriginFor<T>, job: JobId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_advance(who, job)
		}

		/// Commit the result of re-running a job one was drawn to review (a spot check or a
		/// jury): `blake2_256((job, reviewer, result_hash, salt).encode())`.
		///
		/// ## Dispatch Origin
		/// Signed by a drawn reviewer's hotkey.
		///
		/// ## Errors
		/// `JobNotFound`, `NoReview`, `NotReviewer`, `ReviewCommitClosed`,
		/// `AlreadyCommitted`.
		///
		/// ## Events
		/// `ReviewCommitted`.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::review_commit(T::JurySize::get()))]
		pub fn review_commit(origin: OriginFor<T>, job: JobId, commitment: H256) -> DispatchResult {
			let reviewer = ensure_signed(origin)?;
			Self::do_review_commit(reviewer, job, commitment)
		}

		/// Reveal the result committed to as a reviewer.
		///
		/// ## Dispatch Origin
		/// Signed by a reviewer that committed.
		///
		/// ## Details
		/// A spot check's checkers reveal with the replicas, a jury after its commit window.
		/// The last reveal closes the review at once.
		///
		/// ## Errors
		/// `JobNotFound`, `NoReview`, `NotReviewer`, `ReviewRevealClosed`, `NotCommitted`,
		/// `AlreadyRevealed`, `RevealMismatch`.
		///
		/// ## Events
		/// `ReviewRevealed`; on closing, those of the verdict.
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::review_reveal(T::JurySize::get()).saturating_add(Pallet::<T>::max_job_step_weight()))]
		pub fn review_reveal(
			origin: OriginFor<T>,
			job: JobId,
			result_hash: H256,
			salt: [u8; 32],
		) -> DispatchResultWithPostInfo {
			let reviewer = ensure_signed(origin)?;
			Self::do_review_reveal(reviewer, job, result_hash, salt)
		}

		/// Challenge the winning result of a job in its challenge window, holding
		/// `ChallengeBond`: a jury re-runs the job. Upheld, the challenger gets its bond back
		/// and shares the slashes of the replicas with that result; rejected, the bond pays
		/// those replicas and the jurors; without a verdict, it comes back and the poster is
		/// refunded.
		///
		/// ## Dispatch Origin
		/// Signed by anyone.
		///
		/// ## Errors
		/// `JobNotFound`, `WrongJobPhase`, `NotWinningReplica`, a `ContentId...` error, or
		/// the bond cannot be held.
		///
		/// ## Events
		/// `ResultChallenged`, `JobDisputed`.
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::challenge())]
		pub fn challenge(
			origin: OriginFor<T>,
			job: JobId,
			provider: T::AccountId,
			evidence: ContentId,
		) -> DispatchResult {
			let challenger = ensure_signed(origin)?;
			Self::do_challenge(challenger, job, provider, evidence)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Works off this block's deadline queue (at most `MaxDeadlinesPerBlock` items).
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(Self::now())
		}

		fn integrity_test() {
			assert!(T::DrawDelay::get() >= 2, "draws must use randomness from after the request");
			assert!(T::AttestorsPerProvider::get() >= 1, "at least one attestor");
			assert!(
				(1..=T::JurySize::get()).contains(&T::SpotCheckers::get()),
				"spot checks draw at least one checker, and fewer than a jury"
			);
			assert!(
				T::MaxReporters::get() >= T::AttestorsPerProvider::get()
					&& T::MaxReporters::get() > T::JurySize::get(),
				"every reporter of a slash shares its reward"
			);
			assert!(T::CommitWindow::get() >= 1 && T::RevealWindow::get() >= 1);
			assert!(
				T::UnbondingPeriod::get() > T::SlashDeferDuration::get(),
				"bonds must stay held until a slash scheduled before unbonding is applied"
			);
			assert!(T::MaxDeadlinesPerBlock::get() >= 1);
			assert!(
				T::MinHeartbeatInterval::get() < T::HeartbeatTimeout::get(),
				"a provider must be able to heartbeat before it times out"
			);
			assert!((1..=u32::from(u8::MAX)).contains(&T::MaxReplicas::get()));
			assert!(T::AcceptTimeout::get() >= 1 && T::ResultRevealWindow::get() >= 1);
			assert!(T::MinLeasePeriod::get() >= 1 && T::JobRetention::get() >= 1);
			assert!(T::MetricsTempo::get() >= 1 && T::MaxDrawCandidates::get() >= 1);
			assert!(
				T::SlashRewardShare::get()
					.deconstruct()
					.saturating_add(T::SlashToPoster::get().deconstruct())
					< 1_000_000_000,
				"part of every slash is burned"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
