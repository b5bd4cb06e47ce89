//! Unit tests of jobs and leases on the mock runtime: every transition of the state diagram,
//! every timeout, attacks on the value flows, and a randomized run that checks escrow is
//! conserved and the invariants hold after every block.

use crate::{
	mock::*, AttestationPhase, Attestations, AttestorFault, Bids, Counters, Error, Event,
	HoldReason, JobStats, Jobs, LeasedGpus, PosterJobs, Providers, ReplicaState, Reputations,
	Reviews, SlashReason, Slashes, TempoScores,
};
use luxtensor_primitives::{
	compute::{
		AssignmentPolicy, ContentId, GpuRequirement, JobId, JobKind, JobSpec, JobStatus,
		ProviderStatus, Workload,
	},
	traits::{ComputeScores, Neurons, OnNeuronRegistered},
	Balance, BlockNumber,
};
use std::collections::BTreeMap;

use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Inspect, InspectHold, Mutate},
			Hooks,
		},
	},
	sp_core::H256,
	sp_runtime::{DispatchError, Perbill},
};

const SALT: [u8; 32] = [9; 32];
/// An IPFS CIDv1 (raw, sha2-256).
const CID: &[u8] = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
/// The price every test provider asks per unit.
const ASK: Balance = MDT;
const UNITS: u32 = 10;
/// The poster of most tests.
const POSTER: AccountId = 500;
/// Extra bond each test provider holds for collateral.
const EXTRA_BOND: Balance = 100 * MDT;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn cid() -> ContentId {
	CID.to_vec().try_into().expect("fits")
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// Hotkey of test provider `i`; its coldkey is `hotkey + 100`.
fn hotkey(i: u64) -> AccountId {
	600 + i
}

fn coldkey_of(hotkey: AccountId) -> AccountId {
	hotkey + 100
}

/// Sends a heartbeat for every provider that may send one, so providers stay active.
fn heartbeats() {
	let providers: Vec<_> = Providers::<Test>::iter().collect();
	for (hotkey, provider) in providers {
		if matches!(provider.status, ProviderStatus::Active | ProviderStatus::Offline)
			&& Compute::check_heartbeat(&hotkey).is_ok()
		{
			assert_ok!(Compute::heartbeat(signed(hotkey)));
		}
	}
}

/// Runs to block `number` with heartbeats along the way, checking the invariants after each
/// block.
fn run_to(number: BlockNumber) {
	while System::block_number() < number {
		run_to_block(System::block_number() + 1);
		heartbeats();
	}
}

fn now() -> BlockNumber {
	System::block_number()
}

/// Registers `count` providers (hotkeys `hotkey(0..count)`), each with `gpus` GPUs and its
/// own coldkey: see [`providers_owned`].
fn providers(count: u64, gpus: u16) -> Vec<AccountId> {
	let owned: Vec<_> = (0..count).map(|i| (hotkey(i), coldkey_of(hotkey(i)))).collect();
	providers_owned(&owned, gpus)
}

/// Registers providers (hotkey, coldkey) with `gpus` GPUs each, gets them attested with
/// score 1000, bonds `EXTRA_BOND` more for collateral, and endows [`POSTER`].
fn providers_owned(owned: &[(AccountId, AccountId)], gpus: u16) -> Vec<AccountId> {
	let hotkeys: Vec<AccountId> = owned.iter().map(|(hotkey, _)| *hotkey).collect();
	for &(hotkey, coldkey) in owned {
		add_neuron(NETUID, hotkey, coldkey);
		Balances::set_balance(&coldkey, ENDOWMENT);
	}
	for &(hotkey, coldkey) in owned {
		assert_ok!(Compute::register_provider(
			signed(coldkey),
			hotkey,
			NETUID,
			spec(gpus),
			ASK,
			coldkey
		));
		assert_ok!(Compute::bond_more(signed(coldkey), hotkey, EXTRA_BOND));
	}
	// Queues hold `MAX_DEADLINES_PER_BLOCK` steps: later draws spill to the next blocks.
	let draws =
		hotkeys.iter().map(|provider| match Attestations::<Test>::get(provider).unwrap().phase {
			AttestationPhase::Drawing { at } => at,
			AttestationPhase::Open { .. } => panic!("not drawing"),
		});
	run_to_block(draws.max().unwrap());
	let commitment = |provider| Compute::attestation_commitment(&provider, 1000, true, &SALT);
	for &provider in &hotkeys {
		for slot in Attestations::<Test>::get(provider).unwrap().attestors {
			assert_ok!(Compute::attest_commit(signed(slot.hotkey), provider, commitment(provider)));
		}
	}
	let commit_ends =
		hotkeys.iter().map(|provider| match Attestations::<Test>::get(provider).unwrap().phase {
			AttestationPhase::Open { commit_end, .. } => commit_end,
			AttestationPhase::Drawing { .. } => panic!("not drawn"),
		});
	run_to_block(commit_ends.max().unwrap());
	for &provider in &hotkeys {
		for slot in Attestations::<Test>::get(provider).unwrap().attestors {
			assert_ok!(Compute::attest_reveal(signed(slot.hotkey), provider, 1000, true, SALT));
		}
		assert_eq!(Providers::<Test>::get(provider).unwrap().status, ProviderStatus::Active);
	}
	Balances::set_balance(&POSTER, ENDOWMENT);
	hotkeys
}

fn job_spec(
	kind: JobKind,
	assignment: AssignmentPolicy<AccountId>,
	replicas: u8,
	quorum: u8,
) -> JobSpec<AccountId> {
	JobSpec {
		kind,
		workload: Workload::Content(cid()),
		input: cid(),
		gpu: GpuRequirement::MinClass(1),
		gpu_count: 1,
		min_reputation: Perbill::zero(),
		max_unit_price: ASK,
		deadline: now() + 100,
		assignment,
		replicas,
		quorum,
		spot_check: Perbill::zero(),
		challenge_window: 0,
	}
}

fn inference(
	assignment: AssignmentPolicy<AccountId>,
	replicas: u8,
	quorum: u8,
) -> JobSpec<AccountId> {
	job_spec(JobKind::Inference { units: UNITS }, assignment, replicas, quorum)
}

fn lease(provider: AccountId, periods: u32) -> JobSpec<AccountId> {
	job_spec(
		JobKind::Lease { periods, period_blocks: 10 },
		AssignmentPolicy::Direct(provider),
		1,
		1,
	)
}

/// Posts `spec` from [`POSTER`] and returns the job's id.
fn post(spec: JobSpec<AccountId>) -> JobId {
	let id = crate::NextJobId::<Test>::get();
	assert_ok!(Compute::post_job(signed(POSTER), spec));
	id
}

fn job(id: JobId) -> crate::jobs::JobOf<Test> {
	Jobs::<Test>::get(id).expect("job exists")
}

fn job_status(id: JobId) -> JobStatus {
	job(id).status
}

fn assigned(id: JobId) -> Vec<AccountId> {
	job(id).replicas.iter().map(|replica| replica.provider).collect()
}

fn next_step(id: JobId) -> BlockNumber {
	job(id).timer.expect("a next step").due
}

fn accept_all(id: JobId) {
	for provider in assigned(id) {
		assert_ok!(Compute::accept_assignment(signed(provider), id));
	}
}

fn result_hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn commit(id: JobId, provider: AccountId, result: H256) {
	let commitment = Compute::result_commitment(id, &provider, &result, &SALT);
	assert_ok!(Compute::commit_result(signed(provider), id, commitment));
}

fn reveal(id: JobId, provider: AccountId, result: H256) {
	assert_ok!(Compute::reveal_result(signed(provider), id, result, cid(), SALT));
}

/// Runs the job's steps until it is finished.
fn run_to_end(id: JobId) {
	while !job_status(id).is_finished() {
		run_to(next_step(id));
	}
}

/// The validators drawn for the job's open review.
fn reviewers(id: JobId) -> Vec<AccountId> {
	Reviews::<Test>::get(id).unwrap().reviewers.iter().map(|r| r.hotkey).collect()
}

fn review_commit(id: JobId, reviewer: AccountId, result: H256) {
	let commitment = Compute::result_commitment(id, &reviewer, &result, &SALT);
	assert_ok!(Compute::review_commit(signed(reviewer), id, commitment));
}

fn review_reveal(id: JobId, reviewer: AccountId, result: H256) {
	assert_ok!(Compute::review_reveal(signed(reviewer), id, result, SALT));
}

/// Runs a job from assignment to reveal: every provider accepts, commits and reveals the
/// result at the same position of `results`.
fn work(id: JobId, results: &[H256]) {
	accept_all(id);
	for (provider, result) in assigned(id).into_iter().zip(results) {
		commit(id, provider, *result);
	}
	for (provider, result) in assigned(id).into_iter().zip(results) {
		if job_status(id) == JobStatus::Revealing {
			reveal(id, provider, *result);
		}
	}
}

fn escrow_of(spec: &JobSpec<AccountId>) -> Balance {
	Compute::quote(spec).total
}

fn fee_of(amount: Balance) -> Balance {
	Perbill::from_percent(5).mul_floor(amount)
}

fn collateral_of(unit_price: Balance, units: u32) -> Balance {
	Perbill::from_percent(20).mul_ceil(unit_price * units as Balance)
}

/// A reputation of `percent`% as of now.
fn record(percent: u32) -> crate::ReputationRecord {
	crate::ReputationRecord { value: Perbill::from_percent(percent), updated_at: now() }
}

fn finished_event(id: JobId) -> Option<(JobStatus, Balance)> {
	compute_events().into_iter().find_map(|event| match event {
		Event::JobFinished { job, status, refunded } if job == id => Some((status, refunded)),
		_ => None,
	})
}

// ----- Posting -----

#[test]
fn the_quote_is_exactly_what_posting_holds() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		let quote = Compute::quote(&spec);
		assert_eq!(quote.payment, ASK * UNITS as Balance);
		assert_eq!(quote.verification_fee, VERIFICATION_FEE);
		assert_eq!(quote.deposit, JOB_DEPOSIT);
		assert_eq!(quote.total, quote.payment + quote.verification_fee + quote.deposit);
		let free_before = free(POSTER);
		let id = post(spec);
		assert_eq!(held(HoldReason::JobEscrow, POSTER), quote.total);
		assert_eq!(free(POSTER), free_before - quote.total);
		assert_eq!(job(id).escrow, quote.total);
		let three = inference(AssignmentPolicy::Random, 3, 2);
		assert_eq!(Compute::quote(&three).payment, 3 * ASK * UNITS as Balance);
	});
}

