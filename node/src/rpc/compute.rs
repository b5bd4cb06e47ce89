//! `compute_*`: the compute market's runtime API as JSON-RPC methods with readable JSON
//! (accounts as SS58, balances as decimal strings, names as text), read at the best block
//! or at `at`.

use super::{
	json::{address, balance},
	views::{account, invalid_params, page_size, runtime_error, BlockHash, Views},
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use luxtensor_primitives::{
	apis::ComputeApi,
	compute::{
		AssignmentPolicy, ContentId, GpuModel, GpuRequirement, GpuTotals, JobFilter, JobId,
		JobInfo, JobKind, JobQuote, JobSpec, JobStatus, ModelFilter, ModelId, ModelInfo, ModelKind,
		NetworkMetrics, PerformanceClass, ProviderFilter, ProviderInfo, ProviderStatus, Reputation,
		ReviewInfo, ReviewKind, Workload,
	},
	subnets::NetUid,
	AccountId, Balance, BlockNumber,
};
use luxtensor_runtime::opaque::Block;
use polkadot_sdk::{sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend};
use serde::{Deserialize, Serialize};

/// The GPU compute market.
#[rpc(server, namespace = "compute")]
pub trait ComputeRpc {
	/// Providers matching `filter` (all fields optional: `netuid`, `status`, `gpuModel`,
	/// `minClass`, `startAfter` (SS58 hotkey of the last item of the previous page), `limit`
	/// (100 by default, at most 256)).
	#[method(name = "providers")]
	fn providers(
		&self,
		filter: Option<ProviderFilterJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ProviderJson>>;

	/// One provider by its SS58 hotkey; `null` if there is none.
	#[method(name = "provider")]
	fn provider(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<ProviderJson>>;

	/// Models matching `filter` (all fields optional: `owner`, `kind`, `includeDeprecated`,
	/// `startAfter` (the last id of the previous page), `limit`).
	#[method(name = "models")]
	fn models(
		&self,
		filter: Option<ModelFilterJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ModelJson>>;

	/// One model by id; `null` if there is none.
	#[method(name = "model")]
	fn model(&self, id: ModelId, at: Option<BlockHash>) -> RpcResult<Option<ModelJson>>;

	/// Providers by status, GPUs online, offline and free, GPU totals by model and class,
	/// active jobs by kind, jobs settled and volume paid this tempo and the last.
	#[method(name = "networkMetrics")]
	fn network_metrics(&self, at: Option<BlockHash>) -> RpcResult<NetworkMetricsJson>;

	/// One job by id (finished jobs are kept a day); `null` if there is none.
	#[method(name = "job")]
	fn job(&self, id: JobId, at: Option<BlockHash>) -> RpcResult<Option<JobJson>>;

	/// Jobs matching `filter` (all fields optional: `poster`, `provider` (SS58 hotkey),
	/// `status`, `startAfter` (the last id of the previous page), `limit`).
	#[method(name = "jobs")]
	fn jobs(&self, filter: Option<JobFilterJson>, at: Option<BlockHash>)
		-> RpcResult<Vec<JobJson>>;

	/// What posting `spec` would hold from the poster: payment, verification fee, deposit
	/// and their total.
	#[method(name = "quote")]
	fn quote(&self, spec: JobSpecJson, at: Option<BlockHash>) -> RpcResult<QuoteJson>;
}

/// `compute_providers`' filter.
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderFilterJson {
	pub netuid: Option<NetUid>,
	pub status: Option<String>,
	pub gpu_model: Option<String>,
	pub min_class: Option<PerformanceClass>,
	pub start_after: Option<String>,
	pub limit: Option<u32>,
}

/// `compute_models`' filter.
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelFilterJson {
	pub owner: Option<String>,
	pub kind: Option<String>,
	#[serde(default)]
	pub include_deprecated: bool,
	pub start_after: Option<ModelId>,
	pub limit: Option<u32>,
}

/// Declared hardware.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SpecJson {
	pub gpu_model: String,
	pub gpu_count: u16,
	pub vram_per_gpu_mib: u32,
	/// `"major.minor"`.
	pub compute_capability: String,
	pub cpu_cores: u16,
	pub ram_mib: u32,
	pub disk_gib: u32,
	pub bandwidth_mbps: u32,
	pub region: String,
}

/// A chunk of bond being unbonded.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UnbondingJson {
	pub amount: String,
	pub unlock_at: BlockNumber,
}

/// A provider.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderJson {
	pub hotkey: String,
	pub owner: String,
	pub netuid: NetUid,
	pub spec: SpecJson,
	pub ask_price: String,
	pub payout: String,
	pub status: &'static str,
	pub score: Option<u32>,
	pub class: Option<PerformanceClass>,
	pub bond: String,
	pub unbonding: Vec<UnbondingJson>,
	pub registered_at: BlockNumber,
	pub last_heartbeat: BlockNumber,
	pub attestation_open: bool,
	pub offences: u32,
	pub active_jobs: u32,
	pub pending_slashes: u32,
	/// A fraction in [0, 1].
	pub reputation: f64,
}

/// A registry model.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ModelJson {
	pub id: ModelId,
	pub owner: String,
	pub name: String,
	pub content_id: String,
	/// `"major.minor.patch"`.
	pub version: String,
	pub kind: &'static str,
	/// The metadata as text (invalid UTF-8 replaced).
	pub metadata: String,
	pub deprecated: bool,
	pub deposit: String,
	pub registered_at: BlockNumber,
	pub job_refs: u32,
}

