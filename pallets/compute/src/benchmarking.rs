//! Benchmarks of pallet-compute (v2), each in its worst case.

use super::*;
use crate::{impls::ProviderOf, jobs::JobOf};
use alloc::{vec, vec::Vec};
use luxtensor_primitives::{
	compute::{
		AssignmentPolicy, ComputeCapability, ContentId, GpuRequirement, HardwareSpec, JobId,
		JobKind, JobSpec, JobStatus, ModelKind, ModelMetadata, ModelName, ModelVersion,
		ProviderStatus, Workload, MAX_GPU_MODEL_LEN, MAX_MODEL_METADATA_LEN, MAX_MODEL_NAME_LEN,
	},
	subnets::{NetUid, Uid},
	traits::{ComputeScores, OnNeuronRegistered},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get, Hooks},
		BoundedVec,
	},
	frame_system::{self, RawOrigin},
	sp_core::H256,
	sp_runtime::traits::UniqueSaturatedInto,
};

/// Makes subnets, neurons and validators for the benchmarks: the runtime wires the pallets
/// owning them in.
pub trait BenchmarkHelper<AccountId> {
	/// Creates a subnet and returns its netuid.
	fn create_subnet() -> NetUid;
	/// Registers `hotkey`, owned by `coldkey`, as a neuron of `netuid`.
	fn register_neuron(netuid: NetUid, hotkey: &AccountId, coldkey: &AccountId);
	/// Makes `validators` neurons of `netuid` holding validator permits, with stake.
	fn add_validators(netuid: NetUid, validators: &[AccountId]);
}

/// An IPFS CIDv1 (raw, sha2-256).
const CID: &[u8] = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, Balance::from(u64::MAX));
	who
}

fn filled<S: Get<u32>>(length: u32) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![b'x'; length as usize])
}

/// The biggest spec: the longest GPU model name and the most GPUs.
fn big_spec<T: Config>() -> HardwareSpec {
	HardwareSpec {
		gpu_model: filled(MAX_GPU_MODEL_LEN),
		gpu_count: T::MaxGpusPerProvider::get(),
		vram_per_gpu_mib: 81_920,
		compute_capability: ComputeCapability { major: 9, minor: 0 },
		cpu_cores: 128,
		ram_mib: 1_048_576,
		disk_gib: 8_000,
		bandwidth_mbps: 100_000,
		region: *b"DE",
	}
}

fn now<T: Config>() -> BlockNumber {
	frame_system::Pallet::<T>::block_number().unique_saturated_into()
}

fn set_block<T: Config>(block: BlockNumber) {
	frame_system::Pallet::<T>::set_block_number(block.into());
}

/// The benchmark runner moves block 0 to 1 only after the setup: start at 1 so windows
/// computed in the setup hold for the call.
fn start<T: Config>() {
	if now::<T>() == 0 {
		set_block::<T>(1);
	}
}

fn compute_subnet<T: Config>() -> NetUid {
	start::<T>();
	let netuid = T::BenchmarkHelper::create_subnet();
	ComputeSubnets::<T>::insert(netuid, ());
	netuid
}

/// Fills the deadline queues of `blocks` blocks from `from`, so the next deadline spills.
fn fill_queues<T: Config>(from: BlockNumber, blocks: BlockNumber) {
	let filler: T::AccountId = account("filler", 0, 0);
	for block in from..from.saturating_add(blocks) {
		let queue =
			vec![Deadline::Liveness(filler.clone()); T::MaxDeadlinesPerBlock::get() as usize];
		Deadlines::<T>::insert(block, BoundedVec::truncate_from(queue));
	}
}

/// A registered provider (pending its attestation) on a new compute subnet.
fn provider<T: Config>() -> (T::AccountId, T::AccountId, NetUid) {
	let netuid = compute_subnet::<T>();
	let coldkey = funded::<T>("provider-owner", 0);
	let hotkey: T::AccountId = account("hotkey", 0, 0);
	T::BenchmarkHelper::register_neuron(netuid, &hotkey, &coldkey);
	Pallet::<T>::do_register_provider(
		coldkey.clone(),
		hotkey.clone(),
		netuid,
		big_spec::<T>(),
		1_000,
		coldkey.clone(),
	)
	.expect("the provider registers");
	(coldkey, hotkey, netuid)
}

/// `count` validators of `netuid` as attestors of `hotkey`'s attestation, which is open
/// in its reveal window; each has revealed `verdict` if `revealed`.
fn open_attestation<T: Config>(
	hotkey: &T::AccountId,
	netuid: NetUid,
	count: u32,
	revealed: bool,
	verdict: bool,
) -> Vec<T::AccountId> {
	let attestors: Vec<T::AccountId> = (0..count).map(|i| funded::<T>("attestor", i)).collect();
	T::BenchmarkHelper::add_validators(netuid, &attestors);
	let draw_at = match Attestations::<T>::get(hotkey).expect("requested").phase {
		AttestationPhase::Drawing { at } => at,
		AttestationPhase::Open { .. } => panic!("already drawn"),
	};
	Deadlines::<T>::remove(draw_at);
	let start = now::<T>();
	let commit_end = start.saturating_add(1);
	let reveal_end = Pallet::<T>::schedule(
		commit_end.saturating_add(T::RevealWindow::get()),
		Deadline::CloseAttestation(hotkey.clone()),
	)
	.expect("room");
	let slots = attestors
		.iter()
		.map(|attestor| Attestor {
			hotkey: attestor.clone(),
			commitment: Some(Pallet::<T>::attestation_commitment(hotkey, 1_000, verdict, &[0; 32])),
			report: revealed.then_some(AttestorReport { score: 1_000, verdict }),
		})
		.collect();
	Attestations::<T>::insert(
		hotkey,
		Attestation {
			round: 0,
			phase: AttestationPhase::Open { commit_end, reveal_end },
			attestors: BoundedVec::truncate_from(slots),
		},
	);
	attestors
}