#[test]
fn bad_jobs_fail_with_named_errors_and_change_nothing() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let direct = || inference(AssignmentPolicy::Direct(provider), 1, 1);
		let bad = |change: &dyn Fn(&mut JobSpec<AccountId>), error: Error<Test>| {
			let mut spec = direct();
			change(&mut spec);
			assert_noop!(Compute::post_job(signed(POSTER), spec), error);
		};
		bad(&|s| s.kind = JobKind::Inference { units: 0 }, Error::<Test>::ZeroUnits);
		bad(
			&|s| s.kind = JobKind::Training { steps: 10, checkpoint_every: 11 },
			Error::<Test>::InvalidCheckpointInterval,
		);
		bad(
			&|s| s.kind = JobKind::Training { steps: 10, checkpoint_every: 0 },
			Error::<Test>::InvalidCheckpointInterval,
		);
		bad(
			&|s| s.kind = JobKind::Lease { periods: 1, period_blocks: MIN_LEASE_PERIOD - 1 },
			Error::<Test>::LeasePeriodTooShort,
		);
		bad(
			&|s| {
				s.kind = JobKind::Lease { periods: 1, period_blocks: 10 };
				s.assignment = AssignmentPolicy::Random;
				s.replicas = 2;
				s.quorum = 2;
			},
			Error::<Test>::LeaseNeedsOneReplica,
		);
		bad(&|s| s.replicas = 0, Error::<Test>::ReplicasOutOfBounds);
		bad(
			&|s| {
				s.assignment = AssignmentPolicy::Random;
				s.replicas = MAX_REPLICAS as u8 + 1;
				s.quorum = s.replicas;
			},
			Error::<Test>::ReplicasOutOfBounds,
		);
		bad(
			&|s| {
				s.assignment = AssignmentPolicy::Random;
				s.replicas = 4;
				s.quorum = 2;
			},
			Error::<Test>::InvalidQuorum,
		);
		bad(&|s| s.quorum = 2, Error::<Test>::InvalidQuorum);
		bad(&|s| s.max_unit_price = 0, Error::<Test>::ZeroPrice);
		bad(&|s| s.gpu_count = 0, Error::<Test>::GpuCountOutOfBounds);
		bad(&|s| s.deadline = now() + ACCEPT_TIMEOUT, Error::<Test>::DeadlineTooSoon);
		bad(&|s| s.deadline = now() + MAX_JOB_DURATION + 1, Error::<Test>::DeadlineTooFar);
		bad(
			&|s| {
				s.replicas = 3;
				s.quorum = 2;
			},
			Error::<Test>::DirectNeedsOneReplica,
		);
		bad(
			&|s| s.assignment = AssignmentPolicy::Auction { window: 0 },
			Error::<Test>::InvalidAuctionWindow,
		);
		bad(
			&|s| s.assignment = AssignmentPolicy::Auction { window: MAX_AUCTION_WINDOW + 1 },
			Error::<Test>::InvalidAuctionWindow,
		);
		bad(&|s| s.input = b"Qm".to_vec().try_into().unwrap(), Error::<Test>::ContentIdNotBase32);
		bad(&|s| s.workload = Workload::Model(42), Error::<Test>::ModelNotFound);
		bad(&|s| s.assignment = AssignmentPolicy::Direct(999), Error::<Test>::ProviderNotFound);
		bad(&|s| s.max_unit_price = ASK - 1, Error::<Test>::PriceAboveMax);
		bad(
			&|s| s.gpu = GpuRequirement::Model(b"H100".to_vec().try_into().unwrap()),
			Error::<Test>::HardwareMismatch,
		);
		bad(&|s| s.gpu = GpuRequirement::MinClass(12), Error::<Test>::HardwareMismatch);
		bad(&|s| s.gpu_count = 2, Error::<Test>::ProviderBusy);
		bad(&|s| s.min_reputation = Perbill::from_percent(60), Error::<Test>::ReputationTooLow);
		bad(
			&|s| s.kind = JobKind::Inference { units: 10_000 },
			Error::<Test>::InsufficientFreeBond,
		);
		bad(
			&|s| {
				s.assignment = AssignmentPolicy::Random;
				s.replicas = 3;
				s.quorum = 2;
			},
			Error::<Test>::NoMatchingProvider,
		);
		Balances::set_balance(&POSTER, MDT);
		bad(&|_| {}, Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn a_deprecated_model_takes_no_jobs_and_a_model_in_use_cannot_be_removed() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		assert_ok!(Compute::register_model(
			signed(POSTER),
			b"llama".to_vec().try_into().unwrap(),
			cid(),
			Default::default(),
			luxtensor_primitives::compute::ModelKind::Llm,
			Default::default(),
		));
		let mut spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		spec.workload = Workload::Model(0);
		let id = post(spec.clone());
		assert_eq!(crate::Models::<Test>::get(0).unwrap().job_refs, 1);
		assert_noop!(Compute::remove_model(signed(POSTER), 0), Error::<Test>::ModelInUse);
		assert_ok!(Compute::deprecate_model(signed(POSTER), 0));
		assert_noop!(Compute::post_job(signed(POSTER), spec), Error::<Test>::ModelDeprecated);
		assert_ok!(Compute::cancel_job(signed(POSTER), id));
		assert_eq!(crate::Models::<Test>::get(0).unwrap().job_refs, 0);
		assert_ok!(Compute::remove_model(signed(POSTER), 0));
	});
}

#[test]
fn jobs_are_bounded_per_poster_and_in_the_market() {
	test(|| {
		let hotkeys = providers(2, 1);
		let spec = || {
			let mut spec = inference(AssignmentPolicy::Auction { window: 5 }, 1, 1);
			spec.kind = JobKind::Inference { units: 1 };
			spec
		};
		for _ in 0..MAX_JOBS_PER_POSTER {
			post(spec());
		}
		assert_noop!(Compute::post_job(signed(POSTER), spec()), Error::<Test>::TooManyJobs);
		assert_eq!(PosterJobs::<Test>::get(POSTER), MAX_JOBS_PER_POSTER);
		MaxActiveJobs::set(&MAX_JOBS_PER_POSTER);
		Balances::set_balance(&7, ENDOWMENT);
		assert_noop!(Compute::post_job(signed(7), spec()), Error::<Test>::MarketFull);
		// A provider takes at most `MaxJobsPerProvider` jobs.
		MaxActiveJobs::set(&64);
		Balances::set_balance(&8, ENDOWMENT);
		let direct = inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1);
		for _ in 0..MAX_JOBS_PER_PROVIDER {
			assert_ok!(Compute::post_job(signed(8), direct.clone()));
		}
		assert_noop!(Compute::post_job(signed(8), direct), Error::<Test>::ProviderBusy);
	});
}

// ----- Direct jobs: the whole path -----

#[test]
fn a_direct_job_runs_settles_pays_splits_the_fee_and_refunds_the_rest() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		let escrow = escrow_of(&spec);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		let poster_before = free(POSTER);
		let owner_before = free(owner);
		let bond_before = Providers::<Test>::get(provider).unwrap().bond;
		let id = post(spec);
		assert_eq!(job_status(id), JobStatus::Assigned);
		assert_eq!(assigned(id), vec![provider]);
		assert_eq!(next_step(id), now() + ACCEPT_TIMEOUT);
		assert_eq!(Providers::<Test>::get(provider).unwrap().active_jobs, 1);
		assert_eq!(Counters::<Test>::get().active_jobs, 1);
		assert_eq!(JobStats::<Test>::get().active_inference, 1);

		assert_ok!(Compute::accept_assignment(signed(provider), id));
		let collateral = collateral_of(ASK, UNITS);
		assert_eq!(held(HoldReason::JobCollateral, owner), collateral);
		assert_eq!(Providers::<Test>::get(provider).unwrap().bond, bond_before - collateral);
		assert_eq!(job_status(id), JobStatus::Running);
		assert_eq!(next_step(id), job(id).spec.deadline);

		commit(id, provider, result_hash(1));
		assert_eq!(job_status(id), JobStatus::Revealing);
		assert_eq!(next_step(id), now() + RESULT_REVEAL_WINDOW);
		reveal(id, provider, result_hash(1));

		let price = ASK * UNITS as Balance;
		let fee = fee_of(price);
		// Of the fee, the provider's reputation after this success (55%) is burned, what
		// its score may earn back; the rest goes to the treasury.
		let burned = Perbill::from_percent(55).mul_floor(fee);
		assert_eq!(job_status(id), JobStatus::Settled);
		assert_eq!(job(id).result, Some((result_hash(1), cid())));
		assert_eq!((job(id).paid, job(id).burned, job(id).escrow), (price, burned, 0));
		assert!(compute_events().contains(&Event::ProviderPaid {
			job: id,
			provider,
			amount: price,
			fee,
			burned
		}));
		assert_eq!(free(POSTER), poster_before - price);
		assert_eq!(free(owner), owner_before + price - fee);
		assert_eq!(Balances::total_issuance(), issuance - burned);
		assert_eq!(Balances::balance(&TREASURY), treasury + fee - burned);
		assert_eq!(held(HoldReason::JobEscrow, POSTER), 0);
		assert_eq!(held(HoldReason::JobCollateral, owner), 0);
		assert_eq!(Providers::<Test>::get(provider).unwrap().bond, bond_before);
		assert_eq!(Providers::<Test>::get(provider).unwrap().active_jobs, 0);
		assert_eq!(finished_event(id), Some((JobStatus::Settled, escrow - price)));
		let stats = JobStats::<Test>::get();
		assert_eq!(
			(stats.settled_jobs, stats.settled_volume, stats.active_inference),
			(1, price, 0)
		);
		assert_eq!(Counters::<Test>::get().active_jobs, 0);

		// The record stays readable for `JobRetention` blocks, then goes.
		let prune_at = next_step(id);
		assert_eq!(prune_at, now() + JOB_RETENTION);
		run_to(prune_at - 1);
		assert!(Jobs::<Test>::contains_key(id));
		run_to(prune_at);
		assert!(!Jobs::<Test>::contains_key(id));
	});
}

#[test]
fn settled_work_is_counted_per_tempo_and_reads_current_after_a_quiet_tempo() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		work(id, &[result_hash(1)]);
		let price = ASK * UNITS as Balance;
		let tempo = now() / METRICS_TEMPO;
		let jobs = Compute::network_metrics().jobs;
		assert_eq!((jobs.tempo, jobs.settled_jobs, jobs.settled_volume), (tempo, 1, price));
		run_to((tempo + 1) * METRICS_TEMPO);
		let jobs = Compute::network_metrics().jobs;
		assert_eq!((jobs.tempo, jobs.settled_jobs, jobs.settled_volume), (tempo + 1, 0, 0));
		assert_eq!((jobs.previous_settled_jobs, jobs.previous_settled_volume), (1, price));
		run_to((tempo + 2) * METRICS_TEMPO);
		let jobs = Compute::network_metrics().jobs;
		assert_eq!((jobs.previous_settled_jobs, jobs.previous_settled_volume), (0, 0));
	});
}

#[test]
fn paying_yourself_costs_the_protocol_fee() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let before = free(owner);
		let spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		assert_ok!(Compute::post_job(signed(owner), spec));
		work(0, &[result_hash(1)]);
		assert_eq!(job_status(0), JobStatus::Settled);
		assert_eq!(free(owner), before - fee_of(ASK * UNITS as Balance));
	});
}

#[test]
fn terms_are_fixed_at_assignment() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		// The provider raises its price and moves its payout after being assigned.
		assert_ok!(Compute::update_provider(
			signed(owner),
			provider,
			Some(ASK / 2),
			Some(77),
			None
		));
		let before = free(owner);
		work(id, &[result_hash(1)]);
		let price = ASK * UNITS as Balance;
		assert_eq!(free(owner), before + price - fee_of(price));
		assert_eq!(free(77), 0);
	});
}

#[test]
fn cancel_refunds_in_full_until_someone_accepts() {
	test(|| {
		let hotkeys = providers(1, 1);
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_noop!(Compute::cancel_job(signed(7), id), Error::<Test>::NotPoster);
		assert_noop!(Compute::cancel_job(signed(POSTER), 99), Error::<Test>::JobNotFound);
		assert_ok!(Compute::cancel_job(signed(POSTER), id));
		assert_eq!(free(POSTER), before);
		assert_eq!(job_status(id), JobStatus::Cancelled);
		assert_eq!(Providers::<Test>::get(hotkeys[0]).unwrap().active_jobs, 0);
		assert_noop!(Compute::cancel_job(signed(POSTER), id), Error::<Test>::WrongJobPhase);
		// Once accepted, the provider is committed and so is the poster.
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_ok!(Compute::accept_assignment(signed(hotkeys[0]), id));
		assert_noop!(Compute::cancel_job(signed(POSTER), id), Error::<Test>::WrongJobPhase);
		// A random job can be cancelled while it waits for its draw.
		let id = post(inference(AssignmentPolicy::Random, 1, 1));
		assert_ok!(Compute::cancel_job(signed(POSTER), id));
		assert_eq!(job_status(id), JobStatus::Cancelled);
		run_to(now() + DRAW_DELAY + 1);
		assert_eq!(job_status(id), JobStatus::Cancelled);
	});
}

