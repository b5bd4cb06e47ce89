//! The GPU compute market: hardware specs, provider and model records as the `ComputeApi`
//! runtime API returns them, and the network's metrics.

use crate::{subnets::NetUid, Balance, BlockNumber};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{traits::ConstU32, BoundedVec, Perbill};
use scale_info::TypeInfo;

/// Longest GPU model name, in bytes (`"NVIDIA H100 80GB HBM3"` is 21).
pub const MAX_GPU_MODEL_LEN: u32 = 32;
/// Longest model name in the registry, in bytes.
pub const MAX_MODEL_NAME_LEN: u32 = 64;
/// Longest content id (a CIDv1 in base32 text), in bytes.
pub const MAX_CONTENT_ID_LEN: u32 = 96;
/// Longest model metadata (license, framework, size...), in bytes.
pub const MAX_MODEL_METADATA_LEN: u32 = 512;
pub use crate::MAX_PAGE_SIZE;

/// A GPU model name, e.g. `"NVIDIA A100 80GB"`.
pub type GpuModel = BoundedVec<u8, ConstU32<MAX_GPU_MODEL_LEN>>;
/// A model's name in the registry.
pub type ModelName = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;
/// A CIDv1 in multibase text form (`b...`, base32), e.g. `bafybei...`.
pub type ContentId = BoundedVec<u8, ConstU32<MAX_CONTENT_ID_LEN>>;
/// Free-form model metadata: license, framework, size.
pub type ModelMetadata = BoundedVec<u8, ConstU32<MAX_MODEL_METADATA_LEN>>;
/// Identifier of a model in the registry.
pub type ModelId = u32;

/// A benchmark score as attestors measure it: the reference workload's throughput, higher
/// is faster.
pub type Score = u32;

/// A performance class: `floor(log2(score)) + 1`, 0 for a zero score. One class up is
/// twice as fast, so classes group comparable machines.
pub type PerformanceClass = u8;

/// The performance class of a benchmark score.
pub fn performance_class(score: Score) -> PerformanceClass {
	// At most 32: fits a u8.
	(Score::BITS.saturating_sub(score.leading_zeros())) as PerformanceClass
}

/// CUDA compute capability (or a vendor's equivalent), e.g. 9.0 for an H100.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ComputeCapability {
	pub major: u8,
	pub minor: u8,
}

/// The hardware a provider declares; attestors check it before the provider gets work.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct HardwareSpec {
	/// GPU model name, printable ASCII.
	pub gpu_model: GpuModel,
	/// Number of GPUs of that model.
	pub gpu_count: u16,
	/// Memory of one GPU, in MiB.
	pub vram_per_gpu_mib: u32,
	pub compute_capability: ComputeCapability,
	pub cpu_cores: u16,
	/// System memory, in MiB.
	pub ram_mib: u32,
	/// Disk space offered, in GiB.
	pub disk_gib: u32,
	/// Network bandwidth, in Mbit/s.
	pub bandwidth_mbps: u32,
	/// Where the machine is: ISO 3166-1 alpha-2 country code in upper case, e.g. `*b"DE"`.
	pub region: [u8; 2],
}

impl HardwareSpec {
	/// Total GPU memory, in MiB.
	pub fn total_vram_mib(&self) -> u64 {
		u64::from(self.vram_per_gpu_mib).saturating_mul(u64::from(self.gpu_count))
	}
}

/// Where a provider stands.
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
pub enum ProviderStatus {
	/// Registered or changed its hardware; waiting for attestors' verdict. Gets no work.
	PendingAttestation,
	/// Attested and sending heartbeats: eligible for work.
	Active,
	/// Attested, but silent for longer than the heartbeat timeout: gets no new work until
	/// its next heartbeat.
	Offline,
	/// Attestors found its declared hardware false; it was slashed and gets no work.
	Rejected,
	/// Deregistered: its bond is released once the unbonding period has passed.
	Leaving,
}