/// An attested, active provider.
fn active_provider<T: Config>() -> (T::AccountId, T::AccountId, NetUid) {
	let (coldkey, hotkey, netuid) = provider::<T>();
	open_attestation::<T>(&hotkey, netuid, T::AttestorsPerProvider::get(), true, true);
	Pallet::<T>::close_attestation(&hotkey, now::<T>());
	assert_eq!(Providers::<T>::get(&hotkey).expect("exists").status, ProviderStatus::Active);
	(coldkey, hotkey, netuid)
}

/// A rejected provider with a slash scheduled (id 0) for `beneficiaries` attestors.
fn slashed_provider<T: Config>(beneficiaries: u32) -> (T::AccountId, T::AccountId, SlashId) {
	let (coldkey, hotkey, netuid) = provider::<T>();
	let attestors = open_attestation::<T>(&hotkey, netuid, beneficiaries, true, false);
	Pallet::<T>::close_attestation(&hotkey, now::<T>());
	let slash_id = NextSlashId::<T>::get().saturating_sub(1);
	assert_eq!(
		Slashes::<T>::get(slash_id).expect("scheduled").beneficiaries.len(),
		attestors.len()
	);
	// The worst case is a slash in a job: collateral to take (or return) and a poster paid.
	let mut record = provider_record::<T>(&hotkey);
	let collateral = record.bond / 10;
	Pallet::<T>::release(HoldReason::ProviderBond, &coldkey, collateral);
	Pallet::<T>::hold(HoldReason::JobCollateral, &coldkey, collateral).expect("just released");
	record.bond -= collateral;
	Providers::<T>::insert(&hotkey, record);
	let poster = funded::<T>("poster", 0);
	Slashes::<T>::mutate(slash_id, |slash| {
		let slash = slash.as_mut().expect("scheduled");
		slash.collateral = collateral;
		slash.job = Some((0, poster));
	});
	(coldkey, hotkey, slash_id)
}

fn model_args() -> (ModelName, ContentId, ModelMetadata) {
	(
		filled(MAX_MODEL_NAME_LEN),
		BoundedVec::truncate_from(CID.to_vec()),
		filled(MAX_MODEL_METADATA_LEN),
	)
}

fn model<T: Config>() -> T::AccountId {
	start::<T>();
	let owner = funded::<T>("owner", 0);
	let (name, content_id, metadata) = model_args();
	Pallet::<T>::do_register_model(
		owner.clone(),
		name,
		content_id,
		ModelVersion::default(),
		ModelKind::Llm,
		metadata,
	)
	.expect("the model registers");
	owner
}

fn provider_record<T: Config>(hotkey: &T::AccountId) -> ProviderOf<T> {
	Providers::<T>::get(hotkey).expect("exists")
}

/// The unit price every benchmark provider asks, and the units of a benchmark job.
const PRICE: Balance = 1_000;
const UNITS: u32 = 1_000;

/// `count` active providers on a new compute subnet, each with its own coldkey and bond to
/// spare for collateral, in the index random draws read (made directly: attesting each
/// would only lengthen the setup).
fn active_providers<T: Config>(count: u32) -> Vec<T::AccountId> {
	let netuid = compute_subnet::<T>();
	(0..count)
		.map(|i| {
			let coldkey = funded::<T>("provider-owner", i);
			let hotkey: T::AccountId = account("hotkey", i, 0);
			T::BenchmarkHelper::register_neuron(netuid, &hotkey, &coldkey);
			let spec = big_spec::<T>();
			let bond = Pallet::<T>::required_bond(&spec).saturating_mul(2);
			Pallet::<T>::hold(HoldReason::ProviderBond, &coldkey, bond).expect("funded");
			let now = now::<T>();
			let provider = Provider {
				owner: coldkey.clone(),
				netuid,
				spec,
				ask_price: PRICE,
				payout: coldkey,
				status: ProviderStatus::Active,
				bond,
				unbonding: BoundedVec::new(),
				attestation_fee: 0,
				score: Some(1_000),
				registered_at: now,
				last_heartbeat: now,
				liveness_deadline: None,
				leaving_at: None,
				active_jobs: 0,
				pending_slashes: 0,
			};
			Pallet::<T>::store_provider(&hotkey, None, provider);
			hotkey
		})
		.collect()
}

