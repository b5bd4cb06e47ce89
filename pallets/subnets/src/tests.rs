//! Unit tests of pallet-subnets on the mock runtime; each ends with the `try_state` checks.

use crate::{
	mock::*, Error, Event, HoldReason, Hyperparameters, Networks, RootWeights, SubnetCount,
	SubnetIdentities,
};
use luxtensor_primitives::{
	subnets::{
		HyperparametersUpdate, NetUid, SubnetHyperparameters, SubnetLink, SubnetName, ROOT_NETUID,
	},
	traits::{
		OnColdkeySwapped, OnHotkeySwapped, OnNeuronRegistered, RootWeights as RootWeightsOf,
		SubnetsInfo,
	},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::{InspectHold, Mutate},
			Hooks,
		},
	},
	frame_system::RawOrigin,
	sp_runtime::{traits::BadOrigin, FixedU128, Perbill},
};

fn register(coldkey: AccountId, hotkey: AccountId) -> NetUid {
	assert_ok!(Subnets::register_network(RuntimeOrigin::signed(coldkey), hotkey, u128::MAX));
	match System::events().last().map(|record| record.event.clone()) {
		Some(RuntimeEvent::Subnets(Event::NetworkRegistered { netuid, .. })) => netuid,
		other => panic!("expected NetworkRegistered, got {other:?}"),
	}
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::SubnetLock.into(), &who)
}

fn last_event() -> RuntimeEvent {
	System::events().last().expect("an event").event.clone()
}

/// Registers a subnet for Alice, then for each further one waits out the rate limit.
fn register_many(count: usize) -> Vec<NetUid> {
	(0..count)
		.map(|i| {
			if i > 0 {
				run_to_block(System::block_number() + RATE_LIMIT);
			}
			register(ALICE, ALICE_HOTKEY)
		})
		.collect()
}

#[test]
fn genesis_creates_the_root_network() {
	test(|| {
		let root = Hyperparameters::<Test>::get(ROOT_NETUID).expect("root network");
		assert_eq!(root.max_allowed_uids, 64);
		assert_eq!(root.max_allowed_validators, 64);
		assert!(Subnets::exists(ROOT_NETUID));
		assert_eq!(<Subnets as SubnetsInfo<_>>::owner(ROOT_NETUID), None);
		assert_eq!(SubnetCount::<Test>::get(), 0);
	});
}

#[test]
fn register_network_holds_the_minimum_lock_and_takes_netuid_one() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		assert_eq!(netuid, 1);
		assert_eq!(held(ALICE), MIN_LOCK);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - MIN_LOCK);
		assert_eq!(Hyperparameters::<Test>::get(netuid), Some(SubnetHyperparameters::default()));
		let record = Networks::<Test>::get(netuid).expect("record");
		assert_eq!(
			(record.owner, record.owner_hotkey, record.lock),
			(ALICE, ALICE_HOTKEY, MIN_LOCK)
		);
		assert_eq!(record.registered_at, 1);
		assert_eq!(SubnetCount::<Test>::get(), 1);
		assert_eq!(<Subnets as SubnetsInfo<_>>::owner(netuid), Some(ALICE));
		assert_eq!(<Subnets as SubnetsInfo<_>>::netuids(), vec![ROOT_NETUID, 1]);
		System::assert_last_event(
			Event::NetworkRegistered {
				netuid,
				owner: ALICE,
				owner_hotkey: ALICE_HOTKEY,
				lock: MIN_LOCK,
			}
			.into(),
		);
	});
}

