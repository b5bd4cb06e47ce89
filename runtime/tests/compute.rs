//! The compute market wired into the runtime: attestors are drawn from the validator permits
//! the Yuma epoch hands out, bonds are real holds, the heartbeat guard sits in the
//! transaction extensions, and `ComputeApi` answers from the same records.

mod common;

use codec::Encode;
use common::{account, claim_hotkey, h100, hotkey, preset_externalities, register_subnet};
use luxtensor_primitives::{
	apis::runtime_decl_for_compute_api::ComputeApiV1,
	compute::{
		AssignmentPolicy, ContentId, GpuRequirement, JobFilter, JobKind, JobSpec, JobStatus,
		ModelFilter, ModelKind, ModelVersion, ProviderFilter, ProviderStatus, Workload,
	},
	subnets::{HyperparametersUpdate, NetUid},
	traits::{Epoch, Neurons, SubnetValidators},
};
use luxtensor_runtime::{
	configs::{AttestationCommitWindow, AttestationRevealWindow},
	currency::MDT,
	governance::TreasuryAccount,
	AccountId, Balances, Compute, Registration, Runtime, RuntimeCall, RuntimeOrigin, Stake,
	Subnets, System, Weights,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::GetDispatchInfo,
		storage::with_transaction,
		traits::{fungible::InspectHold, Hooks},
	},
	sp_core::H256,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{DispatchError, Perbill, TransactionOutcome},
};

const NETUID: NetUid = 1;
const SALT: [u8; 32] = [3; 32];

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn run_to(block: u32) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compute::on_initialize(next);
	}
}

/// Subnet 1, marked for compute: validators 1..=4 (Alice's hotkeys, staked) hold permits
/// after an epoch; hotkey 10 (Bob's) is a miner.
fn compute_subnet() -> (AccountId, AccountId) {
	let (alice, bob) = (account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob));
	System::set_block_number(1);
	assert_eq!(register_subnet(&alice, 99), NETUID);
	let update = HyperparametersUpdate {
		max_allowed_validators: Some(4),
		immunity_period: Some(0),
		..Default::default()
	};
	assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), NETUID, update));
	for seed in 1..=4 {
		claim_hotkey(&alice, seed);
		assert_ok!(Registration::burned_register(signed(&alice), NETUID, hotkey(seed), u128::MAX));
		assert_ok!(Stake::add_stake(signed(&alice), hotkey(seed), u128::from(seed) * 100 * MDT));
		assert_ok!(Balances::transfer_keep_alive(signed(&alice), hotkey(seed).into(), MDT));
	}
	claim_hotkey(&bob, 10);
	assert_ok!(Registration::burned_register(signed(&bob), NETUID, hotkey(10), u128::MAX));
	// Stake counts from the second epoch that sees it: two give the staked hotkeys permits.
	Weights::run(NETUID, 0);
	Weights::run(NETUID, 0);
	assert_ok!(Compute::set_compute_subnet(RuntimeOrigin::root(), NETUID, true));
	(alice, bob)
}

/// Runs `provider`'s attestation (requested at block 1): its drawn attestors report scores
/// 4000, 4001, 4002 and a true verdict. Returns the attestors.
fn attest(provider: &AccountId) -> Vec<AccountId> {
	run_to(1 + 2);
	let attestation = pallet_compute::Attestations::<Runtime>::get(provider).expect("open");
	let drawn: Vec<AccountId> = attestation.attestors.iter().map(|a| a.hotkey.clone()).collect();
	for (index, attestor) in drawn.iter().enumerate() {
		let score = 4_000 + index as u32;
		let commitment = Compute::attestation_commitment(provider, score, true, &SALT);
		assert_ok!(Compute::attest_commit(signed(attestor), provider.clone(), commitment));
	}
	run_to(3 + AttestationCommitWindow::get());
	for (index, attestor) in drawn.iter().enumerate() {
		let score = 4_000 + index as u32;
		assert_ok!(Compute::attest_reveal(signed(attestor), provider.clone(), score, true, SALT));
	}
	assert!(AttestationRevealWindow::get() > 0);
	drawn
}