#[test]
fn a_reused_job_id_is_impossible_and_a_pruned_job_is_gone_for_good() {
	test(|| {
		let hotkeys = providers(1, 1);
		let first = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_ok!(Compute::cancel_job(signed(POSTER), first));
		run_to(now() + JOB_RETENTION);
		assert!(!Jobs::<Test>::contains_key(first));
		let second = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_eq!(second, first + 1);
		assert_noop!(
			Compute::accept_assignment(signed(hotkeys[0]), first),
			Error::<Test>::JobNotFound
		);
	});
}

#[test]
fn open_work_blocks_unbonding_deregistering_and_spec_changes() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		assert_noop!(Compute::unbond(signed(owner), provider, MDT), Error::<Test>::HasOpenWork);
		assert_noop!(Compute::deregister(signed(owner), provider), Error::<Test>::HasOpenWork);
		assert_noop!(
			Compute::update_provider(signed(owner), provider, None, None, Some(spec(2))),
			Error::<Test>::HasOpenWork
		);
		// Prices still change (for future jobs).
		assert_ok!(Compute::update_provider(signed(owner), provider, Some(2 * MDT), None, None));
		assert_eq!(Counters::<Test>::get().active_jobs, 1);
	});
}

// ----- Acceptance -----

#[test]
fn accepting_checks_the_caller_the_window_and_the_free_bond() {
	test(|| {
		let hotkeys = providers(2, 1);
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_noop!(
			Compute::accept_assignment(signed(hotkeys[1]), id),
			Error::<Test>::NotJobProvider
		);
		// The provider unbonds its free bond away after being assigned: it cannot accept.
		let owner = coldkey_of(hotkeys[0]);
		let provider = Providers::<Test>::get(hotkeys[0]).unwrap();
		let _ = owner;
		let mut poorer = provider.clone();
		poorer.bond = Compute::required_bond(&provider.spec);
		crate::Providers::<Test>::insert(hotkeys[0], poorer);
		assert_noop!(
			Compute::accept_assignment(signed(hotkeys[0]), id),
			Error::<Test>::InsufficientFreeBond
		);
		crate::Providers::<Test>::insert(hotkeys[0], provider);
		assert_ok!(Compute::accept_assignment(signed(hotkeys[0]), id));
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[1]), 1, 1));
		assert_ok!(Compute::accept_assignment(signed(hotkeys[1]), id));
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[1]), 1, 1));
		run_to(next_step(id) - 1);
		assert_ok!(Compute::accept_assignment(signed(hotkeys[1]), id));
		assert_noop!(
			Compute::accept_assignment(signed(hotkeys[1]), id),
			Error::<Test>::WrongJobPhase
		);
	});
}

#[test]
fn a_direct_job_not_accepted_in_time_fails_and_is_refunded() {
	test(|| {
		let hotkeys = providers(1, 1);
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Failed);
		assert_eq!(free(POSTER), before);
		assert_noop!(
			Compute::accept_assignment(signed(hotkeys[0]), id),
			Error::<Test>::WrongJobPhase
		);
	});
}

#[test]
fn a_random_provider_that_does_not_accept_is_replaced_once_then_the_job_fails() {
	test(|| {
		let hotkeys = providers(4, 1);
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Random, 2, 2));
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Assigned);
		let first = assigned(id);
		assert_eq!(first.len(), 2);
		assert_ok!(Compute::accept_assignment(signed(first[0]), id));
		run_to(next_step(id));
		// The silent one was replaced by a provider not on the job yet.
		let second = assigned(id);
		assert_eq!(second[0], first[0]);
		assert!(!first.contains(&second[1]) && hotkeys.contains(&second[1]));
		assert!(job(id).replicas[1].replacement);
		assert!(compute_events().contains(&Event::ProviderReplaced {
			job: id,
			missing: first[1],
			replacement: second[1],
		}));
		assert_eq!(Providers::<Test>::get(first[1]).unwrap().active_jobs, 0);
		// The replacement is silent too: the job fails, everyone is made whole.
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Failed);
		assert_eq!(free(POSTER), before);
		assert_eq!(held(HoldReason::JobCollateral, coldkey_of(first[0])), 0);
	});
}

#[test]
fn silent_providers_are_never_drawn_again_as_replacements() {
	test(|| {
		providers(4, 1);
		for seed in 0..10 {
			set_random_seed(seed);
			let id = post(inference(AssignmentPolicy::Random, 2, 2));
			run_to(next_step(id));
			let first = assigned(id);
			run_to(next_step(id));
			let second = assigned(id);
			assert_eq!(second.len(), 2, "seed {seed}");
			assert!(second.iter().all(|p| !first.contains(p)), "seed {seed}: {first:?} {second:?}");
			assert_ok!(Compute::cancel_job(signed(POSTER), id));
		}
	});
}

// ----- Random assignment -----

#[test]
fn a_random_draw_picks_distinct_eligible_providers_of_distinct_coldkeys() {
	test(|| {
		// Two hotkeys of one coldkey, two of others, and one asking too much.
		let owned = [(600, 700), (601, 700), (602, 702), (603, 703), (604, 704)];
		let hotkeys = providers_owned(&owned, 1);
		assert_ok!(Compute::update_provider(signed(704), hotkeys[4], Some(2 * ASK), None, None));
		let mut drawn_first_coldkey = Vec::new();
		for seed in 0..20 {
			set_random_seed(seed);
			let id = post(inference(AssignmentPolicy::Random, 3, 2));
			run_to(next_step(id));
			let drawn = assigned(id);
			assert_eq!(drawn.len(), 3, "seed {seed}");
			assert!(!drawn.contains(&hotkeys[4]));
			let mut owners: Vec<_> = job(id).replicas.iter().map(|replica| replica.owner).collect();
			owners.sort();
			assert_eq!(owners, vec![700, 702, 703]);
			drawn_first_coldkey.extend(drawn.iter().filter(|h| **h < 602).copied());
			assert_ok!(Compute::cancel_job(signed(POSTER), id));
		}
		// Both hotkeys of the shared coldkey get drawn, depending on the randomness.
		assert!(drawn_first_coldkey.contains(&600) && drawn_first_coldkey.contains(&601));
	});
}

#[test]
fn a_random_draw_without_enough_providers_fails_closed() {
	test(|| {
		let hotkeys = providers(3, 1);
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		// One provider leaves the pool before the draw.
		let owner = coldkey_of(hotkeys[2]);
		assert_ok!(Compute::deregister(signed(owner), hotkeys[2]));
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Failed);
		assert_eq!(free(POSTER), before);
	});
}

#[test]
fn random_draws_respect_price_class_gpus_and_reputation() {
	test(|| {
		let hotkeys = providers(3, 2);
		// One asks too much, one has too low a reputation: only one matches.
		assert_ok!(Compute::update_provider(
			signed(coldkey_of(hotkeys[0])),
			hotkeys[0],
			Some(2 * ASK),
			None,
			None
		));
		Reputations::<Test>::insert(hotkeys[1], record(10));
		let mut spec = inference(AssignmentPolicy::Random, 1, 1);
		spec.min_reputation = Perbill::from_percent(20);
		spec.gpu_count = 2;
		let id = post(spec.clone());
		run_to_block(next_step(id));
		assert_eq!(assigned(id), vec![hotkeys[2]]);
		spec.gpu_count = 3;
		assert_noop!(Compute::post_job(signed(POSTER), spec), Error::<Test>::NoMatchingProvider);
	});
}

// ----- Auctions -----

#[test]
fn an_auction_assigns_the_lowest_bids_with_ties_by_reputation_then_account() {
	test(|| {
		let hotkeys = providers(4, 1);
		let id = post(inference(AssignmentPolicy::Auction { window: 5 }, 3, 2));
		assert_eq!(job_status(id), JobStatus::Open);
		Reputations::<Test>::insert(hotkeys[3], record(90));
		assert_ok!(Compute::place_bid(signed(hotkeys[0]), id, ASK / 2));
		assert_ok!(Compute::place_bid(signed(hotkeys[1]), id, ASK / 4));
		assert_ok!(Compute::place_bid(signed(hotkeys[2]), id, ASK / 4));
		assert_ok!(Compute::place_bid(signed(hotkeys[3]), id, ASK / 2));
		// A second bid replaces the first.
		assert_ok!(Compute::place_bid(signed(hotkeys[1]), id, ASK / 5));
		assert_eq!(Bids::<Test>::get(id).unwrap().len(), 4);
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Assigned);
		// 1 (lowest), 2, then 3 before 0 (same price, higher reputation).
		assert_eq!(assigned(id), vec![hotkeys[1], hotkeys[2], hotkeys[3]]);
		let prices: Vec<_> = job(id).replicas.iter().map(|replica| replica.unit_price).collect();
		assert_eq!(prices, vec![ASK / 5, ASK / 4, ASK / 2]);
		// Each is paid its own bid.
		let before: Vec<_> = assigned(id).iter().map(|p| free(coldkey_of(*p))).collect();
		work(id, &[result_hash(1); 3]);
		assert_eq!(job_status(id), JobStatus::Settled);
		for ((provider, price), before) in assigned(id).iter().zip(prices).zip(before) {
			let pay = price * UNITS as Balance;
			assert_eq!(free(coldkey_of(*provider)), before + pay - fee_of(pay));
		}
	});
}

#[test]
fn bids_are_checked() {
	test(|| {
		let hotkeys = providers(2, 1);
		let direct = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		assert_noop!(
			Compute::place_bid(signed(hotkeys[1]), direct, ASK),
			Error::<Test>::NotAuction
		);
		let id = post(inference(AssignmentPolicy::Auction { window: 5 }, 1, 1));
		assert_noop!(
			Compute::place_bid(signed(hotkeys[1]), id, ASK + 1),
			Error::<Test>::PriceAboveMax
		);
		assert_noop!(Compute::place_bid(signed(999), id, ASK), Error::<Test>::ProviderNotFound);
		for bidder in 0..MAX_BIDS as u64 {
			let bid = Bids::<Test>::get(id).map(|bids| bids.len()).unwrap_or(0);
			assert_eq!(bid as u64, bidder);
			Bids::<Test>::mutate(id, |bids| {
				bids.get_or_insert_with(Default::default)
					.try_push(crate::Bid { provider: 900 + bidder, unit_price: ASK })
					.unwrap();
			});
		}
		assert_noop!(Compute::place_bid(signed(hotkeys[1]), id, ASK), Error::<Test>::TooManyBids);
		Bids::<Test>::remove(id);
		run_to(next_step(id) - 1);
		assert_ok!(Compute::place_bid(signed(hotkeys[1]), id, ASK));
		run_to(next_step(id));
		assert_noop!(Compute::place_bid(signed(hotkeys[0]), id, 1), Error::<Test>::AuctionClosed);
	});
}

#[test]
fn an_auction_without_enough_bids_fails_and_a_silent_winner_gives_way_to_the_next_bid() {
	test(|| {
		let hotkeys = providers(3, 1);
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Auction { window: 3 }, 3, 2));
		assert_ok!(Compute::place_bid(signed(hotkeys[0]), id, ASK));
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Failed);
		assert_eq!(free(POSTER), before);

		let id = post(inference(AssignmentPolicy::Auction { window: 3 }, 1, 1));
		assert_ok!(Compute::place_bid(signed(hotkeys[0]), id, ASK / 2));
		assert_ok!(Compute::place_bid(signed(hotkeys[1]), id, ASK));
		run_to(next_step(id));
		assert_eq!(assigned(id), vec![hotkeys[0]]);
		run_to(next_step(id));
		assert_eq!(assigned(id), vec![hotkeys[1]]);
		assert_eq!(job(id).replicas[0].unit_price, ASK);
		accept_all(id);
		assert_eq!(job_status(id), JobStatus::Running);
	});
}

