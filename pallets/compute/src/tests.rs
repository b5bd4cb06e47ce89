//! Unit tests of pallet-compute on the mock runtime; each checks the invariants at the end.

use crate::{
	mock::*, AttestationPhase, Attestations, AttestorFault, BenchedAttestors, Counters, Deadline,
	Deadlines, Error, Event, GpusByClass, GpusByModel, HoldReason, ModelIds, Models, NextModelId,
	Providers, SlashReason, Slashes,
};
use codec::Encode;
use luxtensor_primitives::{
	compute::{
		performance_class, ContentId, ModelKind, ModelMetadata, ModelName, ModelVersion,
		ProviderStatus,
	},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Inspect, InspectHold},
			Hooks,
		},
	},
	sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		DispatchError,
	},
};

const SALT: [u8; 32] = [7; 32];
/// An IPFS CIDv1 (raw, sha2-256).
const CID: &[u8] = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn register(coldkey: AccountId, hotkey: AccountId, gpus: u16) {
	assert_ok!(Compute::register_provider(
		signed(coldkey),
		hotkey,
		NETUID,
		spec(gpus),
		MDT,
		coldkey
	));
}

fn bond_of(gpus: u16) -> Balance {
	BASE_BOND + BOND_PER_GPU * gpus as Balance
}

fn held(reason: HoldReason, who: AccountId) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn status(hotkey: AccountId) -> ProviderStatus {
	Providers::<Test>::get(hotkey).expect("provider exists").status
}

/// The attestors drawn for `provider`'s open round.
fn attestors(provider: AccountId) -> Vec<AccountId> {
	Attestations::<Test>::get(provider)
		.expect("attestation open")
		.attestors
		.iter()
		.map(|slot| slot.hotkey)
		.collect()
}

fn phase(provider: AccountId) -> AttestationPhase {
	Attestations::<Test>::get(provider).expect("attestation open").phase
}

/// Runs to the draw of `provider`'s current round and returns its attestors.
fn run_to_draw(provider: AccountId) -> Vec<AccountId> {
	let AttestationPhase::Drawing { at } = phase(provider) else { panic!("not drawing") };
	run_to_block(at);
	attestors(provider)
}

fn commit(attestor: AccountId, provider: AccountId, score: u32, verdict: bool) {
	let commitment = Compute::attestation_commitment(&provider, score, verdict, &SALT);
	assert_ok!(Compute::attest_commit(signed(attestor), provider, commitment));
}

fn reveal(attestor: AccountId, provider: AccountId, score: u32, verdict: bool) {
	assert_ok!(Compute::attest_reveal(signed(attestor), provider, score, verdict, SALT));
}

fn run_to_reveal(provider: AccountId) {
	let AttestationPhase::Open { commit_end, .. } = phase(provider) else { panic!("not open") };
	run_to_block(commit_end);
}

/// Draws `provider`'s attestors and has them commit and reveal `reports` (score, verdict)
/// in order; `None` commits nothing. Returns the attestors.
fn attest(provider: AccountId, reports: &[Option<(u32, bool)>]) -> Vec<AccountId> {
	let drawn = run_to_draw(provider);
	assert_eq!(drawn.len(), reports.len());
	for (attestor, report) in drawn.iter().zip(reports) {
		if let Some((score, verdict)) = report {
			commit(*attestor, provider, *score, *verdict);
		}
	}
	run_to_reveal(provider);
	for (attestor, report) in drawn.iter().zip(reports) {
		if let Some((score, verdict)) = report {
			reveal(*attestor, provider, *score, *verdict);
		}
	}
	drawn
}

/// Registers [`HOTKEY`] with `gpus` GPUs and gets it attested with score 1000.
fn active_provider(gpus: u16) {
	register(COLDKEY, HOTKEY, gpus);
	attest(HOTKEY, &[Some((1000, true)); 3]);
	assert_eq!(status(HOTKEY), ProviderStatus::Active);
}

fn model_name(name: &str) -> ModelName {
	name.as_bytes().to_vec().try_into().expect("fits")
}

fn content_id(cid: &[u8]) -> ContentId {
	cid.to_vec().try_into().expect("fits")
}

fn metadata(text: &str) -> ModelMetadata {
	text.as_bytes().to_vec().try_into().expect("fits")
}

fn version(major: u16, minor: u16, patch: u16) -> ModelVersion {
	ModelVersion { major, minor, patch }
}

fn register_model(owner: AccountId, name: &str, v: ModelVersion) -> DispatchResultOf {
	Compute::register_model(
		signed(owner),
		model_name(name),
		content_id(CID),
		v,
		ModelKind::Llm,
		metadata("license=apache-2.0"),
	)
}

type DispatchResultOf = polkadot_sdk::sp_runtime::DispatchResult;

// ----- Compute subnets -----

#[test]
fn only_the_admin_marks_existing_subnets_as_compute_subnets() {
	test(|| {
		assert_noop!(
			Compute::set_compute_subnet(signed(COLDKEY), PLAIN_NETUID, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Compute::set_compute_subnet(RuntimeOrigin::root(), 99, true),
			Error::<Test>::SubnetNotFound
		);
		assert_ok!(Compute::set_compute_subnet(RuntimeOrigin::root(), PLAIN_NETUID, true));
		assert!(crate::ComputeSubnets::<Test>::contains_key(PLAIN_NETUID));
		assert_ok!(Compute::set_compute_subnet(RuntimeOrigin::root(), PLAIN_NETUID, false));
		assert!(!crate::ComputeSubnets::<Test>::contains_key(PLAIN_NETUID));
	});
}

#[test]
fn a_dissolved_subnet_is_no_compute_subnet_and_its_providers_may_leave() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		run_to_block(1 + DRAW_DELAY);
		<Compute as luxtensor_primitives::traits::OnSubnetDissolved>::on_subnet_dissolved(NETUID);
		assert!(!crate::ComputeSubnets::<Test>::contains_key(NETUID));
		assert_noop!(
			Compute::register_provider(
				signed(COLDKEY_2),
				HOTKEY_2,
				NETUID,
				spec(1),
				MDT,
				COLDKEY_2
			),
			Error::<Test>::NotComputeSubnet
		);
		// The open attestation still ends (fail closed here), then the provider leaves.
		let AttestationPhase::Open { reveal_end, .. } = phase(HOTKEY) else { panic!() };
		run_to_block(reveal_end);
		run_to_draw(HOTKEY);
		let AttestationPhase::Open { reveal_end, .. } = phase(HOTKEY) else { panic!() };
		run_to_block(reveal_end);
		assert_ok!(Compute::deregister(signed(COLDKEY), HOTKEY));
	});
}