/// What a registered model is.
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
pub enum ModelKind {
	Llm,
	Vision,
	Audio,
	Embedding,
	Other,
}

/// A model version: major, minor, patch.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ModelVersion {
	pub major: u16,
	pub minor: u16,
	pub patch: u16,
}

/// GPUs of one kind (a GPU model, or a performance class) among attested providers.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct GpuTotals {
	/// Attested providers (active or offline) with these GPUs.
	pub providers: u32,
	pub gpus: u32,
	/// Their GPU memory, in MiB.
	pub vram_mib: u64,
}

/// Network-wide counters, kept up to date on every transition so reading them is one
/// storage read.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct ComputeCounters {
	pub providers_pending: u32,
	pub providers_active: u32,
	pub providers_offline: u32,
	pub providers_rejected: u32,
	pub providers_leaving: u32,
	/// GPUs of active providers.
	pub gpus_online: u32,
	/// GPUs of offline providers.
	pub gpus_offline: u32,
	/// GPUs rented by running leases.
	pub gpus_leased: u32,
	/// GPU memory of active providers, in MiB.
	pub vram_online_mib: u64,
	/// Jobs posted and not yet settled, refunded or cancelled.
	pub active_jobs: u32,
	/// Models in the registry, deprecated ones included.
	pub models: u32,
	pub models_deprecated: u32,
}

/// The compute market at a glance, as `ComputeApi::network_metrics` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NetworkMetrics {
	pub counters: ComputeCounters,
	/// GPUs of active providers not rented by a lease.
	pub gpus_free: u32,
	/// Attested GPUs per GPU model.
	pub by_gpu_model: Vec<(GpuModel, GpuTotals)>,
	/// Attested GPUs per performance class.
	pub by_class: Vec<(PerformanceClass, GpuTotals)>,
	/// Active jobs by kind, and jobs settled and volume paid this tempo and the last.
	pub jobs: JobCounters,
}

/// A provider as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ProviderInfo<AccountId> {
	/// The provider's hotkey, registered as a neuron on `netuid`.
	pub hotkey: AccountId,
	/// The coldkey owning the hotkey, which holds the bond.
	pub owner: AccountId,
	pub netuid: NetUid,
	pub spec: HardwareSpec,
	/// Price asked per unit of work.
	pub ask_price: Balance,
	/// Where payments for its work go.
	pub payout: AccountId,
	pub status: ProviderStatus,
	/// The median score attestors measured, once attested.
	pub score: Option<Score>,
	pub class: Option<PerformanceClass>,
	/// Everything held for it, unbonding chunks included.
	pub bond: Balance,
	/// What is unbonding, with the block it can be withdrawn.
	pub unbonding: Vec<(Balance, BlockNumber)>,
	pub registered_at: BlockNumber,
	pub last_heartbeat: BlockNumber,
	/// Attestation in progress: whether one is open.
	pub attestation_open: bool,
	/// Its owner's recent offences, applied or pending: the next slash is graduated by them.
	pub offences: u32,
	pub active_jobs: u32,
	/// Slashes scheduled against it, not yet applied or cancelled.
	pub pending_slashes: u32,
	/// Its reputation now: a moving average of its job outcomes.
	pub reputation: Reputation,
}

/// Which providers `ComputeApi::providers` returns; every set field must match.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ProviderFilter<AccountId> {
	pub netuid: Option<NetUid>,
	pub status: Option<ProviderStatus>,
	pub gpu_model: Option<GpuModel>,
	/// Lowest performance class (unattested providers never match).
	pub min_class: Option<PerformanceClass>,
	/// Start after this hotkey (the last of the previous page).
	pub start_after: Option<AccountId>,
	/// Most providers to return, capped at [`MAX_PAGE_SIZE`].
	pub limit: u32,
}