// ----- Results -----

/// The slashes scheduled so far: (provider, reason, bond part, collateral).
fn scheduled_slashes() -> Vec<(AccountId, SlashReason, Balance, Balance)> {
	compute_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashScheduled { provider, reason, amount, collateral, .. } => {
				Some((provider, reason, amount, collateral))
			}
			_ => None,
		})
		.collect()
}

#[test]
fn two_of_three_agree_and_the_wrong_replica_is_slashed_after_the_defer_period() {
	test(|| {
		providers(3, 1);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let wrong = drawn[2];
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		let poster_before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		work(id, &[result_hash(1), result_hash(1), result_hash(2)]);
		assert_eq!(job_status(id), JobStatus::Settled);
		let wrong_bond = Providers::<Test>::get(wrong).unwrap().bond;
		let price = ASK * UNITS as Balance;
		let collateral = collateral_of(ASK, UNITS);
		let from_bond = wrong_bond / 20;
		assert_eq!(
			scheduled_slashes(),
			vec![(wrong, SlashReason::WrongResult, from_bond, collateral)]
		);
		// Until the slash is applied its collateral stays held, out of the bond.
		assert_eq!(held(HoldReason::JobCollateral, coldkey_of(wrong)), collateral);
		assert_eq!(Providers::<Test>::get(wrong).unwrap().pending_slashes, 1);
		assert_eq!(free(POSTER), poster_before - 2 * price);
		run_to(now() + SLASH_DEFER);
		let slashed = collateral + from_bond;
		let to_poster = slashed * 2 / 5;
		assert!(compute_events().contains(&Event::SlashApplied {
			slash_id: 0,
			provider: wrong,
			reason: SlashReason::WrongResult,
			slashed,
			to_poster,
			rewarded: 0,
		}));
		let provider = Providers::<Test>::get(wrong).unwrap();
		assert_eq!((provider.bond, provider.pending_slashes), (wrong_bond - from_bond, 0));
		assert_eq!(held(HoldReason::JobCollateral, coldkey_of(wrong)), 0);
		// The poster pays two replicas and gets 40% of the slash; nobody proved it beyond
		// the quorum, so the rest goes to the treasury, as does 45% of each fee.
		assert_eq!(free(POSTER), poster_before - 2 * price + to_poster);
		let burned = Perbill::from_percent(55).mul_floor(fee_of(price));
		assert_eq!(Balances::total_issuance(), issuance - 2 * burned);
		let fees_to_treasury = 2 * (fee_of(price) - burned);
		assert_eq!(Balances::balance(&TREASURY), treasury + slashed - to_poster + fees_to_treasury);
	});
}

#[test]
fn a_jury_without_verdict_refunds_everything_and_punishes_no_replica() {
	test(|| {
		providers(3, 1);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let bonds: Vec<_> = drawn.iter().map(|p| Providers::<Test>::get(p).unwrap().bond).collect();
		let poster_before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		work(id, &[result_hash(1), result_hash(2), result_hash(3)]);
		// Three results and no quorum: a jury is drawn, and splits 2-2-1.
		assert_eq!(job_status(id), JobStatus::Disputed);
		run_to(next_step(id));
		let jurors = reviewers(id);
		assert_eq!(jurors.len(), 5);
		let votes = [1, 1, 2, 2, 3];
		for (juror, n) in jurors.iter().zip(votes) {
			review_commit(id, *juror, result_hash(n));
		}
		run_to(Reviews::<Test>::get(id).unwrap().commit_end);
		for (juror, n) in jurors.iter().zip(votes) {
			review_reveal(id, *juror, result_hash(n));
		}
		assert_eq!(job_status(id), JobStatus::Refunded);
		assert!(compute_events().contains(&Event::ReviewClosed { job: id, verdict: None }));
		assert!(scheduled_slashes().is_empty());
		assert_eq!(free(POSTER), poster_before);
		for (provider, bond) in drawn.iter().zip(bonds) {
			assert_eq!(Providers::<Test>::get(provider).unwrap().bond, bond);
		}
	});
}

#[test]
fn commits_and_reveals_are_checked() {
	test(|| {
		let hotkeys = providers(3, 1);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let commitment = Compute::result_commitment(id, &drawn[0], &result_hash(1), &SALT);
		assert_noop!(
			Compute::commit_result(signed(drawn[0]), id, commitment),
			Error::<Test>::WrongJobPhase
		);
		accept_all(id);
		let outsider = hotkeys.iter().copied().find(|h| !drawn.contains(h));
		if let Some(outsider) = outsider {
			assert_noop!(
				Compute::commit_result(signed(outsider), id, commitment),
				Error::<Test>::NotJobProvider
			);
		}
		assert_noop!(
			Compute::reveal_result(signed(drawn[0]), id, result_hash(1), cid(), SALT),
			Error::<Test>::WrongJobPhase
		);
		commit(id, drawn[0], result_hash(1));
		assert_noop!(
			Compute::commit_result(signed(drawn[0]), id, commitment),
			Error::<Test>::AlreadyCommitted
		);
		commit(id, drawn[1], result_hash(1));
		// The third never commits: at the deadline the reveal window opens for the two.
		run_to(job(id).spec.deadline - 1);
		assert_eq!(job_status(id), JobStatus::Running);
		run_to(job(id).spec.deadline);
		assert_eq!(job_status(id), JobStatus::Revealing);
		assert_noop!(
			Compute::commit_result(signed(drawn[2]), id, commitment),
			Error::<Test>::WrongJobPhase
		);
		// A replica cannot copy another's commitment: it binds the provider.
		assert_noop!(
			Compute::reveal_result(signed(drawn[1]), id, result_hash(2), cid(), SALT),
			Error::<Test>::RevealMismatch
		);
		assert_noop!(
			Compute::reveal_result(signed(drawn[2]), id, result_hash(1), cid(), SALT),
			Error::<Test>::NotCommitted
		);
		assert_noop!(
			Compute::reveal_result(
				signed(drawn[0]),
				id,
				result_hash(1),
				b"x".to_vec().try_into().unwrap(),
				SALT
			),
			Error::<Test>::ContentIdNotBase32
		);
		reveal(id, drawn[0], result_hash(1));
		assert_noop!(
			Compute::reveal_result(signed(drawn[0]), id, result_hash(1), cid(), SALT),
			Error::<Test>::AlreadyRevealed
		);
		reveal(id, drawn[1], result_hash(1));
		// Every committer revealed: settled at once; the silent third is slashed.
		assert_eq!(job_status(id), JobStatus::Settled);
		let slashes = scheduled_slashes();
		assert_eq!(slashes.len(), 1);
		assert_eq!((slashes[0].0, slashes[0].1), (drawn[2], SlashReason::MissedDeadline));
	});
}

/// Posts an auction nobody bids in whose window ends at `at`: a step queued there first.
fn step_at(at: BlockNumber) -> JobId {
	post(inference(AssignmentPolicy::Auction { window: at - now() }, 1, 1))
}

fn set_budget(weight: polkadot_sdk::frame_support::weights::Weight) {
	DeadlineWeightBudget::set(&weight);
}

#[test]
fn a_late_commit_and_a_late_reveal_are_refused_even_when_their_step_is_deferred() {
	use polkadot_sdk::frame_support::weights::Weight;
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let mut spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		spec.deadline = now() + ACCEPT_TIMEOUT + 2;
		let id = post(spec);
		// Another step is queued first in the deadline's block, and the budget allows one.
		step_at(job(id).spec.deadline);
		accept_all(id);
		let commitment = Compute::result_commitment(id, &provider, &result_hash(1), &SALT);
		set_budget(Weight::zero());
		run_to_block(job(id).spec.deadline);
		assert_eq!(job_status(id), JobStatus::Running);
		assert_noop!(
			Compute::commit_result(signed(provider), id, commitment),
			Error::<Test>::CommitWindowClosed
		);
		set_budget(Weight::MAX);
		run_to(now() + 1);
		assert_eq!(job_status(id), JobStatus::Refunded);

		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		accept_all(id);
		step_at(now() + RESULT_REVEAL_WINDOW);
		commit(id, provider, result_hash(1));
		let reveal_end = next_step(id);
		set_budget(Weight::zero());
		run_to_block(reveal_end);
		assert_eq!(job_status(id), JobStatus::Revealing);
		assert_noop!(
			Compute::reveal_result(signed(provider), id, result_hash(1), cid(), SALT),
			Error::<Test>::RevealWindowClosed
		);
		set_budget(Weight::MAX);
		run_to(now() + 1);
		assert_eq!(job_status(id), JobStatus::Refunded);
	});
}

#[test]
fn no_commit_by_the_deadline_refunds_in_full_and_slashes_the_late_provider() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let before = free(POSTER);
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		accept_all(id);
		let bond = Providers::<Test>::get(provider).unwrap().bond;
		run_to(job(id).spec.deadline);
		assert_eq!(job_status(id), JobStatus::Refunded);
		assert_eq!(free(POSTER), before);
		let collateral = collateral_of(ASK, UNITS);
		assert_eq!(
			scheduled_slashes(),
			vec![(provider, SlashReason::MissedDeadline, bond / 100, collateral)]
		);
		run_to(now() + SLASH_DEFER);
		assert_eq!(Providers::<Test>::get(provider).unwrap().bond, bond - bond / 100);
		assert_eq!(free(POSTER), before + (collateral + bond / 100) * 2 / 5);
	});
}

#[test]
fn a_quorum_that_does_not_reveal_is_refunded() {
	test(|| {
		providers(3, 1);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		accept_all(id);
		for provider in &drawn {
			commit(id, *provider, result_hash(1));
		}
		reveal(id, drawn[0], result_hash(1));
		let before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Refunded);
		assert_eq!(free(POSTER), before);
	});
}

#[test]
fn training_is_paid_per_step() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let mut spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
		spec.kind = JobKind::Training { steps: 40, checkpoint_every: 10 };
		let before = free(owner);
		let id = post(spec);
		assert_eq!(JobStats::<Test>::get().active_training, 1);
		work(id, &[result_hash(5)]);
		assert_eq!(job_status(id), JobStatus::Settled);
		let pay = 40 * ASK;
		assert_eq!(free(owner), before + pay - fee_of(pay));
	});
}

// ----- Leases -----

#[test]
fn a_lease_is_billed_each_period_then_terminated_with_a_pro_rata_refund() {
	test(|| {
		let [provider] = providers(1, 2)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let mut spec = lease(provider, 4);
		spec.gpu_count = 2;
		let escrow = escrow_of(&spec);
		let poster_before = free(POSTER);
		let owner_before = free(owner);
		let id = post(spec);
		accept_all(id);
		let start = now();
		assert_eq!(job_status(id), JobStatus::Running);
		assert_eq!(LeasedGpus::<Test>::get(provider), Some(2));
		assert_eq!(Counters::<Test>::get().gpus_leased, 2);
		// Its GPUs are taken: no other job needing them gets this provider.
		let direct = inference(AssignmentPolicy::Direct(provider), 1, 1);
		assert_noop!(Compute::post_job(signed(POSTER), direct), Error::<Test>::ProviderBusy);

		run_to(start + 10);
		assert_eq!(job(id).lease.unwrap().billed, 1);
		run_to(start + 20);
		assert_eq!(job(id).lease.unwrap().billed, 2);
		run_to(start + 24);
		assert_ok!(Compute::terminate_lease(signed(POSTER), id));
		assert_eq!(job_status(id), JobStatus::Terminated);
		// Two periods and four tenths of the third.
		let paid = 2 * ASK + ASK * 4 / 10;
		assert_eq!(job(id).paid, paid);
		assert_eq!(free(POSTER), poster_before - paid);
		assert_eq!(free(owner), owner_before + paid - fee_of(2 * ASK) - fee_of(ASK * 4 / 10));
		assert_eq!(finished_event(id), Some((JobStatus::Terminated, escrow - paid)));
		assert_eq!(LeasedGpus::<Test>::get(provider), None);
		assert_eq!(Counters::<Test>::get().gpus_leased, 0);
		assert_eq!(JobStats::<Test>::get().settled_jobs, 1);
		assert_eq!(reputation_of(provider), 550_000_000, "a lease served is a success");
	});
}