// ----- Registration -----

#[test]
fn registration_holds_bond_and_fee_and_schedules_the_draw() {
	test(|| {
		register(COLDKEY, HOTKEY, 2);
		let provider = Providers::<Test>::get(HOTKEY).expect("registered");
		assert_eq!(provider.status, ProviderStatus::PendingAttestation);
		assert_eq!(provider.bond, bond_of(2));
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(2));
		assert_eq!(held(HoldReason::AttestationFee, COLDKEY), 3 * ATTESTOR_FEE);
		assert_eq!(phase(HOTKEY), AttestationPhase::Drawing { at: 1 + DRAW_DELAY });
		assert_eq!(Counters::<Test>::get().providers_pending, 1);
		assert!(compute_events().contains(&Event::ProviderRegistered {
			hotkey: HOTKEY,
			owner: COLDKEY,
			netuid: NETUID,
			bond: bond_of(2),
			attestation_fee: 3 * ATTESTOR_FEE,
		}));
	});
}

#[test]
fn bad_registrations_fail_with_named_errors_and_change_nothing() {
	test(|| {
		let register_with = |coldkey, hotkey, netuid, spec| {
			Compute::register_provider(signed(coldkey), hotkey, netuid, spec, MDT, coldkey)
		};
		assert_noop!(
			register_with(COLDKEY, HOTKEY, PLAIN_NETUID, spec(1)),
			Error::<Test>::NotComputeSubnet
		);
		assert_noop!(register_with(COLDKEY, 77, NETUID, spec(1)), Error::<Test>::NotNeuron);
		assert_noop!(
			register_with(COLDKEY_2, HOTKEY, NETUID, spec(1)),
			Error::<Test>::NotHotkeyOwner
		);
		let mut bad = spec(1);
		bad.gpu_model = Default::default();
		assert_noop!(register_with(COLDKEY, HOTKEY, NETUID, bad), Error::<Test>::InvalidGpuModel);
		let mut bad = spec(1);
		bad.gpu_model = b"A100\n".to_vec().try_into().unwrap();
		assert_noop!(register_with(COLDKEY, HOTKEY, NETUID, bad), Error::<Test>::InvalidGpuModel);
		assert_noop!(
			register_with(COLDKEY, HOTKEY, NETUID, spec(0)),
			Error::<Test>::GpuCountOutOfBounds
		);
		assert_noop!(
			register_with(COLDKEY, HOTKEY, NETUID, spec(9)),
			Error::<Test>::GpuCountOutOfBounds
		);
		let mut bad = spec(1);
		bad.vram_per_gpu_mib = 0;
		assert_noop!(register_with(COLDKEY, HOTKEY, NETUID, bad), Error::<Test>::ZeroVram);
		let mut bad = spec(1);
		bad.ram_mib = 0;
		assert_noop!(register_with(COLDKEY, HOTKEY, NETUID, bad), Error::<Test>::ZeroCpuOrRam);
		let mut bad = spec(1);
		bad.region = *b"de";
		assert_noop!(register_with(COLDKEY, HOTKEY, NETUID, bad), Error::<Test>::InvalidRegion);
		assert_noop!(
			register_with(POOR, POOR_HOTKEY, NETUID, spec(1)),
			Error::<Test>::InsufficientBalance
		);
		register(COLDKEY, HOTKEY, 1);
		assert_noop!(
			register_with(COLDKEY, HOTKEY, NETUID, spec(1)),
			Error::<Test>::AlreadyProvider
		);
	});
}

#[test]
fn an_oversize_gpu_model_does_not_decode() {
	let oversize = spec(1);
	let mut encoded = oversize.encode();
	// Claim a 33-byte name: the bounded vector refuses it while decoding the call.
	encoded[0] = 33 << 2;
	encoded.splice(1..1, [b'x'; 17]);
	assert!(<luxtensor_primitives::compute::HardwareSpec as codec::Decode>::decode(
		&mut &encoded[..]
	)
	.is_err());
}

// ----- Attestation -----

#[test]
fn honest_majority_activates_the_provider_with_the_median_score_and_pays_attestors() {
	test(|| {
		register(COLDKEY, HOTKEY, 2);
		let free_before = Balances::balance(&COLDKEY);
		let drawn = attest(HOTKEY, &[Some((900, true)), Some((1200, true)), Some((1000, true))]);
		let provider = Providers::<Test>::get(HOTKEY).unwrap();
		assert_eq!(provider.status, ProviderStatus::Active);
		assert_eq!(provider.score, Some(1000));
		assert!(Attestations::<Test>::get(HOTKEY).is_none());
		for attestor in &drawn {
			assert_eq!(Balances::balance(attestor), MDT + ATTESTOR_FEE);
		}
		assert_eq!(held(HoldReason::AttestationFee, COLDKEY), 0);
		assert_eq!(Balances::balance(&COLDKEY), free_before);
		let counters = Counters::<Test>::get();
		assert_eq!((counters.providers_pending, counters.providers_active), (0, 1));
		assert_eq!(counters.gpus_online, 2);
		assert_eq!(counters.vram_online_mib, 2 * 81_920);
		let totals = GpusByModel::<Test>::get(spec(2).gpu_model).unwrap();
		assert_eq!((totals.providers, totals.gpus), (1, 2));
		assert_eq!(GpusByClass::<Test>::get(performance_class(1000)).unwrap().gpus, 2);
		assert!(compute_events().contains(&Event::ProviderAttested {
			provider: HOTKEY,
			score: 1000,
			class: performance_class(1000),
		}));
	});
}