fn job_spec<T: Config>(
	kind: JobKind,
	assignment: AssignmentPolicy<T::AccountId>,
	replicas: u32,
) -> JobSpec<T::AccountId> {
	let replicas = replicas as u8;
	JobSpec {
		kind,
		workload: Workload::Content(BoundedVec::truncate_from(CID.to_vec())),
		input: BoundedVec::truncate_from(CID.to_vec()),
		gpu: GpuRequirement::MinClass(0),
		gpu_count: 1,
		min_reputation: Default::default(),
		max_unit_price: PRICE,
		deadline: now::<T>().saturating_add(T::MaxJobDuration::get()),
		assignment,
		replicas,
		quorum: replicas / 2 + 1,
		spot_check: Default::default(),
		challenge_window: 0,
	}
}

fn inference<T: Config>(
	assignment: AssignmentPolicy<T::AccountId>,
	replicas: u32,
) -> JobSpec<T::AccountId> {
	job_spec::<T>(JobKind::Inference { units: UNITS }, assignment, replicas)
}

/// Posts `spec` and returns the poster and the job's id.
fn posted<T: Config>(spec: JobSpec<T::AccountId>) -> (T::AccountId, JobId) {
	let poster = funded::<T>("poster", 0);
	let id = NextJobId::<T>::get();
	Pallet::<T>::do_post_job(poster.clone(), spec).expect("the job posts");
	(poster, id)
}

fn job<T: Config>(id: JobId) -> JobOf<T> {
	Jobs::<T>::get(id).expect("the job exists")
}

/// Moves to the block the job's next step is queued at; returns it.
fn to_next_step<T: Config>(id: JobId) -> BlockNumber {
	let at = job::<T>(id).timer.expect("a next step").queued;
	set_block::<T>(at);
	Deadlines::<T>::remove(at);
	at
}

/// Applies the job's next step.
fn run_step<T: Config>(id: JobId) {
	let at = to_next_step::<T>(id);
	Pallet::<T>::job_deadline(id, at);
}

/// A random job of `replicas` replicas, assigned among `replicas` providers (plus
/// `spare` providers not on it); returns the poster, the job and the providers.
fn assigned_job<T: Config>(replicas: u32, spare: u32) -> (T::AccountId, JobId, Vec<T::AccountId>) {
	let providers = active_providers::<T>(replicas.saturating_add(spare));
	let (poster, id) = posted::<T>(inference::<T>(AssignmentPolicy::Random, replicas));
	run_step::<T>(id);
	assert_eq!(job::<T>(id).status, JobStatus::Assigned);
	(poster, id, providers)
}

fn assigned_providers<T: Config>(id: JobId) -> Vec<T::AccountId> {
	job::<T>(id).replicas.iter().map(|replica| replica.provider.clone()).collect()
}

/// A random job of `replicas` replicas, all accepted.
fn running_job<T: Config>(replicas: u32) -> (T::AccountId, JobId, Vec<T::AccountId>) {
	let (poster, id, _) = assigned_job::<T>(replicas, 0);
	let providers = assigned_providers::<T>(id);
	for provider in &providers {
		Pallet::<T>::do_accept_assignment(provider.clone(), id).expect("accepts");
	}
	assert_eq!(job::<T>(id).status, JobStatus::Running);
	(poster, id, providers)
}

const SALT: [u8; 32] = [7; 32];

/// The result replica `index` computes: all agree but the last of more than two.
fn result_of(index: usize, replicas: usize) -> H256 {
	if replicas > 2 && index + 1 == replicas {
		H256::repeat_byte(2)
	} else {
		H256::repeat_byte(1)
	}
}

/// A random job of `replicas` replicas whose results are committed, in its reveal window.
fn revealing_job<T: Config>(replicas: u32) -> (JobId, Vec<T::AccountId>) {
	let (_, id, providers) = running_job::<T>(replicas);
	for (index, provider) in providers.iter().enumerate() {
		let result = result_of(index, providers.len());
		let commitment = Pallet::<T>::result_commitment(id, provider, &result, &SALT);
		Pallet::<T>::do_commit_result(provider.clone(), id, commitment).expect("commits");
	}
	assert_eq!(job::<T>(id).status, JobStatus::Revealing);
	(id, providers)
}

/// A job of one replica whose result is revealed and open to challenges.
fn challengeable_job<T: Config>() -> (JobId, T::AccountId) {
	let provider = active_providers::<T>(1).pop().expect("one");
	let mut spec = inference::<T>(AssignmentPolicy::Direct(provider.clone()), 1);
	spec.challenge_window = T::MaxChallengeWindow::get();
	let (_, id) = posted::<T>(spec);
	Pallet::<T>::do_accept_assignment(provider.clone(), id).expect("accepts");
	let result = H256::repeat_byte(1);
	let commitment = Pallet::<T>::result_commitment(id, &provider, &result, &SALT);
	Pallet::<T>::do_commit_result(provider.clone(), id, commitment).expect("commits");
	let output: ContentId = BoundedVec::truncate_from(CID.to_vec());
	Pallet::<T>::do_reveal_result(provider.clone(), id, result, output, SALT).expect("reveals");
	assert_eq!(job::<T>(id).status, JobStatus::Challengeable);
	(id, provider)
}