#[test]
fn a_provider_that_walks_away_from_a_paid_lease_is_slashed() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(lease(provider, 4));
		accept_all(id);
		let collateral = collateral_of(ASK, 4);
		run_to(now() + 5);
		assert_noop!(Compute::terminate_lease(signed(7), id), Error::<Test>::NotLeaseParty);
		assert_ok!(Compute::terminate_lease(signed(provider), id));
		let bond = Providers::<Test>::get(provider).unwrap().bond;
		assert_eq!(
			scheduled_slashes(),
			vec![(provider, SlashReason::FailedLease, bond / 100, collateral)]
		);
		assert_noop!(Compute::terminate_lease(signed(POSTER), id), Error::<Test>::WrongJobPhase);
		assert_eq!(reputation_of(provider), 475_000_000, "walking away is a timeout");
	});
}

// ----- Verified work for the subnet's incentive -----

#[test]
fn settled_work_scores_each_agreeing_uid_its_burned_fee_times_its_reputation() {
	test(|| {
		providers(3, 1);
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let uid = |hotkey| MockNeurons::uid(NETUID, &hotkey).unwrap();
		work(id, &[result_hash(1), result_hash(1), result_hash(2)]);
		// After one success each agreeing provider's reputation is 55%: exactly the part of
		// its fee that was burned.
		let score = Perbill::from_percent(55).mul_floor(fee_of(ASK * UNITS as Balance));
		assert_eq!(job(id).burned, 2 * score);
		assert_eq!(TempoScores::<Test>::get(NETUID, uid(drawn[0])), score);
		assert_eq!(TempoScores::<Test>::get(NETUID, uid(drawn[1])), score);
		assert!(!TempoScores::<Test>::contains_key(NETUID, uid(drawn[2])));
		// The epoch takes them once; a subnet without compute has none.
		let mut taken = <Compute as ComputeScores>::take_scores(NETUID).unwrap();
		taken.sort();
		let mut expected = vec![(uid(drawn[0]), score), (uid(drawn[1]), score)];
		expected.sort();
		assert_eq!(taken, expected);
		assert_eq!(<Compute as ComputeScores>::take_scores(NETUID), Some(Vec::new()));
		assert_eq!(<Compute as ComputeScores>::take_scores(PLAIN_NETUID), None);
		// Taking them weighs one entry per uid; a subnet without compute only looks.
		let n = MockNeurons::neuron_count(NETUID).into();
		let weight = <() as crate::WeightInfo>::take_scores(n);
		assert_eq!(<Compute as ComputeScores>::weight(NETUID), weight);
		assert!(<Compute as ComputeScores>::weight(PLAIN_NETUID).all_lt(weight));
		// A new neuron at a scored uid starts from zero.
		let id = post(inference(AssignmentPolicy::Direct(drawn[0]), 1, 1));
		work(id, &[result_hash(3)]);
		assert!(TempoScores::<Test>::get(NETUID, uid(drawn[0])) > 0);
		<Compute as OnNeuronRegistered>::on_neuron_registered(NETUID, uid(drawn[0]));
		assert!(!TempoScores::<Test>::contains_key(NETUID, uid(drawn[0])));
	});
}

#[test]
fn leases_and_unverified_jobs_score_nothing() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(lease(provider, 4));
		accept_all(id);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		run_to(now() + 25);
		assert!(job(id).paid > 0);
		assert_ok!(Compute::terminate_lease(signed(POSTER), id));
		// Nothing of a lease's fee can come back as score: the treasury gets all of it.
		assert_eq!(job(id).burned, 0);
		assert_eq!(Balances::total_issuance(), issuance);
		let fees: Balance = compute_events()
			.into_iter()
			.filter_map(|event| match event {
				Event::ProviderPaid { job, fee, burned, .. } if job == id => {
					assert_eq!(burned, 0);
					Some(fee)
				}
				_ => None,
			})
			.sum();
		assert!(fees > 0);
		assert_eq!(Balances::balance(&TREASURY), treasury + fees);
		// A job without a quorum pays nothing and scores nothing either.
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		accept_all(id);
		run_to(job(id).spec.deadline);
		assert_eq!(<Compute as ComputeScores>::take_scores(NETUID), Some(Vec::new()));
	});
}

#[test]
fn a_provider_whose_work_cannot_score_burns_nothing_of_its_fee() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		accept_all(id);
		// The subnet stops being a compute subnet before the job settles: no incentive can
		// pay the fee back, so none of it is burned.
		assert_ok!(Compute::set_compute_subnet(RuntimeOrigin::root(), NETUID, false));
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		commit(id, provider, result_hash(1));
		reveal(id, provider, result_hash(1));
		assert_eq!(job_status(id), JobStatus::Settled);
		let fee = fee_of(ASK * UNITS as Balance);
		assert_eq!(job(id).burned, 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Balances::balance(&TREASURY), treasury + fee);
		assert_eq!(<Compute as ComputeScores>::take_scores(NETUID), None);
	});
}

// ----- Slashing -----

/// Posts `count` direct jobs for `provider`, which accepts them and lets their deadline
/// pass; returns its bond when the slashes were scheduled.
fn miss_deadlines(provider: AccountId, count: usize) -> Balance {
	let ids: Vec<JobId> =
		(0..count).map(|_| post(inference(AssignmentPolicy::Direct(provider), 1, 1))).collect();
	ids.iter().for_each(|id| accept_all(*id));
	let bond = Providers::<Test>::get(provider).unwrap().bond;
	run_to(job(ids[0]).spec.deadline);
	assert!(ids.iter().all(|id| job_status(*id) == JobStatus::Refunded));
	bond
}

#[test]
fn repeat_offences_within_the_window_are_slashed_harder_then_forgotten() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let collateral = collateral_of(ASK, UNITS);
		// 1%, 2%, 3% of the bond: each offence counts the earlier ones in the window.
		let bond = miss_deadlines(provider, 3);
		let reason = SlashReason::MissedDeadline;
		assert_eq!(
			scheduled_slashes(),
			(1..=3).map(|n| (provider, reason, bond * n / 100, collateral)).collect::<Vec<_>>()
		);
		assert_eq!(Compute::recent_offences(&owner, now()), 3);
		assert_eq!(Providers::<Test>::get(provider).unwrap().pending_slashes, 3);
		// A window without offences starts the count afresh.
		run_to(now() + OFFENCE_WINDOW + 1);
		assert_eq!(Compute::recent_offences(&owner, now()), 0);
		assert_eq!(Providers::<Test>::get(provider).unwrap().pending_slashes, 0);
		let bond = miss_deadlines(provider, 1);
		assert_eq!(scheduled_slashes().last().unwrap().2, bond / 100);
		assert_eq!(Compute::recent_offences(&owner, now()), 1);
	});
}

#[test]
fn the_admin_cancels_a_job_slash_and_the_collateral_returns_to_the_bond() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let original = Providers::<Test>::get(provider).unwrap().bond;
		let poster_before = free(POSTER);
		miss_deadlines(provider, 1);
		assert_eq!(held(HoldReason::JobCollateral, owner), collateral_of(ASK, UNITS));
		assert_noop!(Compute::cancel_slash(signed(POSTER), 0), DispatchError::BadOrigin);
		assert_noop!(Compute::cancel_slash(signed(provider), 0), DispatchError::BadOrigin);
		assert_ok!(Compute::cancel_slash(RuntimeOrigin::root(), 0));
		assert_noop!(Compute::cancel_slash(RuntimeOrigin::root(), 0), Error::<Test>::SlashNotFound);
		let record = Providers::<Test>::get(provider).unwrap();
		assert_eq!((record.bond, record.pending_slashes), (original, 0));
		assert_eq!(held(HoldReason::JobCollateral, owner), 0);
		assert_eq!(held(HoldReason::ProviderBond, owner), original);
		assert_eq!(Compute::recent_offences(&owner, now()), 0);
		// Nothing happens when the defer period ends.
		run_to(now() + SLASH_DEFER);
		assert_eq!(Providers::<Test>::get(provider).unwrap().bond, original);
		assert_eq!(free(POSTER), poster_before);
	});
}

#[test]
fn a_missed_acceptance_is_slashed_from_the_bond_only() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let bond = Providers::<Test>::get(provider).unwrap().bond;
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Failed);
		assert_eq!(
			scheduled_slashes(),
			vec![(provider, SlashReason::MissedAcceptance, bond / 100, 0)]
		);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		let poster_before = free(POSTER);
		run_to(now() + SLASH_DEFER);
		let slashed = bond / 100;
		assert_eq!(Providers::<Test>::get(provider).unwrap().bond, bond - slashed);
		assert_eq!(free(POSTER), poster_before + slashed * 2 / 5);
		assert_eq!(Balances::balance(&TREASURY), treasury + (slashed - slashed * 2 / 5));
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn slashes_never_take_more_than_the_bond_and_collateral_held() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let bond = Providers::<Test>::get(provider).unwrap().bond;
		let treasury = Balances::balance(&TREASURY);
		// Eight wrong-result slashes at once: 5% + 10% + ... + 40% = 180% of the bond.
		for _ in 0..8 {
			let mut record = Providers::<Test>::get(provider).unwrap();
			let reason = SlashReason::WrongResult;
			Compute::schedule_slash(&provider, &mut record, reason, None, 0, Vec::new(), now());
			Providers::<Test>::insert(provider, record);
		}
		let scheduled: Balance = scheduled_slashes().iter().map(|slash| slash.2).sum();
		assert_eq!(scheduled, bond * 180 / 100);
		// Queues hold a few deadlines per block: the last slashes are applied a little later.
		run_to(now() + SLASH_DEFER + 8);
		let record = Providers::<Test>::get(provider).unwrap();
		assert_eq!((record.bond, record.pending_slashes), (0, 0));
		assert_eq!(held(HoldReason::ProviderBond, owner), 0);
		// Exactly the bond was taken, all to the treasury: nobody to share it with.
		assert_eq!(Balances::balance(&TREASURY), treasury + bond);
		// Left without the bond its hardware requires, it is offline and takes no work until
		// it bonds more and sends a heartbeat.
		assert_eq!(record.status, ProviderStatus::Offline);
		assert_noop!(Compute::heartbeat(signed(provider)), Error::<Test>::BondBelowRequired);
		let required = Compute::required_bond(&record.spec);
		assert_ok!(Compute::bond_more(signed(owner), provider, required));
		assert_ok!(Compute::heartbeat(signed(provider)));
		assert_eq!(Providers::<Test>::get(provider).unwrap().status, ProviderStatus::Active);
	});
}