#[test]
fn a_majority_needs_more_than_half_of_those_drawn_not_of_those_revealing() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		// One honest reveal and two silent attestors: no majority, round redrawn.
		attest(HOTKEY, &[Some((1000, true)), None, None]);
		run_to_block(System::block_number() + REVEAL_WINDOW);
		assert_eq!(status(HOTKEY), ProviderStatus::PendingAttestation);
		assert_eq!(Attestations::<Test>::get(HOTKEY).unwrap().round, 1);
	});
}

#[test]
fn dishonest_majority_rejects_and_slashes_after_the_defer_period() {
	test(|| {
		register(COLDKEY, HOTKEY, 2);
		let issuance = Balances::total_issuance();
		let treasury = Balances::balance(&TREASURY);
		let drawn = attest(HOTKEY, &[Some((10, false)), Some((1000, true)), Some((12, false))]);
		assert_eq!(status(HOTKEY), ProviderStatus::Rejected);
		let now = System::block_number();
		// The true-voter is against the majority: benched, unpaid.
		assert_eq!(BenchedAttestors::<Test>::get(drawn[1]), Some(now + BENCH_PERIOD));
		assert_eq!(Balances::balance(&drawn[1]), MDT);
		assert_eq!(Balances::balance(&drawn[0]), MDT + ATTESTOR_FEE);
		let slash = Slashes::<Test>::get(0).expect("slash scheduled");
		assert_eq!(slash.reason, SlashReason::FalseSpec);
		assert_eq!(slash.amount, bond_of(2) / 10);
		assert_eq!(slash.apply_at, now + SLASH_DEFER);
		assert_eq!(slash.beneficiaries.to_vec(), vec![drawn[0], drawn[2]]);

		// Nothing is taken before the defer period ends.
		run_to_block(now + SLASH_DEFER - 1);
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(2));
		run_to_block(now + SLASH_DEFER);
		let slashed = bond_of(2) / 10;
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(2) - slashed);
		assert_eq!(Providers::<Test>::get(HOTKEY).unwrap().bond, bond_of(2) - slashed);
		// Half to the two correct attestors, the rest to the treasury: nothing is burned.
		assert_eq!(Balances::balance(&drawn[0]), MDT + ATTESTOR_FEE + slashed / 4);
		assert_eq!(Balances::balance(&drawn[2]), MDT + ATTESTOR_FEE + slashed / 4);
		assert_eq!(Balances::balance(&TREASURY), treasury + slashed / 2);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(Slashes::<Test>::get(0).is_none());
		assert!(compute_events().contains(&Event::SlashApplied {
			slash_id: 0,
			provider: HOTKEY,
			reason: SlashReason::FalseSpec,
			slashed,
			to_poster: 0,
			rewarded: slashed / 2,
		}));
	});
}

#[test]
fn the_admin_may_cancel_a_slash_within_the_defer_period_only() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		attest(HOTKEY, &[Some((1, false)); 3]);
		assert_noop!(Compute::cancel_slash(signed(COLDKEY), 0), DispatchError::BadOrigin);
		assert_noop!(Compute::cancel_slash(RuntimeOrigin::root(), 1), Error::<Test>::SlashNotFound);
		assert_ok!(Compute::cancel_slash(RuntimeOrigin::root(), 0));
		run_to_block(System::block_number() + SLASH_DEFER);
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(1));
		let provider = Providers::<Test>::get(HOTKEY).unwrap();
		assert_eq!((crate::Offences::<Test>::get(COLDKEY).count, provider.pending_slashes), (0, 0));
		// Once applied, there is nothing left to cancel.
		register(COLDKEY_2, HOTKEY_2, 1);
		attest(HOTKEY_2, &[Some((1, false)); 3]);
		run_to_block(System::block_number() + SLASH_DEFER);
		assert_noop!(Compute::cancel_slash(RuntimeOrigin::root(), 1), Error::<Test>::SlashNotFound);
	});
}

#[test]
fn repeated_offences_are_slashed_harder() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		attest(HOTKEY, &[Some((1, false)); 3]);
		run_to_block(System::block_number() + SLASH_DEFER);
		let first = bond_of(1) / 10;
		let bond = Providers::<Test>::get(HOTKEY).unwrap().bond;
		assert_eq!(bond, bond_of(1) - first);
		// A retry with the same false spec: missing bond topped up, then twice the fraction.
		assert_ok!(Compute::update_provider(signed(COLDKEY), HOTKEY, None, None, Some(spec(1))));
		assert_eq!(Providers::<Test>::get(HOTKEY).unwrap().bond, bond_of(1));
		attest(HOTKEY, &[Some((1, false)); 3]);
		assert_eq!(Slashes::<Test>::get(1).unwrap().amount, bond_of(1) / 5);
		assert_eq!(
			Compute::slash_fraction(SlashReason::FalseSpec, 20).deconstruct(),
			1_000_000_000
		);
	});
}

#[test]
fn leaving_and_registering_again_does_not_reset_the_offences() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		attest(HOTKEY, &[Some((1, false)); 3]);
		assert_ok!(Compute::deregister(signed(COLDKEY), HOTKEY));
		run_to_block(System::block_number() + UNBONDING_PERIOD);
		assert_ok!(Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY));
		assert!(Providers::<Test>::get(HOTKEY).is_none());
		// Back with another of its hotkeys: the second offence of the same owner takes twice
		// the fraction.
		add_neuron(NETUID, 21, COLDKEY);
		register(COLDKEY, 21, 1);
		attest(21, &[Some((1, false)); 3]);
		assert_eq!(Slashes::<Test>::get(1).unwrap().amount, bond_of(1) / 5);
		assert_eq!(crate::Offences::<Test>::get(COLDKEY).count, 2);
	});
}

