//! Governance on the development preset: referenda on every track pass or fail by their
//! curves, the technical committee's fast track, treasury spends, the treasury's income
//! from fees and slashes, and the admin calls only governance may make.

mod common;

use common::{account, preset_externalities, register_subnet};
use luxtensor_primitives::subnets::HyperparametersUpdate;
use luxtensor_runtime::{
	configs::DealWithFees,
	currency::MDT,
	governance::{
		origins::{Origin as GovernanceOrigin, BIG_SPEND, SMALL_SPEND},
		tracks, TreasuryAccount,
	},
	AccountId, Balance, Balances, BlockNumber, ConvictionVoting, OriginCaller, Preimage, Referenda,
	Runtime, RuntimeCall, RuntimeOrigin, Scheduler, Subnets, System, TechnicalCommittee, Treasury,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{Balanced, Inspect, Mutate},
			schedule::DispatchTime,
			tokens::Preservation,
			OnInitialize, OnUnbalanced, StorePreimage,
		},
	},
	frame_system, pallet_collective, pallet_conviction_voting,
	pallet_referenda::{self, ReferendumInfo, TracksInfo as _},
	pallet_staking, pallet_treasury, pallet_whitelist,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Hash as _, DispatchError, Perbill},
};

const ALICE: Sr25519Keyring = Sr25519Keyring::Alice;
const BOB: Sr25519Keyring = Sr25519Keyring::Bob;
const CHARLIE: Sr25519Keyring = Sr25519Keyring::Charlie;
const DAVE: Sr25519Keyring = Sr25519Keyring::Dave;

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut ext = preset_externalities(DEV_RUNTIME_PRESET);
	// Events are not recorded at block 0.
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs the scheduler (which drives referenda and enacts them) through block `to`.
fn run_to(to: BlockNumber) {
	for block in System::block_number().saturating_add(1)..=to {
		System::set_block_number(block);
		Scheduler::on_initialize(block);
	}
}

/// `who` submits a referendum to dispatch `call` with `origin` and places its decision
/// deposit; returns its index.
fn propose(who: Sr25519Keyring, origin: OriginCaller, call: RuntimeCall) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		signed(who),
		Box::new(origin),
		Preimage::bound(call).expect("the call is bounded"),
		DispatchTime::After(0),
	));
	assert_ok!(Referenda::place_decision_deposit(signed(who), index));
	index
}

fn vote(who: Sr25519Keyring, index: u32, aye: bool, balance: Balance) {
	use pallet_conviction_voting::{AccountVote, Conviction, Vote};
	let vote = Vote { aye, conviction: Conviction::Locked1x };
	assert_ok!(ConvictionVoting::vote(signed(who), index, AccountVote::Standard { vote, balance }));
}

/// The referendum's state, and the block its decision started.
fn status(index: u32) -> Option<(BlockNumber, Option<BlockNumber>)> {
	match pallet_referenda::ReferendumInfoFor::<Runtime>::get(index) {
		Some(ReferendumInfo::Ongoing(status)) => {
			status.deciding.map(|deciding| (deciding.since, deciding.confirming))
		}
		_ => None,
	}
}

enum Outcome {
	/// Approved at this block.
	Approved(BlockNumber),
	Rejected(BlockNumber),
}

/// Runs blocks until the referendum is decided (at most a year); returns how, and the
/// block its confirmation started (if it did).
fn decide(index: u32) -> (Outcome, Option<BlockNumber>) {
	let mut confirm_started = None;
	let limit = System::block_number() + 365 * luxtensor_runtime::time::DAYS;
	while System::block_number() < limit {
		run_to(System::block_number() + 1);
		if let Some((_, Some(_))) = status(index) {
			confirm_started.get_or_insert(System::block_number());
		}
		match pallet_referenda::ReferendumInfoFor::<Runtime>::get(index) {
			Some(ReferendumInfo::Approved(at, ..)) => {
				return (Outcome::Approved(at), confirm_started)
			}
			Some(ReferendumInfo::Rejected(at, ..)) => {
				return (Outcome::Rejected(at), confirm_started)
			}
			Some(ReferendumInfo::Ongoing(_)) => {}
			other => panic!("referendum {index} ended otherwise: {other:?}"),
		}
	}
	panic!("referendum {index} undecided after a year");
}

fn track(id: u16) -> pallet_referenda::TrackInfoOf<Runtime> {
	<Runtime as pallet_referenda::Config>::Tracks::info(id).expect("the track exists").into_owned()
}

/// What `MaxTurnout` measures support against.
fn active_issuance() -> Balance {
	<Balances as Inspect<AccountId>>::active_issuance()
}