#[test]
fn a_lease_short_of_escrow_runs_in_grace_until_topped_up_or_ended() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let id = post(lease(provider, 1));
		accept_all(id);
		let start = now();
		run_to(start + 10);
		assert_eq!(job(id).lease.unwrap().billed, 1);
		assert_eq!(job_status(id), JobStatus::Running);
		// The second period finds no escrow: grace.
		run_to(start + 20);
		assert_eq!(job_status(id), JobStatus::Grace);
		assert_eq!(job(id).lease.unwrap().owed, 1);
		assert_noop!(Compute::top_up(signed(7), id, ASK), Error::<Test>::NotPoster);
		assert_noop!(Compute::top_up(signed(POSTER), id, 0), Error::<Test>::ZeroAmount);
		// A top-up pays what is owed and the lease runs again.
		assert_ok!(Compute::top_up(signed(POSTER), id, 2 * ASK));
		assert_eq!(job_status(id), JobStatus::Running);
		assert_eq!(
			job(id).lease.unwrap(),
			crate::LeaseBilling { period_start: start + 20, billed: 2, owed: 0 }
		);
		run_to(start + 30);
		assert_eq!(job(id).lease.unwrap().billed, 3);
		// Then it runs dry: `GracePeriods` more periods unpaid, and it ends.
		let owner_before = free(owner);
		run_to(start + 40);
		assert_eq!(job_status(id), JobStatus::Grace);
		run_to(start + 40 + 10 * GRACE_PERIODS);
		assert_eq!(job_status(id), JobStatus::Terminated);
		assert_eq!(free(owner), owner_before);
		assert_eq!(LeasedGpus::<Test>::get(provider), None);
		// Only leases are topped up or terminated.
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		assert_noop!(Compute::top_up(signed(POSTER), id, ASK), Error::<Test>::NotLease);
		assert_noop!(Compute::terminate_lease(signed(POSTER), id), Error::<Test>::NotLease);
	});
}

#[test]
fn leases_have_no_results() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(lease(provider, 2));
		accept_all(id);
		let commitment = Compute::result_commitment(id, &provider, &result_hash(1), &SALT);
		assert_noop!(
			Compute::commit_result(signed(provider), id, commitment),
			Error::<Test>::LeaseHasNoResults
		);
	});
}

// ----- Reputation -----

fn reputation_of(hotkey: AccountId) -> u32 {
	Compute::reputation(&hotkey).deconstruct()
}

#[test]
fn reputation_is_a_moving_average_of_outcomes() {
	test(|| {
		let hotkeys = providers(3, 1);
		let half = 500_000_000;
		assert_eq!(reputation_of(hotkeys[0]), half);
		// A success moves a tenth of the way to 1.
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		work(id, &[result_hash(1)]);
		assert_eq!(reputation_of(hotkeys[0]), 550_000_000);
		assert!(compute_events().contains(&Event::ReputationUpdated {
			provider: hotkeys[0],
			outcome: crate::Outcome::Success,
			reputation: Perbill::from_parts(550_000_000),
		}));
		// A timeout (not accepting) a twentieth of the way to 0.
		let id = post(inference(AssignmentPolicy::Direct(hotkeys[0]), 1, 1));
		run_to(next_step(id));
		assert_eq!(reputation_of(hotkeys[0]), 522_500_000);
		// A wrong result half-way to 0; the two agreeing gain.
		let id = post(inference(AssignmentPolicy::Random, 3, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let before: Vec<u32> = drawn.iter().map(|p| reputation_of(*p)).collect();
		work(id, &[result_hash(1), result_hash(1), result_hash(2)]);
		assert_eq!(reputation_of(drawn[2]), before[2] / 2);
		for index in 0..2 {
			assert_eq!(
				reputation_of(drawn[index]),
				before[index] + (1_000_000_000 - before[index]) / 10
			);
		}
		// Now below a job's minimum, the cheater is never drawn for it.
		for seed in 0..10 {
			set_random_seed(seed);
			let mut spec = inference(AssignmentPolicy::Random, 2, 2);
			spec.min_reputation = Perbill::from_percent(40);
			let id = post(spec);
			run_to(next_step(id));
			assert!(!assigned(id).contains(&drawn[2]));
			assert_ok!(Compute::cancel_job(signed(POSTER), id));
		}
		// Jobs without a verdict move nobody's reputation: here no juror commits.
		let id = post(inference(AssignmentPolicy::Random, 2, 2));
		run_to(next_step(id));
		let drawn = assigned(id);
		let before: Vec<_> = drawn.iter().map(Compute::reputation).collect();
		work(id, &[result_hash(1), result_hash(2)]);
		run_to_end(id);
		assert_eq!(job_status(id), JobStatus::Refunded);
		assert_eq!(drawn.iter().map(Compute::reputation).collect::<Vec<_>>(), before);
	});
}

#[test]
fn reputation_decays_towards_the_initial_one_when_nothing_happens() {
	test(|| {
		let [high, low] = providers(2, 1)[..] else { panic!() };
		Reputations::<Test>::insert(high, record(90));
		Reputations::<Test>::insert(low, record(10));
		run_to(now() + REPUTATION_HALF_LIFE);
		assert_eq!(Compute::reputation(&high), Perbill::from_percent(70));
		assert_eq!(Compute::reputation(&low), Perbill::from_percent(30));
		run_to(now() + REPUTATION_HALF_LIFE);
		assert_eq!(Compute::reputation(&high), Perbill::from_percent(60));
		run_to(now() + 40 * REPUTATION_HALF_LIFE);
		assert_eq!(Compute::reputation(&low), Perbill::from_percent(50));
	});
}

// ----- Deadlines: budget, deferral, advance -----

#[test]
fn a_deferred_step_can_be_advanced_by_anyone_for_a_tip() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(inference(AssignmentPolicy::Direct(provider), 1, 1));
		assert_noop!(Compute::advance(signed(7), id), Error::<Test>::NotDue);
		let due = next_step(id);
		// Another deadline lands in the same block and the budget allows only one.
		run_to(due - 1);
		let other = post(inference(AssignmentPolicy::Auction { window: 1 }, 1, 1));
		assert_eq!(next_step(other), due);
		set_budget(polkadot_sdk::frame_support::weights::Weight::zero());
		System::set_block_number(due);
		Compute::on_initialize(due);
		let deferred = [id, other].into_iter().find(|job| {
			job_status(*job) == JobStatus::Assigned || job_status(*job) == JobStatus::Open
		});
		let deferred = deferred.expect("one step deferred");
		assert!(job(deferred).timer.unwrap().queued > due);
		assert_eq!(next_step(deferred), due);
		let before = free(7);
		assert_ok!(Compute::advance(signed(7), deferred));
		assert_eq!(free(7), before + ADVANCE_TIP);
		assert_eq!(job_status(deferred), JobStatus::Failed);
		assert_noop!(Compute::advance(signed(7), deferred), Error::<Test>::NotDue);
		set_budget(polkadot_sdk::frame_support::weights::Weight::MAX);
	});
}

// ----- Randomized -----

/// A tiny deterministic generator, so a failing run can be replayed.
struct Rng(u64);
impl Rng {
	fn next(&mut self, bound: u64) -> u64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		(self.0 >> 33) % bound.max(1)
	}
}

/// What posters paid into each job and where it went, from the events.
#[derive(Default)]
struct Ledger {
	/// Events read so far.
	seen: usize,
	/// Escrow and top-ups taken from each job's poster.
	taken: BTreeMap<JobId, Balance>,
	/// Refunds, provider pay (fees included) and tips out of each job's escrow.
	returned: BTreeMap<JobId, Balance>,
	/// Protocol fees burned.
	burned: Balance,
	/// Slashes' rests and protocol fees paid to the treasury.
	to_treasury: Balance,
	finished: usize,
	outcomes: BTreeMap<String, u32>,
}

impl Ledger {
	/// Reads the new events, then checks that every job's escrow is conserved (what was
	/// taken = what went out + what it still holds), that issuance fell by the burns and
	/// that the treasury (holding `treasury` when the ledger started) got the slashes' rests
	/// and the fees' unburned parts.
	fn check(&mut self, issuance: Balance, treasury: Balance) {
		let events = compute_events();
		for event in events.iter().skip(self.seen).cloned() {
			match event {
				Event::JobPosted { job, escrow, .. } => {
					*self.taken.entry(job).or_default() += escrow
				}
				Event::ToppedUp { job, amount } => *self.taken.entry(job).or_default() += amount,
				Event::ProviderPaid { job, amount, fee, burned, .. } => {
					*self.returned.entry(job).or_default() += amount;
					self.burned += burned;
					self.to_treasury += fee - burned;
				}
				Event::JobAdvanced { job, tip, .. } => {
					*self.returned.entry(job).or_default() += tip
				}
				Event::JobFinished { job, refunded, status } => {
					*self.returned.entry(job).or_default() += refunded;
					self.finished += 1;
					*self.outcomes.entry(format!("{status:?}")).or_default() += 1;
				}
				Event::SlashApplied { slashed, to_poster, rewarded, .. } => {
					self.to_treasury += slashed - to_poster - rewarded
				}
				Event::ReviewerPaid { job, amount, .. } => {
					*self.returned.entry(job).or_default() += amount
				}
				_ => {}
			}
		}
		self.seen = events.len();
		for (job, taken) in &self.taken {
			let held = Jobs::<Test>::get(job).map(|job| job.escrow).unwrap_or(0);
			let out = self.returned.get(job).copied().unwrap_or(0);
			assert_eq!(*taken, out + held, "job {job}: escrow not conserved");
		}
		assert_eq!(Balances::total_issuance(), issuance - self.burned);
		assert_eq!(Balances::balance(&TREASURY), treasury + self.to_treasury);
	}
}