#[test]
fn attestors_come_from_the_epochs_permits_and_activate_an_honest_provider() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let (_, bob) = compute_subnet();
		let validators = Weights::validators(NETUID);
		assert_eq!(validators.len(), 4, "the epoch gave the four staked hotkeys permits");

		// Bob's miner hotkey offers two GPUs; only its owner may register it.
		assert_noop!(
			Compute::register_provider(
				signed(&account(Sr25519Keyring::Charlie)),
				hotkey(10),
				NETUID,
				h100(2),
				MDT,
				bob.clone()
			),
			pallet_compute::Error::<Runtime>::NotHotkeyOwner
		);
		assert_ok!(Compute::register_provider(
			signed(&bob),
			hotkey(10),
			NETUID,
			h100(2),
			MDT,
			bob.clone()
		));
		let bond = 200 * MDT;
		let reason = pallet_compute::HoldReason::ProviderBond.into();
		assert_eq!(Balances::balance_on_hold(&reason, &bob), bond);

		let drawn = attest(&hotkey(10));
		assert_eq!(drawn.len(), 3);
		assert!(drawn.iter().all(|a| validators.iter().any(|(v, _)| v == a)));

		// The runtime API sees what storage holds.
		let provider = Runtime::provider(hotkey(10)).expect("provider");
		assert_eq!(provider.status, ProviderStatus::Active);
		assert_eq!(provider.score, Some(4_001));
		assert_eq!(provider.bond, bond);
		let metrics = Runtime::network_metrics();
		assert_eq!(metrics.counters.providers_active, 1);
		assert_eq!(metrics.counters.gpus_online, 2);
		assert_eq!(metrics.gpus_free, 2);
		assert_eq!(metrics.by_gpu_model.len(), 1);
		assert_eq!(metrics.by_gpu_model[0].1.gpus, 2);
		let filter = ProviderFilter {
			status: Some(ProviderStatus::Active),
			limit: 10,
			..Default::default()
		};
		assert_eq!(Runtime::providers(filter.clone()).len(), 1);
		let filter = ProviderFilter { min_class: Some(20), ..filter };
		assert!(Runtime::providers(filter).is_empty(), "score 4001 is class 12");
	});
}

/// Bob's provider, hotkey 10: one GPU asking 0.1 MDT a unit, attested, bonding 10 MDT more
/// for collateral.
fn active_provider(bob: &AccountId) {
	assert_ok!(Compute::register_provider(
		signed(bob),
		hotkey(10),
		NETUID,
		h100(1),
		MDT / 10,
		bob.clone()
	));
	attest(&hotkey(10));
	assert_ok!(Compute::bond_more(signed(bob), hotkey(10), 10 * MDT));
}

fn content_id() -> ContentId {
	b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_vec().try_into().unwrap()
}

/// 100 units of inference at up to 0.1 MDT each for provider hotkey 10.
fn direct_job(cid: &ContentId) -> JobSpec<AccountId> {
	JobSpec {
		kind: JobKind::Inference { units: 100 },
		workload: Workload::Content(cid.clone()),
		input: cid.clone(),
		gpu: GpuRequirement::MinClass(12),
		gpu_count: 1,
		min_reputation: Default::default(),
		max_unit_price: MDT / 10,
		deadline: System::block_number() + 600,
		assignment: AssignmentPolicy::Direct(hotkey(10)),
		replicas: 1,
		quorum: 1,
		spot_check: Default::default(),
		challenge_window: 0,
	}
}