/// A referendum with ayes of `aye_capital` alone: it passes when the falling support curve
/// reaches the ayes' share, confirms for the track's confirm period and is enacted after
/// its minimum enactment period.
fn passes_when_support_curve_reaches_ayes(track_id: u16, origin: OriginCaller, call: RuntimeCall) {
	let info = track(track_id);
	let index = propose(BOB, origin, call);
	let submitted = System::block_number();
	let aye_capital = 90_000 * MDT;
	vote(ALICE, index, true, aye_capital);

	let (outcome, confirm_started) = decide(index);
	let Outcome::Approved(approved) = outcome else { panic!("track {track_id}: rejected") };
	let confirm_started = confirm_started.expect("it confirmed");
	assert_eq!(approved, confirm_started + info.confirm_period, "track {track_id}: confirm");

	// Deciding starts after the prepare period; support is met when the curve has fallen
	// to the ayes' share of the active issuance.
	let deciding_since = submitted + info.prepare_period;
	let support = Perbill::from_rational(aye_capital, active_issuance());
	let expected = deciding_since + info.min_support.delay(support) * info.decision_period;
	assert!(
		confirm_started.abs_diff(expected) <= 2,
		"track {track_id}: confirming from #{confirm_started}, the curve says #{expected}"
	);
	// A few blocks earlier the curve was still above the ayes' support (unless the ayes
	// pass it from the start).
	if confirm_started > deciding_since + 3 {
		let elapsed =
			Perbill::from_rational(confirm_started - deciding_since - 3, info.decision_period);
		assert!(info.min_support.threshold(elapsed) > support, "track {track_id}: too early");
	} else {
		assert!(info.min_support.threshold(Perbill::zero()) <= support, "track {track_id}");
	}

	run_to(approved + info.min_enactment_period + 1);
}

/// Ayes of 1,000 MDT never reach any track's support floor: rejected when the decision
/// period ends.
fn fails_without_support(track_id: u16, origin: OriginCaller, call: RuntimeCall) {
	let info = track(track_id);
	let index = propose(BOB, origin, call);
	let submitted = System::block_number();
	vote(ALICE, index, true, 1_000 * MDT);
	let (outcome, confirmed) = decide(index);
	let Outcome::Rejected(at) = outcome else { panic!("track {track_id}: approved") };
	assert_eq!(confirmed, None);
	assert_eq!(at, submitted + info.prepare_period + info.decision_period, "track {track_id}");
}

/// A root-only call: writes `text` under the storage key `:governance-test:`.
fn remark(text: &[u8]) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::set_storage {
		items: vec![(b":governance-test:".to_vec(), text.to_vec())],
	})
}

/// Whether [`remark`]`(text)` was dispatched.
fn remarked(text: &[u8]) -> bool {
	polkadot_sdk::sp_io::storage::get(b":governance-test:").as_deref() == Some(text)
}

fn set_tempo(netuid: u16, tempo: u16) -> RuntimeCall {
	RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameters {
		netuid,
		update: HyperparametersUpdate { tempo: Some(tempo), ..Default::default() },
	})
}

fn tempo(netuid: u16) -> u16 {
	pallet_subnets::Hyperparameters::<Runtime>::get(netuid).expect("the subnet exists").tempo
}

fn spend(amount: Balance, to: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::Treasury(pallet_treasury::Call::spend {
		asset_kind: Box::new(()),
		amount,
		beneficiary: Box::new(account(to)),
		valid_from: None,
	})
}

fn fund_treasury(amount: Balance) {
	assert_ok!(<Balances as Mutate<AccountId>>::transfer(
		&account(Sr25519Keyring::Ferdie),
		&TreasuryAccount::get(),
		amount,
		Preservation::Preserve
	));
}

#[test]
fn a_root_referendum_passes_by_its_support_curve_and_is_enacted() {
	new_test_ext().execute_with(|| {
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		passes_when_support_curve_reaches_ayes(tracks::ROOT, root, remark(b"root"));
		assert!(remarked(b"root"), "dispatched as root");
	});
}

#[test]
fn a_root_referendum_without_support_fails() {
	new_test_ext().execute_with(|| {
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		fails_without_support(tracks::ROOT, root, remark(b"root"));
		assert!(!remarked(b"root"));
	});
}