#[test]
fn no_majority_is_redrawn_once_then_fails_closed_without_slashing() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		// Round 0: one for, one against, one silent.
		attest(HOTKEY, &[Some((1000, true)), Some((5, false)), None]);
		run_to_block(System::block_number() + REVEAL_WINDOW);
		let attestation = Attestations::<Test>::get(HOTKEY).expect("redrawn");
		assert_eq!(attestation.round, 1);
		assert!(compute_events().contains(&Event::AttestationInconclusive {
			provider: HOTKEY,
			round: 0,
			redrawn: true,
		}));
		// Round 1: nobody reveals.
		run_to_draw(HOTKEY);
		let AttestationPhase::Open { reveal_end, .. } = phase(HOTKEY) else { panic!() };
		run_to_block(reveal_end);
		assert!(Attestations::<Test>::get(HOTKEY).is_none());
		assert_eq!(status(HOTKEY), ProviderStatus::PendingAttestation);
		assert!(Slashes::<Test>::iter().next().is_none());
		assert_eq!(held(HoldReason::AttestationFee, COLDKEY), 0);
		assert!(compute_events().contains(&Event::AttestationInconclusive {
			provider: HOTKEY,
			round: 1,
			redrawn: false,
		}));
		// It may leave with its whole bond.
		assert_ok!(Compute::deregister(signed(COLDKEY), HOTKEY));
		run_to_block(System::block_number() + UNBONDING_PERIOD);
		assert_ok!(Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY));
		assert_eq!(Balances::balance(&COLDKEY), ENDOWMENT);
		assert!(Providers::<Test>::get(HOTKEY).is_none());
	});
}

#[test]
fn silent_attestors_are_penalized_and_left_out_of_the_redraw() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		let drawn = run_to_draw(HOTKEY);
		commit(drawn[0], HOTKEY, 1000, true);
		run_to_reveal(HOTKEY);
		let AttestationPhase::Open { reveal_end, .. } = phase(HOTKEY) else { panic!() };
		run_to_block(reveal_end);
		let events = compute_events();
		assert!(events.contains(&Event::AttestorPenalized {
			provider: HOTKEY,
			attestor: drawn[0],
			fault: AttestorFault::NoReveal,
			until: reveal_end + BENCH_PERIOD,
		}));
		assert!(events.contains(&Event::AttestorPenalized {
			provider: HOTKEY,
			attestor: drawn[1],
			fault: AttestorFault::NoCommit,
			until: reveal_end + BENCH_PERIOD,
		}));
		// Five validators, three benched: the redraw can only find the other two.
		let redrawn = run_to_draw(HOTKEY);
		assert_eq!(redrawn.len(), 2);
		assert!(redrawn.iter().all(|attestor| !drawn.contains(attestor)));
	});
}

#[test]
fn the_commit_reveal_windows_and_the_attestor_list_are_enforced() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		let commitment = Compute::attestation_commitment(&HOTKEY, 1000, true, &SALT);
		assert_noop!(
			Compute::attest_commit(signed(VALIDATORS[0]), HOTKEY, commitment),
			Error::<Test>::NotCommitPhase
		);
		assert_noop!(
			Compute::attest_commit(signed(VALIDATORS[0]), HOTKEY_2, commitment),
			Error::<Test>::NoAttestation
		);
		let drawn = run_to_draw(HOTKEY);
		let outsider = *VALIDATORS.iter().find(|v| !drawn.contains(v)).unwrap();
		assert_noop!(
			Compute::attest_commit(signed(outsider), HOTKEY, commitment),
			Error::<Test>::NotAttestor
		);
		assert_noop!(
			Compute::attest_reveal(signed(drawn[0]), HOTKEY, 1000, true, SALT),
			Error::<Test>::NotRevealPhase
		);
		commit(drawn[0], HOTKEY, 1000, true);
		assert_noop!(
			Compute::attest_commit(signed(drawn[0]), HOTKEY, commitment),
			Error::<Test>::AlreadyCommitted
		);
		run_to_reveal(HOTKEY);
		assert_noop!(
			Compute::attest_commit(signed(drawn[1]), HOTKEY, commitment),
			Error::<Test>::NotCommitPhase
		);
		assert_noop!(
			Compute::attest_reveal(signed(drawn[1]), HOTKEY, 1000, true, SALT),
			Error::<Test>::NotCommitted
		);
		// A reveal that does not match the commitment: another score, verdict or salt.
		for (score, verdict, salt) in
			[(999, true, SALT), (1000, false, SALT), (1000, true, [8; 32])]
		{
			assert_noop!(
				Compute::attest_reveal(signed(drawn[0]), HOTKEY, score, verdict, salt),
				Error::<Test>::RevealMismatch
			);
		}
		reveal(drawn[0], HOTKEY, 1000, true);
		assert_noop!(
			Compute::attest_reveal(signed(drawn[0]), HOTKEY, 1000, true, SALT),
			Error::<Test>::AlreadyRevealed
		);
		let AttestationPhase::Open { reveal_end, .. } = phase(HOTKEY) else { panic!() };
		run_to_block(reveal_end - 1);
		System::set_block_number(reveal_end);
		assert_noop!(
			Compute::attest_reveal(signed(drawn[1]), HOTKEY, 1000, true, SALT),
			Error::<Test>::NotRevealPhase
		);
	});
}

#[test]
fn a_commitment_binds_the_provider_so_it_cannot_be_replayed_for_another() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		register(COLDKEY_2, HOTKEY_2, 1);
		let drawn = run_to_draw(HOTKEY);
		let drawn_2 = attestors(HOTKEY_2);
		let Some(shared) = drawn.iter().find(|a| drawn_2.contains(a)) else { return };
		// The commitment made for HOTKEY, copied to HOTKEY_2, cannot be revealed there.
		let commitment = Compute::attestation_commitment(&HOTKEY, 1000, true, &SALT);
		assert_ok!(Compute::attest_commit(signed(*shared), HOTKEY_2, commitment));
		run_to_reveal(HOTKEY_2);
		assert_noop!(
			Compute::attest_reveal(signed(*shared), HOTKEY_2, 1000, true, SALT),
			Error::<Test>::RevealMismatch
		);
	});
}