#[test]
fn lock_cost_doubles_after_a_creation_and_decays_linearly_to_the_minimum() {
	test(|| {
		assert_eq!(Subnets::network_lock_cost(), MIN_LOCK);
		register(ALICE, ALICE_HOTKEY);
		assert_eq!(Subnets::network_lock_cost(), 2 * MIN_LOCK);
		// A quarter of the interval takes a quarter of the doubled cost off.
		run_to_block(1 + LOCK_REDUCTION_INTERVAL / 4);
		assert_eq!(Subnets::network_lock_cost(), 2 * MIN_LOCK - MIN_LOCK / 2);
		// Half-way it is back at the minimum, and stays there.
		run_to_block(1 + LOCK_REDUCTION_INTERVAL / 2);
		assert_eq!(Subnets::network_lock_cost(), MIN_LOCK);
		run_to_block(1 + 3 * LOCK_REDUCTION_INTERVAL);
		assert_eq!(Subnets::network_lock_cost(), MIN_LOCK);

		// Two creations in a row: the second locks twice the first, the next would lock 4x.
		let now = System::block_number();
		register(BOB, BOB_HOTKEY);
		run_to_block(now + RATE_LIMIT);
		let cost = Subnets::network_lock_cost();
		let decay =
			2 * MIN_LOCK * Balance::from(RATE_LIMIT) / Balance::from(LOCK_REDUCTION_INTERVAL);
		assert_eq!(cost, 2 * MIN_LOCK - decay);
		register(ALICE, ALICE_HOTKEY);
		assert_eq!(held(ALICE), MIN_LOCK + cost, "both of her locks are held");
		assert_eq!(Subnets::network_lock_cost(), 2 * cost);
	});
}

#[test]
fn register_network_is_rate_limited() {
	test(|| {
		register(ALICE, ALICE_HOTKEY);
		run_to_block(RATE_LIMIT);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), BOB_HOTKEY, u128::MAX),
			Error::<Test>::NetworkRateLimited
		);
		run_to_block(1 + RATE_LIMIT);
		assert_eq!(register(BOB, BOB_HOTKEY), 2);
	});
}

#[test]
fn register_network_stops_at_the_subnet_limit() {
	test(|| {
		register_many(usize::from(SUBNET_LIMIT));
		run_to_block(System::block_number() + RATE_LIMIT);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), BOB_HOTKEY, u128::MAX),
			Error::<Test>::SubnetLimitReached
		);
	});
}

#[test]
fn register_network_locks_no_more_than_the_caller_allows() {
	test(|| {
		register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + RATE_LIMIT);
		// Another creation just before would double the lock: the caller's cap stops it.
		let cost = Subnets::network_lock_cost();
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), BOB_HOTKEY, cost - 1),
			Error::<Test>::LockAboveMax
		);
		assert_ok!(Subnets::register_network(RuntimeOrigin::signed(BOB), BOB_HOTKEY, cost));
		assert_eq!(held(BOB), cost);
	});
}

#[test]
fn register_network_needs_the_lock_in_free_balance() {
	test(|| {
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(POOR), 99, u128::MAX),
			Error::<Test>::InsufficientBalanceForLock
		);
	});
}

#[test]
fn register_network_refuses_a_hotkey_owned_by_another_coldkey() {
	test(|| {
		register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + RATE_LIMIT);
		assert_noop!(
			Subnets::register_network(RuntimeOrigin::signed(BOB), ALICE_HOTKEY, u128::MAX),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		// The same coldkey may reuse its hotkey.
		assert_eq!(register(ALICE, ALICE_HOTKEY), 2);
	});
}

#[test]
fn register_network_needs_a_signed_origin() {
	test(|| {
		assert_noop!(
			Subnets::register_network(RawOrigin::Root.into(), ALICE_HOTKEY, u128::MAX),
			BadOrigin
		);
	});
}

#[test]
fn owner_dissolves_a_subnet_and_gets_the_lock_back() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + LOCK_REDUCTION_INTERVAL);
		assert_ok!(Subnets::set_subnet_identity(
			RuntimeOrigin::signed(ALICE),
			netuid,
			b"name".to_vec().try_into().unwrap(),
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
		));
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), netuid));
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
		assert!(!Subnets::exists(netuid));
		assert!(Networks::<Test>::get(netuid).is_none());
		assert!(SubnetIdentities::<Test>::get(netuid).is_none());
		assert_eq!(SubnetCount::<Test>::get(), 0);
		assert_eq!(dissolved(), vec![netuid]);
		System::assert_last_event(
			Event::NetworkDissolved { netuid, owner: ALICE, lock: MIN_LOCK, forfeited: 0 }.into(),
		);
		// The netuid is free again.
		run_to_block(1 + LOCK_REDUCTION_INTERVAL + RATE_LIMIT);
		assert_eq!(register(BOB, BOB_HOTKEY), netuid);
	});
}