/// GPU totals of one GPU model or one performance class.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GpuTotalsJson {
	#[serde(skip_serializing_if = "Option::is_none")]
	pub gpu_model: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub class: Option<PerformanceClass>,
	pub providers: u32,
	pub gpus: u32,
	pub vram_mib: u64,
}

/// The market at a glance.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NetworkMetricsJson {
	pub providers_pending: u32,
	pub providers_active: u32,
	pub providers_offline: u32,
	pub providers_rejected: u32,
	pub providers_leaving: u32,
	pub gpus_online: u32,
	pub gpus_offline: u32,
	pub gpus_leased: u32,
	pub gpus_free: u32,
	pub vram_online_mib: u64,
	pub active_jobs: u32,
	pub active_inference_jobs: u32,
	pub active_training_jobs: u32,
	pub active_leases: u32,
	/// The tempo (block / 360) the `settled*` fields count.
	pub tempo: u32,
	pub settled_jobs: u32,
	pub settled_volume: String,
	pub previous_settled_jobs: u32,
	pub previous_settled_volume: String,
	pub models: u32,
	pub models_deprecated: u32,
	pub by_gpu_model: Vec<GpuTotalsJson>,
	pub by_class: Vec<GpuTotalsJson>,
}

/// `compute_jobs`' filter.
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobFilterJson {
	pub poster: Option<String>,
	pub provider: Option<String>,
	pub status: Option<String>,
	pub start_after: Option<JobId>,
	pub limit: Option<u32>,
}

/// What a job asks for: `{"inference": {"units": 10}}`,
/// `{"training": {"steps": 1000, "checkpointEvery": 100}}` or
/// `{"lease": {"periods": 2, "periodBlocks": 100}}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum JobKindJson {
	Inference { units: u32 },
	Training { steps: u32, checkpoint_every: u32 },
	Lease { periods: u32, period_blocks: BlockNumber },
}

/// `{"model": 3}` (a registry id) or `{"content": "bafy..."}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum WorkloadJson {
	Model(ModelId),
	Content(String),
}

/// `{"model": "NVIDIA H100"}` or `{"minClass": 10}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum GpuRequirementJson {
	Model(String),
	MinClass(PerformanceClass),
}

/// `"random"`, `{"direct": "<SS58 hotkey>"}` or `{"auction": {"window": 10}}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum AssignmentJson {
	Direct(String),
	Random,
	Auction { window: BlockNumber },
}

/// A job's spec, as `compute_quote` takes it and `compute_job` returns it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobSpecJson {
	pub kind: JobKindJson,
	pub workload: WorkloadJson,
	pub input: String,
	pub gpu: GpuRequirementJson,
	pub gpu_count: u16,
	/// A fraction in [0, 1].
	#[serde(default)]
	pub min_reputation: f64,
	/// Decimal string of the smallest unit.
	pub max_unit_price: String,
	pub deadline: BlockNumber,
	pub assignment: AssignmentJson,
	pub replicas: u8,
	pub quorum: u8,
	/// The chance of a spot check, a fraction in [0, 1].
	#[serde(default)]
	pub spot_check: f64,
	#[serde(default)]
	pub challenge_window: BlockNumber,
}