/// A registry model as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ModelInfo<AccountId> {
	pub id: ModelId,
	pub owner: AccountId,
	pub name: ModelName,
	pub content_id: ContentId,
	pub version: ModelVersion,
	pub kind: ModelKind,
	pub metadata: ModelMetadata,
	pub deprecated: bool,
	/// Held from the owner while the model is registered.
	pub deposit: Balance,
	pub registered_at: BlockNumber,
	/// Jobs referring to it: it cannot be removed while there are any.
	pub job_refs: u32,
}

/// Which models `ComputeApi::models` returns; every set field must match.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ModelFilter<AccountId> {
	pub owner: Option<AccountId>,
	pub kind: Option<ModelKind>,
	/// Whether deprecated models are returned too.
	pub include_deprecated: bool,
	/// Start after this id (the last of the previous page).
	pub start_after: Option<ModelId>,
	/// Most models to return, capped at [`MAX_PAGE_SIZE`].
	pub limit: u32,
}

/// Identifier of a job: ids are never reused.
pub type JobId = u64;

/// A provider's standing from its settled work, as a fraction: Random assignment and
/// auctions only consider providers at or above a job's minimum.
pub type Reputation = polkadot_sdk::sp_runtime::Perbill;

/// What a job asks for; its billable units are what its unit price is paid per.
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
pub enum JobKind {
	/// Run the workload on `units` units of input (requests, batches): paid per unit.
	Inference { units: u32 },
	/// Train for `steps` steps, checkpointing every `checkpoint_every` steps: paid per step.
	Training { steps: u32, checkpoint_every: u32 },
	/// Rent the GPUs for as long as the escrow pays, billed per period of `period_blocks`
	/// blocks; the escrow first covers `periods` periods and grows with `top_up`.
	Lease { periods: u32, period_blocks: BlockNumber },
}

impl JobKind {
	/// The units the unit price is paid for (for a lease: the prepaid periods).
	pub fn units(&self) -> u32 {
		match *self {
			JobKind::Inference { units } => units,
			JobKind::Training { steps, .. } => steps,
			JobKind::Lease { periods, .. } => periods,
		}
	}

	pub fn is_lease(&self) -> bool {
		matches!(self, JobKind::Lease { .. })
	}
}

/// What runs: a registered model, or any content (a container image, a script).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Workload {
	Model(ModelId),
	Content(ContentId),
}

/// The GPUs a job needs, besides their number.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum GpuRequirement {
	/// Exactly this GPU model.
	Model(GpuModel),
	/// Any GPU of at least this performance class.
	MinClass(PerformanceClass),
}

/// How a job's providers are chosen.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum AssignmentPolicy<AccountId> {
	/// This provider (by hotkey), at its asked price; one replica only.
	Direct(AccountId),
	/// Providers drawn at random among the eligible ones, with randomness of a block after
	/// the job was posted, at their asked prices.
	Random,
	/// Eligible providers bid for `window` blocks; the lowest bids win, at their bid price.
	Auction { window: BlockNumber },
}

/// A job as its poster asks for it.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct JobSpec<AccountId> {
	pub kind: JobKind,
	/// What runs.
	pub workload: Workload,
	/// The input (for a lease: the environment to set up), a CIDv1.
	pub input: ContentId,
	pub gpu: GpuRequirement,
	/// GPUs each replica needs.
	pub gpu_count: u16,
	/// Lowest reputation a provider may have.
	pub min_reputation: Reputation,
	/// Most the poster pays per billable unit, per replica.
	pub max_unit_price: Balance,
	/// The block by which results must be committed (for a lease: by which it must be
	/// running); a job without a verdict by then is refunded in full.
	pub deadline: BlockNumber,
	pub assignment: AssignmentPolicy<AccountId>,
	/// Providers doing the same work independently (1 for a lease).
	pub replicas: u8,
	/// Equal results needed to settle: more than half of `replicas`.
	pub quorum: u8,
	/// The chance that sampled validators re-run the job to check its results once they
	/// are committed (0 for a lease).
	pub spot_check: Perbill,
	/// Blocks after a verdict in which anyone may challenge it; the providers are paid when
	/// it ends (0: at once; 0 for a lease).
	pub challenge_window: BlockNumber,
}