#[test]
fn a_dissolved_subnets_neurons_are_cleared_over_blocks_before_its_netuid_is_reused() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		// Five neurons, cleared two a block.
		set_neuron_count(netuid, 5);
		assert_ok!(Subnets::dissolve_network(RawOrigin::Root.into(), netuid));
		assert!(!Subnets::exists(netuid));
		assert!(Subnets::is_clearing(netuid));
		Subnets::do_try_state().expect("a dissolved subnet being cleared is consistent");
		run_to_block(3);
		assert!(Subnets::is_clearing(netuid), "two blocks cleared four neurons");
		run_to_block(4);
		assert!(!Subnets::is_clearing(netuid));
		System::assert_last_event(Event::SubnetCleared { netuid }.into());
		run_to_block(4.max(1 + RATE_LIMIT));
		assert_eq!(register(BOB, BOB_HOTKEY), netuid, "cleared: the netuid is free again");
	});
}

#[test]
fn a_netuid_being_cleared_is_not_reused() {
	test(|| {
		let first = register(ALICE, ALICE_HOTKEY);
		set_neuron_count(first, 60_000);
		assert_ok!(Subnets::dissolve_network(RawOrigin::Root.into(), first));
		run_to_block(1 + RATE_LIMIT);
		assert!(Subnets::is_clearing(first), "2 a block: not done in 7,200 blocks");
		let second = register(BOB, BOB_HOTKEY);
		assert_ne!(second, first);
		// The block's cleanup is bounded by the limit, whatever is left.
		let weight = Subnets::on_initialize(System::block_number() + 1);
		assert!(weight.ref_time() < 1_000 * 1_000_000, "{weight}");
	});
}

#[test]
fn an_owner_dissolving_soon_after_creating_forfeits_part_of_the_lock() {
	test(|| {
		let issuance = Balances::total_issuance();
		let netuid = register(ALICE, ALICE_HOTKEY);
		// A quarter of the decay period gone: 3/8 of the lock is forfeited.
		run_to_block(1 + LOCK_REDUCTION_INTERVAL / 4);
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), netuid));
		let forfeited = MIN_LOCK * 3 / 8;
		System::assert_last_event(
			Event::NetworkDissolved { netuid, owner: ALICE, lock: MIN_LOCK - forfeited, forfeited }
				.into(),
		);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - forfeited);
		assert_eq!(Balances::total_issuance(), issuance - forfeited, "the forfeit is burned");
		// Root dissolving takes nothing from the owner.
		let netuid = register(BOB, BOB_HOTKEY);
		let bobs = Balances::free_balance(BOB) + held(BOB);
		assert_ok!(Subnets::dissolve_network(RawOrigin::Root.into(), netuid));
		assert_eq!(Balances::free_balance(BOB), bobs);
	});
}

#[test]
fn a_subnet_registered_at_a_dissolved_netuid_inherits_no_root_weights() {
	test(|| {
		let first = register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + RATE_LIMIT);
		let second = register(BOB, BOB_HOTKEY);
		let (one, two) = (77, 78);
		add_root_member(one);
		add_root_member(two);
		assert_ok!(Subnets::set_root_weights(
			RuntimeOrigin::signed(one),
			vec![first, second],
			vec![1, 2]
		));
		assert_ok!(Subnets::set_root_weights(RuntimeOrigin::signed(two), vec![first], vec![5]));
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), first));
		assert_eq!(Subnets::root_weights(0), vec![(second, 2)]);
		assert!(Subnets::root_weights(1).is_empty(), "a row left empty goes");
		assert!(!RootWeights::<Test>::contains_key(1));
		Subnets::do_try_state().expect("no root weights on a missing subnet");
		run_to_block(1 + 2 * RATE_LIMIT);
		assert_eq!(register(ALICE, ALICE_HOTKEY), first);
		assert_eq!(Subnets::root_weights(0), vec![(second, 2)], "the new subnet starts with none");
	});
}

#[test]
fn a_swapped_owner_hotkey_receives_the_owner_cut_of_its_subnets() {
	test(|| {
		let first = register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + RATE_LIMIT);
		let second = register(BOB, BOB_HOTKEY);
		Subnets::on_hotkey_swapped(&ALICE_HOTKEY, &77);
		assert_eq!(Subnets::owner_hotkey(first), Some(77));
		assert_eq!(Subnets::owner_hotkey(second), Some(BOB_HOTKEY));
	});
}