/// What posting a job holds.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QuoteJson {
	pub payment: String,
	pub verification_fee: String,
	pub deposit: String,
	pub total: String,
}

/// One provider's part in a job.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaJson {
	pub provider: String,
	pub payout: String,
	pub unit_price: String,
	pub collateral: String,
	pub accepted: bool,
	pub committed: bool,
	/// `0x`-prefixed hex, once revealed.
	pub result_hash: Option<String>,
	pub output: Option<String>,
}

/// A job.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct JobJson {
	pub id: JobId,
	pub poster: String,
	pub spec: JobSpecJson,
	pub status: &'static str,
	pub posted_at: BlockNumber,
	pub escrow: String,
	pub paid: String,
	pub burned: String,
	pub replicas: Vec<ReplicaJson>,
	pub bids: Vec<BidJson>,
	pub next_step_at: Option<BlockNumber>,
	pub result_hash: Option<String>,
	pub output: Option<String>,
	pub periods_billed: u32,
	pub finished_at: Option<BlockNumber>,
	/// Its review while it is verified.
	pub review: Option<ReviewJson>,
}

/// A job's review: a spot check, a dispute or a challenge, judged by sampled validators.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReviewJson {
	/// `SpotCheck`, `Dispute` or `Challenge`.
	pub kind: &'static str,
	/// A challenge's challenger, challenged replica, bond and evidence CID.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub challenger: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub provider: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub bond: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub evidence: Option<String>,
	pub reviewers: Vec<ReviewerJson>,
	pub commit_end: BlockNumber,
	pub verdict: Option<String>,
}

/// A reviewer of a job.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReviewerJson {
	pub hotkey: String,
	pub committed: bool,
	/// `0x`-prefixed hex, once revealed.
	pub result_hash: Option<String>,
}

impl From<ReviewInfo<AccountId>> for ReviewJson {
	fn from(review: ReviewInfo<AccountId>) -> Self {
		let (kind, challenge) = match review.kind {
			ReviewKind::SpotCheck => ("SpotCheck", None),
			ReviewKind::Dispute => ("Dispute", None),
			ReviewKind::Challenge { challenger, provider, bond, evidence } => {
				("Challenge", Some((challenger, provider, bond, evidence)))
			}
		};
		Self {
			kind,
			challenger: challenge.as_ref().map(|(challenger, ..)| address(challenger)),
			provider: challenge.as_ref().map(|(_, provider, ..)| address(provider)),
			bond: challenge.as_ref().map(|(_, _, bond, _)| balance(*bond)),
			evidence: challenge.as_ref().map(|(.., evidence)| text(evidence)),
			reviewers: review
				.reviewers
				.into_iter()
				.map(|reviewer| ReviewerJson {
					hotkey: address(&reviewer.hotkey),
					committed: reviewer.committed,
					result_hash: reviewer.result.as_ref().map(hex),
				})
				.collect(),
			commit_end: review.commit_end,
			verdict: review.verdict.as_ref().map(hex),
		}
	}
}

/// A bid in an auction.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BidJson {
	pub provider: String,
	pub unit_price: String,
}

const STATUSES: [(ProviderStatus, &str); 5] = [
	(ProviderStatus::PendingAttestation, "PendingAttestation"),
	(ProviderStatus::Active, "Active"),
	(ProviderStatus::Offline, "Offline"),
	(ProviderStatus::Rejected, "Rejected"),
	(ProviderStatus::Leaving, "Leaving"),
];

const KINDS: [(ModelKind, &str); 5] = [
	(ModelKind::Llm, "Llm"),
	(ModelKind::Vision, "Vision"),
	(ModelKind::Audio, "Audio"),
	(ModelKind::Embedding, "Embedding"),
	(ModelKind::Other, "Other"),
];