#[test]
fn a_root_referendum_fails_by_approval_when_nays_outweigh_ayes() {
	new_test_ext().execute_with(|| {
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		let index = propose(BOB, root, remark(b"contested"));
		vote(ALICE, index, true, 90_000 * MDT);
		// More nays than ayes: approval stays below 50% whatever the support.
		vote(CHARLIE, index, false, 95_000 * MDT);
		let (outcome, confirmed) = decide(index);
		assert!(matches!(outcome, Outcome::Rejected(_)));
		assert_eq!(confirmed, None);
		assert!(!remarked(b"contested"));
	});
}

#[test]
fn the_subnet_admin_track_changes_a_root_only_hyperparameter() {
	new_test_ext().execute_with(|| {
		let netuid = register_subnet(&account(DAVE), 1);
		// The owner may not change the tempo: only root or this track may.
		assert_noop!(
			Subnets::set_hyperparameters(
				signed(DAVE),
				netuid,
				match set_tempo(netuid, 500) {
					RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameters {
						update,
						..
					}) => update,
					_ => unreachable!(),
				}
			),
			pallet_subnets::Error::<Runtime>::RequiresRoot
		);
		let admin = OriginCaller::Origins(GovernanceOrigin::SubnetAdmin);
		passes_when_support_curve_reaches_ayes(
			tracks::SUBNET_ADMIN,
			admin.clone(),
			set_tempo(netuid, 500),
		);
		assert_eq!(tempo(netuid), 500);

		fails_without_support(tracks::SUBNET_ADMIN, admin, set_tempo(netuid, 700));
		assert_eq!(tempo(netuid), 500);
	});
}

#[test]
fn a_spender_track_spends_within_its_limit_and_the_spend_is_paid() {
	new_test_ext().execute_with(|| {
		fund_treasury(50_000 * MDT);
		let small = OriginCaller::Origins(GovernanceOrigin::SmallSpender);
		passes_when_support_curve_reaches_ayes(
			tracks::SMALL_SPENDER,
			small.clone(),
			spend(SMALL_SPEND, DAVE),
		);
		let index = pallet_treasury::SpendCount::<Runtime>::get() - 1;
		let dave_before = Balances::free_balance(account(DAVE));
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		assert_ok!(Treasury::payout(signed(CHARLIE), index));
		assert_eq!(Balances::free_balance(account(DAVE)), dave_before + SMALL_SPEND);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury_before - SMALL_SPEND);
		assert_noop!(
			Treasury::payout(signed(CHARLIE), index),
			pallet_treasury::Error::<Runtime, ()>::AlreadyAttempted
		);
		assert_ok!(Treasury::check_status(signed(CHARLIE), index));
		assert!(pallet_treasury::Spends::<Runtime>::get(index).is_none(), "settled");

		// Over the small track's limit: the enacted call fails and nothing is spent.
		passes_when_support_curve_reaches_ayes(
			tracks::SMALL_SPENDER,
			small,
			spend(SMALL_SPEND + 1, DAVE),
		);
		assert_eq!(pallet_treasury::SpendCount::<Runtime>::get(), index + 1);

		// The big track spends more.
		let big = OriginCaller::Origins(GovernanceOrigin::BigSpender);
		passes_when_support_curve_reaches_ayes(tracks::BIG_SPENDER, big, spend(BIG_SPEND, DAVE));
		assert_eq!(pallet_treasury::SpendCount::<Runtime>::get(), index + 2);
		let dave_before = Balances::free_balance(account(DAVE));
		assert_ok!(Treasury::payout(signed(DAVE), index + 1));
		assert_eq!(Balances::free_balance(account(DAVE)), dave_before + BIG_SPEND);
	});
}

#[test]
fn a_treasury_spend_is_paid_from_its_valid_block_until_the_payout_period_ends() {
	new_test_ext().execute_with(|| {
		fund_treasury(10_000 * MDT);
		let small = RuntimeOrigin::from(GovernanceOrigin::SmallSpender);
		let valid_from = System::block_number() + 100;
		assert_ok!(Treasury::spend(
			small.clone(),
			Box::new(()),
			SMALL_SPEND,
			Box::new(account(DAVE)),
			Some(valid_from)
		));
		assert_noop!(
			Treasury::payout(signed(DAVE), 0),
			pallet_treasury::Error::<Runtime, ()>::EarlyPayout
		);
		let payout_period = <Runtime as pallet_treasury::Config>::PayoutPeriod::get();
		run_to(valid_from + payout_period);
		assert_noop!(
			Treasury::payout(signed(DAVE), 0),
			pallet_treasury::Error::<Runtime, ()>::SpendExpired
		);
		// A plain account cannot spend, and a spender track not over its limit.
		assert_noop!(
			Treasury::spend(signed(DAVE), Box::new(()), 1, Box::new(account(DAVE)), None),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Treasury::spend(small, Box::new(()), SMALL_SPEND + 1, Box::new(account(DAVE)), None),
			pallet_treasury::Error::<Runtime, ()>::InsufficientPermission
		);
	});
}