#[test]
fn root_dissolves_any_subnet_and_returns_the_lock_to_its_owner() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		assert_ok!(Subnets::dissolve_network(RawOrigin::Root.into(), netuid));
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT);
	});
}

#[test]
fn dissolve_network_errors_change_nothing() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		assert_noop!(
			Subnets::dissolve_network(RuntimeOrigin::signed(BOB), netuid),
			Error::<Test>::NotSubnetOwner
		);
		assert_noop!(
			Subnets::dissolve_network(RuntimeOrigin::signed(ALICE), 7),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(
			Subnets::dissolve_network(RawOrigin::Root.into(), ROOT_NETUID),
			Error::<Test>::CannotDissolveRootNetwork
		);
		assert!(dissolved().is_empty());
	});
}

#[test]
fn the_epoch_schedule_hears_of_registrations_and_tempo_changes_only() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let tempo = SubnetHyperparameters::default().tempo;
		assert_eq!(scheduled(), vec![(netuid, tempo, true)]);

		// Other fields, the same tempo again, or a refused update: nothing to reschedule.
		let kappa = HyperparametersUpdate { kappa: Some(1), ..Default::default() };
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, kappa));
		let same = HyperparametersUpdate { tempo: Some(tempo), ..Default::default() };
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, same));
		let by_owner = HyperparametersUpdate { tempo: Some(20), ..Default::default() };
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, by_owner),
			Error::<Test>::RequiresRoot
		);
		assert_eq!(scheduled().len(), 1);

		let faster = HyperparametersUpdate { tempo: Some(20), ..Default::default() };
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, faster));
		assert_eq!(scheduled(), vec![(netuid, tempo, true), (netuid, 20, false)]);
	});
}

#[test]
fn owner_update_applies_whole() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let update = HyperparametersUpdate {
			immunity_period: Some(0),
			activity_cutoff: Some(1_000),
			weights_version_key: Some(7),
			commit_reveal_enabled: Some(false),
			min_burn: Some(MDT),
			max_burn: Some(50 * MDT),
			burn_increase_mult: Some(FixedU128::from_u32(2)),
			max_allowed_uids: Some(128),
			..Default::default()
		};
		assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, update));
		let expected = SubnetHyperparameters {
			immunity_period: 0,
			activity_cutoff: 1_000,
			weights_version_key: 7,
			commit_reveal_enabled: false,
			min_burn: MDT,
			max_burn: 50 * MDT,
			burn_increase_mult: FixedU128::from_u32(2),
			max_allowed_uids: 128,
			..Default::default()
		};
		assert_eq!(Hyperparameters::<Test>::get(netuid), Some(expected.clone()));
		System::assert_last_event(
			Event::HyperparametersSet { netuid, hyperparameters: expected.clone() }.into(),
		);

		// One field out of bounds: nothing of the update applies.
		assert_noop!(
			Subnets::set_hyperparameters(
				RuntimeOrigin::signed(ALICE),
				netuid,
				HyperparametersUpdate {
					immunity_period: Some(5),
					bonds_moving_average: Some(1_000_000),
					..Default::default()
				}
			),
			Error::<Test>::BondsMovingAverageOutOfBounds
		);
		assert_eq!(Hyperparameters::<Test>::get(netuid), Some(expected));
	});
}

#[test]
fn owner_cannot_set_root_fields_or_raise_max_allowed_uids() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let root_only = [
			HyperparametersUpdate { tempo: Some(100), ..Default::default() },
			HyperparametersUpdate { max_allowed_validators: Some(10), ..Default::default() },
			HyperparametersUpdate { kappa: Some(1), ..Default::default() },
			HyperparametersUpdate { min_stake_to_set_weights: Some(1), ..Default::default() },
			HyperparametersUpdate { owner_cut: Some(Perbill::zero()), ..Default::default() },
			HyperparametersUpdate { max_allowed_uids: Some(257), ..Default::default() },
		];
		for update in root_only {
			assert_noop!(
				Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, update.clone()),
				Error::<Test>::RequiresRoot
			);
			assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, update));
		}
	});
}