#[test]
fn sampling_never_draws_the_provider_its_owner_or_anyone_twice() {
	test(|| {
		// The provider's owner also owns validator 201 of the subnet.
		add_neuron(NETUID, 201, COLDKEY);
		let mut validators: Vec<_> = VALIDATORS.iter().map(|v| (*v, 10 * MDT)).collect();
		validators.push((HOTKEY, 1_000 * MDT));
		validators.push((201, 1_000 * MDT));
		set_validators(NETUID, validators);
		let provider = {
			register(COLDKEY, HOTKEY, 1);
			Providers::<Test>::get(HOTKEY).unwrap()
		};
		let candidates = Compute::attestor_candidates(&HOTKEY, &provider, 1);
		assert_eq!(candidates.len(), VALIDATORS.len());
		assert!(candidates.iter().all(|(v, _)| VALIDATORS.contains(v)));
		for seed in 0..500u64 {
			let drawn = Compute::sample_weighted(
				candidates.clone(),
				3,
				polkadot_sdk::sp_core::H256::from_low_u64_le(seed),
			);
			assert_eq!(drawn.len(), 3);
			let mut unique = drawn.clone();
			unique.sort();
			unique.dedup();
			assert_eq!(unique.len(), 3, "seed {seed} drew {drawn:?}");
		}
		// Asking for more than there are draws everyone once.
		let all = Compute::sample_weighted(candidates.clone(), 9, Default::default());
		assert_eq!(all.len(), VALIDATORS.len());
	});
}

#[test]
fn sampling_is_stake_weighted() {
	test(|| {
		// Stakes 1:2:3:4: over many seeds one draw picks each in that proportion.
		let candidates: Vec<(AccountId, Balance)> =
			(1..=4).map(|i| (100 + i, i as Balance * MDT)).collect();
		let draws = 20_000u64;
		let mut counts = [0u64; 4];
		for seed in 0..draws {
			let drawn = Compute::sample_weighted(
				candidates.clone(),
				1,
				polkadot_sdk::sp_core::H256::from_low_u64_le(seed),
			);
			counts[(drawn[0] - 101) as usize] += 1;
		}
		for (i, count) in counts.iter().enumerate() {
			let expected = draws * (i as u64 + 1) / 10;
			// Within 5 standard deviations of a binomial (at most ~346 here).
			let deviation = (*count as i64 - expected as i64).unsigned_abs();
			assert!(deviation < 1_000, "validator {i}: {count} draws, expected {expected}");
		}
		// A zero-stake validator can still be drawn, but rarely.
		let with_zero = vec![(1, 0), (2, 1_000 * MDT)];
		let zero_drawn = (0..2_000u64)
			.filter(|seed| {
				Compute::sample_weighted(
					with_zero.clone(),
					1,
					polkadot_sdk::sp_core::H256::from_low_u64_le(*seed),
				) == vec![1]
			})
			.count();
		assert_eq!(zero_drawn, 0);
	});
}

#[test]
fn different_randomness_draws_different_attestors() {
	test(|| {
		let mut draws = std::collections::BTreeSet::new();
		for seed in 0..20 {
			set_random_seed(seed);
			let provider = Providers::<Test>::get(HOTKEY).unwrap_or_else(|| {
				register(COLDKEY, HOTKEY, 1);
				Providers::<Test>::get(HOTKEY).unwrap()
			});
			let candidates = Compute::attestor_candidates(&HOTKEY, &provider, 1);
			let (seed, _) = <MockRandomness as polkadot_sdk::frame_support::traits::Randomness<
				_,
				_,
			>>::random(b"subject");
			let mut drawn = Compute::sample_weighted(candidates, 3, seed);
			drawn.sort();
			draws.insert(drawn);
		}
		assert!(draws.len() > 3, "20 seeds gave only {} attestor sets", draws.len());
	});
}

#[test]
fn a_subnet_without_validators_fails_closed() {
	test(|| {
		set_validators(NETUID, vec![]);
		register(COLDKEY, HOTKEY, 1);
		run_to_block(1 + DRAW_DELAY);
		assert_eq!(Attestations::<Test>::get(HOTKEY).unwrap().round, 1);
		run_to_block(1 + 2 * DRAW_DELAY);
		assert!(Attestations::<Test>::get(HOTKEY).is_none());
		assert_eq!(status(HOTKEY), ProviderStatus::PendingAttestation);
		assert_eq!(held(HoldReason::AttestationFee, COLDKEY), 0);
	});
}

#[test]
fn leaving_is_refused_while_an_attestation_is_open() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		let drawn = run_to_draw(HOTKEY);
		for attestor in &drawn {
			commit(*attestor, HOTKEY, 1, false);
		}
		// Seeing the commits come in, it tries to leave before the verdict.
		assert_noop!(
			Compute::deregister(signed(COLDKEY), HOTKEY),
			Error::<Test>::AttestationInProgress
		);
		assert_noop!(
			Compute::update_provider(signed(COLDKEY), HOTKEY, None, None, Some(spec(2))),
			Error::<Test>::AttestationInProgress
		);
	});
}

#[test]
fn a_pending_slash_blocks_withdrawal_even_past_the_unlock() {
	test(|| {
		register(COLDKEY, HOTKEY, 1);
		attest(HOTKEY, &[Some((1, false)); 3]);
		assert_ok!(Compute::deregister(signed(COLDKEY), HOTKEY));
		let slash = Slashes::<Test>::get(0).unwrap();
		// Before the slash is applied, nothing may be withdrawn.
		System::set_block_number(slash.apply_at - 1);
		assert_noop!(
			Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY),
			Error::<Test>::SlashPending
		);
		run_to_block(System::block_number() + UNBONDING_PERIOD);
		assert_ok!(Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY));
		// The majority attestors were paid their fee.
		assert_eq!(Balances::balance(&COLDKEY), ENDOWMENT - 3 * ATTESTOR_FEE - bond_of(1) / 10);
	});
}