#[test]
fn a_whitelisted_fix_passes_the_fast_track() {
	new_test_ext().execute_with(|| {
		let fix = remark(b"urgent fix");
		let whitelisted_caller = OriginCaller::Origins(GovernanceOrigin::WhitelistedCaller);
		let dispatch = |call: RuntimeCall| {
			RuntimeCall::Whitelist(
				pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(call),
				},
			)
		};

		// Not whitelisted: the referendum passes but its dispatch is refused.
		passes_when_support_curve_reaches_ayes(
			tracks::WHITELISTED_CALLER,
			whitelisted_caller.clone(),
			dispatch(fix.clone()),
		);
		assert!(!remarked(b"urgent fix"));

		// Two of the three committee members whitelist the call.
		let whitelist = RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call {
			call_hash: <Runtime as frame_system::Config>::Hashing::hash_of(&fix),
		});
		let length = u32::try_from(codec::Encode::encoded_size(&whitelist)).unwrap();
		assert_ok!(TechnicalCommittee::propose(
			signed(ALICE),
			2,
			Box::new(whitelist.clone()),
			length
		));
		let motion = <Runtime as frame_system::Config>::Hashing::hash_of(&whitelist);
		assert_ok!(TechnicalCommittee::vote(signed(ALICE), motion, 0, true));
		assert_ok!(TechnicalCommittee::vote(signed(BOB), motion, 0, true));
		let max_weight = <Runtime as pallet_collective::Config<
			luxtensor_runtime::governance::TechnicalCollective,
		>>::MaxProposalWeight::get();
		assert_ok!(TechnicalCommittee::close(signed(CHARLIE), motion, 0, max_weight, length));
		assert!(pallet_whitelist::WhitelistedCall::<Runtime>::contains_key(
			<Runtime as frame_system::Config>::Hashing::hash_of(&fix)
		));

		// The fast track: a small turnout suffices and it confirms in minutes.
		passes_when_support_curve_reaches_ayes(
			tracks::WHITELISTED_CALLER,
			whitelisted_caller,
			dispatch(fix),
		);
		assert!(remarked(b"urgent fix"), "the fix is dispatched with root's rights");
		let fast = track(tracks::WHITELISTED_CALLER);
		let root = track(tracks::ROOT);
		assert!(fast.confirm_period * 100 <= root.confirm_period);
	});
}