#[test]
fn only_the_owner_or_root_sets_hyperparameters() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let update = HyperparametersUpdate { immunity_period: Some(1), ..Default::default() };
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(BOB), netuid, update.clone()),
			Error::<Test>::NotSubnetOwner
		);
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), 9, update.clone()),
			Error::<Test>::SubnetNotFound
		);
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), ROOT_NETUID, update.clone()),
			Error::<Test>::RequiresRoot
		);
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, Default::default()),
			Error::<Test>::EmptyUpdate
		);
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), ROOT_NETUID, update));
	});
}

#[test]
fn each_out_of_bounds_field_fails_with_its_own_error() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		set_neuron_count(netuid, 10);
		let u = HyperparametersUpdate::default;
		let cases: Vec<(HyperparametersUpdate, Error<Test>)> = vec![
			(HyperparametersUpdate { tempo: Some(9), ..u() }, Error::TempoOutOfBounds),
			(HyperparametersUpdate { tempo: Some(50_401), ..u() }, Error::TempoOutOfBounds),
			(
				HyperparametersUpdate { max_allowed_uids: Some(0), ..u() },
				Error::MaxAllowedUidsOutOfBounds,
			),
			(
				HyperparametersUpdate { max_allowed_uids: Some(4097), ..u() },
				Error::MaxAllowedUidsOutOfBounds,
			),
			// Fewer uids than the subnet's 10 neurons would drop some.
			(
				HyperparametersUpdate {
					max_allowed_uids: Some(9),
					max_allowed_validators: Some(9),
					min_allowed_weights: Some(1),
					..u()
				},
				Error::MaxAllowedUidsOutOfBounds,
			),
			(
				HyperparametersUpdate { max_allowed_validators: Some(0), ..u() },
				Error::MaxAllowedValidatorsOutOfBounds,
			),
			(
				HyperparametersUpdate { max_allowed_validators: Some(257), ..u() },
				Error::MaxAllowedValidatorsOutOfBounds,
			),
			// 256 validators at most, however many uids: what one block's epoch can take.
			(
				HyperparametersUpdate {
					max_allowed_uids: Some(4096),
					max_allowed_validators: Some(257),
					..u()
				},
				Error::MaxAllowedValidatorsOutOfBounds,
			),
			(
				HyperparametersUpdate { immunity_period: Some(72_001), ..u() },
				Error::ImmunityPeriodOutOfBounds,
			),
			(
				HyperparametersUpdate { activity_cutoff: Some(359), ..u() },
				Error::ActivityCutoffOutOfBounds,
			),
			(
				HyperparametersUpdate { activity_cutoff: Some(100_001), ..u() },
				Error::ActivityCutoffOutOfBounds,
			),
			// A longer tempo must not overtake the activity cutoff (5000).
			(HyperparametersUpdate { tempo: Some(5_001), ..u() }, Error::ActivityCutoffOutOfBounds),
			(
				HyperparametersUpdate { min_allowed_weights: Some(257), ..u() },
				Error::MinAllowedWeightsOutOfBounds,
			),
			(
				HyperparametersUpdate { max_weight_limit: Some(0), ..u() },
				Error::MaxWeightLimitOutOfBounds,
			),
			(
				HyperparametersUpdate { weights_rate_limit: Some(7_201), ..u() },
				Error::WeightsRateLimitOutOfBounds,
			),
			// Free calls stay rate-limited: an owner cannot lift the limit.
			(
				HyperparametersUpdate { weights_rate_limit: Some(0), ..u() },
				Error::WeightsRateLimitOutOfBounds,
			),
			(
				HyperparametersUpdate { commit_reveal_period: Some(0), ..u() },
				Error::CommitRevealPeriodOutOfBounds,
			),
			(
				HyperparametersUpdate { commit_reveal_period: Some(101), ..u() },
				Error::CommitRevealPeriodOutOfBounds,
			),
			(
				HyperparametersUpdate { bonds_moving_average: Some(1_000_000), ..u() },
				Error::BondsMovingAverageOutOfBounds,
			),
			(HyperparametersUpdate { min_burn: Some(100 * MDT), ..u() }, Error::MinBurnOutOfBounds),
			(
				HyperparametersUpdate { max_burn: Some(MDT / 2_000), ..u() },
				Error::MaxBurnOutOfBounds,
			),
			(
				HyperparametersUpdate { burn_half_life: Some(0), ..u() },
				Error::BurnHalfLifeOutOfBounds,
			),
			(
				HyperparametersUpdate { burn_half_life: Some(36_001), ..u() },
				Error::BurnHalfLifeOutOfBounds,
			),
			(
				HyperparametersUpdate {
					burn_increase_mult: Some(FixedU128::from_rational(99, 100)),
					..u()
				},
				Error::BurnIncreaseMultOutOfBounds,
			),
			(
				HyperparametersUpdate {
					burn_increase_mult: Some(FixedU128::from_rational(301, 100)),
					..u()
				},
				Error::BurnIncreaseMultOutOfBounds,
			),
			(
				HyperparametersUpdate { serving_rate_limit: Some(7_201), ..u() },
				Error::ServingRateLimitOutOfBounds,
			),
			(
				HyperparametersUpdate { serving_rate_limit: Some(0), ..u() },
				Error::ServingRateLimitOutOfBounds,
			),
			(
				HyperparametersUpdate { owner_cut: Some(Perbill::from_percent(51)), ..u() },
				Error::OwnerCutOutOfBounds,
			),
		];
		for (update, error) in cases {
			assert_noop!(
				Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, update),
				error
			);
		}
	});
}