#[test]
fn random_jobs_random_actors_random_timings_conserve_escrow() {
	test(|| {
		let hotkeys = providers(6, 2);
		let posters: Vec<AccountId> = (800..804).collect();
		for poster in &posters {
			Balances::set_balance(poster, 100_000 * MDT);
		}
		let mut rng = Rng(0x5eed1);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		let mut ledger = Ledger::default();
		for _ in 0..6_000 {
			let roll = rng.next(100);
			let poster = posters[rng.next(posters.len() as u64) as usize];
			// Unfinished jobs are picked most, and mostly by their own providers.
			let mut ids: Vec<JobId> = Jobs::<Test>::iter()
				.filter(|(_, job)| !job.status.is_finished())
				.map(|(id, _)| id)
				.collect();
			if ids.is_empty() || rng.next(10) == 0 {
				ids = Jobs::<Test>::iter_keys().collect();
			}
			let id = ids.get(rng.next(ids.len() as u64) as usize).copied().unwrap_or(0);
			let on_job =
				Jobs::<Test>::get(id).map(|job| job.replicas.into_inner()).unwrap_or_default();
			let provider = match on_job.get(rng.next(on_job.len() as u64) as usize) {
				Some(replica) if rng.next(10) < 8 => replica.provider,
				_ => hotkeys[rng.next(hotkeys.len() as u64) as usize],
			};
			let result = result_hash(u8::from(rng.next(5) == 0));
			// Half the time an actor does what the job waits for (a bid, an acceptance, a
			// commit, a reveal), with the result most replicas reach.
			if rng.next(2) == 0 {
				if let Some(job) = Jobs::<Test>::get(id) {
					let _ = match (job.status, job.spec.assignment.clone()) {
						(JobStatus::Open, AssignmentPolicy::Auction { .. }) => Compute::place_bid(
							signed(provider),
							id,
							ASK / (1 + rng.next(3) as Balance),
						),
						(JobStatus::Assigned, _) => {
							Compute::accept_assignment(signed(provider), id)
						}
						(JobStatus::Running, _) => {
							let commitment =
								Compute::result_commitment(id, &provider, &result, &SALT);
							Compute::commit_result(signed(provider), id, commitment)
						}
						(JobStatus::Revealing, _) => {
							Compute::reveal_result(signed(provider), id, result, cid(), SALT)
								.map(|_| ())
								.map_err(|e| e.error)
						}
						_ => Ok(()),
					};
					Compute::do_try_state().expect("invariants hold");
					ledger.check(issuance, treasury);
					continue;
				}
			}
			let _ = match roll {
				0..=9 => {
					let replicas = 1 + rng.next(3) as u8;
					let quorum = replicas / 2 + 1;
					let assignment = match rng.next(3) {
						0 => AssignmentPolicy::Direct(provider),
						1 => AssignmentPolicy::Random,
						_ => AssignmentPolicy::Auction { window: 1 + rng.next(4) as u32 },
					};
					let replicas = if matches!(assignment, AssignmentPolicy::Direct(_)) {
						1
					} else {
						replicas
					};
					let quorum = if replicas == 1 { 1 } else { quorum };
					let mut spec = match rng.next(3) {
						0 => job_spec(
							JobKind::Lease {
								periods: 1 + rng.next(3) as u32,
								period_blocks: 5 + rng.next(5) as u32,
							},
							assignment,
							1,
							1,
						),
						1 => job_spec(
							JobKind::Training {
								steps: 1 + rng.next(20) as u32,
								checkpoint_every: 1,
							},
							assignment,
							replicas,
							quorum,
						),
						_ => job_spec(
							JobKind::Inference { units: 1 + rng.next(20) as u32 },
							assignment,
							replicas,
							quorum,
						),
					};
					spec.deadline = now() + 15 + rng.next(40) as u32;
					Compute::post_job(signed(poster), spec)
				}
				10..=19 => {
					Compute::place_bid(signed(provider), id, ASK / (1 + rng.next(3) as Balance))
				}
				20..=44 => Compute::accept_assignment(signed(provider), id),
				45..=62 => {
					let commitment = Compute::result_commitment(id, &provider, &result, &SALT);
					Compute::commit_result(signed(provider), id, commitment)
				}
				63..=80 => Compute::reveal_result(signed(provider), id, result, cid(), SALT)
					.map(|_| ())
					.map_err(|e| e.error),
				81..=82 => Compute::cancel_job(signed(poster), id),
				83..=85 => Compute::top_up(signed(poster), id, ASK * (1 + rng.next(3) as Balance)),
				86..=87 => Compute::terminate_lease(
					signed(if rng.next(2) == 0 { poster } else { provider }),
					id,
				),
				88 => Compute::advance(signed(poster), id).map(|_| ()).map_err(|e| e.error),
				_ => {
					run_to(now() + 1);
					Ok(())
				}
			};
			Compute::do_try_state().expect("invariants hold");
			ledger.check(issuance, treasury);
		}
		run_to(now() + MAX_JOB_DURATION + JOB_RETENTION + 100);
		ledger.check(issuance, treasury);
		let Ledger { taken, finished, outcomes, .. } = ledger;
		eprintln!("{} jobs: {outcomes:?}", taken.len());
		assert!(taken.len() > 200, "only {} jobs posted", taken.len());
		for outcome in ["Settled", "Failed", "Refunded", "Cancelled", "Terminated"] {
			assert!(outcomes.get(outcome).is_some_and(|n| *n >= 2), "few {outcome}: {outcomes:?}");
		}
		assert_eq!(finished, taken.len());
		assert_eq!(Jobs::<Test>::iter().count(), 0);
		assert_eq!(Counters::<Test>::get().active_jobs, 0);
		for poster in &posters {
			assert_eq!(held(HoldReason::JobEscrow, *poster), 0);
		}
	});
}

// ----- Verification: spot checks, disputes, challenges -----

const CHALLENGER: AccountId = 900;
const CHALLENGE_BOND: Balance = 10 * MDT;

/// A random inference job of `replicas` (quorum: a majority) that is always spot-checked.
fn spot_checked(replicas: u8) -> JobSpec<AccountId> {
	let mut spec = inference(AssignmentPolicy::Random, replicas, replicas / 2 + 1);
	spec.spot_check = Perbill::one();
	spec
}

/// A direct job for `provider` open to challenges for `window` blocks after its verdict.
fn challengeable(provider: AccountId, window: BlockNumber) -> JobSpec<AccountId> {
	let mut spec = inference(AssignmentPolicy::Direct(provider), 1, 1);
	spec.challenge_window = window;
	spec
}

/// Draws the random job's providers; they accept and commit `results`.
fn commit_all(id: JobId, results: &[H256]) -> Vec<AccountId> {
	run_to(next_step(id));
	accept_all(id);
	let drawn = assigned(id);
	for (provider, result) in drawn.iter().zip(results) {
		commit(id, *provider, *result);
	}
	drawn
}

/// The open review's reviewers commit `results` (in the order drawn), wait for the end of
/// the commit window and reveal them, replicas revealing `replica_results` in between.
fn review(id: JobId, results: &[H256], replica_results: &[H256]) -> Vec<AccountId> {
	let reviewers = reviewers(id);
	for (reviewer, result) in reviewers.iter().zip(results) {
		review_commit(id, *reviewer, *result);
	}
	run_to(Reviews::<Test>::get(id).unwrap().commit_end);
	for (provider, result) in assigned(id).into_iter().zip(replica_results) {
		reveal(id, provider, *result);
	}
	for (reviewer, result) in reviewers.iter().zip(results) {
		review_reveal(id, *reviewer, *result);
	}
	reviewers
}

fn reviewer_pay(id: JobId) -> Vec<(AccountId, Balance)> {
	compute_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ReviewerPaid { job, reviewer, amount } if job == id => Some((reviewer, amount)),
			_ => None,
		})
		.collect()
}

#[test]
fn an_honest_quorum_passes_its_spot_check_and_the_checkers_are_paid() {
	test(|| {
		providers(3, 1);
		let id = post(spot_checked(2));
		let drawn = commit_all(id, &[result_hash(1), result_hash(1)]);
		// The draw waits for randomness of a block after the last commit.
		assert_eq!(job_status(id), JobStatus::Checking);
		assert!(Reviews::<Test>::get(id).is_none());
		run_to(next_step(id));
		let checkers = reviewers(id);
		assert_eq!(checkers.len(), 3);
		assert!(checkers.iter().all(|checker| VALIDATORS.contains(checker)));
		// Replicas reveal only once the checkers' commit window has ended.
		assert_noop!(
			Compute::reveal_result(signed(drawn[0]), id, result_hash(1), cid(), SALT),
			Error::<Test>::WrongJobPhase
		);
		let poster_before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		review(id, &[result_hash(1); 3], &[result_hash(1); 2]);
		assert_eq!(job_status(id), JobStatus::Settled);
		// The two verification fees, shared by the three checkers.
		let each = 2 * VERIFICATION_FEE / 3;
		let mut paid = reviewer_pay(id);
		paid.sort();
		let mut expected: Vec<_> = checkers.iter().map(|checker| (*checker, each)).collect();
		expected.sort();
		assert_eq!(paid, expected);
		let price = ASK * UNITS as Balance;
		assert_eq!(free(POSTER), poster_before - 2 * price - 3 * each);
		assert!(scheduled_slashes().is_empty());
	});
}

#[test]
fn a_colluding_quorum_caught_by_a_spot_check_is_judged_by_a_jury_and_slashed() {
	test(|| {
		providers(3, 1);
		let id = post(spot_checked(2));
		let poster_before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		let drawn = commit_all(id, &[result_hash(2), result_hash(2)]);
		run_to(next_step(id));
		// The checkers find another result than the quorum's: a failed spot check.
		review(id, &[result_hash(1); 3], &[result_hash(2); 2]);
		assert_eq!(job_status(id), JobStatus::Disputed);
		run_to(next_step(id));
		let jurors = review(id, &[result_hash(1); 5], &[]);
		assert!(compute_events()
			.contains(&Event::ReviewClosed { job: id, verdict: Some(result_hash(1)) }));
		// No replica had the jury's result: refunded, both slashed for a wrong result, the
		// jurors sharing the reward.
		assert_eq!(job_status(id), JobStatus::Refunded);
		let slashes = scheduled_slashes();
		assert_eq!(
			slashes.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
			vec![(drawn[0], SlashReason::WrongResult), (drawn[1], SlashReason::WrongResult)]
		);
		assert_eq!(Slashes::<Test>::get(0).unwrap().beneficiaries.to_vec(), jurors);
		// The poster only paid the checkers (the jurors share the slashes).
		let fees: Balance = reviewer_pay(id).iter().map(|(_, amount)| amount).sum();
		assert_eq!(fees, 2 * VERIFICATION_FEE / 3 * 3);
		assert_eq!(free(POSTER), poster_before - fees);
		assert!(reputation_of(drawn[0]) < 500_000_000);
	});
}

#[test]
fn an_unchallenged_result_is_paid_when_its_window_ends() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let id = post(challengeable(provider, 20));
		work(id, &[result_hash(1)]);
		assert_eq!(job_status(id), JobStatus::Challengeable);
		let before = free(owner);
		run_to(next_step(id) - 1);
		assert_eq!(free(owner), before, "nothing is paid in the window");
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Settled);
		let price = ASK * UNITS as Balance;
		assert_eq!(free(owner), before + price - fee_of(price));
		// Too late to challenge.
		Balances::set_balance(&CHALLENGER, 100 * MDT);
		assert_noop!(
			Compute::challenge(signed(CHALLENGER), id, provider, cid()),
			Error::<Test>::WrongJobPhase
		);
	});
}

#[test]
fn a_challenge_upheld_by_the_jury_slashes_the_result_and_returns_the_bond() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(challengeable(provider, 20));
		work(id, &[result_hash(2)]);
		Balances::set_balance(&CHALLENGER, 100 * MDT);
		assert_noop!(
			Compute::challenge(signed(CHALLENGER), id, 7, cid()),
			Error::<Test>::NotWinningReplica
		);
		assert_noop!(
			Compute::challenge(signed(CHALLENGER), id, provider, b"x".to_vec().try_into().unwrap()),
			Error::<Test>::ContentIdNotBase32
		);
		assert_ok!(Compute::challenge(signed(CHALLENGER), id, provider, cid()));
		assert_eq!(held(HoldReason::ChallengeBond, CHALLENGER), CHALLENGE_BOND);
		assert_eq!(job_status(id), JobStatus::Disputed);
		run_to(next_step(id));
		let jurors = review(id, &[result_hash(1); 5], &[]);
		assert!(compute_events().contains(&Event::ChallengeResolved {
			job: id,
			challenger: CHALLENGER,
			upheld: Some(true)
		}));
		assert_eq!(held(HoldReason::ChallengeBond, CHALLENGER), 0);
		assert_eq!(free(CHALLENGER), 100 * MDT);
		assert_eq!(job_status(id), JobStatus::Refunded);
		let slash = Slashes::<Test>::get(0).unwrap();
		assert_eq!((slash.provider, slash.reason), (provider, SlashReason::WrongResult));
		let mut reporters = vec![CHALLENGER];
		reporters.extend(jurors);
		assert_eq!(slash.beneficiaries.to_vec(), reporters);
	});
}

#[test]
fn a_challenge_rejected_by_the_jury_pays_the_bond_to_the_provider_and_the_jurors() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let owner = coldkey_of(provider);
		let id = post(challengeable(provider, 20));
		work(id, &[result_hash(1)]);
		Balances::set_balance(&CHALLENGER, 100 * MDT);
		assert_ok!(Compute::challenge(signed(CHALLENGER), id, provider, cid()));
		let before = free(owner);
		run_to(next_step(id));
		review(id, &[result_hash(1); 5], &[]);
		assert!(compute_events().contains(&Event::ChallengeResolved {
			job: id,
			challenger: CHALLENGER,
			upheld: Some(false)
		}));
		assert_eq!(free(CHALLENGER), 100 * MDT - CHALLENGE_BOND);
		assert_eq!(job_status(id), JobStatus::Settled);
		// The provider is paid, and gets a sixth of the bond and the rest of the division
		// (the five jurors share the other five sixths).
		let price = ASK * UNITS as Balance;
		let share = CHALLENGE_BOND - 5 * (CHALLENGE_BOND / 6);
		assert_eq!(free(owner), before + price - fee_of(price) + share);
		assert!(scheduled_slashes().is_empty());
	});
}

