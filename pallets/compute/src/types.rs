//! The records pallet-compute stores: providers, attestations, slashes, models, jobs and
//! the deadline queue.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use luxtensor_primitives::{
	compute::{
		ContentId, HardwareSpec, JobId, JobSpec, JobStatus, ModelKind, ModelMetadata, ModelName,
		ModelVersion, PerformanceClass, ProviderStatus, Reputation, Score,
	},
	subnets::NetUid,
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// Identifier of a scheduled slash.
pub type SlashId = u32;

/// Bond being unbonded: still held (and slashable) until `unlock_at`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct UnbondingChunk {
	pub amount: Balance,
	pub unlock_at: BlockNumber,
}

/// A provider: a hotkey registered on a compute subnet offering its hardware.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxChunks))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxChunks: Get<u32>))]
pub struct Provider<AccountId, MaxChunks: Get<u32>> {
	/// The coldkey owning the hotkey: it holds the bond and manages the provider.
	pub owner: AccountId,
	pub netuid: NetUid,
	pub spec: HardwareSpec,
	/// Price asked per unit of work; jobs fix it when they are assigned.
	pub ask_price: Balance,
	/// Where payments for its work go.
	pub payout: AccountId,
	pub status: ProviderStatus,
	/// Everything held under [`crate::HoldReason::ProviderBond`], unbonding chunks included.
	pub bond: Balance,
	/// Parts of `bond` being unbonded, oldest first.
	pub unbonding: BoundedVec<UnbondingChunk, MaxChunks>,
	/// Held under [`crate::HoldReason::AttestationFee`] for the attestors of the open
	/// attestation.
	pub attestation_fee: Balance,
	/// The median score of its last successful attestation.
	pub score: Option<Score>,
	pub registered_at: BlockNumber,
	pub last_heartbeat: BlockNumber,
	/// The block whose deadline queue turns it `Offline` if no heartbeat comes first.
	pub liveness_deadline: Option<BlockNumber>,
	/// When `Leaving`: the block its bond can be withdrawn.
	pub leaving_at: Option<BlockNumber>,
	/// Jobs assigned to it and not finished (jobs come with the next part of the market).
	pub active_jobs: u32,
	/// Slashes scheduled against it and not yet applied or cancelled.
	pub pending_slashes: u32,
}

impl<AccountId, MaxChunks: Get<u32>> Provider<AccountId, MaxChunks> {
	/// The part of the bond that is not unbonding.
	pub fn active_bond(&self) -> Balance {
		self.bond.saturating_sub(self.unbonding_total())
	}

	/// What is being unbonded.
	pub fn unbonding_total(&self) -> Balance {
		self.unbonding.iter().fold(0, |sum, chunk| sum.saturating_add(chunk.amount))
	}

	/// Its performance class, once attested.
	pub fn class(&self) -> Option<PerformanceClass> {
		self.score.map(luxtensor_primitives::compute::performance_class)
	}

	/// Whether its hardware counts in the network's GPU totals: attested, not leaving.
	pub fn is_attested(&self) -> bool {
		matches!(self.status, ProviderStatus::Active | ProviderStatus::Offline)
	}
}

/// What an attestor found when it benchmarked a provider.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct AttestorReport {
	/// The measured benchmark score.
	pub score: Score,
	/// Whether the machine matches the declared spec.
	pub verdict: bool,
}

/// One sampled attestor and how far it got.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Attestor<AccountId> {
	/// The validator's hotkey.
	pub hotkey: AccountId,
	/// `blake2_256((provider, score, verdict, salt).encode())`, once committed.
	pub commitment: Option<H256>,
	/// What it revealed, once revealed.
	pub report: Option<AttestorReport>,
}

/// The phase of an attestation.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum AttestationPhase {
	/// Attestors are drawn at block `at`, from randomness of a block after the request.
	Drawing { at: BlockNumber },
	/// Attestors commit until `commit_end` (exclusive), then reveal until `reveal_end`
	/// (exclusive), when the attestation closes.
	Open { commit_end: BlockNumber, reveal_end: BlockNumber },
}

/// An open hardware attestation of a provider.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxAttestors))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxAttestors: Get<u32>))]
pub struct Attestation<AccountId, MaxAttestors: Get<u32>> {
	/// 0 for the first draw, 1 for the one redraw after a round without a majority.
	pub round: u8,
	pub phase: AttestationPhase,
	/// The attestors of this round, no hotkey twice.
	pub attestors: BoundedVec<Attestor<AccountId>, MaxAttestors>,
}

impl<AccountId: PartialEq, MaxAttestors: Get<u32>> Attestation<AccountId, MaxAttestors> {
	/// The slot of attestor `hotkey` in this round, if it was drawn.
	pub fn slot_mut(&mut self, hotkey: &AccountId) -> Option<&mut Attestor<AccountId>> {
		self.attestors.iter_mut().find(|slot| &slot.hotkey == hotkey)
	}
}