/// A disputed job of `replicas` replicas whose jury of (at most) `jurors` validators is
/// drawn; returns the job and the jurors.
fn disputed_job<T: Config>(replicas: u32, jurors: u32) -> (JobId, Vec<T::AccountId>) {
	let (_, id, providers) = running_job::<T>(replicas);
	let netuid = provider_record::<T>(&providers[0]).netuid;
	let validators: Vec<T::AccountId> = (0..jurors).map(|i| account("validator", i, 0)).collect();
	T::BenchmarkHelper::add_validators(netuid, &validators);
	let mut record = job::<T>(id);
	Pallet::<T>::open_dispute(id, &mut record, ReviewKind::Dispute, now::<T>()).expect("opens");
	Jobs::<T>::insert(id, record);
	run_step::<T>(id);
	let reviewers: Vec<T::AccountId> = Reviews::<T>::get(id)
		.expect("drawn")
		.reviewers
		.into_iter()
		.map(|reviewer| reviewer.hotkey)
		.collect();
	(id, reviewers)
}

/// A direct lease of one provider, running.
fn running_lease<T: Config>() -> (T::AccountId, JobId, T::AccountId) {
	let provider = active_providers::<T>(1).pop().expect("one");
	let period_blocks = T::MinLeasePeriod::get();
	let spec = job_spec::<T>(
		JobKind::Lease { periods: 2, period_blocks },
		AssignmentPolicy::Direct(provider.clone()),
		1,
	);
	let (poster, id) = posted::<T>(spec);
	Pallet::<T>::do_accept_assignment(provider.clone(), id).expect("accepts");
	assert_eq!(job::<T>(id).status, JobStatus::Running);
	(poster, id, provider)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_compute_subnet() -> Result<(), BenchmarkError> {
		let netuid = T::BenchmarkHelper::create_subnet();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, netuid, true);
		assert!(ComputeSubnets::<T>::contains_key(netuid));
		Ok(())
	}

	/// Worst case: the biggest spec, and the draw's queue full so it spills furthest.
	#[benchmark]
	fn register_provider() {
		let netuid = compute_subnet::<T>();
		let coldkey = funded::<T>("provider-owner", 0);
		let hotkey: T::AccountId = account("hotkey", 0, 0);
		T::BenchmarkHelper::register_neuron(netuid, &hotkey, &coldkey);
		fill_queues::<T>(now::<T>().saturating_add(T::DrawDelay::get()), 16);
		let payout = coldkey.clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), netuid, big_spec::<T>(), 1_000, payout);
		assert!(Attestations::<T>::contains_key(&hotkey));
	}

	/// Worst case: an active provider changes everything, its spec included.
	#[benchmark]
	fn update_provider() {
		let (coldkey, hotkey, _) = active_provider::<T>();
		fill_queues::<T>(now::<T>().saturating_add(T::DrawDelay::get()), 16);
		let mut spec = big_spec::<T>();
		spec.ram_mib = 2_097_152;
		let payout = coldkey.clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), Some(2_000), Some(payout), Some(spec));
		assert_eq!(provider_record::<T>(&hotkey).status, ProviderStatus::PendingAttestation);
	}

	/// Worst case: an offline provider comes back; its new deadline spills furthest.
	#[benchmark]
	fn heartbeat() {
		let (_, hotkey, _) = active_provider::<T>();
		let timeout_at = provider_record::<T>(&hotkey).liveness_deadline.expect("active");
		set_block::<T>(timeout_at);
		Pallet::<T>::process_deadlines(timeout_at);
		fill_queues::<T>(timeout_at.saturating_add(T::HeartbeatTimeout::get()), 16);
		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey.clone()));
		assert_eq!(provider_record::<T>(&hotkey).status, ProviderStatus::Active);
	}

	#[benchmark]
	fn bond_more() {
		let (coldkey, hotkey, _) = active_provider::<T>();
		let bond = provider_record::<T>(&hotkey).bond;
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), 1_000_000);
		assert_eq!(provider_record::<T>(&hotkey).bond, bond.saturating_add(1_000_000));
	}

	/// Worst case: the last free unbonding chunk.
	#[benchmark]
	fn unbond() {
		let (coldkey, hotkey, _) = active_provider::<T>();
		let chunks = T::MaxUnbondingChunks::get();
		Pallet::<T>::do_bond_more(coldkey.clone(), hotkey.clone(), Balance::from(chunks) * 1_000)
			.expect("bonds");
		for _ in 1..chunks {
			Pallet::<T>::do_unbond(coldkey.clone(), hotkey.clone(), 1_000).expect("unbonds");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone(), 1_000);
		assert_eq!(provider_record::<T>(&hotkey).unbonding.len() as u32, chunks);
	}

	/// Worst case: every unbonding chunk is released.
	#[benchmark]
	fn withdraw_unbonded() {
		let (coldkey, hotkey, _) = active_provider::<T>();
		let chunks = T::MaxUnbondingChunks::get();
		Pallet::<T>::do_bond_more(coldkey.clone(), hotkey.clone(), Balance::from(chunks) * 1_000)
			.expect("bonds");
		for _ in 0..chunks {
			Pallet::<T>::do_unbond(coldkey.clone(), hotkey.clone(), 1_000).expect("unbonds");
		}
		set_block::<T>(now::<T>().saturating_add(T::UnbondingPeriod::get()));
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone());
		assert!(provider_record::<T>(&hotkey).unbonding.is_empty());
	}

	#[benchmark]
	fn deregister() {
		let (coldkey, hotkey, _) = active_provider::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone());
		assert_eq!(provider_record::<T>(&hotkey).status, ProviderStatus::Leaving);
	}

	/// Worst case: the last of the attestors commits.
	#[benchmark]
	fn attest_commit() {
		let (_, hotkey, netuid) = provider::<T>();
		let attestors =
			open_attestation::<T>(&hotkey, netuid, T::AttestorsPerProvider::get(), false, true);
		let last = attestors.last().expect("at least one").clone();
		Attestations::<T>::mutate(&hotkey, |attestation| {
			let attestation = attestation.as_mut().expect("open");
			for slot in attestation.attestors.iter_mut() {
				slot.commitment = None;
			}
			if let AttestationPhase::Open { commit_end, .. } = &mut attestation.phase {
				*commit_end = now::<T>().saturating_add(1);
			}
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(last), hotkey.clone(), H256::repeat_byte(1));
		assert!(Attestations::<T>::get(&hotkey)
			.expect("open")
			.attestors
			.iter()
			.any(|slot| slot.commitment.is_some()));
	}

	/// A reveal that does not close the attestation (the closing is `close_attestation`).
	#[benchmark]
	fn attest_reveal() {
		let (_, hotkey, netuid) = provider::<T>();
		let attestors = open_attestation::<T>(
			&hotkey,
			netuid,
			T::AttestorsPerProvider::get().max(2),
			false,
			true,
		);
		let last = attestors.last().expect("at least one").clone();
		set_block::<T>(now::<T>().saturating_add(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(last), hotkey.clone(), 1_000, true, [0; 32]);
		assert!(Attestations::<T>::contains_key(&hotkey));
	}

	#[benchmark]
	fn cancel_slash() -> Result<(), BenchmarkError> {
		let (_, hotkey, slash_id) = slashed_provider::<T>(T::AttestorsPerProvider::get());
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, slash_id);
		assert_eq!(provider_record::<T>(&hotkey).pending_slashes, 0);
		Ok(())
	}

	/// Worst case: the longest name and metadata.
	#[benchmark]
	fn register_model() {
		let owner = funded::<T>("owner", 0);
		let (name, content_id, metadata) = model_args();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			name,
			content_id,
			ModelVersion::default(),
			ModelKind::Llm,
			metadata,
		);
		assert!(Models::<T>::contains_key(0));
	}

	#[benchmark]
	fn update_model_metadata() {
		let owner = model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0, filled(1));
		assert_eq!(Models::<T>::get(0).expect("exists").metadata.len(), 1);
	}

	#[benchmark]
	fn deprecate_model() {
		let owner = model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);
		assert!(Models::<T>::get(0).expect("exists").deprecated);
	}

	#[benchmark]
	fn transfer_model() {
		let owner = model::<T>();
		let new_owner = funded::<T>("new-owner", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0, new_owner.clone());
		assert_eq!(Models::<T>::get(0).expect("exists").owner, new_owner);
	}

	#[benchmark]
	fn remove_model() {
		let owner = model::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), 0);
		assert!(!Models::<T>::contains_key(0));
	}

	/// A block with nothing due.
	#[benchmark]
	fn on_initialize_idle() {
		let block = now::<T>().saturating_add(1);
		#[block]
		{
			Pallet::<T>::on_initialize(block.into());
		}
	}

	#[benchmark]
	fn on_subnet_dissolved() {
		let netuid = compute_subnet::<T>();
		#[block]
		{
			<Pallet<T> as luxtensor_primitives::traits::OnSubnetDissolved>::on_subnet_dissolved(
				netuid,
			);
		}
		assert!(!ComputeSubnets::<T>::contains_key(netuid));
	}

	/// Drawing a jury among `v` validators of the compute subnet.
	#[benchmark]
	fn draw_reviewers(v: Linear<1, MAX_VALIDATORS>) {
		let (_, id, providers) = running_job::<T>(1);
		let netuid = provider_record::<T>(&providers[0]).netuid;
		let validators: Vec<T::AccountId> = (0..v).map(|i| account("validator", i, 0)).collect();
		T::BenchmarkHelper::add_validators(netuid, &validators);
		let mut record = job::<T>(id);
		Pallet::<T>::open_dispute(id, &mut record, ReviewKind::Dispute, now::<T>()).expect("opens");
		Jobs::<T>::insert(id, record);
		let at = to_next_step::<T>(id);
		let mut record = job::<T>(id);
		record.timer = None;
		#[block]
		{
			Pallet::<T>::dispute_step(id, &mut record, at);
		}
		let drawn = Reviews::<T>::get(id).expect("open").reviewers.len() as u32;
		assert_eq!(drawn, v.min(T::JurySize::get()));
	}

	/// The last of `j` jurors commits.
	#[benchmark]
	fn review_commit(j: Linear<1, { T::JurySize::get() }>) {
		let (id, jurors) = disputed_job::<T>(1, j);
		let juror = jurors.last().expect("drawn").clone();
		let commitment = Pallet::<T>::result_commitment(id, &juror, &H256::repeat_byte(1), &SALT);
		#[extrinsic_call]
		_(RawOrigin::Signed(juror.clone()), id, commitment);
		let review = Reviews::<T>::get(id).expect("open");
		assert!(review.reviewers.iter().all(|r| r.hotkey != juror || r.commitment.is_some()));
	}

	/// The last of `j` jurors reveals while another has yet to.
	#[benchmark]
	fn review_reveal(j: Linear<2, { T::JurySize::get() }>) {
		let (id, jurors) = disputed_job::<T>(1, j);
		let result = H256::repeat_byte(1);
		for juror in &jurors {
			let commitment = Pallet::<T>::result_commitment(id, juror, &result, &SALT);
			Pallet::<T>::do_review_commit(juror.clone(), id, commitment).expect("commits");
		}
		set_block::<T>(Reviews::<T>::get(id).expect("open").commit_end);
		let juror = jurors.last().expect("drawn").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(juror), id, result, SALT);
		assert_eq!(job::<T>(id).status, JobStatus::Disputed);
	}

	/// Challenging a job's result.
	#[benchmark]
	fn challenge() {
		let (id, provider) = challengeable_job::<T>();
		let challenger = funded::<T>("challenger", 0);
		let evidence: ContentId = BoundedVec::truncate_from(CID.to_vec());
		#[extrinsic_call]
		_(RawOrigin::Signed(challenger), id, provider, evidence);
		assert_eq!(job::<T>(id).status, JobStatus::Disputed);
	}

	/// A jury of `j` rejecting a challenge: its bond pays the replica and the jurors, the
	/// jurors share the verification fee, the job settles.
	#[benchmark]
	fn close_jury(j: Linear<1, { T::JurySize::get() }>) {
		let (id, provider) = challengeable_job::<T>();
		let netuid = provider_record::<T>(&provider).netuid;
		let validators: Vec<T::AccountId> = (0..j).map(|i| account("validator", i, 0)).collect();
		T::BenchmarkHelper::add_validators(netuid, &validators);
		let challenger = funded::<T>("challenger", 0);
		let evidence: ContentId = BoundedVec::truncate_from(CID.to_vec());
		Pallet::<T>::do_challenge(challenger, id, provider, evidence).expect("challenges");
		run_step::<T>(id);
		let mut review = Reviews::<T>::get(id).expect("drawn");
		for reviewer in review.reviewers.iter_mut() {
			reviewer.commitment = Some(H256::zero());
			reviewer.result = Some(H256::repeat_byte(1));
		}
		let mut record = job::<T>(id);
		let now = now::<T>();
		#[block]
		{
			Pallet::<T>::close_jury(id, &mut record, review, now);
		}
		assert_eq!(record.status, JobStatus::Settled);
	}

	/// Taking the scores of `n` uids (as many as a subnet holds).
	#[benchmark]
	fn take_scores(n: Linear<1, { crate::MAX_UIDS }>) {
		let netuid = compute_subnet::<T>();
		for uid in 0..n {
			TempoScores::<T>::insert(netuid, uid as Uid, 1_000);
		}
		#[block]
		{
			let scores = <Pallet<T> as ComputeScores>::take_scores(netuid);
			assert_eq!(scores.map(|scores| scores.len()), Some(n as usize));
		}
	}

	#[benchmark]
	fn on_neuron_registered() {
		let netuid = compute_subnet::<T>();
		TempoScores::<T>::insert(netuid, 0, 1_000);
		#[block]
		{
			<Pallet<T> as OnNeuronRegistered>::on_neuron_registered(netuid, 0);
		}
		assert!(!TempoScores::<T>::contains_key(netuid, 0));
	}

	/// Moving `d` due deadlines to the next block, each telling its record.
	#[benchmark]
	fn defer_deadlines(d: Linear<1, { T::MaxDeadlinesPerBlock::get() }>) {
		let provider: T::AccountId = account("provider", 0, 0);
		let now = now::<T>();
		for slash_id in 0..d {
			let slash = PendingSlash {
				provider: provider.clone(),
				reason: SlashReason::FalseSpec,
				amount: 1,
				collateral: 0,
				job: None,
				apply_at: now,
				beneficiaries: BoundedVec::new(),
			};
			Slashes::<T>::insert(slash_id, slash);
		}
		#[block]
		{
			for slash_id in 0..d {
				Pallet::<T>::defer_deadline(Deadline::ApplySlash(slash_id), now);
			}
		}
		let deferred = Deadlines::<T>::get(now.saturating_add(1)).map(|queue| queue.len());
		assert_eq!(deferred, Some(d as usize));
	}

	/// Drawing from a subnet with `v` validators.
	#[benchmark]
	fn draw_attestors(v: Linear<1, MAX_VALIDATORS>) {
		let (_, hotkey, netuid) = provider::<T>();
		let validators: Vec<T::AccountId> = (0..v).map(|i| account("validator", i, 0)).collect();
		T::BenchmarkHelper::add_validators(netuid, &validators);
		let at = match Attestations::<T>::get(&hotkey).expect("requested").phase {
			AttestationPhase::Drawing { at } => at,
			AttestationPhase::Open { .. } => panic!("already drawn"),
		};
		Deadlines::<T>::remove(at);
		set_block::<T>(at);
		#[block]
		{
			Pallet::<T>::draw_attestors(&hotkey, at);
		}
		assert!(matches!(
			Attestations::<T>::get(&hotkey).expect("open").phase,
			AttestationPhase::Open { .. }
		));
	}

	/// Closing with `a` attestors, all on the majority side: each is paid and the provider
	/// becomes active.
	#[benchmark]
	fn close_attestation(a: Linear<1, { T::AttestorsPerProvider::get() }>) {
		let (_, hotkey, netuid) = provider::<T>();
		open_attestation::<T>(&hotkey, netuid, a, true, true);
		#[block]
		{
			Pallet::<T>::close_attestation(&hotkey, now::<T>());
		}
		assert_eq!(provider_record::<T>(&hotkey).status, ProviderStatus::Active);
	}

	#[benchmark]
	fn expire_liveness() {
		let (_, hotkey, _) = active_provider::<T>();
		let at = provider_record::<T>(&hotkey).liveness_deadline.expect("active");
		Deadlines::<T>::remove(at);
		#[block]
		{
			Pallet::<T>::expire_liveness(&hotkey, at);
		}
		assert_eq!(provider_record::<T>(&hotkey).status, ProviderStatus::Offline);
	}

	/// A slash shared by `b` beneficiaries.
	#[benchmark]
	fn apply_slash(b: Linear<1, { T::AttestorsPerProvider::get() }>) {
		let (_, hotkey, slash_id) = slashed_provider::<T>(b);
		let bond = provider_record::<T>(&hotkey).bond;
		#[block]
		{
			Pallet::<T>::apply_slash(slash_id);
		}
		assert!(provider_record::<T>(&hotkey).bond < bond);
	}

	/// A random job drawing among `c` candidates, all read.
	#[benchmark]
	fn post_job(c: Linear<1, { T::MaxDrawCandidates::get() }>) {
		active_providers::<T>(c);
		let poster = funded::<T>("poster", 0);
		let spec = inference::<T>(AssignmentPolicy::Random, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(poster), spec);
		assert_eq!(job::<T>(0).status, JobStatus::Open);
	}

	/// Cancelling a job assigned to `r` providers.
	#[benchmark]
	fn cancel_job(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (poster, id, _) = assigned_job::<T>(r, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(poster), id);
		assert_eq!(job::<T>(id).status, JobStatus::Cancelled);
	}

	/// A new bid after `b - 1` others.
	#[benchmark]
	fn place_bid(b: Linear<1, { T::MaxBidsPerJob::get() }>) {
		let provider = active_providers::<T>(1).pop().expect("one");
		let window = T::MaxAuctionWindow::get();
		let (_, id) = posted::<T>(inference::<T>(AssignmentPolicy::Auction { window }, 1));
		let others = (1..b)
			.map(|i| Bid { provider: account("bidder", i, 0), unit_price: PRICE })
			.collect::<Vec<_>>();
		if !others.is_empty() {
			Bids::<T>::insert(id, BoundedVec::truncate_from(others));
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, PRICE);
		assert_eq!(Bids::<T>::get(id).map(|bids| bids.len()), Some(b as usize));
	}

	/// The last of `r` providers accepting: the job starts.
	#[benchmark]
	fn accept_assignment(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (_, id, _) = assigned_job::<T>(r, 0);
		let mut providers = assigned_providers::<T>(id);
		let last = providers.pop().expect("one");
		for provider in providers {
			Pallet::<T>::do_accept_assignment(provider, id).expect("accepts");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id);
		assert_eq!(job::<T>(id).status, JobStatus::Running);
	}

	/// The last of `r` replicas committing: the reveal window opens.
	#[benchmark]
	fn commit_result(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (_, id, mut providers) = running_job::<T>(r);
		let last = providers.pop().expect("one");
		for provider in &providers {
			let commitment = Pallet::<T>::result_commitment(id, provider, &H256::zero(), &SALT);
			Pallet::<T>::do_commit_result(provider.clone(), id, commitment).expect("commits");
		}
		let commitment = Pallet::<T>::result_commitment(id, &last, &H256::zero(), &SALT);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, commitment);
		assert_eq!(job::<T>(id).status, JobStatus::Revealing);
	}

	/// A reveal among `r` replicas that leaves others to reveal (closing is
	/// `close_results`).
	#[benchmark]
	fn reveal_result(r: Linear<2, { T::MaxReplicas::get() }>) {
		let (id, providers) = revealing_job::<T>(r);
		let first = providers[0].clone();
		let output: ContentId = BoundedVec::truncate_from(CID.to_vec());
		#[extrinsic_call]
		_(RawOrigin::Signed(first), id, result_of(0, providers.len()), output, SALT);
		assert_eq!(job::<T>(id).status, JobStatus::Revealing);
	}

	/// A lease in grace topped up: it pays what it owes and runs again.
	#[benchmark]
	fn top_up() {
		let (poster, id, _) = running_lease::<T>();
		let mut lease = job::<T>(id);
		lease.escrow = lease.reserved;
		lease.status = JobStatus::Grace;
		lease.lease = Some(LeaseBilling { period_start: now::<T>(), billed: 2, owed: 1 });
		Jobs::<T>::insert(id, lease);
		#[extrinsic_call]
		_(RawOrigin::Signed(poster), id, PRICE);
		assert_eq!(job::<T>(id).status, JobStatus::Running);
	}

	/// The provider ends a lease mid-period: it is paid pro rata and forfeits its
	/// collateral.
	#[benchmark]
	fn terminate_lease() {
		let (_, id, provider) = running_lease::<T>();
		set_block::<T>(now::<T>().saturating_add(T::MinLeasePeriod::get() / 2));
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert_eq!(job::<T>(id).status, JobStatus::Terminated);
	}

	/// Applying a late step (an auction without bids fails) and paying the tip.
	#[benchmark]
	fn advance() {
		active_providers::<T>(1);
		let (_, id) = posted::<T>(inference::<T>(AssignmentPolicy::Auction { window: 1 }, 1));
		let caller = funded::<T>("caller", 0);
		let due = job::<T>(id).timer.expect("a step").due;
		set_block::<T>(due);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert_eq!(job::<T>(id).status, JobStatus::Failed);
	}

	/// A random draw among `c` candidates for the most replicas.
	#[benchmark]
	fn assign_random(c: Linear<1, { T::MaxDrawCandidates::get() }>) {
		let replicas = T::MaxReplicas::get();
		active_providers::<T>(c.max(replicas));
		let (_, id) = posted::<T>(inference::<T>(AssignmentPolicy::Random, replicas));
		let at = to_next_step::<T>(id);
		#[block]
		{
			Pallet::<T>::job_deadline(id, at);
		}
		assert_eq!(job::<T>(id).status, JobStatus::Assigned);
	}

	/// Closing an auction of `b` bids for the most replicas.
	#[benchmark]
	fn close_auction(b: Linear<1, { T::MaxBidsPerJob::get() }>) {
		let replicas = T::MaxReplicas::get();
		let providers = active_providers::<T>(b);
		let window = T::MaxAuctionWindow::get();
		let (_, id) = posted::<T>(inference::<T>(AssignmentPolicy::Auction { window }, replicas));
		for provider in providers {
			Pallet::<T>::do_place_bid(provider, id, PRICE).expect("bids");
		}
		let at = to_next_step::<T>(id);
		#[block]
		{
			Pallet::<T>::job_deadline(id, at);
		}
		let status = job::<T>(id).status;
		assert!(status == JobStatus::Assigned || (b < replicas && status == JobStatus::Failed));
	}

	/// `r` providers that did not accept, each replaced from a draw among `c` candidates.
	#[benchmark]
	fn accept_timeout(
		r: Linear<1, { T::MaxReplicas::get() }>,
		c: Linear<1, { T::MaxDrawCandidates::get() }>,
	) {
		let (_, id, _) = assigned_job::<T>(r, c.max(r));
		let at = to_next_step::<T>(id);
		#[block]
		{
			Pallet::<T>::job_deadline(id, at);
		}
		assert_eq!(job::<T>(id).status, JobStatus::Assigned);
		assert!(job::<T>(id).replicas.iter().all(|replica| replica.replacement));
	}

	/// Settling `r` revealed results that a spot check confirmed: a quorum paid, the last of
	/// more than two slashed, every checker paid.
	#[benchmark]
	fn close_results(r: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, providers) = revealing_job::<T>(r);
		let checkers = T::SpotCheckers::get();
		let reviewers = (0..checkers)
			.map(|i| Reviewer {
				hotkey: account("validator", i, 0),
				commitment: Some(H256::zero()),
				result: Some(result_of(0, providers.len())),
			})
			.collect();
		Reviews::<T>::insert(
			id,
			Review {
				kind: ReviewKind::SpotCheck,
				reviewers: BoundedVec::truncate_from(reviewers),
				commit_end: now::<T>(),
				verdict: None,
				fees_paid: 0,
			},
		);
		let output: ContentId = BoundedVec::truncate_from(CID.to_vec());
		for (index, provider) in providers.iter().enumerate() {
			let result = result_of(index, providers.len());
			let mut record = job::<T>(id);
			if let Some(replica) = record.replicas.iter_mut().find(|r| &r.provider == provider) {
				replica.state =
					ReplicaState::Revealed { result_hash: result, output: output.clone() };
			}
			Jobs::<T>::insert(id, record);
		}
		let mut record = job::<T>(id);
		let now = now::<T>();
		#[block]
		{
			Pallet::<T>::close_results(id, &mut record, now);
		}
		assert_eq!(record.status, JobStatus::Settled);
	}

	/// Billing a lease's period.
	#[benchmark]
	fn bill_lease() {
		let (_, id, _) = running_lease::<T>();
		let at = to_next_step::<T>(id);
		#[block]
		{
			Pallet::<T>::job_deadline(id, at);
		}
		assert_eq!(job::<T>(id).lease.map(|lease| lease.billed), Some(1));
	}

	/// Removing a finished job.
	#[benchmark]
	fn prune_job() {
		let (poster, id, _) = assigned_job::<T>(1, 0);
		Pallet::<T>::do_cancel_job(poster, id).expect("cancels");
		let at = to_next_step::<T>(id);
		#[block]
		{
			Pallet::<T>::job_deadline(id, at);
		}
		assert!(!Jobs::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