// ----- Heartbeats and liveness -----

#[test]
fn an_active_provider_goes_offline_without_heartbeats_and_back_with_one() {
	test(|| {
		active_provider(1);
		let attested_at = System::block_number();
		run_to_block(attested_at + HEARTBEAT_TIMEOUT - 1);
		assert_eq!(status(HOTKEY), ProviderStatus::Active);
		run_to_block(attested_at + HEARTBEAT_TIMEOUT);
		assert_eq!(status(HOTKEY), ProviderStatus::Offline);
		let counters = Counters::<Test>::get();
		assert_eq!((counters.providers_active, counters.providers_offline), (0, 1));
		assert_eq!((counters.gpus_online, counters.gpus_offline), (0, 1));
		assert_ok!(Compute::heartbeat(signed(HOTKEY)));
		assert_eq!(status(HOTKEY), ProviderStatus::Active);
		assert!(compute_events().contains(&Event::ProviderOnline { hotkey: HOTKEY }));
	});
}

#[test]
fn heartbeats_push_the_timeout_back_and_are_rate_limited() {
	test(|| {
		active_provider(1);
		assert_ok!(Compute::heartbeat(signed(HOTKEY)));
		assert_noop!(Compute::heartbeat(signed(HOTKEY)), Error::<Test>::HeartbeatTooSoon);
		assert_noop!(Compute::heartbeat(signed(77)), Error::<Test>::ProviderNotFound);
		let start = System::block_number();
		for step in 1..=4 {
			run_to_block(start + step * MIN_HEARTBEAT_INTERVAL * 2);
			assert_ok!(Compute::heartbeat(signed(HOTKEY)));
		}
		// Long past the first timeout, still active; one deadline queued, not four.
		assert!(System::block_number() > start + HEARTBEAT_TIMEOUT);
		assert_eq!(status(HOTKEY), ProviderStatus::Active);
		let queued = Deadlines::<Test>::iter()
			.flat_map(|(_, queue)| queue.into_inner())
			.filter(|deadline| *deadline == Deadline::Liveness(HOTKEY))
			.count();
		assert_eq!(queued, 1);
	});
}

#[test]
fn the_pool_refuses_heartbeats_that_would_fail() {
	test(|| {
		let check = crate::CheckHeartbeat::<Test>::new();
		let call = RuntimeCall::Compute(crate::Call::heartbeat {});
		let info = polkadot_sdk::frame_support::dispatch::DispatchInfo::default();
		let validate = |who: AccountId| {
			check
				.validate_only(signed(who), &call, &info, 0, TransactionSource::External, 0)
				.map(|(valid, _, _)| valid)
		};
		let custom = |error: Error<Test>| {
			TransactionValidityError::Invalid(InvalidTransaction::Custom(error.encode()[0]))
		};
		assert_eq!(validate(HOTKEY).unwrap_err(), custom(Error::<Test>::ProviderNotFound));
		active_provider(1);
		assert_ok!(Compute::heartbeat(signed(HOTKEY)));
		assert_eq!(validate(HOTKEY).unwrap_err(), custom(Error::<Test>::HeartbeatTooSoon));
		run_to_block(System::block_number() + MIN_HEARTBEAT_INTERVAL);
		let valid = validate(HOTKEY).expect("a due heartbeat is valid");
		assert_eq!(valid.provides.len(), 1);
		assert_eq!(
			valid.priority,
			luxtensor_primitives::DUTY_PRIORITY,
			"ahead of fee-paying calls"
		);
		// Other calls pass through untouched.
		let other = RuntimeCall::Compute(crate::Call::deregister { hotkey: HOTKEY });
		assert!(check
			.validate_only(signed(77), &other, &info, 0, TransactionSource::External, 0)
			.is_ok());
		let _ = check.weight(&call);
	});
}

// ----- Bonds -----

#[test]
fn unbonding_keeps_the_required_bond_and_waits_the_unbonding_period() {
	test(|| {
		active_provider(1);
		assert_noop!(Compute::unbond(signed(COLDKEY), HOTKEY, 1), Error::<Test>::BondBelowRequired);
		assert_noop!(Compute::bond_more(signed(COLDKEY), HOTKEY, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Compute::bond_more(signed(COLDKEY_2), HOTKEY, MDT),
			Error::<Test>::NotHotkeyOwner
		);
		assert_ok!(Compute::bond_more(signed(COLDKEY), HOTKEY, 30 * MDT));
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(1) + 30 * MDT);
		assert_noop!(
			Compute::unbond(signed(COLDKEY), HOTKEY, 30 * MDT + 1),
			Error::<Test>::BondBelowRequired
		);
		assert_ok!(Compute::unbond(signed(COLDKEY), HOTKEY, 10 * MDT));
		assert_ok!(Compute::unbond(signed(COLDKEY), HOTKEY, 10 * MDT));
		assert_noop!(
			Compute::unbond(signed(COLDKEY), HOTKEY, 10 * MDT),
			Error::<Test>::TooManyUnbondingChunks
		);
		assert_noop!(
			Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY),
			Error::<Test>::NothingToWithdraw
		);
		let before = Balances::balance(&COLDKEY);
		run_to_block(System::block_number() + UNBONDING_PERIOD);
		// Keep it active so the test ends in a tidy state.
		assert_ok!(Compute::heartbeat(signed(HOTKEY)));
		assert_ok!(Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY));
		assert_eq!(Balances::balance(&COLDKEY), before + 20 * MDT);
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(1) + 10 * MDT);
	});
}