/// Why a provider is slashed; each reason has its own base fraction of the bond.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum SlashReason {
	/// Attestors found the declared hardware false.
	FalseSpec,
	/// It revealed a result the job's verified result contradicts.
	WrongResult,
	/// It accepted a job and did not commit or reveal its result in time.
	MissedDeadline,
	/// It did not accept an assignment in time.
	MissedAcceptance,
	/// It stopped serving a running lease.
	FailedLease,
}

/// A coldkey's recent offences: the graduated slash counts those within
/// [`crate::Config::OffenceWindow`] of the last one.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct OffenceRecord {
	/// Offences since the count last started afresh.
	pub count: u32,
	/// The block of the last one.
	pub last: BlockNumber,
}

/// A slash waiting for its defer period to pass; root may cancel it until then.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxBeneficiaries))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxBeneficiaries: Get<u32>))]
pub struct PendingSlash<AccountId, MaxBeneficiaries: Get<u32>> {
	/// The provider's hotkey.
	pub provider: AccountId,
	pub reason: SlashReason,
	/// What will be taken from the bond (at most what is held then).
	pub amount: Balance,
	/// The job collateral the offence forfeits, held under [`crate::HoldReason::JobCollateral`]
	/// from the provider's owner until the slash takes it whole, or a cancellation returns it
	/// to the bond.
	pub collateral: Balance,
	/// The job the offence was committed in, and its poster, who gets
	/// [`crate::Config::SlashToPoster`] of what is taken.
	pub job: Option<(JobId, AccountId)>,
	/// The block it is applied at.
	pub apply_at: BlockNumber,
	/// Who shares the reward part: those who proved the offence right.
	pub beneficiaries: BoundedVec<AccountId, MaxBeneficiaries>,
}

/// Something the pallet must do at a given block, kept in a bounded per-block queue so
/// no hook ever scans providers.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum Deadline<AccountId> {
	/// Draw the attestors of the provider's open attestation.
	DrawAttestors(AccountId),
	/// Close the provider's attestation: count the reveals.
	CloseAttestation(AccountId),
	/// Turn the provider `Offline`: no heartbeat came in time.
	Liveness(AccountId),
	/// Apply a scheduled slash.
	ApplySlash(SlashId),
	/// Take the job's next step: its [`Job::timer`] says when, its status which.
	Job(JobId),
}

/// A model in the registry.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Model<AccountId> {
	pub owner: AccountId,
	pub name: ModelName,
	pub content_id: ContentId,
	pub version: ModelVersion,
	pub kind: ModelKind,
	pub metadata: ModelMetadata,
	/// Deprecated models stay readable but take no new jobs.
	pub deprecated: bool,
	/// Held from the owner under [`crate::HoldReason::ModelDeposit`].
	pub deposit: Balance,
	pub registered_at: BlockNumber,
	/// Jobs referring to it; it cannot be removed while there are any.
	pub job_refs: u32,
}

/// How a drawn attestor failed its duty.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum AttestorFault {
	/// It never committed.
	NoCommit,
	/// It committed but did not reveal.
	NoReveal,
	/// It revealed the verdict the majority rejected.
	AgainstMajority,
}

/// When a job's next step is due, and the block whose deadline queue holds it (later than
/// `due` when queues were full or the step was deferred).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct JobTimer {
	pub due: BlockNumber,
	pub queued: BlockNumber,
}

/// How far one replica of a job got.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum ReplicaState {
	/// Assigned, not accepted yet.
	Assigned,
	/// Accepted: its collateral is held.
	Accepted,
	/// Committed `blake2_256((job, provider, result_hash, salt).encode())`.
	Committed(H256),
	/// Revealed its result.
	Revealed { result_hash: H256, output: ContentId },
}

/// One provider's part in a job, on the terms fixed when it was assigned.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Replica<AccountId> {
	/// The provider's hotkey.
	pub provider: AccountId,
	/// The provider's owner, whose bond the collateral comes from.
	pub owner: AccountId,
	/// Where its pay goes.
	pub payout: AccountId,
	pub unit_price: Balance,
	/// Held under [`crate::HoldReason::JobCollateral`] from the owner once accepted.
	pub collateral: Balance,
	pub state: ReplicaState,
	/// Whether this slot already replaced a provider that did not accept: it is not
	/// replaced again.
	pub replacement: bool,
}

impl<AccountId> Replica<AccountId> {
	/// Whether it accepted (and so holds collateral).
	pub fn accepted(&self) -> bool {
		!matches!(self.state, ReplicaState::Assigned)
	}