const JOB_STATUSES: [(JobStatus, &str); 13] = [
	(JobStatus::Open, "Open"),
	(JobStatus::Assigned, "Assigned"),
	(JobStatus::Running, "Running"),
	(JobStatus::Revealing, "Revealing"),
	(JobStatus::Grace, "Grace"),
	(JobStatus::Settled, "Settled"),
	(JobStatus::Cancelled, "Cancelled"),
	(JobStatus::Failed, "Failed"),
	(JobStatus::Refunded, "Refunded"),
	(JobStatus::Terminated, "Terminated"),
	(JobStatus::Checking, "Checking"),
	(JobStatus::Challengeable, "Challengeable"),
	(JobStatus::Disputed, "Disputed"),
];

/// The name of a value in a `(value, name)` table.
fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], value: T) -> &'static str {
	table.iter().find(|(v, _)| *v == value).map_or("Unknown", |(_, name)| name)
}

/// The value a name stands for, or an error naming `field` and listing the names.
fn parse_name<T: Copy>(table: &[(T, &'static str)], field: &str, name: &str) -> RpcResult<T> {
	table.iter().find(|(_, n)| *n == name).map(|(value, _)| *value).ok_or_else(|| {
		let names: Vec<_> = table.iter().map(|(_, n)| *n).collect();
		invalid_params(format!("unknown {field} '{name}'; expected one of: {}", names.join(", ")))
	})
}

fn text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

impl ProviderFilterJson {
	pub(super) fn parse(self) -> RpcResult<ProviderFilter<AccountId>> {
		let gpu_model = self
			.gpu_model
			.map(|name| {
				GpuModel::try_from(name.into_bytes())
					.map_err(|_| invalid_params("gpuModel is longer than 32 bytes".into()))
			})
			.transpose()?;
		Ok(ProviderFilter {
			netuid: self.netuid,
			status: self.status.map(|s| parse_name(&STATUSES, "status", &s)).transpose()?,
			gpu_model,
			min_class: self.min_class,
			start_after: self.start_after.map(|s| account(&s)).transpose()?,
			limit: page_size(self.limit)?,
		})
	}
}

impl ModelFilterJson {
	pub(super) fn parse(self) -> RpcResult<ModelFilter<AccountId>> {
		Ok(ModelFilter {
			owner: self.owner.map(|s| account(&s)).transpose()?,
			kind: self.kind.map(|k| parse_name(&KINDS, "kind", &k)).transpose()?,
			include_deprecated: self.include_deprecated,
			start_after: self.start_after,
			limit: page_size(self.limit)?,
		})
	}
}

impl JobFilterJson {
	pub(super) fn parse(self) -> RpcResult<JobFilter<AccountId>> {
		Ok(JobFilter {
			poster: self.poster.map(|s| account(&s)).transpose()?,
			provider: self.provider.map(|s| account(&s)).transpose()?,
			status: self.status.map(|s| parse_name(&JOB_STATUSES, "status", &s)).transpose()?,
			start_after: self.start_after,
			limit: page_size(self.limit)?,
		})
	}
}

fn content_id(field: &str, text: String) -> RpcResult<ContentId> {
	ContentId::try_from(text.into_bytes())
		.map_err(|_| invalid_params(format!("{field} is longer than 96 bytes")))
}

fn hex(hash: &polkadot_sdk::sp_core::H256) -> String {
	format!("{hash:?}")
}

impl JobSpecJson {
	pub(super) fn parse(self) -> RpcResult<JobSpec<AccountId>> {
		if !(0.0..=1.0).contains(&self.min_reputation) {
			return Err(invalid_params("minReputation must be within [0, 1]".into()));
		}
		if !(0.0..=1.0).contains(&self.spot_check) {
			return Err(invalid_params("spotCheck must be within [0, 1]".into()));
		}
		let max_unit_price = self.max_unit_price.parse::<Balance>().map_err(|_| {
			invalid_params(format!(
				"maxUnitPrice '{}' is not a decimal amount",
				self.max_unit_price
			))
		})?;
		Ok(JobSpec {
			kind: match self.kind {
				JobKindJson::Inference { units } => JobKind::Inference { units },
				JobKindJson::Training { steps, checkpoint_every } => {
					JobKind::Training { steps, checkpoint_every }
				}
				JobKindJson::Lease { periods, period_blocks } => {
					JobKind::Lease { periods, period_blocks }
				}
			},
			workload: match self.workload {
				WorkloadJson::Model(id) => Workload::Model(id),
				WorkloadJson::Content(cid) => Workload::Content(content_id("workload", cid)?),
			},
			input: content_id("input", self.input)?,
			gpu: match self.gpu {
				GpuRequirementJson::Model(name) => GpuRequirement::Model(
					GpuModel::try_from(name.into_bytes())
						.map_err(|_| invalid_params("gpu model is longer than 32 bytes".into()))?,
				),
				GpuRequirementJson::MinClass(class) => GpuRequirement::MinClass(class),
			},
			gpu_count: self.gpu_count,
			min_reputation: Reputation::from_float(self.min_reputation),
			max_unit_price,
			deadline: self.deadline,
			assignment: match self.assignment {
				AssignmentJson::Direct(hotkey) => AssignmentPolicy::Direct(account(&hotkey)?),
				AssignmentJson::Random => AssignmentPolicy::Random,
				AssignmentJson::Auction { window } => AssignmentPolicy::Auction { window },
			},
			replicas: self.replicas,
			quorum: self.quorum,
			spot_check: polkadot_sdk::sp_runtime::Perbill::from_float(self.spot_check),
			challenge_window: self.challenge_window,
		})
	}
}

impl From<JobSpec<AccountId>> for JobSpecJson {
	fn from(spec: JobSpec<AccountId>) -> Self {
		Self {
			kind: match spec.kind {
				JobKind::Inference { units } => JobKindJson::Inference { units },
				JobKind::Training { steps, checkpoint_every } => {
					JobKindJson::Training { steps, checkpoint_every }
				}
				JobKind::Lease { periods, period_blocks } => {
					JobKindJson::Lease { periods, period_blocks }
				}
			},
			workload: match spec.workload {
				Workload::Model(id) => WorkloadJson::Model(id),
				Workload::Content(cid) => WorkloadJson::Content(text(&cid)),
			},
			input: text(&spec.input),
			gpu: match spec.gpu {
				GpuRequirement::Model(name) => GpuRequirementJson::Model(text(&name)),
				GpuRequirement::MinClass(class) => GpuRequirementJson::MinClass(class),
			},
			gpu_count: spec.gpu_count,
			min_reputation: f64::from(spec.min_reputation.deconstruct()) / 1e9,
			max_unit_price: balance(spec.max_unit_price),
			deadline: spec.deadline,
			assignment: match spec.assignment {
				AssignmentPolicy::Direct(hotkey) => AssignmentJson::Direct(address(&hotkey)),
				AssignmentPolicy::Random => AssignmentJson::Random,
				AssignmentPolicy::Auction { window } => AssignmentJson::Auction { window },
			},
			replicas: spec.replicas,
			quorum: spec.quorum,
			spot_check: f64::from(spec.spot_check.deconstruct()) / 1e9,
			challenge_window: spec.challenge_window,
		}
	}
}

impl From<JobQuote> for QuoteJson {
	fn from(quote: JobQuote) -> Self {
		Self {
			payment: balance(quote.payment),
			verification_fee: balance(quote.verification_fee),
			deposit: balance(quote.deposit),
			total: balance(quote.total),
		}
	}
}

impl From<JobInfo<AccountId>> for JobJson {
	fn from(job: JobInfo<AccountId>) -> Self {
		Self {
			id: job.id,
			poster: address(&job.poster),
			spec: job.spec.into(),
			status: name_of(&JOB_STATUSES, job.status),
			posted_at: job.posted_at,
			escrow: balance(job.escrow),
			paid: balance(job.paid),
			burned: balance(job.burned),
			replicas: job
				.replicas
				.into_iter()
				.map(|replica| ReplicaJson {
					provider: address(&replica.provider),
					payout: address(&replica.payout),
					unit_price: balance(replica.unit_price),
					collateral: balance(replica.collateral),
					accepted: replica.accepted,
					committed: replica.committed,
					result_hash: replica.result.as_ref().map(|(hash, _)| hex(hash)),
					output: replica.result.map(|(_, output)| text(&output)),
				})
				.collect(),
			bids: job
				.bids
				.into_iter()
				.map(|(provider, price)| BidJson {
					provider: address(&provider),
					unit_price: balance(price),
				})
				.collect(),
			next_step_at: job.next_step_at,
			result_hash: job.result.as_ref().map(|(hash, _)| hex(hash)),
			output: job.result.map(|(_, output)| text(&output)),
			periods_billed: job.periods_billed,
			finished_at: job.finished_at,
			review: job.review.map(ReviewJson::from),
		}
	}
}

impl From<ProviderInfo<AccountId>> for ProviderJson {
	fn from(provider: ProviderInfo<AccountId>) -> Self {
		let spec = provider.spec;
		Self {
			hotkey: address(&provider.hotkey),
			owner: address(&provider.owner),
			netuid: provider.netuid,
			spec: SpecJson {
				gpu_model: text(&spec.gpu_model),
				gpu_count: spec.gpu_count,
				vram_per_gpu_mib: spec.vram_per_gpu_mib,
				compute_capability: format!(
					"{}.{}",
					spec.compute_capability.major, spec.compute_capability.minor
				),
				cpu_cores: spec.cpu_cores,
				ram_mib: spec.ram_mib,
				disk_gib: spec.disk_gib,
				bandwidth_mbps: spec.bandwidth_mbps,
				region: text(&spec.region),
			},
			ask_price: balance(provider.ask_price),
			payout: address(&provider.payout),
			status: name_of(&STATUSES, provider.status),
			score: provider.score,
			class: provider.class,
			bond: balance(provider.bond),
			unbonding: provider
				.unbonding
				.into_iter()
				.map(|(amount, unlock_at)| UnbondingJson { amount: balance(amount), unlock_at })
				.collect(),
			registered_at: provider.registered_at,
			last_heartbeat: provider.last_heartbeat,
			attestation_open: provider.attestation_open,
			offences: provider.offences,
			active_jobs: provider.active_jobs,
			pending_slashes: provider.pending_slashes,
			reputation: f64::from(provider.reputation.deconstruct()) / 1e9,
		}
	}
}

impl From<ModelInfo<AccountId>> for ModelJson {
	fn from(model: ModelInfo<AccountId>) -> Self {
		let version = model.version;
		Self {
			id: model.id,
			owner: address(&model.owner),
			name: text(&model.name),
			content_id: text(&model.content_id),
			version: format!("{}.{}.{}", version.major, version.minor, version.patch),
			kind: name_of(&KINDS, model.kind),
			metadata: text(&model.metadata),
			deprecated: model.deprecated,
			deposit: balance(model.deposit),
			registered_at: model.registered_at,
			job_refs: model.job_refs,
		}
	}
}

fn totals(
	gpu_model: Option<String>,
	class: Option<PerformanceClass>,
	totals: GpuTotals,
) -> GpuTotalsJson {
	GpuTotalsJson {
		gpu_model,
		class,
		providers: totals.providers,
		gpus: totals.gpus,
		vram_mib: totals.vram_mib,
	}
}

impl From<NetworkMetrics> for NetworkMetricsJson {
	fn from(metrics: NetworkMetrics) -> Self {
		let counters = metrics.counters;
		let jobs = metrics.jobs;
		Self {
			providers_pending: counters.providers_pending,
			providers_active: counters.providers_active,
			providers_offline: counters.providers_offline,
			providers_rejected: counters.providers_rejected,
			providers_leaving: counters.providers_leaving,
			gpus_online: counters.gpus_online,
			gpus_offline: counters.gpus_offline,
			gpus_leased: counters.gpus_leased,
			gpus_free: metrics.gpus_free,
			vram_online_mib: counters.vram_online_mib,
			active_jobs: counters.active_jobs,
			active_inference_jobs: jobs.active_inference,
			active_training_jobs: jobs.active_training,
			active_leases: jobs.active_leases,
			tempo: jobs.tempo,
			settled_jobs: jobs.settled_jobs,
			settled_volume: balance(jobs.settled_volume),
			previous_settled_jobs: jobs.previous_settled_jobs,
			previous_settled_volume: balance(jobs.previous_settled_volume),
			models: counters.models,
			models_deprecated: counters.models_deprecated,
			by_gpu_model: metrics
				.by_gpu_model
				.into_iter()
				.map(|(model, t)| totals(Some(text(&model)), None, t))
				.collect(),
			by_class: metrics
				.by_class
				.into_iter()
				.map(|(class, t)| totals(None, Some(class), t))
				.collect(),
		}
	}
}

impl<C> ComputeRpcServer for Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ComputeApi<Block, AccountId>,
{
	fn providers(
		&self,
		filter: Option<ProviderFilterJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ProviderJson>> {
		let filter = filter.unwrap_or_default().parse()?;
		let providers =
			self.client().runtime_api().providers(self.at(at), filter).map_err(runtime_error)?;
		Ok(providers.into_iter().map(ProviderJson::from).collect())
	}

	fn provider(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<ProviderJson>> {
		let hotkey = account(&hotkey)?;
		let provider =
			self.client().runtime_api().provider(self.at(at), hotkey).map_err(runtime_error)?;
		Ok(provider.map(ProviderJson::from))
	}

	fn models(
		&self,
		filter: Option<ModelFilterJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ModelJson>> {
		let filter = filter.unwrap_or_default().parse()?;
		let models =
			self.client().runtime_api().models(self.at(at), filter).map_err(runtime_error)?;
		Ok(models.into_iter().map(ModelJson::from).collect())
	}

	fn model(&self, id: ModelId, at: Option<BlockHash>) -> RpcResult<Option<ModelJson>> {
		let model = self.client().runtime_api().model(self.at(at), id).map_err(runtime_error)?;
		Ok(model.map(ModelJson::from))
	}

	fn network_metrics(&self, at: Option<BlockHash>) -> RpcResult<NetworkMetricsJson> {
		let metrics =
			self.client().runtime_api().network_metrics(self.at(at)).map_err(runtime_error)?;
		Ok(metrics.into())
	}

	fn job(&self, id: JobId, at: Option<BlockHash>) -> RpcResult<Option<JobJson>> {
		let job = self.client().runtime_api().job(self.at(at), id).map_err(runtime_error)?;
		Ok(job.map(JobJson::from))
	}

	fn jobs(
		&self,
		filter: Option<JobFilterJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<JobJson>> {
		let filter = filter.unwrap_or_default().parse()?;
		let jobs = self.client().runtime_api().jobs(self.at(at), filter).map_err(runtime_error)?;
		Ok(jobs.into_iter().map(JobJson::from).collect())
	}

	fn quote(&self, spec: JobSpecJson, at: Option<BlockHash>) -> RpcResult<QuoteJson> {
		let spec = spec.parse()?;
		let quote = self.client().runtime_api().quote(self.at(at), spec).map_err(runtime_error)?;
		Ok(quote.into())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use luxtensor_primitives::compute::{ComputeCapability, ComputeCounters, HardwareSpec};
	use polkadot_sdk::sp_keyring::Sr25519Keyring;

	#[test]
	fn filters_parse_names_and_refuse_unknown_ones() {
		let filter = ProviderFilterJson {
			status: Some("Active".into()),
			gpu_model: Some("NVIDIA H100".into()),
			limit: Some(5),
			..Default::default()
		}
		.parse()
		.expect("valid");
		assert_eq!(filter.status, Some(ProviderStatus::Active));
		assert_eq!(filter.limit, 5);
		let error = ProviderFilterJson { status: Some("Busy".into()), ..Default::default() }
			.parse()
			.unwrap_err();
		assert!(error.message().contains("unknown status 'Busy'"), "{}", error.message());
		let error =
			ProviderFilterJson { limit: Some(1000), ..Default::default() }.parse().unwrap_err();
		assert!(error.message().contains("limit 1000"), "{}", error.message());
		assert_eq!(
			ModelFilterJson::default().parse().expect("valid").limit,
			super::super::views::DEFAULT_PAGE_SIZE
		);
		let error = ModelFilterJson { kind: Some("Robot".into()), ..Default::default() }
			.parse()
			.unwrap_err();
		assert!(error.message().contains("Llm, Vision"), "{}", error.message());
	}

	#[test]
	fn provider_json_is_readable() {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let provider = ProviderInfo {
			hotkey: alice.clone(),
			owner: alice.clone(),
			netuid: 1,
			spec: HardwareSpec {
				gpu_model: b"NVIDIA H100".to_vec().try_into().unwrap(),
				gpu_count: 8,
				vram_per_gpu_mib: 81_920,
				compute_capability: ComputeCapability { major: 9, minor: 0 },
				cpu_cores: 96,
				ram_mib: 1 << 20,
				disk_gib: 4_000,
				bandwidth_mbps: 25_000,
				region: *b"US",
			},
			ask_price: 1_500_000_000,
			payout: alice.clone(),
			status: ProviderStatus::Active,
			score: Some(1_000),
			class: Some(10),
			bond: 500_000_000_000,
			unbonding: vec![(1, 99)],
			registered_at: 3,
			last_heartbeat: 7,
			attestation_open: false,
			offences: 0,
			active_jobs: 0,
			pending_slashes: 1,
			reputation: polkadot_sdk::sp_runtime::Perbill::from_percent(55),
		};
		let json = serde_json::to_value(ProviderJson::from(provider)).unwrap();
		assert_eq!(json["reputation"], 0.55);
		assert_eq!(json["pendingSlashes"], 1);
		assert_eq!(json["hotkey"], alice.to_string());
		assert_eq!(json["status"], "Active");
		assert_eq!(json["spec"]["gpuModel"], "NVIDIA H100");
		assert_eq!(json["spec"]["computeCapability"], "9.0");
		assert_eq!(json["spec"]["region"], "US");
		assert_eq!(json["askPrice"], "1500000000");
		assert_eq!(json["unbonding"][0]["unlockAt"], 99);
	}

	#[test]
	fn metrics_json_names_models_and_classes() {
		let metrics = NetworkMetrics {
			counters: ComputeCounters { providers_active: 2, gpus_online: 9, ..Default::default() },
			gpus_free: 9,
			by_gpu_model: vec![(
				b"NVIDIA A100".to_vec().try_into().unwrap(),
				GpuTotals { providers: 2, gpus: 9, vram_mib: 9 * 81_920 },
			)],
			by_class: vec![(11, GpuTotals { providers: 2, gpus: 9, vram_mib: 9 * 81_920 })],
			jobs: Default::default(),
		};
		let json = serde_json::to_value(NetworkMetricsJson::from(metrics)).unwrap();
		assert_eq!(json["providersActive"], 2);
		assert_eq!(json["byGpuModel"][0]["gpuModel"], "NVIDIA A100");
		assert!(json["byGpuModel"][0].get("class").is_none());
		assert_eq!(json["byClass"][0]["class"], 11);
		assert_eq!(json["settledVolume"], "0");
	}

	#[test]
	fn a_job_spec_round_trips_through_json() {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let json = serde_json::json!({
			"kind": {"training": {"steps": 100, "checkpointEvery": 10}},
			"workload": {"content": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
			"input": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
			"gpu": {"minClass": 10},
			"gpuCount": 1,
			"minReputation": 0.5,
			"maxUnitPrice": "1000000000",
			"deadline": 500,
			"assignment": {"direct": alice.to_string()},
			"replicas": 1,
			"quorum": 1,
			"spotCheck": 0.25,
			"challengeWindow": 10
		});
		let parsed: JobSpecJson = serde_json::from_value(json.clone()).unwrap();
		let spec = parsed.clone().parse().unwrap();
		assert_eq!(spec.kind, JobKind::Training { steps: 100, checkpoint_every: 10 });
		assert_eq!(
			(spec.spot_check, spec.challenge_window),
			(polkadot_sdk::sp_runtime::Perbill::from_percent(25), 10)
		);
		assert_eq!(spec.assignment, AssignmentPolicy::Direct(alice));
		assert_eq!(spec.min_reputation, Reputation::from_percent(50));
		assert_eq!(serde_json::to_value(JobSpecJson::from(spec)).unwrap(), json);
		let random: JobSpecJson = serde_json::from_value(serde_json::json!({
			"kind": {"lease": {"periods": 2, "periodBlocks": 10}},
			"workload": {"model": 0},
			"input": "x",
			"gpu": {"model": "NVIDIA H100"},
			"gpuCount": 8,
			"maxUnitPrice": "many",
			"deadline": 9,
			"assignment": "random",
			"replicas": 1,
			"quorum": 1
		}))
		.unwrap();
		assert!(random.parse().unwrap_err().message().contains("maxUnitPrice 'many'"));
		let mut checked = parsed;
		checked.spot_check = 1.5;
		assert!(checked.parse().unwrap_err().message().contains("spotCheck must be within"));
	}
}