#[test]
fn a_leaving_provider_withdraws_everything_after_the_unbonding_period() {
	test(|| {
		active_provider(2);
		assert_ok!(Compute::deregister(signed(COLDKEY), HOTKEY));
		assert_eq!(status(HOTKEY), ProviderStatus::Leaving);
		assert_noop!(Compute::heartbeat(signed(HOTKEY)), Error::<Test>::ProviderLeaving);
		assert_noop!(Compute::deregister(signed(COLDKEY), HOTKEY), Error::<Test>::ProviderLeaving);
		assert_noop!(
			Compute::bond_more(signed(COLDKEY), HOTKEY, MDT),
			Error::<Test>::ProviderLeaving
		);
		let counters = Counters::<Test>::get();
		assert_eq!((counters.providers_active, counters.providers_leaving), (0, 1));
		assert_eq!(counters.gpus_online, 0);
		assert!(GpusByModel::<Test>::iter().next().is_none());
		run_to_block(System::block_number() + UNBONDING_PERIOD - 1);
		assert_noop!(
			Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY),
			Error::<Test>::NothingToWithdraw
		);
		run_to_block(System::block_number() + 1);
		assert_ok!(Compute::withdraw_unbonded(signed(COLDKEY), HOTKEY));
		assert!(Providers::<Test>::get(HOTKEY).is_none());
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), 0);
		assert_eq!(Counters::<Test>::get().providers_leaving, 0);
		// The hotkey may register again.
		register(COLDKEY, HOTKEY, 1);
		assert_eq!(status(HOTKEY), ProviderStatus::PendingAttestation);
	});
}

// ----- Updates -----

#[test]
fn a_new_spec_needs_a_new_attestation_and_the_bond_it_requires() {
	test(|| {
		active_provider(1);
		assert_noop!(
			Compute::update_provider(signed(COLDKEY), HOTKEY, None, None, None),
			Error::<Test>::EmptyUpdate
		);
		assert_noop!(
			Compute::update_provider(signed(COLDKEY_2), HOTKEY, Some(1), None, None),
			Error::<Test>::NotHotkeyOwner
		);
		assert_ok!(Compute::update_provider(
			signed(COLDKEY),
			HOTKEY,
			Some(3 * MDT),
			Some(99),
			None
		));
		let provider = Providers::<Test>::get(HOTKEY).unwrap();
		assert_eq!(
			(provider.ask_price, provider.payout, provider.status),
			(3 * MDT, 99, ProviderStatus::Active)
		);
		assert_ok!(Compute::update_provider(signed(COLDKEY), HOTKEY, None, None, Some(spec(4))));
		let provider = Providers::<Test>::get(HOTKEY).unwrap();
		assert_eq!(provider.status, ProviderStatus::PendingAttestation);
		assert_eq!(provider.score, None);
		assert_eq!(provider.bond, bond_of(4));
		assert_eq!(held(HoldReason::ProviderBond, COLDKEY), bond_of(4));
		assert_eq!(held(HoldReason::AttestationFee, COLDKEY), 3 * ATTESTOR_FEE);
		assert_eq!(Counters::<Test>::get().gpus_online, 0);
		attest(HOTKEY, &[Some((2000, true)); 3]);
		assert_eq!(Counters::<Test>::get().gpus_online, 4);
		assert_eq!(Providers::<Test>::get(HOTKEY).unwrap().score, Some(2000));
	});
}

// ----- Deadline queue -----

#[test]
fn deadlines_spill_to_the_next_block_when_one_is_full() {
	test(|| {
		for index in 0..(MAX_DEADLINES_PER_BLOCK as u64 + 2) {
			let (coldkey, hotkey) = (300 + index, 400 + index);
			add_neuron(NETUID, hotkey, coldkey);
			<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<_>>::set_balance(
				&coldkey, ENDOWMENT,
			);
			register(coldkey, hotkey, 1);
		}
		let at = 1 + DRAW_DELAY;
		assert_eq!(Deadlines::<Test>::get(at).unwrap().len(), MAX_DEADLINES_PER_BLOCK as usize);
		assert_eq!(Deadlines::<Test>::get(at + 1).unwrap().len(), 2);
		run_to_block(at + 1);
		for index in 0..(MAX_DEADLINES_PER_BLOCK as u64 + 2) {
			assert!(matches!(
				Attestations::<Test>::get(400 + index).unwrap().phase,
				AttestationPhase::Open { .. }
			));
		}
		assert!(Deadlines::<Test>::get(at).is_none());
	});
}

#[test]
fn deadlines_past_the_weight_budget_move_to_the_next_block() {
	test(|| {
		for (coldkey, hotkey) in [(COLDKEY, HOTKEY), (COLDKEY_2, HOTKEY_2)] {
			register(coldkey, hotkey, 1);
		}
		add_neuron(NETUID, 500, 600);
		<Balances as polkadot_sdk::frame_support::traits::fungible::Mutate<_>>::set_balance(
			&600, ENDOWMENT,
		);
		register(600, 500, 1);
		// Room for one deadline a block: the first always runs.
		DeadlineWeightBudget::set(&polkadot_sdk::frame_support::weights::Weight::from_parts(1, 0));
		let at = 1 + DRAW_DELAY;
		run_to_block(at);
		let drawn = [HOTKEY, HOTKEY_2, 500]
			.map(|p| matches!(phase(p), AttestationPhase::Open { .. }))
			.iter()
			.filter(|open| **open)
			.count();
		assert_eq!(drawn, 1);
		assert!(compute_events().contains(&Event::DeadlinesDeferred { count: 2 }));
		// The records follow their deadlines (run_to_block checks the invariants).
		run_to_block(at + 2);
		for provider in [HOTKEY, HOTKEY_2, 500] {
			assert!(matches!(phase(provider), AttestationPhase::Open { .. }));
		}
	});
}

#[test]
fn an_idle_block_reads_one_queue() {
	test(|| {
		assert_eq!(Compute::on_initialize(5), <() as crate::WeightInfo>::on_initialize_idle());
	});
}

// ----- Models -----