#[test]
fn a_direct_job_is_quoted_held_paid_and_read_back_through_the_runtime_api() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let (_, bob) = compute_subnet();
		let charlie = account(Sr25519Keyring::Charlie);
		active_provider(&bob);
		let cid = content_id();
		let spec = direct_job(&cid);
		let quote = Runtime::quote(spec.clone());
		assert_eq!(quote.payment, 10 * MDT);
		let escrow = pallet_compute::HoldReason::JobEscrow.into();
		let call = RuntimeCall::Compute(pallet_compute::Call::post_job { spec: spec.clone() });
		assert!(call.get_dispatch_info().call_weight.ref_time() > 0);
		assert_ok!(Compute::post_job(signed(&charlie), spec));
		assert_eq!(Balances::balance_on_hold(&escrow, &charlie), quote.total);

		let bob_before = Balances::free_balance(&bob);
		let issuance = Balances::total_issuance();
		let treasury = Balances::free_balance(TreasuryAccount::get());
		assert_ok!(Compute::accept_assignment(signed(&hotkey(10)), 0));
		let result = H256::repeat_byte(7);
		let commitment = Compute::result_commitment(0, &hotkey(10), &result, &SALT);
		assert_ok!(Compute::commit_result(signed(&hotkey(10)), 0, commitment));
		assert_ok!(Compute::reveal_result(signed(&hotkey(10)), 0, result, cid.clone(), SALT));

		let job = Runtime::job(0).expect("kept after settling");
		assert_eq!(job.status, JobStatus::Settled);
		assert_eq!(job.result, Some((result, cid)));
		assert_eq!(job.paid, 10 * MDT);
		let fee = 10 * MDT / 20;
		assert_eq!(Balances::free_balance(&bob), bob_before + 10 * MDT - fee);
		// The fee: the provider's reputation times it burned, the rest to the treasury.
		let burned = Compute::reputation(&hotkey(10)).mul_floor(fee);
		assert!(burned > 0 && burned < fee);
		assert_eq!(job.burned, burned);
		assert_eq!(Balances::total_issuance(), issuance - burned);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury + fee - burned);
		assert_eq!(Balances::balance_on_hold(&escrow, &charlie), 0);
		let by_provider = JobFilter { provider: Some(hotkey(10)), limit: 10, ..Default::default() };
		assert_eq!(Runtime::jobs(by_provider).len(), 1);
		let running =
			JobFilter { status: Some(JobStatus::Running), limit: 10, ..Default::default() };
		assert!(Runtime::jobs(running).is_empty());
		let metrics = Runtime::network_metrics();
		assert_eq!((metrics.jobs.settled_jobs, metrics.jobs.settled_volume), (1, 10 * MDT));
		assert_eq!(metrics.counters.active_jobs, 0);
	});
}

#[test]
fn models_are_listed_page_by_page() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let alice = account(Sr25519Keyring::Alice);
		let cid = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_vec();
		for minor in 0..5 {
			assert_ok!(Compute::register_model(
				signed(&alice),
				b"llama".to_vec().try_into().unwrap(),
				cid.clone().try_into().unwrap(),
				ModelVersion { major: 3, minor, patch: 0 },
				ModelKind::Llm,
				Default::default(),
			));
		}
		assert_ok!(Compute::deprecate_model(signed(&alice), 2));
		let page = |start_after| {
			Runtime::models(ModelFilter { start_after, limit: 2, ..Default::default() })
		};
		let mut seen = Vec::new();
		let mut start_after = None;
		loop {
			let models = page(start_after);
			if models.is_empty() {
				break;
			}
			start_after = models.last().map(|model| model.id);
			seen.extend(models.into_iter().map(|model| model.id));
		}
		seen.sort();
		assert_eq!(seen, vec![0, 1, 3, 4], "every live model once, the deprecated one left out");
		assert!(Runtime::model(2).expect("still readable").deprecated);
		assert_eq!(Runtime::network_metrics().counters.models, 5);
	});
}

#[test]
fn heartbeats_are_checked_in_the_pool_and_fee_free() {
	let call = RuntimeCall::Compute(pallet_compute::Call::heartbeat {});
	let info = call.get_dispatch_info();
	assert_eq!(info.pays_fee, polkadot_sdk::frame_support::dispatch::Pays::No);
	// The guard is part of every signed transaction's extensions, and carries no data.
	let extensions = std::any::type_name::<luxtensor_runtime::TxExtension>();
	assert!(extensions.contains("CheckHeartbeat"), "{extensions}");
	assert!(pallet_compute::CheckHeartbeat::<Runtime>::new().encode().is_empty());
}