#[test]
fn a_challenge_without_verdict_returns_the_bond_and_refunds_the_poster() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let id = post(challengeable(provider, 20));
		let poster_before = free(POSTER) + held(HoldReason::JobEscrow, POSTER);
		work(id, &[result_hash(1)]);
		Balances::set_balance(&CHALLENGER, 100 * MDT);
		assert_ok!(Compute::challenge(signed(CHALLENGER), id, provider, cid()));
		run_to(next_step(id));
		// Jurors split 3-2: short of two thirds.
		let votes = [1, 1, 1, 2, 2].map(result_hash);
		review(id, &votes, &[]);
		assert!(compute_events().contains(&Event::ChallengeResolved {
			job: id,
			challenger: CHALLENGER,
			upheld: None
		}));
		assert_eq!(free(CHALLENGER), 100 * MDT);
		assert_eq!(job_status(id), JobStatus::Refunded);
		assert_eq!(free(POSTER), poster_before);
		assert!(scheduled_slashes().is_empty());
	});
}

#[test]
fn reviewers_that_do_not_reveal_are_benched_and_unpaid_and_not_drawn_again() {
	test(|| {
		providers(3, 1);
		let id = post(spot_checked(2));
		commit_all(id, &[result_hash(1), result_hash(1)]);
		run_to(next_step(id));
		let checkers = reviewers(id);
		for checker in &checkers {
			review_commit(id, *checker, result_hash(1));
		}
		run_to(Reviews::<Test>::get(id).unwrap().commit_end);
		for provider in assigned(id) {
			reveal(id, provider, result_hash(1));
		}
		// Two of three reveal: a majority; the third is benched and unpaid.
		review_reveal(id, checkers[0], result_hash(1));
		review_reveal(id, checkers[1], result_hash(1));
		assert_eq!(job_status(id), JobStatus::Revealing);
		run_to(next_step(id));
		assert_eq!(job_status(id), JobStatus::Settled);
		let paid: Vec<AccountId> = reviewer_pay(id).into_iter().map(|(who, _)| who).collect();
		assert_eq!(paid, vec![checkers[0], checkers[1]]);
		assert!(compute_events().contains(&Event::ReviewerBenched {
			job: id,
			reviewer: checkers[2],
			fault: AttestorFault::NoReveal,
			until: now() + crate::mock::BENCH_PERIOD,
		}));
		// The next spot check draws among the four others only.
		let id = post(spot_checked(2));
		commit_all(id, &[result_hash(1), result_hash(1)]);
		run_to(next_step(id));
		assert!(!reviewers(id).contains(&checkers[2]));
	});
}

#[test]
fn review_calls_are_checked_and_change_nothing_when_refused() {
	test(|| {
		providers(3, 1);
		let id = post(spot_checked(2));
		let commitment = Compute::result_commitment(id, &VALIDATORS[0], &result_hash(1), &SALT);
		assert_noop!(
			Compute::review_commit(signed(VALIDATORS[0]), id, commitment),
			Error::<Test>::NoReview
		);
		assert_noop!(
			Compute::review_commit(signed(VALIDATORS[0]), 99, commitment),
			Error::<Test>::JobNotFound
		);
		commit_all(id, &[result_hash(1), result_hash(1)]);
		run_to(next_step(id));
		let checkers = reviewers(id);
		let outsider = *VALIDATORS.iter().find(|v| !checkers.contains(v)).unwrap();
		assert_noop!(
			Compute::review_commit(signed(outsider), id, commitment),
			Error::<Test>::NotReviewer
		);
		review_commit(id, checkers[0], result_hash(1));
		assert_noop!(
			Compute::review_commit(signed(checkers[0]), id, commitment),
			Error::<Test>::AlreadyCommitted
		);
		// Reveals wait for the commit window to end; commits stop then.
		assert_noop!(
			Compute::review_reveal(signed(checkers[0]), id, result_hash(1), SALT),
			Error::<Test>::ReviewRevealClosed
		);
		run_to(Reviews::<Test>::get(id).unwrap().commit_end);
		let late = Compute::result_commitment(id, &checkers[1], &result_hash(1), &SALT);
		assert_noop!(
			Compute::review_commit(signed(checkers[1]), id, late),
			Error::<Test>::ReviewCommitClosed
		);
		assert_noop!(
			Compute::review_reveal(signed(checkers[0]), id, result_hash(2), SALT),
			Error::<Test>::RevealMismatch
		);
		assert_noop!(
			Compute::review_reveal(signed(checkers[1]), id, result_hash(1), SALT),
			Error::<Test>::NotCommitted
		);
		review_reveal(id, checkers[0], result_hash(1));
		assert_noop!(
			Compute::review_reveal(signed(checkers[0]), id, result_hash(1), SALT),
			Error::<Test>::AlreadyRevealed
		);
	});
}

#[test]
fn verification_policies_are_checked_when_posting() {
	test(|| {
		let [provider] = providers(1, 1)[..] else { panic!() };
		let mut spec = lease(provider, 2);
		spec.spot_check = Perbill::from_percent(10);
		assert_noop!(
			Compute::post_job(signed(POSTER), spec),
			Error::<Test>::LeaseHasNoVerification
		);
		let mut spec = lease(provider, 2);
		spec.challenge_window = 5;
		assert_noop!(
			Compute::post_job(signed(POSTER), spec),
			Error::<Test>::LeaseHasNoVerification
		);
		assert_noop!(
			Compute::post_job(signed(POSTER), challengeable(provider, 101)),
			Error::<Test>::ChallengeWindowTooLong
		);
		// Without a spot-check chance, the reveals open at once.
		let id = post(inference(AssignmentPolicy::Random, 1, 1));
		commit_all(id, &[result_hash(1)]);
		assert_eq!(job_status(id), JobStatus::Revealing);
	});
}

/// The result every honest party computes for a job, and the garbage of a cheater.
fn truth(id: JobId) -> H256 {
	H256::from_low_u64_be(id + 1)
}

fn garbage(id: JobId, cheater: AccountId) -> H256 {
	H256::from_low_u64_le((id + 1) * 1_000 + cheater)
}

/// Plays every honest part of the job's current phase (replicas, reviewers, a watchdog
/// challenging a wrong winner) and moves to its next step.
fn play(id: JobId, cheaters: &[AccountId]) {
	let result_of = |provider: AccountId| {
		if cheaters.contains(&provider) {
			garbage(id, provider)
		} else {
			truth(id)
		}
	};
	let job = job(id);
	let review = Reviews::<Test>::get(id);
	let drawn = review.as_ref().is_some_and(|review| !review.reviewers.is_empty());
	match job.status {
		JobStatus::Assigned => accept_all(id),
		JobStatus::Running => {
			for replica in job.replicas.iter().filter(|r| r.state == ReplicaState::Accepted) {
				commit(id, replica.provider, result_of(replica.provider));
			}
		}
		JobStatus::Checking | JobStatus::Disputed if drawn => {
			let review = review.unwrap();
			if now() < review.commit_end {
				for reviewer in review.reviewers.iter().filter(|r| r.commitment.is_none()) {
					review_commit(id, reviewer.hotkey, truth(id));
				}
			} else if job.status == JobStatus::Disputed {
				for reviewer in review.reviewers.iter().filter(|r| r.result.is_none()) {
					if job_status(id) == JobStatus::Disputed {
						review_reveal(id, reviewer.hotkey, truth(id));
					}
				}
			}
		}
		JobStatus::Revealing => {
			for replica in job.replicas.iter() {
				if job_status(id) == JobStatus::Revealing
					&& matches!(replica.state, ReplicaState::Committed(_))
				{
					reveal(id, replica.provider, result_of(replica.provider));
				}
			}
			for reviewer in review.map(|r| r.reviewers.into_inner()).unwrap_or_default() {
				if job_status(id) == JobStatus::Revealing && reviewer.result.is_none() {
					review_reveal(id, reviewer.hotkey, truth(id));
				}
			}
		}
		JobStatus::Challengeable if job.result.as_ref().is_some_and(|r| r.0 != truth(id)) => {
			let provider = job
				.replicas
				.iter()
				.find(|r| r.revealed_result() == job.result.as_ref().map(|r| r.0))
				.unwrap()
				.provider;
			assert_ok!(Compute::challenge(signed(CHALLENGER), id, provider, cid()));
		}
		_ => {}
	}
	if job_status(id) == job.status && !job_status(id).is_finished() {
		// A jury reveals between the end of its commits and its close.
		let reveals_open = Reviews::<Test>::get(id)
			.filter(|review| job.status == JobStatus::Disputed && !review.reviewers.is_empty())
			.map(|review| review.commit_end)
			.filter(|&commit_end| now() < commit_end);
		run_to(reveals_open.unwrap_or_else(|| next_step(id)));
	}
}

#[test]
fn random_jobs_with_cheaters_never_slash_an_honest_provider_and_conserve_escrow() {
	// Spot checks, disputes, challenges and slashes seen over all seeds.
	let mut seen = [0usize; 4];
	for seed in 1..=6u64 {
		test(|| {
			let hotkeys = providers(6, 2);
			Balances::set_balance(&POSTER, 100_000 * MDT);
			Balances::set_balance(&CHALLENGER, 10_000 * MDT);
			let mut rng = Rng(seed);
			// A random fraction of the providers cheats, each with its own garbage.
			let cheaters: Vec<AccountId> =
				hotkeys.iter().copied().filter(|_| rng.next(3) == 0).collect();
			let issuance = Balances::total_issuance();
			let treasury = Balances::balance(&TREASURY);
			let mut ledger = Ledger::default();
			let mut jobs = 0;
			for _ in 0..12 {
				let replicas = 1 + rng.next(3) as u8;
				let mut spec = inference(AssignmentPolicy::Random, replicas, replicas / 2 + 1);
				spec.spot_check = Perbill::from_percent([0, 50, 100][rng.next(3) as usize]);
				spec.challenge_window = [0, 10][rng.next(2) as usize];
				let id = crate::NextJobId::<Test>::get();
				// Slashed cheaters may lack the bond for more jobs: too few providers is fine.
				if Compute::post_job(signed(POSTER), spec).is_err() {
					continue;
				}
				jobs += 1;
				while !job_status(id).is_finished() {
					play(id, &cheaters);
				}
				ledger.check(issuance, treasury);
			}
			// Every slash is applied, and every one hit a cheater.
			run_to(now() + SLASH_DEFER + 10);
			ledger.check(issuance, treasury);
			for event in compute_events() {
				if let Event::SlashScheduled { provider, reason, .. } = event {
					assert!(
						cheaters.contains(&provider),
						"seed {seed}: honest {provider} slashed for {reason:?}"
					);
					assert_eq!(reason, SlashReason::WrongResult);
				}
			}
			let ended =
				compute_events().iter().filter(|e| matches!(e, Event::JobFinished { .. })).count();
			assert_eq!(ended, jobs);
			assert!(jobs >= 6, "seed {seed}: only {jobs} jobs could be posted");
			for event in compute_events() {
				match event {
					Event::ReviewersDrawn { kind: crate::ReviewKind::SpotCheck, .. } => {
						seen[0] += 1
					}
					Event::JobDisputed { .. } => seen[1] += 1,
					Event::ResultChallenged { .. } => seen[2] += 1,
					Event::SlashApplied { .. } => seen[3] += 1,
					_ => {}
				}
			}
		});
	}
	assert!(seen.iter().all(|&count| count > 0), "every path was taken: {seen:?}");
}