/// Where a job stands.
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
pub enum JobStatus {
	/// Waiting for its providers: a random draw, or an auction's bids.
	Open,
	/// Providers assigned, waiting for each to accept.
	Assigned,
	/// Every provider accepted: results are committed until the deadline; a lease is billed
	/// each period.
	Running,
	/// Results are revealed until the reveal window ends.
	Revealing,
	/// A lease whose escrow cannot pay its periods: the poster may still top it up.
	Grace,
	/// A result won (a quorum, or a jury): its replicas were paid and the rest refunded.
	Settled,
	/// Cancelled by its poster before anyone accepted: refunded in full.
	Cancelled,
	/// No provider could be found or none accepted in time: refunded in full.
	Failed,
	/// No verdict (too few results, or a jury without one): the poster is refunded; only
	/// replicas that did not commit or reveal in time are slashed.
	Refunded,
	/// A lease that ended: terminated by a side, or out of escrow after its grace.
	Terminated,
	/// Every result is committed: a spot check is drawn, then sampled validators re-run the
	/// job and commit their results before the reveals open.
	Checking,
	/// A result won: anyone may challenge it until the challenge window ends, when its
	/// replicas are paid.
	Challengeable,
	/// Results disagree, a spot check contradicted the quorum, or a result was challenged:
	/// a jury of sampled validators re-runs the job and decides by a 2/3 supermajority.
	Disputed,
}

impl JobStatus {
	/// Whether the job is over (its record is kept a while for readers, then pruned).
	pub fn is_finished(&self) -> bool {
		matches!(
			self,
			JobStatus::Settled
				| JobStatus::Cancelled
				| JobStatus::Failed
				| JobStatus::Refunded
				| JobStatus::Terminated
		)
	}
}

/// What posting a job holds from its poster, as `ComputeApi::quote` returns it.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct JobQuote {
	/// `max_unit_price` x units x replicas: the most the providers can be paid.
	pub payment: Balance,
	/// Fees set aside for verifying the results.
	pub verification_fee: Balance,
	/// Returned when the job ends; pays the tip of whoever advances it when it is late.
	pub deposit: Balance,
	/// Everything held: the sum of the three.
	pub total: Balance,
}

/// One provider's part in a job, as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ReplicaInfo<AccountId> {
	/// The provider's hotkey.
	pub provider: AccountId,
	/// Where its pay goes, fixed at assignment.
	pub payout: AccountId,
	/// Its price per unit, fixed at assignment.
	pub unit_price: Balance,
	/// Held from its bond once it accepted.
	pub collateral: Balance,
	pub accepted: bool,
	pub committed: bool,
	/// Its revealed result hash and output, once revealed.
	pub result: Option<(polkadot_sdk::sp_core::H256, ContentId)>,
}

/// Why sampled validators review a job's results.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum ReviewKind<AccountId> {
	/// A spot check drawn with the job's probability once its results were committed;
	/// decided by a majority of the checkers drawn.
	SpotCheck,
	/// A jury for results without a quorum or a quorum a spot check contradicted; decided by
	/// two thirds of the jurors drawn.
	Dispute,
	/// A jury for a challenge of the winning result, decided as a dispute.
	Challenge {
		challenger: AccountId,
		/// The challenged replica (one of those with the winning result).
		provider: AccountId,
		/// Held from the challenger under pallet-compute's `ChallengeBond` hold reason.
		bond: Balance,
		/// Where the challenger's evidence is, a CIDv1.
		evidence: ContentId,
	},
}