#[test]
fn owner_burn_bounds_are_narrower_than_roots() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let below_floor = HyperparametersUpdate { min_burn: Some(1), ..Default::default() };
		let above_ceiling =
			HyperparametersUpdate { max_burn: Some(101 * MDT), ..Default::default() };
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, below_floor.clone()),
			Error::<Test>::MinBurnOutOfBounds
		);
		assert_noop!(
			Subnets::set_hyperparameters(
				RuntimeOrigin::signed(ALICE),
				netuid,
				above_ceiling.clone()
			),
			Error::<Test>::MaxBurnOutOfBounds
		);
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, below_floor));
		assert_ok!(Subnets::set_hyperparameters(RawOrigin::Root.into(), netuid, above_ceiling));
		// The owner can still change other fields after root went past the owner bounds.
		assert_ok!(Subnets::set_hyperparameters(
			RuntimeOrigin::signed(ALICE),
			netuid,
			HyperparametersUpdate { immunity_period: Some(10), ..Default::default() }
		));
	});
}

#[test]
fn owner_may_lower_max_allowed_uids_down_to_the_neuron_count() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		set_neuron_count(netuid, 3);
		let lower =
			|uids| HyperparametersUpdate { max_allowed_uids: Some(uids), ..Default::default() };
		assert_ok!(Subnets::set_hyperparameters(
			RawOrigin::Root.into(),
			netuid,
			HyperparametersUpdate { max_allowed_validators: Some(3), ..Default::default() }
		));
		assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, lower(3)));
		assert_noop!(
			Subnets::set_hyperparameters(RuntimeOrigin::signed(ALICE), netuid, lower(2)),
			Error::<Test>::MaxAllowedUidsOutOfBounds
		);
	});
}

#[test]
fn set_subnet_identity_by_the_owner_only() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let name: SubnetName = b"text-prompting".to_vec().try_into().unwrap();
		let url: SubnetLink = b"https://example.org".to_vec().try_into().unwrap();
		let set = |who, netuid| {
			Subnets::set_subnet_identity(
				RuntimeOrigin::signed(who),
				netuid,
				name.clone(),
				Default::default(),
				Default::default(),
				url.clone(),
				Default::default(),
			)
		};
		assert_noop!(set(BOB, netuid), Error::<Test>::NotSubnetOwner);
		assert_noop!(set(ALICE, 5), Error::<Test>::SubnetNotFound);
		assert_noop!(set(ALICE, ROOT_NETUID), Error::<Test>::NotSubnetOwner);
		assert_ok!(set(ALICE, netuid));
		let identity = SubnetIdentities::<Test>::get(netuid).expect("identity");
		assert_eq!((identity.name, identity.url), (name, url));
		assert_eq!(last_event(), Event::SubnetIdentitySet { netuid }.into());
	});
}

#[test]
fn try_state_catches_a_lock_that_is_not_held() {
	new_test_ext().execute_with(|| {
		register(ALICE, ALICE_HOTKEY);
		assert_ok!(Subnets::do_try_state());
		// Funds released behind the pallet's back break the invariant.
		assert_ok!(
			<Balances as polkadot_sdk::frame_support::traits::fungible::MutateHold<_>>::release(
				&HoldReason::SubnetLock.into(),
				&ALICE,
				1,
				polkadot_sdk::frame_support::traits::tokens::Precision::Exact,
			)
		);
		assert!(Subnets::do_try_state().is_err());
	});
}