/// The economic test of the compute incentive: Bob pays his own provider for jobs it
/// settles, losing the 5% protocol fee (burned as far as it scores his provider's work, the
/// rest to the treasury), and a compute subnet's epoch pays part of the
/// miners' incentive by verified work. Whatever `compute_incentive_share` is, and whether
/// the emission is large or small next to the fees, what the epoch pays his miner beyond
/// its Yuma incentive is at most what he burned.
#[test]
fn paying_yourself_for_compute_never_earns_back_more_than_the_fees_it_burns() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let (alice, bob) = compute_subnet();
		let update = HyperparametersUpdate {
			commit_reveal_enabled: Some(false),
			weights_rate_limit: Some(1),
			..Default::default()
		};
		assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), NETUID, update));
		// Another miner, so that Yuma's incentive is shared.
		claim_hotkey(&alice, 11);
		assert_ok!(Registration::burned_register(signed(&alice), NETUID, hotkey(11), u128::MAX));
		active_provider(&bob);
		let uid = |seed| Registration::uid(NETUID, &hotkey(seed)).expect("registered");
		for validator in 1..=4 {
			let dests = vec![uid(10), uid(11)];
			assert_ok!(Weights::set_weights(
				signed(&hotkey(validator)),
				NETUID,
				dests,
				vec![1, 1],
				0
			));
		}
		let cid = content_id();
		// Bob's self-dealing: five jobs from himself to his own provider, each settled.
		let bob_before = Balances::free_balance(&bob);
		let issuance = Balances::total_issuance();
		for id in 0..5u64 {
			assert_ok!(Compute::post_job(signed(&bob), direct_job(&cid)));
			assert_ok!(Compute::accept_assignment(signed(&hotkey(10)), id));
			let result = H256::repeat_byte(7);
			let commitment = Compute::result_commitment(id, &hotkey(10), &result, &SALT);
			assert_ok!(Compute::commit_result(signed(&hotkey(10)), id, commitment));
			assert_ok!(Compute::reveal_result(signed(&hotkey(10)), id, result, cid.clone(), SALT));
			assert_eq!(Runtime::job(id).expect("kept").status, JobStatus::Settled);
		}
		let burned = issuance - Balances::total_issuance();
		let fees = 5 * (10 * MDT / 20);
		assert_eq!(bob_before - Balances::free_balance(&bob), fees, "all Bob lost: 5% a job");
		let burned_by_jobs: u128 = (0..5u64).map(|id| Runtime::job(id).expect("kept").burned).sum();
		assert_eq!(burned, burned_by_jobs);
		assert!(burned < fees, "his provider's reputation is below 1");

		let incentive_of = |share: u32, emission: u128| {
			with_transaction(|| {
				let update = HyperparametersUpdate {
					compute_incentive_share: Some(Perbill::from_percent(share)),
					..Default::default()
				};
				assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), NETUID, update));
				let payouts = <Weights as Epoch<AccountId>>::run(NETUID, emission);
				let paid: u128 = payouts.payouts.iter().map(|p| p.incentive + p.dividends).sum();
				assert_eq!(paid + payouts.unpaid, emission, "the emission is conserved");
				let incentive = payouts.payouts[usize::from(uid(10))].incentive;
				TransactionOutcome::Rollback(Ok::<_, DispatchError>(incentive))
			})
			.expect("rolled back")
		};
		for emission in [MDT, 100 * MDT, 10_000 * MDT] {
			let yuma = incentive_of(0, emission);
			for share in [10, 25, 50, 75, 100] {
				let earned_back = incentive_of(share, emission).saturating_sub(yuma);
				println!(
					"emission {emission}: share {share}%: burned {burned}, earned back {earned_back}"
				);
				assert!(earned_back <= burned, "share {share}%: {earned_back} > {burned}");
			}
		}
	});
}