#[test]
fn a_committee_minority_cannot_whitelist() {
	new_test_ext().execute_with(|| {
		let call_hash = <Runtime as frame_system::Config>::Hashing::hash(b"anything");
		assert_noop!(
			luxtensor_runtime::Whitelist::whitelist_call(signed(ALICE), call_hash),
			DispatchError::BadOrigin
		);
		let one_of_three = RuntimeOrigin::from(pallet_collective::RawOrigin::<
			AccountId,
			luxtensor_runtime::governance::TechnicalCollective,
		>::Members(1, 3));
		assert_noop!(
			luxtensor_runtime::Whitelist::whitelist_call(one_of_three, call_hash),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_fifth_of_each_fee_goes_to_the_treasury_and_the_rest_is_burned() {
	new_test_ext().execute_with(|| {
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		let issuance_before = Balances::total_issuance();
		let fee = Balances::withdraw(
			&account(DAVE),
			1_000 * MDT,
			polkadot_sdk::frame_support::traits::tokens::Precision::Exact,
			Preservation::Preserve,
			polkadot_sdk::frame_support::traits::tokens::Fortitude::Polite,
		)
		.expect("Dave can pay");
		DealWithFees::on_unbalanceds([fee].into_iter());
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury_before + 200 * MDT);
		assert_eq!(Balances::total_issuance(), issuance_before - 800 * MDT);
	});
}

#[test]
fn only_root_and_the_subnet_admin_track_make_admin_calls() {
	new_test_ext().execute_with(|| {
		let netuid = register_subnet(&account(DAVE), 1);
		let calls: Vec<RuntimeCall> = vec![
			set_tempo(netuid, 500),
			RuntimeCall::Weights(pallet_weights::Call::force_epoch { netuid, emission: 0 }),
			RuntimeCall::Compute(pallet_compute::Call::set_compute_subnet {
				netuid,
				enabled: true,
			}),
			RuntimeCall::Compute(pallet_compute::Call::cancel_slash { slash_id: 7 }),
			RuntimeCall::Staking(pallet_staking::Call::cancel_deferred_slash {
				era: 1,
				slash_indices: vec![0],
			}),
			RuntimeCall::Subnets(pallet_subnets::Call::dissolve_network { netuid }),
		];
		let refused = |result: Result<_, DispatchError>| match result {
			Err(DispatchError::BadOrigin) => true,
			Err(DispatchError::Module(error)) => {
				let name = error.message.unwrap_or_default();
				name == "RequiresRoot" || name == "NotSubnetOwner"
			}
			_ => false,
		};
		use polkadot_sdk::sp_runtime::traits::Dispatchable;
		for call in &calls {
			// Not the owner (Alice), the owner (Dave, where the call is root-only), a
			// committee member, or an origin of another track.
			for origin in [
				signed(ALICE),
				RuntimeOrigin::from(GovernanceOrigin::SmallSpender),
				RuntimeOrigin::from(GovernanceOrigin::BigSpender),
				RuntimeOrigin::from(GovernanceOrigin::WhitelistedCaller),
				RuntimeOrigin::none(),
			] {
				let caller = format!("{origin:?}");
				let result = call.clone().dispatch(origin).map(|_| ()).map_err(|e| e.error);
				assert!(refused(result), "{call:?} from {caller}: {result:?}");
			}
			if !matches!(call, RuntimeCall::Subnets(pallet_subnets::Call::dissolve_network { .. }))
			{
				let result = call.clone().dispatch(signed(DAVE)).map(|_| ()).map_err(|e| e.error);
				assert!(refused(result), "{call:?} from the subnet owner: {result:?}");
			}
			// Root and the subnet-admin track pass the origin check (the call may still fail
			// for its own reasons, never as a bad origin).
			for origin in
				[RuntimeOrigin::root(), RuntimeOrigin::from(GovernanceOrigin::SubnetAdmin)]
			{
				let result = call.clone().dispatch(origin).map(|_| ()).map_err(|e| e.error);
				assert!(!refused(result), "{call:?}: {result:?}");
			}
		}
	});
}

#[test]
fn every_track_is_reachable_only_from_its_origin() {
	use luxtensor_runtime::governance::tracks::TracksInfo;
	let cases = [
		(OriginCaller::system(frame_system::RawOrigin::Root), Ok(tracks::ROOT)),
		(
			OriginCaller::Origins(GovernanceOrigin::WhitelistedCaller),
			Ok(tracks::WHITELISTED_CALLER),
		),
		(OriginCaller::Origins(GovernanceOrigin::SubnetAdmin), Ok(tracks::SUBNET_ADMIN)),
		(OriginCaller::Origins(GovernanceOrigin::SmallSpender), Ok(tracks::SMALL_SPENDER)),
		(OriginCaller::Origins(GovernanceOrigin::BigSpender), Ok(tracks::BIG_SPENDER)),
		(OriginCaller::system(frame_system::RawOrigin::Signed(account(ALICE))), Err(())),
		(OriginCaller::system(frame_system::RawOrigin::None), Err(())),
	];
	for (origin, expected) in cases {
		assert_eq!(TracksInfo::track_for(&origin), expected, "{origin:?}");
	}
	assert_eq!(TracksInfo::check_integrity(), Ok(()));
	// Every support curve ends above zero: an uncontested referendum never passes alone.
	for track in TracksInfo::tracks() {
		let info = &track.info;
		assert!(info.min_support.threshold(Perbill::one()) > Perbill::zero(), "{:?}", track.id);
		assert!(info.min_approval.threshold(Perbill::one()) >= Perbill::from_percent(50));
	}
	// A plain account cannot submit on a track it has no origin for.
	new_test_ext().execute_with(|| {
		let signed_origin = OriginCaller::system(frame_system::RawOrigin::Signed(account(ALICE)));
		assert_noop!(
			Referenda::submit(
				signed(ALICE),
				Box::new(signed_origin),
				Preimage::bound(remark(b"x")).unwrap(),
				DispatchTime::After(0)
			),
			pallet_referenda::Error::<Runtime>::NoTrack
		);
	});
}

#[test]
fn the_rest_of_a_compute_slash_and_the_unscored_fees_go_to_the_treasury() {
	use polkadot_sdk::frame_support::traits::Get;
	// The pallet pays them to its `Treasury` (its unit tests and the compute runtime tests
	// check the amounts).
	assert_eq!(
		<<Runtime as pallet_compute::Config>::Treasury as Get<AccountId>>::get(),
		TreasuryAccount::get()
	);
}