#[test]
fn root_members_set_checked_root_weights() {
	test(|| {
		let first = register(ALICE, ALICE_HOTKEY);
		run_to_block(System::block_number() + RATE_LIMIT);
		let second = register(ALICE, ALICE_HOTKEY);
		let member = 500;
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Subnets::set_root_weights(signed(member), vec![first], vec![1]),
			Error::<Test>::NotRootMember
		);
		let uid = add_root_member(member);
		let cases = [
			(vec![first], vec![1, 2], Error::<Test>::RootWeightsLengthMismatch),
			(vec![first, first], vec![1, 2], Error::<Test>::DuplicateNetuid),
			(vec![ROOT_NETUID], vec![1], Error::<Test>::CannotWeighRootNetwork),
			(vec![first, 3], vec![1, 1], Error::<Test>::SubnetNotFound),
			(vec![1; 6], vec![1; 6], Error::<Test>::TooManyRootWeights),
		];
		for (netuids, weights, error) in cases {
			assert_noop!(Subnets::set_root_weights(signed(member), netuids, weights), error);
		}
		assert_ok!(Subnets::set_root_weights(signed(member), vec![second, first], vec![3, 1]));
		assert_eq!(RootWeights::<Test>::get(uid).into_inner(), vec![(first, 1), (second, 3)]);
		assert_eq!(
			last_event(),
			RuntimeEvent::Subnets(Event::RootWeightsSet { uid, hotkey: member, subnets: 2 })
		);
		assert_eq!(<Subnets as RootWeightsOf>::root_weights(uid), vec![(first, 1), (second, 3)]);
		// Zeros are dropped; an all-zero row withdraws the member's weights.
		assert_ok!(Subnets::set_root_weights(signed(member), vec![first, second], vec![0, 2]));
		assert_eq!(RootWeights::<Test>::get(uid).into_inner(), vec![(second, 2)]);
		assert_ok!(Subnets::set_root_weights(signed(member), vec![], vec![]));
		assert!(!RootWeights::<Test>::contains_key(uid));
	});
}

#[test]
fn a_replaced_root_member_starts_without_weights() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		let uid = add_root_member(500);
		assert_ok!(Subnets::set_root_weights(RuntimeOrigin::signed(500), vec![netuid], vec![1]));
		// Other subnets' registrations leave root weights alone.
		Subnets::on_neuron_registered(netuid, uid);
		assert!(RootWeights::<Test>::contains_key(uid));
		Subnets::on_neuron_registered(ROOT_NETUID, uid);
		assert!(!RootWeights::<Test>::contains_key(uid));
	});
}

#[test]
fn a_coldkey_swap_hands_over_the_subnets_it_owns_and_their_locks() {
	test(|| {
		let netuid = register(ALICE, ALICE_HOTKEY);
		run_to_block(1 + RATE_LIMIT);
		let bobs = register(BOB, BOB_HOTKEY);
		let before = Balances::free_balance(ALICE);
		// Registration moves the free balance first: the new coldkey exists.
		const NEW_COLDKEY: AccountId = 50;
		Balances::set_balance(&NEW_COLDKEY, MDT);

		assert_ok!(<Subnets as OnColdkeySwapped<_>>::on_coldkey_swapped(&ALICE, &NEW_COLDKEY));

		assert_eq!(<Subnets as SubnetsInfo<_>>::owner(netuid), Some(NEW_COLDKEY));
		assert_eq!(<Subnets as SubnetsInfo<_>>::owner(bobs), Some(BOB), "only alice's moved");
		assert_eq!((held(ALICE), held(NEW_COLDKEY)), (0, MIN_LOCK));
		assert_eq!(Balances::free_balance(ALICE), before, "free balance is registration's to move");
		// The new owner dissolves it and gets the lock back.
		run_to_block(1 + LOCK_REDUCTION_INTERVAL);
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::signed(NEW_COLDKEY), netuid));
		assert_eq!(held(NEW_COLDKEY), 0);
		assert_eq!(Balances::free_balance(NEW_COLDKEY), MDT + MIN_LOCK);
	});
}