	/// The result hash it revealed, if it did.
	pub fn revealed_result(&self) -> Option<H256> {
		match self.state {
			ReplicaState::Revealed { result_hash, .. } => Some(result_hash),
			_ => None,
		}
	}

	/// Whether it revealed its result.
	pub fn revealed(&self) -> bool {
		matches!(self.state, ReplicaState::Revealed { .. })
	}

	/// Whether it committed a result (and maybe revealed it).
	pub fn committed(&self) -> bool {
		matches!(self.state, ReplicaState::Committed(_) | ReplicaState::Revealed { .. })
	}
}

/// A running lease's billing.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct LeaseBilling {
	/// The first block of the period being served.
	pub period_start: BlockNumber,
	/// Periods billed and paid.
	pub billed: u32,
	/// Periods served and not paid (the escrow was short): the lease is in grace.
	pub owed: u32,
}

/// A job: what the poster asked for, its escrow, its providers and how far it got.
///
/// The next part of the market (spot checks, challenges, reputation) adds statuses at the
/// end of [`JobStatus`] and keeps its own records by [`JobId`]: this one stays as it is.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxReplicas))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxReplicas: Get<u32>))]
pub struct Job<AccountId, MaxReplicas: Get<u32>> {
	pub poster: AccountId,
	pub spec: JobSpec<AccountId>,
	pub status: JobStatus,
	pub posted_at: BlockNumber,
	/// Held from the poster under [`crate::HoldReason::JobEscrow`] for this job now.
	pub escrow: Balance,
	/// The part of `escrow` kept as the deposit (and the verification fees): never spent
	/// on the work, returned when the job ends.
	pub reserved: Balance,
	/// Paid to providers so far, protocol fees included.
	pub paid: Balance,
	/// Protocol fees burned so far.
	pub burned: Balance,
	/// Its providers, once assigned; no coldkey twice.
	pub replicas: BoundedVec<Replica<AccountId>, MaxReplicas>,
	/// Its next step; every job has one until it is pruned.
	pub timer: Option<JobTimer>,
	/// The result a quorum agreed on: hash and output.
	pub result: Option<(H256, ContentId)>,
	/// Billing, once a lease runs.
	pub lease: Option<LeaseBilling>,
	pub finished_at: Option<BlockNumber>,
}

/// A provider's bid in a job's auction.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Bid<AccountId> {
	/// The provider's hotkey.
	pub provider: AccountId,
	pub unit_price: Balance,
}

/// A provider's reputation when it last changed; it decays towards
/// [`crate::Config::InitialReputation`] from then on.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ReputationRecord {
	pub value: Reputation,
	pub updated_at: BlockNumber,
}

/// What a provider's part in a job came to, as its reputation counts it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Outcome {
	/// Its result was in the settled quorum, or it served a lease to its end.
	Success,
	/// It did not accept, reveal or serve in time.
	Timeout,
	/// It revealed a result the quorum contradicts.
	WrongResult,
}

pub use luxtensor_primitives::compute::ReviewKind;

/// One sampled validator of a review and how far it got.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Reviewer<AccountId> {
	/// The validator's hotkey.
	pub hotkey: AccountId,
	/// `blake2_256((job, reviewer, result_hash, salt).encode())`, once committed.
	pub commitment: Option<H256>,
	/// The result hash it revealed.
	pub result: Option<H256>,
}

/// Validators re-running a job to check or judge its results (see [`ReviewKind`]).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxReviewers))]
#[codec(mel_bound(AccountId: MaxEncodedLen, MaxReviewers: Get<u32>))]
pub struct Review<AccountId, MaxReviewers: Get<u32>> {
	pub kind: ReviewKind<AccountId>,
	/// Drawn from randomness of a later block than the one opening the review: empty
	/// until then.
	pub reviewers: BoundedVec<Reviewer<AccountId>, MaxReviewers>,
	/// Reviewers commit until this block (exclusive), then reveal.
	pub commit_end: BlockNumber,
	/// The result the review decided, once closed.
	pub verdict: Option<H256>,
	/// Paid so far from the job's verification fees to reviewers of the job.
	pub fees_paid: Balance,
}

impl<AccountId: PartialEq, MaxReviewers: Get<u32>> Review<AccountId, MaxReviewers> {
	/// The reviewers who revealed `result`.
	pub fn agreeing(&self, result: &H256) -> impl Iterator<Item = &AccountId> + '_ {
		let result = *result;
		self.reviewers
			.iter()
			.filter(move |reviewer| reviewer.result == Some(result))
			.map(|reviewer| &reviewer.hotkey)
	}

	/// Whether a reviewer committed and has yet to reveal.
	pub fn awaits_reveals(&self) -> bool {
		self.reviewers
			.iter()
			.any(|reviewer| reviewer.commitment.is_some() && reviewer.result.is_none())
	}
}
