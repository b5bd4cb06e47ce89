//! The GPU compute market: hardware specs, provider and model records as the `ComputeApi`
//! runtime API returns them, and the network's metrics.

use crate::{subnets::NetUid, Balance, BlockNumber};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Longest GPU model name, in bytes (`"NVIDIA H100 80GB HBM3"` is 21).
pub const MAX_GPU_MODEL_LEN: u32 = 32;
/// Longest model name in the registry, in bytes.
pub const MAX_MODEL_NAME_LEN: u32 = 64;
/// Longest content id (a CIDv1 in base32 text), in bytes.
pub const MAX_CONTENT_ID_LEN: u32 = 96;
/// Longest model metadata (license, framework, size...), in bytes.
pub const MAX_MODEL_METADATA_LEN: u32 = 512;
/// Most items one page of a `ComputeApi` listing returns.
pub const MAX_PAGE_SIZE: u32 = 256;

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
	/// GPUs of active providers rented by a lease.
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
	/// Slashes applied or pending against it so far.
	pub offences: u32,
	pub active_jobs: u32,
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