#[test]
fn models_are_registered_with_a_deposit_and_unique_name_and_version() {
	test(|| {
		assert_ok!(register_model(COLDKEY, "llama-3-8b", version(3, 0, 0)));
		let model = Models::<Test>::get(0).unwrap();
		let bytes = "llama-3-8b".len() + CID.len() + "license=apache-2.0".len();
		assert_eq!(model.deposit, MODEL_DEPOSIT_BASE + MODEL_DEPOSIT_PER_BYTE * bytes as Balance);
		assert_eq!(held(HoldReason::ModelDeposit, COLDKEY), model.deposit);
		assert_eq!(ModelIds::<Test>::get(model_name("llama-3-8b"), version(3, 0, 0)), Some(0));
		assert_noop!(
			register_model(COLDKEY_2, "llama-3-8b", version(3, 0, 0)),
			Error::<Test>::ModelAlreadyRegistered
		);
		assert_ok!(register_model(COLDKEY_2, "llama-3-8b", version(3, 1, 0)));
		assert_eq!(Counters::<Test>::get().models, 2);
		assert_noop!(register_model(COLDKEY, "", version(1, 0, 0)), Error::<Test>::EmptyModelName);
		assert_noop!(
			register_model(POOR, "tiny", version(1, 0, 0)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn bad_content_ids_are_refused_by_name() {
	test(|| {
		let with_cid = |cid: &[u8]| {
			Compute::register_model(
				signed(COLDKEY),
				model_name("m"),
				content_id(cid),
				version(1, 0, 0),
				ModelKind::Vision,
				Default::default(),
			)
		};
		assert_noop!(
			with_cid(b"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"),
			Error::<Test>::ContentIdNotBase32
		);
		// Eight characters are five bytes: the digest is short.
		assert_noop!(with_cid(&CID[..CID.len() - 8]), Error::<Test>::ContentIdBadDigest);
		// All zero bytes: version 0.
		assert_noop!(
			with_cid(b"baaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
			Error::<Test>::ContentIdNotVersion1
		);
	});
}

#[test]
fn only_the_owner_updates_deprecates_transfers_and_removes_a_model() {
	test(|| {
		assert_ok!(register_model(COLDKEY, "whisper", version(1, 0, 0)));
		let deposit = Models::<Test>::get(0).unwrap().deposit;
		assert_noop!(
			Compute::update_model_metadata(signed(COLDKEY_2), 0, metadata("x")),
			Error::<Test>::NotModelOwner
		);
		assert_noop!(Compute::deprecate_model(signed(COLDKEY_2), 0), Error::<Test>::NotModelOwner);
		assert_noop!(
			Compute::transfer_model(signed(COLDKEY_2), 0, COLDKEY_2),
			Error::<Test>::NotModelOwner
		);
		assert_noop!(Compute::remove_model(signed(COLDKEY_2), 0), Error::<Test>::NotModelOwner);
		assert_noop!(Compute::remove_model(signed(COLDKEY), 5), Error::<Test>::ModelNotFound);

		// Longer metadata holds more; shorter releases it.
		assert_ok!(Compute::update_model_metadata(signed(COLDKEY), 0, metadata(&"x".repeat(118))));
		assert_eq!(held(HoldReason::ModelDeposit, COLDKEY), deposit + MDT);
		assert_ok!(Compute::update_model_metadata(signed(COLDKEY), 0, metadata("")));
		let smaller = Models::<Test>::get(0).unwrap().deposit;
		assert_eq!(held(HoldReason::ModelDeposit, COLDKEY), smaller);

		assert_ok!(Compute::deprecate_model(signed(COLDKEY), 0));
		assert_noop!(
			Compute::deprecate_model(signed(COLDKEY), 0),
			Error::<Test>::ModelAlreadyDeprecated
		);
		assert_eq!(Counters::<Test>::get().models_deprecated, 1);

		assert_noop!(
			Compute::transfer_model(signed(COLDKEY), 0, COLDKEY),
			Error::<Test>::TransferToSelf
		);
		assert_ok!(Compute::transfer_model(signed(COLDKEY), 0, COLDKEY_2));
		assert_eq!(held(HoldReason::ModelDeposit, COLDKEY), 0);
		assert_eq!(held(HoldReason::ModelDeposit, COLDKEY_2), smaller);
		assert_noop!(Compute::remove_model(signed(COLDKEY), 0), Error::<Test>::NotModelOwner);

		let before = Balances::balance(&COLDKEY_2);
		assert_ok!(Compute::remove_model(signed(COLDKEY_2), 0));
		assert_eq!(Balances::balance(&COLDKEY_2), before + smaller);
		assert_eq!(Counters::<Test>::get().models, 0);
		assert_eq!(Counters::<Test>::get().models_deprecated, 0);
	});
}

#[test]
fn a_removed_model_id_is_never_reused() {
	test(|| {
		assert_ok!(register_model(COLDKEY, "a", version(1, 0, 0)));
		assert_ok!(Compute::remove_model(signed(COLDKEY), 0));
		// The same name and version may come back, under a new id.
		assert_ok!(register_model(COLDKEY_2, "a", version(1, 0, 0)));
		assert!(Models::<Test>::get(0).is_none());
		assert_eq!(Models::<Test>::get(1).unwrap().owner, COLDKEY_2);
		assert_eq!(NextModelId::<Test>::get(), 2);
	});
}

#[test]
fn a_model_in_use_cannot_be_removed() {
	test(|| {
		assert_ok!(register_model(COLDKEY, "a", version(1, 0, 0)));
		Models::<Test>::mutate(0, |model| model.as_mut().unwrap().job_refs = 1);
		assert_noop!(Compute::remove_model(signed(COLDKEY), 0), Error::<Test>::ModelInUse);
		Models::<Test>::mutate(0, |model| model.as_mut().unwrap().job_refs = 0);
	});
}

#[test]
fn stored_records_keep_their_size_bounds() {
	use codec::MaxEncodedLen;
	// With 8-byte mock accounts and 2 unbonding chunks; a change here changes the storage
	// layout, which needs a migration.
	assert_eq!(crate::impls::ProviderOf::<Test>::max_encoded_len(), 196);
	assert_eq!(crate::Model::<AccountId>::max_encoded_len(), 718);
	assert_eq!(
		crate::Attestation::<AccountId, polkadot_sdk::frame_support::traits::ConstU32<3>>::max_encoded_len(),
		1 + 1 + 8 + 1 + 3 * (8 + 33 + 6)
	);
}