/// A reviewer of a job as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ReviewerInfo<AccountId> {
	/// The validator's hotkey.
	pub hotkey: AccountId,
	pub committed: bool,
	/// The result hash it revealed.
	pub result: Option<polkadot_sdk::sp_core::H256>,
}

/// A job's review (a spot check or a jury) as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ReviewInfo<AccountId> {
	pub kind: ReviewKind<AccountId>,
	/// Empty until drawn.
	pub reviewers: Vec<ReviewerInfo<AccountId>>,
	/// Reviewers commit until this block (exclusive), then reveal.
	pub commit_end: BlockNumber,
	/// The result it decided, once closed.
	pub verdict: Option<polkadot_sdk::sp_core::H256>,
}

/// A job as `ComputeApi` returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct JobInfo<AccountId> {
	pub id: JobId,
	pub poster: AccountId,
	pub spec: JobSpec<AccountId>,
	pub status: JobStatus,
	pub posted_at: BlockNumber,
	/// Still held from the poster for it.
	pub escrow: Balance,
	/// Paid to its providers so far.
	pub paid: Balance,
	/// Protocol fees burned so far.
	pub burned: Balance,
	pub replicas: Vec<ReplicaInfo<AccountId>>,
	/// Bids of an open auction: (provider, unit price).
	pub bids: Vec<(AccountId, Balance)>,
	/// When its next step is due (an assignment, a timeout, a bill, its removal).
	pub next_step_at: Option<BlockNumber>,
	/// The settled result hash and output.
	pub result: Option<(polkadot_sdk::sp_core::H256, ContentId)>,
	/// A lease's periods billed so far.
	pub periods_billed: u32,
	pub finished_at: Option<BlockNumber>,
	/// Its review (a spot check, a dispute or a challenge) while it is verified.
	pub review: Option<ReviewInfo<AccountId>>,
}

/// Which jobs `ComputeApi::jobs` returns; every set field must match.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct JobFilter<AccountId> {
	pub poster: Option<AccountId>,
	/// A provider (hotkey) among its replicas.
	pub provider: Option<AccountId>,
	pub status: Option<JobStatus>,
	/// Start after this id (the last of the previous page).
	pub start_after: Option<JobId>,
	/// Most jobs to return, capped at [`MAX_PAGE_SIZE`].
	pub limit: u32,
}

/// Jobs by kind and settled work per tempo, kept on every transition.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct JobCounters {
	/// Jobs not finished, by kind.
	pub active_inference: u32,
	pub active_training: u32,
	pub active_leases: u32,
	/// The tempo (block / tempo length) the `settled_*` fields count.
	pub tempo: u32,
	/// Jobs settled (leases: ended) in that tempo.
	pub settled_jobs: u32,
	/// Paid to providers in that tempo, protocol fees included.
	pub settled_volume: Balance,
	/// The same for the tempo before.
	pub previous_settled_jobs: u32,
	pub previous_settled_volume: Balance,
}

// Without a `Default` bound on the account type: no filter, an empty first page.
impl<AccountId> Default for ProviderFilter<AccountId> {
	fn default() -> Self {
		Self {
			netuid: None,
			status: None,
			gpu_model: None,
			min_class: None,
			start_after: None,
			limit: 0,
		}
	}
}

impl<AccountId> Default for JobFilter<AccountId> {
	fn default() -> Self {
		Self { poster: None, provider: None, status: None, start_after: None, limit: 0 }
	}
}

impl<AccountId> Default for ModelFilter<AccountId> {
	fn default() -> Self {
		Self { owner: None, kind: None, include_deprecated: false, start_after: None, limit: 0 }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn class_doubles_with_score() {
		assert_eq!(performance_class(0), 0);
		assert_eq!(performance_class(1), 1);
		assert_eq!(performance_class(2), 2);
		assert_eq!(performance_class(3), 2);
		assert_eq!(performance_class(1024), 11);
		assert_eq!(performance_class(u32::MAX), 32);
	}
}
